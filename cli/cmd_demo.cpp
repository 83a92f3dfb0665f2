#include <ctime>
#include <iostream>

#include "commands.hpp"
#include "forceplate/workflow/demo.hpp"
#include "output.hpp"
#include "sim_flags.hpp"

namespace fp::cli {

namespace {
struct DemoArgs {
  SimulatorFlags sim;
  workflow::DemoOptions options;
  std::string out;
  bool json = false;
};

std::string default_output() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "out/demo-quiet-stance-%Y%m%dT%H%M%SZ.h5", &tm);
  return buf;
}

void run(DemoArgs& a) {
  a.options.output = a.out.empty() ? default_output() : a.out;
  a.options.simulator = a.sim.resolve();
  const workflow::DemoResult r =
      workflow::run_demo(a.options, [](const std::string& s) { std::cerr << s << "\n"; });
  if (a.json) {
    print_json(std::cout, r.analysis.result);
  } else {
    print_result(std::cout, r.analysis.result);
  }
  std::cout << "trial: " << r.file.string() << "\n";
}
}  // namespace

void add_demo(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Record a quiet-stance trial from the built-in simulated plate, store and analyse it");
  add_simulator_flags(*cmd, args->sim);
  cmd->add_option("--duration", args->options.duration_s, "seconds to record")
      ->check(CLI::Range(5.0, 600.0))->capture_default_str();
  cmd->add_option("--out,-o", args->out, "HDF5 trial file to write (default: out/demo-quiet-stance-<time>.h5)");
  cmd->add_flag("--json", args->json, "print the result as JSON");
  cmd->callback([args] { run(*args); });
}

}  // namespace fp::cli
