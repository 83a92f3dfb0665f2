// Quiet double-leg stance after stepping on.
#include <algorithm>
#include <cmath>
#include <random>

#include "params.hpp"
#include "scenarios.hpp"
#include "sway_process.hpp"

namespace fp::sim {

namespace {

class QuietStance final : public Scenario {
 public:
  QuietStance(const ScenarioSettings& s, double rate_hz) : dt_(1.0 / rate_hz), plates_(s.plate_count), rng_(s.seed) {
    ParamReader p("quiet-stance", s.params);
    step_on_s_ = p.get("step_on_s", 1.0, 0.0, 3600.0);
    ramp_s_ = p.get("ramp_s", 0.6, 0.05, 5.0);
    const double sd_ml = p.get("sway_ml_mm", 2.5, 0.0, 50.0) / 1000;
    const double sd_ap = p.get("sway_ap_mm", 3.5, 0.0, 50.0) / 1000;
    // The sway process is stepped once per sample: keep its frequency well below the rate.
    const double f = p.get("sway_frequency_hz", 0.3, 0.05, std::min(5.0, rate_hz / 20));
    cx_ = p.get("stance_x_mm", 0.0, -200.0, 200.0) / 1000;
    cy_ = p.get("stance_y_mm", 0.0, -200.0, 200.0) / 1000;
    p.finish();
    weight_n_ = s.mass_kg * kGravity;
    x_ = SwayAxis(sd_ml, f, rng_);
    y_ = SwayAxis(sd_ap, f, rng_);
  }

  BodyState next() override {
    if (started_) t_ += dt_;
    started_ = true;
    const double x = cx_ + x_.step(dt_, rng_);
    const double y = cy_ + y_.step(dt_, rng_);
    // Vertical ripple from the body's centre-of-mass accelerations: about 0.3 % of body weight.
    ripple_ += -ripple_ * 2.0 * dt_ + 0.003 * std::sqrt(4.0 * dt_) * normal_(rng_);
    const double on = std::clamp((t_ - step_on_s_) / ramp_s_, 0.0, 1.0);
    const double fz = on * weight_n_ * (1.0 + ripple_);
    BodyState b;
    if (plates_ == 1) {
      b.plates[0] = PlateLoad{fz, x, y};
    } else {
      // One foot per plate, each carrying half; each plate sees the sway about its own centre.
      b.plates[0] = PlateLoad{fz / 2, x, y};
      b.plates[1] = PlateLoad{fz / 2, x, y};
    }
    return b;
  }

  double time_s() const override { return t_; }

  std::vector<TruthEvent> events() const override {
    return {{"step_on", step_on_s_, 0, "s"}, {"fully_on", step_on_s_ + ramp_s_, 0, "s"},
            {"body_weight", step_on_s_ + ramp_s_, weight_n_, "N"}};
  }

 private:
  double dt_;
  int plates_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  double step_on_s_ = 1, ramp_s_ = 0.6, cx_ = 0, cy_ = 0, weight_n_ = 0;
  SwayAxis x_, y_;
  double ripple_ = 0;
  double t_ = 0;
  bool started_ = false;
};

}  // namespace

std::unique_ptr<Scenario> make_quiet_stance(const ScenarioSettings& s, double rate_hz) {
  return std::make_unique<QuietStance>(s, rate_hz);
}

}  // namespace fp::sim
