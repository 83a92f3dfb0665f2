#pragma once
// Each subcommand registers its options and its action on the application.
#include <CLI/CLI.hpp>

namespace fp::cli {

void add_simulate(CLI::App& app);
void add_record(CLI::App& app);
void add_analyze(CLI::App& app);
void add_demo(CLI::App& app);
void add_devices(CLI::App& app);
void add_calibrate(CLI::App& app);
void add_archive(CLI::App& app);
void add_clinic(CLI::App& app);  // run, session, compare

}  // namespace fp::cli
