#pragma once
// Records one trial from a connected device into a data::Trial, losslessly or not at all.
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/data/trial.hpp"

namespace fp::workflow {

class RecordingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RecordOptions {
  double duration_s = 10;          // of device time
  std::string test_name = "quiet-stance";
  double no_data_timeout_s = 2.0;  // no sample (and the device not known lost) this long: fails
  double device_lost_timeout_s = 10.0;  // a lost device not found again within this: fails
};

// Starts streaming, records until `duration_s` of device time has been received, stops.
// `on_sample` (optional) sees every sample as it is recorded. A device that is lost and found
// again (the connection's watchdog) leaves a gap in the trial, marked with its cause. Throws
// RecordingError if the device stays lost, stops sending, or the recorder could not keep up (a
// sample would have been lost).
data::Trial record_trial(acq::DeviceConnection& device, const RecordOptions& options,
                         const std::function<void(const acq::Sample&)>& on_sample = {});

struct RecordedFile {
  std::uint64_t samples = 0;
  std::uint64_t gaps = 0;
  std::uint64_t samples_missing = 0;
};

// Records straight to disk, for recordings of any length in bounded memory: every sample goes to a
// journal beside `h5_path` (`<h5_path>.fpj`, synced every 0.5 s, so a crash loses at most about a
// second), which becomes the HDF5 trial file when the recording ends. Throws as record_trial; the
// journal of a failed recording is kept for recovery (data::find_unfinished_journals).
RecordedFile record_to_file(acq::DeviceConnection& device, const RecordOptions& options,
                            const std::filesystem::path& h5_path,
                            const std::function<void(const acq::Sample&)>& on_sample = {});

// Trial metadata (plates, calibration, identity) from a device's own description.
void describe_device(const acq::DeviceDescription& device, data::Trial& trial);

std::string utc_now_iso8601();

}  // namespace fp::workflow
