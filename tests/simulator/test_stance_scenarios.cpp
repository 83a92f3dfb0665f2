// Standing scenarios: quiet stance, single-leg stance (with touchdowns and stepping off), stepping
// on and off, and the empty plate.
#include <gtest/gtest.h>

#include <cmath>

#include "series.hpp"

namespace fp::sim::testing {
namespace {

// COP of plate `plate` over the samples from `from_s` on.
struct Cop {
  std::vector<double> x, y;
};
Cop cop_from(const Series& s, double from_s, int plate = 0, double to_s = 1e300) {
  Cop c;
  for (std::size_t i = s.index_at(from_s); i < s.size() && s.t[i] < to_s; ++i) {
    c.x.push_back(s.states[i].plates[static_cast<std::size_t>(plate)].cop_x_m);
    c.y.push_back(s.states[i].plates[static_cast<std::size_t>(plate)].cop_y_m);
  }
  return c;
}

TEST(QuietStance, LongRun_CopStandardDeviationIsWithin15PercentOfTheAskedValue) {
  const Series s = run(settings("quiet-stance", {{"sway_ml_mm", 2.0}, {"sway_ap_mm", 4.0}}), 100, 1200);
  const Cop c = cop_from(s, s.event("fully_on").time_s);
  EXPECT_NEAR(sd(c.x), 0.002, 0.15 * 0.002);
  EXPECT_NEAR(sd(c.y), 0.004, 0.15 * 0.004);
}

TEST(SingleLegStance, LongRun_CopStandardDeviationIsWithin15PercentOfTheAskedValue) {
  for (const double rate : {100.0, 1000.0}) {
    const Series s = run(settings("single-leg-stance", {{"sway_ml_mm", 6.0}, {"sway_ap_mm", 3.0}}), rate, 600);
    const Cop c = cop_from(s, s.event("fully_on").time_s);
    EXPECT_NEAR(sd(c.x), 0.006, 0.15 * 0.006) << rate << " Hz";
    EXPECT_NEAR(sd(c.y), 0.003, 0.15 * 0.003) << rate << " Hz";
  }
}

TEST(SingleLegStance, Defaults_MediolateralSwayExceedsAnteroposteriorSway) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    const Series s = run(settings("single-leg-stance", {}, 1, seed), 100, 300);
    const Cop c = cop_from(s, s.event("fully_on").time_s);
    EXPECT_GT(sd(c.x), sd(c.y)) << "seed " << seed;
  }
}

TEST(SingleLegStance, Defaults_SwayIsLargerThanInDoubleLegQuietStance) {
  const Series single = run(settings("single-leg-stance"), 100, 300);
  const Series both = run(settings("quiet-stance"), 100, 300);
  EXPECT_GT(sd(cop_from(single, 2).x), 1.5 * sd(cop_from(both, 2).x));
}

TEST(SingleLegStance, StandingStill_MeanForceIsBodyWeightWithinPointOnePercent) {
  const Series s = run(settings("single-leg-stance", {}, 1, 5, 62), 1000, 60);
  std::vector<double> f;
  for (std::size_t i = s.index_at(2); i < s.size(); ++i) f.push_back(s.fz(i));
  EXPECT_NEAR(mean(f), 62 * kGravity, 0.001 * 62 * kGravity);
  EXPECT_NEAR(s.event("body_weight").value, 62 * kGravity, 1e-9);
}

TEST(SingleLegStance, TwoPlates_TheStanceSidePlateCarriesAllTheLoad) {
  for (const int side : {0, 1}) {
    const Series s = run(settings("single-leg-stance", {{"side", side}}, 2), 1000, 5);
    for (std::size_t i = s.index_at(2); i < s.size(); ++i) {
      ASSERT_EQ(s.fz(i, 1 - side), 0.0) << "side " << side << " at " << s.t[i];
      ASSERT_GT(s.fz(i, side), 0.9 * s.weight());
    }
  }
}

TEST(SingleLegStance, OnePlate_FootOffsetMovesTheCopLaterallyOnTheStanceSide) {
  for (const int side : {0, 1}) {
    const Series s = run(settings("single-leg-stance", {{"side", side}, {"foot_offset_mm", 80}}), 100, 300);
    const double expected = side == 0 ? -0.08 : 0.08;
    EXPECT_NEAR(mean(cop_from(s, 2).x), expected, 0.004) << "side " << side;
  }
}

