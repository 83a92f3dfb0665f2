#pragma once
// Postural sway as a noise-driven, damped second-order process per axis: smooth like real sway,
// with a chosen standard deviation and natural frequency. Shared by the stance scenarios.
#include <cmath>
#include <numbers>
#include <random>

namespace fp::sim {

class SwayAxis {
 public:
  SwayAxis() = default;
  SwayAxis(double sd_m, double frequency_hz, std::mt19937_64& rng, double zeta = 0.6)
      : omega_(2 * std::numbers::pi * frequency_hz), zeta_(zeta) {
    // Stationary variance of x'' + 2ζωx' + ω²x = q·w(t) is q² / (4ζω³): pick q for the asked SD.
    gain_ = sd_m * std::sqrt(4 * zeta_ * omega_ * omega_ * omega_);
    // Start from the stationary distribution so the first seconds look like the rest.
    pos_ = sd_m * normal_(rng);
    vel_ = sd_m * omega_ * normal_(rng);
  }

  double step(double dt, std::mt19937_64& rng) {
    const double acc = -omega_ * omega_ * pos_ - 2 * zeta_ * omega_ * vel_;
    vel_ += acc * dt + gain_ * std::sqrt(dt) * normal_(rng);
    pos_ += vel_ * dt;  // semi-implicit Euler: stable for the small steps used here
    return pos_;
  }
  double position() const { return pos_; }

 private:
  double omega_ = 1, zeta_ = 0.6, gain_ = 0, pos_ = 0, vel_ = 0;
  std::normal_distribution<double> normal_{0.0, 1.0};
};

}  // namespace fp::sim
