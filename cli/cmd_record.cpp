#include <iostream>

#include "commands.hpp"
#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/data/journal.hpp"
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

// Recordings cut off by a crash or a power cut (journals without an end record) in `folder`
// become trial files marked incomplete, next to where they were going; the journal is removed only
// once its trial file exists. Returns how many were recovered.
int recover_in(const std::filesystem::path& folder) {
  int n = 0;
  for (const auto& journal : data::find_unfinished_journals(folder)) {
    std::filesystem::path h5 = journal;
    if (h5.extension() == data::kJournalExtension) h5.replace_extension();  // "<trial>.h5.fpj" -> "<trial>.h5"
    if (h5.extension() != ".h5") h5 += ".h5";
    if (std::filesystem::exists(h5)) h5.replace_extension(".recovered.h5");
    const data::JournalConversion c = data::journal_to_trial_file(journal, h5);
    std::filesystem::remove(journal);
    std::cerr << "recovered an interrupted recording: " << h5.string() << " (" << c.samples
              << " samples, marked incomplete" << (c.note.empty() ? "" : "; " + c.note) << ")\n";
    ++n;
  }
  return n;
}

void run(const RecordArgs& a) {
  // At start-up: anything an earlier crash left in the output folder is recovered first.
  const std::filesystem::path folder = std::filesystem::absolute(a.out).parent_path();
  if (std::filesystem::is_directory(folder)) recover_in(folder);
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

  auto folder = std::make_shared<std::string>(".");
  CLI::App* rec = app.add_subcommand(
      "recover", "Turn recordings cut off by a crash (unfinished journals) into trial files marked incomplete");
  rec->add_option("folder", *folder, "folder of the recordings")->capture_default_str();
  rec->callback([folder] {
    if (!std::filesystem::is_directory(*folder)) throw std::invalid_argument("no such folder: " + *folder);
    const int n = recover_in(*folder);
    std::cout << n << " interrupted recording(s) recovered\n";
  });
}

}  // namespace fp::cli
