// Stepping on, standing still and stepping off (double-leg); and an empty plate.
#include "body.hpp"
#include "task_scenarios.hpp"

namespace fp::sim {

std::unique_ptr<Scenario> make_step_on_off(const ScenarioSettings& s, double rate_hz) {
  const std::string name = "step-on-off";
  sample_period(name, rate_hz);
  ParamReader p(name, s.params);
  BodyScript b;
  read_layout(p, s, name, b, 2, false);
  read_sway(p, b, kDoubleLegSway);
  const StepOn on = read_step_on(p, 1.0);
  const double off = p.get("step_off_s", 10.0, 0.0, 3600.0);
  const double off_ramp = p.get("step_off_ramp_s", 0.3, 0.05, 5.0);
  p.finish();
  if (off < on.fully_on()) throw param_error(name, "step_off_s", "must be after step_on_s + ramp_s");

  add_step_on(b, on);
  b.force_bw.add(off, [off, off_ramp](double t) { return 1 - motion::smooth01((t - off) / off_ramp); });
  b.quiet.push_back(QuietWindow{on.fully_on(), off});
  b.events.push_back(event("step_off", off));
  b.events.push_back(event("off_plate", off + off_ramp));
  return std::make_unique<ScriptedBody>(std::move(b), rate_hz, s.seed);
}

namespace {

class Empty final : public Scenario {
 public:
  explicit Empty(double dt) : dt_(dt) {}
  BodyState next() override {
    t_ = static_cast<double>(n_++) * dt_;
    return BodyState{};
  }
  double time_s() const override { return t_; }
  std::vector<TruthEvent> events() const override { return {}; }

 private:
  double dt_;
  std::uint64_t n_ = 0;
  double t_ = 0;
};

}  // namespace

std::unique_ptr<Scenario> make_empty(const ScenarioSettings& s, double rate_hz) {
  const double dt = sample_period("empty", rate_hz);
  ParamReader p("empty", s.params);
  p.finish();
  return std::make_unique<Empty>(dt);
}

}  // namespace fp::sim
