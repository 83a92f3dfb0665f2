#include "forceplate/analysis/sway_density.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "box_tree.hpp"
#include "checks.hpp"
#include "peaks.hpp"

namespace fp::analysis {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Run {
  std::size_t begin = 0;  // first sample of the run
  std::size_t end = 0;    // one past the last
};

std::vector<Run> runs(std::span<const double> x, std::span<const double> y, double rate_hz,
                      double radius_m, std::size_t stride, const char* where) {
  detail::check_rate(where, rate_hz);
  detail::check_same_length(where, "x", x.size(), "y", y.size());
  detail::check_finite(where, "x", x);
  detail::check_finite(where, "y", y);
  if (!std::isfinite(radius_m) || radius_m <= 0) {
    detail::fail(where, "radius must be positive and finite, got " + detail::str(radius_m) + " m");
  }
  if (stride == 0) detail::fail(where, "stride must be at least 1");
  const std::size_t n = x.size();
  const detail::BoxTree tree(x, y);
  std::vector<Run> out;
  out.reserve(n / stride + 1);
  for (std::size_t i = 0; i < n; i += stride) {
    const std::size_t after = tree.first_far_after(i, radius_m);
    const std::size_t before = tree.last_far_before(i, radius_m);
    out.push_back({before == detail::BoxTree::none ? 0 : before + 1,
                   after == detail::BoxTree::none ? n : after});
  }
  return out;
}
}  // namespace

std::vector<double> sway_density_curve(std::span<const double> x, std::span<const double> y,
                                       double rate_hz, double radius_m, std::size_t stride) {
  std::vector<double> curve;
  for (const Run& r : runs(x, y, rate_hz, radius_m, stride, "sway_density_curve")) {
    curve.push_back(static_cast<double>(r.end - r.begin) / rate_hz);
  }
  return curve;
}

SwayDensityMeasures sway_density_measures(std::span<const double> x, std::span<const double> y,
                                          double rate_hz, const SwayDensityOptions& o) {
  detail::check_rate("sway_density_measures", rate_hz);
  if (!std::isfinite(o.curve_rate_hz) || o.curve_rate_hz <= 0) {
    detail::fail("sway_density_measures", "curve rate must be positive and finite, got " +
                                              detail::str(o.curve_rate_hz) + " Hz");
  }
  const auto stride =
      static_cast<std::size_t>(std::max(1.0, std::floor(rate_hz / o.curve_rate_hz)));
  const double curve_rate = rate_hz / static_cast<double>(stride);
  const std::vector<Run> r = runs(x, y, rate_hz, o.radius_m, stride, "sway_density_measures");
  std::vector<double> curve;
  for (const Run& run : r) curve.push_back(static_cast<double>(run.end - run.begin) / rate_hz);
  if (o.smoothing && curve.size() >= 2) curve = zero_phase_lowpass(curve, curve_rate, *o.smoothing);
  // A run that reaches the first or last sample is cut short by the recording: no peak there.
  std::vector<std::size_t> peaks;
  for (const std::size_t p : detail::prominent_peaks(curve, o.min_peak_prominence_s)) {
    if (r[p].begin > 0 && r[p].end < x.size()) peaks.push_back(p);
  }

  SwayDensityMeasures m{peaks.size(), nan, nan, nan, nullptr};
  if (peaks.empty()) {
    m.problem = "the sway density curve has no peaks";
    return m;
  }
  double height = 0;
  for (const std::size_t p : peaks) height += curve[p];
  m.mean_peak_s = height / static_cast<double>(peaks.size());
  if (peaks.size() < 2) {
    m.problem = "the sway density curve has only one peak";
    return m;
  }
  double distance = 0;
  for (std::size_t k = 1; k < peaks.size(); ++k) {
    const std::size_t a = peaks[k - 1] * stride;
    const std::size_t b = peaks[k] * stride;
    distance += std::hypot(x[b] - x[a], y[b] - y[a]);
  }
  const auto gaps = static_cast<double>(peaks.size() - 1);
  m.mean_distance_m = distance / gaps;
  m.mean_interval_s = static_cast<double>(peaks.back() - peaks.front()) / curve_rate / gaps;
  return m;
}

}  // namespace fp::analysis
