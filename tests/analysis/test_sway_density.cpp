// Sway density curve (Baratto et al. 2002): the fast search against checking every sample, a
// circle in closed form, and peaks of a stop-and-go motion whose timing is known.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "forceplate/analysis/measure.hpp"
#include "forceplate/analysis/sway_density.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double radius = 0.0025;

// Samples in the run of consecutive samples within r of sample i, checking every sample.
double brute_force(const std::vector<double>& x, const std::vector<double>& y, std::size_t i,
                   double r, double rate) {
  const auto inside = [&](std::size_t j) {
    const double dx = x[j] - x[i], dy = y[j] - y[i];
    return dx * dx + dy * dy <= r * r;
  };
  std::size_t end = i + 1;
  while (end < x.size() && inside(end)) ++end;
  std::size_t begin = i;
  while (begin > 0 && inside(begin - 1)) --begin;
  return static_cast<double>(end - begin) / rate;
}

TEST(SwayDensityCurve, RandomWalk_EqualsCheckingEverySample) {
  std::mt19937_64 rng(4);
  std::normal_distribution<double> step(0.0, 3e-4);
  std::vector<double> x(5000, 0.0), y(5000, 0.0);
  for (std::size_t i = 1; i < x.size(); ++i) {
    x[i] = 0.995 * x[i - 1] + step(rng);
    y[i] = 0.995 * y[i - 1] + step(rng);
  }
  const auto curve = sway_density_curve(x, y, 100.0, radius);
  ASSERT_EQ(curve.size(), x.size());
  double longest = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(curve[i], brute_force(x, y, i, radius, 100.0)) << i;
    longest = std::max(longest, curve[i]);
  }
  EXPECT_GT(longest, 0.5);  // the walk does dwell, so long runs were exercised
  const auto strided = sway_density_curve(x, y, 100.0, radius, 7);
  ASSERT_EQ(strided.size(), (x.size() + 6) / 7);
  for (std::size_t k = 0; k < strided.size(); ++k) EXPECT_EQ(strided[k], curve[7 * k]);
}

// On a circle of radius 10 mm, sample j is within 2.5 mm of sample i while the chord
// 2 rho sin(|j - i| dtheta / 2) <= r: a run of 2 floor(2 asin(r / (2 rho)) / dtheta) + 1 samples.
TEST(SwayDensityCurve, Circle_EveryRunHasTheChordLength) {
  const double rho = 0.010;
  const int per_turn = 1000;
  const auto t = testing::circle(rho, 3, per_turn, 100.0, false);
  const auto curve = sway_density_curve(t.x, t.y, 100.0, radius);
  const double dtheta = 2 * pi / per_turn;
  const double k = std::floor(2 * std::asin(radius / (2 * rho)) / dtheta);
  const double expected = (2 * k + 1) / 100.0;
  for (std::size_t i = 100; i + 100 < curve.size(); ++i) EXPECT_DOUBLE_EQ(curve[i], expected) << i;
}

TEST(SwayDensityCurve, CopThatNeverLeavesTheCircle_IsTheWholeTraceEverywhere) {
  const std::vector<double> x(1000, 0.01), y(1000, -0.02);
  for (double v : sway_density_curve(x, y, 100.0, radius)) EXPECT_DOUBLE_EQ(v, 10.0);
}

// Round a circle of radius 20 mm with angular speed w0 (1 - cos(2 pi t / T)), T = 0.5 s: the COP
// stops every T, six times a turn, so consecutive stops are one radius apart (a hexagon). A
// stop's run lasts 2 tau, where the chord from the stop reaches r after tau:
// 2 rho sin(w0 (tau - T/(2 pi) sin(2 pi tau / T)) / 2) = r. The curve is a flat-topped pulse
// around each stop with a 50 % duty cycle, which the 2.5 Hz smoothing turns into one hump
// centred on the stop (even harmonics vanish, the third is cut by 30 dB).
class StopAndGo : public ::testing::Test {
 protected:
  static constexpr double rho = 0.020;
  static constexpr double period = 0.5;
  static constexpr double w0 = 2 * pi / 6 / period;  // a sixth of a turn per period
  static constexpr std::size_t seconds = 60;
  static void make(double rate, std::vector<double>& x, std::vector<double>& y) {
    for (std::size_t i = 0; i < static_cast<std::size_t>(seconds * rate); ++i) {
      const double t = static_cast<double>(i) / rate;
      const double angle = w0 * (t - period / (2 * pi) * std::sin(2 * pi * t / period));
      x.push_back(rho * std::cos(angle));
      y.push_back(rho * std::sin(angle));
    }
  }
  void SetUp() override { make(100.0, x_, y_); }
  static double dwell() {  // tau by bisection
    double lo = 0, hi = period / 2;
    for (int i = 0; i < 100; ++i) {
      const double mid = (lo + hi) / 2;
      const double angle = w0 * (mid - period / (2 * pi) * std::sin(2 * pi * mid / period));
      (2 * rho * std::sin(angle / 2) <= radius ? lo : hi) = mid;
    }
    return lo;
  }
  std::vector<double> x_, y_;
};

