// The trial runner fed sample by sample from simulated people (fp::sim scenarios, no serial line):
// every built-in test definition against the scenario that matches it, and against ones that do
// not (a step-off in a stance test, no landing in a landing test, no jump, too few hops, the wrong
// recorded mass). States, validity and analysed values are checked against the scenario's truth.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "forceplate/simulator/scenario.hpp"
#include "forceplate/workflow/test_definition.hpp"
#include "forceplate/workflow/trial_runner.hpp"

namespace fp::workflow {
namespace {

constexpr double kG = 9.80665;

const DefinitionSet& definitions() {
  static const DefinitionSet set = load_definitions({built_in_definitions_dir()});
  return set;
}

const TestDefinition& definition(const std::string& id) {
  const TestDefinition* d = definitions().find(id);
  if (d == nullptr) throw std::runtime_error("no built-in definition " + id);
  return *d;
}

acq::DeviceDescription device(int plates, double rate_hz) {
  acq::DeviceDescription d;
  d.serial = "FEED-1";
  d.nominal_rate_hz = rate_hz;
  d.current_rate_hz = rate_hz;
  for (int k = 0; k < plates; ++k) {
    acq::PlateSpec p;
    p.width_m = 0.5;
    p.length_m = 0.5;
    p.origin_x_m = plates == 1 ? 0.0 : (k == 0 ? -0.25 : 0.25);
    d.plates.push_back(p);
  }
  return d;
}

struct Generated {
  std::vector<acq::Sample> samples;
  std::vector<sim::BodyState> truth;
  std::vector<sim::TruthEvent> events;
  double rate_hz = 0;
};

// `seconds` of a scenario as the acquisition would deliver it: per-plate force with 1 N of noise,
// COP (NaN below 20 N) and the totals in the common frame of `device(plates)`.
Generated generate(const std::string& scenario, std::map<std::string, double> params, double seconds,
                   double rate_hz = 100, int plates = 1, double mass_kg = 75) {
  sim::ScenarioSettings st;
  st.name = scenario;
  st.mass_kg = mass_kg;
  st.plate_count = plates;
  st.params = std::move(params);
  auto sc = sim::make_scenario(st, rate_hz);
  const acq::DeviceDescription d = device(plates, rate_hz);
  std::mt19937_64 rng(42);
  std::normal_distribution<double> noise(0.0, 1.0);
  Generated g;
  g.rate_hz = rate_hz;
  const auto n = static_cast<std::size_t>(std::llround(seconds * rate_hz));
  for (std::size_t i = 0; i < n; ++i) {
    const sim::BodyState b = sc->next();
    acq::Sample s;
    s.sequence = i;
    s.device_time_s = sc->time_s();
    s.plate_count = static_cast<std::uint8_t>(plates);
    double fz = 0, mx = 0, my = 0;
    for (std::size_t k = 0; k < static_cast<std::size_t>(plates); ++k) {
      const double f = b.plates[k].fz_n + noise(rng);
      s.fz_n[k] = f;
      const bool loaded = f >= 20;
      s.cop_x_m[k] = loaded ? b.plates[k].cop_x_m : std::nan("");
      s.cop_y_m[k] = loaded ? b.plates[k].cop_y_m : std::nan("");
      fz += f;
      if (loaded) {
        mx += f * (b.plates[k].cop_x_m + d.plates[k].origin_x_m);
        my += f * b.plates[k].cop_y_m;
      }
    }
    s.total_fz_n = fz;
    s.total_cop_x_m = fz >= 20 ? mx / fz : std::nan("");
    s.total_cop_y_m = fz >= 20 ? my / fz : std::nan("");
    g.samples.push_back(s);
    g.truth.push_back(b);
  }
  g.events = sc->events();
  return g;
}

double truth(const Generated& g, const std::string& name) {
  for (const auto& e : g.events) {
    if (e.name == name) return e.time_s;
  }
  ADD_FAILURE() << "no truth event " << name;
  return -1;
}

double truth_value(const Generated& g, const std::string& name) {
  for (const auto& e : g.events) {
    if (e.name == name) return e.value;
  }
  ADD_FAILURE() << "no truth event " << name;
  return -1;
}

struct Observed {
  std::vector<std::string> states;  // every state entered, in order
  std::vector<RunnerEvent> events;
  std::optional<TrialOutcome> outcome;
  std::size_t tare_samples = 0;
  std::size_t fed = 0;
  LiveFeedback live_at_result;
};

TrialRunnerConfig config(const std::string& id, const Generated& g, std::optional<analysis::Side> side = {},
                         std::optional<double> mass_kg = {}, int plates = 1) {
  TrialRunnerConfig c;
  c.test = definition(id);
  c.side = side;
  c.recorded_mass_kg = mass_kg;
  c.device = device(plates, g.rate_hz);
  return c;
}

// Feeds the samples until the runner shows a result (or the samples run out).
Observed feed_all(TrialRunnerConfig c, const Generated& g) {
  Observed r;
  c.on_tare = [&r](const std::vector<acq::Sample>& s) { r.tare_samples = s.size(); };
  TrialRunner runner(std::move(c));
  EXPECT_TRUE(runner.start());
  for (const acq::Sample& s : g.samples) {
    runner.feed(s);
    ++r.fed;
    if (runner.finished()) break;
  }
  r.live_at_result = runner.live();
  r.events = runner.events();
  for (const RunnerEvent& e : r.events) r.states.push_back(e.state);
  if (runner.outcome() != nullptr) r.outcome = *runner.outcome();
  return r;
}

const std::vector<std::string> kOnPlate = {"plate_empty_check", "taring", "waiting_for_patient", "weighing",
                                           "countdown", "recording", "analysing", "result"};
const std::vector<std::string> kOffPlate = {"plate_empty_check", "taring", "waiting_for_patient", "countdown",
                                            "recording", "analysing", "result"};

double measure(const Observed& r, const std::string& name) {
  if (!r.outcome || !r.outcome->analysis) {
    ADD_FAILURE() << "no analysis";
    return std::nan("");
  }
  const analysis::Measure* m = r.outcome->analysis->result.find(name);
  if (m == nullptr) {
    ADD_FAILURE() << "no measure " << name;
    return std::nan("");
  }
  return m->value;
}

double event_time(const Observed& r, const std::string& state) {
  for (const RunnerEvent& e : r.events) {
    if (e.state == state) return e.device_time_s;
  }
  ADD_FAILURE() << "no event " << state;
  return -1;
}

void expect_valid(const Observed& r) {
  ASSERT_TRUE(r.outcome.has_value()) << "no result after " << r.fed << " samples";
  EXPECT_TRUE(r.outcome->valid) << r.outcome->reason;
}

// RMS about the mean of the true total COP x (mediolateral) over [from, to) of scenario time.
double true_rms_ml(const Generated& g, double from, double to) {
  std::vector<double> x;
  for (std::size_t i = 0; i < g.samples.size(); ++i) {
    const double t = g.samples[i].device_time_s;
    if (t >= from && t < to) x.push_back(g.truth[i].plates[0].cop_x_m);
  }
  double m = 0;
  for (double v : x) m += v;
  m /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size()));
}

