#include "forceplate/acquisition/clock_mapper.hpp"

namespace fp::acq {

void ClockMapper::add(double host_s, double device_s) {
  if (n_ == 0) {
    h0_ = host_s;
    d0_ = device_s;
  }
  const double h = host_s - h0_;
  const double d = device_s - d0_;
  sh_ += h;
  sd_ += d;
  shh_ += h * h;
  shd_ += h * d;
  ++n_;
}

double ClockMapper::drift_ppm() const {
  if (n_ < 2) return 0;
  const double n = static_cast<double>(n_);
  const double var = shh_ - sh_ * sh_ / n;
  if (var <= 0) return 0;
  const double slope = (shd_ - sh_ * sd_ / n) / var;
  return (slope - 1.0) * 1e6;
}

double ClockMapper::device_time_at(double host_s) const {
  if (n_ == 0) return host_s;
  const double n = static_cast<double>(n_);
  const double slope = 1.0 + drift_ppm() * 1e-6;
  const double intercept = sd_ / n - slope * sh_ / n;
  return d0_ + intercept + slope * (host_s - h0_);
}

}  // namespace fp::acq
