#include "body.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace fp::sim {

namespace {

constexpr double kRippleHz = 2.0;  // bandwidth of the centre of mass's vertical micro-movements

}  // namespace

std::invalid_argument param_error(const std::string& scenario, const std::string& name, const std::string& why) {
  return std::invalid_argument("scenario '" + scenario + "': parameter " + name + " " + why);
}

ScriptedBody::ScriptedBody(BodyScript script, double rate_hz, std::uint64_t seed)
    : script_(std::move(script)), dt_(1.0 / rate_hz), rng_(seed) {
  if (!script_.left_share) script_.left_share = [](double) { return 0.5; };
  std::stable_sort(script_.events.begin(), script_.events.end(),
                   [](const TruthEvent& a, const TruthEvent& b) { return a.time_s < b.time_s; });
  x_ = SwayAxis(script_.sway_ml_m, script_.sway_hz, rng_);
  y_ = SwayAxis(script_.sway_ap_m, script_.sway_hz, rng_);
  // The ripple force is m dq/dt with q the ripple's vertical velocity, a smooth process of SD
  // ripple_bw g / omega: its derivative then has an SD of ripple_bw g, and the ripple adds no net
  // impulse (its integral is m times a bounded velocity, zero outside quiet standing).
  ripple_ = SwayAxis(script_.ripple_bw * kGravity / (2 * std::numbers::pi * kRippleHz), kRippleHz, rng_);
  // The processes are integrated with semi-implicit Euler, stable and accurate only for
  // omega dt well below 1: at low rates (the CLI allows 10 Hz) each sample takes several steps.
  const double omega_dt = 2 * std::numbers::pi * std::max(script_.sway_hz, kRippleHz) * dt_;
  substeps_ = std::max(1, static_cast<int>(std::ceil(omega_dt / 0.2)));
}

double ScriptedBody::advance(SwayAxis& axis) {
  double v = 0;
  for (int i = 0; i < substeps_; ++i) v = axis.step(dt_ / substeps_, rng_);
  return v;
}

double ScriptedBody::quiet_weight(double t) const {
  double w = 0;
  for (const QuietWindow& q : script_.quiet) {
    if (t < q.from_s || t > q.to_s) continue;
    double v = motion::smooth01((t - q.from_s) / kRippleFade_s);
    if (std::isfinite(q.to_s)) v *= motion::smooth01((q.to_s - t) / kRippleFade_s);
    w = std::max(w, v);
  }
  return w;
}

BodyState ScriptedBody::next() {
  t_ = static_cast<double>(n_) * dt_;  // never accumulated: sample n is at exactly n dt
  ++n_;
  const double sx = advance(x_);
  const double sy = advance(y_);
  const double q = quiet_weight(t_) * advance(ripple_);
  const double ripple_n = script_.weight_n / kGravity * (q - ripple_velocity_) / dt_;
  ripple_velocity_ = q;

  const double f = script_.force_bw(t_);
  const double fz = f > 0 ? std::max(0.0, f * script_.weight_n + ripple_n) : 0.0;
  const double left = std::clamp(script_.left_share(t_), 0.0, 1.0);
  std::array<double, 2> offset{0, 0};
  if (script_.cop_offset) offset = script_.cop_offset(t_);

  BodyState b;
  std::array<double, kMaxPlates> mx{}, my{};
  for (std::size_t i = 0; i < 2; ++i) {
    const Foot& foot = script_.feet[i];
    if (foot.plate < 0 || foot.plate >= script_.plate_count) continue;
    const double load = fz * (i == 0 ? left : 1 - left);
    const auto k = static_cast<std::size_t>(foot.plate);
    b.plates[k].fz_n += load;
    mx[k] += load * (foot.x_m + sx + offset[0]);
    my[k] += load * (foot.y_m + sy + offset[1]);
  }
  for (std::size_t k = 0; k < kMaxPlates; ++k) {
    if (b.plates[k].fz_n > 0) {
      b.plates[k].cop_x_m = mx[k] / b.plates[k].fz_n;
      b.plates[k].cop_y_m = my[k] / b.plates[k].fz_n;
    }
  }
  return b;
}

// -------------------------------------------------------------------------------------------------

double sample_period(const std::string& scenario, double rate_hz) {
  if (!std::isfinite(rate_hz) || rate_hz <= 0) {
    throw std::invalid_argument("scenario '" + scenario + "': the sample rate must be positive");
  }
  return 1.0 / rate_hz;
}

int get_int(ParamReader& p, const std::string& scenario, const std::string& name, int fallback, int lo, int hi) {
  const double v = p.get(name, fallback, lo, hi);
  if (v != std::round(v)) {
    std::ostringstream msg;
    msg << "= " << v << " must be a whole number (" << lo << " .. " << hi << ")";
    throw param_error(scenario, name, msg.str());
  }
  return static_cast<int>(v);
}

void read_sway(ParamReader& p, BodyScript& b, SwayParams d) {
  b.sway_ml_m = p.get("sway_ml_mm", d.ml_mm, 0.0, 50.0) / 1000;
  b.sway_ap_m = p.get("sway_ap_mm", d.ap_mm, 0.0, 50.0) / 1000;
  b.sway_hz = p.get("sway_frequency_hz", d.hz, 0.05, 5.0);
  b.ripple_bw = p.get("ripple_bw", 0.003, 0.0, 0.05);
}

