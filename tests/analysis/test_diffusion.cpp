// Stabilogram diffusion (Collins & De Luca 1993): the FFT mean square displacement against the
// direct sum, Brownian motion of known diffusion coefficient, and the critical point of a curve
// made of two straight lines.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "forceplate/analysis/diffusion.hpp"
#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {
namespace {

std::vector<double> random_walk(std::size_t n, double step_sd, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0.0, step_sd);
  std::vector<double> x(n, 0.0);
  for (std::size_t i = 1; i < n; ++i) x[i] = x[i - 1] + step(rng);
  return x;
}

TEST(MeanSquareDisplacement, FftResult_EqualsTheDirectSumAtEveryLag) {
  auto x = random_walk(3001, 1e-4, 3);
  for (double& v : x) v += 0.25;  // an offset the algorithm must not care about
  const std::size_t max_lag = 1000;
  const auto msd = mean_square_displacement(x, max_lag);
  ASSERT_EQ(msd.size(), max_lag + 1);
  EXPECT_EQ(msd[0], 0.0);
  for (std::size_t m = 1; m <= max_lag; ++m) {
    double sum = 0;
    for (std::size_t i = 0; i + m < x.size(); ++i) sum += (x[i + m] - x[i]) * (x[i + m] - x[i]);
    const double direct = sum / static_cast<double>(x.size() - m);
    EXPECT_NEAR(msd[m], direct, 1e-9 * direct) << "lag " << m;
  }
}

TEST(MeanSquareDisplacement, LagAsLongAsTheSeries_Throws) {
  const std::vector<double> x(100, 0.0);
  EXPECT_THROW(mean_square_displacement(x, 100), AnalysisError);
  EXPECT_NO_THROW(mean_square_displacement(x, 99));
}

// A random walk with step sd s per sample at rate f has <dx^2> = s^2 f dt = 2 D dt:
// D = s^2 f / 2 on each axis and the scaling exponent is 1/2 at every lag. 10 h at 10 Hz: the
// long-term fit (1-10 s lags) then has a standard error of about 2.5 % (7.5 % for one hour,
// measured over 40 seeds), so 10 % is four standard errors.
class BrownianMotion : public ::testing::Test {
 protected:
  static constexpr double rate = 10.0;
  static constexpr std::size_t n = 360000;
  static constexpr double step_sd = 3e-4;  // m per sample
  static constexpr double d_axis = step_sd * step_sd * rate / 2;
  void SetUp() override {
    x_ = random_walk(n, step_sd, 11);
    y_ = random_walk(n, step_sd, 12);
    const auto mx = mean_square_displacement(x_, 100);
    const auto my = mean_square_displacement(y_, 100);
    std::vector<double> planar(mx.size());
    for (std::size_t m = 0; m < planar.size(); ++m) planar[m] = mx[m] + my[m];
    x_measures_ = diffusion_measures(mx, rate);
    planar_measures_ = diffusion_measures(planar, rate);
  }
  std::vector<double> x_, y_;
  DiffusionMeasures x_measures_, planar_measures_;
};

TEST_F(BrownianMotion, DiffusionCoefficients_AreRecoveredWithinTenPercent) {
  EXPECT_NEAR(x_measures_.short_term_diffusion, d_axis, 0.1 * d_axis);
  EXPECT_NEAR(x_measures_.long_term_diffusion, d_axis, 0.1 * d_axis);
}

// Collins & De Luca's planar convention <dr^2> = 2 D_r dt makes D_r = D_x + D_y.
TEST_F(BrownianMotion, PlanarDiffusion_IsTheSumOfTheAxes) {
  EXPECT_NEAR(planar_measures_.short_term_diffusion, 2 * d_axis, 0.1 * 2 * d_axis);
  EXPECT_NEAR(planar_measures_.long_term_diffusion, 2 * d_axis, 0.1 * 2 * d_axis);
}

TEST_F(BrownianMotion, ScalingExponents_AreOneHalf) {
  EXPECT_NEAR(x_measures_.short_term_scaling, 0.5, 0.02);
  EXPECT_NEAR(x_measures_.long_term_scaling, 0.5, 0.05);
  EXPECT_NEAR(planar_measures_.short_term_scaling, 0.5, 0.02);
  EXPECT_NEAR(planar_measures_.long_term_scaling, 0.5, 0.05);
}

// MSD rising at 20 mm^2/s to a knee at 0.9 s, then at 2 mm^2/s (slopes 2 D). With the short-term
// region ending at the knee (0.01 .. 0.9 s) and the long-term region the default 1 .. 10 s, each
// region lies on one straight piece: both fits are exact and the lines cross at the knee.
TEST(DiffusionMeasures, TwoStraightPieces_CriticalPointIsTheKnee) {
  const double rate = 100.0;
  const double knee_s = 0.9, knee_msd = 18e-6;
  const double short_slope = 20e-6, long_slope = 2e-6;
  std::vector<double> msd(1001);
  for (std::size_t m = 0; m < msd.size(); ++m) {
    const double t = static_cast<double>(m) / rate;
    msd[m] = t <= knee_s ? short_slope * t : knee_msd + long_slope * (t - knee_s);
  }
  DiffusionOptions o;
  o.short_to_s = knee_s;  // short region 0.01 .. 0.9 s, long region 1 .. 10 s
  const DiffusionMeasures d = diffusion_measures(msd, rate, o);
  EXPECT_NEAR(d.short_term_diffusion, short_slope / 2, 1e-12);
  EXPECT_NEAR(d.long_term_diffusion, long_slope / 2, 1e-12);
  EXPECT_NEAR(d.critical_time_s, knee_s, 1e-9);
  EXPECT_NEAR(d.critical_msd, knee_msd, 1e-15);
  EXPECT_NEAR(d.short_term_scaling, 0.5, 1e-12);  // MSD proportional to dt: slope 1 in log-log
  EXPECT_EQ(d.problem, nullptr);
}

TEST(DiffusionMeasures, CurveShorterThanTheLongTermRegion_IsNaNWithAReason) {
  const std::vector<double> msd(501, 1e-6);  // 5 s of lags at 100 Hz
  const DiffusionMeasures d = diffusion_measures(msd, 100.0);
  EXPECT_TRUE(std::isnan(d.long_term_diffusion));
  EXPECT_TRUE(std::isnan(d.critical_time_s));
  ASSERT_NE(d.problem, nullptr);
  EXPECT_NE(std::string(d.problem).find("shorter"), std::string::npos);
}

TEST(DiffusionMeasures, UnorderedOrEmptyRegion_Throws) {
  const std::vector<double> msd(1001, 1e-6);
  DiffusionOptions reversed;
  reversed.long_from_s = 10;
  reversed.long_to_s = 1;
  EXPECT_THROW(diffusion_measures(msd, 100.0, reversed), AnalysisError);
  DiffusionOptions one_lag;
  one_lag.short_to_s = 0.01;
  EXPECT_THROW(diffusion_measures(msd, 100.0, one_lag), AnalysisError);
}

}  // namespace
}  // namespace fp::analysis
