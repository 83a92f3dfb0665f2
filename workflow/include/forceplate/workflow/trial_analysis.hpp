#pragma once
// Analysis of a stored or imported trial: picks the samples to analyse (the part where someone
// stands on the plate) and calls the pure analysis functions for the trial's test.
#include <optional>
#include <string>

#include "forceplate/analysis/filter.hpp"
#include "forceplate/analysis/measure.hpp"
#include "forceplate/analysis/sway.hpp"
#include "forceplate/data/trial.hpp"

namespace fp::workflow {

struct TrialAnalysisOptions {
  std::string test;                          // empty: the trial's own test name
  std::optional<analysis::Side> side;        // stance side, for single-leg tests
  std::optional<analysis::LowpassFilter> lowpass = analysis::LowpassFilter{};  // nullopt: none
  double settle_s = 1.0;                     // left out after stepping on and before stepping off
  // Body weight (N), e.g. the patient's recorded mass x g: tests that start off the plate (landing,
  // drop jump) otherwise weigh the person after the landing. Jumps weigh before the movement.
  std::optional<double> body_weight_n;
};

struct TrialAnalysis {
  analysis::AnalysisResult result;
  analysis::SampleWindow window;  // samples analysed
};

// Tests this function knows, for messages and --help.
const char* analysable_tests();

// Throws analysis::AnalysisError naming the problem (no one on the plate, unknown test, a single-leg
// test without a side, a two-plate test on one plate, ...).
TrialAnalysis analyze_trial(const data::Trial& trial, const TrialAnalysisOptions& options = {});

// Results in display units, as stored with a trial and printed.
std::vector<data::Measurement> to_measurements(const analysis::AnalysisResult& result);

}  // namespace fp::workflow
