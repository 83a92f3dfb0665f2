#include "forceplate/workflow/trial_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace fp::workflow {

namespace {

// Somebody is "on the plate" above half the force the plate carries most of the time: robust to
// the step on and off and to the body's own vertical ripple.
double stance_threshold(const std::vector<double>& fz) {
  std::vector<double> sorted;
  for (double f : fz) {
    if (std::isfinite(f)) sorted.push_back(f);
  }
  if (sorted.empty()) return 0;
  const auto k = static_cast<std::ptrdiff_t>(sorted.size() * 9 / 10);
  std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
  return 0.5 * sorted[static_cast<std::size_t>(k)];
}

constexpr double kMinStanceForceN = 100.0;  // below this nobody is standing on the plate

TrialAnalysis analyze_quiet_stance(const data::Trial& t, const TrialAnalysisOptions& o) {
  if (t.plate_count() != 1) {
    throw analysis::AnalysisError("quiet-stance analysis of " + std::to_string(t.plate_count()) +
                                  "-plate trials needs the plates' placement, which this trial does not record");
  }
  const double threshold = std::max(stance_threshold(t.fz_n), kMinStanceForceN);
  const analysis::SampleWindow w = analysis::find_stance_window(t.fz_n, t.sample_rate_hz, threshold, o.settle_s);
  if (w.size() == 0) {
    throw analysis::AnalysisError("nobody stands on the plate in this trial (vertical force never stays above " +
                                  std::to_string(static_cast<int>(threshold)) + " N)");
  }
  const std::span<const double> x(t.cop_x_m.data() + w.begin, w.size());
  const std::span<const double> y(t.cop_y_m.data() + w.begin, w.size());
  TrialAnalysis out{analysis::analyze_sway(x, y, t.sample_rate_hz), w};
  std::ostringstream note;
  note.precision(3);
  note << "analysed " << w.size() / t.sample_rate_hz << " s of stance, from " << t.time_s[w.begin]
       << " s to " << t.time_s[w.end - 1] << " s";
  out.result.warnings.push_back(note.str());
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
  return out;
}

}  // namespace

TrialAnalysis analyze_trial(const data::Trial& trial, const TrialAnalysisOptions& options) {
  if (trial.sample_count() == 0) throw analysis::AnalysisError("the trial holds no samples");
  if (!(trial.sample_rate_hz > 0)) throw analysis::AnalysisError("the trial has no sample rate");
  if (trial.test_name == "quiet-stance") return analyze_quiet_stance(trial, options);
  throw analysis::AnalysisError("no analysis for test '" + trial.test_name + "' (known: quiet-stance)");
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
