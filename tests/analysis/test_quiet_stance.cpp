// The full quiet-stance set: names and units, positional and ellipse measures in closed form,
// pre-processing records, and input errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "forceplate/analysis/quiet_stance.hpp"
#include "forceplate/analysis/sway.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

using testing::value;
constexpr double pi = std::numbers::pi;
constexpr double rate = 100.0;

QuietStanceOptions raw() {
  QuietStanceOptions o;
  o.preprocessing.lowpass.reset();
  return o;
}

template <typename Call>
std::string error_of(Call call) {
  try {
    call();
  } catch (const AnalysisError& e) {
    return e.what();
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// F'(n) = F_0.95(2, n-2) (n+1)(n-1) / (n(n-2)), F in closed form for two degrees of freedom.
double ellipse_factor(double n) {
  const double m = n - 2;
  return m / 2 * (std::pow(0.05, -2 / m) - 1) * (n + 1) * (n - 1) / (n * (n - 2));
}

TEST(QuietStanceNames, EveryMeasure_IsUniqueSnakeCaseWithTheDocumentedUnit) {
  const auto t = testing::white_noise(0.003, 0.002, 3000, rate, 9);
  const AnalysisResult r = analyze_quiet_stance(t.x, t.y, rate);
  EXPECT_EQ(r.test, "quiet-stance");
  std::set<std::string> names;
  for (const Measure& m : r.measures) {
    EXPECT_TRUE(names.insert(m.name).second) << "duplicate " << m.name;
    for (char c : m.name) EXPECT_TRUE(std::islower(c) || std::isdigit(c) || c == '_') << m.name;
  }
  EXPECT_EQ(r.measures.size(), 18U + 10U + 30U + 18U + 4U);
  const std::vector<std::pair<std::string, Unit>> expected{
      {"cop_mean_distance_ml", Unit::metre},
      {"cop_mean_distance_ap", Unit::metre},
      {"cop_peak_velocity", Unit::metre_per_second},
      {"cop_ellipse95_major_axis", Unit::metre},
      {"cop_ellipse95_minor_axis", Unit::metre},
      {"cop_ellipse95_angle", Unit::radian},
      {"cop_circle95_area", Unit::square_metre},
      {"cop_fractal_dimension", Unit::dimensionless},
      {"cop_total_power_rd", Unit::square_metre},
      {"cop_power_frequency_50_ml", Unit::hertz},
      {"cop_power_frequency_95_ap", Unit::hertz},
      {"cop_centroidal_frequency_rd", Unit::hertz},
      {"cop_frequency_dispersion_ml", Unit::dimensionless},
      {"cop_power_below_0p5hz_ap", Unit::percent},
      {"cop_power_0p5_to_2hz_ap", Unit::percent},
      {"cop_power_above_2hz_rd", Unit::percent},
      {"cop_diffusion_short_planar", Unit::square_metre_per_second},
      {"cop_diffusion_scaling_long_ml", Unit::dimensionless},
      {"cop_diffusion_critical_time_ap", Unit::second},
      {"cop_diffusion_critical_msd_planar", Unit::square_metre},
      {"cop_sway_density_mean_peak", Unit::second},
      {"cop_sway_density_mean_distance", Unit::metre},
      {"cop_sway_density_mean_interval", Unit::second},
  };
  for (const auto& [name, unit] : expected) {
    const Measure* m = r.find(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->unit, unit) << name;
  }
}

TEST(QuietStanceDisplay, RadianShowsInDegreesAndPercentAsPercent) {
  const DisplayValue angle = to_display(Measure{"a", pi / 6, Unit::radian});
  EXPECT_NEAR(angle.value, 30.0, 1e-12);
  EXPECT_EQ(angle.unit, "deg");
  const DisplayValue share = to_display(Measure{"p", 42.5, Unit::percent});
  EXPECT_EQ(share.value, 42.5);
  EXPECT_EQ(share.unit, "%");
}

// Unfiltered, untrimmed, centred: the measures analyze_sway() reports are the same numbers.
TEST(QuietStanceRaw, SharedMeasures_EqualAnalyzeSway) {
  const auto t = testing::white_noise(0.003, 0.002, 3000, rate, 10);
  const AnalysisResult full = analyze_quiet_stance(t.x, t.y, rate, raw());
  const AnalysisResult basic = analyze_sway(t.x, t.y, rate);
  for (const Measure& m : basic.measures) EXPECT_EQ(value(full, m.name), m.value) << m.name;
}

// Circle of radius 10 mm: 3 turns of 2000 samples at 100 Hz.
class QuietStanceCircle : public ::testing::Test {
 protected:
  static constexpr double radius = 0.010;
  static constexpr int per_turn = 2000;
  void SetUp() override {
    trace_ = testing::circle(radius, 3, per_turn, rate, false);
    result_ = analyze_quiet_stance(trace_.x, trace_.y, rate, raw());
  }
  testing::Trace trace_;
  AnalysisResult result_;
};

// mean |cos| over equally spaced angles is 2/pi up to (pi/N)^2-sized terms.
TEST_F(QuietStanceCircle, MeanDistancePerAxis_IsTwoRadiiOverPi) {
  EXPECT_NEAR(value(result_, "cop_mean_distance_ml"), 2 * radius / pi, 1e-6 * radius);
  EXPECT_NEAR(value(result_, "cop_mean_distance_ap"), 2 * radius / pi, 1e-6 * radius);
}

// Central differences span two steps: |p[i+1] - p[i-1]| f/2 = R f sin(2 pi / N).
TEST_F(QuietStanceCircle, PeakVelocity_IsTheCentralDifferenceSpeed) {
  const double speed = radius * rate * std::sin(2 * pi / per_turn);
  EXPECT_NEAR(value(result_, "cop_peak_velocity"), speed, 1e-12 * speed);
  EXPECT_NEAR(value(result_, "cop_peak_velocity_ml"), speed, 1e-12 * speed);
  EXPECT_NEAR(value(result_, "cop_peak_velocity_ap"), speed, 1e-12 * speed);
}

// Variances R^2/2 on both axes: semi-axes R sqrt(F'); every distance is R, so s_RD = 0.
TEST_F(QuietStanceCircle, EllipseAxesAndConfidenceCircle_FollowTheRadius) {
  const double n = static_cast<double>(trace_.size());
  const double semi = radius * std::sqrt(ellipse_factor(n));
  EXPECT_NEAR(value(result_, "cop_ellipse95_major_axis"), semi, 1e-9 * semi);
  EXPECT_NEAR(value(result_, "cop_ellipse95_minor_axis"), semi, 1e-9 * semi);
  EXPECT_NEAR(value(result_, "cop_circle95_area"), pi * radius * radius, 1e-6 * radius * radius);
}

// FD-CE = log N / log(N d / L), d = 2 sqrt(a b) = 2 R sqrt(F'), L = N chords of 2 R sin(pi/N)
// per turn (the n-1 steps of the open circle).
TEST_F(QuietStanceCircle, FractalDimension_FollowsItsDefinition) {
  const double n = static_cast<double>(trace_.size());
  const double d = 2 * radius * std::sqrt(ellipse_factor(n));
  const double path = (n - 1) * 2 * radius * std::sin(pi / per_turn);
  EXPECT_NEAR(value(result_, "cop_fractal_dimension"), std::log(n) / std::log(n * d / path), 1e-9);
}

// An ellipse of semi-axes 8 and 3 mm turned 30 degrees from +x toward +y: covariance eigenvalues
// a^2/2 and b^2/2 along those directions.
TEST(QuietStanceEllipse, RotatedEllipse_AxesAndAngleAreRecovered) {
  const double a = 0.008, b = 0.003, phi = pi / 6;
  const std::size_t n = 3000;
  std::vector<double> x, y;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = 2 * pi * 5 * static_cast<double>(i) / static_cast<double>(n);
    x.push_back(a * std::cos(t) * std::cos(phi) - b * std::sin(t) * std::sin(phi));
    y.push_back(a * std::cos(t) * std::sin(phi) + b * std::sin(t) * std::cos(phi));
  }
  const AnalysisResult r = analyze_quiet_stance(x, y, rate, raw());
  const double k = std::sqrt(ellipse_factor(static_cast<double>(n)));
  EXPECT_NEAR(value(r, "cop_ellipse95_major_axis"), a * k, 1e-9 * a);
  EXPECT_NEAR(value(r, "cop_ellipse95_minor_axis"), b * k, 1e-9 * b);
  EXPECT_NEAR(value(r, "cop_ellipse95_angle"), phi, 1e-9);
  EXPECT_NEAR(pi * value(r, "cop_ellipse95_major_axis") * value(r, "cop_ellipse95_minor_axis"),
              value(r, "cop_ellipse95_area"), 1e-9 * value(r, "cop_ellipse95_area"));
}

TEST(QuietStanceEllipse, MirroredEllipse_HasTheNegativeAngle) {
  const double a = 0.008, b = 0.003, phi = -pi / 3;
  std::vector<double> x, y;
  for (std::size_t i = 0; i < 3000; ++i) {
    const double t = 2 * pi * 5 * static_cast<double>(i) / 3000.0;
    x.push_back(a * std::cos(t) * std::cos(phi) - b * std::sin(t) * std::sin(phi));
    y.push_back(a * std::cos(t) * std::sin(phi) + b * std::sin(t) * std::cos(phi));
  }
  EXPECT_NEAR(value(analyze_quiet_stance(x, y, rate, raw()), "cop_ellipse95_angle"), phi, 1e-9);
}

// A 0.5 Hz mediolateral sine (bin 5 of 10 s segments): its spectrum peaks there; the AP axis
// does not move, so its spectral measures are undefined and say so.
TEST(QuietStanceSpectrum, MediolateralSine_PeaksAtItsFrequencyAndStillApWarns) {
  const auto t = testing::sine_ml(0.008, 30, 200, rate, false);
  const AnalysisResult r = analyze_quiet_stance(t.x, t.y, rate, raw());
  EXPECT_DOUBLE_EQ(value(r, "cop_peak_frequency_ml"), 0.5);
  EXPECT_NEAR(value(r, "cop_mean_power_frequency_ml"), 0.5, 1e-9);
  EXPECT_NEAR(value(r, "cop_power_frequency_50_ml"), 0.5, 1e-9);
  EXPECT_NEAR(value(r, "cop_total_power_ml"), 0.008 * 0.008 / 2, 1e-9 * 0.008 * 0.008);
  EXPECT_EQ(value(r, "cop_total_power_ap"), 0.0);
  EXPECT_TRUE(std::isnan(value(r, "cop_peak_frequency_ap")));
  bool warned = false;
  for (const std::string& w : r.warnings) warned |= contains(w, "spectrum (ap)");
  EXPECT_TRUE(warned);
}

// Turning at 0.1 Hz on a radius of 10 mm that breathes +-2 mm at 1 Hz: whole cycles keep the mean
// at the centre, so the radial distance is 10 mm + 2 mm sin(2 pi t): power (2 mm)^2 / 2 at 1 Hz.
TEST(QuietStanceSpectrum, BreathingCircle_RadialSpectrumIsTheBreathing) {
  std::vector<double> x, y;
  for (std::size_t i = 0; i < 6000; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double r = 0.010 + 0.002 * std::sin(2 * pi * t);
    x.push_back(r * std::cos(2 * pi * 0.1 * t));
    y.push_back(r * std::sin(2 * pi * 0.1 * t));
  }
  const AnalysisResult r = analyze_quiet_stance(x, y, rate, raw());
  EXPECT_NEAR(value(r, "cop_total_power_rd"), 0.002 * 0.002 / 2, 1e-6 * 0.002 * 0.002);
  EXPECT_DOUBLE_EQ(value(r, "cop_peak_frequency_rd"), 1.0);
  EXPECT_NEAR(value(r, "cop_mean_power_frequency_rd"), 1.0, 1e-6);
  EXPECT_NEAR(value(r, "cop_power_0p5_to_2hz_rd"), 100.0, 1e-6);
}

// A random walk (step sd s at 100 Hz) through the whole pipeline: D = s^2 f / 2 per axis.
TEST(QuietStanceDiffusion, RandomWalk_ShortTermDiffusionIsRecovered) {
  const double s = 2e-4;
  std::mt19937_64 rng(21);
  std::normal_distribution<double> step(0.0, s);
  std::vector<double> x(60000, 0.0), y(60000, 0.0);
  for (std::size_t i = 1; i < x.size(); ++i) {
    x[i] = x[i - 1] + step(rng);
    y[i] = y[i - 1] + step(rng);
  }
  for (std::size_t i = 0; i < x.size(); ++i) {  // keep it on a plate: +-1 m is far away
    x[i] -= x.front();
    y[i] -= y.front();
  }
  const AnalysisResult r = analyze_quiet_stance(x, y, rate, raw());
  const double d = s * s * rate / 2;
  EXPECT_NEAR(value(r, "cop_diffusion_short_ml"), d, 0.1 * d);
  EXPECT_NEAR(value(r, "cop_diffusion_short_planar"), 2 * d, 0.1 * 2 * d);
  EXPECT_NEAR(value(r, "cop_diffusion_scaling_short_ap"), 0.5, 0.03);
}

TEST(QuietStanceShort, FiveSecondTrace_DiffusionIsNaNWithAWarningRestIsFinite) {
  const auto t = testing::white_noise(0.003, 0.002, 500, rate, 3);
  const AnalysisResult r = analyze_quiet_stance(t.x, t.y, rate);
  for (const Measure& m : r.measures) {
    if (m.name.rfind("cop_diffusion_", 0) == 0) {
      EXPECT_TRUE(std::isnan(m.value)) << m.name;
    } else if (m.name.rfind("cop_sway_density_", 0) != 0) {
      EXPECT_TRUE(std::isfinite(m.value)) << m.name;
    }
  }
  int diffusion_warnings = 0;
  for (const std::string& w : r.warnings)
    diffusion_warnings += contains(w, "stabilogram diffusion");
  EXPECT_EQ(diffusion_warnings, 3);
}

TEST(QuietStanceProcessing, DefaultPipeline_RecordsFilterWholeRecordingAndMean) {
  const auto t = testing::white_noise(0.003, 0.002, 3000, rate, 4);
  const AnalysisResult r = analyze_quiet_stance(t.x, t.y, rate);
  ASSERT_EQ(r.processing.size(), 3U);
  EXPECT_TRUE(contains(r.processing[0], "effective order 4") &&
              contains(r.processing[0], "cut-off 10 Hz") && contains(r.processing[0], "-6 dB"))
      << r.processing[0];
  EXPECT_TRUE(contains(r.processing[1], "whole recording")) << r.processing[1];
  EXPECT_TRUE(contains(r.processing[2], "mean removed")) << r.processing[2];
}

// The middle 20 s of 30 s, unfiltered, is the analysis of samples 500 .. 2499.
TEST(QuietStanceProcessing, MiddleTwentySeconds_AreTheSliceOfTheTrace) {
  const auto t = testing::white_noise(0.003, 0.002, 3000, rate, 5);
  QuietStanceOptions o = raw();
  o.preprocessing.window = middle_window(30.0, 20.0);
  const AnalysisResult r = analyze_quiet_stance(t.x, t.y, rate, o);
  const std::vector<double> xs(t.x.begin() + 500, t.x.begin() + 2500);
  const std::vector<double> ys(t.y.begin() + 500, t.y.begin() + 2500);
  const AnalysisResult slice = analyze_quiet_stance(xs, ys, rate, raw());
  EXPECT_EQ(value(r, "sample_count"), 2000.0);
  for (const Measure& m : slice.measures) {
    if (std::isnan(m.value)) continue;
    EXPECT_NEAR(value(r, m.name), m.value, 1e-12 * std::abs(m.value)) << m.name;
  }
  EXPECT_TRUE(contains(r.processing[1], "5 s to 25 s") && contains(r.processing[1], "2000 samples"))
      << r.processing[1];
}

TEST(QuietStanceProcessing, MeanKept_DistancesAreFromThePlateCentre) {
  const auto t = testing::circle(0.010, 3, 2000, rate, false, 0.005, 0.0);
  QuietStanceOptions o = raw();
  o.preprocessing.remove_mean = false;
  const AnalysisResult r = analyze_quiet_stance(t.x, t.y, rate, o);
  EXPECT_NEAR(value(r, "cop_max_distance"), 0.015, 1e-12);
  EXPECT_TRUE(contains(r.processing[2], "mean kept")) << r.processing[2];
}

TEST(QuietStanceErrors, CopInMillimetres_AsksWhetherTheyAreMm) {
  auto t = testing::white_noise(3.0, 2.0, 3000, rate, 6);  // mm passed as m
  const std::string msg = error_of([&] { analyze_quiet_stance(t.x, t.y, rate); });
  EXPECT_TRUE(contains(msg, "COP values up to") && contains(msg, "m: are they in mm?")) << msg;
}

TEST(QuietStanceErrors, MissingSample_NamesAxisAndIndex) {
  auto t = testing::white_noise(0.003, 0.002, 3000, rate, 7);
  t.y[1234] = std::numeric_limits<double>::quiet_NaN();
  const std::string msg = error_of([&] { analyze_quiet_stance(t.x, t.y, rate); });
  EXPECT_TRUE(contains(msg, "y[1234]") && contains(msg, "missing")) << msg;
}

TEST(QuietStanceErrors, WindowLeavingLessThanTwoSeconds_Throws) {
  const auto t = testing::white_noise(0.003, 0.002, 3000, rate, 8);
  QuietStanceOptions o;
  o.preprocessing.window = TimeWindow{10.0, 11.5};
  const std::string msg = error_of([&] { analyze_quiet_stance(t.x, t.y, rate, o); });
  EXPECT_TRUE(contains(msg, "150 samples") && contains(msg, "2 s")) << msg;
}

TEST(QuietStanceErrors, DefaultCutoffAboveNyquistOfA15HzRecording_Throws) {
  const auto t = testing::white_noise(0.003, 0.002, 300, 15.0, 9);
  const std::string msg = error_of([&] { analyze_quiet_stance(t.x, t.y, 15.0); });
  EXPECT_TRUE(contains(msg, "Nyquist")) << msg;
}

}  // namespace
}  // namespace fp::analysis
