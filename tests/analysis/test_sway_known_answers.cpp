// Deterministic shapes whose sway measures follow from geometry.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "forceplate/analysis/sway.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

using testing::value;
constexpr double pi = std::numbers::pi;

// 3 turns of 10 mm at 100 Hz, 2000 samples per turn (60 s): samples land on the axes, so extremes
// are hit exactly. Chords shorten the arc by (pi / samples_per_turn)^2 / 6, about 4e-7.
constexpr double radius = 0.010;
constexpr int turns = 3;
constexpr int per_turn = 2000;
constexpr double rate = 100.0;
constexpr double chord_tolerance = 2 * (pi / per_turn) * (pi / per_turn) / 6;  // relative

AnalysisResult analyse(const testing::Trace& t, SwayOptions o = {}) {
  return analyze_sway(t.x, t.y, t.rate_hz, o);
}

double traversal_time(const testing::Trace& t) {
  return static_cast<double>(t.size() - 1) / t.rate_hz;
}
double recording_time(const testing::Trace& t) { return static_cast<double>(t.size()) / t.rate_hz; }

TEST(SwayCircle, PathLength_ClosedCircleOfRadius10mm_EqualsCircumferenceTimesTurns) {
  const auto r = analyse(testing::circle(radius, turns, per_turn, rate, true));
  const double expected = 2 * pi * radius * turns;
  EXPECT_NEAR(value(r, "cop_path_length"), expected, chord_tolerance * expected);
}

TEST(SwayCircle, PathLengthPerAxis_ClosedCircle_EqualsFourRadiiPerTurn) {
  const auto r = analyse(testing::circle(radius, turns, per_turn, rate, true));
  EXPECT_NEAR(value(r, "cop_path_length_ml"), 4 * radius * turns, 1e-12);
  EXPECT_NEAR(value(r, "cop_path_length_ap"), 4 * radius * turns, 1e-12);
}

TEST(SwayCircle, MeanVelocity_ClosedCircle_EqualsPathOverRecordingDuration) {
  const auto t = testing::circle(radius, turns, per_turn, rate, true);
  const auto r = analyse(t);
  const double expected = 2 * pi * radius * turns / recording_time(t);
  EXPECT_NEAR(value(r, "cop_mean_velocity"), expected, chord_tolerance * expected);
  EXPECT_NEAR(value(r, "cop_mean_velocity_ml"), 4 * radius * turns / recording_time(t), 1e-12);
  EXPECT_NEAR(value(r, "cop_mean_velocity_ap"), 4 * radius * turns / recording_time(t), 1e-12);
}

TEST(SwayCircle, MeanFrequency_ClosedCircle_EqualsTurnsPerSecondOfTraversal) {
  const auto t = testing::circle(radius, turns, per_turn, rate, true);
  const double expected = turns / traversal_time(t);
  EXPECT_NEAR(value(analyse(t), "cop_mean_frequency"), expected, chord_tolerance * expected);
}

TEST(SwayCircle, SwayAreaPerSecond_ClosedCircle_EqualsDiscAreaTimesTurnsPerSecond) {
  const auto t = testing::circle(radius, turns, per_turn, rate, true);
  const double expected = pi * radius * radius * turns / traversal_time(t);
  // Each triangle is sin(d)/d of its sector, d = 2 pi / per_turn: four times the chord error.
  EXPECT_NEAR(value(analyse(t), "cop_sway_area_per_second"), expected,
              4 * chord_tolerance * expected);
}

TEST(SwayCircle, MeanAndMaxDistance_CircleOfRadius10mm_EqualRadius) {
  const auto r = analyse(testing::circle(radius, turns, per_turn, rate, false));
  EXPECT_NEAR(value(r, "cop_mean_distance"), radius, 1e-12);
  EXPECT_NEAR(value(r, "cop_max_distance"), radius, 1e-12);
}

TEST(SwayCircle, Rms_CircleOfRadius10mm_IsRadiusOverRootTwoPerAxisAndRadiusOverall) {
  const auto r = analyse(testing::circle(radius, turns, per_turn, rate, false));
  EXPECT_NEAR(value(r, "cop_rms_ml"), radius / std::numbers::sqrt2, 1e-12);
  EXPECT_NEAR(value(r, "cop_rms_ap"), radius / std::numbers::sqrt2, 1e-12);
  EXPECT_NEAR(value(r, "cop_rms"), radius, 1e-12);
}

