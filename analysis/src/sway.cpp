#include "forceplate/analysis/sway.hpp"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "checks.hpp"
#include "sway_metrics.hpp"

namespace fp::analysis {

namespace {
constexpr double min_duration_s = 2.0;
constexpr std::size_t min_samples = 3;  // the ellipse's F(2, n-2) needs n > 2

constexpr const char* where = "analyze_sway";

void validate(std::span<const double> x, std::span<const double> y, double rate_hz) {
  detail::check_rate(where, rate_hz);
  detail::check_same_length(where, "x", x.size(), "y", y.size());
  detail::check_duration(where, x.size(), rate_hz, min_duration_s, min_samples);
  detail::check_finite(where, "x", x);
  detail::check_finite(where, "y", y);
  detail::check_cop_metres(where, "x", x);
  detail::check_cop_metres(where, "y", y);
}

std::vector<double> centred(std::span<const double> v, bool remove_mean) {
  std::vector<double> out(v.begin(), v.end());
  if (remove_mean) {
    const double m = detail::mean(v);
    for (double& s : out) s -= m;
  }
  return out;
}

// Frequency of the circle of radius `mean_distance` run at `mean_speed`. A COP that never moves has
// none (0 / 0): report 0 and say so.
double mean_frequency(double mean_speed, double mean_distance, std::vector<std::string>& warnings) {
  if (mean_speed > 0 && mean_distance > 0)
    return mean_speed / (2.0 * std::numbers::pi * mean_distance);
  warnings.emplace_back("COP did not move: mean frequency is undefined, reported as 0");
  return 0.0;
}
}  // namespace

AnalysisResult analyze_sway(std::span<const double> x_in, std::span<const double> y_in,
                            double rate_hz, const SwayOptions& options) {
  validate(x_in, y_in, rate_hz);
  const std::vector<double> x = centred(x_in, options.remove_mean);
  const std::vector<double> y = centred(y_in, options.remove_mean);
  const auto n = static_cast<double>(x.size());
  // Conventions of the reference code (see docs/metrics.md): velocities divide by the recording
  // duration n/rate; time-normalised area and mean frequency by the span of the n-1 steps.
  const double duration = n / rate_hz;
  const double step_span = (n - 1.0) / rate_hz;

  const detail::PathLengths path = detail::path_lengths(x, y);
  const detail::RadialStats radial = detail::radial_stats(x, y);

  AnalysisResult r;
  r.test = "quiet-stance";
  auto add = [&](const char* name, double value, Unit unit) {
    r.measures.push_back({name, value, unit});
  };
  add("cop_path_length", path.total, Unit::metre);
  add("cop_path_length_ml", path.ml, Unit::metre);
  add("cop_path_length_ap", path.ap, Unit::metre);
  add("cop_mean_velocity", path.total / duration, Unit::metre_per_second);
  add("cop_mean_velocity_ml", path.ml / duration, Unit::metre_per_second);
  add("cop_mean_velocity_ap", path.ap / duration, Unit::metre_per_second);
  add("cop_mean_distance", radial.mean, Unit::metre);
  add("cop_rms_ml", detail::root_mean_square(x), Unit::metre);
  add("cop_rms_ap", detail::root_mean_square(y), Unit::metre);
  add("cop_rms", radial.rms, Unit::metre);
  add("cop_range_ml", detail::range(x), Unit::metre);
  add("cop_range_ap", detail::range(y), Unit::metre);
  add("cop_max_distance", radial.max, Unit::metre);
  add("cop_ellipse95_area", detail::ellipse95_area(x, y), Unit::square_metre);
  add("cop_sway_area_per_second", detail::swept_area(x, y) / step_span,
      Unit::square_metre_per_second);
  add("cop_mean_frequency", mean_frequency(path.total / step_span, radial.mean, r.warnings),
      Unit::hertz);
  add("duration", duration, Unit::second);
  add("sample_count", n, Unit::dimensionless);
  return r;
}

}  // namespace fp::analysis
