// Hop-and-stick or drop landing: off the plate, then a landing from drop_height_m that is held
// in quiet stance (single-leg by default).
#include <cmath>

#include "body.hpp"
#include "task_scenarios.hpp"

namespace fp::sim {

std::unique_ptr<Scenario> make_landing(const ScenarioSettings& s, double rate_hz) {
  const std::string name = "landing";
  const double dt = sample_period(name, rate_hz);
  ParamReader p(name, s.params);
  BodyScript b;
  const Layout layout = read_layout(p, s, name, b, 1, true);
  read_sway(p, b, layout.legs == 1 ? kSingleLegSway : kDoubleLegSway);
  const double touchdown = p.get("landing_at_s", 2.0, 0.0, 3600.0);
  const double drop = p.get("drop_height_m", 0.30, 0.05, 1.0);
  const LandingParams lp = read_landing(p, "", 3.5);
  p.finish();

  const double v = std::sqrt(2 * kGravity * drop);
  b.force_bw.add(0, [](double) { return 0.0; });
  const motion::Landing landing = add_landing(b, touchdown, v, lp, dt, name, s.seed);
  b.events.push_back(event("impact_velocity", touchdown, v, "m/s"));
  b.events.push_back(event("body_weight", landing.settled(), b.weight_n, "N"));
  return std::make_unique<ScriptedBody>(std::move(b), rate_hz, s.seed);
}

}  // namespace fp::sim
