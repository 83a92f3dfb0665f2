// Countermovement, squat and drop jumps: the force alone must carry the physics the truth states.
#include <gtest/gtest.h>

#include <cmath>

#include "series.hpp"

namespace fp::sim::testing {
namespace {

constexpr double kRates[] = {100, 1000, 2000};

double takeoff_velocity_for(double height) { return std::sqrt(2 * kGravity * height); }

// Velocity gained from sample `from` (body at rest) to the instant `takeoff`: trapezoids up to
// the last loaded sample, then the force falling linearly to zero at take-off.
double velocity_at_takeoff(const Series& s, std::size_t from, double takeoff) {
  const std::size_t last = s.index_at(takeoff) - 1;
  const double tail = takeoff - s.t[last];
  return s.velocity_change(from, last) + (s.fz(last) / s.mass_kg / 2 - kGravity) * tail;
}

struct Flight {
  std::size_t zero = 0, loaded = 0;  // first zero-force sample, first loaded sample after it
  double duration(const Series& s) const { return s.t[loaded] - s.t[zero]; }
};
Flight flight_after(const Series& s, double from_s) {
  Flight f;
  f.zero = s.first_zero(s.index_at(from_s));
  f.loaded = s.first_loaded(f.zero);
  return f;
}

TEST(Cmj, IntegratingForceFromQuietStanceToTakeoffGivesTheTakeoffVelocityWithinOnePercent) {
  for (const double rate : kRates) {
    for (const double height : {0.1, 0.3, 0.5}) {
      for (const int legs : {1, 2}) {
        const Series s = run(settings("cmj", {{"jump_height_m", height}, {"legs", legs}}), rate, 7);
        const double v0 = takeoff_velocity_for(height);
        EXPECT_NEAR(s.event("takeoff_velocity").value, v0, 1e-12);
        EXPECT_NEAR(s.event("jump_height").value, v0 * v0 / (2 * kGravity), 1e-12);
        const std::size_t quiet = s.index_at(s.event("fully_on").time_s + 0.5);
        EXPECT_NEAR(velocity_at_takeoff(s, quiet, s.event("takeoff").time_s), v0, 0.01 * v0)
            << rate << " Hz, " << height << " m, " << legs << " leg(s)";
      }
    }
  }
}

TEST(Cmj, TakeoffAndLandingEventsLieBetweenTheSamplesWhereTheForceStopsAndStarts) {
  for (const double rate : kRates) {
    const Series s = run(settings("cmj"), rate, 7);
    const Flight f = flight_after(s, s.event("movement_onset").time_s);
    EXPECT_GT(s.event("takeoff").time_s, s.t[f.zero - 1]) << rate;
    EXPECT_LE(s.event("takeoff").time_s, s.t[f.zero]) << rate;
    // Touchdown: the force is zero at that instant and positive from the next sample on.
    EXPECT_GE(s.event("landing").time_s, s.t[f.loaded - 1]) << rate;
    EXPECT_LT(s.event("landing").time_s, s.t[f.loaded]) << rate;
  }
}

TEST(Cmj, FlightTimeBetweenZeroForceCrossingsIsTwiceTakeoffVelocityOverGWithinOneSample) {
  for (const double rate : kRates) {
    for (const double height : {0.05, 0.3, 0.6}) {
      const Series s = run(settings("cmj", {{"jump_height_m", height}}), rate, 7);
      const double expected = 2 * takeoff_velocity_for(height) / kGravity;
      EXPECT_NEAR(s.event("flight_time").value, expected, 1e-12);
      const Flight f = flight_after(s, s.event("movement_onset").time_s);
      ASSERT_LT(f.loaded, s.size());
      EXPECT_LE(std::abs(f.duration(s) - expected), s.dt() + 1e-12) << rate << " Hz, " << height << " m";
      // No force at all in the air.
      for (std::size_t i = f.zero; i < f.loaded; ++i) ASSERT_EQ(s.fz(i), 0.0);
    }
  }
}

TEST(Cmj, ForceDipsBelowBodyWeightThenRisesAboveItBeforeTakeoff) {
  const Series s = run(settings("cmj", {{"ripple_bw", 0}}), 1000, 7);
  const double onset = s.event("movement_onset").time_s, braking = s.event("braking_start").time_s;
  for (std::size_t i = s.index_at(onset) + 1; s.t[i] < braking; ++i) ASSERT_LT(s.fz(i), s.weight()) << s.t[i];
  EXPECT_NEAR(s.min_fz(s.index_at(onset), s.index_at(braking)), 0.4 * s.weight(), 0.001 * s.weight());
  EXPECT_GT(s.max_fz(s.index_at(braking), s.index_at(s.event("takeoff").time_s)), 2 * s.weight());
  // Before the onset the person stands still.
  for (std::size_t i = s.index_at(onset - 1); s.t[i] <= onset; ++i) ASSERT_NEAR(s.fz(i), s.weight(), 1e-9);
}

TEST(Cmj, PhaseEventsMatchTheVelocityAndDisplacementIntegratedFromTheForce) {
  const Series s = run(settings("cmj"), 2000, 7);
  // The body is still at the onset (the standing ripple has faded out there).
  const std::size_t onset = s.index_at(s.event("movement_onset").time_s);
  double v = 0, x = 0, v_min = 0, t_v_min = 0, x_min = 0, t_zero = 0;
  for (std::size_t i = onset; s.t[i + 1] < s.event("takeoff").time_s; ++i) {
    const double v_next = v + ((s.fz(i) + s.fz(i + 1)) / 2 / s.mass_kg - kGravity) * s.dt();
    x += (v + v_next) / 2 * s.dt();
    if (v_next < v_min) v_min = v_next, t_v_min = s.t[i + 1];
    if (v < 0 && v_next >= 0) t_zero = s.t[i + 1];
    x_min = std::min(x_min, x);
    v = v_next;
  }
  EXPECT_NEAR(s.event("braking_start").time_s, t_v_min, 2 * s.dt());
  EXPECT_NEAR(s.event("propulsion_start").time_s, t_zero, 2 * s.dt());
  EXPECT_NEAR(s.event("countermovement_depth").value, -x_min, 0.01 * -x_min);
  // A plausible countermovement: 15 to 50 cm down, and the body extended at take-off.
  EXPECT_GT(-x_min, 0.15);
  EXPECT_LT(-x_min, 0.5);
  EXPECT_GT(s.event("com_rise_at_takeoff").value, 0.0);
  EXPECT_LT(s.event("com_rise_at_takeoff").value, 0.2);
}

TEST(Cmj, FromQuietStanceToStandingAgainTheNetImpulseIsZero) {
  for (const double rate : kRates) {
    const Series s = run(settings("cmj", {{"jump_height_m", 0.4}}), rate, 14);
    const double v0 = takeoff_velocity_for(0.4);
    const std::size_t from = s.index_at(s.event("fully_on").time_s + 0.5);
    EXPECT_NEAR(s.velocity_change(from, s.size() - 1), 0.0, 0.01 * v0) << rate;
  }
}

TEST(Cmj, PeakLandingForceIsTheLargestForceAfterLanding) {
  for (const double rate : kRates) {
    const Series s = run(settings("cmj", {{"landing_peak_bw", 5}}), rate, 8);
    std::size_t at = 0;
    const double largest = s.max_fz(s.index_at(s.event("landing").time_s), s.size() - 1, &at);
    EXPECT_NEAR(s.event("peak_landing_force").value, largest, 0.001 * largest) << rate;
    EXPECT_NEAR(s.event("peak_landing_force").time_s, s.t[at], 0.5 * s.dt()) << rate;
    EXPECT_NEAR(largest, 5 * s.weight(), 0.001 * largest);
  }
}

TEST(Cmj, TwoPlates_LoadShareLeftSplitsTheWholeJump) {
  const Series s = run(settings("cmj", {{"load_share_left", 0.45}}, 2), 1000, 7);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.fz(i) > 0) {
      ASSERT_NEAR(s.fz(i, 0) / s.fz(i), 0.45, 1e-12) << s.t[i];
    }
  }
}

