// Single-leg (and double-leg) landings: the peak, the settling, the impulse that stops the body.
#include <gtest/gtest.h>

#include <cmath>

#include "series.hpp"

namespace fp::sim::testing {
namespace {

constexpr double kRates[] = {100, 1000, 2000};

TEST(Landing, ForceIsZeroUntilTouchdownAndPositiveFromTheNextSample) {
  for (const double rate : kRates) {
    const Series s = run(settings("landing", {{"landing_at_s", 1.2345}}), rate, 4);
    const double touchdown = s.event("landing").time_s;
    EXPECT_DOUBLE_EQ(touchdown, 1.2345);
    const std::size_t first = s.first_loaded(0);
    ASSERT_LT(first, s.size());
    EXPECT_GT(s.t[first], touchdown) << rate;
    EXPECT_LE(s.t[first], touchdown + s.dt() + 1e-9) << rate;
    for (std::size_t i = first; i < s.size(); ++i) ASSERT_GT(s.fz(i), 0.0) << "the person stays on the plate";
  }
}

TEST(Landing, PeakEventEqualsTheLargestSampledForceWithinPointOnePercent) {
  for (const double rate : kRates) {
    for (const double peak : {2.5, 3.5, 4.5, 6.0}) {
      const Series s = run(settings("landing", {{"peak_bw", peak}, {"landing_at_s", 2.0037}}), rate, 6);
      std::size_t at = 0;
      const double largest = s.max_fz(0, s.size() - 1, &at);
      const TruthEvent e = s.event("peak_landing_force");
      EXPECT_NEAR(e.value, largest, 0.001 * largest) << rate << " Hz, peak " << peak;
      EXPECT_NEAR(e.time_s, s.t[at], 0.5 * s.dt()) << rate << " Hz, peak " << peak;
      EXPECT_NEAR(e.value, peak * s.weight(), 1e-9 * s.weight());
      // Reached about time_to_peak_s after touchdown (moved by at most half a sample onto one).
      EXPECT_NEAR(e.time_s - s.event("landing").time_s, 0.05, 0.5 * s.dt() + 1e-12);
    }
  }
}

TEST(Landing, SettledIsTheLastInstantTheForceIsFivePercentOfBodyWeightAwayFromIt) {
  // Without the standing ripple the force is exactly the landing transient.
  for (const double rate : kRates) {
    for (const double settle : {0.6, 1.5, 3.0}) {
      const Series s = run(settings("landing", {{"settle_s", settle}, {"ripple_bw", 0}}), rate, 8);
      const double settled = s.event("settled").time_s;
      EXPECT_NEAR(settled, s.event("landing").time_s + settle, 1e-12);
      const double band = 0.05 * s.weight();
      double worst_after = 0, worst_just_before = 0;
      for (std::size_t i = 0; i < s.size(); ++i) {
        const double dev = std::abs(s.fz(i) - s.weight());
        if (s.t[i] > settled) worst_after = std::max(worst_after, dev);
        if (s.t[i] > settled - 0.05 && s.t[i] <= settled) worst_just_before = std::max(worst_just_before, dev);
      }
      EXPECT_LE(worst_after, band * (1 + 1e-9)) << rate << " Hz, settle " << settle;
      EXPECT_GT(worst_just_before, 0.98 * band) << rate << " Hz, settle " << settle;
    }
  }
}

TEST(Landing, AfterSettlingWithTheDefaultRipple_ForceStaysWithinTheBandPlusTheRipple) {
  const Series s = run(settings("landing"), 1000, 30);
  const double settled = s.event("settled").time_s;
  for (std::size_t i = s.index_at(settled); i < s.size(); ++i) {
    ASSERT_LT(std::abs(s.fz(i) - s.weight()), (0.05 + 5 * 0.003) * s.weight()) << s.t[i];
  }
}

TEST(Landing, TheImpulseAboveBodyWeightStopsABodyFallingFromTheDropHeight) {
  for (const double rate : kRates) {
    for (const double height : {0.1, 0.3, 0.6}) {
      const Series s = run(settings("landing", {{"drop_height_m", height}, {"peak_bw", 4}}), rate, 15);
      const double v = std::sqrt(2 * kGravity * height);
      EXPECT_NEAR(s.event("impact_velocity").value, v, 1e-12);
      // From the last sample before touchdown (falling at v - g (t_touchdown - t)) to standing
      // still at the end, the force must have changed the velocity by exactly that much.
      const double touchdown = s.event("landing").time_s;
      const std::size_t from = s.first_loaded(0) - 1;
      const double falling = v - kGravity * (touchdown - s.t[from]);
      EXPECT_NEAR(s.velocity_change(from, s.size() - 1), falling, 0.01 * v) << rate << " Hz, drop " << height;
    }
  }
}

TEST(Landing, EveryPeakAndSettlingCombinationFromThreeBodyWeightsUpWorksAtTheDefaultHeight) {
  for (const double peak : {3.0, 4.0, 5.0, 6.0}) {
    for (const double settle : {0.5, 1.0, 2.0, 3.0}) {
      const Series s = run(settings("landing", {{"peak_bw", peak}, {"settle_s", settle}, {"ripple_bw", 0}}), 1000, 6);
      EXPECT_NEAR(s.max_fz(0, s.size() - 1), peak * s.weight(), 1e-9 * s.weight()) << peak << " " << settle;
      EXPECT_GT(s.min_fz(s.first_loaded(0) + 100, s.size() - 1), 0.5 * s.weight()) << peak << " " << settle;
    }
  }
}

TEST(Landing, ALandingThatCannotStopTheBodyInTime_IsRefusedNamingTheParameter) {
  // Never above 2 BW, a body arriving at 4.4 m/s (1 m drop) needs at least 0.45 s at that force
  // to stop: it cannot be back within 5 % of body weight 0.5 s after touchdown.
  try {
    make_scenario(settings("landing", {{"peak_bw", 2}, {"settle_s", 0.5}, {"drop_height_m", 1.0}}), 1000);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("settle_s"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("landing"), std::string::npos) << e.what();
  }
}

TEST(Landing, TheCopShakesAfterTouchdownAndQuietensBySettling) {
  const Series s = run(settings("landing", {{"sway_ml_mm", 0.5}, {"sway_ap_mm", 0.5}, {"cop_shake_mm", 20}}), 1000, 8);
  auto range = [&](double from, double to) {
    double lo = 1, hi = -1;
    for (std::size_t i = s.index_at(from); s.t[i] < to; ++i) {
      lo = std::min(lo, s.states[i].plates[0].cop_x_m);
      hi = std::max(hi, s.states[i].plates[0].cop_x_m);
    }
    return hi - lo;
  };
  const double touchdown = s.event("landing").time_s, settled = s.event("settled").time_s;
  EXPECT_GT(range(touchdown + 0.01, touchdown + 0.4), 0.02);
  EXPECT_LT(range(settled + 1, settled + 1.4), 0.005);
}

TEST(Landing, DoubleLegOnTwoPlates_SplitsTheLoadByTheLeftShare) {
  const Series s = run(settings("landing", {{"legs", 2}, {"load_share_left", 0.4}}, 2), 1000, 6);
  for (std::size_t i = s.first_loaded(0); i < s.size(); ++i) ASSERT_NEAR(s.fz(i, 0) / s.fz(i), 0.4, 1e-12);
}

TEST(Landing, SingleLegOnTwoPlates_PutsTheWholeLoadOnTheStanceSide) {
  const Series s = run(settings("landing", {{"side", 1}}, 2), 1000, 6);
  for (std::size_t i = 0; i < s.size(); ++i) ASSERT_EQ(s.fz(i, 0), 0.0);
  EXPECT_NEAR(s.max_fz(0, s.size() - 1), s.event("peak_landing_force").value, 1e-9);
}

}  // namespace
}  // namespace fp::sim::testing
