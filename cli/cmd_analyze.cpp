#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "forceplate/analysis/jump.hpp"
#include "forceplate/data/table_import.hpp"
#include "forceplate/workflow/trial_analysis.hpp"
#include "output.hpp"

namespace fp::cli {

namespace {
struct AnalyzeArgs {
  std::string file;
  std::string test;
  std::string side;
  std::string lowpass = "10";
  double rate_hz = 0;
  std::string layout = "auto";
  double body_mass_kg = 0;
  bool json = false;
};

workflow::TrialAnalysisOptions options_from(const AnalyzeArgs& a) {
  workflow::TrialAnalysisOptions o;
  o.test = a.test;
  if (a.side == "left") o.side = analysis::Side::left;
  if (a.side == "right") o.side = analysis::Side::right;
  if (a.lowpass == "none") {
    o.lowpass.reset();
  } else {
    std::size_t used = 0;
    double hz = 0;
    try {
      hz = std::stod(a.lowpass, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != a.lowpass.size() || !(hz > 0)) {
      throw std::invalid_argument("--lowpass takes a cut-off in Hz or 'none', not '" + a.lowpass + "'");
    }
    o.lowpass = analysis::LowpassFilter{hz, 4};
  }
  if (a.body_mass_kg > 0) o.body_weight_n = a.body_mass_kg * analysis::standard_gravity;
  return o;
}

void run(const AnalyzeArgs& a) {
  const workflow::TrialAnalysisOptions o = options_from(a);
  data::Trial trial = data::load_recording(a.file, data::ImportOptions{a.rate_hz, a.test, a.layout});
  if (trial.test_name.empty() && o.test.empty()) trial.test_name = "quiet-stance";
  const workflow::TrialAnalysis r = workflow::analyze_trial(trial, o);
  if (a.json) {
    print_json(std::cout, r.result);
  } else {
    print_result(std::cout, r.result);
  }
}
}  // namespace

void add_analyze(CLI::App& app) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand("analyze", "Analyse a recorded trial (HDF5) or a recording made elsewhere (CSV)");
  cmd->add_option("file", args->file, "HDF5 trial, CSV with units in its header, or a file of docs/import.md")->required();
  cmd->add_option("--test", args->test, std::string("test to analyse as: ") + workflow::analysable_tests() +
                                            " (default: the trial's own test; quiet-stance for imported files)");
  cmd->add_option("--side", args->side, "stance side for single-leg tests")->check(CLI::IsMember({"left", "right"}));
  cmd->add_option("--lowpass", args->lowpass, "zero-phase low-pass cut-off in Hz, or 'none'")->capture_default_str();
  cmd->add_option("--body-mass", args->body_mass_kg,
                  "the patient's mass in kg, for tests that start off the plate (landing, drop-jump); "
                  "otherwise they weigh the person after the landing")
      ->check(CLI::Range(10.0, 400.0));
  cmd->add_option("--rate", args->rate_hz, "sample rate in Hz of a file without a time column")->check(CLI::PositiveNumber);
  cmd->add_option("--layout", args->layout, "file layout (docs/import.md); default: recognised from the file")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "print the result as JSON");
  cmd->callback([args] { run(*args); });
}

}  // namespace fp::cli
