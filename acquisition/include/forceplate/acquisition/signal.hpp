#pragma once
// Counts -> newtons per cell -> vertical force and centre of pressure per plate.
#include <span>

#include "forceplate/acquisition/sample.hpp"

namespace fp::acq {

// Below this vertical force the COP is mostly noise divided by almost nothing; it is reported as
// NaN instead (ezc3d divides without a threshold; we do not).
inline constexpr double kDefaultMinCopForceN = 20.0;

class SignalConverter {
 public:
  explicit SignalConverter(const DeviceDescription& device, double min_cop_force_n = kDefaultMinCopForceN);
  // Fills cell_force_n, fz_n, cop_x_m, cop_y_m of `s` from s.counts.
  void convert(Sample& s) const;
  // Zero the plate: new offsets are the mean counts of `empty_plate` samples (taken unloaded).
  void tare(std::span<const Sample> empty_plate);
  const DeviceDescription& device() const { return device_; }

 private:
  DeviceDescription device_;
  double min_cop_force_n_;
};

}  // namespace fp::acq