TEST(SingleLegStance, TouchdownOnThePlate_CopJumpsTowardTheLiftedFootAndForceStaysBodyWeight) {
  // Without sway the COP is exactly the load-weighted position of the feet.
  const Series s = run(settings("single-leg-stance", {{"sway_ml_mm", 0}, {"sway_ap_mm", 0}, {"touchdown_at_s", 5},
                                                      {"touchdown_s", 1.0}, {"touchdown_bw", 0.25}}),
                       1000, 8);
  const double start = s.event("touchdown_start_1").time_s, end = s.event("touchdown_end_1").time_s;
  EXPECT_DOUBLE_EQ(start, 5);
  EXPECT_DOUBLE_EQ(end, 6);
  EXPECT_NEAR(s.event("touchdown_start_1").value, 0.25 * s.weight(), 1e-9);
  // Left stance foot at the centre, right foot 200 mm to its right: 25 % of the load there.
  for (std::size_t i = s.index_at(start + 0.1); s.t[i] < end - 0.1; ++i) {
    ASSERT_NEAR(s.states[i].plates[0].cop_x_m, 0.25 * 0.2, 1e-9);
    ASSERT_NEAR(s.fz(i), s.weight(), 0.02 * s.weight());
  }
  for (const double t : {start - 0.5, end + 0.5}) EXPECT_NEAR(s.states[s.index_at(t)].plates[0].cop_x_m, 0.0, 1e-12);
}

TEST(SingleLegStance, TouchdownsWithDefaultSway_AreVisibleAsACopShift) {
  // Eight touchdowns, 30 % of the load 200 mm to the right: the COP moves 60 mm right each time.
  const Series s = run(settings("single-leg-stance", {{"touchdown_at_s", 5}, {"touchdown_s", 1.0},
                                                      {"touchdown_count", 8}, {"touchdown_every_s", 3}},
                                1, 9),
                       1000, 30);
  std::vector<double> shifts;
  for (int k = 0; k < 8; ++k) {
    const double t0 = 5 + 3 * k;
    shifts.push_back(mean(cop_from(s, t0 + 0.3, 0, t0 + 0.8).x) - mean(cop_from(s, t0 - 0.6, 0, t0 - 0.1).x));
  }
  EXPECT_NEAR(mean(shifts), 0.3 * 0.2, 0.015);
}

TEST(SingleLegStance, TouchdownOffThePlate_ForceDropsByTheTouchingFootsShare) {
  const Series s = run(settings("single-leg-stance", {{"touchdown_at_s", 4}, {"touchdown_s", 0.8},
                                                      {"touchdown_on_plate", 0}, {"touchdown_bw", 0.4}}),
                       1000, 6);
  for (std::size_t i = s.index_at(4.1); s.t[i] < 4.7; ++i) ASSERT_NEAR(s.fz(i), 0.6 * s.weight(), 0.02 * s.weight());
  EXPECT_NEAR(s.fz(s.index_at(3.9)), s.weight(), 0.02 * s.weight());
  EXPECT_NEAR(s.fz(s.index_at(4.9)), s.weight(), 0.02 * s.weight());
}

TEST(SingleLegStance, RepeatedTouchdownsOnTwoPlates_LoadTheOtherPlateExactlyBetweenStartAndEndEvents) {
  for (const double rate : {100.0, 1000.0, 2000.0}) {
    const Series s = run(settings("single-leg-stance", {{"side", 1}, {"touchdown_at_s", 3}, {"touchdown_s", 0.4},
                                                        {"touchdown_count", 3}, {"touchdown_every_s", 2}},
                                  2),
                         rate, 10);
    std::size_t i = 0;
    for (int k = 1; k <= 3; ++k) {
      const std::string n = std::to_string(k);
      // The touching (left) foot is on plate 0: its load appears after the start and is gone by the end.
      while (i < s.size() && s.fz(i, 0) == 0) ++i;
      ASSERT_LT(i, s.size());
      EXPECT_GT(s.t[i], s.event("touchdown_start_" + n).time_s) << rate;
      EXPECT_LE(s.t[i], s.event("touchdown_start_" + n).time_s + s.dt() + 1e-9) << rate;
      while (i < s.size() && s.fz(i, 0) > 0) ++i;
      EXPECT_GE(s.t[i], s.event("touchdown_end_" + n).time_s) << rate;
      EXPECT_LT(s.t[i], s.event("touchdown_end_" + n).time_s + s.dt() + 1e-9) << rate;
      EXPECT_NEAR(s.fz(s.index_at(s.event("touchdown_start_" + n).time_s + 0.2)),
                  s.weight(), 0.02 * s.weight());  // both plates together: still body weight
    }
    EXPECT_FALSE(s.has_event("touchdown_start_4"));
  }
}