Layout read_layout(ParamReader& p, const ScenarioSettings& s, const std::string& scenario, BodyScript& b,
                   int legs_default, bool legs_param) {
  Layout l;
  b.weight_n = s.mass_kg * kGravity;
  b.plate_count = s.plate_count;
  l.legs = legs_param ? get_int(p, scenario, "legs", legs_default, 1, 2) : legs_default;
  auto refuse = [&](const char* name, const char* why) {
    if (s.params.count(name)) throw param_error(scenario, name, why);
  };
  if (l.legs == 1) {
    refuse("load_share_left", "applies to double-leg tasks (legs = 2)");
    refuse("stance_width_mm", "applies to double-leg tasks (legs = 2)");
    l.side = get_int(p, scenario, "side", 0, 0, 1);
    const double offset = p.get("foot_offset_mm", 0.0, -150.0, 150.0) / 1000;
    const double lateral = l.side == 0 ? -1.0 : 1.0;
    const auto stance = static_cast<std::size_t>(l.side);
    b.feet[stance] = Foot{lateral * offset, 0, s.plate_count == 2 ? l.side : 0};
    // The lifted foot: on its own plate with two plates, 200 mm to the other side with one.
    b.feet[1 - stance] = s.plate_count == 2 ? Foot{0, 0, 1 - l.side} : Foot{lateral * offset - lateral * 0.2, 0, 0};
    l.share_left = l.side == 0 ? 1.0 : 0.0;
  } else {
    refuse("side", "applies to single-leg tasks (legs = 1)");
    refuse("foot_offset_mm", "applies to single-leg tasks (legs = 1)");
    l.share_left = p.get("load_share_left", 0.5, 0.0, 1.0);
    const double width = p.get("stance_width_mm", 200.0, 0.0, 400.0) / 1000;
    if (s.plate_count == 2) {
      b.feet = {Foot{0, 0, 0}, Foot{0, 0, 1}};
    } else {
      b.feet = {Foot{-width / 2, 0, 0}, Foot{width / 2, 0, 0}};
    }
  }
  const double share = l.share_left;
  b.left_share = [share](double) { return share; };
  return l;
}

StepOn read_step_on(ParamReader& p, double default_at_s) {
  StepOn on;
  on.at_s = p.get("step_on_s", default_at_s, 0.0, 3600.0);
  on.ramp_s = p.get("ramp_s", 0.6, 0.05, 5.0);
  return on;
}

void add_step_on(BodyScript& b, const StepOn& on) {
  b.force_bw.add(0, [on](double t) { return motion::smooth01((t - on.at_s) / on.ramp_s); });
  b.events.push_back(event("step_on", on.at_s));
  b.events.push_back(event("fully_on", on.fully_on()));
  b.events.push_back(event("body_weight", on.fully_on(), b.weight_n, "N"));
}

LandingParams read_landing(ParamReader& p, const std::string& prefix, double default_peak_bw) {
  LandingParams l;
  l.prefix = prefix;
  l.shape.peak_bw = p.get(prefix + "peak_bw", default_peak_bw, 2.0, 6.0);
  l.shape.time_to_peak_s = p.get(prefix + "time_to_peak_s", 0.05, 0.02, 0.1);
  l.shape.settle_s = p.get(prefix + "settle_s", 1.5, 0.5, 3.0);
  l.cop_shake_m = p.get(prefix + "cop_shake_mm", 15.0, 0.0, 50.0) / 1000;
  return l;
}

std::function<std::array<double, 2>(double)> landing_cop(const motion::Landing& landing, double shake_ml_m,
                                                         std::uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::uniform_real_distribution<double> phase(0, 2 * std::numbers::pi);
  const double px = phase(rng), py = phase(rng);
  const double t0 = landing.touchdown();
  const double decay = (landing.settled() - t0) / std::log(20.0);  // 5 % at settling
  return [=](double t) -> std::array<double, 2> {
    const double u = t - t0;
    if (u < 0) return {0, 0};
    const double env = shake_ml_m * std::exp(-u / decay);
    const double w = 2 * std::numbers::pi * u;
    return {env * std::sin(2.5 * w + px), 0.7 * env * std::sin(2.1 * w + py) + 0.03 * std::exp(-u / 0.15)};
  };
}

motion::Landing add_landing(BodyScript& b, double touchdown, double velocity, const LandingParams& lp, double dt,
                            const std::string& scenario, std::uint64_t seed) {
  const motion::Landing landing(touchdown, velocity, lp.shape, dt, scenario, lp.prefix);
  b.force_bw.add(touchdown, [landing](double t) { return landing.force_bw(t); });
  auto before = b.cop_offset;
  auto after = landing_cop(landing, lp.cop_shake_m, seed);
  b.cop_offset = [before, after, touchdown](double t) -> std::array<double, 2> {
    if (t >= touchdown) return after(t);
    return before ? before(t) : std::array<double, 2>{0, 0};
  };
  b.quiet.push_back(QuietWindow{landing.settled(), kForever});
  b.events.push_back(event("landing", touchdown));
  b.events.push_back(event("peak_landing_force", landing.peak_time(), landing.peak_bw() * b.weight_n, "N"));
  b.events.push_back(event("settled", landing.settled()));
  return landing;
}

}  // namespace fp::sim
