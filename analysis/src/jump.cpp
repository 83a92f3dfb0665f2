#include "forceplate/analysis/jump.hpp"

#include <algorithm>
#include <cmath>

#include "checks.hpp"

namespace fp::analysis {

JumpResult analyze_jump(std::span<const double> f, double rate_hz, const JumpOptions& o) {
  JumpResult out;
  out.events = detect_jump_events(f, rate_hz, o.events);
  const JumpEvents& ev = out.events;
  const double bw = ev.body_weight_n;
  const double mass = bw / standard_gravity;
  const double dt = 1.0 / rate_hz;

  // Impulse-momentum from rest at onset; left rectangles, sample i standing for [i, i+1) / rate,
  // as in the published step-by-step method (Chavda et al. 2018). Against a continuous force this
  // reads the take-off velocity high by up to g dt / 2 (0.005 m/s at 1 kHz, 0.05 m/s at 100 Hz); the
  // trapezoidal rule would remove that but moves the edges by half a sample (docs/metrics.md).
  std::vector<double>& v = out.velocity;
  v.assign(ev.takeoff - ev.onset + 1, 0.0);
  for (std::size_t i = ev.onset; i < ev.takeoff; ++i) {
    v[i - ev.onset + 1] = v[i - ev.onset] + (f[i] - bw) / mass * dt;
  }
  const double v_to = v.back();

  // Phases: unweighting to the lowest velocity, braking to v = 0, propulsion to take-off.
  const auto vmin_it = std::min_element(v.begin(), v.end());
  std::size_t vmin = static_cast<std::size_t>(vmin_it - v.begin());  // offset from onset
  std::size_t zero = vmin;
  if (*vmin_it < 0) {
    while (zero < v.size() - 1 && v[zero] < 0) ++zero;
  } else {
    vmin = zero = 0;
  }
  const std::size_t last = v.size() - 1;  // take-off
  double peak_power = 0, prop_power = 0;
  for (std::size_t k = 0; k < last; ++k) {
    const double p = f[ev.onset + k] * 0.5 * (v[k] + v[k + 1]);
    peak_power = std::max(peak_power, p);
    if (k >= zero) prop_power += p;
  }
  const double mean_prop_power = last > zero ? prop_power / static_cast<double>(last - zero) : 0.0;

  // Braking (eccentric deceleration) rate of force development: mean over the phase, and the
  // steepest rise over any rfd_window_s (a derivative over one sample is mostly noise at 1 kHz).
  double mean_rfd = 0, peak_rfd = 0;
  if (zero > vmin) {
    const std::size_t b = ev.onset + vmin, e = ev.onset + zero;
    mean_rfd = (f[e] - f[b]) / (static_cast<double>(e - b) * dt);
    const auto w = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(o.rfd_window_s * rate_hz)));
    for (std::size_t i = b; i + w <= e; ++i) {
      peak_rfd = std::max(peak_rfd, (f[i + w] - f[i]) / (static_cast<double>(w) * dt));
    }
  }

  const double flight = static_cast<double>(ev.landing - ev.takeoff) * dt;
  const double contraction = static_cast<double>(ev.takeoff - ev.onset) * dt;
  const double h_flight = standard_gravity * flight * flight / 8;
  const double h_impulse = v_to > 0 ? v_to * v_to / (2 * standard_gravity) : 0.0;

  AnalysisResult& r = out.result;
  r.test = o.kind == JumpKind::countermovement ? "countermovement-jump" : "squat-jump";
  r.warnings = ev.warnings;
  r.measures = {
      {"body_weight", bw, Unit::newton},
      {"body_weight_sd", ev.body_weight_sd_n, Unit::newton},
      {"flight_time", flight, Unit::second},
      {"jump_height_flight", h_flight, Unit::metre_shown_in_m},
      {"jump_height_impulse", h_impulse, Unit::metre_shown_in_m},
      {"takeoff_velocity", v_to, Unit::metre_per_second_shown_in_m_s},
      {"contraction_time", contraction, Unit::second},
      {"rsi_modified", h_flight / contraction, Unit::metre_per_second_shown_in_m_s},
      {"peak_power", peak_power, Unit::watt},
      {"peak_power_per_kg", peak_power / mass, Unit::watt_per_kilogram},
      {"mean_propulsive_power", mean_prop_power, Unit::watt},
      {"mean_propulsive_power_per_kg", mean_prop_power / mass, Unit::watt_per_kilogram},
      {"unweighting_time", static_cast<double>(vmin) * dt, Unit::second},
      {"braking_time", static_cast<double>(zero - vmin) * dt, Unit::second},
      {"propulsion_time", static_cast<double>(last - zero) * dt, Unit::second},
      {"unweighting_impulse", mass * v[vmin], Unit::newton_second},
      {"braking_impulse", mass * (v[zero] - v[vmin]), Unit::newton_second},
      {"propulsive_impulse", mass * (v_to - v[zero]), Unit::newton_second},
      {"braking_mean_rfd", mean_rfd, Unit::newton_per_second},
      {"braking_peak_rfd", peak_rfd, Unit::newton_per_second},
      {"peak_braking_velocity", -v[vmin], Unit::metre_per_second_shown_in_m_s},
      {"peak_landing_force", ev.peak_landing_force_n, Unit::newton},
      {"peak_landing_force_bw", ev.peak_landing_force_n / bw, Unit::body_weight},
  };
  if (v_to <= 0) {
    r.warnings.push_back("take-off velocity by impulse is not upward (" + detail::str(v_to) +
                         " m/s): body weight or onset is wrong");
  }
  if (o.kind == JumpKind::squat && -*vmin_it > o.squat_countermovement_warn_m_s) {
    r.warnings.push_back("squat jump with a countermovement: the centre of mass moved down at " +
                         detail::str(-*vmin_it) + " m/s before the push");
  }
  r.processing = {"vertical force, no filtering",
                  "body weight: mean of the weighing window " +
                      detail::str(static_cast<double>(ev.quiet_begin) * dt) + " - " +
                      detail::str(static_cast<double>(ev.quiet_end) * dt) + " s",
                  "flight: below " + detail::str(ev.flight_threshold_n) +
                      " N, take-off and landing where the force enters / leaves " +
                      detail::str(ev.flight_band_n) + " N (flight noise band)"};
  return out;
}

}  // namespace fp::analysis