TEST(Cmj, SingleLegOnTwoPlates_OnlyTheStanceSidePlateIsLoaded) {
  const Series s = run(settings("cmj", {{"legs", 1}, {"side", 1}, {"jump_height_m", 0.15}}, 2), 1000, 7);
  for (std::size_t i = 0; i < s.size(); ++i) ASSERT_EQ(s.fz(i, 0), 0.0);
  EXPECT_GT(s.max_fz(0, s.size() - 1), 2 * s.weight());
}

TEST(SquatJump, TheSquatIsReachedAtRestAndThePushNeverMovesTheBodyDown) {
  for (const double rate : kRates) {
    const Series s = run(settings("squat-jump", {{"squat_depth_m", 0.25}}), rate, 10);
    const std::size_t quiet = s.index_at(s.event("squat_start").time_s);
    const std::size_t onset = s.index_at(s.event("movement_onset").time_s);
    // Lowered by the squat depth and still again before the push.
    double v = 0, x = 0;
    for (std::size_t i = quiet; i < onset; ++i) {
      const double v_next = v + ((s.fz(i) + s.fz(i + 1)) / 2 / s.mass_kg - kGravity) * s.dt();
      x += (v + v_next) / 2 * s.dt();
      v = v_next;
    }
    EXPECT_NEAR(v, 0.0, 0.01) << rate;
    EXPECT_NEAR(x, -0.25, 0.01) << rate;
    // From the squat on, the force never drops below body weight until the final taper: the
    // integrated velocity only grows.
    double pushed = 0;
    for (std::size_t i = onset; s.t[i + 1] < s.event("takeoff").time_s; ++i) {
      pushed += ((s.fz(i) + s.fz(i + 1)) / 2 / s.mass_kg - kGravity) * s.dt();
      ASSERT_GE(pushed, -0.005) << rate << " Hz at " << s.t[i];
    }
  }
}

