#include "forceplate/analysis/jump_limbs.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "checks.hpp"

namespace fp::analysis {

namespace {

// Of magnitudes: the unweighting impulse is negative, and the larger limb is the one that
// contributes more to the phase.
double asymmetry(double left, double right) {
  const double l = std::abs(left), r = std::abs(right);
  const double m = std::max(l, r);
  return m > 0 ? (r - l) / m * 100 : 0.0;
}

void add_pair(std::vector<Measure>& out, const std::string& name, double l, double r, Unit unit) {
  out.push_back({name + "_left", l, unit});
  out.push_back({name + "_right", r, unit});
  out.push_back({name + "_asymmetry", asymmetry(l, r), Unit::percent});
}

double max_over(std::span<const double> f, std::size_t b, std::size_t e) {
  double m = f[b];
  for (std::size_t i = b; i < e; ++i) m = std::max(m, f[i]);
  return m;
}

}  // namespace

void add_limb_asymmetry(DropJumpResult& jump, double rate_hz, std::span<const double> left,
                        std::span<const double> right) {
  const Phase& contact = jump.segments.phases.at(jump.contact_phase);
  if (left.size() != right.size() || left.size() < contact.end || left.size() <= jump.peak_landing) {
    detail::fail("add_limb_asymmetry", "the two plates hold " + std::to_string(left.size()) + " and " +
                                           std::to_string(right.size()) +
                                           " samples; they must both cover the whole drop jump");
  }
  auto& out = jump.result.measures;
  double l = 0, r = 0;
  for (std::size_t i = contact.begin; i < contact.end; ++i) {
    l += left[i] / rate_hz;
    r += right[i] / rate_hz;
  }
  add_pair(out, "contact_impulse", l, r, Unit::newton_second);
  add_pair(out, "peak_contact_force", max_over(left, contact.begin, contact.end),
           max_over(right, contact.begin, contact.end), Unit::newton);
  const auto landing = static_cast<std::size_t>(std::lround(jump.landing_s * rate_hz));
  const std::size_t end =
      std::min(left.size(), landing + static_cast<std::size_t>(std::lround(0.3 * rate_hz)));
  if (landing < end) {
    add_pair(out, "peak_landing_force", max_over(left, landing, end), max_over(right, landing, end),
             Unit::newton);
  }
  jump.result.processing.push_back(
      "limbs: plate 0 left, plate 1 right; contact impulse of each limb's whole force; asymmetry "
      "(|right| - |left|) / max x 100");
}

void add_limb_asymmetry(JumpResult& jump, std::span<const double> left, std::span<const double> right) {
  const JumpEvents& ev = jump.events;
  if (left.size() != right.size() || left.size() <= ev.peak_landing) {
    detail::fail("add_limb_asymmetry", "the two plates hold " + std::to_string(left.size()) + " and " +
                                           std::to_string(right.size()) +
                                           " samples; they must both cover the whole jump");
  }
  const double dt = 1.0 / ev.rate_hz;
  // Each limb's weight: its mean over the weighing window, so that a person who stands unevenly
  // shows the same asymmetry in every phase as in standing, and left + right is the total.
  double bw_l = 0, bw_r = 0;
  for (std::size_t i = ev.quiet_begin; i < ev.quiet_end; ++i) {
    bw_l += left[i];
    bw_r += right[i];
  }
  bw_l /= static_cast<double>(ev.quiet_end - ev.quiet_begin);
  bw_r /= static_cast<double>(ev.quiet_end - ev.quiet_begin);
  auto& out = jump.result.measures;
  out.push_back({"body_weight_left", bw_l, Unit::newton});
  out.push_back({"body_weight_right", bw_r, Unit::newton});
  const auto& v = jump.velocity;  // from onset to take-off
  // Phase boundaries as analyze_jump sets them: lowest velocity, velocity back to zero.
  const auto vmin_it = std::min_element(v.begin(), v.end());
  std::size_t vmin = static_cast<std::size_t>(vmin_it - v.begin());
  std::size_t zero = vmin;
  if (*vmin_it < 0) {
    while (zero < v.size() - 1 && v[zero] < 0) ++zero;
  } else {
    vmin = zero = 0;
  }
  struct JumpPhase {
    const char* name;
    std::size_t begin, end;  // samples [begin, end)
  };
  const JumpPhase phases[] = {{"unweighting", ev.onset, ev.onset + vmin},
                          {"braking", ev.onset + vmin, ev.onset + zero},
                          {"propulsion", ev.onset + zero, ev.takeoff},
                          {"landing", ev.landing, ev.peak_landing + 1}};
  for (const JumpPhase& p : phases) {
    if (p.end <= p.begin) continue;
    double l = 0, r = 0;
    for (std::size_t i = p.begin; i < p.end; ++i) {  // left rectangles, as analyze_jump
      l += (left[i] - bw_l) * dt;
      r += (right[i] - bw_r) * dt;
    }
    const std::string n = std::string(p.name) + "_impulse";
    out.push_back({n + "_left", l, Unit::newton_second});
    out.push_back({n + "_right", r, Unit::newton_second});
    out.push_back({n + "_asymmetry", asymmetry(l, r), Unit::percent});
  }
  const auto peak = [&](const char* name, std::size_t b, std::size_t e) {
    if (e <= b) return;
    const double l = *std::max_element(left.begin() + static_cast<std::ptrdiff_t>(b),
                                       left.begin() + static_cast<std::ptrdiff_t>(e));
    const double r = *std::max_element(right.begin() + static_cast<std::ptrdiff_t>(b),
                                       right.begin() + static_cast<std::ptrdiff_t>(e));
    out.push_back({std::string(name) + "_left", l, Unit::newton});
    out.push_back({std::string(name) + "_right", r, Unit::newton});
    out.push_back({std::string(name) + "_asymmetry", asymmetry(l, r), Unit::percent});
  };
  peak("peak_propulsive_force", ev.onset + zero, ev.takeoff);
  // Each limb's own landing peak within the landing window (the feet need not peak together).
  const auto window = static_cast<std::size_t>(std::lround(0.3 * ev.rate_hz));
  peak("peak_landing_force", ev.landing, std::min(left.size(), ev.landing + window));
  jump.result.processing.push_back(
      "limbs: plate 0 left, plate 1 right; impulses of F_limb - (the limb's mean in the weighing "
      "window) over each phase of the total force; asymmetry (|right| - |left|) / max x 100");
}

}  // namespace fp::analysis
