// Single-leg stance on synthetic traces whose failures happen at known times.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "forceplate/analysis/single_leg.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

using testing::value;
constexpr double pi = std::numbers::pi;
constexpr double rate = 1000.0;
constexpr double body = 700.0;  // N

// 30 s standing on the left foot: Fz wobbles +-2 % of body weight, the COP sways a few mm
// around (-0.10, 0.02) m.
struct Trial {
  std::vector<double> fz, x, y;
  Trial() {
    for (std::size_t i = 0; i < 30000; ++i) {
      const double t = static_cast<double>(i) / rate;
      fz.push_back(body * (1 + 0.02 * std::sin(2 * pi * 1.3 * t)));
      x.push_back(-0.10 + 0.004 * std::sin(2 * pi * 0.4 * t) + 0.001 * std::sin(2 * pi * 1.7 * t));
      y.push_back(0.02 + 0.006 * std::sin(2 * pi * 0.25 * t + 1));
    }
  }
  static std::size_t at(double t) { return static_cast<std::size_t>(std::llround(t * rate)); }
  void force(double from_s, double to_s, double fraction) {
    for (std::size_t i = at(from_s); i < at(to_s); ++i) fz[i] = fraction * body;
  }
  void shift_cop(double from_s, double to_s, double dx) {
    for (std::size_t i = at(from_s); i < at(to_s); ++i) x[i] += dx;
  }
  SingleLegResult analyse(Side side = Side::left, std::optional<double> weight = body) const {
    return analyze_single_leg_stance(fz, x, y, rate, side, weight);
  }
};

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

TEST(SingleLeg, SteadyTrial_NoFailureWholeTrialAnalysed) {
  const SingleLegResult r = Trial().analyse();
  EXPECT_EQ(r.result.test, "single-leg-stance-left");
  EXPECT_TRUE(r.failures.empty());
  EXPECT_EQ(value(r.result, "failure_count"), 0.0);
  EXPECT_DOUBLE_EQ(value(r.result, "time_to_first_failure"), 30.0);
  EXPECT_DOUBLE_EQ(value(r.result, "time_in_balance"), 30.0);
  EXPECT_DOUBLE_EQ(value(r.result, "duration"), 30.0);
  EXPECT_EQ(value(r.result, "body_weight"), body);
  EXPECT_TRUE(r.result.warnings.empty());
  EXPECT_NE(r.result.find("cop_path_length"), nullptr);
}

// Lifted foot put down beside the plate at 12.34 s for 0.8 s: Fz falls to 55 % of body weight.
TEST(SingleLeg, TouchdownOffThePlate_IsFoundAtItsOnsetAndTheTrialCutThere) {
  Trial t;
  t.force(12.34, 13.14, 0.55);
  const SingleLegResult r = t.analyse();
  ASSERT_EQ(r.failures.size(), 1U);
  EXPECT_EQ(r.failures[0].kind, FailureKind::touchdown_off_plate);
  EXPECT_NEAR(r.failures[0].start_s, 12.34, 1e-9);
  EXPECT_NEAR(r.failures[0].end_s, 13.14, 1e-9);
  EXPECT_NEAR(value(r.result, "time_to_first_failure"), 12.34, 1e-9);
  EXPECT_NEAR(value(r.result, "time_in_balance"), 30 - 0.8, 1e-9);
  EXPECT_NEAR(value(r.result, "duration"), 12.34, 1e-9);  // sway of the part before it
  ASSERT_FALSE(r.result.warnings.empty());
  EXPECT_TRUE(contains(r.result.warnings[0], "touchdown off the plate") &&
              contains(r.result.warnings[0], "12.340 s"))
      << r.result.warnings[0];
}

