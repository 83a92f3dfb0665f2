// The calibration procedure driven over a DeviceConnection.
#include "forceplate/acquisition/calibration_session.hpp"

#include <cmath>
#include <cstdio>
#include <thread>

namespace fp::acq {

namespace {

std::string one_decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

CalibrationSession::CalibrationSession(DeviceConnection& connection, CalibrationSessionOptions options)
    : connection_(connection), options_(options), current_(connection.device()) {
  if (!(options_.window_s > 0) || !(options_.settle_s >= 0)) {
    throw CalibrationError("calibration: the measuring window must be positive");
  }
}

void CalibrationSession::use_gains_of(const CalibrationRecord& record) {
  if (!placements_.empty()) throw CalibrationError("use_gains_of: placements were already measured");
  apply_calibration(current_, record, OffsetSource::keep_device);
}

std::vector<Sample> CalibrationSession::collect() {
  double rate = current_.current_rate_hz > 0 ? current_.current_rate_hz : current_.nominal_rate_hz;
  if (!(rate > 0)) rate = 100;
  const auto skip = static_cast<std::size_t>(std::ceil(options_.settle_s * rate));
  const auto want = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(options_.window_s * rate)));
  auto ring = connection_.subscribe(skip + want + 4096);
  std::vector<Sample> out;
  out.reserve(want);
  std::size_t skipped = 0;
  connection_.start_streaming();
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  Sample s;
  while (out.size() < want && std::chrono::steady_clock::now() < deadline) {
    if (!ring->try_pop(s)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    if (skipped < skip) {
      ++skipped;
    } else {
      out.push_back(s);
    }
  }
  connection_.stop_streaming();
  connection_.unsubscribe(ring);
  if (out.size() < want) {
    throw CalibrationError("the plate sent " + std::to_string(skipped + out.size()) + " of " +
                           std::to_string(skip + want) + " samples within " +
                           std::to_string(options_.timeout.count() / 1000) + " s: is it still connected?");
  }
  return out;
}

void CalibrationSession::require_zeroed() const {
  if (!zeroed_) throw CalibrationError("zero the empty plate first");
}

void CalibrationSession::require_steady(const std::string& what, double force_sd_n) const {
  if (!(force_sd_n <= options_.max_force_sd_n)) {
    throw CalibrationError(what + ": the force varied by " + one_decimal(force_sd_n) +
                           " N (standard deviation; at most " + one_decimal(options_.max_force_sd_n) +
                           " N): keep clear of the plate and let the mass come to rest");
  }
}

void CalibrationSession::zero() {
  const std::vector<Sample> samples = collect();
  // How still the empty plate was, plate by plate, with the gains of the time.
  for (std::size_t k = 0; k < current_.plates.size(); ++k) {
    const Placement p = measure_placement({"empty plate", static_cast<int>(k), 0, 0}, 0, samples, current_.plates[k]);
    require_steady(current_.plates.size() > 1 ? "zero (plate " + std::to_string(k) + ")" : "zero", p.force_sd_n);
  }
  connection_.tare(samples);
  const DeviceDescription tared = connection_.device();
  for (std::size_t k = 0; k < current_.plates.size(); ++k) {
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      current_.plates[k].cells[c].offset_counts = tared.plates[k].cells[c].offset_counts;
    }
  }
  zeroed_ = true;
  placements_.clear();  // a new zero: earlier placements were measured against another one
}

const Placement& CalibrationSession::measure(const PlacementSpot& spot, double mass_kg) {
  require_zeroed();
  if (spot.plate < 0 || static_cast<std::size_t>(spot.plate) >= current_.plates.size()) {
    throw CalibrationError(spot.label + ": plate " + std::to_string(spot.plate) + " does not exist");
  }
  const std::vector<Sample> samples = collect();
  const PlateSpec& plate = current_.plates[static_cast<std::size_t>(spot.plate)];
  Placement p = measure_placement(spot, mass_kg, samples, plate);
  require_steady(spot.label, p.force_sd_n);
  check_placement(plate, p, options_.calibration);
  placements_.push_back(p);
  return placements_.back();
}

CalibrationRecord CalibrationSession::finish(std::chrono::system_clock::time_point when) const {
  require_zeroed();
  return calibrate(current_, placements_, options_.calibration, when);
}

VerificationResult CalibrationSession::verify(const CalibrationRecord& record, const PlacementSpot& spot,
                                              double mass_kg, const Tolerances& tolerances) {
  require_zeroed();
  DeviceDescription calibrated = current_;
  apply_calibration(calibrated, record, OffsetSource::keep_device);
  if (spot.plate < 0 || static_cast<std::size_t>(spot.plate) >= calibrated.plates.size()) {
    throw CalibrationError(spot.label + ": plate " + std::to_string(spot.plate) + " does not exist");
  }
  const PlateSpec& plate = calibrated.plates[static_cast<std::size_t>(spot.plate)];
  const std::vector<Sample> samples = collect();
  const Placement p = measure_placement(spot, mass_kg, samples, plate);
  require_steady(spot.label, p.force_sd_n);
  return verify_placement(plate, p, tolerances, record.gravity_m_s2);
}

}  // namespace fp::acq
