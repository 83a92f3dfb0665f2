#include <gtest/gtest.h>

#include "forceplate/acquisition/sequence_tracker.hpp"

namespace fp::acq {
namespace {

TEST(SequenceTracker, ConsecutiveNumbers_NoGapsAndTimeFromFirstSample) {
  SequenceTracker t;
  t.place(100, 5000);
  const auto p = t.place(101, 6000);
  EXPECT_EQ(p.sequence, 101u);
  EXPECT_EQ(p.gap_before, 0u);
  EXPECT_DOUBLE_EQ(p.device_time_s, 0.001);
  EXPECT_EQ(t.samples_missing(), 0u);
}

TEST(SequenceTracker, JumpOfFive_ReportsExactlyFourMissing) {
  SequenceTracker t;
  t.place(10, 0);
  const auto p = t.place(15, 5000);
  EXPECT_EQ(p.gap_before, 4u);
  EXPECT_EQ(t.samples_missing(), 4u);
}

TEST(SequenceTracker, SequenceAndClockWrapAt32Bits_TimelineContinues) {
  SequenceTracker t;
  t.place(0xFFFFFFFEu, 0xFFFFFF00u);
  t.place(0xFFFFFFFFu, 0xFFFFFF00u + 500u);
  const auto p = t.place(0u, 0xFFFFFF00u + 1000u);  // both counters wrap here
  EXPECT_EQ(p.sequence, 0x100000000ull);
  EXPECT_EQ(p.gap_before, 0u);
  EXPECT_DOUBLE_EQ(p.device_time_s, 0.001);
}

TEST(SequenceTracker, NumberingGoesBack_CountedAsRestartNotAsHugeGap) {
  SequenceTracker t;
  t.place(5000, 0);
  const auto p = t.place(0, 10);
  EXPECT_TRUE(p.restarted);
  EXPECT_EQ(p.gap_before, 0u);
  EXPECT_EQ(p.sequence, 5001u);
  EXPECT_EQ(t.restarts(), 1u);
}

}  // namespace
}  // namespace fp::acq
