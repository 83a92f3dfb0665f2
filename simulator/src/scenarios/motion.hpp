#pragma once
// Building blocks of the vertical force of a person who moves: a timeline of force segments, the
// push that ends in a take-off, the landing that ends in quiet stance, the short reactive contact
// of a hop. Every block is defined in continuous time and in body weights (BW), and solved so that
// impulse and momentum agree exactly: the integral of (F/m - g) over a block is the change of
// vertical velocity it was asked for. The sampled series therefore obeys the same physics up to
// the integration error of the sampling.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fp::sim::motion {

// 0 → 1 with zero slope at both ends (half a cosine); clamped outside [0, 1].
double smooth01(double u);

// Piecewise function of absolute time: each segment holds from its start until the next one
// starts; before the first segment the value is 0.
class Timeline {
 public:
  using Fn = std::function<double(double)>;
  void add(double t0, Fn f);
  double operator()(double t) const;
  bool empty() const { return segments_.empty(); }

 private:
  std::vector<std::pair<double, Fn>> segments_;
};

// Lowering and rising again from stance with no net impulse: F = BW (1 - D sin^2(pi tau)) over
// `duration`. The body leaves it moving down at `end_velocity()` (< 0).
struct Unweighting {
  double t0 = 0, duration = 0.4, dip_bw = 0.6;
  double force_bw(double t) const;
  double end_velocity() const;
};

// Slow descent into a squat that ends at rest: F = BW (1 - d sin(2 pi tau)), with d chosen so the
// centre of mass ends `depth_m` lower.
struct SquatDescent {
  double t0 = 0, duration = 1.0, depth_m = 0.3;
  double amplitude() const;
  double force_bw(double t) const;
};

// Braking and propulsion up to take-off: F = BW w(tau) (1 + P beta(tau)), tau = (t - t0) / duration,
// with beta a push that builds up over the first 35 % and then eases off by half, and w a taper
// that brings the force to zero over the last 20 % (take-off); P is solved so that the body goes
// from `v_start` to `v_takeoff` exactly.
class Push {
 public:
  Push() = default;
  Push(double t0, double duration, double v_start, double v_takeoff);
  double force_bw(double t) const;
  double t0() const { return t0_; }
  double takeoff() const { return t0_ + duration_; }
  double gain() const { return gain_; }

 private:
  double t0_ = 0, duration_ = 0.45, gain_ = 0;
};

// Landing that ends in quiet stance. A smooth rise to `peak_bw` at touchdown + time_to_peak (moved
// by less than half a sample so that the peak is a sample), then three decaying parts: a fast
// exponential impact decay, the absorption that stops the body (a half cosine from its amplitude
// to zero over tau_a), and an exponentially damped ~1 Hz sway of the force that first undershoots
// body weight. Its envelope E (the sum of the three amplitudes) bounds |F/BW - 1|;
// the damped sway is phased so that |F/BW - 1| touches E exactly at touchdown + settle_s, where
// E = 5 %: that instant is the last one at which the force is 5 % of body weight away from it.
// The amplitudes are solved so that the landing stops a body arriving at `velocity` (m/s, down).
struct LandingShape {
  double peak_bw = 3.5;
  double time_to_peak_s = 0.05;
  double settle_s = 1.5;
};

class Landing {
 public:
  static constexpr double kSettleBand = 0.05;  // |F - BW| < 5 % BW once settled
  Landing() = default;
  // Throws std::invalid_argument (naming `scenario` and the parameter, `prefix` + "peak_bw"...)
  // when no such landing can stop the body.
  Landing(double touchdown, double velocity, const LandingShape& shape, double dt, const std::string& scenario,
          const std::string& prefix);
  double force_bw(double t) const;
  // Envelope of |F/BW - 1| after the peak (0 before touchdown, 1 before the peak).
  double envelope(double t) const;
  double touchdown() const { return t0_; }
  double peak_time() const { return t0_ + rise_; }
  double peak_bw() const { return peak_; }
  double settled() const { return t0_ + settle_; }
  // The decay time of the damped sway (the slowest part), for the COP shake.
  double sway_decay_s() const { return tau_o_; }

 private:
  double t0_ = 0, rise_ = 0.05, peak_ = 3.5, settle_ = 1.5;
  double a_f_ = 0, tau_f_ = 0.02, a_a_ = 0, tau_a_ = 0.3, a_o_ = 0.2, tau_o_ = 1, omega_ = 1;
};

// A hop's ground contact: the body arrives at `v_in` (down) and leaves at `v_out` (up) after
// `duration`. F = BW A (sin(pi tau) + k b(tau)), a half sine with an impact bump b early in the
// contact; force 0 at both ends, A solved from impulse and momentum.
class Contact {
 public:
  static constexpr double kImpactShare = 0.35, kImpactSpan = 0.3;
  Contact() = default;
  Contact(double t0, double duration, double v_in, double v_out);
  double force_bw(double t) const;
  double t0() const { return t0_; }
  double end() const { return t0_ + duration_; }

 private:
  double t0_ = 0, duration_ = 0.25, amplitude_ = 0;
};

// Kinematics of the centre of mass under a force profile (in BW), integrated finely from rest at
// `t_from` up to `t_to`: times of the lowest velocity, of the velocity crossing zero upwards, of
// the lowest point; the lowest and final displacement.
struct Kinematics {
  double t_min_velocity = 0, t_velocity_zero = 0;
  double min_displacement_m = 0, end_displacement_m = 0, end_velocity = 0;
};
Kinematics integrate(const Timeline& force_bw, double t_from, double t_to, double step_s = 1e-5);

}  // namespace fp::sim::motion
