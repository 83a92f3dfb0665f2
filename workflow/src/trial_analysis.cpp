#include "forceplate/workflow/trial_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "forceplate/analysis/drop_jump.hpp"
#include "forceplate/analysis/hops.hpp"
#include "forceplate/analysis/jump.hpp"
#include "forceplate/analysis/jump_limbs.hpp"
#include "forceplate/analysis/landing.hpp"
#include "forceplate/analysis/quiet_stance.hpp"
#include "forceplate/analysis/resample.hpp"
#include "forceplate/analysis/single_leg.hpp"
#include "forceplate/analysis/weight_bearing.hpp"

namespace fp::workflow {

namespace {

using analysis::AnalysisError;

constexpr double kMinStanceForceN = 100.0;  // below this nobody is standing on the plate

// The force the plate carries most of the time (90th percentile): robust to stepping on and off.
double typical_load(const std::vector<double>& fz) {
  std::vector<double> v;
  for (double f : fz) {
    if (std::isfinite(f)) v.push_back(f);
  }
  if (v.empty()) return 0;
  const auto k = static_cast<std::ptrdiff_t>(v.size() * 9 / 10);
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[static_cast<std::size_t>(k)];
}

bool all_nan(const std::vector<double>& v) {
  return std::none_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

// One plate's column of a per-plate array.
std::vector<double> column(const std::vector<double>& a, int plates, int k) {
  std::vector<double> out;
  for (std::size_t i = static_cast<std::size_t>(k); i < a.size(); i += static_cast<std::size_t>(plates)) out.push_back(a[i]);
  return out;
}

struct Cop {
  std::vector<double> fz, x, y;
};

// Force and COP of the whole trial as one: the plate itself, or two plates combined by their
// moments about the common frame in which the recording placed them. Files that do not say where
// the plates stood (all origins 0) get the acquisition's default: side by side, touching.
Cop combined(const data::Trial& t) {
  const int n = t.plate_count();
  if (n == 1) return {t.fz_n, t.cop_x_m, t.cop_y_m};
  Cop c;
  const bool placed = t.plates[0].origin_x_m != t.plates[1].origin_x_m;
  const double half = (t.plates[0].width_m + t.plates[1].width_m) / 4;
  const double origin[2] = {placed ? t.plates[0].origin_x_m : -half, placed ? t.plates[1].origin_x_m : half};
  const double origin_y[2] = {t.plates[0].origin_y_m, t.plates[1].origin_y_m};
  for (std::size_t i = 0; i < t.sample_count(); ++i) {
    double fz = 0, mx = 0, my = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      const double f = t.fz_n[i * 2 + k];
      fz += f;
      const double x = t.cop_x_m[i * 2 + k], y = t.cop_y_m[i * 2 + k];
      if (std::isfinite(x)) mx += f * (x + origin[k]);
      if (std::isfinite(y)) my += f * (y + origin_y[k]);
    }
    c.fz.push_back(fz);
    c.x.push_back(fz >= 20 ? mx / fz : std::numeric_limits<double>::quiet_NaN());
    c.y.push_back(fz >= 20 ? my / fz : std::numeric_limits<double>::quiet_NaN());
  }
  return c;
}

// Where someone stands: the longest loaded run above `fraction` of the typical load, less
// `settle_s` at each end. A COP-only recording (no force) is analysed whole.
analysis::SampleWindow stance_window(const data::Trial& t, const std::vector<double>& fz, double fraction, double settle_s) {
  if (all_nan(fz)) return {0, t.sample_count()};
  const double threshold = std::max(fraction * typical_load(fz), kMinStanceForceN);
  const analysis::SampleWindow w = analysis::find_stance_window(fz, t.sample_rate_hz, threshold, settle_s);
  if (w.size() == 0) {
    throw AnalysisError("nobody stands on the plate in this trial (vertical force never stays above " +
                        std::to_string(static_cast<int>(threshold)) + " N for long enough)");
  }
  return w;
}

void note_window(TrialAnalysis& out, const data::Trial& t) {
  const auto& w = out.window;
  std::ostringstream note;
  note.precision(3);
  note << "analysed " << t.time_s[w.end - 1] - t.time_s[w.begin] + 1.0 / t.sample_rate_hz << " s, from " << t.time_s[w.begin]
       << " s to " << t.time_s[w.end - 1] << " s of the recording";
  out.result.processing.insert(out.result.processing.begin(), note.str());
  std::uint64_t missing = 0;
  for (const data::Gap& g : t.gaps) {
    if (g.first_missing_sequence >= t.sequence[w.begin] && g.first_missing_sequence <= t.sequence[w.end - 1]) {
      missing += g.count;
    }
  }
  if (missing > 0) {
    out.result.warnings.push_back(std::to_string(missing) +
                                  " samples are missing inside the analysed window; measures treat the rest as contiguous");
  }
}

template <class V>
std::span<const double> part(const V& v, const analysis::SampleWindow& w) {
  return std::span<const double>(v.data() + w.begin, w.size());
}

// Whether the window's time stamps step by one sample period throughout (to 0.1 %).
bool regular(const data::Trial& t, const analysis::SampleWindow& w) {
  const double period = 1.0 / t.sample_rate_hz;
  for (std::size_t i = w.begin + 1; i < w.end; ++i) {
    if (std::abs(t.time_s[i] - t.time_s[i - 1] - period) > 1e-3 * period) return false;
  }
  return true;
}

TrialAnalysis quiet_stance(const data::Trial& t, const TrialAnalysisOptions& o) {
  const Cop c = combined(t);
  TrialAnalysis out;
  out.window = stance_window(t, c.fz, 0.5, o.settle_s);
  analysis::QuietStanceOptions q;
  q.preprocessing.lowpass = o.lowpass;
  if (regular(t, out.window)) {
    out.result = analysis::analyze_quiet_stance(part(c.x, out.window), part(c.y, out.window), t.sample_rate_hz, q);
  } else {
    // Irregular time stamps (dropped or jittered frames in a file from elsewhere): the measures
    // assume a uniform rate, so the window is resampled to the nominal rate first.
    const auto time = part(t.time_s, out.window);
    const auto x = analysis::resample_uniform(time, part(c.x, out.window), t.sample_rate_hz);
    const auto y = analysis::resample_uniform(time, part(c.y, out.window), t.sample_rate_hz);
    out.result = analysis::analyze_quiet_stance(x.values, y.values, t.sample_rate_hz, q);
    out.result.processing.insert(out.result.processing.begin(),
                                 "time stamps irregular: " + std::to_string(out.window.size()) +
                                     " samples resampled (linear) to " + std::to_string(x.values.size()) + " at " +
                                     std::to_string(static_cast<int>(t.sample_rate_hz)) + " Hz");
  }
  note_window(out, t);
  return out;
}

TrialAnalysis single_leg_stance(const data::Trial& t, const TrialAnalysisOptions& o) {
  if (!o.side) throw AnalysisError("single-leg stance needs the stance side (--side left|right)");
  const int plates = t.plate_count();
  const int k = plates == 1 ? 0 : (*o.side == analysis::Side::left ? 0 : 1);
  const std::vector<double> fz = column(t.fz_n, plates, k);
  const std::vector<double> x = column(t.cop_x_m, plates, k);
  const std::vector<double> y = column(t.cop_y_m, plates, k);
  TrialAnalysis out;
  // Only the empty plate before and after is left out: losing balance must stay in the window.
  out.window = stance_window(t, fz, 0.15, 0.5);
  analysis::SingleLegOptions s;
  s.sway.preprocessing.lowpass = o.lowpass;
  out.result = analysis::analyze_single_leg_stance(part(fz, out.window), part(x, out.window), part(y, out.window),
                                                   t.sample_rate_hz, *o.side, std::nullopt, s)
                   .result;
  note_window(out, t);
  return out;
}

TrialAnalysis weight_bearing(const data::Trial& t, const TrialAnalysisOptions& o) {
  if (t.plate_count() != 2) {
    throw AnalysisError("weight-bearing symmetry needs two plates, one per foot; this trial has " +
                        std::to_string(t.plate_count()));
  }
  const std::vector<double> left = column(t.fz_n, 2, 0), right = column(t.fz_n, 2, 1);
  std::vector<double> total(left.size());
  for (std::size_t i = 0; i < total.size(); ++i) total[i] = left[i] + right[i];
  TrialAnalysis out;
  out.window = stance_window(t, total, 0.5, o.settle_s);
  out.result = analysis::analyze_weight_bearing(part(left, out.window), part(right, out.window), t.sample_rate_hz).result;
  note_window(out, t);
  return out;
}

// Countermovement and squat jumps from the total vertical force (both plates together); single-leg
// jumps on two plates use the stance side's plate.
TrialAnalysis jump(const data::Trial& t, const TrialAnalysisOptions& o, analysis::JumpKind kind) {
  const int plates = t.plate_count();
  std::vector<double> fz;
  if (plates == 2 && o.side) {
    fz = column(t.fz_n, 2, *o.side == analysis::Side::left ? 0 : 1);
  } else {
    fz = combined(t).fz;
  }
  analysis::JumpOptions j;
  j.kind = kind;
  TrialAnalysis out;
  out.window = {0, t.sample_count()};  // the events are found in the whole recording
  analysis::JumpResult r = analysis::analyze_jump(fz, t.sample_rate_hz, j);
  if (plates == 2 && !o.side) {
    analysis::add_limb_asymmetry(r, column(t.fz_n, 2, 0), column(t.fz_n, 2, 1));
  }
  out.result = std::move(r.result);
  note_window(out, t);
  return out;
}

// The vertical force a one-sided test is measured on: the stance side's plate when there are two
// and a side is given, else the total.
std::vector<double> stance_force(const data::Trial& t, const TrialAnalysisOptions& o) {
  if (t.plate_count() == 2 && o.side) return column(t.fz_n, 2, *o.side == analysis::Side::left ? 0 : 1);
  return combined(t).fz;
}

TrialAnalysis whole_trial(const data::Trial& t, analysis::AnalysisResult r) {
  TrialAnalysis out;
  out.window = {0, t.sample_count()};  // events are found in the whole recording
  out.result = std::move(r);
  note_window(out, t);
  return out;
}

// Hop-and-stick, single-leg drop landing, step-down: the landing plate's force, its COP and, when
// the recording has them, its horizontal forces (for the dynamic postural stability index).
TrialAnalysis landing(const data::Trial& t, const TrialAnalysisOptions& o) {
  const int plates = t.plate_count();
  std::vector<double> fz, x, y, fx, fy;
  if (plates == 2 && o.side) {
    const int k = *o.side == analysis::Side::left ? 0 : 1;
    fz = column(t.fz_n, 2, k);
    x = column(t.cop_x_m, 2, k);
    y = column(t.cop_y_m, 2, k);
    if (t.fx_n.size() == t.fz_n.size()) fx = column(t.fx_n, 2, k);
    if (t.fy_n.size() == t.fz_n.size()) fy = column(t.fy_n, 2, k);
  } else {
    const Cop c = combined(t);
    fz = c.fz;
    x = c.x;
    y = c.y;
    if (plates == 1 && t.fx_n.size() == t.fz_n.size()) fx = t.fx_n;
    if (plates == 1 && t.fy_n.size() == t.fz_n.size()) fy = t.fy_n;
  }
  // COP is NaN while the plate is empty (before touchdown): the landing analysis wants it only
  // after touchdown, so an unloaded sample's COP is held at the first loaded value.
  const auto fill = [](std::vector<double>& v) {
    double last = std::numeric_limits<double>::quiet_NaN();
    for (double a : v) {
      if (std::isfinite(a)) {
        last = a;
        break;
      }
    }
    if (!std::isfinite(last)) {
      v.clear();  // no COP at all (a force-only recording)
      return;
    }
    for (double& a : v) {
      if (std::isfinite(a)) last = a; else a = last;
    }
  };
  fill(x);
  fill(y);
  if (x.empty() || y.empty()) x.clear(), y.clear();
  analysis::LandingSignals s;
  s.fz_n = fz;
  s.cop_x_m = x;
  s.cop_y_m = y;
  if (!fx.empty() && !fy.empty() && !all_nan(fx)) {
    s.fx_n = fx;
    s.fy_n = fy;
  }
  analysis::LandingOptions lo;
  lo.body_weight_n = o.body_weight_n;
  if (o.lowpass) lo.filter = *o.lowpass;
  return whole_trial(t, analysis::analyze_landing(s, t.sample_rate_hz, lo).result);
}

TrialAnalysis drop_jump(const data::Trial& t, const TrialAnalysisOptions& o) {
  analysis::DropJumpOptions d;
  d.body_weight_n = o.body_weight_n;
  analysis::DropJumpResult r = analysis::analyze_drop_jump(stance_force(t, o), t.sample_rate_hz, d);
  if (t.plate_count() == 2 && !o.side) {
    analysis::add_limb_asymmetry(r, t.sample_rate_hz, column(t.fz_n, 2, 0), column(t.fz_n, 2, 1));
  }
  return whole_trial(t, std::move(r.result));
}

TrialAnalysis hops(const data::Trial& t, const TrialAnalysisOptions& o) {
  analysis::HopsOptions h;
  h.body_weight_n = o.body_weight_n;
  return whole_trial(t, analysis::analyze_hops(stance_force(t, o), t.sample_rate_hz, h).result);
}

}  // namespace

const char* analysable_tests() {
  return "quiet-stance, single-leg-stance, weight-bearing, cmj (countermovement-jump), squat-jump, "
         "landing (hop-and-stick, drop-landing, step-down), drop-jump, hops";
}

TrialAnalysis analyze_trial(const data::Trial& trial, const TrialAnalysisOptions& options) {
  if (trial.sample_count() == 0) throw AnalysisError("the trial holds no samples");
  if (!(trial.sample_rate_hz > 0)) throw AnalysisError("the trial has no sample rate");
  if (trial.plate_count() < 1 || trial.plate_count() > 2) throw AnalysisError("the trial has no plates");
  const std::string test = options.test.empty() ? trial.test_name : options.test;
  if (test == "quiet-stance") return quiet_stance(trial, options);
  if (test == "single-leg-stance") return single_leg_stance(trial, options);
  if (test == "weight-bearing") return weight_bearing(trial, options);
  if (test == "cmj" || test == "countermovement-jump") return jump(trial, options, analysis::JumpKind::countermovement);
  if (test == "squat-jump") return jump(trial, options, analysis::JumpKind::squat);
  if (test == "landing" || test == "hop-and-stick" || test == "drop-landing" || test == "step-down") {
    return landing(trial, options);
  }
  if (test == "drop-jump") return drop_jump(trial, options);
  if (test == "hops") return hops(trial, options);
  throw AnalysisError("no analysis for test '" + test + "' (known: " + analysable_tests() + ")");
}

std::vector<data::Measurement> to_measurements(const analysis::AnalysisResult& result) {
  std::vector<data::Measurement> out;
  for (const analysis::Measure& m : result.measures) {
    const analysis::DisplayValue d = analysis::to_display(m);
    out.push_back(data::Measurement{m.name, d.value, d.unit});
  }
  return out;
}

}  // namespace fp::workflow
