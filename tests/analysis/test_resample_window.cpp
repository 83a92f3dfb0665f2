// Resampling of irregular time stamps and analysis windows.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "forceplate/analysis/measure.hpp"
#include "forceplate/analysis/resample.hpp"
#include "forceplate/analysis/window.hpp"

namespace fp::analysis {
namespace {

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

// Time stamps of a nominal 100 Hz clock with up to +-3 ms jitter, starting at 0.5 s.
std::vector<double> jittered_clock(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> jitter(-0.003, 0.003);
  std::vector<double> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = 0.5 + 0.01 * static_cast<double>(i) + jitter(rng);
  return t;
}

// Linear interpolation reproduces a straight line exactly, whatever the time stamps.
TEST(ResampleUniform, LinearSignalOnJitteredClock_IsReproducedExactlyOnTheGrid) {
  const auto t = jittered_clock(1000, 7);
  std::vector<double> v;
  for (double s : t) v.push_back(0.002 - 0.004 * s);
  const UniformSeries u = resample_uniform(t, v, 100.0);
  EXPECT_EQ(u.start_s, t.front());
  EXPECT_EQ(u.rate_hz, 100.0);
  EXPECT_EQ(u.values.size(),
            static_cast<std::size_t>(std::floor((t.back() - t.front()) * 100)) + 1);
  for (std::size_t k = 0; k < u.values.size(); ++k) {
    const double tk = u.start_s + static_cast<double>(k) / 100.0;
    EXPECT_NEAR(u.values[k], 0.002 - 0.004 * tk, 1e-15) << k;
  }
  EXPECT_TRUE(contains(u.note, "linear interpolation")) << u.note;
}

// Between two samples the value lies on the chord: at 1/4 of the way, 1/4 of the change.
TEST(ResampleUniform, PointBetweenTwoStamps_IsOnTheChord) {
  const std::vector<double> t{0.0, 0.04, 0.08};
  const std::vector<double> v{1.0, 2.0, 0.0};
  const UniformSeries u = resample_uniform(t, v, 100.0);
  ASSERT_EQ(u.values.size(), 9U);
  EXPECT_DOUBLE_EQ(u.values[1], 1.25);
  EXPECT_DOUBLE_EQ(u.values[4], 2.0);
  EXPECT_DOUBLE_EQ(u.values[6], 1.0);
  EXPECT_DOUBLE_EQ(u.values[8], 0.0);
}

TEST(ResampleUniform, GapLongerThanTheLimit_ThrowsNamingWhereAndHowLong) {
  std::vector<double> t{0.0, 0.01, 0.02, 0.10, 0.11};
  const std::vector<double> v(t.size(), 0.0);
  const std::string msg = error_of([&] { resample_uniform(t, v, 100.0, 0.05); });
  EXPECT_TRUE(contains(msg, "gap of 0.08 s") && contains(msg, "t[2]") && contains(msg, "0.05 s"))
      << msg;
  EXPECT_NO_THROW(resample_uniform(t, v, 100.0, 0.1));
}

TEST(ResampleUniform, TimeStampsGoingBack_ThrowsNamingTheIndex) {
  const std::vector<double> t{0.0, 0.01, 0.02, 0.015};
  const std::vector<double> v(t.size(), 0.0);
  const std::string msg = error_of([&] { resample_uniform(t, v, 100.0); });
  EXPECT_TRUE(contains(msg, "t[3]") && contains(msg, "increase")) << msg;
}

TEST(ResampleUniform, MissingValue_ThrowsNamingTheIndex) {
  const std::vector<double> t{0.0, 0.01, 0.02};
  const std::vector<double> v{0.0, std::numeric_limits<double>::quiet_NaN(), 0.0};
  const std::string msg = error_of([&] { resample_uniform(t, v, 100.0); });
  EXPECT_TRUE(contains(msg, "values[1]") && contains(msg, "missing")) << msg;
}

TEST(MiddleWindow, Middle20sOf30s_IsFrom5To25) {
  const TimeWindow w = middle_window(30.0, 20.0);
  EXPECT_DOUBLE_EQ(w.start_s, 5.0);
  EXPECT_DOUBLE_EQ(w.end_s, 25.0);
  const SampleWindow s = to_sample_window(w, 3000, 100.0);
  EXPECT_EQ(s.begin, 500U);
  EXPECT_EQ(s.end, 2500U);
  EXPECT_EQ(s.size(), 2000U);
}

TEST(MiddleWindow, KeepingMoreThanTheRecording_Throws) {
  const std::string msg = error_of([] { middle_window(10.0, 20.0); });
  EXPECT_TRUE(contains(msg, "20 s") && contains(msg, "10 s")) << msg;
}

TEST(ToSampleWindow, WindowPastTheEnd_ThrowsNamingWindowAndDuration) {
  const std::string msg = error_of([] { to_sample_window({5.0, 31.0}, 3000, 100.0); });
  EXPECT_TRUE(contains(msg, "31 s") && contains(msg, "30 s recording")) << msg;
}

TEST(ToSampleWindow, EmptyOrReversedWindow_Throws) {
  EXPECT_FALSE(error_of([] { to_sample_window({5.0, 5.0}, 3000, 100.0); }).empty());
  EXPECT_FALSE(error_of([] { to_sample_window({6.0, 5.0}, 3000, 100.0); }).empty());
  EXPECT_FALSE(error_of([] { to_sample_window({-1.0, 5.0}, 3000, 100.0); }).empty());
}

}  // namespace
}  // namespace fp::analysis
