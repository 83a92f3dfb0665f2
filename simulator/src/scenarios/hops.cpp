// Repeated single-leg hops on the spot: a small countermovement into the first hop, `count` hops
// whose flight and contact times vary a little (from the seed), then a landing held in stance.
// Each contact is solved so that it turns the landing velocity of one hop into the take-off
// velocity of the next (v = g * flight / 2 for a flight that lands at take-off height).
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "body.hpp"
#include "task_scenarios.hpp"

namespace fp::sim {

std::unique_ptr<Scenario> make_hops(const ScenarioSettings& s, double rate_hz) {
  const std::string name = "hops";
  const double dt = sample_period(name, rate_hz);
  ParamReader p(name, s.params);
  BodyScript b;
  read_layout(p, s, name, b, 1, false);
  read_sway(p, b, kSingleLegSway);
  const StepOn on = read_step_on(p, 1.0);
  const double onset = p.get("onset_s", 3.0, 0.0, 3600.0);
  const int count = get_int(p, name, "count", 5, 1, 50);
  const double contact_s = p.get("contact_s", 0.30, 0.1, 1.0);
  const double flight_s = p.get("flight_s", 0.35, 0.1, 0.8);
  const double variability = p.get("variability", 0.05, 0.0, 0.2);
  const LandingParams lp = read_landing(p, "landing_", 3.5);
  p.finish();
  if (onset < on.fully_on() + 0.5) {
    throw param_error(name, "onset_s", "must leave at least 0.5 s of quiet stance after step_on_s + ramp_s");
  }

  // Each hop's times: nominal x (1 + variability N(0,1)), cut at 3 SD.
  std::mt19937_64 rng(s.seed ^ 0x2545f4914f6cdd1dULL);
  std::normal_distribution<double> normal(0.0, 1.0);
  auto vary = [&](double nominal) {
    return nominal * std::clamp(1 + variability * normal(rng), 1 - 3 * variability, 1 + 3 * variability);
  };
  std::vector<double> flights, contacts;
  for (int i = 0; i < count; ++i) {
    flights.push_back(vary(flight_s));
    if (i + 1 < count) contacts.push_back(vary(contact_s));
  }

  add_step_on(b, on);
  b.quiet.push_back(QuietWindow{on.fully_on(), onset});
  b.events.push_back(event("movement_onset", onset));
  const motion::Unweighting dip{onset, 0.3, 0.4};
  b.force_bw.add(onset, [dip](double t) { return dip.force_bw(t); });
  const motion::Push push(onset + dip.duration, 0.35, dip.end_velocity(), kGravity * flights[0] / 2);
  b.force_bw.add(push.t0(), [push](double t) { return push.force_bw(t); });
  // Hopping on the forefoot: the COP moves 40 mm forward during the push and stays there.
  b.cop_offset = [push](double t) -> std::array<double, 2> {
    const double tau = (t - push.t0()) / (push.takeoff() - push.t0());
    return {0, tau <= 0 ? 0 : 0.04 * motion::smooth01(tau)};
  };

  double t = push.takeoff();
  for (std::size_t i = 0; i < flights.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    const double v = kGravity * flights[i] / 2;
    const double land = t + flights[i];
    b.force_bw.add(t, [](double) { return 0.0; });
    b.events.push_back(event("takeoff_" + n, t));
    b.events.push_back(event("landing_" + n, land));
    b.events.push_back(event("flight_time_" + n, land, flights[i], "s"));
    b.events.push_back(event("hop_height_" + n, t, v * v / (2 * kGravity), "m"));
    if (i < contacts.size()) {
      const motion::Contact contact(land, contacts[i], v, kGravity * flights[i + 1] / 2);
      b.force_bw.add(land, [contact](double x) { return contact.force_bw(x); });
      b.events.push_back(event("contact_time_" + n, contact.end(), contacts[i], "s"));
      t = contact.end();
    } else {
      add_landing(b, land, v, lp, dt, name, s.seed);
    }
  }
  return std::make_unique<ScriptedBody>(std::move(b), rate_hz, s.seed);
}

}  // namespace fp::sim
