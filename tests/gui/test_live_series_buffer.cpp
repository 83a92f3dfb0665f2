// Known answers for the live-view buffers: what is kept, what decimation keeps, the rate meter.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "forceplate/gui/live_series_buffer.hpp"

namespace fp::gui {
namespace {

constexpr double kPi = std::numbers::pi;

// A 2 kHz sine, 10 s, 1.3 Hz, amplitude 700 around 735 (a swaying person), plus one 1-sample spike.
LiveSeriesBuffer sine_buffer(std::vector<SeriesPoint>& raw) {
  LiveSeriesBuffer b(10.0);
  for (int i = 0; i < 20000; ++i) {
    const double t = i / 2000.0;
    double y = 735 + 700 * std::sin(2 * kPi * 1.3 * t);
    if (i == 12345) y += 1000;  // a spike above the sine crest, that must survive decimation
    raw.push_back({t, y});
    b.append(t, y);
  }
  return b;
}

TEST(LiveSeriesBuffer, DecimateSine_KeepsTrueMinAndMaxOfEveryColumn) {
  std::vector<SeriesPoint> raw;
  const LiveSeriesBuffer b = sine_buffer(raw);
  ASSERT_EQ(b.size(), raw.size());
  const int columns = 97;  // does not divide the sample count: columns of unequal sample counts
  const double t0 = 0, t1 = 10;
  const std::vector<SeriesPoint> d = b.decimate_min_max(t0, t1, columns);
  EXPECT_LE(d.size(), 2u * columns);
  EXPECT_GE(d.size(), static_cast<std::size_t>(columns));  // every column has samples

  // Brute force: the min and max of the raw samples in each column.
  std::vector<double> true_lo(columns, std::numeric_limits<double>::infinity());
  std::vector<double> true_hi(columns, -std::numeric_limits<double>::infinity());
  for (const SeriesPoint& p : raw) {
    const int c = std::min(columns - 1, static_cast<int>(std::floor((p.t - t0) / (t1 - t0) * columns)));
    true_lo[c] = std::min(true_lo[c], p.y);
    true_hi[c] = std::max(true_hi[c], p.y);
  }
  std::vector<double> got_lo(columns, std::numeric_limits<double>::infinity());
  std::vector<double> got_hi(columns, -std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0) {
      EXPECT_LE(d[i - 1].t, d[i].t) << "points must stay in time order";
    }
    // Every output point is an input point (same time, same value).
    const auto idx = static_cast<std::size_t>(std::lround(d[i].t * 2000));
    ASSERT_LT(idx, raw.size());
    EXPECT_EQ(d[i].y, raw[idx].y);
    const int c = std::min(columns - 1, static_cast<int>(std::floor((d[i].t - t0) / (t1 - t0) * columns)));
    got_lo[c] = std::min(got_lo[c], d[i].y);
    got_hi[c] = std::max(got_hi[c], d[i].y);
  }
  for (int c = 0; c < columns; ++c) {
    EXPECT_EQ(got_lo[c], true_lo[c]) << "column " << c;
    EXPECT_EQ(got_hi[c], true_hi[c]) << "column " << c;
  }
  // The global extremes, including the spike, survive.
  const double max_out = std::max_element(d.begin(), d.end(), [](auto& a, auto& c) { return a.y < c.y; })->y;
  EXPECT_DOUBLE_EQ(max_out, raw[12345].y);
  EXPECT_GT(max_out, 735 + 700);
  const double min_out = std::min_element(d.begin(), d.end(), [](auto& a, auto& c) { return a.y < c.y; })->y;
  EXPECT_NEAR(min_out, 35, 2e-3);  // 735 - 700: at 2 kHz a sample falls within 2e-3 of the trough
}

TEST(LiveSeriesBuffer, DecimateFewerPointsThanColumns_ReturnsThemAllInOrder) {
  LiveSeriesBuffer b(10.0);
  const std::vector<SeriesPoint> in{{0.5, 3}, {1.5, -2}, {2.5, 7}, {9.9, 1}};
  for (const auto& p : in) b.append(p.t, p.y);
  const auto d = b.decimate_min_max(0, 10, 800);
  ASSERT_EQ(d.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(d[i].t, in[i].t);
    EXPECT_EQ(d[i].y, in[i].y);
  }
}

TEST(LiveSeriesBuffer, DecimateOneColumn_GivesMinThenMaxInTimeOrder) {
  LiveSeriesBuffer b(10.0);
  for (const auto& p : std::vector<SeriesPoint>{{0, 1}, {1, 9}, {2, 5}, {3, -4}, {4, 2}}) b.append(p.t, p.y);
  const auto d = b.decimate_min_max(0, 5, 1);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].t, 1);  // the maximum comes first in time
  EXPECT_EQ(d[0].y, 9);
  EXPECT_EQ(d[1].t, 3);
  EXPECT_EQ(d[1].y, -4);
}

TEST(LiveSeriesBuffer, DecimateRange_ExcludesPointsOutsideIt) {
  LiveSeriesBuffer b(100.0);
  for (int i = 0; i <= 100; ++i) b.append(i, i);
  const auto d = b.decimate_min_max(20, 30, 5);
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d.front().t, 20);
  EXPECT_EQ(d.back().t, 30);
  for (const auto& p : d) {
    EXPECT_GE(p.t, 20);
    EXPECT_LE(p.t, 30);
  }
}