// When the runner may end a landing-settled trial, from the noise-free truth: the force stays
// within ± 5 % of body weight for the hold time from some instant between the last time the true
// force was more than 5.5 % of BW away from BW and the last time it was more than 4.5 % away (the
// runner's own body weight and 1 N of noise decide within that margin).
struct SettleBounds {
  double earliest = 0;
  double latest = 0;
};

SettleBounds settle_bounds(const Generated& g, double after_s, double mass_kg = 75) {
  const double bw = mass_kg * kG;
  SettleBounds b{after_s, after_s};
  for (std::size_t i = 0; i < g.samples.size(); ++i) {
    const double t = g.samples[i].device_time_s;
    if (t < after_s) continue;
    double f = 0;
    for (const auto& p : g.truth[i].plates) f += p.fz_n;
    const double dev = std::abs(f - bw) / bw;
    if (dev > 0.055) b.earliest = t;
    if (dev > 0.045) b.latest = t;
  }
  return b;
}

void expect_end_after_settling(const Observed& r, const Generated& g, double hold_s, double after_s) {
  ASSERT_TRUE(r.outcome);
  const SettleBounds b = settle_bounds(g, after_s);
  EXPECT_GE(r.outcome->recording_end_s, b.earliest + hold_s - 0.01);
  EXPECT_LE(r.outcome->recording_end_s, b.latest + hold_s + 0.01);
  // and the simulator's own `settled` (the last 5 % exceedance) lies in that bracket
  EXPECT_GE(truth(g, "settled"), b.earliest);
  EXPECT_LE(truth(g, "settled"), b.latest);
}

// ---- every built-in definition has a case here -------------------------------------------------

