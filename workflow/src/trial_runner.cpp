#include "forceplate/workflow/trial_runner.hpp"

#include <fstream>
#include <sstream>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "forceplate/workflow/recorder.hpp"
#include "forceplate/workflow/trial_samples.hpp"

namespace fp::workflow {

namespace {

constexpr double kGravity = 9.80665;
constexpr double kEps = 1e-9;  // device times are multiples of the sample period: allow rounding

__attribute__((format(printf, 1, 2))) std::string fmt(const char* format, ...) {
  char buf[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  return buf;
}

bool is_stance_analysis(AnalysisKind a) {
  return a == AnalysisKind::quiet_stance || a == AnalysisKind::single_leg_stance || a == AnalysisKind::weight_bearing;
}

// The patient starts off the plate (on a box or behind a line) and lands on it.
bool patient_starts_off_plate(AnalysisKind a) { return a == AnalysisKind::landing || a == AnalysisKind::drop_jump; }

// Flights that must be seen before the landing that ends a landing-settled / hop-count trial.
int required_flights(const TestDefinition& d) {
  if (d.end.condition == EndCondition::hop_count) return d.end.count;
  switch (d.analysis) {
    case AnalysisKind::countermovement_jump:
    case AnalysisKind::squat_jump:
    case AnalysisKind::drop_jump:
    case AnalysisKind::hops:
      return 1;
    default:
      return 0;
  }
}

}  // namespace

const char* to_string(RunnerState s) {
  switch (s) {
    case RunnerState::idle: return "idle";
    case RunnerState::plate_empty_check: return "plate_empty_check";
    case RunnerState::taring: return "taring";
    case RunnerState::waiting_for_patient: return "waiting_for_patient";
    case RunnerState::weighing: return "weighing";
    case RunnerState::countdown: return "countdown";
    case RunnerState::recording: return "recording";
    case RunnerState::analysing: return "analysing";
    case RunnerState::result: return "result";
    case RunnerState::accepted: return "accepted";
    case RunnerState::discarded: return "discarded";
    case RunnerState::cancelled: return "cancelled";
  }
  return "?";
}

// ---- sliding window -------------------------------------------------------------------------

void TrialRunner::Windowed::clear() {
  samples.clear();
  max_q.clear();
  min_q.clear();
  sum = 0;
}

void TrialRunner::Windowed::push(double t, double f) {
  const Point p{next++, t, f};
  samples.push_back(p);
  sum += f;
  while (!max_q.empty() && max_q.back().f <= f) max_q.pop_back();
  max_q.push_back(p);
  while (!min_q.empty() && min_q.back().f >= f) min_q.pop_back();
  min_q.push_back(p);
}

void TrialRunner::Windowed::pop_front() {
  const Point p = samples.front();
  samples.pop_front();
  sum -= p.f;
  if (!max_q.empty() && max_q.front().n == p.n) max_q.pop_front();
  if (!min_q.empty() && min_q.front().n == p.n) min_q.pop_front();
  if (samples.empty()) sum = 0;  // no drift of the running sum across runs
}

void TrialRunner::Windowed::drop_before(double t) {
  while (!samples.empty() && samples.front().t < t - kEps) pop_front();
}

// ---- construction and commands --------------------------------------------------------------

TrialRunner::TrialRunner(TrialRunnerConfig config) : config_(std::move(config)) {
  const TestDefinition& d = config_.test;
  switch (d.stance) {
    case Stance::left: config_.side = analysis::Side::left; break;
    case Stance::right: config_.side = analysis::Side::right; break;
    case Stance::both_sides_alternating:
      if (!config_.side) {
        throw std::invalid_argument("test '" + d.id + "' is done on each side in turn: the runner needs the side (left or right)");
      }
      break;
    case Stance::double_leg: break;
  }
  const auto plates = static_cast<int>(config_.device.plates.size());
  if (plates < d.plates) {
    throw std::invalid_argument("test '" + d.id + "' needs " + std::to_string(d.plates) + " plate(s); the device has " +
                                std::to_string(plates));
  }
  off_plate_ = patient_starts_off_plate(d.analysis);
  analysis_name_ = to_string(d.analysis);
  live_.plate_fz_n.assign(static_cast<std::size_t>(std::max(plates, 1)), 0.0);
  live_.plate_share.assign(live_.plate_fz_n.size(), 0.0);
  live_.instruction = instruction_for(RunnerState::idle);
}

void TrialRunner::set_tare_handler(std::function<void(const std::vector<acq::Sample>&)> on_tare) {
  config_.on_tare = std::move(on_tare);
}

bool TrialRunner::finished() const {
  return state_ == RunnerState::result || state_ == RunnerState::accepted || state_ == RunnerState::discarded ||
         state_ == RunnerState::cancelled;
}

void TrialRunner::enter(RunnerState s, const std::string& message) {
  state_ = s;
  state_start_known_ = false;  // set by the next sample (or by the caller, for sample-driven changes)
  events_.push_back(RunnerEvent{to_string(s), last_time_s_, message});
  if (outcome_) outcome_->events.push_back(events_.back());  // accept / discard after the result
  live_.state = s;
  live_.instruction = instruction_for(s);
  live_.elapsed_s = 0;
  if (config_.on_event) config_.on_event(events_.back());
}

bool TrialRunner::start() {
  if (state_ != RunnerState::idle) return false;
  attempt_ = 1;
  attempt_first_event_ = events_.size();
  window_.clear();
  enter(RunnerState::plate_empty_check, "trial of '" + config_.test.id + "' started" +
                                            (config_.side ? std::string(", ") + analysis::to_string(*config_.side) + " side" : ""));
  return true;
}

bool TrialRunner::cancel() {
  if (finished()) return false;
  enter(RunnerState::cancelled, "cancelled by the operator");
  return true;
}

bool TrialRunner::accept() {
  if (state_ != RunnerState::result) return false;
  enter(RunnerState::accepted, outcome_ && outcome_->valid ? "trial accepted" : "trial accepted although invalid");
  return true;
}

bool TrialRunner::discard() {
  if (state_ != RunnerState::result) return false;
  enter(RunnerState::discarded, "trial discarded");
  return true;
}

bool TrialRunner::redo() {
  if (state_ != RunnerState::result) return false;
  outcome_.reset();
  ++attempt_;
  attempt_first_event_ = events_.size();
  weighed_n_.reset();
  warnings_.clear();
  window_.clear();
  enter(RunnerState::waiting_for_patient, "redo: attempt " + std::to_string(attempt_));
  return true;
}

bool TrialRunner::fail(const std::string& reason) {
  if (state_ == RunnerState::idle || finished()) return false;
  if (state_ == RunnerState::recording) trial_.complete = false;
  finish(false, reason);
  return true;
}

// ---- feeding --------------------------------------------------------------------------------

double TrialRunner::state_elapsed(double t) {
  if (!state_start_known_) {
    state_start_s_ = t;
    state_start_known_ = true;
  }
  return t - state_start_s_;
}

std::optional<double> TrialRunner::recorded_weight_n() const {
  if (config_.recorded_mass_kg && *config_.recorded_mass_kg > 0) return *config_.recorded_mass_kg * kGravity;
  return std::nullopt;
}

void TrialRunner::feed(const acq::Sample& s) {
  last_time_s_ = s.device_time_s;
  any_sample_ = true;
  switch (state_) {
    case RunnerState::plate_empty_check: on_empty_check(s); break;
    case RunnerState::taring: on_taring(s); break;
    case RunnerState::waiting_for_patient: on_waiting(s); break;
    case RunnerState::weighing: on_weighing(s); break;
    case RunnerState::countdown: on_countdown(s); break;
    case RunnerState::recording: on_recording(s); break;
    default: break;
  }
  update_live(s);
}

void TrialRunner::on_empty_check(const acq::Sample& s) {
  const double t = s.device_time_s;
  const double f = s.total_fz_n;
  state_elapsed(t);
  const RunnerSettings& k = config_.settings;
  if (!std::isfinite(f) || std::abs(f) > k.empty_max_n) {
    window_.clear();
    return;
  }
  window_.push(t, f);
  while (window_.max() - window_.min() > k.empty_still_band_n) window_.pop_front();
  if (t - window_.first_time() >= k.empty_still_s - kEps) {
    window_.clear();
    tare_samples_.clear();
    enter(RunnerState::taring, fmt("plate empty and still (%.1f N)", f));
    state_start_s_ = t;
    state_start_known_ = true;
  }
}

void TrialRunner::on_taring(const acq::Sample& s) {
  const double t = s.device_time_s;
  const double f = s.total_fz_n;
  const RunnerSettings& k = config_.settings;
  const double elapsed = state_elapsed(t);
  if (!std::isfinite(f) || std::abs(f) > k.empty_max_n) {
    window_.clear();
    enter(RunnerState::plate_empty_check, fmt("the plate was loaded during taring (%.0f N)", f));
    return;
  }
  window_.push(t, f);
  if (window_.max() - window_.min() > k.empty_still_band_n) {
    window_.clear();
    enter(RunnerState::plate_empty_check, "the plate moved during taring");
    return;
  }
  tare_samples_.push_back(s);
  if (elapsed < k.tare_s - kEps) return;
  if (config_.on_tare) config_.on_tare(tare_samples_);
  const double offset = window_.mean();
  window_.clear();
  enter(RunnerState::waiting_for_patient,
        "tared with " + std::to_string(tare_samples_.size()) + fmt(" empty-plate samples (%.1f N zeroed)", offset));
  state_start_s_ = t;
  state_start_known_ = true;
}

void TrialRunner::on_waiting(const acq::Sample& s) {
  const double t = s.device_time_s;
  const double f = s.total_fz_n;
  const RunnerSettings& k = config_.settings;
  state_elapsed(t);
  if (off_plate_) {
    // The patient stands on the box: the plate must be empty for a moment before the countdown.
    if (!(f < k.contact_n)) {
      window_.clear();
      return;
    }
    window_.push(t, f);
    if (t - window_.first_time() >= k.empty_still_s - kEps) {
      window_.clear();
      enter(RunnerState::countdown, "plate clear, patient in the start position");
      state_start_s_ = t;
      state_start_known_ = true;
    }
    return;
  }
  if (f > k.on_plate_n) {
    window_.clear();
    enter(RunnerState::weighing, fmt("patient on the plate (%.0f N)", f));
    state_start_s_ = t;
    state_start_known_ = true;
    on_weighing(s);
  }
}

void TrialRunner::on_weighing(const acq::Sample& s) {
  const double t = s.device_time_s;
  const double f = s.total_fz_n;
  const RunnerSettings& k = config_.settings;
  state_elapsed(t);
  if (!(f > k.on_plate_n)) {
    window_.clear();
    enter(RunnerState::waiting_for_patient, "stepped off before the weighing was done");
    state_start_s_ = t;
    state_start_known_ = true;
    return;
  }
  // Stable: every sample of the last weighing_s within ± weighing_band of their mean. Samples
  // from before the force settled (stepping on) drop out of the front.
  window_.push(t, f);
  const auto unstable = [&] {
    const double m = window_.mean();
    return window_.max() > m * (1 + k.weighing_band) || window_.min() < m * (1 - k.weighing_band);
  };
  while (window_.samples.size() > 1 && unstable()) window_.pop_front();
  if (t - window_.first_time() < k.weighing_s - kEps) return;

  const double weighed = window_.mean();
  window_.clear();
  weighed_n_ = weighed;
  std::string message = fmt("weighed %.1f kg (%.0f N)", weighed / kGravity, weighed);
  if (const auto recorded = recorded_weight_n()) {
    const double deviation = (weighed - *recorded) / *recorded;
    const std::string compare = fmt("weighed %.1f kg, the recorded mass is %.1f kg", weighed / kGravity, *recorded / kGravity) +
                                fmt(" (%+.1f %%)", 100 * deviation);
    const auto& tolerance = config_.test.validity.body_weight_tolerance;
    if (tolerance && std::abs(deviation) > *tolerance) {
      finish(false, compare + fmt(", more than the ±%.0f %% allowed: check the recorded mass, or that the patient "
                                  "stands freely on the plate without holding on",
                                  100 * *tolerance));
      return;
    }
    if (!tolerance && std::abs(deviation) > k.body_weight_warn) warnings_.push_back(compare);
    message = compare;
  }
  enter(RunnerState::countdown, message);
  state_start_s_ = t;
  state_start_known_ = true;
}

void TrialRunner::on_countdown(const acq::Sample& s) {
  const double t = s.device_time_s;
  const double f = s.total_fz_n;
  const RunnerSettings& k = config_.settings;
  const double elapsed = state_elapsed(t);
  if (off_plate_ && f > k.contact_n) {
    enter(RunnerState::waiting_for_patient, fmt("on the plate before the countdown ended (%.0f N)", f));
    state_start_s_ = t;
    state_start_known_ = true;
    return;
  }
  if (!off_plate_ && !(f > k.on_plate_n)) {
    weighed_n_.reset();
    warnings_.clear();
    enter(RunnerState::waiting_for_patient, "stepped off during the countdown");
    state_start_s_ = t;
    state_start_known_ = true;
    return;
  }
  if (elapsed < k.countdown_s - kEps) return;

  // This sample is the recording's first.
  trial_ = data::Trial{};
  describe_device(config_.device, trial_);
  if (!(trial_.sample_rate_hz > 0)) trial_.sample_rate_hz = config_.device.nominal_rate_hz;
  trial_.test_name = analysis_name_;
  trial_.start_time_utc = utc_now_iso8601();
  trial_.software_version = FP_SOFTWARE_VERSION;
  record_start_s_ = t;
  reset_recording_detectors();
  const EndRule& end = config_.test.end;
  enter(RunnerState::recording, end.condition == EndCondition::duration
                                    ? fmt("recording %.0f s", end.duration_s)
                                    : std::string("recording until ") + to_string(end.condition) +
                                          fmt(" (timeout %.0f s)", end.timeout_s));
  state_start_s_ = t;
  state_start_known_ = true;
  on_recording(s);
}

void TrialRunner::reset_recording_detectors() {
  window_.clear();
  recent_.clear();
  in_contact_ = !off_plate_;
  ever_contact_ = !off_plate_;
  landing_seen_ = false;
  landing_time_s_ = 0;
  flights_ = 0;
  below_since_s_ = -1;
}

void TrialRunner::on_recording(const acq::Sample& s) {
  const double t = s.device_time_s;
  const double elapsed = t - record_start_s_;
  const EndRule& end = config_.test.end;
  const RunnerSettings& k = config_.settings;

  if (end.condition == EndCondition::duration) {
    if (elapsed >= end.duration_s - kEps) {  // this sample is past the end: not recorded
      analyse_at(t);
      return;
    }
    append_sample(s, trial_);
    // Stance tests: stepping off ends the trial at once.
    if (is_stance_analysis(config_.test.analysis) && weighed_n_) {
      if (s.total_fz_n < k.step_off_fraction * *weighed_n_) {
        if (below_since_s_ < 0) below_since_s_ = t;
        if (t - below_since_s_ >= k.step_off_s - kEps) {
          trial_.complete = false;
          recording_end_s_ = t;
          finish(false, fmt("stepped off the plate %.1f s into the %.0f s recording", below_since_s_ - record_start_s_,
                            end.duration_s));
        }
      } else {
        below_since_s_ = -1;
      }
    }
    return;
  }

  append_sample(s, trial_);
  if (track_movement(s, t)) {
    recording_end_s_ = t;
    analyse();
    return;
  }
  if (elapsed >= end.timeout_s - kEps) {
    const int need = required_flights(config_.test);
    std::string reason;
    if (!in_contact_ && ever_contact_) {
      reason = fmt("no landing within %.0f s", end.timeout_s);
    } else if (off_plate_ && !ever_contact_) {
      reason = fmt("no landing within %.0f s", end.timeout_s);
    } else if (flights_ < need) {
      if (end.condition == EndCondition::hop_count) {
        reason = "only " + std::to_string(flights_) + " of " + std::to_string(need) + fmt(" hops within %.0f s", end.timeout_s);
      } else {
        reason = fmt("no jump (no flight phase) within %.0f s", end.timeout_s);
      }
    } else if (!landing_seen_) {
      reason = fmt("no landing within %.0f s", end.timeout_s);
    } else {
      const double hold = end.hold_s > 0 ? end.hold_s : k.hop_hold_s;
      reason = fmt("the landing did not settle (force within ±%.0f %% of body weight", 100 * k.settle_band) +
               fmt(" for %.1f s) within %.0f s", hold, end.timeout_s);
    }
    trial_.complete = false;
    recording_end_s_ = t;
    finish(false, reason);
  }
}

bool TrialRunner::track_movement(const acq::Sample& s, double t) {
  const RunnerSettings& k = config_.settings;
  const EndRule& end = config_.test.end;
  const double f = s.total_fz_n;
  if (!in_contact_) {
    if (f > k.contact_n) {
      in_contact_ = true;
      landing_seen_ = true;  // after a flight, or the first contact of a patient starting off the plate
      landing_time_s_ = t;
      ever_contact_ = true;
      window_.clear();  // (landings are live feedback, not state changes)
      recent_.clear();
    }
  } else if (f < k.flight_n) {
    if (below_since_s_ < 0) below_since_s_ = t;
    if (t - below_since_s_ >= k.min_flight_s - kEps) {
      in_contact_ = false;
      landing_seen_ = false;
      ++flights_;
      below_since_s_ = -1;
      window_.clear();
      recent_.clear();
    }
  } else {
    below_since_s_ = -1;
  }
  if (!in_contact_ || !landing_seen_ || flights_ < required_flights(config_.test)) return false;

  // Settled: over the last hold_s after the landing, every sample within ± settle_band of body
  // weight: weighed before the movement, or, for a patient who started off the plate, the mean
  // force of the last settle_reference_s (the end of the stretch, where the landing has died away:
  // the mean of the whole stretch is pulled by its start). Not the recorded mass: one that is out
  // of date by more than the band would keep every trial from ending.
  const double hold = end.condition == EndCondition::hop_count && !(end.hold_s > 0) ? k.hop_hold_s : end.hold_s;
  window_.push(t, f);
  window_.drop_before(t - hold);
  recent_.push(t, f);
  recent_.drop_before(t - k.settle_reference_s);
  if (t - landing_time_s_ < hold - kEps) return false;
  const double ref = weighed_n_ ? *weighed_n_ : recent_.mean();
  return window_.max() <= ref * (1 + k.settle_band) && window_.min() >= ref * (1 - k.settle_band);
}

void TrialRunner::analyse_at(double t) {
  recording_end_s_ = t;
  analyse();
}

void TrialRunner::analyse() {
  enter(RunnerState::analysing, std::to_string(trial_.sample_count()) + fmt(" samples recorded (%.2f s)", recording_end_s_ - record_start_s_));
  for (const data::Gap& g : trial_.gaps) {
    warnings_.push_back(std::to_string(g.count) + " samples missing from sequence " + std::to_string(g.first_missing_sequence) +
                        " (" + g.reason + ")");
  }
  TrialAnalysisOptions o;
  o.test = analysis_name_;
  o.side = config_.side;
  if (off_plate_) {
    o.body_weight_n = recorded_weight_n();  // else the analysis weighs the patient after the landing
  } else if (config_.test.analysis == AnalysisKind::hops) {
    o.body_weight_n = weighed_n_;
  }
  // The definition's analysis window (seconds from the start of the recording): the analysis sees
  // only that part; the trial keeps every sample.
  const data::Trial* analysed = &trial_;
  data::Trial part;
  if (const auto& w = config_.test.window) {
    part = trial_;
    part.sequence.clear();
    part.time_s.clear();
    part.counts.clear();
    part.cell_force_n.clear();
    part.fz_n.clear();
    part.cop_x_m.clear();
    part.cop_y_m.clear();
    part.gaps.clear();
    const auto plates = static_cast<std::size_t>(trial_.plate_count());
    const auto cells = static_cast<std::size_t>(trial_.total_cells());
    for (std::size_t i = 0; i < trial_.sample_count(); ++i) {
      const double rel = trial_.time_s[i] - record_start_s_;
      if (rel < w->start_s - kEps || rel >= w->end_s - kEps) continue;
      part.sequence.push_back(trial_.sequence[i]);
      part.time_s.push_back(trial_.time_s[i]);
      for (std::size_t c = 0; c < cells; ++c) {
        part.counts.push_back(trial_.counts[i * cells + c]);
        part.cell_force_n.push_back(trial_.cell_force_n[i * cells + c]);
      }
      for (std::size_t p = 0; p < plates; ++p) {
        part.fz_n.push_back(trial_.fz_n[i * plates + p]);
        part.cop_x_m.push_back(trial_.cop_x_m[i * plates + p]);
        part.cop_y_m.push_back(trial_.cop_y_m[i * plates + p]);
      }
    }
    for (const data::Gap& g : trial_.gaps) {
      if (!part.sequence.empty() && g.first_missing_sequence >= part.sequence.front() &&
          g.first_missing_sequence <= part.sequence.back()) {
        part.gaps.push_back(g);
      }
    }
    analysed = &part;
  }
  TrialAnalysis result;
  try {
    result = analyze_trial(*analysed, o);
  } catch (const analysis::AnalysisError& e) {
    finish(false, e.what());
    return;
  }
  trial_.results = to_measurements(result.result);
  trial_.analysis_version = FP_SOFTWARE_VERSION;
  for (const std::string& w : result.result.warnings) warnings_.push_back(w);
  pending_analysis_ = std::move(result);

  // The definition's validity rules on the measures.
  const ValidityRules& v = config_.test.validity;
  const analysis::AnalysisResult& r = pending_analysis_->result;
  std::string reason;
  if (v.max_failures) {
    if (const analysis::Measure* m = r.find("failure_count"); m && m->value > *v.max_failures) {
      reason = fmt("%.0f balance failure(s) (touch-down or step), at most %.0f allowed", m->value, static_cast<double>(*v.max_failures));
    }
  }
  if (reason.empty() && v.min_time_in_balance_s) {
    if (const analysis::Measure* m = r.find("time_in_balance"); m && m->value < *v.min_time_in_balance_s) {
      reason = fmt("%.1f s in balance, at least %.1f s needed", m->value, *v.min_time_in_balance_s);
    }
  }
  if (reason.empty() && v.max_time_to_stabilisation_s) {
    if (const analysis::Measure* m = r.find("time_to_stabilisation"); m && m->value > *v.max_time_to_stabilisation_s) {
      reason = fmt("time to stabilisation %.2f s, at most %.2f s allowed", m->value, *v.max_time_to_stabilisation_s);
    }
  }
  finish(reason.empty(), reason);
}

void TrialRunner::finish(bool valid, const std::string& reason) {
  TrialOutcome out;
  out.valid = valid;
  out.reason = reason;
  out.warnings = std::move(warnings_);
  warnings_.clear();
  out.definition_id = config_.test.id;
  out.side = config_.side;
  out.analysis = std::move(pending_analysis_);
  pending_analysis_.reset();
  if (weighed_n_) {
    out.body_weight_n = weighed_n_;
    out.body_weight_source = "weighed";
  } else if (const auto recorded = recorded_weight_n()) {
    out.body_weight_n = recorded;
    out.body_weight_source = "recorded mass";
  }
  out.recording_start_s = record_start_s_;
  out.recording_end_s = recording_end_s_;
  out.attempt = attempt_;
  out.trial = std::move(trial_);
  trial_ = data::Trial{};
  out.events.assign(events_.begin() + static_cast<std::ptrdiff_t>(attempt_first_event_), events_.end());
  store_context(out, valid, reason);
  outcome_ = std::move(out);
  enter(RunnerState::result, valid ? "valid" : "invalid: " + reason);
  if (outcome_) {  // the result itself, as the last event stored with the trial
    const RunnerEvent& e = events_.back();
    outcome_->trial.runner_events.push_back({e.device_time_s, e.state, e.message});
  }
}

// The trial file carries what a reader needs to know how it was run: the side, the definition as
// run, every state change, the analysis' processing and warnings, and why it was invalid.
void TrialRunner::store_context(TrialOutcome& out, bool valid, const std::string& reason) const {
  data::Trial& t = out.trial;
  t.side = config_.side ? analysis::to_string(*config_.side) : "";
  std::string definition;
  if (!config_.test.file.empty()) {
    std::ifstream in(config_.test.file);
    std::ostringstream text;
    text << in.rdbuf();
    definition = text.str();
  }
  if (definition.empty()) definition = nlohmann::json{{"id", config_.test.id}, {"name", config_.test.name}}.dump();
  t.test_definition = definition;
  t.runner_events.clear();
  for (const RunnerEvent& e : out.events) t.runner_events.push_back({e.device_time_s, e.state, e.message});
  t.invalid_reason = valid ? "" : reason;
  if (out.analysis) {
    t.results = to_measurements(out.analysis->result);
    t.analysis_processing = out.analysis->result.processing;
    t.analysis_warnings = out.analysis->result.warnings;
  }
}

// ---- live feedback --------------------------------------------------------------------------

std::string TrialRunner::instruction_for(RunnerState s) const {
  const std::string side = config_.side ? std::string(analysis::to_string(*config_.side)) : std::string();
  switch (s) {
    case RunnerState::idle: return "Press start when the patient is ready.";
    case RunnerState::plate_empty_check: return "Clear the plate: nobody on it and nothing touching it.";
    case RunnerState::taring: return "Keep the plate clear: zeroing.";
    case RunnerState::waiting_for_patient:
      if (off_plate_) return "Take the start position off the plate" + (side.empty() ? std::string() : " (" + side + " leg)") + ".";
      return side.empty() ? "Step onto the plate." : "Step onto the plate (test leg: " + side + ").";
    case RunnerState::weighing: return "Stand still: weighing.";
    case RunnerState::countdown: return "Get ready. " + config_.test.instructions;
    case RunnerState::recording:
      switch (config_.test.analysis) {
        case AnalysisKind::landing: return "Go: land on the plate and hold still.";
        case AnalysisKind::drop_jump: return "Go: drop onto the plate and jump straight up.";
        case AnalysisKind::countermovement_jump:
        case AnalysisKind::squat_jump: return "Jump!";
        case AnalysisKind::hops: return "Hop " + std::to_string(config_.test.end.count) + " times, then stand still.";
        default: return side.empty() ? "Hold still." : "Hold still on your " + side + " leg.";
      }
    case RunnerState::analysing: return "Analysing.";
    case RunnerState::result:
      if (outcome_ && outcome_->valid) return "Trial valid: accept, redo or discard.";
      return "Trial invalid" + (outcome_ ? ": " + outcome_->reason : std::string()) + ". Redo or discard.";
    case RunnerState::accepted: return "Trial accepted.";
    case RunnerState::discarded: return "Trial discarded.";
    case RunnerState::cancelled: return "Cancelled.";
  }
  return {};
}

void TrialRunner::update_live(const acq::Sample& s) {
  LiveFeedback& l = live_;
  l.state = state_;
  l.total_fz_n = s.total_fz_n;
  l.cop_x_m = s.total_cop_x_m;
  l.cop_y_m = s.total_cop_y_m;
  for (std::size_t k = 0; k < l.plate_fz_n.size() && k < s.fz_n.size(); ++k) {
    l.plate_fz_n[k] = s.fz_n[k];
    l.plate_share[k] = s.total_fz_n > config_.settings.contact_n ? s.fz_n[k] / s.total_fz_n : 0.0;
  }
  const double t = s.device_time_s;
  l.elapsed_s = state_start_known_ ? t - state_start_s_ : 0;
  const EndRule& end = config_.test.end;
  if (state_ == RunnerState::countdown) {
    l.time_left_s = std::max(0.0, config_.settings.countdown_s - l.elapsed_s);
  } else if (state_ == RunnerState::recording) {
    const double limit = end.condition == EndCondition::duration ? end.duration_s : end.timeout_s;
    l.time_left_s = std::max(0.0, limit - (t - record_start_s_));
  } else {
    l.time_left_s = 0;
  }
  l.flights = flights_;
  l.landing_seen = landing_seen_;
  // Body weight band: around the weight measured (or recorded) once known, else around the force
  // being weighed.
  const RunnerSettings& k = config_.settings;
  const auto recorded = recorded_weight_n();
  l.body_weight_n = weighed_n_ ? weighed_n_ : recorded;
  double centre = 0, half = 0;
  if (weighed_n_) {
    centre = *weighed_n_;
    half = k.settle_band;
  } else if (recorded) {
    centre = *recorded;
    half = config_.test.validity.body_weight_tolerance.value_or(k.body_weight_warn);
  } else if (state_ == RunnerState::weighing && !window_.empty()) {
    centre = window_.mean();
    half = k.weighing_band;
  }
  l.band_low_n = centre * (1 - half);
  l.band_high_n = centre * (1 + half);
  l.within_band = centre > 0 && s.total_fz_n >= l.band_low_n && s.total_fz_n <= l.band_high_n;
}

}  // namespace fp::workflow
