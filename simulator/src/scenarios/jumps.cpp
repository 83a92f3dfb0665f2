// Vertical jumps: countermovement jump, squat jump, drop jump. The force is built from the body's
// own mechanics: every phase is solved so that the integral of (F/m - g) gives the velocity the
// next phase starts from, take-off happens with F = 0 at exactly v0 = sqrt(2 g h), the flight
// lasts exactly 2 v0 / g with no force, and the landing stops the body that arrives at v0.
#include <cmath>

#include "body.hpp"
#include "motion.hpp"
#include "task_scenarios.hpp"

namespace fp::sim {

namespace {

constexpr double kPushForwardShift_m = 0.03;  // the COP moves towards the toes during the push

// Take-off at the end of `push` with v0, the flight, and the landing; the push's COP shift; the
// jump's events.
void add_jump_end(BodyScript& b, const motion::Push& push, double v0, const LandingParams& lp, double dt,
                  const std::string& scenario, std::uint64_t seed) {
  b.cop_offset = [push](double t) -> std::array<double, 2> {
    const double tau = (t - push.t0()) / (push.takeoff() - push.t0());
    return {0, tau <= 0 ? 0 : kPushForwardShift_m * motion::smooth01(tau)};
  };
  const double takeoff = push.takeoff();
  b.force_bw.add(takeoff, [](double) { return 0.0; });
  const double flight = 2 * v0 / kGravity;
  add_landing(b, takeoff + flight, v0, lp, dt, scenario, seed);
  b.events.push_back(event("takeoff", takeoff));
  b.events.push_back(event("takeoff_velocity", takeoff, v0, "m/s"));
  b.events.push_back(event("jump_height", takeoff, v0 * v0 / (2 * kGravity), "m"));
  b.events.push_back(event("flight_time", takeoff + flight, flight, "s"));
}

// Events from the centre of mass's path between `from` (at rest) and take-off.
void add_kinematic_events(BodyScript& b, double from, double takeoff, bool countermovement) {
  const motion::Kinematics k = motion::integrate(b.force_bw, from, takeoff);
  if (countermovement) {
    b.events.push_back(event("braking_start", k.t_min_velocity));
    b.events.push_back(event("propulsion_start", k.t_velocity_zero));
    b.events.push_back(event("countermovement_depth", k.t_velocity_zero, -k.min_displacement_m, "m"));
  }
  b.events.push_back(event("com_rise_at_takeoff", takeoff, k.end_displacement_m, "m"));
}

}  // namespace

std::unique_ptr<Scenario> make_cmj(const ScenarioSettings& s, double rate_hz) {
  const std::string name = "cmj";
  const double dt = sample_period(name, rate_hz);
  ParamReader p(name, s.params);
  BodyScript b;
  const Layout layout = read_layout(p, s, name, b, 2, true);
  read_sway(p, b, layout.legs == 1 ? kSingleLegSway : kDoubleLegSway);
  const StepOn on = read_step_on(p, 0.5);
  const double onset = p.get("onset_s", 3.0, 0.0, 3600.0);
  const double height = p.get("jump_height_m", 0.30, 0.02, 1.0);
  const double unweighting_s = p.get("unweighting_s", 0.4, 0.15, 1.0);
  const double min_bw = p.get("unweighting_min_bw", 0.4, 0.0, 0.9);
  const double push_s = p.get("push_s", 0.42, 0.15, 1.0);
  const LandingParams lp = read_landing(p, "landing_", 4.0);
  p.finish();
  if (onset < on.fully_on() + 0.5) {
    throw param_error(name, "onset_s", "must leave at least 0.5 s of quiet stance after step_on_s + ramp_s");
  }

  add_step_on(b, on);
  const motion::Unweighting unweighting{onset, unweighting_s, 1 - min_bw};
  b.force_bw.add(onset, [unweighting](double t) { return unweighting.force_bw(t); });
  const double v0 = std::sqrt(2 * kGravity * height);
  const motion::Push push(onset + unweighting_s, push_s, unweighting.end_velocity(), v0);
  b.force_bw.add(push.t0(), [push](double t) { return push.force_bw(t); });
  add_kinematic_events(b, onset, push.takeoff(), true);
  add_jump_end(b, push, v0, lp, dt, name, s.seed);
  b.quiet.push_back(QuietWindow{on.fully_on(), onset});
  b.events.push_back(event("movement_onset", onset));
  return std::make_unique<ScriptedBody>(std::move(b), rate_hz, s.seed);
}

std::unique_ptr<Scenario> make_squat_jump(const ScenarioSettings& s, double rate_hz) {
  const std::string name = "squat-jump";
  const double dt = sample_period(name, rate_hz);
  ParamReader p(name, s.params);
  BodyScript b;
  const Layout layout = read_layout(p, s, name, b, 2, true);
  read_sway(p, b, layout.legs == 1 ? kSingleLegSway : kDoubleLegSway);
  const StepOn on = read_step_on(p, 0.5);
  const double squat_at = p.get("squat_at_s", 2.0, 0.0, 3600.0);
  const double descent_s = p.get("descent_s", 1.0, 0.4, 3.0);
  const double depth = p.get("squat_depth_m", 0.30, 0.05, 0.6);
  const double hold_s = p.get("hold_s", 2.0, 0.5, 60.0);
  const double height = p.get("jump_height_m", 0.25, 0.02, 1.0);
  const double push_s = p.get("push_s", 0.30, 0.15, 1.0);
  const LandingParams lp = read_landing(p, "landing_", 4.0);
  p.finish();
  if (squat_at < on.fully_on() + 0.5) {
    throw param_error(name, "squat_at_s", "must leave at least 0.5 s of quiet stance after step_on_s + ramp_s");
  }
  const motion::SquatDescent descent{squat_at, descent_s, depth};
  if (descent.amplitude() > 0.9) {
    throw param_error(name, "descent_s", "is too short to lower the body by squat_depth_m without leaving the plate");
  }

  add_step_on(b, on);
  b.force_bw.add(squat_at, [descent](double t) { return descent.force_bw(t); });
  const double reached = squat_at + descent_s;
  b.force_bw.add(reached, [](double) { return 1.0; });
  const double push_at = reached + hold_s;
  const double v0 = std::sqrt(2 * kGravity * height);
  const motion::Push push(push_at, push_s, 0.0, v0);
  b.force_bw.add(push_at, [push](double t) { return push.force_bw(t); });
  add_kinematic_events(b, squat_at, push.takeoff(), false);
  add_jump_end(b, push, v0, lp, dt, name, s.seed);
  b.quiet.push_back(QuietWindow{on.fully_on(), squat_at});
  b.quiet.push_back(QuietWindow{reached, push_at});
  b.events.push_back(event("squat_start", squat_at));
  b.events.push_back(event("squat_reached", reached, depth, "m"));
  b.events.push_back(event("movement_onset", push_at));
  return std::make_unique<ScriptedBody>(std::move(b), rate_hz, s.seed);
}

std::unique_ptr<Scenario> make_drop_jump(const ScenarioSettings& s, double rate_hz) {
  const std::string name = "drop-jump";
  const double dt = sample_period(name, rate_hz);
  ParamReader p(name, s.params);
  BodyScript b;
  const Layout layout = read_layout(p, s, name, b, 2, true);
  read_sway(p, b, layout.legs == 1 ? kSingleLegSway : kDoubleLegSway);
  const double touchdown = p.get("touchdown_at_s", 2.0, 0.0, 3600.0);
  const double box = p.get("box_height_m", 0.30, 0.05, 1.0);
  const double contact_s = p.get("contact_s", 0.25, 0.1, 1.0);
  const double height = p.get("jump_height_m", 0.30, 0.02, 1.0);
  const LandingParams lp = read_landing(p, "landing_", 4.0);
  p.finish();

  // Off the plate (on the box) until the touchdown; a rebound contact; the jump.
  const double v_in = std::sqrt(2 * kGravity * box);
  const double v0 = std::sqrt(2 * kGravity * height);
  const motion::Contact contact(touchdown, contact_s, v_in, v0);
  b.force_bw.add(0, [](double) { return 0.0; });
  b.force_bw.add(touchdown, [contact](double t) { return contact.force_bw(t); });
  const double takeoff = contact.end();
  const double flight = 2 * v0 / kGravity;
  b.force_bw.add(takeoff, [](double) { return 0.0; });
  const double settled = add_landing(b, takeoff + flight, v0, lp, dt, name, s.seed).settled();
  b.events.push_back(event("touchdown", touchdown));
  b.events.push_back(event("impact_velocity", touchdown, v_in, "m/s"));
  b.events.push_back(event("takeoff", takeoff));
  b.events.push_back(event("contact_time", takeoff, contact_s, "s"));
  b.events.push_back(event("takeoff_velocity", takeoff, v0, "m/s"));
  b.events.push_back(event("jump_height", takeoff, height, "m"));
  b.events.push_back(event("rsi", takeoff, height / contact_s, "m/s"));
  b.events.push_back(event("flight_time", takeoff + flight, flight, "s"));
  b.events.push_back(event("body_weight", settled, b.weight_n, "N"));
  return std::make_unique<ScriptedBody>(std::move(b), rate_hz, s.seed);
}

}  // namespace fp::sim
