#include <gtest/gtest.h>

#include <random>

#include "forceplate/acquisition/clock_mapper.hpp"
#include "forceplate/acquisition/sequence_tracker.hpp"

namespace fp::acq {
namespace {

TEST(SequenceTracker, ConsecutiveNumbers_NoGapsAndTimeFromFirstSample) {
  SequenceTracker t(1000);
  t.place(100, 5000, 0.0);
  const auto p = t.place(101, 6000, 0.001);
  EXPECT_EQ(p.sequence, 101u);
  EXPECT_EQ(p.gap_before, 0u);
  EXPECT_EQ(p.gap_kind, GapKind::none);
  EXPECT_DOUBLE_EQ(p.device_time_s, 0.001);
  EXPECT_EQ(t.samples_missing(), 0u);
}

TEST(SequenceTracker, JumpOfFive_ReportsExactlyFourMissing) {
  SequenceTracker t(1000);
  t.place(10, 0, 0.0);
  const auto p = t.place(15, 5000, 0.005);
  EXPECT_EQ(p.gap_before, 4u);
  EXPECT_EQ(p.gap_kind, GapKind::sequence_jump);
  EXPECT_EQ(t.samples_missing(), 4u);
}

TEST(SequenceTracker, SequenceAndClockWrapAt32Bits_TimelineContinues) {
  SequenceTracker t(2000);
  t.place(0xFFFFFFFEu, 0xFFFFFF00u, 0.0);
  t.place(0xFFFFFFFFu, 0xFFFFFF00u + 500u, 0.0005);
  const auto p = t.place(0u, 0xFFFFFF00u + 1000u, 0.001);  // both counters wrap here
  EXPECT_EQ(p.sequence, 0x100000000ull);
  EXPECT_EQ(p.gap_before, 0u);
  EXPECT_DOUBLE_EQ(p.device_time_s, 0.001);
}

TEST(SequenceTracker, NumberingGoesBack_RestartWithGapEstimatedFromTheHostClock) {
  SequenceTracker t(100);
  t.place(5000, 50'000'000, 10.0);
  // The device restarted and its first sample arrives 0.5 s of host time later: 49 missed.
  const auto p = t.place(0, 0, 10.5);
  EXPECT_EQ(p.gap_kind, GapKind::device_restart);
  EXPECT_EQ(p.gap_before, 49u);
  EXPECT_EQ(p.sequence, 5050u);
  EXPECT_NEAR(p.device_time_s, 0.5, 1e-9);
  EXPECT_EQ(t.restarts(), 1u);
  EXPECT_EQ(t.samples_missing(), 0u);  // nothing the device numbered was lost...
  EXPECT_EQ(t.samples_missing_estimated(), 49u);  // ...but the host clock says this much is gone
  const auto q = t.place(1, 10'000, 10.51);  // and the new stretch continues exactly
  EXPECT_EQ(q.sequence, 5051u);
  EXPECT_NEAR(q.device_time_s, 0.51, 1e-9);
}

TEST(SequenceTracker, NewStretchAfterReconnect_ContinuesTheTimelineWithAReconnectGap) {
  SequenceTracker t(1000);
  t.place(700, 700'000, 3.0);
  t.begin_new_stretch();
  const auto p = t.place(12, 12'000, 4.25);  // re-plugged; the device kept counting elsewhere
  EXPECT_EQ(p.gap_kind, GapKind::reconnect);
  EXPECT_EQ(p.gap_before, 1249u);
  EXPECT_EQ(p.sequence, 700u + 1250u);
  EXPECT_NEAR(p.device_time_s, 1.25, 1e-9);
}

TEST(ClockMapper, DeviceClockFast500ppmWithArrivalJitter_DriftRecovered) {
  ClockMapper m;
  std::mt19937 rng(1);
  std::exponential_distribution<double> delay(1.0 / 0.002);  // 2 ms mean transmission jitter
  for (int i = 0; i < 20000; ++i) {
    const double device = i * 0.01;
    const double host = 1000.0 + device / (1 + 500e-6) + delay(rng);
    m.add(host, device);
  }
  EXPECT_NEAR(m.drift_ppm(), 500.0, 5.0);
  EXPECT_NEAR(m.device_time_at(1000.0 + 100.0), 100.0 * (1 + 500e-6) - 0.002, 0.001);
}

TEST(ClockMapper, TooFewPoints_NoDriftClaimed) {
  ClockMapper m;
  EXPECT_EQ(m.drift_ppm(), 0.0);
  m.add(1.0, 0.0);
  EXPECT_EQ(m.drift_ppm(), 0.0);
}

}  // namespace
}  // namespace fp::acq
