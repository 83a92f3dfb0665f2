#pragma once
// Opening a plate the way the clinic does: by its port or by its serial number (found on whichever
// port it is now), with its stored calibration applied and anything doubtful about it said.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "forceplate/acquisition/device_connection.hpp"

namespace fp::workflow {

struct OpenOptions {
  unsigned baud = 921600;
  std::filesystem::path calibration_dir;  // empty: the default per-user folder
  bool use_stored_calibration = true;
};

struct OpenedDevice {
  std::unique_ptr<acq::DeviceConnection> connection;
  acq::DeviceDescription description;
  std::vector<std::string> notes;  // calibration in use, or missing, old, failed
};

// `device`: a path (/dev/ttyACM0) or a plate's serial number. Throws acq::AcquisitionError with a
// one-line reason (no such port, no plate with that serial number, no valid frames...).
OpenedDevice open_device(const std::string& device, const OpenOptions& options = {});

}  // namespace fp::workflow
