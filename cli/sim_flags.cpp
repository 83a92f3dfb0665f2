#include "sim_flags.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "forceplate/data/table_import.hpp"

namespace fp::cli {

namespace {

std::string known_scenarios() {
  std::string s;
  for (const auto& n : sim::scenario_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// One value for every cell, or one per cell of every plate.
void spread(const std::vector<double>& values, int plates, const char* flag,
            std::array<sim::PlateModel, sim::kMaxPlates>& models, double sim::CellModel::*field) {
  if (values.empty()) return;
  const auto cells = static_cast<std::size_t>(plates * sim::kCellsPerPlate);
  if (values.size() != 1 && values.size() != cells) {
    throw std::invalid_argument(std::string(flag) + " takes 1 value or " + std::to_string(cells) +
                                " (one per cell), not " + std::to_string(values.size()));
  }
  for (std::size_t i = 0; i < cells; ++i) {
    models[i / sim::kCellsPerPlate].cells[i % sim::kCellsPerPlate].*field = values[values.size() == 1 ? 0 : i];
  }
}

// A recorded trial as the simulator replays it: per-plate force and COP at the trial's rate.
// COP-only recordings (no vertical force) stand with the body weight of --mass.
std::shared_ptr<sim::ReplaySeries> load_replay(const std::string& path, double rate_hz, double mass_kg) {
  const data::Trial t = data::load_recording(path, data::ImportOptions{rate_hz, "", "auto"});
  auto r = std::make_shared<sim::ReplaySeries>();
  r->rate_hz = t.sample_rate_hz;
  r->plate_count = t.plate_count();
  if (r->plate_count < 1 || r->plate_count > sim::kMaxPlates) {
    throw std::invalid_argument("--replay " + path + ": " + std::to_string(r->plate_count) + " plates; 1 or 2 can be replayed");
  }
  const auto plates = static_cast<std::size_t>(r->plate_count);
  for (std::size_t i = 0; i < t.sample_count(); ++i) {
    std::array<sim::PlateLoad, sim::kMaxPlates> row{};
    for (std::size_t k = 0; k < plates; ++k) {
      const double fz = t.fz_n[i * plates + k];
      const double x = t.cop_x_m[i * plates + k], y = t.cop_y_m[i * plates + k];
      row[k].fz_n = std::isfinite(fz) ? fz : mass_kg * sim::kGravity / static_cast<double>(plates);
      row[k].cop_x_m = std::isfinite(x) ? x : 0.0;
      row[k].cop_y_m = std::isfinite(y) ? y : 0.0;
    }
    r->samples.push_back(row);
  }
  return r;
}

}  // namespace

sim::SimulatorConfig SimulatorFlags::resolve() const {
  sim::SimulatorConfig c = config;
  c.scenario.plate_count = c.plate_count;
  for (const std::string& kv : params) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw std::invalid_argument("--param needs key=value, got '" + kv + "'");
    }
    try {
      std::size_t used = 0;
      const std::string value = kv.substr(eq + 1);
      c.scenario.params[kv.substr(0, eq)] = std::stod(value, &used);
      if (used != value.size()) throw std::invalid_argument(value);
    } catch (const std::exception&) {
      throw std::invalid_argument("--param " + kv + ": the value is not a number");
    }
  }
  for (auto& plate : c.plates) {
    for (auto& cell : plate.cells) {
      cell.noise_counts = noise_counts;
      cell.drift_counts_per_s = drift_counts_per_s;
    }
  }
  for (auto& plate : c.plates) {
    if (plate_size_mm > 0) plate.geometry.width_m = plate.geometry.length_m = plate_size_mm / 1000;
    if (cell_spacing_mm > 0) {
      const double h = cell_spacing_mm / 2000;
      plate.geometry.cell_x_m = {-h, h, h, -h};
      plate.geometry.cell_y_m = {h, h, -h, -h};
    }
    if (cell_spacing_mm > 0 && plate.geometry.width_m * 1000 < cell_spacing_mm) {
      throw std::invalid_argument("--cell-spacing-mm " + std::to_string(cell_spacing_mm) + " is wider than the plate");
    }
  }
  if (!replay_path.empty()) {
    c.scenario.name = "replay";
    c.scenario.replay = load_replay(replay_path, replay_rate_hz, c.scenario.mass_kg);
    c.plate_count = c.scenario.replay->plate_count;
    c.scenario.plate_count = c.plate_count;
  }
  spread(cell_gains, c.plate_count, "--cell-gain", c.plates, &sim::CellModel::gain_n_per_count);
  spread(cell_offsets, c.plate_count, "--cell-offset", c.plates, &sim::CellModel::offset_counts);
  for (const auto& plate : c.plates) {
    for (const auto& cell : plate.cells) {
      if (!(cell.gain_n_per_count > 0)) throw std::invalid_argument("--cell-gain must be positive");
    }
  }
  return c;
}

void add_simulator_flags(CLI::App& cmd, SimulatorFlags& f) {
  sim::SimulatorConfig& c = f.config;
  cmd.add_option("--scenario", c.scenario.name, "what the simulated person does: " + known_scenarios())
      ->capture_default_str()->group("Person");
  cmd.add_option("--param", f.params, "scenario parameter key=value (see docs/simulator.md); repeatable")
      ->group("Person");
  cmd.add_option("--mass", c.scenario.mass_kg, "body mass in kg")->check(CLI::Range(10.0, 300.0))
      ->capture_default_str()->group("Person");
  cmd.add_option("--seed", c.scenario.seed, "random seed of the person's movement")->capture_default_str()->group("Person");

  cmd.add_option("--rate", c.rate_hz, "sample rate in Hz")->check(CLI::Range(10.0, 2000.0))->capture_default_str()->group("Plate");
  cmd.add_option("--plates", c.plate_count, "number of plates (1 or 2, one per foot)")->check(CLI::Range(1, 2))
      ->capture_default_str()->group("Plate");
  cmd.add_option("--serial", c.serial, "serial number the plate reports")->capture_default_str()->group("Plate");
  cmd.add_option("--cell-gain", f.cell_gains, "true gain in N/count: one value, or one per cell")->delimiter(',')->group("Plate");
  cmd.add_option("--cell-offset", f.cell_offsets, "offset in counts: one value, or one per cell")->delimiter(',')->group("Plate");
  cmd.add_option("--noise-counts", f.noise_counts, "ADC noise, standard deviation in counts")
      ->check(CLI::Range(0.0, 1e6))->capture_default_str()->group("Plate");
  cmd.add_option("--drift-counts-per-s", f.drift_counts_per_s, "baseline drift of every cell")->capture_default_str()->group("Plate");
  cmd.add_option("--noise-seed", c.noise_seed, "random seed of the ADC noise")->capture_default_str()->group("Plate");
  cmd.add_option("--plate-size-mm", f.plate_size_mm, "plate width and length")->check(CLI::Range(100.0, 2000.0))->group("Plate");
  cmd.add_option("--cell-spacing-mm", f.cell_spacing_mm, "distance between neighbouring cells")
      ->check(CLI::Range(50.0, 2000.0))->group("Plate");
  cmd.add_option("--replay", f.replay_path, "replay a recorded trial (HDF5 trial, CSV, or a dataset file) as cell counts")
      ->group("Person");
  cmd.add_option("--replay-rate", f.replay_rate_hz, "sample rate of a replayed file that has no time column")->group("Person");
  cmd.add_option("--speed", c.speed, "stream this many times faster than real time")
      ->check(CLI::Range(0.1, 100.0))->capture_default_str()->group("Plate");

  sim::FaultConfig& x = c.faults;
  const char* g = "Faults";
  cmd.add_option("--fault-seed", x.seed, "random seed of every fault")->capture_default_str()->group(g);
  cmd.add_option("--faults-from", x.start_s, "wire faults and overruns only from this device time (s)...")->group(g);
  cmd.add_option("--faults-until", x.end_s, "...until this one (s; default: to the end)")->group(g);
  cmd.add_option("--bit-flip-rate", x.bit_flip_rate, "per byte: probability of one flipped bit")->check(CLI::Range(0.0, 1.0))->group(g);
  cmd.add_option("--drop-byte-rate", x.drop_byte_rate, "per byte: probability it is lost")->check(CLI::Range(0.0, 1.0))->group(g);
  cmd.add_option("--truncate-rate", x.truncate_rate, "per frame: probability it is cut short")->check(CLI::Range(0.0, 1.0))->group(g);
  cmd.add_option("--overrun-rate", x.overrun_rate, "per sample frame: probability the device drops it (and reports it)")
      ->check(CLI::Range(0.0, 1.0))->group(g);
  cmd.add_option("--stall-at", x.stall_at_s, "the device stops serving its loop at this time (s)...")->group(g);
  cmd.add_option("--stall-for", x.stall_s, "...for this long (s)")->check(CLI::Range(0.0, 60.0))->group(g);
  cmd.add_option("--reboot-at", x.reboot_at_s, "the device restarts at this time (s)")->group(g);
  cmd.add_option("--disconnect-after", x.disconnect_after_s, "the device goes away after this many seconds")->group(g);
  cmd.add_option("--clock-drift-ppm", x.clock_drift_ppm, "device clock error in parts per million")
      ->check(CLI::Range(-10000.0, 10000.0))->group(g);
}

}  // namespace fp::cli