TEST(TrialRunner, EveryBuiltInDefinition_IsCoveredByTheseTests) {
  const std::set<std::string> covered = {
      "quiet-stance-eyes-open", "quiet-stance-eyes-closed", "single-leg-stance-eyes-open",
      "single-leg-stance-eyes-closed", "single-leg-stance-provocation-30s", "single-leg-hop-and-stick",
      "single-leg-drop-landing", "single-leg-step-down", "countermovement-jump",
      "single-leg-countermovement-jump", "drop-jump", "repeated-hops", "weight-bearing-symmetry"};
  EXPECT_TRUE(definitions().errors.empty());
  for (const TestDefinition& d : definitions().definitions) {
    EXPECT_TRUE(covered.count(d.id) == 1) << "built-in definition without a runner test: " << d.id;
  }
  EXPECT_EQ(definitions().definitions.size(), covered.size());
}

// ---- stance tests ------------------------------------------------------------------------------

class QuietStance : public ::testing::TestWithParam<const char*> {};

TEST_P(QuietStance, SteppingOnAndStandingThirtySeconds_ValidWithTheTrueSwayAndWeight) {
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}, {"sway_ml_mm", 4.0}}, 45);
  const Observed r = feed_all(config(GetParam(), g, {}, 75.0), g);
  EXPECT_EQ(r.states, kOnPlate);
  expect_valid(r);
  ASSERT_TRUE(r.outcome);
  const TrialOutcome& o = *r.outcome;
  EXPECT_EQ(r.tare_samples, 50u);  // 0.5 s at 100 Hz
  EXPECT_EQ(o.body_weight_source, "weighed");
  EXPECT_NEAR(*o.body_weight_n, 75 * kG, 75 * kG * 0.005);
  // Weighed once stable for 1 s after stepping on; the recording starts 3 s later and lasts 30 s.
  const double fully_on = truth(g, "fully_on");
  EXPECT_GT(event_time(r, "countdown"), fully_on + 0.6);
  EXPECT_LT(event_time(r, "countdown"), fully_on + 1.05);
  EXPECT_NEAR(o.recording_start_s - event_time(r, "countdown"), 3.0, 1e-6);
  EXPECT_EQ(o.trial.sample_count(), 3000u);
  EXPECT_NEAR(o.recording_end_s - o.recording_start_s, 30.0, 1e-6);
  EXPECT_EQ(o.trial.test_name, "quiet-stance");
  // The analysis saw the recording less its settling second at each end: the true sway there.
  const double rms = true_rms_ml(g, o.recording_start_s + 1, o.recording_end_s - 1);
  EXPECT_NEAR(measure(r, "cop_rms_ml"), rms, 0.05 * rms);
  EXPECT_EQ(o.events.back().state, "result");
  EXPECT_EQ(o.events.front().state, "plate_empty_check");
}

