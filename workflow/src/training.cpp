#include "forceplate/workflow/training.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "forceplate/workflow/trial_analysis.hpp"

namespace fp::workflow {

namespace {

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void refuse(const std::string& what) { throw std::invalid_argument("training: " + what); }

void require(bool ok, const std::string& field, const std::string& rule, double got) {
  if (!ok) refuse(field + " must be " + rule + " (got " + num(got) + ")");
}

}  // namespace

const char* to_string(TrainingMode mode) {
  switch (mode) {
    case TrainingMode::cop_target:
      return "cop-target";
    case TrainingMode::weight_share:
      return "weight-share";
  }
  return "?";
}

std::optional<TrainingMode> parse_training_mode(std::string_view text) {
  if (text == "cop-target") return TrainingMode::cop_target;
  if (text == "weight-share") return TrainingMode::weight_share;
  return std::nullopt;
}

std::string training_test_name(TrainingMode mode) { return std::string("training-") + to_string(mode); }

void validate(const TrainingDefinition& d) {
  require(std::isfinite(d.duration_s) && d.duration_s > 0 && d.duration_s <= 3600, "duration_s",
          "in (0, 3600] s", d.duration_s);
  require(std::isfinite(d.start_force_n) && d.start_force_n >= 0, "start_force_n", ">= 0 N", d.start_force_n);
  require(std::isfinite(d.max_bridged_gap_s) && d.max_bridged_gap_s >= 0, "max_bridged_gap_s", ">= 0 s",
          d.max_bridged_gap_s);
  if (d.mode == TrainingMode::cop_target) {
    require(d.plate == 0 || d.plate == 1, "plate", "0 or 1", d.plate);
    require(std::isfinite(d.target_radius_m) && d.target_radius_m > 0 && d.target_radius_m <= 0.25,
            "target_radius_m", "in (0, 0.25] m", d.target_radius_m);
    require(std::isfinite(d.target_x_m) && std::abs(d.target_x_m) <= 0.5, "target_x_m", "within +-0.5 m of the plate centre",
            d.target_x_m);
    require(std::isfinite(d.target_y_m) && std::abs(d.target_y_m) <= 0.5, "target_y_m", "within +-0.5 m of the plate centre",
            d.target_y_m);
  } else {
    require(std::isfinite(d.share_min_percent) && d.share_min_percent >= 0 && d.share_min_percent <= 100,
            "share_min_percent", "in [0, 100] %", d.share_min_percent);
    require(std::isfinite(d.share_max_percent) && d.share_max_percent >= 0 && d.share_max_percent <= 100,
            "share_max_percent", "in [0, 100] %", d.share_max_percent);
    if (!(d.share_min_percent < d.share_max_percent)) {
      refuse("share_min_percent (" + num(d.share_min_percent) + ") must be below share_max_percent (" +
             num(d.share_max_percent) + ")");
    }
    require(std::isfinite(d.min_total_force_n) && d.min_total_force_n > 0, "min_total_force_n", "> 0 N",
            d.min_total_force_n);
  }
}

std::string to_json(const TrainingDefinition& d) {
  nlohmann::ordered_json j;
  j["name"] = training_test_name(d.mode);
  j["mode"] = to_string(d.mode);
  j["duration_s"] = d.duration_s;
  j["side"] = analysis::to_string(d.involved_side);
  if (d.mode == TrainingMode::cop_target) {
    j["plate"] = d.plate;
    j["target_x_m"] = d.target_x_m;
    j["target_y_m"] = d.target_y_m;
    j["target_radius_m"] = d.target_radius_m;
  } else {
    j["share_min_percent"] = d.share_min_percent;
    j["share_max_percent"] = d.share_max_percent;
    j["min_total_force_n"] = d.min_total_force_n;
  }
  j["start_force_n"] = d.start_force_n;
  j["max_bridged_gap_s"] = d.max_bridged_gap_s;
  return j.dump();
}

TrainingScorer::TrainingScorer(TrainingDefinition definition, double rate_hz)
    : definition_(std::move(definition)), rate_hz_(rate_hz), period_s_(0) {
  validate(definition_);
  if (!(std::isfinite(rate_hz) && rate_hz > 0)) refuse("sample rate must be > 0 Hz (got " + num(rate_hz) + ")");
  period_s_ = 1.0 / rate_hz;
  live_.mode = definition_.mode;
  live_.remaining_s = definition_.duration_s;
}

bool TrainingScorer::add(const acq::Sample& s) {
  if (definition_.mode == TrainingMode::cop_target) {
    const auto k = static_cast<std::size_t>(definition_.plate);
    if (k >= static_cast<std::size_t>(s.plate_count)) return add_cop(s.device_time_s, kNaN, kNaN, s.total_fz_n, s.gap_before);
    return add_cop(s.device_time_s, s.cop_x_m[k], s.cop_y_m[k], s.total_fz_n, s.gap_before);
  }
  // One plate cannot tell the feet apart: no share.
  if (s.plate_count < 2) return add_forces(s.device_time_s, kNaN, kNaN, s.gap_before);
  return add_forces(s.device_time_s, s.fz_n[0], s.fz_n[1], s.gap_before);
}

bool TrainingScorer::add_cop(double t, double x, double y, double total_fz_n, std::uint64_t gap_before) {
  if (definition_.mode != TrainingMode::cop_target) throw std::logic_error("training: add_cop on a weight-share session");
  const bool has = std::isfinite(x) && std::isfinite(y);
  return score(t, gap_before, total_fz_n, has, x, y);
}

bool TrainingScorer::add_forces(double t, double left, double right, std::uint64_t gap_before) {
  if (definition_.mode != TrainingMode::weight_share) throw std::logic_error("training: add_forces on a cop-target session");
  const double total = left + right;
  const bool has = std::isfinite(total) && total >= definition_.min_total_force_n;
  double share = kNaN;
  if (has) {
    const double involved = definition_.involved_side == analysis::Side::left ? left : right;
    share = 100.0 * involved / total;
  }
  return score(t, gap_before, std::isfinite(total) ? total : 0.0, has, share, 0);
}

bool TrainingScorer::score(double t, std::uint64_t gap_before, double total_fz_n, bool has, double a, double b) {
  if (live_.finished || !std::isfinite(t)) return false;
  const TrainingDefinition& d = definition_;
  if (!live_.started) {
    if (d.start_force_n > 0 && !(total_fz_n >= d.start_force_n)) return true;  // waiting for the patient to step on
    live_.started = true;
    start_time_s_ = t;
  } else {
    // A gap: samples the device numbered but never delivered, or device time jumping forward.
    const double step = t - last_time_s_;
    const bool jumped = step > 1.5 * period_s_;
    if (gap_before > 0 || jumped) {
      ++live_.gaps;
      live_.samples_missing += gap_before > 0 ? gap_before
                                              : static_cast<std::uint64_t>(std::llround(step / period_s_)) - 1;
      if (step > d.max_bridged_gap_s + period_s_ * 0.5 || step < 0) hold_samples_ = 0;
    }
  }
  last_time_s_ = t;

  bool in = false;
  if (d.mode == TrainingMode::cop_target) {
    live_.cop_x_m = has ? a : kNaN;
    live_.cop_y_m = has ? b : kNaN;
    if (has) {
      const double dist = std::hypot(a - d.target_x_m, b - d.target_y_m);
      in = dist <= d.target_radius_m;
      error_sum_ += dist;
    }
  } else {
    live_.share_percent = has ? a : kNaN;
    if (has) {
      in = a >= d.share_min_percent && a <= d.share_max_percent;
      error_sum_ += std::abs(a - 0.5 * (d.share_min_percent + d.share_max_percent));
    }
  }
  live_.has_value = has;
  live_.in_zone = in;
  if (has) ++valued_samples_;
  ++live_.samples;
  if (in) {
    ++in_zone_samples_;
    ++hold_samples_;
    if (hold_samples_ > longest_hold_samples_) longest_hold_samples_ = hold_samples_;
  } else {
    hold_samples_ = 0;
  }
  live_.time_in_zone_percent = 100.0 * static_cast<double>(in_zone_samples_) / static_cast<double>(live_.samples);
  live_.current_hold_s = static_cast<double>(hold_samples_) * period_s_;
  live_.longest_hold_s = static_cast<double>(longest_hold_samples_) * period_s_;
  live_.elapsed_s = t - start_time_s_ + period_s_;  // this sample's period included
  live_.remaining_s = std::max(0.0, d.duration_s - live_.elapsed_s);
  if (live_.elapsed_s >= d.duration_s - 0.5 * period_s_) {
    live_.finished = true;
    live_.remaining_s = 0;
  }
  return true;
}

analysis::AnalysisResult TrainingScorer::result() const {
  using analysis::Measure;
  using analysis::Unit;
  analysis::AnalysisResult r;
  r.test = training_test_name(definition_.mode);
  const double mean_error =
      valued_samples_ > 0 ? error_sum_ / static_cast<double>(valued_samples_) : std::numeric_limits<double>::quiet_NaN();
  r.measures.push_back(Measure{"time_in_zone", live_.samples > 0 ? live_.time_in_zone_percent : 0.0, Unit::percent});
  r.measures.push_back(Measure{"longest_hold", live_.longest_hold_s, Unit::second});
  if (definition_.mode == TrainingMode::cop_target) {
    r.measures.push_back(Measure{"mean_distance_to_target", mean_error, Unit::metre});
  } else {
    r.measures.push_back(Measure{"mean_share_error", mean_error, Unit::percent});
  }
  r.measures.push_back(Measure{"samples", static_cast<double>(live_.samples), Unit::dimensionless});

  if (!live_.started) {
    r.warnings.push_back("the session never started: the total force did not reach " + num(definition_.start_force_n) + " N");
  } else if (!live_.finished) {
    r.warnings.push_back("the session ended early: " + num(std::round(live_.elapsed_s * 10) / 10) + " s of " +
                         num(definition_.duration_s) + " s");
  }
  const std::uint64_t without = live_.samples - valued_samples_;
  if (without > 0) {
    r.warnings.push_back(std::to_string(without) + " of " + std::to_string(live_.samples) + " samples had no " +
                         (definition_.mode == TrainingMode::cop_target ? "centre of pressure (plate unloaded)"
                                                                        : "weight share (nobody on the plates)") +
                         " and count as out of the zone");
  }
  if (live_.gaps > 0) {
    r.warnings.push_back(std::to_string(live_.gaps) + " gap(s), " + std::to_string(live_.samples_missing) +
                         " samples missing: not counted in or out of the zone");
  }
  r.processing.push_back("each sample counts for 1/" + num(rate_hz_) + " s; holds are runs of in-zone samples; gaps up to " +
                         num(definition_.max_bridged_gap_s) + " s do not end a hold");
  return r;
}

void TrainingScorer::store_in(data::Trial& trial) const {
  const analysis::AnalysisResult r = result();
  trial.test_name = r.test;
  trial.side = analysis::to_string(definition_.involved_side);
  trial.test_definition = to_json(definition_);
  trial.results = to_measurements(r);
  trial.analysis_warnings = r.warnings;
  trial.analysis_processing = r.processing;
}

}  // namespace fp::workflow
