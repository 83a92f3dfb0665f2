#pragma once
// A scripted person: a total vertical force over time (a motion::Timeline), shared between two
// feet that stand on a plate (or beside them), with postural sway of the centre of pressure and a
// small vertical ripple while standing still. The movement scenarios (single-leg stance, landing,
// jumps, hops, stepping on and off) only write the script; this class turns it into samples.
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "forceplate/simulator/scenario.hpp"
#include "motion.hpp"
#include "params.hpp"
#include "sway_process.hpp"

namespace fp::sim {

inline constexpr double kForever = std::numeric_limits<double>::infinity();

struct Foot {
  double x_m = 0, y_m = 0;  // relative to the centre of the foot's plate
  int plate = 0;            // -1: on the floor beside the plates (its load is not measured)
};

// An interval of quiet standing: the vertical ripple is on, faded in and out over kRippleFade_s.
struct QuietWindow {
  double from_s = 0, to_s = kForever;
};
inline constexpr double kRippleFade_s = 0.3;

struct BodyScript {
  double weight_n = 0;
  int plate_count = 1;
  std::array<Foot, 2> feet{};  // [0] left, [1] right
  motion::Timeline force_bw;   // total vertical force, in body weights
  std::function<double(double)> left_share;  // fraction of the force on the left foot (unset: 0.5)
  // The movement's own displacement of the COP (m), e.g. the shake after a landing (unset: none).
  std::function<std::array<double, 2>(double)> cop_offset;
  double sway_ml_m = 0.0025, sway_ap_m = 0.0035, sway_hz = 0.3;
  double ripple_bw = 0.003;
  std::vector<QuietWindow> quiet;
  std::vector<TruthEvent> events;
};

class ScriptedBody final : public Scenario {
 public:
  ScriptedBody(BodyScript script, double rate_hz, std::uint64_t seed);
  BodyState next() override;
  double time_s() const override { return t_; }
  std::vector<TruthEvent> events() const override { return script_.events; }

 private:
  double quiet_weight(double t) const;
  double advance(SwayAxis& axis);  // one sample period, in substeps_ steps

  BodyScript script_;
  double dt_;
  std::mt19937_64 rng_;
  SwayAxis x_, y_, ripple_;
  int substeps_ = 1;
  double ripple_velocity_ = 0;  // the centre of mass's vertical velocity due to the ripple
  std::uint64_t n_ = 0;
  double t_ = 0;
};

// ----- shared parameter handling ----------------------------------------------------------------

// "scenario 'NAME': parameter PARAM WHY".
std::invalid_argument param_error(const std::string& scenario, const std::string& name, const std::string& why);

// The sample period for `rate_hz`; throws std::invalid_argument naming the scenario if the rate
// is not positive and finite.
double sample_period(const std::string& scenario, double rate_hz);

// A parameter that takes one of the integers lo..hi (params are doubles; 1.5 is refused).
int get_int(ParamReader& p, const std::string& scenario, const std::string& name, int fallback, int lo, int hi);

// Sway and ripple, with the scenario's defaults.
struct SwayParams {
  double ml_mm, ap_mm, hz;
};
void read_sway(ParamReader& p, BodyScript& b, SwayParams defaults);

// Where the feet stand (and the body weight and plate count of `b`). Double-leg tasks:
// load_share_left, and stance_width_mm with one plate. Single-leg tasks: side (0 left, 1 right)
// and foot_offset_mm (the stance foot's offset from its plate's centre, positive lateral).
// `legs_param` false: a task that is always done on `legs_default` legs (no legs parameter).
struct Layout {
  int legs = 2;
  int side = 0;             // the stance side of a single-leg task
  double share_left = 0.5;  // double-leg tasks
};
Layout read_layout(ParamReader& p, const ScenarioSettings& s, const std::string& scenario, BodyScript& b,
                   int legs_default, bool legs_param);

// Quiet-stance sway defaults: double-leg and single-leg.
inline constexpr SwayParams kDoubleLegSway{2.5, 3.5, 0.3};
inline constexpr SwayParams kSingleLegSway{5.0, 4.0, 0.6};

// Stepping onto the plate: the load rises smoothly from 0 at step_on_s to body weight at
// step_on_s + ramp_s (the force segment starts the timeline at t = 0).
struct StepOn {
  double at_s = 1.0, ramp_s = 0.6;
  double fully_on() const { return at_s + ramp_s; }
};
StepOn read_step_on(ParamReader& p, double default_at_s);
void add_step_on(BodyScript& b, const StepOn& on);  // the timeline segment and the three events

// Landing parameters (peak_bw, time_to_peak_s, settle_s, cop_shake_mm); `prefix` is "" for the
// landing scenario and "landing_" for the jumps (landing_peak_bw...).
struct LandingParams {
  std::string prefix;
  motion::LandingShape shape;
  double cop_shake_m = 0.015;
};
LandingParams read_landing(ParamReader& p, const std::string& prefix, double default_peak_bw);

// Body weight and common events.
inline TruthEvent event(std::string name, double t, double value = 0, std::string unit = "s") {
  return TruthEvent{std::move(name), t, value, std::move(unit)};
}

// The COP shake after a landing: ML (amplitude shake_ml_m) and AP (0.7 of it) damped oscillations
// at 2.5 and 2.1 Hz with phases from the seed, whose envelope falls to 5 % at the landing's settling
// time, plus a forward shift of 30 mm at touchdown (forefoot first) that relaxes in ~0.15 s.
std::function<std::array<double, 2>(double)> landing_cop(const motion::Landing& landing, double shake_ml_m,
                                                         std::uint64_t seed);

// Adds a landing at `touchdown` from `velocity` (m/s, down) that ends in quiet stance: the force
// segment, the COP shake, the quiet window after settling and the events landing,
// peak_landing_force and settled.
motion::Landing add_landing(BodyScript& b, double touchdown, double velocity, const LandingParams& lp, double dt,
                            const std::string& scenario, std::uint64_t seed);

}  // namespace fp::sim