INSTANTIATE_TEST_SUITE_P(TrialRunner, QuietStance,
                         ::testing::Values("quiet-stance-eyes-open", "quiet-stance-eyes-closed"),
                         [](const ::testing::TestParamInfo<const char*>& param_info) {
                           std::string n = param_info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

class SingleLegStance : public ::testing::TestWithParam<std::tuple<const char*, int>> {};

TEST_P(SingleLegStance, BalancingOnTheTestedSide_ValidAndAnalysedInTheMiddleWindow) {
  const auto [id, side] = GetParam();
  const Generated g = generate("single-leg-stance", {{"step_on_s", 2.0}, {"side", side}}, 45);
  const analysis::Side s = side == 0 ? analysis::Side::left : analysis::Side::right;
  const Observed r = feed_all(config(id, g, s, 75.0), g);
  EXPECT_EQ(r.states, kOnPlate);
  expect_valid(r);
  ASSERT_TRUE(r.outcome);
  EXPECT_EQ(measure(r, "failure_count"), 0.0);
  EXPECT_EQ(r.outcome->side, s);
  const auto& window = definition(id).window;
  if (window) {
    // Middle 20 s of 30: the analysed part lies inside it.
    const TrialAnalysis& a = *r.outcome->analysis;
    EXPECT_NEAR(window->end_s - window->start_s, 20.0, 1e-9);
    EXPECT_LE(measure(r, "time_in_balance"), 20.0 + 1e-6);
    EXPECT_GE(measure(r, "time_in_balance"), 18.0);
    EXPECT_LE(a.window.size(), 2000u);
  } else {
    EXPECT_GE(measure(r, "time_in_balance"), 28.0);
  }
}

INSTANTIATE_TEST_SUITE_P(TrialRunner, SingleLegStance,
                         ::testing::Combine(::testing::Values("single-leg-stance-eyes-open", "single-leg-stance-eyes-closed",
                                                              "single-leg-stance-provocation-30s"),
                                            ::testing::Values(0, 1)),
                         [](const ::testing::TestParamInfo<std::tuple<const char*, int>>& param_info) {
                           std::string n = std::get<0>(param_info.param);
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n + (std::get<1>(param_info.param) == 0 ? "_left" : "_right");
                         });

TEST(TrialRunner, SingleLegStanceEyesOpenWithATouchDown_InvalidByMaxFailures) {
  const Generated g = generate("single-leg-stance",
                               {{"step_on_s", 2.0}, {"touchdown_at_s", 20.0}, {"touchdown_on_plate", 0}}, 45);
  const Observed r = feed_all(config("single-leg-stance-eyes-open", g, analysis::Side::left), g);
  EXPECT_EQ(r.states, kOnPlate);
  ASSERT_TRUE(r.outcome);
  EXPECT_FALSE(r.outcome->valid);
  EXPECT_NE(r.outcome->reason.find("balance failure"), std::string::npos) << r.outcome->reason;
  EXPECT_EQ(measure(r, "failure_count"), 1.0);
}

TEST(TrialRunner, SingleLegStanceEyesClosedWithATouchDown_ValidAndCounted) {
  const Generated g = generate("single-leg-stance",
                               {{"step_on_s", 2.0}, {"touchdown_at_s", 20.0}, {"touchdown_on_plate", 0}}, 45);
  const Observed r = feed_all(config("single-leg-stance-eyes-closed", g, analysis::Side::left), g);
  expect_valid(r);
  EXPECT_EQ(measure(r, "failure_count"), 1.0);
}

TEST(TrialRunner, SingleLegStanceSteppingOffDuringTheRecording_InvalidAtOnce) {
  const Generated g = generate("single-leg-stance", {{"step_on_s", 2.0}, {"step_off_at_s", 20.0}}, 45);
  const Observed r = feed_all(config("single-leg-stance-eyes-open", g, analysis::Side::left), g);
  const std::vector<std::string> expected = {"plate_empty_check", "taring", "waiting_for_patient", "weighing",
                                             "countdown", "recording", "result"};
  EXPECT_EQ(r.states, expected);
  ASSERT_TRUE(r.outcome);
  EXPECT_FALSE(r.outcome->valid);
  EXPECT_NE(r.outcome->reason.find("stepped off"), std::string::npos) << r.outcome->reason;
  // The force falls below 25 % of body weight 0.2 s into the 0.3 s step-off, + 50 ms to confirm.
  EXPECT_NEAR(event_time(r, "result"), truth(g, "step_off") + 0.25, 0.03);
  EXPECT_FALSE(r.outcome->trial.complete);
}

TEST(TrialRunner, QuietStanceSteppingOffDuringTheRecording_InvalidAtOnce) {
  const Generated g = generate("step-on-off", {{"step_on_s", 2.0}, {"step_off_s", 15.0}}, 45);
  const Observed r = feed_all(config("quiet-stance-eyes-open", g), g);
  ASSERT_TRUE(r.outcome);
  EXPECT_FALSE(r.outcome->valid);
  EXPECT_NE(r.outcome->reason.find("stepped off"), std::string::npos) << r.outcome->reason;
  EXPECT_NEAR(event_time(r, "result"), truth(g, "step_off") + 0.25, 0.03);
}

TEST(TrialRunner, RecordedMassTenKilosOff_InvalidAtWeighingWithBothMasses) {
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}}, 45);
  const Observed r = feed_all(config("quiet-stance-eyes-open", g, {}, 85.0), g);
  const std::vector<std::string> expected = {"plate_empty_check", "taring", "waiting_for_patient", "weighing", "result"};
  EXPECT_EQ(r.states, expected);
  ASSERT_TRUE(r.outcome);
  EXPECT_FALSE(r.outcome->valid);
  EXPECT_NE(r.outcome->reason.find("weighed 75."), std::string::npos) << r.outcome->reason;
  EXPECT_NE(r.outcome->reason.find("85.0 kg"), std::string::npos) << r.outcome->reason;
}

TEST(TrialRunner, RecordedMassThreePercentOff_WithinTheFivePercentTolerance) {
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}}, 45);
  const Observed r = feed_all(config("quiet-stance-eyes-open", g, {}, 77.3), g);
  expect_valid(r);
}

