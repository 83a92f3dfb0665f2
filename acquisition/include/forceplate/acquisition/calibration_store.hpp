#pragma once
// Calibration records as JSON files, one per device serial number, in a per-user folder
// (docs/calibration.md describes the format). Files are written to a temporary name and renamed
// into place, so a crash never leaves half a calibration behind; the record a new calibration
// replaces is kept under history/.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "forceplate/acquisition/calibration.hpp"

namespace fp::acq {

inline constexpr int kCalibrationFormatVersion = 1;

std::string calibration_to_json(const CalibrationRecord& record);
// Throws CalibrationError naming what is missing or malformed.
CalibrationRecord calibration_from_json(std::string_view text);

// $FORCEPLATE_CALIBRATION_DIR if set; else $XDG_DATA_HOME/forceplate/calibrations; else
// ~/.local/share/forceplate/calibrations. Throws CalibrationError if none can be determined.
std::filesystem::path default_calibration_dir();

// <dir>/<serial>.json, with characters other than letters, digits, '.', '-' and '_' replaced by
// '_'. Throws CalibrationError for an empty serial (a device that does not say who it is).
std::filesystem::path calibration_file(const std::filesystem::path& dir, const std::string& serial);

// Writes the record as the device's current calibration (creating `dir` as needed) and returns
// the file. A stored record of another date is moved to <dir>/history/<serial>-<date>.json first.
// Throws CalibrationError naming the file on failure.
std::filesystem::path save_calibration(const CalibrationRecord& record, const std::filesystem::path& dir);

// The device's current calibration, or nothing if none is stored. Throws CalibrationError naming
// the file if it exists but cannot be read.
std::optional<CalibrationRecord> load_calibration(const std::filesystem::path& dir, const std::string& serial);
CalibrationRecord load_calibration_file(const std::filesystem::path& file);

}  // namespace fp::acq