TEST(SquatJump, TakeoffVelocityAndFlightTimeFollowFromTheForce) {
  for (const double rate : kRates) {
    const Series s = run(settings("squat-jump", {{"jump_height_m", 0.2}}), rate, 10);
    const double v0 = takeoff_velocity_for(0.2);
    EXPECT_NEAR(s.event("takeoff_velocity").value, v0, 1e-12);
    const std::size_t quiet = s.index_at(s.event("fully_on").time_s + 0.5);
    EXPECT_NEAR(velocity_at_takeoff(s, quiet, s.event("takeoff").time_s), v0, 0.01 * v0) << rate;
    const Flight f = flight_after(s, s.event("movement_onset").time_s);
    EXPECT_LE(std::abs(f.duration(s) - 2 * v0 / kGravity), s.dt() + 1e-12) << rate;
  }
}

TEST(DropJump, ContactTimeIsTheLoadedIntervalBetweenTouchdownAndTakeoffWithinOneSample) {
  for (const double rate : kRates) {
    for (const double contact : {0.18, 0.25, 0.4}) {
      const Series s = run(settings("drop-jump", {{"contact_s", contact}}), rate, 6);
      EXPECT_NEAR(s.event("contact_time").value, contact, 1e-12);
      const std::size_t first = s.first_loaded(0);
      const std::size_t off = s.first_zero(first);
      EXPECT_LE(std::abs(s.t[off] - s.t[first] - contact), s.dt() + 1e-12) << rate << " Hz, " << contact << " s";
      EXPECT_GE(s.event("touchdown").time_s, s.t[first - 1]);
      EXPECT_LT(s.event("touchdown").time_s, s.t[first]);
    }
  }
}

TEST(DropJump, ContactImpulseTurnsTheFallFromTheBoxIntoTheJump) {
  for (const double rate : kRates) {
    const Series s = run(settings("drop-jump", {{"box_height_m", 0.45}, {"jump_height_m", 0.25}}), rate, 6);
    const double v_in = std::sqrt(2 * kGravity * 0.45), v0 = takeoff_velocity_for(0.25);
    EXPECT_NEAR(s.event("impact_velocity").value, v_in, 1e-12);
    const double touchdown = s.event("touchdown").time_s, takeoff = s.event("takeoff").time_s;
    const std::size_t a = s.first_loaded(0) - 1;  // in the air, falling
    const std::size_t b = s.first_zero(a + 1);    // in the air, rising
    const double v_a = -v_in + kGravity * (touchdown - s.t[a]);
    const double v_b = v0 - kGravity * (s.t[b] - takeoff);
    EXPECT_NEAR(s.velocity_change(a, b), v_b - v_a, 0.01 * (v_in + v0)) << rate;
  }
}

TEST(DropJump, FlightTimeJumpHeightAndRsiAgree) {
  for (const double rate : kRates) {
    const Series s = run(settings("drop-jump", {{"jump_height_m", 0.35}, {"contact_s", 0.28}}), rate, 6);
    const double v0 = takeoff_velocity_for(0.35);
    const Flight f = flight_after(s, s.event("takeoff").time_s - s.dt());
    EXPECT_LE(std::abs(f.duration(s) - 2 * v0 / kGravity), s.dt() + 1e-12) << rate;
    EXPECT_NEAR(s.event("flight_time").value, 2 * v0 / kGravity, 1e-12);
    EXPECT_NEAR(s.event("jump_height").value, 0.35, 1e-12);
    EXPECT_NEAR(s.event("rsi").value, 0.35 / 0.28, 1e-12);
    // The landing after the jump ends in standing.
    EXPECT_NEAR(s.fz(s.size() - 1), s.weight(), 0.05 * s.weight());
  }
}

}  // namespace
}  // namespace fp::sim::testing