TEST(SwayCircle, Range_CircleOfRadius10mm_IsDiameterOnEachAxis) {
  const auto r = analyse(testing::circle(radius, turns, per_turn, rate, false));
  EXPECT_NEAR(value(r, "cop_range_ml"), 2 * radius, 1e-12);
  EXPECT_NEAR(value(r, "cop_range_ap"), 2 * radius, 1e-12);
}

// Population variances are r^2/2 with no covariance. For two degrees of freedom the F quantile has
// the closed form F_p(2, m) = (m/2)((1-p)^(-2/m) - 1), independent of Boost.
TEST(SwayCircle, Ellipse95Area_Circle_MatchesPredictionEllipseWithClosedFormQuantile) {
  const auto t = testing::circle(radius, turns, per_turn, rate, false);
  const double n = static_cast<double>(t.size());
  const double m = n - 2;
  const double f95 = m / 2 * (std::pow(0.05, -2 / m) - 1);
  const double expected = 2 * pi * f95 * (n + 1) * (n - 1) / (n * (n - 2)) * (radius * radius / 2);
  EXPECT_NEAR(value(analyse(t), "cop_ellipse95_area"), expected, 1e-9 * expected);
}

TEST(SwayCircle, DurationAndSampleCount_CountEverySample) {
  const auto t = testing::circle(radius, turns, per_turn, rate, true);
  const auto r = analyse(t);
  EXPECT_EQ(value(r, "sample_count"), static_cast<double>(t.size()));
  EXPECT_DOUBLE_EQ(value(r, "duration"), recording_time(t));
}

// Offset 5 mm to the right: the mean is removed by default, so the measures are those of the
// centred circle; without removal distances are from the plate centre.
constexpr double offset = 0.005;

TEST(SwayMeanRemoval, OffsetCircle_WithMeanRemoved_MatchesCentredCircle) {
  const auto centred = analyse(testing::circle(radius, turns, per_turn, rate, false));
  const auto shifted =
      analyse(testing::circle(radius, turns, per_turn, rate, false, offset, -offset));
  for (const Measure& m : centred.measures) {
    EXPECT_NEAR(value(shifted, m.name), m.value, 1e-9 * std::abs(m.value) + 1e-15) << m.name;
  }
}

TEST(SwayMeanRemoval, MaxDistance_OffsetCircleWithoutMeanRemoval_IsOffsetPlusRadius) {
  const auto t = testing::circle(radius, turns, per_turn, rate, false, offset, 0.0);
  const auto r = analyse(t, SwayOptions{.remove_mean = false});
  EXPECT_NEAR(value(r, "cop_max_distance"), offset + radius, 1e-12);
  EXPECT_NEAR(value(r, "cop_rms_ml"), std::sqrt(offset * offset + radius * radius / 2), 1e-12);
}

TEST(SwayMeanRemoval, RangePathAndEllipse_OffsetCircleWithoutMeanRemoval_AreUnchanged) {
  const auto t = testing::circle(radius, turns, per_turn, rate, false, offset, offset);
  const auto kept = analyse(t, SwayOptions{.remove_mean = false});
  const auto removed = analyse(t);
  for (const char* name :
       {"cop_range_ml", "cop_range_ap", "cop_path_length", "cop_ellipse95_area"}) {
    EXPECT_NEAR(value(kept, name), value(removed, name), 1e-9 * value(removed, name)) << name;
  }
}

// Diagonal motion at 3 mm/s right and 4 mm/s forward (5 mm/s), 60 s at 100 Hz.
constexpr double vx = 0.003;
constexpr double vy = 0.004;
constexpr std::size_t line_samples = 6000;

TEST(SwayLine, PathLength_StraightLineAtConstantVelocity_IsSpeedTimesTraversalTimePerAxis) {
  const auto t = testing::line(vx, vy, line_samples, rate);
  const auto r = analyse(t);
  EXPECT_NEAR(value(r, "cop_path_length"), std::hypot(vx, vy) * traversal_time(t), 1e-12);
  EXPECT_NEAR(value(r, "cop_path_length_ml"), vx * traversal_time(t), 1e-12);
  EXPECT_NEAR(value(r, "cop_path_length_ap"), vy * traversal_time(t), 1e-12);
}

