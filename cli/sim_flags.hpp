#pragma once
// Command-line flags that describe a simulated plate and person (`simulate`, `demo`).
#include <CLI/CLI.hpp>

#include "forceplate/simulator/simulator.hpp"

namespace fp::cli {

inline void add_simulator_flags(CLI::App& cmd, sim::SimulatorConfig& c) {
  cmd.add_option("--rate", c.rate_hz, "sample rate in Hz")->check(CLI::Range(10.0, 2000.0))->capture_default_str();
  cmd.add_option("--plates", c.plate_count, "number of plates (1 or 2)")->check(CLI::Range(1, 2))->capture_default_str();
  cmd.add_option("--mass", c.body.mass_kg, "body mass in kg")->check(CLI::Range(10.0, 300.0))->capture_default_str();
  cmd.add_option("--seed", c.body.seed, "random seed of the body's sway")->capture_default_str();
  cmd.add_option("--speed", c.speed, "stream this many times faster than real time")
      ->check(CLI::Range(0.1, 100.0))->capture_default_str();
  cmd.add_option("--serial", c.serial, "serial number the plate reports")->capture_default_str();
}

}  // namespace fp::cli
