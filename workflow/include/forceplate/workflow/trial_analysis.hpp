#pragma once
// Analysis of a stored trial: picks the samples to analyse and calls the pure analysis functions.
#include "forceplate/analysis/measure.hpp"
#include "forceplate/analysis/sway.hpp"
#include "forceplate/data/trial.hpp"

namespace fp::workflow {

struct TrialAnalysisOptions {
  double settle_s = 1.0;  // ignored after stepping on and before stepping off
};

struct TrialAnalysis {
  analysis::AnalysisResult result;
  analysis::SampleWindow window;  // samples analysed
};

// Throws analysis::AnalysisError naming the problem (no one on the plate, unknown test, ...).
TrialAnalysis analyze_trial(const data::Trial& trial, const TrialAnalysisOptions& options = {});

// Results in display units, as stored with a trial and printed.
std::vector<data::Measurement> to_measurements(const analysis::AnalysisResult& result);

}  // namespace fp::workflow
