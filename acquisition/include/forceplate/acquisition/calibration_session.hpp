#pragma once
// The calibration procedure on a connected plate: zero it, measure the known mass at each spot,
// solve, verify. Each step streams about a second of samples through the ordinary acquisition
// path (DeviceConnection) and hands them to the pure functions of calibration.hpp. A step that
// cannot be accepted throws CalibrationError and keeps nothing, so the operator can put it right
// and repeat the same step.
#include <chrono>
#include <vector>

#include "forceplate/acquisition/calibration.hpp"
#include "forceplate/acquisition/device_connection.hpp"

namespace fp::acq {

struct CalibrationSessionOptions {
  double window_s = 1.0;   // samples averaged per step (device time)
  double settle_s = 0.25;  // discarded first: the load settling, samples already on their way
  // The load must be still: a force that varies more than this (standard deviation over the window)
  // means someone touched the plate or the mass was still swinging.
  double max_force_sd_n = 2.0;
  std::chrono::milliseconds timeout{10000};  // for the samples of one step to arrive
  CalibrationOptions calibration;
};

class CalibrationSession {
 public:
  // `connection` must be connected (connect()) and not streaming; the session starts and stops it.
  explicit CalibrationSession(DeviceConnection& connection, CalibrationSessionOptions options = {});

  // Check placements against the gains of a stored calibration instead of the device's own (and
  // record them as the previous gains). Call before measure().
  void use_gains_of(const CalibrationRecord& record);

  // One window of samples of the plate as it is now (after the settling time).
  std::vector<Sample> collect();

  // The empty plate: checks that it is still, then zeroes the connection (DeviceConnection::tare)
  // and takes its offsets as the zero of the calibration.
  void zero();
  bool zeroed() const { return zeroed_; }

  // The known mass at `spot`: averaged, checked (steady; plausible with the current gains) and kept.
  const Placement& measure(const PlacementSpot& spot, double mass_kg);
  const std::vector<Placement>& placements() const { return placements_; }

  // Least-squares gains of every plate from the placements so far (see calibrate()).
  CalibrationRecord finish(std::chrono::system_clock::time_point when = std::chrono::system_clock::now()) const;

  // A known mass at a known spot, read with the gains of `record` and today's zero. The result is
  // not added to the record; append it to record.verifications to keep it.
  VerificationResult verify(const CalibrationRecord& record, const PlacementSpot& spot, double mass_kg,
                            const Tolerances& tolerances = {});

  // The device as the session sees it: today's zero, and the gains placements are checked against.
  const DeviceDescription& current() const { return current_; }

 private:
  void require_zeroed() const;
  void require_steady(const std::string& what, double force_sd_n) const;

  DeviceConnection& connection_;
  CalibrationSessionOptions options_;
  DeviceDescription current_;
  bool zeroed_ = false;
  std::vector<Placement> placements_;
};

}  // namespace fp::acq
