#pragma once
// Faults the simulated plate can inject, each switchable and reproducible from a seed. Wire faults
// damage bytes between the firmware and the line; device faults happen inside the device.
#include <cstdint>

namespace fp::sim {

struct FaultConfig {
  std::uint64_t seed = 99;
  double start_s = 0;             // wire faults and overruns only from this device time...
  double end_s = -1;              // ...until this one (-1: to the end)
  // wire
  double bit_flip_rate = 0;       // per byte sent: probability that one of its bits flips
  double drop_byte_rate = 0;      // per byte sent: probability that it never arrives
  double truncate_rate = 0;       // per frame: probability that it is cut short (its tail is lost)
  // device
  double overrun_rate = 0;        // per sample frame: probability the device has no room to send it
  double stall_at_s = -1;         // the device's main loop stops at this time...
  double stall_s = 0;             // ...for this long (the ADC keeps its clock: samples are dropped)
  double reboot_at_s = -1;        // the device restarts: numbering starts again at 0, not streaming
  double disconnect_after_s = -1; // the device goes away (the port closes)...
  double replug_after_s = -1;     // ...and is plugged in again this long after (on a new port)
  double clock_drift_ppm = 0;     // the device clock runs fast (+) or slow (-) against real time
};

// What the faults did, for tests to compare with what the host reports.
struct FaultStats {
  std::uint64_t bits_flipped = 0;
  std::uint64_t bytes_dropped = 0;
  std::uint64_t frames_truncated = 0;
  std::uint64_t frames_damaged = 0;              // frames a host cannot decode (incl. merged neighbours)
  std::uint64_t samples_in_damaged_frames = 0;   // samples lost on the wire
  std::uint64_t samples_dropped_on_device = 0;   // overruns and stalls (reported by the device)
  std::uint64_t reboots = 0;
  bool disconnected = false;
};

}  // namespace fp::sim
