// Training with visual feedback: known-answer traces for both modes, gaps, unloaded plates, bad
// definitions, storing with a trial, and the simulator (which knows the load share it generated)
// through the real serial path.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "forceplate/workflow/recorder.hpp"
#include "forceplate/workflow/training.hpp"

namespace fp::workflow {
namespace {

const analysis::Measure& measure(const analysis::AnalysisResult& r, const std::string& name) {
  const analysis::Measure* m = r.find(name);
  if (!m) throw std::runtime_error("no measure " + name);
  return *m;
}

TrainingDefinition cop_definition(double duration_s) {
  TrainingDefinition d;
  d.mode = TrainingMode::cop_target;
  d.duration_s = duration_s;
  d.target_x_m = 0.010;
  d.target_y_m = -0.020;
  d.target_radius_m = 0.015;
  return d;
}

// A point `r` from the target centre in a direction that turns with i (so that x and y both vary).
void point_at(const TrainingDefinition& d, int i, double r, double& x, double& y) {
  const double a = 0.37 * i;
  x = d.target_x_m + r * std::cos(a);
  y = d.target_y_m + r * std::sin(a);
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<no exception>";
}

TEST(Training, CopTrace_InZone62Point5PercentWithLongestHold1Point25s) {
  // 100 Hz, 8 s = 800 samples: in 125, out 50, in 100, unloaded 100, in 100, out 50, in 100,
  // unloaded 100, in 75 -> 500 in the zone (62.5 %), longest hold 125 samples = 1.25 s.
  const TrainingDefinition d = cop_definition(8.0);
  TrainingScorer s(d, 100.0);
  struct Run {
    int n;
    int kind;  // 0 in (5 mm from the centre), 1 out (30 mm), 2 unloaded (no COP)
  };
  const Run runs[] = {{125, 0}, {50, 1}, {100, 0}, {100, 2}, {100, 0}, {50, 1}, {100, 0}, {100, 2}, {75, 0}};
  int i = 0;
  for (const Run& run : runs) {
    for (int k = 0; k < run.n; ++k, ++i) {
      double x = NAN, y = NAN;
      if (run.kind != 2) point_at(d, i, run.kind == 0 ? 0.005 : 0.030, x, y);
      ASSERT_TRUE(s.add_cop(i / 100.0, x, y, run.kind == 2 ? 5.0 : 700.0)) << i;
      if (i == 124) {  // end of the first run
        EXPECT_TRUE(s.live().in_zone);
        EXPECT_TRUE(s.live().has_value);
        EXPECT_DOUBLE_EQ(s.live().current_hold_s, 1.25);
        EXPECT_DOUBLE_EQ(s.live().time_in_zone_percent, 100.0);
        EXPECT_DOUBLE_EQ(s.live().cop_x_m, x);
        EXPECT_DOUBLE_EQ(s.live().remaining_s, 6.75);
      }
      if (i == 174) {  // after 50 out
        EXPECT_FALSE(s.live().in_zone);
        EXPECT_DOUBLE_EQ(s.live().current_hold_s, 0.0);
        EXPECT_DOUBLE_EQ(s.live().longest_hold_s, 1.25);
        EXPECT_DOUBLE_EQ(s.live().time_in_zone_percent, 100.0 * 125 / 175);
      }
      if (i == 300) {  // unloaded: no COP, out of the zone
        EXPECT_FALSE(s.live().has_value);
        EXPECT_FALSE(s.live().in_zone);
        EXPECT_TRUE(std::isnan(s.live().cop_x_m));
      }
    }
  }
  ASSERT_EQ(i, 800);
  EXPECT_TRUE(s.finished());
  EXPECT_FALSE(s.add_cop(8.0, d.target_x_m, d.target_y_m, 700.0)) << "after the end, samples are ignored";
  EXPECT_EQ(s.live().samples, 800u);
  EXPECT_DOUBLE_EQ(s.live().remaining_s, 0.0);
  EXPECT_DOUBLE_EQ(s.live().current_hold_s, 0.75);

  const analysis::AnalysisResult r = s.result();
  EXPECT_EQ(r.test, "training-cop-target");
  EXPECT_DOUBLE_EQ(measure(r, "time_in_zone").value, 62.5);
  EXPECT_EQ(measure(r, "time_in_zone").unit, analysis::Unit::percent);
  EXPECT_DOUBLE_EQ(measure(r, "longest_hold").value, 1.25);
  EXPECT_EQ(measure(r, "longest_hold").unit, analysis::Unit::second);
  // 500 samples 5 mm away, 100 samples 30 mm away, 200 without a COP (not in the mean).
  EXPECT_NEAR(measure(r, "mean_distance_to_target").value, (500 * 0.005 + 100 * 0.030) / 600, 1e-12);
  EXPECT_EQ(measure(r, "mean_distance_to_target").unit, analysis::Unit::metre);
  EXPECT_DOUBLE_EQ(measure(r, "samples").value, 800);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "200 of 800 samples had no centre of pressure (plate unloaded) and count as out of the zone");
}

TEST(Training, WeightShareRamp_InvolvedLeft_BandCatchesTheMiddleOfTheRamp) {
  // 700 N in total; the left share ramps 30 % -> 69.9 % in 0.1 % steps over 4 s at 100 Hz.
  // Band 44.95-55.05 %: samples 150..250 (101 samples) are in it, as one hold of 1.01 s.
  TrainingDefinition d;
  d.mode = TrainingMode::weight_share;
  d.duration_s = 4.0;
  d.share_min_percent = 44.95;
  d.share_max_percent = 55.05;
  TrainingScorer s(d, 100.0);
  for (int i = 0; i < 400; ++i) {
    const double share = 30.0 + 0.1 * i;
    ASSERT_TRUE(s.add_forces(i / 100.0, 7.0 * share, 7.0 * (100.0 - share)));
    if (i == 200) {
      EXPECT_TRUE(s.live().in_zone);
      EXPECT_NEAR(s.live().share_percent, 50.0, 1e-9);
      EXPECT_DOUBLE_EQ(s.live().current_hold_s, 0.51);
    }
  }
  EXPECT_TRUE(s.finished());
  const analysis::AnalysisResult r = s.result();
  EXPECT_EQ(r.test, "training-weight-share");
  EXPECT_DOUBLE_EQ(measure(r, "time_in_zone").value, 25.25);
  EXPECT_DOUBLE_EQ(measure(r, "longest_hold").value, 1.01);
  // mean |share - 50| = 0.1 x mean |i - 200| over i = 0..399 = 0.1 x (20100 + 19900) / 400 = 10 %.
  EXPECT_NEAR(measure(r, "mean_share_error").value, 10.0, 1e-9);
  EXPECT_EQ(measure(r, "mean_share_error").unit, analysis::Unit::percent);
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}

TEST(Training, WeightShareRamp_InvolvedRight_UsesTheRightPlatesShare) {
  // Same ramp: the right share falls 70 % -> 30.1 %; band 59.95-70.05 % holds samples 0..100.
  TrainingDefinition d;
  d.mode = TrainingMode::weight_share;
  d.duration_s = 4.0;
  d.involved_side = analysis::Side::right;
  d.share_min_percent = 59.95;
  d.share_max_percent = 70.05;
  TrainingScorer s(d, 100.0);
  for (int i = 0; i < 400; ++i) {
    const double share_left = 30.0 + 0.1 * i;
    s.add_forces(i / 100.0, 7.0 * share_left, 7.0 * (100.0 - share_left));
  }
  const analysis::AnalysisResult r = s.result();
  EXPECT_DOUBLE_EQ(measure(r, "time_in_zone").value, 25.25);
  EXPECT_DOUBLE_EQ(measure(r, "longest_hold").value, 1.01);
  EXPECT_NEAR(s.live().share_percent, 30.1, 1e-9);
}

TEST(Training, WeightShare_NobodyOnThePlates_IsOutOfTheZone) {
  TrainingDefinition d;
  d.mode = TrainingMode::weight_share;
  d.duration_s = 1.0;
  TrainingScorer s(d, 100.0);
  for (int i = 0; i < 100; ++i) {
    if (i < 60) {
      s.add_forces(i / 100.0, 350, 350);  // 50 %: in
    } else {
      s.add_forces(i / 100.0, 20, 10);  // 30 N in total, below min_total_force_n: no share
    }
  }
  EXPECT_FALSE(s.live().has_value);
  EXPECT_TRUE(std::isnan(s.live().share_percent));
  EXPECT_DOUBLE_EQ(s.result().find("time_in_zone")->value, 60.0);
  EXPECT_DOUBLE_EQ(s.result().find("mean_share_error")->value, 0.0);
}

TEST(Training, Gaps_ShortGapKeepsTheHoldLongGapEndsIt_MissingTimeNotCounted) {
  // Two plates, the stance foot on plate 1, fed as acq::Samples. 100 Hz: samples 0..99, a jump of
  // 5 samples in device time (0.05 s, bridged), 105..199, then a gap of 50 samples reported by the
  // device (0.5 s, ends the hold), 250..299. Every delivered sample is in the zone.
  TrainingDefinition d = cop_definition(10.0);
  d.plate = 1;
  TrainingScorer s(d, 100.0);
  auto feed = [&](int i, std::uint64_t gap_before) {
    acq::Sample smp;
    smp.sequence = static_cast<std::uint64_t>(i);
    smp.device_time_s = i / 100.0;
    smp.gap_before = gap_before;
    smp.plate_count = 2;
    smp.cop_x_m = {NAN, d.target_x_m + 0.002};  // plate 0 unloaded: must not matter
    smp.cop_y_m = {NAN, d.target_y_m};
    smp.fz_n = {0, 700};
    smp.total_fz_n = 700;
    s.add(smp);
  };
  for (int i = 0; i < 100; ++i) feed(i, 0);
  for (int i = 105; i < 200; ++i) feed(i, 0);
  EXPECT_DOUBLE_EQ(s.live().current_hold_s, 1.95);
  EXPECT_EQ(s.live().gaps, 1u);
  for (int i = 250; i < 300; ++i) feed(i, i == 250 ? 50 : 0);
  const TrainingLiveState& l = s.live();
  EXPECT_EQ(l.samples, 245u);
  EXPECT_EQ(l.gaps, 2u);
  EXPECT_EQ(l.samples_missing, 55u);
  EXPECT_DOUBLE_EQ(l.time_in_zone_percent, 100.0);
  EXPECT_DOUBLE_EQ(l.current_hold_s, 0.5);
  EXPECT_DOUBLE_EQ(l.longest_hold_s, 1.95);
  EXPECT_DOUBLE_EQ(l.elapsed_s, 3.0);
  EXPECT_DOUBLE_EQ(l.remaining_s, 7.0);
  EXPECT_FALSE(s.finished());
  const analysis::AnalysisResult r = s.result();
  EXPECT_NEAR(measure(r, "mean_distance_to_target").value, 0.002, 1e-12);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0], "the session ended early: 3 s of 10 s");
  EXPECT_EQ(r.warnings[1], "2 gap(s), 55 samples missing: not counted in or out of the zone");
}

