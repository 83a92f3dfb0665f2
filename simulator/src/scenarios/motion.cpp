#include "motion.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "forceplate/simulator/scenario.hpp"

namespace fp::sim::motion {

namespace {

constexpr double kPi = std::numbers::pi;

// Simpson's rule on [a, b] with n (even) intervals.
template <class F>
double simpson(F f, double a, double b, int n = 4000) {
  const double h = (b - a) / n;
  double sum = f(a) + f(b);
  for (int i = 1; i < n; ++i) sum += f(a + i * h) * (i % 2 ? 4.0 : 2.0);
  return sum * h / 3;
}

// Push shape on tau in [0, 1]: beta rises smoothly over the first kRise (braking: the force
// builds up while the body is still going down), then declines linearly by kDecline (the legs
// push less hard as they extend); the taper w brings the force to zero over the last kTaper.
constexpr double kRise = 0.35, kDecline = 0.5, kTaper = 0.2;
double push_beta(double tau) {
  if (tau < kRise) return 0.5 - 0.5 * std::cos(kPi * tau / kRise);
  return 1 - kDecline * (tau - kRise) / (1 - kRise);
}
double push_taper(double tau) {
  if (tau <= 1 - kTaper) return 1;
  const double c = std::cos(kPi / 2 * (tau - (1 - kTaper)) / kTaper);
  return c * c;
}

}  // namespace

double smooth01(double u) {
  u = std::clamp(u, 0.0, 1.0);
  return 0.5 - 0.5 * std::cos(kPi * u);
}

// ---------------------------------------------------------------------------------------------
void Timeline::add(double t0, Fn f) { segments_.emplace_back(t0, std::move(f)); }

double Timeline::operator()(double t) const {
  // Segments are added in time order; the last one whose start is <= t holds.
  const auto it = std::upper_bound(segments_.begin(), segments_.end(), t,
                                   [](double v, const auto& seg) { return v < seg.first; });
  if (it == segments_.begin()) return 0;
  return std::prev(it)->second(t);
}

// ---------------------------------------------------------------------------------------------
double Unweighting::force_bw(double t) const {
  const double s = std::sin(kPi * std::clamp((t - t0) / duration, 0.0, 1.0));
  return 1 - dip_bw * s * s;
}

double Unweighting::end_velocity() const { return -kGravity * dip_bw * duration / 2; }

double SquatDescent::amplitude() const { return 2 * kPi * depth_m / (kGravity * duration * duration); }

double SquatDescent::force_bw(double t) const {
  return 1 - amplitude() * std::sin(2 * kPi * std::clamp((t - t0) / duration, 0.0, 1.0));
}

// ---------------------------------------------------------------------------------------------
Push::Push(double t0, double duration, double v_start, double v_takeoff) : t0_(t0), duration_(duration) {
  // Integral of w: flat part plus the cos^2 taper's mean of 1/2.
  const double iw = (1 - kTaper) + kTaper / 2;
  // Integral of w beta, piece by piece (each piece smooth, so Simpson is accurate to ~1e-14).
  auto wb = [](double tau) { return push_taper(tau) * push_beta(tau); };
  const double iwb = simpson(wb, 0, kRise) + simpson(wb, kRise, 1 - kTaper) + simpson(wb, 1 - kTaper, 1);
  // Integral of (F/BW - 1) over the push = (v_takeoff - v_start) / (g T).
  gain_ = ((v_takeoff - v_start) / (kGravity * duration_) + (1 - iw)) / iwb;
}

double Push::force_bw(double t) const {
  const double tau = (t - t0_) / duration_;
  if (tau >= 1) return 0;
  if (tau <= 0) return 1;
  return push_taper(tau) * (1 + gain_ * push_beta(tau));
}

// ---------------------------------------------------------------------------------------------
Landing::Landing(double touchdown, double velocity, const LandingShape& shape, double dt,
                 const std::string& scenario, const std::string& prefix)
    : t0_(touchdown), peak_(shape.peak_bw), settle_(shape.settle_s) {
  auto fail = [&](const std::string& param, const std::string& why) {
    std::ostringstream msg;
    msg << "scenario '" << scenario << "': parameter " << prefix << param << ": " << why;
    throw std::invalid_argument(msg.str());
  };
  const double tp = shape.time_to_peak_s;
  // The peak on a sample: the sample nearest touchdown + time_to_peak, never before half of it.
  double k = std::round((t0_ + tp) / dt);
  if (k * dt - t0_ < 0.5 * tp) k = std::ceil((t0_ + 0.5 * tp) / dt);
  rise_ = k * dt - t0_;
  const double s = settle_ - rise_;  // from the peak to settled
  if (s < 0.1) fail("settle_s", "settling must end at least 0.1 s after the peak");
  const double p1 = peak_ - 1;
  // Impulse per body weight (BW s) the parts after the peak must deliver to stop the body.
  const double rise_impulse = rise_ * (peak_ / 2 - 1);
  const double need = velocity / kGravity - rise_impulse;

  tau_f_ = 0.4 * tp;
  // The damped sway: ~1 Hz, phased so that it sits on its envelope (at a trough) at settling.
  const double cycles = std::max(0.0, std::round(1.0 * s - 0.75));
  omega_ = (2 * cycles + 1.5) * kPi / s;
  a_o_ = 0.2;
  tau_o_ = s / std::log(a_o_ / kSettleBand);
  for (int iter = 0; iter < 200; ++iter) {
    // The sway's impulse (it undershoots first): a_o w tau^2 / (1 + w^2 tau^2), subtracted.
    const double sway = a_o_ * omega_ * tau_o_ * tau_o_ / (1 + omega_ * omega_ * tau_o_ * tau_o_);
    const double carry = need + sway;  // for the impact and absorption parts
    if (carry <= p1 * tau_f_ * 1.001) {
      fail("peak_bw", "a peak this high (or this late) already stops the body before it can fall back to body weight; "
                      "lower " + prefix + "peak_bw or " + prefix +
                      "time_to_peak_s, or land faster");
    }
    // The absorption lasts tau_a (at least long enough for the impact part not to turn negative).
    const double shortest = 2 * carry / p1;
    if (shortest > 0.9 * s) {
      fail("settle_s", "too short for this landing to absorb the body's momentum; raise " + prefix + "settle_s or " + prefix + "peak_bw");
    }
    tau_a_ = std::min(std::max(0.3, 1.25 * shortest), std::max(shortest, 0.9 * s));
    a_a_ = (carry - p1 * tau_f_) / (tau_a_ / 2 - tau_f_);
    a_f_ = p1 - a_a_;
    const double rest = a_f_ * std::exp(-s / tau_f_);  // the absorption is over by then
    const double next = s / std::log(a_o_ / (kSettleBand - rest));
    const bool done = std::abs(next - tau_o_) < 1e-15 * tau_o_;
    tau_o_ = next;
    if (done) break;
  }
  // Final amplitudes for the converged decay (the sway's impulse depends on it).
  const double sway = a_o_ * omega_ * tau_o_ * tau_o_ / (1 + omega_ * omega_ * tau_o_ * tau_o_);
  a_a_ = (need + sway - p1 * tau_f_) / (tau_a_ / 2 - tau_f_);
  a_f_ = p1 - a_a_;
}

double Landing::force_bw(double t) const {
  const double s = t - t0_;
  if (s < 0) return 0;
  if (s < rise_) {
    const double r = std::sin(kPi / 2 * s / rise_);
    return peak_ * r * r;
  }
  const double u = s - rise_;
  return 1 + a_f_ * std::exp(-u / tau_f_) + a_a_ * (1 - smooth01(u / tau_a_)) -
         a_o_ * std::exp(-u / tau_o_) * std::sin(omega_ * u);
}

double Landing::envelope(double t) const {
  const double s = t - t0_;
  if (s < 0) return 0;
  if (s < rise_) return 1;
  const double u = s - rise_;
  return a_f_ * std::exp(-u / tau_f_) + a_a_ * (1 - smooth01(u / tau_a_)) + a_o_ * std::exp(-u / tau_o_);
}

// ---------------------------------------------------------------------------------------------
Contact::Contact(double t0, double duration, double v_in, double v_out) : t0_(t0), duration_(duration) {
  // Integral of (sin(pi tau) + k b(tau)) over [0, 1] is 2/pi + k span/2; the contact must change the
  // velocity by v_in + v_out against gravity over its duration.
  amplitude_ = (1 + (v_in + v_out) / (kGravity * duration_)) / (2 / kPi + kImpactShare * kImpactSpan / 2);
}

double Contact::force_bw(double t) const {
  const double tau = (t - t0_) / duration_;
  if (tau <= 0 || tau >= 1) return 0;
  double f = std::sin(kPi * tau);
  if (tau < kImpactSpan) {
    const double b = std::sin(kPi * tau / kImpactSpan);
    f += kImpactShare * b * b;
  }
  return amplitude_ * f;
}

// ---------------------------------------------------------------------------------------------
Kinematics integrate(const Timeline& force_bw, double t_from, double t_to, double step_s) {
  Kinematics k;
  const auto n = static_cast<long>(std::ceil((t_to - t_from) / step_s));
  const double h = (t_to - t_from) / static_cast<double>(n);
  double v = 0, x = 0, v_min = 0;
  double a_prev = kGravity * (force_bw(t_from) - 1);
  k.t_min_velocity = k.t_velocity_zero = t_from;
  bool rising = false;
  for (long i = 1; i <= n; ++i) {
    const double t = t_from + static_cast<double>(i) * h;
    const double a = kGravity * (force_bw(t) - 1);
    const double v_next = v + (a_prev + a) / 2 * h;  // trapezoid: exact for piecewise-linear a
    x += (v + v_next) / 2 * h;
    if (v_next < v_min) {
      v_min = v_next;
      k.t_min_velocity = t;
    }
    if (!rising && v_min < 0 && v < 0 && v_next >= 0) {
      rising = true;
      k.t_velocity_zero = t - h * v_next / (v_next - v);
    }
    k.min_displacement_m = std::min(k.min_displacement_m, x);
    v = v_next;
    a_prev = a;
  }
  k.end_displacement_m = x;
  k.end_velocity = v;
  return k;
}

}  // namespace fp::sim::motion
