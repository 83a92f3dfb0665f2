#include "forceplate/analysis/resample.hpp"

#include <cmath>

#include "checks.hpp"

namespace fp::analysis {

UniformSeries resample_uniform(std::span<const double> t, std::span<const double> v, double rate_hz,
                               double max_gap_s) {
  constexpr const char* where = "resample_uniform";
  detail::check_rate(where, rate_hz);
  if (!std::isfinite(max_gap_s) || max_gap_s <= 0) {
    detail::fail(where,
                 "gap limit must be positive and finite, got " + detail::str(max_gap_s) + " s");
  }
  detail::check_same_length(where, "t", t.size(), "values", v.size());
  if (t.size() < 2) detail::fail(where, "need at least 2 samples, got " + detail::str(t.size()));
  detail::check_finite(where, "t", t);
  detail::check_finite(where, "values", v);
  double largest_gap = 0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    const double gap = t[i] - t[i - 1];
    if (!(gap > 0)) {
      detail::fail(where, "time stamps must increase: t[" + detail::str(i) + "] = " +
                              detail::str(t[i]) + " s follows " + detail::str(t[i - 1]) + " s");
    }
    if (gap > max_gap_s) {
      detail::fail(where, "gap of " + detail::str(gap) + " s after t[" + detail::str(i - 1) +
                              "] = " + detail::str(t[i - 1]) + " s exceeds the limit of " +
                              detail::str(max_gap_s) + " s");
    }
    largest_gap = std::max(largest_gap, gap);
  }

  UniformSeries out;
  out.start_s = t.front();
  out.rate_hz = rate_hz;
  // Grid times are start + k / rate (not accumulated) so rounding does not drift; a small
  // tolerance keeps the last stamp when it lies on the grid.
  const double span = t.back() - t.front();
  const auto count = static_cast<std::size_t>(std::floor(span * rate_hz * (1 + 1e-12))) + 1;
  out.values.reserve(count);
  std::size_t i = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double tk = std::min(t.front() + static_cast<double>(k) / rate_hz, t.back());
    while (i + 2 < t.size() && t[i + 1] < tk) ++i;
    const double w = (tk - t[i]) / (t[i + 1] - t[i]);
    out.values.push_back(v[i] + w * (v[i + 1] - v[i]));
  }
  out.note = "resampled " + detail::str(t.size()) + " time-stamped samples to " +
             detail::str(count) + " at " + detail::str(rate_hz) +
             " Hz by linear interpolation (largest gap " + detail::str(largest_gap) + " s, limit " +
             detail::str(max_gap_s) + " s)";
  return out;
}

}  // namespace fp::analysis
