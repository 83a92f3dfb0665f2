#include "forceplate/analysis/window.hpp"

#include <cmath>

#include "checks.hpp"

namespace fp::analysis {

TimeWindow middle_window(double duration_s, double keep_s) {
  constexpr const char* where = "middle_window";
  if (!std::isfinite(duration_s) || duration_s <= 0) {
    detail::fail(where,
                 "duration must be positive and finite, got " + detail::str(duration_s) + " s");
  }
  if (!std::isfinite(keep_s) || keep_s <= 0 || keep_s > duration_s) {
    detail::fail(where, "cannot keep the middle " + detail::str(keep_s) + " s of a " +
                            detail::str(duration_s) + " s recording");
  }
  const double margin = (duration_s - keep_s) / 2;
  return {margin, margin + keep_s};
}

SampleWindow to_sample_window(const TimeWindow& w, std::size_t n, double rate_hz) {
  constexpr const char* where = "to_sample_window";
  detail::check_rate(where, rate_hz);
  const double duration = static_cast<double>(n) / rate_hz;
  const std::string name =
      "window " + detail::str(w.start_s) + " s to " + detail::str(w.end_s) + " s";
  if (!std::isfinite(w.start_s) || !std::isfinite(w.end_s)) {
    detail::fail(where, name + " is not finite");
  }
  const double begin = std::round(w.start_s * rate_hz);
  const double end = std::round(w.end_s * rate_hz);
  if (begin < 0 || end > static_cast<double>(n)) {
    detail::fail(where, name + " lies outside the " + detail::str(duration) + " s recording");
  }
  if (end <= begin) detail::fail(where, name + " holds no samples");
  return {static_cast<std::size_t>(begin), static_cast<std::size_t>(end)};
}

}  // namespace fp::analysis
