// Single-leg stance: the person steps onto the plate on one leg and balances, with more
// mediolateral than anteroposterior sway; the lifted foot may touch down for a moment (on the
// plate or beside it), and the person may step off at the end.
#include <cmath>
#include <vector>

#include "body.hpp"
#include "task_scenarios.hpp"

namespace fp::sim {

namespace {
constexpr double kTouchRamp_s = 0.05;  // the touching foot takes or gives up its load in 50 ms
constexpr double kStepOffRamp_s = 0.3;
}  // namespace

std::unique_ptr<Scenario> make_single_leg_stance(const ScenarioSettings& s, double rate_hz) {
  const std::string name = "single-leg-stance";
  sample_period(name, rate_hz);
  ParamReader p(name, s.params);
  BodyScript b;
  const Layout layout = read_layout(p, s, name, b, 1, false);
  read_sway(p, b, kSingleLegSway);
  const StepOn on = read_step_on(p, 1.0);
  const double touch_at = p.get("touchdown_at_s", 0.0, 0.0, 3600.0);
  const double touch_s = p.get("touchdown_s", 0.5, 0.1, 10.0);
  const int touch_count = get_int(p, name, "touchdown_count", 1, 1, 50);
  const double touch_every = p.get("touchdown_every_s", 3.0, 0.2, 600.0);
  const double touch_bw = p.get("touchdown_bw", 0.3, 0.05, 0.95);
  const int touch_on_plate = get_int(p, name, "touchdown_on_plate", 1, 0, 1);
  const double touch_distance = p.get("touchdown_distance_mm", 200.0, 50.0, 400.0) / 1000;
  const double step_off = p.get("step_off_at_s", 0.0, 0.0, 3600.0);
  p.finish();

  // The lifted foot, when it touches down: with one plate, touchdown_distance_mm to the other
  // side of the stance foot (or on the floor); with two plates, on its own plate (or the floor).
  const auto stance = static_cast<std::size_t>(layout.side);
  Foot& other = b.feet[1 - stance];
  const double lateral = layout.side == 0 ? -1.0 : 1.0;
  if (s.plate_count == 1) other.x_m = b.feet[stance].x_m - lateral * touch_distance;
  if (!touch_on_plate) other.plate = -1;

  std::vector<double> starts;
  if (touch_at > 0) {
    for (int i = 0; i < touch_count; ++i) starts.push_back(touch_at + i * touch_every);
    if (touch_at < on.fully_on()) throw param_error(name, "touchdown_at_s", "must be after step_on_s + ramp_s");
    if (touch_count > 1 && touch_every <= touch_s + 0.1) {
      throw param_error(name, "touchdown_every_s", "must exceed touchdown_s by more than 0.1 s");
    }
  }
  if (step_off > 0) {
    if (step_off < on.fully_on()) throw param_error(name, "step_off_at_s", "must be after step_on_s + ramp_s");
    if (!starts.empty() && starts.back() + touch_s > step_off) {
      throw param_error(name, "step_off_at_s", "must come after the last touchdown has ended");
    }
  }

  add_step_on(b, on);
  if (step_off > 0) {
    b.force_bw.add(step_off, [step_off](double t) { return 1 - motion::smooth01((t - step_off) / kStepOffRamp_s); });
    b.events.push_back(event("step_off", step_off));
    b.events.push_back(event("off_plate", step_off + kStepOffRamp_s));
  }
  b.quiet.push_back(QuietWindow{on.fully_on(), step_off > 0 ? step_off : kForever});

  // Share of body weight on the touching foot.
  auto touching = [starts, touch_s, touch_bw](double t) {
    for (const double t0 : starts) {
      if (t >= t0 && t <= t0 + touch_s) {
        return touch_bw * motion::smooth01((t - t0) / kTouchRamp_s) * motion::smooth01((t0 + touch_s - t) / kTouchRamp_s);
      }
    }
    return 0.0;
  };
  const int side = layout.side;
  b.left_share = [touching, side](double t) { return side == 0 ? 1 - touching(t) : touching(t); };
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    b.events.push_back(event("touchdown_start_" + n, starts[i], touch_bw * b.weight_n, "N"));
    b.events.push_back(event("touchdown_end_" + n, starts[i] + touch_s, touch_s, "s"));
  }
  return std::make_unique<ScriptedBody>(std::move(b), rate_hz, s.seed);
}

}  // namespace fp::sim