TEST(SingleLegStance, SteppingOff_TheForceFallsToZeroWithinPointThreeSeconds) {
  const Series s = run(settings("single-leg-stance", {{"step_off_at_s", 6}}), 1000, 8);
  EXPECT_DOUBLE_EQ(s.event("step_off").time_s, 6);
  EXPECT_NEAR(s.event("off_plate").time_s, 6.3, 1e-12);
  EXPECT_NEAR(s.fz(s.index_at(5.99)), s.weight(), 0.02 * s.weight());
  for (std::size_t i = s.index_at(6.3); i < s.size(); ++i) ASSERT_EQ(s.fz(i), 0.0);
  EXPECT_GT(s.fz(s.index_at(6.15)), 0.3 * s.weight());
  EXPECT_LT(s.fz(s.index_at(6.15)), 0.7 * s.weight());
}

TEST(StepOnOff, ForceIsZeroThenBodyWeightThenZeroAtTheEventTimes) {
  const Series s = run(settings("step-on-off", {{"step_on_s", 2}, {"step_off_s", 12}}, 1, 1, 90), 1000, 14);
  EXPECT_DOUBLE_EQ(s.event("step_on").time_s, 2);
  EXPECT_DOUBLE_EQ(s.event("fully_on").time_s, 2.6);
  EXPECT_NEAR(s.event("body_weight").value, 90 * kGravity, 1e-9);
  for (std::size_t i = 0; s.t[i] <= 2; ++i) ASSERT_EQ(s.fz(i), 0.0);
  std::vector<double> standing;
  for (std::size_t i = s.index_at(2.6); s.t[i] < 12; ++i) standing.push_back(s.fz(i));
  EXPECT_NEAR(mean(standing), 90 * kGravity, 0.001 * 90 * kGravity);
  for (std::size_t i = s.index_at(s.event("off_plate").time_s); i < s.size(); ++i) ASSERT_EQ(s.fz(i), 0.0);
}

TEST(StepOnOff, StandingStill_TheForceRippleHasTheAskedStandardDeviation) {
  for (const double rate : {100.0, 1000.0}) {
    const Series s = run(settings("step-on-off", {{"ripple_bw", 0.004}, {"step_off_s", 600}}), rate, 601);
    std::vector<double> f;
    for (std::size_t i = s.index_at(2); s.t[i] < 599; ++i) f.push_back(s.fz(i));
    EXPECT_NEAR(sd(f) / s.weight(), 0.004, 0.15 * 0.004) << rate << " Hz";
    EXPECT_NEAR(mean(f), s.weight(), 1e-4 * s.weight()) << rate << " Hz";
  }
}

TEST(StepOnOff, TwoPlates_LoadShareLeftSplitsEverySample) {
  const Series s = run(settings("step-on-off", {{"load_share_left", 0.62}}, 2), 1000, 12);
  for (std::size_t i = s.index_at(1.2); s.t[i] < 10; ++i) ASSERT_NEAR(s.fz(i, 0) / s.fz(i), 0.62, 1e-12);
}

TEST(StepOnOff, OnePlate_AnAsymmetricShareShiftsTheCopTowardTheLoadedFoot) {
  // Feet 200 mm apart: the COP sits at (0.5 - share) x 200 mm, here 40 mm to the left.
  const Series s = run(settings("step-on-off", {{"load_share_left", 0.7}, {"step_off_s", 300}}), 100, 300);
  EXPECT_NEAR(mean(cop_from(s, 2, 0, 299).x), -0.04, 0.003);
}

TEST(Empty, ForceIsZeroAtEverySample) {
  for (const int plates : {1, 2}) {
    const Series s = run(settings("empty", {}, plates), 1000, 5);
    for (std::size_t i = 0; i < s.size(); ++i) ASSERT_EQ(s.fz(i), 0.0);
    EXPECT_TRUE(s.events.empty());
  }
}

}  // namespace
}  // namespace fp::sim::testing
