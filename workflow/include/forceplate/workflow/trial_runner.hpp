#pragma once
// The trial runner: one trial of one test definition, from the empty plate to the clinician's
// decision, as a state machine (docs/trial-runner.md). No GUI code and no threads of its own: it
// is driven by feed() for every sample, in order, and by commands. All times are device time.
//
//   idle ─start─▶ plate_empty_check ─▶ taring ─▶ waiting_for_patient ─▶ weighing ─▶ countdown
//        ─▶ recording ─▶ analysing ─▶ result ─accept─▶ accepted
//                                            ─redo───▶ waiting_for_patient
//                                            ─discard▶ discarded
//   cancel() from any state before result: cancelled.
//
// Tests whose patient starts off the plate (landing, drop jump) skip weighing: after taring (or a
// redo) the runner waits for the plate to be empty, then counts down and records.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "forceplate/acquisition/sample.hpp"
#include "forceplate/analysis/measure.hpp"
#include "forceplate/data/trial.hpp"
#include "forceplate/workflow/test_definition.hpp"
#include "forceplate/workflow/trial_analysis.hpp"

namespace fp::workflow {

enum class RunnerState {
  idle,
  plate_empty_check,    // waiting for the plate to be empty and still
  taring,               // collecting the empty plate's samples
  waiting_for_patient,  // on-plate tests: for the patient to step on; off-plate: for the plate to be empty
  weighing,             // force stable for weighing_s
  countdown,
  recording,
  analysing,
  result,  // outcome() holds valid / invalid and why; waits for accept / redo / discard
  accepted,
  discarded,
  cancelled,
};
const char* to_string(RunnerState s);  // "plate_empty_check", ...

// One state change: the state entered, when (device time of the sample that caused it, or of the
// last sample seen for a command), and why.
struct RunnerEvent {
  std::string state;
  double device_time_s = 0;
  std::string message;
};

// Thresholds of the runner. The defaults suit adults on this system's plates.
struct RunnerSettings {
  double countdown_s = 3.0;
  double empty_max_n = 50;         // |total force| below this (before tare): the plate is empty
  double empty_still_band_n = 10;  // ... and within this range of force for empty_still_s
  double empty_still_s = 0.5;
  double tare_s = 0.5;             // empty-plate samples handed to the tare callback
  double on_plate_n = 150;         // total force above this: someone stands on the plate
  double weighing_s = 1.0;         // the force must be stable this long to weigh
  double weighing_band = 0.03;     // stable: every sample within ± this fraction of the mean
  // Recorded mass vs weighed, when the definition has no body_weight_tolerance: only a warning.
  double body_weight_warn = 0.05;
  double settle_band = 0.05;        // settled: within ± this fraction of body weight
  double settle_reference_s = 0.5;  // off-plate starts: body weight = mean force of the last this long
  double contact_n = 50;            // force above this: in contact (landing, end of a flight)
  double flight_n = 20;             // force below this for min_flight_s: a flight
  double min_flight_s = 0.04;
  double hop_hold_s = 1.0;          // hop-count tests without hold_s: settled this long after the last hop
  double step_off_fraction = 0.25;  // stance tests: total below this × body weight ...
  double step_off_s = 0.05;         // ... for this long: stepped off
};

struct TrialRunnerConfig {
  TestDefinition test;
  std::optional<analysis::Side> side = {};       // required for one-sided stances
  std::optional<double> recorded_mass_kg = {};   // the patient's mass on record, if known
  acq::DeviceDescription device = {};            // for the trial's metadata (plates, rate, identity)
  RunnerSettings settings = {};
  // Called once, with the empty plate's samples, when taring completes (the driver zeroes the
  // device with them). Absent: the samples are only counted.
  std::function<void(const std::vector<acq::Sample>&)> on_tare = {};
  // Called for every state change, after it is recorded.
  std::function<void(const RunnerEvent&)> on_event = {};
};

// What a display shows, readable at any time.
struct LiveFeedback {
  RunnerState state = RunnerState::idle;
  std::string instruction;           // for the patient / clinician
  double time_left_s = 0;            // countdown, duration recording, or until the timeout
  double elapsed_s = 0;              // in the current state
  double total_fz_n = 0;
  double cop_x_m = 0;                // total COP, NaN when unloaded
  double cop_y_m = 0;
  std::vector<double> plate_fz_n;    // load on each plate
  std::vector<double> plate_share;   // each plate's fraction of the total (0..1; 0 when unloaded)
  std::optional<double> body_weight_n = {};  // weighed, or from the recorded mass
  double band_low_n = 0;             // body weight band (0, 0 when none is known yet)
  double band_high_n = 0;
  bool within_band = false;
  int flights = 0;                   // flights seen while recording (jumps, hops)
  bool landing_seen = false;
};

struct TrialOutcome {
  bool valid = false;
  std::string reason;                 // why invalid; empty when valid
  std::vector<std::string> warnings;
  // The recorded samples (test_name: the analysis name) with their context: side, the definition
  // as run (test_definition, whose "id" is the definition's), runner events, results, invalid reason.
  data::Trial trial;
  std::string definition_id;
  std::optional<analysis::Side> side = {};
  std::optional<TrialAnalysis> analysis = {};  // when the analysis ran
  std::optional<double> body_weight_n = {};
  std::string body_weight_source;     // "weighed", "recorded mass", "" (left to the analysis)
  double recording_start_s = 0;       // device time of the first recorded sample
  double recording_end_s = 0;         // device time at which the recording ended
  std::vector<RunnerEvent> events;    // this attempt's state changes, in order
  int attempt = 0;                    // 1 for the first trial, +1 per redo
};

class TrialRunner {
 public:
  // Throws std::invalid_argument for a one-sided test without a side, or a device with fewer
  // plates than the test needs.
  explicit TrialRunner(TrialRunnerConfig config);