TEST(TrialRunner, WeightBearingOnTwoPlates_ValidWithTheTrueLoadShare) {
  const Generated g = generate("step-on-off", {{"step_on_s", 2.0}, {"step_off_s", 60.0}, {"load_share_left", 0.6}}, 45,
                               100, 2);
  const Observed r = feed_all(config("weight-bearing-symmetry", g, {}, 75.0, 2), g);
  EXPECT_EQ(r.states, kOnPlate);
  expect_valid(r);
  EXPECT_NEAR(measure(r, "load_left_mean"), 60.0, 0.3);
  EXPECT_NEAR(r.live_at_result.plate_share[0], 0.6, 0.02);
  EXPECT_EQ(r.live_at_result.plate_fz_n.size(), 2u);
}

TEST(TrialRunner, WeightBearingOnOnePlate_Refused) {
  const Generated g = generate("empty", {}, 1);
  EXPECT_THROW(TrialRunner(config("weight-bearing-symmetry", g, {}, {}, 1)), std::invalid_argument);
}

TEST(TrialRunner, OneSidedTestWithoutASide_Refused) {
  const Generated g = generate("empty", {}, 1);
  EXPECT_THROW(TrialRunner(config("single-leg-stance-eyes-open", g)), std::invalid_argument);
}

// ---- landings ------------------------------------------------------------------------------------

struct LandingCase {
  const char* id;
  int side;
  std::map<std::string, double> params;
  std::optional<double> mass_kg;
};

void PrintTo(const LandingCase& c, std::ostream* os) { *os << c.id << (c.side == 0 ? " left" : " right"); }

class Landing : public ::testing::TestWithParam<LandingCase> {};

TEST_P(Landing, FromOffThePlate_EndsHoldSecondsAfterSettlingWithTheTruePeak) {
  const LandingCase& c = GetParam();
  std::map<std::string, double> p = c.params;
  p["landing_at_s"] = 6.0;
  p["side"] = c.side;
  const Generated g = generate("landing", p, 30, 1000);
  const analysis::Side side = c.side == 0 ? analysis::Side::left : analysis::Side::right;
  const Observed r = feed_all(config(c.id, g, side, c.mass_kg), g);
  EXPECT_EQ(r.states, kOffPlate);
  expect_valid(r);
  ASSERT_TRUE(r.outcome);
  const TrialOutcome& o = *r.outcome;
  EXPECT_EQ(o.body_weight_source, c.mass_kg ? "recorded mass" : "");
  EXPECT_LT(o.recording_start_s, truth(g, "landing"));
  // Settled (|F − BW| < 5 % BW from then on) plus the definition's hold time.
  expect_end_after_settling(r, g, definition(c.id).end.hold_s, truth(g, "landing"));
  EXPECT_NEAR(measure(r, "peak_landing_force_bw"), truth_value(g, "peak_landing_force") / (75 * kG), 0.03);
  EXPECT_TRUE(r.live_at_result.landing_seen);
}

INSTANTIATE_TEST_SUITE_P(
    TrialRunner, Landing,
    ::testing::Values(LandingCase{"single-leg-hop-and-stick", 0, {{"peak_bw", 4.0}}, 75.0},
                      LandingCase{"single-leg-hop-and-stick", 1, {{"peak_bw", 3.0}, {"settle_s", 2.0}}, {}},
                      LandingCase{"single-leg-drop-landing", 0, {{"drop_height_m", 0.2}}, 75.0},
                      LandingCase{"single-leg-drop-landing", 1, {{"drop_height_m", 0.2}, {"settle_s", 1.0}}, {}},
                      LandingCase{"single-leg-step-down", 1, {{"drop_height_m", 0.1}, {"peak_bw", 2.2}, {"settle_s", 1.0}}, 75.0}),
    [](const ::testing::TestParamInfo<LandingCase>& param_info) {
      std::string n = param_info.param.id;
      std::replace(n.begin(), n.end(), '-', '_');
      return n + (param_info.param.side == 0 ? "_left_" : "_right_") + std::to_string(param_info.index);
    });

TEST(TrialRunner, LandingTestWithNobodyLanding_InvalidNoLandingAfterTheTimeout) {
  const Generated g = generate("empty", {}, 30, 1000);
  const Observed r = feed_all(config("single-leg-hop-and-stick", g, analysis::Side::left), g);
  const std::vector<std::string> expected = {"plate_empty_check", "taring", "waiting_for_patient", "countdown",
                                             "recording", "result"};
  EXPECT_EQ(r.states, expected);
  ASSERT_TRUE(r.outcome);
  EXPECT_FALSE(r.outcome->valid);
  EXPECT_EQ(r.outcome->reason, "no landing within 15 s");
  EXPECT_NEAR(event_time(r, "result") - r.outcome->recording_start_s, 15.0, 1e-6);
}

