// forceplate: record, simulate and analyse force-plate trials from the command line.
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"forceplate: open clinical force-plate system"};
  app.require_subcommand(1);
  app.set_version_flag("--version", FP_SOFTWARE_VERSION);
  fp::cli::add_simulate(app);
  fp::cli::add_record(app);
  fp::cli::add_analyze(app);
  fp::cli::add_demo(app);
  fp::cli::add_devices(app);
  fp::cli::add_calibrate(app);
  fp::cli::add_archive(app);
  fp::cli::add_clinic(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // One line, naming the problem; never a crash or a stack trace.
    std::cerr << "forceplate: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
