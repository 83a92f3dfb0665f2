#include "forceplate/workflow/open_device.hpp"

#include <chrono>

#include "forceplate/acquisition/calibration.hpp"
#include "forceplate/acquisition/calibration_store.hpp"
#include "forceplate/acquisition/port_discovery.hpp"

namespace fp::workflow {

namespace {
bool looks_like_path(const std::string& s) { return s.find('/') != std::string::npos; }
}  // namespace

OpenedDevice open_device(const std::string& device, const OpenOptions& options) {
  std::string path = device;
  if (!looks_like_path(device)) {
    const auto found = acq::find_port_by_serial(device, options.baud);
    if (!found) {
      throw acq::AcquisitionError("no plate with serial number '" + device +
                                  "' answers on any serial port (forceplate devices --probe lists them)");
    }
    path = *found;
  }
  OpenedDevice out;
  out.connection = std::make_unique<acq::DeviceConnection>(acq::ConnectionOptions{path, options.baud});
  out.description = out.connection->connect();
  if (!options.use_stored_calibration) return out;
  const auto dir = options.calibration_dir.empty() ? acq::default_calibration_dir() : options.calibration_dir;
  std::optional<acq::CalibrationRecord> record;
  try {
    record = acq::load_calibration(dir, out.description.serial);
  } catch (const std::exception& e) {
    out.notes.push_back(std::string("stored calibration not used: ") + e.what());
  }
  if (record) {
    out.connection->use_calibration(*record);
    out.description = out.connection->device();
    out.notes.push_back("calibration of " + record->date_utc + " in use");
    for (const std::string& w : acq::calibration_warnings(*record, std::chrono::system_clock::now())) out.notes.push_back(w);
  } else if (out.description.calibration_unix_time == 0 && !out.connection->is_text_plate()) {
    out.notes.push_back("this plate has never been calibrated: run forceplate calibrate");
  }
  return out;
}

}  // namespace fp::workflow
