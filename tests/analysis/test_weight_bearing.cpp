// Weight-bearing symmetry on two plates with known shares.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "forceplate/analysis/weight_bearing.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

using testing::value;
constexpr double rate = 100.0;

TEST(WeightBearing, ConstantSixtyForty_IsSixtyPercentLeftWithNoSpread) {
  const std::vector<double> left(1000, 420.0), right(1000, 280.0);
  const WeightBearingResult r = analyze_weight_bearing(left, right, rate);
  EXPECT_EQ(r.result.test, "weight-bearing");
  EXPECT_NEAR(value(r.result, "load_left_mean"), 60.0, 1e-12);
  EXPECT_NEAR(value(r.result, "load_right_mean"), 40.0, 1e-12);
  EXPECT_EQ(value(r.result, "load_sd"), 0.0);
  EXPECT_NEAR(value(r.result, "load_asymmetry"), 100 * 20.0 / 60.0, 1e-12);
  EXPECT_NEAR(value(r.result, "total_force_mean"), 700.0, 1e-9);
  EXPECT_DOUBLE_EQ(value(r.result, "duration"), 10.0);
  ASSERT_EQ(r.percent_left.size(), 1000U);
  for (double p : r.percent_left) EXPECT_NEAR(p, 60.0, 1e-12);
}

// The share swings 50 +- 10 % sinusoidally (whole periods): mean 50, SD 10 / sqrt 2.
TEST(WeightBearing, SwingingShare_HasTheMeanAndSdOfTheSine) {
  std::vector<double> left, right;
  for (std::size_t i = 0; i < 2000; ++i) {
    const double share = 0.5 + 0.1 * std::sin(2 * std::numbers::pi * static_cast<double>(i) / 200);
    left.push_back(share * 700);
    right.push_back((1 - share) * 700);
  }
  const WeightBearingResult r = analyze_weight_bearing(left, right, rate);
  EXPECT_NEAR(value(r.result, "load_left_mean"), 50.0, 1e-9);
  EXPECT_NEAR(value(r.result, "load_sd"), 10 / std::numbers::sqrt2, 1e-9);
  EXPECT_NEAR(value(r.result, "load_left_min"), 40.0, 1e-9);
  EXPECT_NEAR(value(r.result, "load_left_max"), 60.0, 1e-9);
  EXPECT_NEAR(value(r.result, "load_asymmetry"), 0.0, 1e-9);
}

TEST(WeightBearing, SamplesWithNobodyStanding_AreLeftOutWithAWarning) {
  std::vector<double> left(1000, 350.0), right(1000, 350.0);
  for (std::size_t i = 0; i < 100; ++i) left[i] = right[i] = 2.0;
  const WeightBearingResult r = analyze_weight_bearing(left, right, rate);
  EXPECT_NEAR(value(r.result, "load_left_mean"), 50.0, 1e-12);
  EXPECT_TRUE(std::isnan(r.percent_left[50]));
  ASSERT_EQ(r.result.warnings.size(), 1U);
  EXPECT_NE(r.result.warnings[0].find("100 of 1000"), std::string::npos);
}

TEST(WeightBearingErrors, EmptyPlatesShortTraceOrMissingSample_Throw) {
  const std::vector<double> zero(1000, 0.0);
  try {
    analyze_weight_bearing(zero, zero, rate);
    FAIL() << "no error";
  } catch (const AnalysisError& e) {
    EXPECT_NE(std::string(e.what()).find("no force on the plates"), std::string::npos) << e.what();
  }
  const std::vector<double> brief(50, 350.0);
  EXPECT_THROW(analyze_weight_bearing(brief, brief, rate), AnalysisError);
  std::vector<double> gap(1000, 350.0);
  gap[12] = std::numeric_limits<double>::quiet_NaN();
  try {
    analyze_weight_bearing(gap, std::vector<double>(1000, 350.0), rate);
    FAIL() << "no error";
  } catch (const AnalysisError& e) {
    EXPECT_NE(std::string(e.what()).find("fz_left[12]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fp::analysis
