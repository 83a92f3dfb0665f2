#include <iostream>

#include "commands.hpp"
#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/data/trial_file.hpp"
#include "forceplate/workflow/open_device.hpp"
#include "forceplate/workflow/recorder.hpp"

namespace fp::cli {

namespace {
struct RecordArgs {
  std::string device;
  std::string out;
  double duration_s = 10;
  std::string test = "quiet-stance";
  unsigned baud = 921600;
};

void run(const RecordArgs& a) {
  workflow::OpenedDevice opened = workflow::open_device(a.device, workflow::OpenOptions{a.baud, {}, true});
  acq::DeviceConnection& device = *opened.connection;
  const acq::DeviceDescription& d = opened.description;
  std::cerr << "connected to " << d.serial << " on " << device.status().port << " (" << d.current_rate_hz << " Hz, "
            << d.plates.size() << " plate(s)); recording " << a.duration_s << " s\n";
  for (const std::string& n : opened.notes) std::cerr << "note: " << n << "\n";
  // Straight to disk through a journal: any length in bounded memory, and a crash loses at most ~1 s.
  const workflow::RecordedFile rec =
      workflow::record_to_file(device, workflow::RecordOptions{a.duration_s, a.test, 2.0}, a.out);
  const auto st = device.status();
  device.close();
  std::cout << a.out << "\n";
  std::cerr << rec.samples << " samples, " << rec.samples_missing << " missing in " << rec.gaps << " gaps, "
            << st.crc_errors << " CRC errors\n";
}
}  // namespace

void add_record(CLI::App& app) {
  auto args = std::make_shared<RecordArgs>();
  CLI::App* cmd = app.add_subcommand("record", "Record a trial from a device into an HDF5 file");
  cmd->add_option("--device", args->device, "the plate: its serial port (/dev/ttyACM0) or its serial number")->required();
  cmd->add_option("--out,-o", args->out, "HDF5 trial file to write")->required();
  cmd->add_option("--duration", args->duration_s, "seconds to record")->check(CLI::Range(0.1, 3600.0))->capture_default_str();
  cmd->add_option("--test", args->test, "test name stored with the trial")->capture_default_str();
  cmd->add_option("--baud", args->baud, "baud rate")->capture_default_str();
  cmd->callback([args] { run(*args); });
}

}  // namespace fp::cli
