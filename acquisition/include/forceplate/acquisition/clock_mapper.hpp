#pragma once
// Maps the host's steady clock onto the device's sample clock within one stretch of numbering:
// least-squares line through (host time, device time) at each frame's arrival. Its slope gives
// the device clock's drift against the host's; arrival jitter averages out over the stretch.
#include <cstdint>

namespace fp::acq {

class ClockMapper {
 public:
  void reset() { *this = ClockMapper{}; }
  void add(double host_s, double device_s);

  std::uint64_t points() const { return n_; }
  // Device seconds per host second, minus one, in parts per million (0 until two points).
  double drift_ppm() const;
  // Device time at a given host time (the device clock's reading then), or host_s before any point.
  double device_time_at(double host_s) const;

 private:
  // Sums about the first point, so that long runs keep their precision.
  double h0_ = 0, d0_ = 0;
  double sh_ = 0, sd_ = 0, shh_ = 0, shd_ = 0;
  std::uint64_t n_ = 0;
};

}  // namespace fp::acq
