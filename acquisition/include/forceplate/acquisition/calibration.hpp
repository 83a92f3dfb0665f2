#pragma once
// Calibration of a plate's load cells with one known mass ("something a physio can do with a
// kettlebell"): zero the empty plate, stand the mass on the centre mark and near each corner, and
// find the gain of every cell (N/count) by least squares from force and moment balance; then check
// the result with the mass at a known spot. docs/calibration.md gives the procedure and the maths.
//
// Everything here is pure (samples and numbers in, gains, residuals and warnings out). Driving a
// DeviceConnection through the steps is calibration_session.hpp; JSON files, calibration_store.hpp.
//
// Using a calibration: the connection's own samples carry the gains the device reports. Convert
// with the calibrated gains yourself:
//     DeviceDescription d = connection.device();   // after tare(): today's zero
//     apply_calibration(d, record);                // the record's gains, today's offsets
//     SignalConverter convert(d);  ...  convert.convert(sample);
#include <array>
#include <chrono>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "forceplate/acquisition/sample.hpp"

namespace fp::acq {

// Standard gravity (m/s²): the conventional value that turns a mass into the force it exerts.
inline constexpr double kStandardGravity = 9.80665;

// A calibration step that cannot be accepted; the message says what to do about it.
class CalibrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A marked spot on a plate where the mass goes.
struct PlacementSpot {
  std::string label;  // "centre", "front-left", ...
  int plate = 0;      // which plate of the device
  double x_m = 0;     // relative to the plate centre: x to the right
  double y_m = 0;     //                               y forward
};

// The centre and the four corners of `plate`: the corner marks are `corner_fraction` of the way
// from the centre to each cell, labelled front/back and left/right from the cell's position.
std::vector<PlacementSpot> standard_spots(const PlateSpec& plate, int plate_index, double corner_fraction = 0.75);

// What the cells read with the known mass at a spot.
struct Placement {
  PlacementSpot spot;
  double mass_kg = 0;
  // Mean counts over the window minus the empty plate's offsets, per cell of spot.plate.
  std::array<double, kCellsPerPlate> tared_counts{};
  std::size_t samples = 0;
  double force_sd_n = 0;  // standard deviation of the force over the window (gains of the time)
};

// Averages `samples` (the mass at `spot`) against the offsets and gains of `plate` (tared).
// Throws CalibrationError for no samples.
Placement measure_placement(const PlacementSpot& spot, double mass_kg, std::span<const Sample> samples,
                            const PlateSpec& plate);

// Force and COP of a placement with the gains of `plate` (tared counts: offsets do not enter).
struct PlacementReading {
  double force_n = 0;
  double cop_x_m = 0;  // NaN if the force is not positive
  double cop_y_m = 0;
};
PlacementReading read_placement(const PlateSpec& plate, const Placement& p);

struct CalibrationOptions {
  double gravity_m_s2 = kStandardGravity;
  // With the plate's current gains, a placement must read m·g within this fraction, and its centre
  // of pressure must be within `max_cop_deviation_m` of the spot; otherwise the wrong mass was
  // entered, the plate was not empty when zeroed, or the mass is on another mark. Gains that are
  // off by a few per cent pass. 0 turns the check off (a plate that was never calibrated).
  double max_force_deviation = 0.10;
  double max_cop_deviation_m = 0.05;
  // The placements must determine the four gains: the smallest singular value of the (column-
  // equilibrated) equations divided by the largest must be at least this. All placements at the
  // centre, or all at one spot, give 0 (up to noise).
  double min_conditioning = 1e-3;
  // After the fit every placement must agree with the others this well; a placement that does not
  // was measured with the mass somewhere else than said, or while something else touched the plate.
  double max_fit_force_error = 0.02;     // fraction of m·g
  double max_fit_cop_error_m = 0.010;
};

// Throws CalibrationError naming the placement if it is implausible with the current gains (see
// CalibrationOptions::max_force_deviation); returns the relative force deviation otherwise.
double check_placement(const PlateSpec& current, const Placement& p, const CalibrationOptions& options = {});

// How far the fitted gains miss one placement.
struct Residual {
  std::string label;
  double force_n = 0;   // fitted force minus m·g
  double cop_x_m = 0;   // fitted COP minus the spot
  double cop_y_m = 0;
};

struct PlateFit {
  int plate = 0;
  std::array<double, kCellsPerPlate> gains_n_per_count{};
  std::vector<Residual> residuals;  // one per placement on this plate, in order
  double rms_force_residual_n = 0;
  double max_cop_residual_m = 0;
  double conditioning = 0;  // smallest / largest singular value of the equilibrated system
};

// Least-squares gains of one plate's cells from the placements on it (others are ignored): for
// each placement, Σ gᵢcᵢ = m·g, Σ gᵢcᵢxᵢ = m·g·xₚ, Σ gᵢcᵢyᵢ = m·g·yₚ (moment rows divided by the
// cells' mean distance from the centre, so that every row is in newtons). Solved by SVD (Eigen).
// Throws CalibrationError if the placements do not determine the gains, a cell read nothing, a
// gain comes out non-positive, or a placement does not fit the others.
PlateFit fit_plate_gains(const PlateSpec& plate, int plate_index, std::span<const Placement> placements,
                         const CalibrationOptions& options = {});

struct Tolerances {
  double force_fraction = 0.005;  // 0.5 %
  double cop_m = 0.002;           // 2 mm
};

struct VerificationResult {
  std::string date_utc;
  PlacementSpot spot;
  double mass_kg = 0;
  double expected_force_n = 0;
  double measured_force_n = 0;
  double force_error_pct = 0;  // signed, 100·(measured − expected)/expected
  double measured_cop_x_m = 0;
  double measured_cop_y_m = 0;
  double cop_error_m = 0;      // distance from the spot
  Tolerances tolerances;
  bool passed = false;
};

// A known mass at a known spot, read with the gains of `plate`.
VerificationResult verify_placement(const PlateSpec& plate, const Placement& p, const Tolerances& tolerances = {},
                                    double gravity_m_s2 = kStandardGravity,
                                    std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

struct PlateCalibration {
  PlateFit fit;
  std::array<double, kCellsPerPlate> offsets_counts{};          // the zero taken for the calibration
  std::array<double, kCellsPerPlate> previous_gains_n_per_count{};  // the gains before it
};

// Everything about one calibration of one device; stored as JSON (calibration_store.hpp).
struct CalibrationRecord {
  std::string serial;
  std::string date_utc;  // ISO 8601, e.g. 2025-03-01T09:30:00Z
  double gravity_m_s2 = kStandardGravity;
  std::vector<PlateCalibration> plates;      // one per plate of the device
  std::vector<Placement> placements;         // every placement used, in the order measured
  std::vector<VerificationResult> verifications;  // oldest first
};

// Fits every plate of `tared` (the device description after zeroing: its offsets are the zero,
// its gains the current ones) from `placements`. Checks each placement first (check_placement).
CalibrationRecord calibrate(const DeviceDescription& tared, std::span<const Placement> placements,
                            const CalibrationOptions& options = {},
                            std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

// Which offsets a converter should use after apply_calibration.
enum class OffsetSource {
  keep_device,  // the device's (a tare made today beats the calibration day's zero)
  record,       // the zero taken during the calibration
};

// Puts the record's gains (and, if asked, offsets) into `device`, and its date into
// calibration_unix_time. Throws CalibrationError if the record is for another serial number or
// another number of plates.
void apply_calibration(DeviceDescription& device, const CalibrationRecord& record,
                       OffsetSource offsets = OffsetSource::keep_device);

// Things the operator should know before trusting the calibration: older than `max_age_days`, or
// its last verification out of tolerance. Empty when all is well.
inline constexpr double kDefaultMaxCalibrationAgeDays = 180;
std::vector<std::string> calibration_warnings(const CalibrationRecord& record,
                                              std::chrono::system_clock::time_point now,
                                              double max_age_days = kDefaultMaxCalibrationAgeDays);

// UTC time as ISO 8601 to the second ("2025-03-01T09:30:00Z"), and back (throws CalibrationError).
std::string iso8601_utc(std::chrono::system_clock::time_point t);
std::chrono::system_clock::time_point parse_iso8601_utc(const std::string& text);

}  // namespace fp::acq