TEST(Training, StartForce_ClockStartsWhenThePatientStepsOn_UnloadedAfterwardsCountsOut) {
  TrainingDefinition d = cop_definition(3.0);
  d.start_force_n = 200;
  TrainingScorer s(d, 100.0);
  for (int i = 0; i < 50; ++i) s.add_cop(i / 100.0, NAN, NAN, 3.0);  // empty plate
  EXPECT_FALSE(s.live().started);
  EXPECT_EQ(s.live().samples, 0u);
  EXPECT_DOUBLE_EQ(s.live().remaining_s, 3.0);
  for (int i = 50; i < 150; ++i) s.add_cop(i / 100.0, d.target_x_m, d.target_y_m, 700);
  for (int i = 150; i < 350; ++i) s.add_cop(i / 100.0, NAN, NAN, 3.0);  // stepped off
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.live().samples, 300u);
  EXPECT_NEAR(s.live().time_in_zone_percent, 100.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(s.live().longest_hold_s, 1.0);
}

TEST(Training, BadDefinitions_AreRefusedWithAMessageNamingTheField) {
  auto cop = [](auto change) {
    TrainingDefinition d;
    change(d);
    return message_of([&] { validate(d); });
  };
  EXPECT_EQ(cop([](TrainingDefinition& d) { d.target_radius_m = 0; }),
            "training: target_radius_m must be in (0, 0.25] m (got 0)");
  EXPECT_EQ(cop([](TrainingDefinition& d) { d.duration_s = -5; }), "training: duration_s must be in (0, 3600] s (got -5)");
  EXPECT_EQ(cop([](TrainingDefinition& d) { d.duration_s = NAN; }), "training: duration_s must be in (0, 3600] s (got nan)");
  EXPECT_EQ(cop([](TrainingDefinition& d) { d.plate = 2; }), "training: plate must be 0 or 1 (got 2)");
  EXPECT_EQ(cop([](TrainingDefinition& d) { d.target_x_m = 0.8; }),
            "training: target_x_m must be within +-0.5 m of the plate centre (got 0.8)");
  EXPECT_EQ(cop([](TrainingDefinition& d) {
              d.mode = TrainingMode::weight_share;
              d.share_min_percent = 60;
              d.share_max_percent = 50;
            }),
            "training: share_min_percent (60) must be below share_max_percent (50)");
  EXPECT_EQ(cop([](TrainingDefinition& d) {
              d.mode = TrainingMode::weight_share;
              d.share_max_percent = 120;
            }),
            "training: share_max_percent must be in [0, 100] % (got 120)");
  EXPECT_EQ(cop([](TrainingDefinition&) {}), "<no exception>");
  // The scorer validates too, and needs a rate.
  EXPECT_EQ(message_of([] { TrainingScorer s(TrainingDefinition{}, 0.0); }),
            "training: sample rate must be > 0 Hz (got 0)");
  TrainingDefinition bad;
  bad.target_radius_m = -0.01;
  EXPECT_EQ(message_of([&] { TrainingScorer s(bad, 100.0); }),
            "training: target_radius_m must be in (0, 0.25] m (got -0.01)");
  // Feeding the wrong kind of value is a programming error.
  TrainingScorer cop_scorer(TrainingDefinition{}, 100.0);
  EXPECT_THROW(cop_scorer.add_forces(0, 1, 1), std::logic_error);
}

