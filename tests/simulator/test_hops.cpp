// Repeated single-leg hops: per-hop truth against the zero-force intervals and the impulses.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "series.hpp"

namespace fp::sim::testing {
namespace {

constexpr double kRates[] = {100, 1000, 2000};

TEST(Hops, EachHopsFlightAndContactTimesMatchTheZeroForceIntervalsWithinOneSample) {
  for (const double rate : kRates) {
    const int count = 6;
    const Series s = run(settings("hops", {{"count", count}}), rate, 12);
    std::size_t i = s.index_at(s.event("movement_onset").time_s);
    for (int k = 1; k <= count; ++k) {
      const std::string n = std::to_string(k);
      const std::size_t off = s.first_zero(i);
      const std::size_t on = s.first_loaded(off);
      ASSERT_LT(on, s.size()) << "hop " << k;
      EXPECT_GT(s.event("takeoff_" + n).time_s, s.t[off - 1]) << rate << " Hz, hop " << k;
      EXPECT_LE(s.event("takeoff_" + n).time_s, s.t[off]) << rate << " Hz, hop " << k;
      EXPECT_LE(std::abs(s.t[on] - s.t[off] - s.event("flight_time_" + n).value), s.dt() + 1e-12)
          << rate << " Hz, hop " << k;
      EXPECT_NEAR(s.event("landing_" + n).time_s - s.event("takeoff_" + n).time_s, s.event("flight_time_" + n).value,
                  1e-9);
      if (k < count) {
        const std::size_t next_off = s.first_zero(on);
        EXPECT_LE(std::abs(s.t[next_off] - s.t[on] - s.event("contact_time_" + n).value), s.dt() + 1e-12)
            << rate << " Hz, contact " << k;
      } else {
        EXPECT_FALSE(s.has_event("contact_time_" + n)) << "the last landing is held, not a contact";
        EXPECT_NEAR(s.event("landing").time_s, s.event("landing_" + n).time_s, 1e-12);
      }
      i = on;
    }
    EXPECT_FALSE(s.has_event("takeoff_" + std::to_string(count + 1)));
  }
}

TEST(Hops, EachContactTurnsTheLandingVelocityIntoTheNextTakeoffVelocity) {
  const Series s = run(settings("hops", {{"count", 5}}), 2000, 12);
  for (int k = 1; k < 5; ++k) {
    // Landing at g T_k / 2 (a flight of T_k that ends at take-off height), leaving at g T_k+1 / 2.
    const double v_in = kGravity * s.event("flight_time_" + std::to_string(k)).value / 2;
    const double v_out = kGravity * s.event("flight_time_" + std::to_string(k + 1)).value / 2;
    const double landing = s.event("landing_" + std::to_string(k)).time_s;
    const double takeoff = s.event("takeoff_" + std::to_string(k + 1)).time_s;
    const std::size_t a = s.index_at(landing) - 1, b = s.index_at(takeoff);
    const double v_a = -v_in + kGravity * (landing - s.t[a]);
    const double v_b = v_out - kGravity * (s.t[b] - takeoff);
    EXPECT_NEAR(s.velocity_change(a, b), v_b - v_a, 0.01 * (v_in + v_out)) << "contact " << k;
  }
}

TEST(Hops, TimesVaryFromHopToHopAroundTheNominalValues) {
  const Series s = run(settings("hops", {{"count", 10}, {"flight_s", 0.4}, {"contact_s", 0.3}, {"variability", 0.05}}),
                       1000, 16);
  std::set<double> flights;
  for (int k = 1; k <= 10; ++k) {
    const double f = s.event("flight_time_" + std::to_string(k)).value;
    EXPECT_NEAR(f, 0.4, 3 * 0.05 * 0.4 + 1e-12);
    flights.insert(f);
    if (k < 10) {
      EXPECT_NEAR(s.event("contact_time_" + std::to_string(k)).value, 0.3, 3 * 0.05 * 0.3 + 1e-12);
    }
    const double v = kGravity * f / 2;
    EXPECT_NEAR(s.event("hop_height_" + std::to_string(k)).value, v * v / (2 * kGravity), 1e-12);
  }
  EXPECT_EQ(flights.size(), 10u);
}

TEST(Hops, WithoutVariabilityEveryHopTakesTheNominalTimes) {
  const Series s = run(settings("hops", {{"count", 4}, {"variability", 0}}), 1000, 10);
  for (int k = 1; k <= 4; ++k) EXPECT_DOUBLE_EQ(s.event("flight_time_" + std::to_string(k)).value, 0.35);
  for (int k = 1; k < 4; ++k) EXPECT_DOUBLE_EQ(s.event("contact_time_" + std::to_string(k)).value, 0.30);
}

TEST(Hops, OnTwoPlatesOnlyTheStanceSideIsLoaded) {
  const Series s = run(settings("hops", {{"side", 1}}, 2), 1000, 10);
  for (std::size_t i = 0; i < s.size(); ++i) ASSERT_EQ(s.fz(i, 0), 0.0);
  EXPECT_GT(s.max_fz(0, s.size() - 1), 2 * s.weight());
}

}  // namespace
}  // namespace fp::sim::testing
