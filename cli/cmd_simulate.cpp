#include <csignal>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "sim_flags.hpp"

namespace fp::cli {

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct SimulateArgs {
  SimulatorFlags sim;
  double duration_s = 0;
  std::string truth_path;
};

void write_truth(const std::string& path, const std::vector<sim::TruthSample>& truth, int plates) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write truth file " + path);
  out << "sequence,time[s]";
  for (int k = 0; k < plates; ++k) out << ",fz" << k << "[N],copx" << k << "[m],copy" << k << "[m]";
  out << "\n";
  out.precision(9);
  for (const sim::TruthSample& t : truth) {
    out << t.sequence << "," << t.time_s;
    for (int k = 0; k < plates; ++k) {
      const auto& p = t.state.plates[static_cast<std::size_t>(k)];
      out << "," << p.fz_n << "," << p.cop_x_m << "," << p.cop_y_m;
    }
    out << "\n";
  }
}

void run(const SimulateArgs& a) {
  sim::SimulatorConfig config = a.sim.resolve();
  config.keep_truth = !a.truth_path.empty();
  sim::Simulator simulator(config);
  simulator.start();
  std::cout << simulator.port_path() << std::endl;  // first line: the port to open
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(a.duration_s);
  while (!g_stop && (a.duration_s <= 0 || std::chrono::steady_clock::now() < until)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  simulator.stop();
  if (!a.truth_path.empty()) write_truth(a.truth_path, simulator.truth(), config.plate_count);
}

}  // namespace

void add_simulate(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Run a virtual plate on a pseudo-terminal; prints the port path, then streams until stopped");
  add_simulator_flags(*cmd, args->sim);
  cmd->add_option("--duration", args->duration_s, "stop after this many seconds (0: until Ctrl-C)");
  cmd->add_option("--truth", args->truth_path, "write the true force and COP of every sample to this CSV");
  cmd->callback([args] { run(*args); });
}

}  // namespace fp::cli