TEST(Training, ModeNames_RoundTrip) {
  EXPECT_EQ(parse_training_mode("cop-target"), TrainingMode::cop_target);
  EXPECT_EQ(parse_training_mode("weight-share"), TrainingMode::weight_share);
  EXPECT_FALSE(parse_training_mode("balance").has_value());
  EXPECT_EQ(training_test_name(TrainingMode::weight_share), "training-weight-share");
}

TEST(Training, StoreIn_Trial_NamesTheTestSideDefinitionAndResultsInDisplayUnits) {
  TrainingDefinition d = cop_definition(1.0);
  d.involved_side = analysis::Side::right;
  TrainingScorer s(d, 100.0);
  for (int i = 0; i < 100; ++i) s.add_cop(i / 100.0, d.target_x_m + (i < 80 ? 0.003 : 0.05), d.target_y_m, 700);
  data::Trial t;
  s.store_in(t);
  EXPECT_EQ(t.test_name, "training-cop-target");
  EXPECT_EQ(t.side, "right");
  const auto j = nlohmann::json::parse(t.test_definition);
  EXPECT_EQ(j.at("mode"), "cop-target");
  EXPECT_DOUBLE_EQ(j.at("target_radius_m").get<double>(), 0.015);
  ASSERT_EQ(t.results.size(), 4u);
  EXPECT_EQ(t.results[0].name, "time_in_zone");
  EXPECT_DOUBLE_EQ(t.results[0].value, 80.0);
  EXPECT_EQ(t.results[0].unit, "%");
  EXPECT_EQ(t.results[1].name, "longest_hold");
  EXPECT_DOUBLE_EQ(t.results[1].value, 0.8);
  EXPECT_EQ(t.results[1].unit, "s");
  EXPECT_EQ(t.results[2].name, "mean_distance_to_target");
  EXPECT_NEAR(t.results[2].value, (80 * 3.0 + 20 * 50.0) / 100, 1e-9);  // mm
  EXPECT_EQ(t.results[2].unit, "mm");
  EXPECT_EQ(t.results[3].name, "samples");
  EXPECT_DOUBLE_EQ(t.results[3].value, 100);
}

