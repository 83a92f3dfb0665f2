// The trial runner end to end: the simulated plate on a pseudo-terminal, a real DeviceConnection,
// drive_trial feeding the runner from the acquisition ring and taring the device through it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "forceplate/workflow/test_definition.hpp"
#include "forceplate/workflow/trial_driver.hpp"

namespace fp::workflow {
namespace {

constexpr double kG = 9.80665;

const TestDefinition& builtin(const std::string& id) {
  static const DefinitionSet set = load_definitions({built_in_definitions_dir()});
  const TestDefinition* d = set.find(id);
  if (d == nullptr) throw std::runtime_error("no built-in definition " + id);
  return *d;
}

double truth_time(const std::vector<sim::TruthEvent>& events, const std::string& name) {
  for (const auto& e : events) {
    if (e.name == name) return e.time_s;
  }
  ADD_FAILURE() << "no truth event " << name;
  return -1;
}

// Scenario time of a recorded device sample number.
double scenario_time(const std::vector<sim::TruthSample>& truth, std::uint64_t sequence) {
  for (const auto& t : truth) {
    if (t.sequence == sequence) return t.time_s;
  }
  ADD_FAILURE() << "no truth sample " << sequence;
  return -1;
}

TEST(TrialRunnerE2E, QuietStanceThroughTheSerialPath_TaresTheMiscalibratedPlateAndWeighsTruly) {
  sim::SimulatorConfig sc;
  sc.rate_hz = 200;
  sc.speed = 10;
  sc.scenario.name = "quiet-stance";
  sc.scenario.params = {{"step_on_s", 2.0}};
  // The calibration the device reports says every cell reads 15000 counts (7.5 N) more with no load
  // than it does: untared, the empty plate reads -30 N and the patient 4 % light.
  std::array<std::array<sim::CellModel, sim::kCellsPerPlate>, sim::kMaxPlates> stored{};
  for (auto& plate : stored) {
    for (auto& cell : plate) cell.offset_counts = 25000;
  }
  sc.stored_calibration = stored;
  sim::Simulator simulator(sc);
  simulator.start();
  acq::DeviceConnection device(acq::ConnectionOptions{simulator.port_path()});
  device.connect();
  EXPECT_NEAR(device.device().plates[0].cells[0].offset_counts, 25000, 1e-9);

  TrialRunnerConfig c;
  c.test = builtin("quiet-stance-eyes-open");
  c.recorded_mass_kg = 75;
  c.device = device.device();
  std::vector<std::string> seen;
  c.on_event = [&seen](const RunnerEvent& e) { seen.push_back(e.state); };
  TrialRunner runner(c);
  int progress_calls = 0;
  DriveOptions o;
  o.on_progress = [&progress_calls](const TrialRunner&) {
    ++progress_calls;
    return true;
  };
  EXPECT_EQ(drive_trial(device, runner, o), RunnerState::result);
  // The tare moved the offsets back to the true 10000 counts.
  EXPECT_NEAR(device.device().plates[0].cells[0].offset_counts, 10000, 20);
  device.close();
  simulator.stop();

  const std::vector<std::string> expected = {"plate_empty_check", "taring", "waiting_for_patient", "weighing",
                                             "countdown", "recording", "analysing", "result"};
  EXPECT_EQ(seen, expected);
  EXPECT_GT(progress_calls, 0);
  ASSERT_NE(runner.outcome(), nullptr);
  const TrialOutcome& r = *runner.outcome();
  EXPECT_TRUE(r.valid) << r.reason;
  EXPECT_NEAR(*r.body_weight_n, 75 * kG, 75 * kG * 0.005);
  EXPECT_EQ(r.trial.sample_count(), 6000u);  // 30 s at 200 Hz, losslessly
  EXPECT_TRUE(r.trial.gaps.empty());
  EXPECT_EQ(r.trial.device.serial, "SIM-0001");
  EXPECT_NEAR(r.trial.plates[0].offset_counts[0], 10000, 20);  // stored with the tared offsets
  // The countdown began after the patient was fully on the plate and stable for 1 s.
  const auto truth = simulator.truth();
  const double countdown_at = r.events[4].device_time_s;
  const double offset = scenario_time(truth, r.trial.sequence.front()) - r.trial.time_s.front();
  EXPECT_GT(countdown_at + offset, truth_time(simulator.truth_events(), "fully_on") + 0.5);
  EXPECT_LT(countdown_at + offset, truth_time(simulator.truth_events(), "fully_on") + 1.1);
  ASSERT_NE(r.analysis, std::nullopt);
  EXPECT_NE(r.analysis->result.find("cop_mean_velocity"), nullptr);
  EXPECT_TRUE(runner.accept());
}

TEST(TrialRunnerE2E, HopAndStickThroughTheSerialPath_EndsHoldSecondsAfterTheTrueSettling) {
  sim::SimulatorConfig sc;
  sc.rate_hz = 500;
  sc.speed = 8;
  sc.scenario.name = "landing";
  sc.scenario.params = {{"landing_at_s", 6.0}, {"side", 1}, {"peak_bw", 4.0}};
  sim::Simulator simulator(sc);
  simulator.start();
  acq::DeviceConnection device(acq::ConnectionOptions{simulator.port_path()});
  device.connect();

  TrialRunnerConfig c;
  c.test = builtin("single-leg-hop-and-stick");
  c.side = analysis::Side::right;
  c.device = device.device();
  TrialRunner runner(c);
  EXPECT_EQ(drive_trial(device, runner), RunnerState::result);
  device.close();
  simulator.stop();

  ASSERT_NE(runner.outcome(), nullptr);
  const TrialOutcome& r = *runner.outcome();
  EXPECT_TRUE(r.valid) << r.reason;
  std::vector<std::string> states;
  for (const RunnerEvent& e : r.events) states.push_back(e.state);
  const std::vector<std::string> expected = {"plate_empty_check", "taring", "waiting_for_patient", "countdown",
                                             "recording", "analysing", "result"};
  EXPECT_EQ(states, expected);
  const auto truth = simulator.truth();
  const auto events = simulator.truth_events();
  // The force stayed within ± 5 % of body weight for the 5 s hold from an instant between the last
  // time the true force was > 5.5 % BW away and the last time it was > 4.5 % away (the runner
  // judges noisy, converted samples against its own estimate of body weight).
  const double end = scenario_time(truth, r.trial.sequence.back());
  const double bw = 75 * kG, landing = truth_time(events, "landing");
  double earliest = landing, latest = landing;
  for (const auto& t : truth) {
    if (t.time_s < landing) continue;
    const double dev = std::abs(t.state.plates[0].fz_n + t.state.plates[1].fz_n - bw) / bw;
    if (dev > 0.055) earliest = t.time_s;
    if (dev > 0.045) latest = t.time_s;
  }
  EXPECT_GE(end, earliest + 5.0 - 0.01);
  EXPECT_LE(end, latest + 5.0 + 0.01);
  EXPECT_GE(truth_time(events, "settled"), earliest);
  EXPECT_LE(truth_time(events, "settled"), latest);
  ASSERT_NE(r.analysis, std::nullopt);
  const analysis::Measure* peak = r.analysis->result.find("peak_landing_force_bw");
  ASSERT_NE(peak, nullptr);
  EXPECT_NEAR(peak->value, 4.0, 0.12);
}

}  // namespace
}  // namespace fp::workflow
