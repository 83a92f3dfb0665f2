#pragma once
// Training with visual feedback (what the clinic does between assessments): the patient watches
// where they are and tries to stay in a target zone.
//
//   cop-target    single-leg stance on one plate: keep the centre of pressure inside a circle
//                 (centre and radius in m, relative to the plate centre, where the stance foot is).
//   weight-share  double-leg stance on two plates: keep the share of body weight on the involved
//                 limb inside a band (e.g. 45-55 %). Plate 0 is the left foot, plate 1 the right.
//
// Pure logic, no Qt and no clocks: a TrainingScorer is fed sample by sample (device time) and gives
// the live state the patient's screen shows and, at the end, measures to store with a trial.
//
// How time is counted: every sample stands for one sample period (1 / rate). Time in zone is
// (samples in zone) / (samples scored); time the device did not deliver (a gap) is neither in nor
// out of the zone. A hold is a run of consecutive in-zone samples, its length (samples x period); a
// gap longer than `max_bridged_gap_s` ends the hold, a shorter one does not (its missing time is not
// counted). A sample without a value (no COP because the plate is unloaded, or nobody on the plates)
// is out of the zone.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "forceplate/acquisition/sample.hpp"
#include "forceplate/analysis/measure.hpp"
#include "forceplate/data/trial.hpp"

namespace fp::workflow {

enum class TrainingMode { cop_target, weight_share };

const char* to_string(TrainingMode mode);  // "cop-target", "weight-share"
std::optional<TrainingMode> parse_training_mode(std::string_view text);

struct TrainingDefinition {
  TrainingMode mode = TrainingMode::cop_target;
  double duration_s = 30;  // of scored time, from the start (see start_force_n)

  // cop-target: the plate the stance foot stands on and the target circle, relative to its centre.
  int plate = 0;
  double target_x_m = 0;       // mediolateral, + to the patient's right
  double target_y_m = 0;       // anteroposterior, + forward
  double target_radius_m = 0.02;

  // weight-share: the involved limb; cop-target: the stance leg. Stored as the trial's side.
  analysis::Side involved_side = analysis::Side::left;
  // weight-share: the band for the involved limb's share of the total vertical force (%).
  double share_min_percent = 45;
  double share_max_percent = 55;
  // Below this total vertical force (both plates) nobody stands on the plates: no share, out of zone.
  double min_total_force_n = 50;

  // The clock starts at the first sample whose total vertical force reaches this (the patient is on
  // the plate); 0 starts it at the first sample fed.
  double start_force_n = 0;
  // A gap (samples missing) up to this long does not end a hold.
  double max_bridged_gap_s = 0.1;
};

// "training-cop-target" / "training-weight-share": the data::Trial test name.
std::string training_test_name(TrainingMode mode);

// Throws std::invalid_argument with a message naming the field and the accepted range, e.g.
// "training: target_radius_m must be > 0 (got -0.01)".
void validate(const TrainingDefinition& definition);

// The definition as JSON text (stored as data::Trial::test_definition).
std::string to_json(const TrainingDefinition& definition);

// What the patient's screen shows, at the latest sample.
struct TrainingLiveState {
  TrainingMode mode = TrainingMode::cop_target;
  bool started = false;    // the clock runs (see start_force_n)
  bool finished = false;   // duration reached: later samples are ignored
  double elapsed_s = 0;    // of device time since the start
  double remaining_s = 0;  // duration - elapsed, >= 0
  bool in_zone = false;
  bool has_value = false;  // false: no COP (plate unloaded) / no share (nobody on the plates)
  double cop_x_m = std::numeric_limits<double>::quiet_NaN();  // cop-target, relative to the plate centre
  double cop_y_m = std::numeric_limits<double>::quiet_NaN();
  double share_percent = std::numeric_limits<double>::quiet_NaN();  // weight-share, involved side
  double time_in_zone_percent = 0;  // of the samples scored so far
  double current_hold_s = 0;        // 0 when out of the zone
  double longest_hold_s = 0;
  std::uint64_t samples = 0;        // scored
  std::uint64_t gaps = 0;           // gaps seen since the start
  std::uint64_t samples_missing = 0;
};

class TrainingScorer {
 public:
  // Throws std::invalid_argument for a bad definition (validate) or a rate that is not > 0.
  TrainingScorer(TrainingDefinition definition, double rate_hz);

  // One sample from the device. Returns false once the session has finished (sample ignored).
  bool add(const acq::Sample& sample);
  // The same from plain values: cop-target takes the COP (m, NaN when unloaded) and the total force
  // (N, for start_force_n); weight-share takes the left and right vertical forces (N).
  // `gap_before`: samples missing just before this one.
  bool add_cop(double time_s, double cop_x_m, double cop_y_m, double total_fz_n, std::uint64_t gap_before = 0);
  bool add_forces(double time_s, double left_fz_n, double right_fz_n, std::uint64_t gap_before = 0);

  const TrainingDefinition& definition() const { return definition_; }
  double rate_hz() const { return rate_hz_; }
  const TrainingLiveState& live() const { return live_; }
  bool finished() const { return live_.finished; }

  // Measures of what was scored so far (normally called once finished): time_in_zone (percent),
  // longest_hold (s), mean_distance_to_target (m; cop-target) or mean_share_error (percent;
  // weight-share: mean |share - band centre|), samples. The means are over the samples that have a
  // value; NaN when none had. Warnings: the session ended early, samples without a value, gaps.
  analysis::AnalysisResult result() const;

  // Stores the result with a trial: test_name, side (involved_side), test_definition (JSON),
  // results (display units, workflow::to_measurements), analysis_warnings.
  void store_in(data::Trial& trial) const;

 private:
  bool score(double time_s, std::uint64_t gap_before, double total_fz_n, bool has_value, double a, double b);

  TrainingDefinition definition_;
  double rate_hz_;
  double period_s_;
  TrainingLiveState live_;
  double start_time_s_ = 0;
  double last_time_s_ = 0;
  std::uint64_t in_zone_samples_ = 0;
  std::uint64_t hold_samples_ = 0;
  std::uint64_t longest_hold_samples_ = 0;
  std::uint64_t valued_samples_ = 0;
  double error_sum_ = 0;  // distance to target (m) or |share error| (%)
};

}  // namespace fp::workflow