TEST_F(StopAndGo, SmoothedPeaks_AreTheStopsOneRadiusAndOnePeriodApart) {
  const SwayDensityMeasures m = sway_density_measures(x_, y_, 100.0);
  EXPECT_EQ(m.peak_count, 119U);  // stops at 0.5, 1.0, ..., 59.5 s (t = 0 is the first sample)
  EXPECT_NEAR(m.mean_interval_s, period, 1e-9);
  EXPECT_NEAR(m.mean_distance_m, rho, 1e-9);
  EXPECT_EQ(m.problem, nullptr);
  // Smoothing lowers the flat top of the pulse, but the peaks stay above its middle.
  EXPECT_LT(m.mean_peak_s, 2 * dwell());
  EXPECT_GT(m.mean_peak_s, dwell());
}

// Unsmoothed, the flat top of each pulse is the stop's run, 2 floor(tau * rate) + 1 samples, with
// one-sample ripples from its neighbours (each ripple then counts as a peak of its own: equal
// peaks do not hide each other, so only the height is checked here).
TEST_F(StopAndGo, UnsmoothedPeaks_HaveTheDwellTimeOfAStop) {
  SwayDensityOptions o;
  o.smoothing.reset();
  o.min_peak_prominence_s = 0.1;
  const SwayDensityMeasures m = sway_density_measures(x_, y_, 100.0, o);
  EXPECT_GE(m.peak_count, 119U);
  EXPECT_NEAR(m.mean_peak_s, (2 * std::floor(dwell() * 100.0) + 1) / 100.0, 1.5 / 100.0);
}

// At 1 kHz the curve is evaluated every 10th sample by default; against every sample the
// measures agree closely (the smoothed curve has nothing near the 50 Hz Nyquist of the grid).
TEST_F(StopAndGo, OneKilohertzOnTheDefaultGrid_AgreesWithEverySample) {
  std::vector<double> x, y;
  make(1000.0, x, y);
  SwayDensityOptions every;
  every.curve_rate_hz = 1000;
  const SwayDensityMeasures grid = sway_density_measures(x, y, 1000.0);
  const SwayDensityMeasures full = sway_density_measures(x, y, 1000.0, every);
  EXPECT_EQ(grid.peak_count, 119U);
  EXPECT_EQ(full.peak_count, 119U);
  EXPECT_NEAR(grid.mean_peak_s, full.mean_peak_s, 0.005 * full.mean_peak_s);
  EXPECT_NEAR(grid.mean_interval_s, period, 1e-9);
  // The filter's edge handling may move the first or last hump by a few milliseconds.
  EXPECT_NEAR(full.mean_interval_s, period, 0.01 / 118);
  EXPECT_NEAR(grid.mean_distance_m, rho, 1e-9);
}

TEST(SwayDensityMeasures, CopThatNeverMoves_HasNoPeaksAndSaysSo) {
  const std::vector<double> x(3000, 0.0), y(3000, 0.0);
  const SwayDensityMeasures m = sway_density_measures(x, y, 100.0);
  EXPECT_EQ(m.peak_count, 0U);
  EXPECT_TRUE(std::isnan(m.mean_peak_s));
  EXPECT_NE(m.problem, nullptr);
}

TEST(SwayDensityCurve, BadRadiusOrStride_Throws) {
  const std::vector<double> x(10, 0.0);
  EXPECT_THROW(sway_density_curve(x, x, 100.0, 0.0), AnalysisError);
  EXPECT_THROW(sway_density_curve(x, x, 100.0, radius, 0), AnalysisError);
}

}  // namespace
}  // namespace fp::analysis
