#include "forceplate/simulator/body.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fp::sim {

namespace {
constexpr double kG = 9.80665;
}

QuietStanceBody::QuietStanceBody(const QuietStanceParams& p, double rate_hz, int plate_count)
    : p_(p), dt_(1.0 / rate_hz), plate_count_(plate_count), rng_(p.seed) {
  omega_ = 2 * std::numbers::pi * p_.sway_frequency_hz;
  // Stationary variance of x'' + 2ζωx' + ω²x = q·w(t) is q² / (4ζω³): pick q for the asked SD.
  const double per_unit = std::sqrt(4 * zeta_ * omega_ * omega_ * omega_);
  x_.noise_gain = p_.sway_ml_m * per_unit;
  y_.noise_gain = p_.sway_ap_m * per_unit;
  // Start from the stationary distribution so the first seconds look like the rest.
  x_.pos = p_.sway_ml_m * normal_(rng_);
  y_.pos = p_.sway_ap_m * normal_(rng_);
  x_.vel = p_.sway_ml_m * omega_ * normal_(rng_);
  y_.vel = p_.sway_ap_m * omega_ * normal_(rng_);
}

void QuietStanceBody::step_axis(Axis& a, double dt) {
  const double acc = -omega_ * omega_ * a.pos - 2 * zeta_ * omega_ * a.vel;
  a.vel += acc * dt + a.noise_gain * std::sqrt(dt) * normal_(rng_);
  a.pos += a.vel * dt;  // semi-implicit Euler: stable for the small steps used here
}

BodyState QuietStanceBody::next() {
  if (started_) t_ += dt_;
  started_ = true;
  step_axis(x_, dt_);
  step_axis(y_, dt_);
  // Vertical ripple from the body's centre-of-mass accelerations: about 0.3 % of body weight.
  ripple_ += (-ripple_ * 2.0 * dt_) + 0.003 * std::sqrt(4.0 * dt_) * normal_(rng_);

  const double on = std::clamp((t_ - p_.step_on_s) / p_.ramp_s, 0.0, 1.0);
  const double fz = on * p_.mass_kg * kG * (1.0 + ripple_);
  BodyState s;
  const double cx = p_.stance_x_m + x_.pos;
  const double cy = p_.stance_y_m + y_.pos;
  if (plate_count_ == 1) {
    s.plates[0] = PlateLoad{fz, cx, cy};
  } else {
    // One foot per plate, each carrying half; each plate sees the sway about its own centre.
    s.plates[0] = PlateLoad{fz / 2, cx, cy};
    s.plates[1] = PlateLoad{fz / 2, cx, cy};
  }
  return s;
}

}  // namespace fp::sim