TEST(Training, Simulator_StepOnOffTwoPlates60PercentLeft_ShareIs60AndInA55To65BandAllTheTime) {
  // The simulator through the real serial path at 1 kHz, 4x real time. The person steps on at 1 s
  // (fully on at 1.6 s) with 60 % of the load on the left plate; the clock starts once on the plate.
  sim::SimulatorConfig cfg;
  cfg.rate_hz = 1000;
  cfg.plate_count = 2;
  cfg.speed = 4.0;
  cfg.scenario.name = "step-on-off";
  cfg.scenario.plate_count = 2;
  cfg.scenario.params = {{"load_share_left", 0.6}, {"step_off_s", 30.0}};
  sim::Simulator simulator(cfg);
  simulator.start();
  acq::DeviceConnection device(acq::ConnectionOptions{simulator.port_path()});
  const acq::DeviceDescription desc = device.connect();
  ASSERT_EQ(desc.plates.size(), 2u);

  TrainingDefinition d;
  d.mode = TrainingMode::weight_share;
  d.duration_s = 6.0;
  d.involved_side = analysis::Side::left;
  d.share_min_percent = 55;
  d.share_max_percent = 65;
  d.start_force_n = 0.9 * cfg.scenario.mass_kg * sim::kGravity;  // on the plate
  TrainingScorer s(d, desc.nominal_rate_hz);
  double share_sum = 0;
  int shares = 0;
  const data::Trial t = record_trial(device, RecordOptions{8.5, "training-weight-share"}, [&](const acq::Sample& smp) {
    s.add(smp);
    if (s.live().started && !s.finished() && s.live().has_value) {
      share_sum += s.live().share_percent;
      ++shares;
    }
  });
  simulator.stop();
  EXPECT_TRUE(s.finished()) << s.live().elapsed_s;
  const analysis::AnalysisResult r = s.result();
  EXPECT_NEAR(share_sum / shares, 60.0, 0.5);
  EXPECT_GE(measure(r, "time_in_zone").value, 99.0);
  EXPECT_GE(measure(r, "longest_hold").value, 0.99 * 6.0);
  EXPECT_LT(measure(r, "mean_share_error").value, 1.0);
  EXPECT_NEAR(measure(r, "samples").value, 6000, 1);
  EXPECT_EQ(s.live().gaps, 0u);

  // The same share in a band that excludes it: never in the zone.
  TrainingDefinition off = d;
  off.share_min_percent = 45;
  off.share_max_percent = 55;
  TrainingScorer s2(off, desc.nominal_rate_hz);
  for (std::size_t i = 0; i < t.sample_count(); ++i) {
    s2.add_forces(t.time_s[i], t.fz_n[2 * i], t.fz_n[2 * i + 1]);
  }
  EXPECT_LT(s2.result().find("time_in_zone")->value, 1.0);
}

}  // namespace
}  // namespace fp::workflow