TEST(LiveSeriesBuffer, AppendBeyondWindow_DropsPointsOlderThanTheWindow) {
  LiveSeriesBuffer b(10.0);
  for (int i = 0; i < 15000; ++i) b.append(i / 1000.0, i);  // 15 s at 1 kHz
  EXPECT_DOUBLE_EQ(b.latest_time(), 14.999);
  EXPECT_GE(b.points().front().t, 14.999 - 10.0);
  EXPECT_LT(b.points().front().t, 14.999 - 10.0 + 0.0011);
  EXPECT_NEAR(static_cast<double>(b.size()), 10001, 1);
  double lo = 0, hi = 0;
  ASSERT_TRUE(b.value_range(0, 20, lo, hi));
  EXPECT_GE(lo, 4999);
  EXPECT_EQ(hi, 14999);
}

TEST(LiveSeriesBuffer, TimeGoingBackwards_StartsAfresh) {
  LiveSeriesBuffer b(10.0);
  for (int i = 0; i < 100; ++i) b.append(5 + i * 0.01, 1);
  b.append(0.0, 2);  // the device restarted its clock
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b.points().front().y, 2);
}

TEST(LiveSeriesBuffer, NonFiniteValues_AreIgnored) {
  LiveSeriesBuffer b(10.0);
  b.append(0, std::numeric_limits<double>::quiet_NaN());
  b.append(std::numeric_limits<double>::infinity(), 1);
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(std::isnan(b.mean_over_last(1)));
}

TEST(LiveSeriesBuffer, MeanOverLast_AveragesOnlyTheRecentSpan) {
  LiveSeriesBuffer b(10.0);
  for (int i = 0; i < 1000; ++i) b.append(i * 0.001, i < 900 ? 0.0 : 10.0);  // last 100 samples = 10
  EXPECT_DOUBLE_EQ(b.mean_over_last(0.0995), 10.0);
}

TEST(LiveTraceBuffer, UnloadedSamples_AreSkippedAndOldOnesDropped) {
  LiveTraceBuffer c(10.0);
  c.append(0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN());
  EXPECT_TRUE(c.empty());
  for (int i = 0; i <= 2000; ++i) c.append(i * 0.01, std::cos(i * 0.01), std::sin(i * 0.01));
  EXPECT_GE(c.points().front().t, 20.0 - 10.0 - 1e-9);
  double x_lo, x_hi, y_lo, y_hi;
  ASSERT_TRUE(c.bounds(x_lo, x_hi, y_lo, y_hi));
  EXPECT_NEAR(x_lo, -1, 1e-3);
  EXPECT_NEAR(x_hi, 1, 1e-3);
  EXPECT_NEAR(y_lo, -1, 1e-3);
  EXPECT_NEAR(y_hi, 1, 1e-3);
}

TEST(LiveTraceBuffer, Thin_KeepsEndsAndNoTwoKeptPointsCloserThanTheStep) {
  LiveTraceBuffer c(100.0);
  // A unit circle walked in 10 000 steps: 0.000628 apart.
  for (int i = 0; i < 10000; ++i) {
    const double a = 2 * kPi * i / 10000;
    c.append(i * 0.001, std::cos(a), std::sin(a));
  }
  const auto t = c.thin(0.05, 100000);
  ASSERT_GE(t.size(), 2u);
  EXPECT_EQ(t.front().t, c.points().front().t);
  EXPECT_EQ(t.back().t, c.points().back().t);
  for (std::size_t i = 1; i + 1 < t.size(); ++i) {
    EXPECT_GE(std::hypot(t[i].x - t[i - 1].x, t[i].y - t[i - 1].y), 0.05);
  }
  // Perimeter 2 pi / 0.05 = about 126 kept points.
  EXPECT_NEAR(static_cast<double>(t.size()), 2 * kPi / 0.05, 3);
  // A hard cap thins further but still ends at the latest point.
  const auto capped = c.thin(0.0, 500);
  EXPECT_LE(capped.size(), 500u);
  EXPECT_GE(capped.size(), 250u);
  EXPECT_EQ(capped.back().t, c.points().back().t);
}

TEST(RateMeter, SteadyCounter_GivesItsRateOverTheLastSecond) {
  RateMeter m(1.0);
  EXPECT_TRUE(std::isnan(m.rate_hz()));
  // 1000 samples/s for 3 s observed every 33 ms, then 500 samples/s for 2 s.
  double t = 0;
  double n = 0;
  for (; t < 3.0; t += 0.033) {
    m.add(t, static_cast<std::uint64_t>(n));
    n += 33;
  }
  EXPECT_NEAR(m.rate_hz(), 1000, 2);
  for (; t < 5.0; t += 0.033) {
    m.add(t, static_cast<std::uint64_t>(n));
    n += 16.5;
  }
  EXPECT_NEAR(m.rate_hz(), 500, 2);  // the older, faster second is forgotten
}

TEST(RateMeter, CounterGoingBack_StartsAfresh) {
  RateMeter m(1.0);
  for (int i = 0; i < 60; ++i) m.add(i * 0.033, static_cast<std::uint64_t>(i) * 33);
  m.add(2.0, 5);
  EXPECT_TRUE(std::isnan(m.rate_hz()));
}

TEST(NiceCeil, RoundsUpToOneTwoTwoAndAHalfOrFive) {
  EXPECT_DOUBLE_EQ(nice_ceil(808.5), 1000);
  EXPECT_DOUBLE_EQ(nice_ceil(1000), 1000);
  EXPECT_DOUBLE_EQ(nice_ceil(120), 200);
  EXPECT_DOUBLE_EQ(nice_ceil(2.1), 2.5);
  EXPECT_DOUBLE_EQ(nice_ceil(0.3), 0.5);
}

}  // namespace
}  // namespace fp::gui
