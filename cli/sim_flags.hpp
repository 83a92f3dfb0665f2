#pragma once
// Command-line flags that describe a simulated plate, person and faults (`simulate`, `demo`).
#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "forceplate/simulator/simulator.hpp"

namespace fp::cli {

struct SimulatorFlags {
  sim::SimulatorConfig config;
  std::vector<std::string> params;        // key=value
  std::vector<double> cell_gains;         // N/count, one value for all cells or one per cell
  std::vector<double> cell_offsets;       // counts
  double noise_counts = 20;
  double drift_counts_per_s = 0;
  double plate_size_mm = 0;     // 0: the model's default
  double cell_spacing_mm = 0;   // 0: the model's default
  std::string replay_path;      // a recorded trial to replay (HDF5 trial, CSV or a dataset layout)
  double replay_rate_hz = 0;    // for recordings without a time column

  // Applies the parsed flags to `config`; throws std::invalid_argument naming a bad flag value.
  sim::SimulatorConfig resolve() const;
};

void add_simulator_flags(CLI::App& cmd, SimulatorFlags& f);

}  // namespace fp::cli