TEST(TrialRunner, LandingTestWithThePatientAlreadyOnThePlate_WaitsForThePlateToClear) {
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}}, 20);
  const Observed r = feed_all(config("single-leg-drop-landing", g, analysis::Side::left), g);
  EXPECT_FALSE(r.outcome.has_value());
  // Taring done before the patient stepped on; no countdown while someone stands on the plate.
  ASSERT_GE(r.states.size(), 3u);
  EXPECT_EQ(r.states[2], "waiting_for_patient");
  EXPECT_NE(r.live_at_result.instruction.find("off the plate"), std::string::npos);
}

// ---- jumps and hops -------------------------------------------------------------------------------

struct JumpCase {
  const char* id;
  int legs;
  int side;
};

void PrintTo(const JumpCase& c, std::ostream* os) {
  *os << c.id << (c.legs == 2 ? "" : (c.side == 0 ? " left" : " right"));
}

class Jump : public ::testing::TestWithParam<JumpCase> {};

TEST_P(Jump, CountermovementJump_ValidWithTheTrueHeightEndingAfterTheLandingSettled) {
  const JumpCase& c = GetParam();
  std::map<std::string, double> p = {{"step_on_s", 2.0}, {"onset_s", 8.5}, {"jump_height_m", 0.25}, {"legs", c.legs}};
  if (c.legs == 1) p["side"] = c.side;
  const Generated g = generate("cmj", p, 30, 1000);
  std::optional<analysis::Side> side;
  if (c.legs == 1) side = c.side == 0 ? analysis::Side::left : analysis::Side::right;
  const Observed r = feed_all(config(c.id, g, side, 75.0), g);
  EXPECT_EQ(r.states, kOnPlate);
  expect_valid(r);
  ASSERT_TRUE(r.outcome);
  EXPECT_LT(r.outcome->recording_start_s, truth(g, "movement_onset") - 1.0);
  EXPECT_NEAR(measure(r, "jump_height_flight"), truth_value(g, "jump_height"), 0.01);
  EXPECT_NEAR(measure(r, "jump_height_impulse"), truth_value(g, "jump_height"), 0.015);
  expect_end_after_settling(r, g, 2.0, truth(g, "landing"));
  EXPECT_EQ(r.live_at_result.flights, 1);
}

INSTANTIATE_TEST_SUITE_P(TrialRunner, Jump,
                         ::testing::Values(JumpCase{"countermovement-jump", 2, 0},
                                           JumpCase{"single-leg-countermovement-jump", 1, 0},
                                           JumpCase{"single-leg-countermovement-jump", 1, 1}),
                         [](const ::testing::TestParamInfo<JumpCase>& param_info) {
                           std::string n = param_info.param.id;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n + "_" + std::to_string(param_info.index);
                         });

TEST(TrialRunner, JumpTestWithNoJump_InvalidAfterTheTimeout) {
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}}, 30, 1000);
  const Observed r = feed_all(config("countermovement-jump", g, {}, 75.0), g);
  ASSERT_TRUE(r.outcome);
  EXPECT_FALSE(r.outcome->valid);
  EXPECT_EQ(r.outcome->reason, "no jump (no flight phase) within 15 s");
}

TEST(TrialRunner, DropJump_ValidWithTheTrueContactTimeAndRsi) {
  const Generated g = generate("drop-jump", {{"touchdown_at_s", 6.0}, {"contact_s", 0.22}}, 30, 1000);
  const Observed r = feed_all(config("drop-jump", g), g);
  EXPECT_EQ(r.states, kOffPlate);
  expect_valid(r);
  ASSERT_TRUE(r.outcome);
  EXPECT_NEAR(measure(r, "contact_time"), truth_value(g, "contact_time"), 0.003);
  EXPECT_NEAR(measure(r, "rsi"), truth_value(g, "rsi"), 0.05 * truth_value(g, "rsi"));
  expect_end_after_settling(r, g, 2.0, truth(g, "landing"));
  EXPECT_EQ(r.live_at_result.flights, 1);
}

