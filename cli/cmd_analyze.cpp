#include <iostream>

#include "commands.hpp"
#include "forceplate/data/trial_file.hpp"
#include "forceplate/workflow/trial_analysis.hpp"
#include "output.hpp"

namespace fp::cli {

namespace {
struct AnalyzeArgs {
  std::string file;
  bool json = false;
};

void run(const AnalyzeArgs& a) {
  const data::Trial trial = data::read_trial(a.file);
  const workflow::TrialAnalysis r = workflow::analyze_trial(trial);
  if (a.json) {
    print_json(std::cout, r.result);
  } else {
    print_result(std::cout, r.result);
  }
}
}  // namespace

void add_analyze(CLI::App& app) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand("analyze", "Analyse a recorded trial");
  cmd->add_option("file", args->file, "HDF5 trial file")->required();
  cmd->add_flag("--json", args->json, "print the result as JSON");
  cmd->callback([args] { run(*args); });
}

}  // namespace fp::cli
