#include "forceplate/analysis/jump_events.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "checks.hpp"

namespace fp::analysis {

namespace {

constexpr const char* where = "detect_jump_events";

struct Stats {
  double mean = 0;
  double sd = 0;
};

Stats stats(std::span<const double> f, std::size_t b, std::size_t e) {
  double sum = 0;
  for (std::size_t i = b; i < e; ++i) sum += f[i];
  const double mean = sum / static_cast<double>(e - b);
  double sq = 0;  // second pass: exact 0 for a constant force
  for (std::size_t i = b; i < e; ++i) sq += (f[i] - mean) * (f[i] - mean);
  return {mean, std::sqrt(sq / static_cast<double>(e - b))};
}

struct Run {
  std::size_t begin = 0, end = 0;  // [begin, end) below the threshold
};

// The first run of at least min_len samples below `threshold` with loaded samples on both sides
// (a run touching the start or the end of the trial is the empty plate, not a flight).
bool find_flight(std::span<const double> f, double threshold, std::size_t min_len, Run& out) {
  const std::size_t n = f.size();
  std::size_t i = 0;
  while (i < n && f[i] < threshold) ++i;  // empty plate before stepping on
  while (i < n) {
    while (i < n && f[i] >= threshold) ++i;
    const std::size_t b = i;
    while (i < n && f[i] < threshold) ++i;
    if (i == n) return false;  // stepped off: unloaded to the end
    if (i - b >= min_len) {
      out = {b, i};
      return true;
    }
  }
  return false;
}

// Unloaded runs (below the detection threshold) other than the flight, from the weighing phase to
// the final step-off: each is a second flight or a double contact.
void check_single_clean_jump(std::span<const double> f, const JumpEvents& ev,
                             const JumpEventOptions& o, std::size_t min_flight,
                             std::size_t landing_hold) {
  const std::size_t n = f.size();
  const double thr = ev.flight_threshold_n;
  const double rate = ev.rate_hz;
  const auto at = [&](std::size_t i) { return detail::str(static_cast<double>(i) / rate) + " s"; };
  // The landing must be held: the plate may not unload for good within landing_hold_s.
  // First sample of the final unloading (n: loaded to the end). A foot leaving the plate can touch
  // it again briefly: loaded fragments shorter than min_flight inside the step-off belong to it.
  std::size_t off = n;
  for (;;) {
    std::size_t k = off;
    while (k > ev.landing && f[k - 1] < thr) --k;
    if (k == off && off < n) break;
    std::size_t loaded = k;
    while (loaded > ev.landing && f[loaded - 1] >= thr) --loaded;
    off = k;
    if (k == n || k - loaded >= min_flight || loaded <= ev.landing) break;
    off = loaded;  // a brief touch: keep walking back through the step-off
  }
  if (off < n && off - ev.landing < landing_hold) {
    detail::fail(where, "stepped off the plate " +
                            detail::str(static_cast<double>(off - ev.landing) / rate) +
                            " s after landing (at " + at(off) + "), before the landing " +
                            "was held for " + detail::str(o.landing_hold_s) + " s");
  }
  std::size_t i = 0;
  while (i < n && f[i] < thr) ++i;  // empty plate before stepping on
  while (i < n) {
    while (i < n && f[i] >= thr) ++i;
    const std::size_t b = i;
    while (i < n && f[i] < thr) ++i;
    if (i == n || b >= off) break;  // the final step-off
    if (b <= ev.landing && i >= ev.takeoff) continue;  // the flight itself
    // Stepping on (and off and on again) before the weighing phase is not part of the test.
    if (i < ev.quiet_begin) continue;
    if (i - b >= min_flight) {
      detail::fail(where, "more than one flight: the plate is also unloaded " + at(b) + " - " +
                              at(i) + " (one jump per trial)");
    }
    detail::fail(where, "double contact: the force dropped below " + detail::str(thr) +
                            " N for " +
                            detail::str(1e3 * static_cast<double>(i - b) / rate) + " ms at " +
                            at(b) + " (a stumble or a hop; redo the trial)");
  }
}

}  // namespace

JumpEvents detect_jump_events(std::span<const double> f, double rate_hz,
                              const JumpEventOptions& o) {
  detail::check_rate(where, rate_hz);
  if (rate_hz < 100 || rate_hz > 2000) {
    detail::fail(where, "sampling rate " + detail::str(rate_hz) +
                            " Hz is outside 100 Hz - 2 kHz (jump events need >= 100 Hz)");
  }
  detail::check_duration(where, f.size(), rate_hz, 1.0, 100);
  detail::check_finite(where, "fz", f);
  const std::size_t n = f.size();
  const auto samples = [&](double s) {
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(s * rate_hz)));
  };

  JumpEvents ev;
  ev.rate_hz = rate_hz;

  // 1. Flight: provisional run below the minimum threshold, then the threshold from its noise.
  const std::size_t min_flight = samples(o.min_flight_s);
  Run run;
  if (!find_flight(f, o.flight_threshold_min_n, min_flight, run)) {
    detail::fail(where, "no flight phase: the force never stays below " +
                            detail::str(o.flight_threshold_min_n) + " N for " +
                            detail::str(o.min_flight_s) +
                            " s between loaded samples (not a jump, or the plate is not zeroed)");
  }
  {
    const std::size_t len = run.end - run.begin;  // noise from the middle half of the flight
    const Stats noise = stats(f, run.begin + len / 4, run.end - len / 4);
    ev.flight_threshold_n =
        std::max(o.flight_threshold_min_n, noise.mean + o.flight_noise_sd * noise.sd);
    const std::size_t mid = run.begin + len / 2;
    std::size_t b = mid, e = mid;
    while (b > 0 && f[b - 1] < ev.flight_threshold_n) --b;
    while (e < n && f[e] < ev.flight_threshold_n) ++e;
    if (b == 0 || e == n) detail::fail(where, "no flight phase: the flight reaches the trial's end");
    // The threshold is crossed while the force is still falling to (or rising from) zero: the
    // take-off is where the force enters the flight noise (mean + noise_band_sd x SD), the landing
    // where it leaves it. Without this, a 20 N threshold makes the flight several ms too long and
    // cuts the push short (take-off velocity too high).
    ev.flight_band_n = noise.mean + o.noise_band_sd * noise.sd;
    while (b < e && f[b] > ev.flight_band_n) ++b;
    while (e > b && f[e - 1] > ev.flight_band_n) --e;
    ev.takeoff = b;
    ev.landing = e;
  }

  // 2. Weighing phase before take-off.
  std::vector<double> loaded;
  for (const double v : f) {
    if (v >= ev.flight_threshold_n) loaded.push_back(v);
  }
  const auto mid_it = loaded.begin() + static_cast<std::ptrdiff_t>(loaded.size() / 2);
  std::nth_element(loaded.begin(), mid_it, loaded.end());
  const double min_mean = o.loaded_fraction * *mid_it;

  std::vector<double> s1(ev.takeoff + 1, 0.0), s2(ev.takeoff + 1, 0.0);  // prefix sums
  const double ref = *mid_it;  // shifted sums keep the variance accurate
  for (std::size_t i = 0; i < ev.takeoff; ++i) {
    s1[i + 1] = s1[i] + (f[i] - ref);
    s2[i + 1] = s2[i] + (f[i] - ref) * (f[i] - ref);
  }
  bool found = false;
  double window_s = o.quiet_window_s;
  double best_sd = std::numeric_limits<double>::infinity();
  for (;;) {
    const std::size_t w = samples(window_s);
    std::size_t best = 0;
    best_sd = std::numeric_limits<double>::infinity();
    for (std::size_t b = 0; b + w <= ev.takeoff; ++b) {
      const double m = (s1[b + w] - s1[b]) / static_cast<double>(w);
      if (m + ref <= min_mean) continue;
      const double var = (s2[b + w] - s2[b]) / static_cast<double>(w) - m * m;
      const double sd = std::sqrt(std::max(0.0, var));
      if (sd < best_sd) {
        best_sd = sd;
        best = b;
      }
    }
    if (std::isfinite(best_sd)) {
      const Stats q = stats(f, best, best + w);  // exact (two-pass) for the chosen window
      if (q.sd <= o.quiet_max_sd_fraction * q.mean) {
        ev.quiet_begin = best;
        ev.quiet_end = best + w;
        ev.body_weight_n = q.mean;
        ev.body_weight_sd_n = q.sd;
        found = true;
        break;
      }
    }
    if (window_s <= o.min_quiet_window_s) break;
    window_s = std::max(o.min_quiet_window_s, window_s / 2);
  }
  if (!found) {
    detail::fail(where, "no quiet weighing phase before take-off: no window of " +
                            detail::str(o.min_quiet_window_s) + " s or more with mean above " +
                            detail::str(min_mean) + " N has SD <= " +
                            detail::str(100 * o.quiet_max_sd_fraction) + " % of its mean");
  }
  if (window_s < o.quiet_window_s) {
    ev.warnings.push_back("weighing phase shorter than " + detail::str(o.quiet_window_s) +
                          " s: body weight from " + detail::str(window_s) + " s of stance");
  }

  // 3. Movement onset.
  const double band = o.onset_sd * ev.body_weight_sd_n;
  std::size_t i = ev.quiet_end;
  while (i < ev.takeoff && std::abs(f[i] - ev.body_weight_n) <= band) ++i;
  if (i >= ev.takeoff) {
    detail::fail(where, "no movement between the weighing phase and take-off");
  }
  const double side = f[i] > ev.body_weight_n ? 1.0 : -1.0;
  while (i > ev.quiet_begin && (f[i - 1] - ev.body_weight_n) * side > 0) --i;
  ev.onset = i;

  // 4. The weighing window grows to all of the still stance around it (back to the first sample
  // beyond the band, forward to onset): a swaying person's centre of mass accelerates up and down,
  // and the mean force over a longer still period is closer to m g (the net impulse between two
  // moments at rest is zero). Body weight and SD are recomputed over the whole window.
  std::size_t b = ev.quiet_begin;
  while (b > 0 && std::abs(f[b - 1] - ev.body_weight_n) <= band) --b;
  if (ev.onset > b + 1) {
    ev.quiet_begin = b;
    ev.quiet_end = ev.onset;
    const Stats q = stats(f, ev.quiet_begin, ev.quiet_end);
    ev.body_weight_n = q.mean;
    ev.body_weight_sd_n = q.sd;
  }

  // 5. A trial that is not one clean jump is not scored: a second flight (two jumps), a brief
  // unloading around the jump (a double contact: a stumble or a hop on landing) or a step off the
  // plate before the landing is over.
  check_single_clean_jump(f, ev, o, samples(o.min_flight_s), samples(o.landing_hold_s));

  // 6. Landing peak.
  const std::size_t stop = std::min(n, ev.landing + samples(o.landing_window_s));
  ev.peak_landing = ev.landing;
  std::size_t k = ev.landing;
  while (k < stop && f[k] < ev.flight_threshold_n) ++k;  // the rise from the noise band
  for (; k < stop && f[k] >= ev.flight_threshold_n; ++k) {
    if (f[k] > f[ev.peak_landing]) ev.peak_landing = k;
  }
  ev.peak_landing_force_n = f[ev.peak_landing];
  return ev;
}

}  // namespace fp::analysis
