#include "forceplate/analysis/quiet_stance.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "checks.hpp"
#include "forceplate/analysis/sway.hpp"
#include "positional.hpp"

namespace fp::analysis {

namespace {
constexpr const char* where = "analyze_quiet_stance";
constexpr double min_duration_s = 2.0;
constexpr std::size_t min_samples = 3;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

class Adder {
 public:
  explicit Adder(AnalysisResult& r) : r_(r) {}
  void operator()(const std::string& name, double value, Unit unit) {
    r_.measures.push_back({name, value, unit});
  }
  void warn(const std::string& w) { r_.warnings.push_back(w); }

 private:
  AnalysisResult& r_;
};

void add_positional(Adder& add, const std::vector<double>& x, const std::vector<double>& y,
                    double rate_hz, const AnalysisResult& basic) {
  add("cop_mean_distance_ml", detail::mean_absolute(x), Unit::metre);
  add("cop_mean_distance_ap", detail::mean_absolute(y), Unit::metre);
  const detail::PeakSpeeds v = detail::peak_speeds(x, y, rate_hz);
  add("cop_peak_velocity", v.planar, Unit::metre_per_second);
  add("cop_peak_velocity_ml", v.ml, Unit::metre_per_second);
  add("cop_peak_velocity_ap", v.ap, Unit::metre_per_second);
  const detail::EllipseAxes e = detail::ellipse95_axes(x, y);
  add("cop_ellipse95_major_axis", e.major, Unit::metre);
  add("cop_ellipse95_minor_axis", e.minor, Unit::metre);
  add("cop_ellipse95_angle", e.angle_rad, Unit::radian);
  add("cop_circle95_area", detail::circle95_area(x, y), Unit::square_metre);
  const double fd = detail::fractal_dimension_ce(static_cast<double>(x.size()),
                                                 basic.find("cop_path_length")->value,
                                                 basic.find("cop_ellipse95_area")->value);
  if (!std::isfinite(fd)) add.warn("fractal dimension undefined: the COP has no path or no area");
  add("cop_fractal_dimension", std::isfinite(fd) ? fd : nan, Unit::dimensionless);
}

void add_spectrum(Adder& add, const std::vector<double>& v, const char* series, double rate_hz,
                  const WelchOptions& options) {
  const PowerSpectrum s = welch_power_spectrum(v, rate_hz, options);
  const bool has_power = std::reduce(s.density.begin(), s.density.end()) > 0;
  SpectralMeasures m{nan, nan, nan, nan, nan, nan, nan, nan, nan, nan};
  if (has_power) {
    m = spectral_measures(s);
  } else {
    add.warn(std::string("spectrum (") + series + "): no power, the measures are undefined (NaN)");
  }
  const std::string suffix = std::string("_") + series;
  add("cop_total_power" + suffix, has_power ? m.total_power : 0.0, Unit::square_metre);
  add("cop_peak_frequency" + suffix, m.peak_frequency_hz, Unit::hertz);
  add("cop_power_frequency_50" + suffix, m.power_frequency_50_hz, Unit::hertz);
  add("cop_power_frequency_95" + suffix, m.power_frequency_95_hz, Unit::hertz);
  add("cop_mean_power_frequency" + suffix, m.mean_power_frequency_hz, Unit::hertz);
  add("cop_centroidal_frequency" + suffix, m.centroidal_frequency_hz, Unit::hertz);
  add("cop_frequency_dispersion" + suffix, m.frequency_dispersion, Unit::dimensionless);
  add("cop_power_below_0p5hz" + suffix, m.percent_below_0p5_hz, Unit::percent);
  add("cop_power_0p5_to_2hz" + suffix, m.percent_0p5_to_2_hz, Unit::percent);
  add("cop_power_above_2hz" + suffix, m.percent_above_2_hz, Unit::percent);
}

void add_diffusion(Adder& add, const std::vector<double>& msd, const char* series, double rate_hz,
                   const DiffusionOptions& options) {
  const DiffusionMeasures d = diffusion_measures(msd, rate_hz, options);
  if (d.problem != nullptr)
    add.warn(std::string("stabilogram diffusion (") + series + "): " + d.problem);
  const std::string suffix = std::string("_") + series;
  add("cop_diffusion_short" + suffix, d.short_term_diffusion, Unit::square_metre_per_second);
  add("cop_diffusion_long" + suffix, d.long_term_diffusion, Unit::square_metre_per_second);
  add("cop_diffusion_scaling_short" + suffix, d.short_term_scaling, Unit::dimensionless);
  add("cop_diffusion_scaling_long" + suffix, d.long_term_scaling, Unit::dimensionless);
  add("cop_diffusion_critical_time" + suffix, d.critical_time_s, Unit::second);
  add("cop_diffusion_critical_msd" + suffix, d.critical_msd, Unit::square_metre);
}

void add_all_diffusion(Adder& add, const std::vector<double>& x, const std::vector<double>& y,
                       double rate_hz, const DiffusionOptions& options) {
  const double longest = std::max(options.short_to_s, options.long_to_s) * rate_hz;
  // The lag ranges are checked by diffusion_measures even when the trace is too short for them.
  const auto max_lag = static_cast<std::size_t>(
      std::min(std::floor(longest + 1e-9), static_cast<double>(x.size() - 1)));
  const std::vector<double> mx = mean_square_displacement(x, max_lag);
  const std::vector<double> my = mean_square_displacement(y, max_lag);
  std::vector<double> planar(mx.size());
  for (std::size_t m = 0; m < planar.size(); ++m) planar[m] = mx[m] + my[m];
  add_diffusion(add, mx, "ml", rate_hz, options);
  add_diffusion(add, my, "ap", rate_hz, options);
  add_diffusion(add, planar, "planar", rate_hz, options);
}

void add_sway_density(Adder& add, const std::vector<double>& x, const std::vector<double>& y,
                      double rate_hz, const SwayDensityOptions& options) {
  const SwayDensityMeasures s = sway_density_measures(x, y, rate_hz, options);
  if (s.problem != nullptr) add.warn(std::string("sway density: ") + s.problem);
  add("cop_sway_density_peak_count", static_cast<double>(s.peak_count), Unit::dimensionless);
  add("cop_sway_density_mean_peak", s.mean_peak_s, Unit::second);
  add("cop_sway_density_mean_distance", s.mean_distance_m, Unit::metre);
  add("cop_sway_density_mean_interval", s.mean_interval_s, Unit::second);
}
}  // namespace

AnalysisResult analyze_quiet_stance(std::span<const double> x_in, std::span<const double> y_in,
                                    double rate_hz, const QuietStanceOptions& options) {
  detail::check_rate(where, rate_hz);
  detail::check_same_length(where, "x", x_in.size(), "y", y_in.size());
  detail::check_duration(where, x_in.size(), rate_hz, min_duration_s, min_samples);
  PreparedCop p = prepare_cop(x_in, y_in, rate_hz, options.preprocessing);
  detail::check_duration(where, p.x.size(), rate_hz, min_duration_s, min_samples);

  // The data are already centred (or deliberately not): the reference measures take them as is.
  AnalysisResult r = analyze_sway(p.x, p.y, rate_hz, SwayOptions{.remove_mean = false});
  r.processing = std::move(p.processing);
  Adder add(r);
  add_positional(add, p.x, p.y, rate_hz, r);
  std::vector<double> radial(p.x.size());
  for (std::size_t i = 0; i < radial.size(); ++i)
    radial[i] = std::sqrt(p.x[i] * p.x[i] + p.y[i] * p.y[i]);
  add_spectrum(add, p.x, "ml", rate_hz, options.spectrum);
  add_spectrum(add, p.y, "ap", rate_hz, options.spectrum);
  add_spectrum(add, radial, "rd", rate_hz, options.spectrum);
  add_all_diffusion(add, p.x, p.y, rate_hz, options.diffusion);
  add_sway_density(add, p.x, p.y, rate_hz, options.sway_density);
  return r;
}

}  // namespace fp::analysis
