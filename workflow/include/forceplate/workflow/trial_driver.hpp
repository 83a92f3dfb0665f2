#pragma once
// Runs a TrialRunner from a connected device on the caller's thread: subscribes, streams, feeds
// every sample in order, zeroes the device with the runner's empty-plate samples, and returns when
// the runner waits for the clinician's decision (result) or has finished. The GUI does the same
// from a timer instead (feed() per sample taken from its own ring).
#include <functional>

#include "forceplate/acquisition/device_connection.hpp"
#include "forceplate/workflow/trial_runner.hpp"

namespace fp::workflow {

struct DriveOptions {
  double no_data_timeout_s = 2.0;       // no sample (and the device not known lost): the trial fails
  double device_lost_timeout_s = 10.0;  // a lost device not found again within this: the trial fails
  // Called after each batch of samples (a few per millisecond at most), e.g. to print the live
  // feedback. Return false to cancel the trial.
  std::function<bool(const TrialRunner&)> on_progress = {};
};

// Starts the runner if it is idle (a runner in waiting_for_patient after redo() continues), sets
// its tare handler to DeviceConnection::tare, subscribes a lossless ring, starts streaming, feeds
// until the runner reaches result (or is cancelled), stops streaming and unsubscribes. Device
// problems (lost for too long, silent, the ring overflowed) end the trial as invalid through
// TrialRunner::fail with the reason. Returns the runner's state.
RunnerState drive_trial(acq::DeviceConnection& device, TrialRunner& runner, const DriveOptions& options = {});

}  // namespace fp::workflow