// n equally spaced points with step d: variance d^2 (n^2 - 1) / 12; for even n the mean distance
// from the middle is d n / 4 and the farthest point is d (n - 1) / 2 away.
TEST(SwayLine, PositionalMeasures_StraightLine_FollowUniformSpacingFormulas) {
  const auto t = testing::line(vx, vy, line_samples, rate);
  const auto r = analyse(t);
  const double n = static_cast<double>(line_samples);
  const double step = std::hypot(vx, vy) / rate;
  const double spread = std::sqrt((n * n - 1) / 12);
  EXPECT_NEAR(value(r, "cop_rms_ml"), vx / rate * spread, 1e-12);
  EXPECT_NEAR(value(r, "cop_rms_ap"), vy / rate * spread, 1e-12);
  EXPECT_NEAR(value(r, "cop_rms"), step * spread, 1e-12);
  EXPECT_NEAR(value(r, "cop_mean_distance"), step * n / 4, 1e-12);
  EXPECT_NEAR(value(r, "cop_max_distance"), step * (n - 1) / 2, 1e-12);
  EXPECT_NEAR(value(r, "cop_range_ml"), vx * traversal_time(t), 1e-12);
  EXPECT_NEAR(value(r, "cop_range_ap"), vy * traversal_time(t), 1e-12);
}

// Every point lies on one line through the mean: no area at all, and not NaN. Summation rounding
// (about n * eps of each variance) survives in det(cov) and its square root lifts it to
// sqrt(n * eps) of rms_ml * rms_ap; 20 is roughly the ellipse factor 2 pi F95.
TEST(SwayLine, AreaMeasures_StraightLine_AreZero) {
  const auto r = analyse(testing::line(vx, vy, line_samples, rate));
  const double area_scale = value(r, "cop_rms_ml") * value(r, "cop_rms_ap");
  const double rounding =
      std::sqrt(static_cast<double>(line_samples) * std::numeric_limits<double>::epsilon());
  EXPECT_NEAR(value(r, "cop_ellipse95_area"), 0.0, 20 * rounding * area_scale);
  EXPECT_NEAR(value(r, "cop_sway_area_per_second"), 0.0, 1e-12 * area_scale);
}

// 8 mm amplitude at 0.5 Hz (200 samples per cycle at 100 Hz), 30 cycles, mediolateral only.
constexpr double amplitude = 0.008;
constexpr int cycles = 30;
constexpr int per_cycle = 200;
constexpr double sine_hz = rate / per_cycle;

TEST(SwaySine, RangeAndRms_SineOf8mmAmplitude_AreTwiceAndOneOverRootTwoOfAmplitude) {
  const auto r = analyse(testing::sine_ml(amplitude, cycles, per_cycle, rate, false));
  EXPECT_NEAR(value(r, "cop_range_ml"), 2 * amplitude, 1e-12);
  EXPECT_NEAR(value(r, "cop_rms_ml"), amplitude / std::numbers::sqrt2, 1e-12);
  EXPECT_EQ(value(r, "cop_range_ap"), 0.0);
  EXPECT_EQ(value(r, "cop_rms_ap"), 0.0);
}

TEST(SwaySine, PathLengthMl_ClosedSine_IsFourAmplitudesPerCycle) {
  const auto t = testing::sine_ml(amplitude, cycles, per_cycle, rate, true);
  const auto r = analyse(t);
  EXPECT_NEAR(value(r, "cop_path_length_ml"), 4 * amplitude * cycles, 1e-12);
  EXPECT_NEAR(value(r, "cop_path_length"), 4 * amplitude * cycles, 1e-12);
  EXPECT_NEAR(value(r, "cop_mean_velocity_ml"), 4 * amplitude * cycles / recording_time(t), 1e-12);
  EXPECT_EQ(value(r, "cop_path_length_ap"), 0.0);
}

// Mean |dx/dt| = 4 A f and mean |x| = 2 A / pi, so speed / (2 pi distance) = f. The discrete mean
// of |sin| is low by (pi / per_cycle)^2 / 3 and the repeated end sample by 1 / n, each raising f.
TEST(SwaySine, MeanFrequency_SineOfHalfHertz_IsHalfHertz) {
  const auto t = testing::sine_ml(amplitude, cycles, per_cycle, rate, true);
  const double discretisation =
      (pi / per_cycle) * (pi / per_cycle) / 3 + 1.0 / static_cast<double>(t.size());
  EXPECT_NEAR(value(analyse(t), "cop_mean_frequency"), sine_hz, 2 * discretisation * sine_hz);
}

TEST(SwayStationary, MeanFrequency_CopThatNeverMoves_IsZeroWithAWarning) {
  const std::vector<double> still(static_cast<std::size_t>(3 * rate), 0.02);
  const auto r = analyze_sway(still, still, rate);
  EXPECT_EQ(value(r, "cop_mean_frequency"), 0.0);
  EXPECT_EQ(value(r, "cop_path_length"), 0.0);
  ASSERT_EQ(r.warnings.size(), 1U);
  EXPECT_NE(r.warnings.front().find("mean frequency"), std::string::npos);
}

}  // namespace
}  // namespace fp::analysis
