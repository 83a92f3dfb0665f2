#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "forceplate/analysis/sway.hpp"

namespace fp::analysis {
namespace {

constexpr double rate = 100.0;

// Small wobble so that a successful call has something to measure.
std::vector<double> samples(std::size_t n, double phase = 0) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0.001 * std::sin(0.1 * static_cast<double>(i) + phase);
  return v;
}

// The AnalysisError message, or "" if the call did not throw one.
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

TEST(SwayErrors, AnalyzeSway_LengthsDiffer_ThrowsNamingBothLengths) {
  const std::string msg = error_of([] { analyze_sway(samples(300), samples(299), rate); });
  EXPECT_TRUE(contains(msg, "300") && contains(msg, "299")) << msg;
}

TEST(SwayErrors, AnalyzeSway_OneSampleShortOfTwoSeconds_ThrowsNamingTheMinimum) {
  const std::string msg = error_of([] { analyze_sway(samples(199), samples(199, 1), rate); });
  EXPECT_TRUE(contains(msg, "199") && contains(msg, "2 s")) << msg;
}

TEST(SwayErrors, AnalyzeSway_ExactlyTwoSeconds_IsAccepted) {
  const auto r = analyze_sway(samples(200), samples(200, 1), rate);
  EXPECT_EQ(r.find("sample_count")->value, 200.0);
}

TEST(SwayErrors, AnalyzeSway_TwoSamplesAtOneHertz_ThrowsBecauseTheEllipseNeedsThree) {
  const std::string msg = error_of([] { analyze_sway(samples(2), samples(2, 1), 1.0); });
  EXPECT_TRUE(contains(msg, "3 samples")) << msg;
  EXPECT_NO_THROW(analyze_sway(samples(3), samples(3, 1), 1.0));
}

TEST(SwayErrors, AnalyzeSway_NaNInX_ThrowsNamingTheSampleIndex) {
  auto x = samples(300);
  x[137] = std::numeric_limits<double>::quiet_NaN();
  const std::string msg = error_of([&] { analyze_sway(x, samples(300, 1), rate); });
  EXPECT_TRUE(contains(msg, "x[137]")) << msg;
}

TEST(SwayErrors, AnalyzeSway_InfinityInY_ThrowsNamingTheSampleIndex) {
  auto y = samples(300, 1);
  y[299] = -std::numeric_limits<double>::infinity();
  const std::string msg = error_of([&] { analyze_sway(samples(300), y, rate); });
  EXPECT_TRUE(contains(msg, "y[299]")) << msg;
}

class SwayBadRate : public ::testing::TestWithParam<double> {};

TEST_P(SwayBadRate, AnalyzeSway_RateNotPositiveAndFinite_ThrowsNamingTheRate) {
  const std::string msg = error_of([] { analyze_sway(samples(300), samples(300, 1), GetParam()); });
  EXPECT_TRUE(contains(msg, "rate")) << "rate " << GetParam() << ": '" << msg << "'";
}

INSTANTIATE_TEST_SUITE_P(ZeroNegativeNanInfinite, SwayBadRate,
                         ::testing::Values(0.0, -100.0, std::numeric_limits<double>::quiet_NaN(),
                                           std::numeric_limits<double>::infinity()));

}  // namespace
}  // namespace fp::analysis
