#pragma once
// The simulated plate: the reference firmware core on a pseudo-terminal, fed by a simulated body.
// Runs on its own thread in real time (or faster, with `speed`), and keeps the true values of
// every sample it generated so that tests can compare what the host measured with the truth.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "forceplate/simulator/faults.hpp"
#include "forceplate/simulator/plate_model.hpp"
#include "forceplate/simulator/scenario.hpp"

namespace fp::sim {

struct SimulatorConfig {
  double rate_hz = 100;
  int plate_count = 1;
  double speed = 1.0;  // 2.0 streams twice as fast as real time; device time is unaffected
  ScenarioSettings scenario;  // its plate_count is taken from here
  std::array<PlateModel, kMaxPlates> plates{};
  // The calibration the device reports (what its maker measured); unset: the true cell values.
  std::optional<std::array<std::array<CellModel, kCellsPerPlate>, kMaxPlates>> stored_calibration;
  std::string serial = "SIM-0001";
  // The line speed the device talks at. A host that opens the port at another speed receives
  // garbage, as from a real UART (a pseudo-terminal itself ignores the speed).
  unsigned baud = 921600;
  bool keep_truth = true;
  std::uint64_t noise_seed = 7;
  FaultConfig faults;
  // Called on the device's thread as each samples frame goes to the line (for latency benchmarks).
  std::function<void(std::uint32_t first_sequence, int samples)> on_frame_sent = {};
};

struct TruthSample {
  std::uint64_t sequence = 0;  // the device's sample number (restarts at 0 after a reboot)
  double time_s = 0;           // scenario time
  BodyState state;
};

class Simulator {
 public:
  explicit Simulator(SimulatorConfig config);  // throws std::invalid_argument for a bad config
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Creates the pseudo-terminal and starts the device thread. Throws std::runtime_error.
  void start();
  // Stops the thread and closes the pseudo-terminal (the host sees the device go away).
  void stop();

  std::string port_path() const;  // changes when the device is plugged in again; empty while unplugged

  // Pull the cable / plug it back in (the device powers up again on a new port).
  void unplug();
  void plug_in();
  // A load standing still on the plate (a calibration mass, or nothing: BodyState{} is the empty
  // plate). While set, every sample reports this body state instead of the scenario's; the
  // scenario's clock keeps running underneath, and after place_load(std::nullopt) its own state
  // is reported again. Thread-safe; may be called before start(); applies from the next sample.
  void place_load(std::optional<BodyState> load);
  // Plays another scenario from the next sample on, its clock starting at zero (the simulated
  // person starts doing what a test asks). The plate count stays the simulator's. Throws
  // std::invalid_argument for a bad scenario, before anything changes. Thread-safe.
  void play_scenario(ScenarioSettings scenario);

  const SimulatorConfig& config() const { return config_; }
  std::uint64_t samples_generated() const { return generated_.load(); }
  bool running() const { return running_.load(); }

  std::vector<TruthSample> truth() const;         // every sample generated, in order
  std::vector<TruthEvent> truth_events() const;   // what the scenario did (take-off, landing...)
  FaultStats fault_stats() const;

 private:
  class Board;
  void run();

  SimulatorConfig config_;
  std::unique_ptr<Board> board_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> unplug_requested_{false};
  std::atomic<bool> plug_requested_{false};
  std::atomic<std::uint64_t> generated_{0};
  mutable std::mutex truth_mutex_;
  std::vector<TruthSample> truth_;
  // place_load(): set by any thread, read by the board for every sample.
  mutable std::mutex load_mutex_;
  std::optional<BodyState> placed_load_;
};

}  // namespace fp::sim
