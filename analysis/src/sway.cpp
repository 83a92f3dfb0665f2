#include "forceplate/analysis/sway.hpp"

#include <cmath>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "sway_metrics.hpp"

namespace fp::analysis {

namespace {
constexpr double min_duration_s = 2.0;
constexpr std::size_t min_samples = 3;  // the ellipse's F(2, n-2) needs n > 2

[[noreturn]] void fail(const std::string& what) { throw AnalysisError("analyze_sway: " + what); }

template <typename T>
std::string str(T v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void check_finite(std::span<const double> v, const char* axis) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      fail(std::string(axis) + "[" + str(i) + "] is not finite (" + str(v[i]) + ")");
    }
  }
}

void validate(std::span<const double> x, std::span<const double> y, double rate_hz) {
  if (!std::isfinite(rate_hz) || rate_hz <= 0) {
    fail("sampling rate must be positive and finite, got " + str(rate_hz) + " Hz");
  }
  if (x.size() != y.size()) {
    fail("x has " + str(x.size()) + " samples but y has " + str(y.size()));
  }
  if (static_cast<double>(x.size()) < min_duration_s * rate_hz) {
    fail(str(x.size()) + " samples at " + str(rate_hz) + " Hz last less than " +
         str(min_duration_s) + " s");
  }
  if (x.size() < min_samples) {
    fail("need at least " + str(min_samples) + " samples, got " + str(x.size()));
  }
  check_finite(x, "x");
  check_finite(y, "y");
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
