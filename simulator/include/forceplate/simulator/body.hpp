#pragma once
// Simulated people on the plate. Each scenario produces, sample by sample, the true vertical force
// and centre of pressure under each plate; tests compare what the system measures with this truth.
#include <array>
#include <cstdint>
#include <random>

namespace fp::sim {

inline constexpr int kMaxPlates = 2;

struct PlateLoad {
  double fz_n = 0;      // vertical force on the plate
  double cop_x_m = 0;   // true COP, relative to the plate centre (meaningful when fz_n > 0)
  double cop_y_m = 0;
};

struct BodyState {
  std::array<PlateLoad, kMaxPlates> plates{};
};

struct QuietStanceParams {
  double mass_kg = 75;
  double step_on_s = 1.0;   // the person steps on at this time...
  double ramp_s = 0.6;      // ...and is fully on the plate this much later
  double sway_ml_m = 0.0025;  // standard deviation of the COP sway, mediolateral
  double sway_ap_m = 0.0035;  // anteroposterior
  double sway_frequency_hz = 0.3;  // natural frequency of the sway process
  double stance_x_m = 0;    // mean COP position on the plate
  double stance_y_m = 0;
  std::uint64_t seed = 1;
};

// Quiet double-leg stance after stepping on: the COP follows a noise-driven, damped second-order
// process per axis (smooth like real sway, with the standard deviations asked for); Fz carries a
// small body-acceleration ripple. With two plates, the load is shared evenly, one foot per plate.
class QuietStanceBody {
 public:
  QuietStanceBody(const QuietStanceParams& p, double rate_hz, int plate_count);
  // Advances one sample period and returns the state at the new sample.
  BodyState next();
  double time_s() const { return t_; }
  void set_rate(double rate_hz) { dt_ = 1.0 / rate_hz; }

 private:
  struct Axis {
    double pos = 0, vel = 0, noise_gain = 0;
  };
  void step_axis(Axis& a, double dt);

  QuietStanceParams p_;
  double dt_;
  int plate_count_;
  double t_ = 0;
  bool started_ = false;
  double omega_;
  double zeta_ = 0.6;
  Axis x_, y_;
  double ripple_ = 0;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
};

}  // namespace fp::sim