  void feed(const acq::Sample& s);

  // Commands: each returns false (and does nothing) in a state where it does not apply.
  bool start();    // idle → plate_empty_check
  bool cancel();   // any state before result → cancelled
  bool accept();   // result → accepted
  bool redo();     // result → waiting_for_patient (tare kept)
  bool discard();  // result → discarded
  // Ends the running trial as invalid (e.g. the device was lost): → result.
  bool fail(const std::string& reason);

  void set_tare_handler(std::function<void(const std::vector<acq::Sample>&)> on_tare);
  // The device's description after a tare or reconnection: the next recording's metadata.
  void set_device(acq::DeviceDescription device) { config_.device = std::move(device); }

  RunnerState state() const { return state_; }
  // result, accepted, discarded or cancelled: feeding has no further effect.
  bool waiting_for_decision() const { return state_ == RunnerState::result; }
  bool finished() const;
  const LiveFeedback& live() const { return live_; }
  const std::vector<RunnerEvent>& events() const { return events_; }  // every attempt
  const TrialOutcome* outcome() const { return outcome_ ? &*outcome_ : nullptr; }
  bool starts_off_plate() const { return off_plate_; }
  const TrialRunnerConfig& config() const { return config_; }

 private:
  void enter(RunnerState s, const std::string& message);
  void finish(bool valid, const std::string& reason);
  void store_context(TrialOutcome& out, bool valid, const std::string& reason) const;
  void reset_recording_detectors();
  void on_empty_check(const acq::Sample& s);
  void on_taring(const acq::Sample& s);
  void on_waiting(const acq::Sample& s);
  void on_weighing(const acq::Sample& s);
  void on_countdown(const acq::Sample& s);
  void on_recording(const acq::Sample& s);
  bool track_movement(const acq::Sample& s, double t);  // true when the end rule is met
  void analyse();
  void analyse_at(double t);
  std::string instruction_for(RunnerState s) const;
  void update_live(const acq::Sample& s);
  double state_elapsed(double t);
  std::optional<double> recorded_weight_n() const;

  // Force samples over a window, with their minimum, maximum and mean (amortised O(1)).
  struct Windowed {
    struct Point {
      std::uint64_t n = 0;
      double t = 0;
      double f = 0;
    };
    std::deque<Point> samples;
    std::deque<Point> max_q, min_q;
    double sum = 0;
    std::uint64_t next = 0;
    void clear();
    void push(double t, double f);
    void pop_front();
    void drop_before(double t);
    bool empty() const { return samples.empty(); }
    double first_time() const { return samples.front().t; }
    double mean() const { return samples.empty() ? 0 : sum / static_cast<double>(samples.size()); }
    double max() const { return max_q.front().f; }
    double min() const { return min_q.front().f; }
  };

  TrialRunnerConfig config_;
  bool off_plate_ = false;
  std::string analysis_name_;
  RunnerState state_ = RunnerState::idle;
  double state_start_s_ = 0;
  bool state_start_known_ = false;
  double last_time_s_ = 0;
  bool any_sample_ = false;
  std::vector<RunnerEvent> events_;
  std::size_t attempt_first_event_ = 0;
  int attempt_ = 0;
  LiveFeedback live_;
  std::optional<TrialOutcome> outcome_;

  Windowed window_;                      // empty check / weighing / settling
  Windowed recent_;                      // settling: the last settle_reference_s
  std::vector<acq::Sample> tare_samples_;
  std::optional<double> weighed_n_;
  std::vector<std::string> warnings_;
  data::Trial trial_;
  double record_start_s_ = 0;
  double recording_end_s_ = 0;
  std::optional<TrialAnalysis> pending_analysis_;
  // movement while recording
  bool in_contact_ = false;
  bool ever_contact_ = false;
  bool landing_seen_ = false;
  double landing_time_s_ = 0;
  int flights_ = 0;
  double below_since_s_ = -1;  // force below flight_n (or below the step-off level) since
};

}  // namespace fp::workflow