TEST(TrialRunner, DropJumpWithoutTheRebound_InvalidAfterTheTimeout) {
  // A drop landing where a drop jump was asked for: a landing, but never a flight.
  const Generated g = generate("landing", {{"landing_at_s", 6.0}, {"legs", 2}}, 30, 1000);
  const Observed r = feed_all(config("drop-jump", g), g);
  ASSERT_TRUE(r.outcome);
  EXPECT_FALSE(r.outcome->valid);
  EXPECT_EQ(r.outcome->reason, "no jump (no flight phase) within 15 s");
}

TEST(TrialRunner, RepeatedHops_EndsAfterTenHopsAndASettledLanding) {
  for (int side : {0, 1}) {
    const Generated g = generate("hops", {{"step_on_s", 2.0}, {"onset_s", 8.5}, {"count", 10}, {"side", side}}, 35, 1000);
    const Observed r = feed_all(config("repeated-hops", g, side == 0 ? analysis::Side::left : analysis::Side::right), g);
    EXPECT_EQ(r.states, kOnPlate);
    expect_valid(r);
    ASSERT_TRUE(r.outcome);
    EXPECT_EQ(r.live_at_result.flights, 10);
    double contact = 0;
    for (int i = 1; i <= 9; ++i) contact += truth_value(g, "contact_time_" + std::to_string(i));
    EXPECT_NEAR(measure(r, "contact_time_mean"), contact / 9, 0.005);
    EXPECT_EQ(measure(r, "hop_count"), 10.0);
    // No hold_s in the definition: settled for the runner's 1 s.
    expect_end_after_settling(r, g, 1.0, truth(g, "landing"));
  }
}

TEST(TrialRunner, RepeatedHopsStoppingAfterFive_InvalidOnlyFiveOfTen) {
  const Generated g = generate("hops", {{"step_on_s", 2.0}, {"onset_s", 8.5}, {"count", 5}}, 35, 1000);
  const Observed r = feed_all(config("repeated-hops", g, analysis::Side::left), g);
  ASSERT_TRUE(r.outcome);
  EXPECT_FALSE(r.outcome->valid);
  EXPECT_EQ(r.outcome->reason, "only 5 of 10 hops within 20 s");
}

// ---- commands, events and live feedback ---------------------------------------------------------

TEST(TrialRunner, RedoAfterAResult_WeighsAgainAndRecordsASecondAttempt) {
  // 80 s of standing: two 30 s trials fit.
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}}, 80);
  TrialRunnerConfig c = config("quiet-stance-eyes-open", g);
  TrialRunner runner(c);
  EXPECT_FALSE(runner.accept());
  EXPECT_TRUE(runner.start());
  EXPECT_FALSE(runner.start());
  std::size_t i = 0;
  for (; i < g.samples.size() && !runner.finished(); ++i) runner.feed(g.samples[i]);
  ASSERT_EQ(runner.state(), RunnerState::result);
  const double first_end = runner.outcome()->recording_end_s;
  EXPECT_EQ(runner.outcome()->attempt, 1);
  EXPECT_FALSE(runner.cancel());
  EXPECT_TRUE(runner.redo());
  EXPECT_EQ(runner.outcome(), nullptr);
  EXPECT_EQ(runner.state(), RunnerState::waiting_for_patient);
  for (; i < g.samples.size() && !runner.finished(); ++i) runner.feed(g.samples[i]);
  ASSERT_EQ(runner.state(), RunnerState::result);
  const TrialOutcome& o = *runner.outcome();
  EXPECT_TRUE(o.valid) << o.reason;
  EXPECT_EQ(o.attempt, 2);
  // Still on the plate: weighed for 1 s at once, then 3 s of countdown.
  EXPECT_NEAR(o.recording_start_s, first_end + 4.0, 0.02);
  const std::vector<std::string> second = {"waiting_for_patient", "weighing", "countdown", "recording", "analysing", "result"};
  std::vector<std::string> states;
  for (const RunnerEvent& e : o.events) states.push_back(e.state);
  EXPECT_EQ(states, second);
  EXPECT_TRUE(runner.accept());
  EXPECT_EQ(runner.state(), RunnerState::accepted);
  EXPECT_EQ(runner.outcome()->events.back().state, "accepted");
  EXPECT_EQ(runner.events().size(), kOnPlate.size() + second.size() + 1);
  // Events are in device-time order.
  for (std::size_t k = 1; k < runner.events().size(); ++k) {
    EXPECT_GE(runner.events()[k].device_time_s, runner.events()[k - 1].device_time_s);
  }
}

