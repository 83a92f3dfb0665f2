#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "datasets.hpp"
#include "forceplate/analysis/sway.hpp"

namespace fp::analysis {
namespace {

constexpr double rate = 100.0;
constexpr double threshold = 100.0;  // N
constexpr double body = 700.0;       // N
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Builds a force trace from (samples, force) segments.
std::vector<double> trace(std::initializer_list<std::pair<std::size_t, double>> segments) {
  std::vector<double> fz;
  for (const auto& [count, force] : segments) fz.insert(fz.end(), count, force);
  return fz;
}

TEST(StanceWindow, StepOnStandStepOff_ReturnsStandingPartLessSettleTimeAtEachEnd) {
  const auto fz = trace({{100, 0.0}, {1000, body}, {100, 0.0}});
  const SampleWindow w = find_stance_window(fz, rate, threshold, 0.5);
  EXPECT_EQ(w.begin, 100U + 50U);
  EXPECT_EQ(w.end, 1100U - 50U);
  EXPECT_EQ(w.size(), 900U);
}

TEST(StanceWindow, ZeroSettleTime_ReturnsWholeRun) {
  const auto fz = trace({{10, 0.0}, {500, body}, {10, 0.0}});
  const SampleWindow w = find_stance_window(fz, rate, threshold, 0.0);
  EXPECT_EQ(w.begin, 10U);
  EXPECT_EQ(w.end, 510U);
}

TEST(StanceWindow, ForceExactlyAtThreshold_CountsAsStanding) {
  const auto fz = trace({{10, 0.0}, {500, threshold}, {10, 0.0}});
  EXPECT_EQ(find_stance_window(fz, rate, threshold, 0.0).size(), 500U);
}

TEST(StanceWindow, TwoStances_ReturnsTheLongerOne) {
  const auto fz = trace({{300, body}, {50, 0.0}, {800, body}, {50, 0.0}});
  const SampleWindow w = find_stance_window(fz, rate, threshold, 1.0);
  EXPECT_EQ(w.begin, 350U + 100U);
  EXPECT_EQ(w.end, 1150U - 100U);
}

TEST(StanceWindow, TwoEquallyLongStances_ReturnsTheFirst) {
  const auto fz = trace({{400, body}, {50, 0.0}, {400, body}});
  const SampleWindow w = find_stance_window(fz, rate, threshold, 0.0);
  EXPECT_EQ(w.begin, 0U);
  EXPECT_EQ(w.end, 400U);
}

TEST(StanceWindow, NaNInsideStance_SplitsTheRun) {
  auto fz = trace({{1000, body}});
  fz[300] = nan;
  const SampleWindow w = find_stance_window(fz, rate, threshold, 0.0);
  EXPECT_EQ(w.begin, 301U);
  EXPECT_EQ(w.end, 1000U);
}

// In binary, 0.07 s * 100 Hz is 7.000000000000001 and 0.29 s * 100 Hz is 28.999999999999996:
// neither rounding up nor truncating gives the intended 7 and 29 samples.
TEST(StanceWindow, SettleTimesJustOffWholeSamples_TrimTheNearestWholeNumberOfSamples) {
  const auto fz = trace({{1000, body}});
  const SampleWindow a = find_stance_window(fz, rate, threshold, 0.07);
  EXPECT_EQ(a.begin, 7U);
  EXPECT_EQ(a.end, 993U);
  const SampleWindow b = find_stance_window(fz, rate, threshold, 0.29);
  EXPECT_EQ(b.begin, 29U);
  EXPECT_EQ(b.end, 971U);
}

TEST(StanceWindow, NobodyOnThePlate_ReturnsEmptyWindowAtZero) {
  const SampleWindow w = find_stance_window(trace({{1000, 5.0}}), rate, threshold, 0.5);
  EXPECT_EQ(w.begin, 0U);
  EXPECT_EQ(w.end, 0U);
}

TEST(StanceWindow, EmptyRecording_ReturnsEmptyWindowAtZero) {
  const SampleWindow w = find_stance_window({}, rate, threshold, 0.5);
  EXPECT_EQ(w.begin, 0U);
  EXPECT_EQ(w.end, 0U);
}

TEST(StanceWindow, StanceExactlyTwiceTheSettleTime_ReturnsEmptyWindowAtZero) {
  const auto fz = trace({{100, 0.0}, {100, body}, {100, 0.0}});
  const SampleWindow w = find_stance_window(fz, rate, threshold, 0.5);
  EXPECT_EQ(w.begin, 0U);
  EXPECT_EQ(w.end, 0U);
  EXPECT_EQ(find_stance_window(fz, rate, threshold, 0.49).size(), 2U);
}

TEST(StanceWindow, InvalidParameters_Throw) {
  const auto fz = trace({{1000, body}});
  EXPECT_THROW(find_stance_window(fz, 0.0, threshold, 0.5), AnalysisError);
  EXPECT_THROW(find_stance_window(fz, nan, threshold, 0.5), AnalysisError);
  EXPECT_THROW(find_stance_window(fz, rate, nan, 0.5), AnalysisError);
  EXPECT_THROW(find_stance_window(fz, rate, threshold, -0.5), AnalysisError);
  EXPECT_THROW(find_stance_window(fz, rate, threshold, std::numeric_limits<double>::infinity()),
               AnalysisError);
}

// A real AMTI export: two dropped frames (all channels zero) just after the start and unloaded
// frames at the end. The window must avoid both and hold only loaded samples.
TEST(StanceWindow, AmtiRecordingWithDropoutAndUnloadedTail_ReturnsOnlyLoadedSamples) {
  const auto fz =
      testing::read_amti_fz(testing::dataset_path("balance/amti-optitrack-export-6ch.csv"));
  ASSERT_GT(fz.size(), 15000U);
  ASSERT_GE(fz[0], threshold);
  ASSERT_LT(fz[1], threshold) << "the dropout this test relies on is gone";
  const double settle_s = 1.0;
  const auto trim = static_cast<std::size_t>(settle_s * rate);
  const SampleWindow w = find_stance_window(fz, rate, threshold, settle_s);

  const auto first_loaded_tail =
      std::find_if(fz.rbegin(), fz.rend(), [](double f) { return f >= threshold; });
  const auto tail_start = static_cast<std::size_t>(fz.rend() - first_loaded_tail);
  const auto dropout_end = static_cast<std::size_t>(
      std::find_if(fz.begin() + 1, fz.end(), [](double f) { return f >= threshold; }) - fz.begin());
  EXPECT_EQ(w.end, tail_start - trim);
  EXPECT_EQ(w.begin, dropout_end + trim);
  EXPECT_TRUE(std::all_of(fz.begin() + static_cast<std::ptrdiff_t>(w.begin),
                          fz.begin() + static_cast<std::ptrdiff_t>(w.end),
                          [](double f) { return f >= threshold; }));
}

}  // namespace
}  // namespace fp::analysis