// 30 ms at 80 % of body weight is neither long enough (50 ms) nor deep enough (75 %).
TEST(SingleLeg, ShortShallowDip_IsNotAFailure) {
  Trial t;
  t.force(8.0, 8.03, 0.80);
  EXPECT_TRUE(t.analyse().failures.empty());
  t.force(9.0, 9.06, 0.80);  // 60 ms: now it is
  const SingleLegResult r = t.analyse();
  ASSERT_EQ(r.failures.size(), 1U);
  EXPECT_NEAR(r.failures[0].start_s, 9.0, 1e-9);
}

// Lifted foot put down on the plate at 7.5 s for 1 s: the COP jumps 6 cm toward the midline and
// back, Fz does not change.
TEST(SingleLeg, TouchdownOnThePlate_IsOneFailureFromJumpToReturn) {
  Trial t;
  t.shift_cop(7.5, 8.5, 0.06);
  const SingleLegResult r = t.analyse();
  ASSERT_EQ(r.failures.size(), 1U);
  EXPECT_EQ(r.failures[0].kind, FailureKind::touchdown_on_plate);
  EXPECT_NEAR(r.failures[0].start_s, 7.5, 1e-9);
  EXPECT_NEAR(r.failures[0].end_s, 8.5, 1e-9);
  EXPECT_NEAR(value(r.result, "time_in_balance"), 29.0, 1e-9);
}

TEST(SingleLeg, SteppingOff_IsAStepOffAndEndsTheBalance) {
  Trial t;
  t.force(20.0, 30.0, 0.0);
  for (std::size_t i = Trial::at(20.0); i < t.x.size(); ++i) {
    t.x[i] = t.y[i] = std::numeric_limits<double>::quiet_NaN();  // no COP on an empty plate
  }
  const SingleLegResult r = t.analyse();
  ASSERT_EQ(r.failures.size(), 1U);
  EXPECT_EQ(r.failures[0].kind, FailureKind::step_off);
  EXPECT_NEAR(value(r.result, "time_to_first_failure"), 20.0, 1e-9);
  EXPECT_NEAR(value(r.result, "time_in_balance"), 20.0, 1e-9);
}

// Touchdown beside the plate at 5 s, then a hop at 15 s: 0.3 s in the air, landing at 180 %.
TEST(SingleLeg, TwoFailures_AreCountedAndTheFirstSetsTheTime) {
  Trial t;
  t.force(5.0, 5.5, 0.5);
  t.force(15.0, 15.3, 0.0);
  t.force(15.3, 15.35, 1.8);
  const SingleLegResult r = t.analyse();
  ASSERT_EQ(r.failures.size(), 2U);
  EXPECT_EQ(r.failures[1].kind, FailureKind::step_off);  // the flight phase, most severe
  EXPECT_NEAR(r.failures[1].start_s, 15.0, 1e-9);
  EXPECT_NEAR(r.failures[1].end_s, 15.35, 1e-9);
  EXPECT_EQ(value(r.result, "failure_count"), 2.0);
  EXPECT_NEAR(value(r.result, "time_to_first_failure"), 5.0, 1e-9);
  EXPECT_NEAR(value(r.result, "time_in_balance"), 30 - 0.5 - 0.35, 1e-9);
}

TEST(SingleLeg, DetectionsHalfASecondApart_AreOneFailure) {
  Trial t;
  t.force(5.0, 5.2, 0.5);
  t.force(5.7, 5.9, 0.5);
  const SingleLegResult r = t.analyse();
  ASSERT_EQ(r.failures.size(), 1U);
  EXPECT_NEAR(r.failures[0].end_s, 5.9, 1e-9);
}

TEST(SingleLeg, LandingSpikeAboveBodyWeightPlusQuarter_IsAFailure) {
  Trial t;
  t.force(10.0, 10.01, 1.3);
  const SingleLegResult r = t.analyse();
  ASSERT_EQ(r.failures.size(), 1U);
  EXPECT_EQ(r.failures[0].kind, FailureKind::touchdown_on_plate);
}

TEST(SingleLeg, BodyWeightOmitted_IsTheMedianForce) {
  Trial t;
  t.force(25.0, 26.0, 0.5);
  const SingleLegResult r = t.analyse(Side::left, std::nullopt);
  EXPECT_NEAR(r.body_weight_n, body, 0.02 * body);
  EXPECT_EQ(r.failures.size(), 1U);
}