TEST(TrialRunner, CancelDuringTheRecording_EndsWithoutAResult) {
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}}, 20);
  TrialRunner runner(config("quiet-stance-eyes-open", g));
  runner.start();
  for (const acq::Sample& s : g.samples) {
    runner.feed(s);
    if (runner.state() == RunnerState::recording) break;
  }
  EXPECT_TRUE(runner.cancel());
  EXPECT_EQ(runner.state(), RunnerState::cancelled);
  EXPECT_TRUE(runner.finished());
  EXPECT_EQ(runner.outcome(), nullptr);
  EXPECT_FALSE(runner.redo());
}

TEST(TrialRunner, LiveFeedbackDuringTheCountdownAndRecording_TimeLeftCopAndBand) {
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}, {"stance_x_mm", 30.0}}, 45);
  TrialRunner runner(config("quiet-stance-eyes-open", g, {}, 75.0));
  runner.start();
  bool saw_countdown = false, saw_recording = false, saw_weighing = false;
  double countdown_start = -1, record_start = -1;
  for (const acq::Sample& s : g.samples) {
    runner.feed(s);
    const LiveFeedback& l = runner.live();
    const double t = s.device_time_s;
    if (l.state == RunnerState::weighing) {
      saw_weighing = true;
      EXPECT_NEAR(l.band_low_n, 75 * kG * 0.95, 1e-6);  // the recorded mass ± the definition's 5 %
      EXPECT_NEAR(l.band_high_n, 75 * kG * 1.05, 1e-6);
    }
    if (l.state == RunnerState::countdown) {
      if (countdown_start < 0) countdown_start = t;
      saw_countdown = true;
      EXPECT_NEAR(l.time_left_s, 3.0 - (t - countdown_start), 1e-6);
      EXPECT_TRUE(l.within_band);
      EXPECT_NE(l.instruction.find("Get ready"), std::string::npos);
    }
    if (l.state == RunnerState::recording) {
      if (record_start < 0) record_start = t;
      saw_recording = true;
      EXPECT_NEAR(l.time_left_s, 30.0 - (t - record_start), 1e-6);
      EXPECT_NEAR(l.cop_x_m, 0.030, 0.015);  // standing 30 mm to the right
      EXPECT_NEAR(l.plate_fz_n[0], 75 * kG, 75 * kG * 0.03);
    }
    if (runner.finished()) break;
  }
  EXPECT_TRUE(saw_weighing);
  EXPECT_TRUE(saw_countdown);
  EXPECT_TRUE(saw_recording);
  EXPECT_EQ(runner.state(), RunnerState::result);
}

TEST(TrialRunner, SomeoneOnThePlateDuringTaring_GoesBackToTheEmptyCheck) {
  // Steps on 0.7 s in: the plate was empty and still for 0.5 s, taring began, and was interrupted.
  const Generated g = generate("step-on-off", {{"step_on_s", 0.7}, {"step_off_s", 4.0}}, 12);
  TrialRunner runner(config("quiet-stance-eyes-open", g));
  std::size_t tared = 0;
  runner.set_tare_handler([&](const std::vector<acq::Sample>& s) { tared = s.size(); });
  runner.start();
  for (const acq::Sample& s : g.samples) runner.feed(s);
  std::vector<std::string> states;
  for (const RunnerEvent& e : runner.events()) states.push_back(e.state);
  ASSERT_GE(states.size(), 5u);
  EXPECT_EQ(states[1], "taring");
  EXPECT_EQ(states[2], "plate_empty_check");
  EXPECT_EQ(states[3], "taring");
  EXPECT_EQ(states[4], "waiting_for_patient");
  EXPECT_GT(runner.events()[3].device_time_s, truth(g, "off_plate"));
  EXPECT_EQ(tared, 50u);
}

TEST(TrialRunner, DeviceFailureDuringTheRecording_InvalidWithTheReason) {
  const Generated g = generate("quiet-stance", {{"step_on_s", 2.0}}, 20);
  TrialRunner runner(config("quiet-stance-eyes-open", g));
  runner.start();
  for (const acq::Sample& s : g.samples) {
    runner.feed(s);
    if (runner.state() == RunnerState::recording && runner.live().elapsed_s > 2) break;
  }
  EXPECT_TRUE(runner.fail("device lost"));
  ASSERT_NE(runner.outcome(), nullptr);
  EXPECT_FALSE(runner.outcome()->valid);
  EXPECT_EQ(runner.outcome()->reason, "device lost");
  EXPECT_FALSE(runner.outcome()->trial.complete);
  EXPECT_GT(runner.outcome()->trial.sample_count(), 200u);
}

}  // namespace
}  // namespace fp::workflow
