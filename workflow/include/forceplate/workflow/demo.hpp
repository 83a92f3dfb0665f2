#pragma once
// The headless demonstration: a simulated person stands on the built-in simulated plate, the
// trial goes through the real serial path (pseudo-terminal), is analysed and stored.
#include <filesystem>
#include <functional>
#include <string>

#include "forceplate/data/trial.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "forceplate/workflow/trial_analysis.hpp"

namespace fp::workflow {

struct DemoOptions {
  sim::SimulatorConfig simulator;
  double duration_s = 15;
  std::string test_name = "quiet-stance";  // stored with the trial, and what it is analysed as
  std::filesystem::path output;  // the HDF5 trial to write
  TrialAnalysisOptions analysis;
};

struct DemoResult {
  data::Trial trial;
  TrialAnalysis analysis;
  std::vector<sim::TruthSample> truth;  // what the simulated body really did
  std::vector<sim::TruthEvent> events;  // and when (step on, touchdowns, take-off, ...)
  std::filesystem::path file;
};

// Throws on any failure with a message saying what went wrong.
DemoResult run_demo(const DemoOptions& options,
                    const std::function<void(const std::string&)>& progress = {});

}  // namespace fp::workflow