// x spends a quarter of the time 6 mm to the right of its mean and the rest 2 mm to the left.
// For the left foot the midline (medial) is +x; for the right foot it is -x.
TEST(SingleLeg, Excursions_AreMedialAndLateralOfTheStanceFoot) {
  Trial t;
  for (std::size_t i = 0; i < t.x.size(); ++i) {
    t.x[i] = (i / 500) % 4 == 0 ? 0.006 : -0.002;  // 0.5 s right, 1.5 s left
    t.y[i] = 0.0;
  }
  SingleLegOptions o;
  o.sway.preprocessing.lowpass.reset();
  const auto left = analyze_single_leg_stance(t.fz, t.x, t.y, rate, Side::left, body, o);
  EXPECT_NEAR(value(left.result, "cop_max_medial_excursion"), 0.006, 1e-12);
  EXPECT_NEAR(value(left.result, "cop_mean_medial_excursion"), 0.006, 1e-12);
  EXPECT_NEAR(value(left.result, "cop_max_lateral_excursion"), 0.002, 1e-12);
  EXPECT_NEAR(value(left.result, "cop_mean_lateral_excursion"), 0.002, 1e-12);
  const auto right = analyze_single_leg_stance(t.fz, t.x, t.y, rate, Side::right, body, o);
  EXPECT_EQ(right.result.test, "single-leg-stance-right");
  EXPECT_NEAR(value(right.result, "cop_max_medial_excursion"), 0.002, 1e-12);
  EXPECT_NEAR(value(right.result, "cop_max_lateral_excursion"), 0.006, 1e-12);
}

TEST(SingleLeg, FailureInTheFirstSecond_LeavesNoSwayButStillReportsTheFailure) {
  Trial t;
  t.force(1.0, 2.0, 0.5);
  const SingleLegResult r = t.analyse();
  EXPECT_EQ(r.result.find("cop_path_length"), nullptr);
  EXPECT_NEAR(value(r.result, "time_to_first_failure"), 1.0, 1e-9);
  EXPECT_EQ(r.result.warnings.size(), 2U);  // the failure, and too short for sway
}

TEST(SingleLegErrors, NoForceOrKilonewtons_SayNoForceOnThePlate) {
  Trial t;
  for (double& f : t.fz) f /= 1000;  // kN
  const std::string msg = error_of([&] { t.analyse(Side::left, std::nullopt); });
  EXPECT_TRUE(contains(msg, "no force on the plate") && contains(msg, "newtons")) << msg;
}

TEST(SingleLegErrors, BodyWeightInKilograms_IsRefused) {
  const std::string msg = error_of([] { Trial().analyse(Side::left, 71.4); });
  EXPECT_TRUE(contains(msg, "71.4 N") && contains(msg, "kg")) << msg;
}

TEST(SingleLegErrors, MissingForceSample_NamesTheIndex) {
  Trial t;
  t.fz[4321] = std::numeric_limits<double>::quiet_NaN();
  const std::string msg = error_of([&] { t.analyse(); });
  EXPECT_TRUE(contains(msg, "fz[4321]")) << msg;
}

TEST(SingleLegErrors, CopInMillimetres_AsksWhetherTheyAreMm) {
  Trial t;
  for (double& v : t.x) v *= 1000;
  const std::string msg = error_of([&] { t.analyse(); });
  EXPECT_TRUE(contains(msg, "are they in mm?")) << msg;
}

TEST(SingleLegErrors, MissingCopWhileLoaded_NamesTheIndex) {
  Trial t;
  t.y[777] = std::numeric_limits<double>::quiet_NaN();
  const std::string msg = error_of([&] { t.analyse(); });
  EXPECT_TRUE(contains(msg, "y[777]")) << msg;
}

}  // namespace
}  // namespace fp::analysis
