// Single-leg stance and weight-bearing trials recorded from the simulator through the serial path
// and analysed as the clinic would, against what the simulated person did.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "forceplate/workflow/demo.hpp"

namespace fp::workflow {
namespace {

double event_time(const std::vector<sim::TruthEvent>& events, const std::string& name) {
  for (const auto& e : events) {
    if (e.name == name) return e.time_s;
  }
  ADD_FAILURE() << "no truth event " << name;
  return -1;
}

TEST(TrialTests, SingleLegStanceWithATouchdownBesideThePlate_FailureFoundWhenItHappened) {
  DemoOptions o;
  o.simulator.speed = 5;
  o.simulator.scenario.name = "single-leg-stance";
  o.simulator.scenario.params = {{"side", 0}, {"touchdown_at_s", 7.0}, {"touchdown_on_plate", 0}};
  o.test_name = "single-leg-stance";
  o.analysis.side = analysis::Side::left;
  o.duration_s = 12;
  o.output = std::filesystem::path(FP_BINARY_DIR) / "e2e" / "single-leg.h5";
  sim::Simulator probe(o.simulator);  // the same scenario, only to read its truth events
  const DemoResult r = run_demo(o);
  const analysis::AnalysisResult& res = r.analysis.result;
  ASSERT_NE(res.find("failure_count"), nullptr);
  EXPECT_GE(res.find("failure_count")->value, 1.0);
  // Time to first failure counts from the start of the analysed part.
  const double start = r.trial.time_s[r.analysis.window.begin];
  const double touchdown = event_time(r.events, "touchdown_start_1");
  EXPECT_NEAR(touchdown, 7.0, 1e-9);
  EXPECT_NEAR(res.find("time_to_first_failure")->value + start, touchdown, 0.15);
  EXPECT_FALSE(res.warnings.empty());  // the trial is flagged
}

TEST(TrialTests, SingleLegStanceWithoutFailures_WholeStanceInBalance) {
  DemoOptions o;
  o.simulator.speed = 5;
  o.simulator.scenario.name = "single-leg-stance";
  o.simulator.scenario.params = {{"side", 1}};
  o.test_name = "single-leg-stance";
  o.analysis.side = analysis::Side::right;
  o.duration_s = 10;
  o.output = std::filesystem::path(FP_BINARY_DIR) / "e2e" / "single-leg-ok.h5";
  const DemoResult r = run_demo(o);
  EXPECT_EQ(r.analysis.result.find("failure_count")->value, 0.0);
  // Larger mediolateral than anteroposterior sway, as the scenario was told (5 mm vs 4 mm SD).
  EXPECT_GT(r.analysis.result.find("cop_rms_ml")->value, r.analysis.result.find("cop_rms_ap")->value);
}

TEST(TrialTests, WeightBearingOnTwoPlatesWith60PercentLeft_ShareRecovered) {
  DemoOptions o;
  o.simulator.speed = 5;
  o.simulator.plate_count = 2;
  o.simulator.scenario.name = "step-on-off";
  o.simulator.scenario.params = {{"load_share_left", 0.6}, {"step_off_s", 30}};
  o.test_name = "weight-bearing";
  o.duration_s = 10;
  o.output = std::filesystem::path(FP_BINARY_DIR) / "e2e" / "weight-bearing.h5";
  const DemoResult r = run_demo(o);
  EXPECT_NEAR(r.analysis.result.find("load_left_mean")->value, 60.0, 0.5);
  EXPECT_NEAR(r.analysis.result.find("load_right_mean")->value, 40.0, 0.5);
}

}  // namespace
}  // namespace fp::workflow

namespace fp::workflow {
namespace {

TEST(TrialTests, ImportedTrialWithDroppedFrames_IsResampledAndStillMeasuresTheKnownSway) {
  // 30 s at 100 Hz of a 0.5 Hz, 5 mm mediolateral sine, with every 40th frame missing.
  data::Trial t;
  t.test_name = "quiet-stance";
  t.sample_rate_hz = 100;
  t.cells_per_plate = 0;
  t.plates.push_back(data::PlateInfo{});
  for (int i = 0; i < 3000; ++i) {
    if (i % 40 == 39) continue;
    const double time = i / 100.0;
    t.sequence.push_back(static_cast<std::uint64_t>(i));
    t.time_s.push_back(time);
    t.fz_n.push_back(700);
    t.cop_x_m.push_back(0.005 * std::sin(2 * 3.141592653589793 * 0.5 * time));
    t.cop_y_m.push_back(0.0);
  }
  TrialAnalysisOptions o;
  o.lowpass.reset();
  o.settle_s = 0;
  const TrialAnalysis r = analyze_trial(t, o);
  bool resampled = false;
  for (const auto& step : r.result.processing) resampled = resampled || step.find("resampled") != std::string::npos;
  EXPECT_TRUE(resampled);
  EXPECT_NEAR(r.result.find("cop_rms_ml")->value, 0.005 / std::sqrt(2.0), 0.005 / std::sqrt(2.0) * 0.01);
  EXPECT_NEAR(r.result.find("duration")->value, 29.99, 0.02);
}

}  // namespace
}  // namespace fp::workflow

namespace fp::workflow {
namespace {

// A countermovement jump on two plates through the serial path, 45 % of the load on the left foot:
// the analysis finds the jump in the total force and each limb's share of every phase.
TEST(TrialTests, CountermovementJumpOnTwoPlates_AsymmetryOfEveryPhaseRecovered) {
  DemoOptions o;
  o.simulator.speed = 5;
  o.simulator.plate_count = 2;
  o.simulator.rate_hz = 1000;
  o.simulator.scenario.name = "cmj";
  o.simulator.scenario.params = {{"load_share_left", 0.45}};
  o.test_name = "cmj";
  o.duration_s = 8;
  o.output = std::filesystem::path(FP_BINARY_DIR) / "e2e" / "cmj-two-plates.h5";
  const DemoResult r = run_demo(o);
  const analysis::AnalysisResult& res = r.analysis.result;
  // (55 - 45) / 55 = 18.2 % more from the right limb, in every phase and at every peak.
  for (const char* m : {"braking_impulse_asymmetry", "propulsion_impulse_asymmetry",
                        "peak_propulsive_force_asymmetry", "peak_landing_force_asymmetry"}) {
    ASSERT_NE(res.find(m), nullptr) << m;
    EXPECT_NEAR(res.find(m)->value, 100.0 * 10 / 55, 1.5) << m;
  }
  EXPECT_NEAR(res.find("jump_height_flight")->value, 0.30, 0.01);
  EXPECT_NEAR(res.find("jump_height_impulse")->value, 0.30, 0.015);
}

}  // namespace
}  // namespace fp::workflow
