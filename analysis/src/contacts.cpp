#include "forceplate/analysis/contacts.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include "checks.hpp"

namespace fp::analysis {

namespace {

constexpr const char* where = "segment_contacts";

struct Run {
  bool loaded = false;
  std::size_t begin = 0, end = 0;  // [begin, end)
  std::size_t size() const { return end - begin; }
};

std::vector<Run> runs_of(std::span<const double> f, double threshold) {
  std::vector<Run> runs;
  for (std::size_t i = 0; i < f.size();) {
    const bool loaded = f[i] >= threshold;
    std::size_t j = i;
    while (j < f.size() && (f[j] >= threshold) == loaded) ++j;
    runs.push_back({loaded, i, j});
    i = j;
  }
  return runs;
}

// Joins neighbouring runs of the same kind (after some were relabelled).
void coalesce(std::vector<Run>& runs) {
  std::vector<Run> out;
  for (const Run& r : runs) {
    if (!out.empty() && out.back().loaded == r.loaded) {
      out.back().end = r.end;
    } else {
      out.push_back(r);
    }
  }
  runs.swap(out);
}

double mean_of(std::span<const double> f, std::size_t b, std::size_t e) {
  double s = 0;
  for (std::size_t i = b; i < e; ++i) s += f[i];
  return s / static_cast<double>(e - b);
}

double sd_of(std::span<const double> f, std::size_t b, std::size_t e, double mean) {
  double s = 0;  // second pass: exactly 0 for a constant force
  for (std::size_t i = b; i < e; ++i) s += (f[i] - mean) * (f[i] - mean);
  return std::sqrt(s / static_cast<double>(e - b));
}

// The instant (in samples, fractional) at which the force leaves the flight noise at one edge of
// a contact. `first` is the loaded sample next to the unloaded side; dir = +1 when the force rises
// with the index (touchdown), -1 when it falls (take-off). The search may look outward up to
// `lim_out` and inward up to `lim_in` (both inclusive, inside the trace).
double refine_edge(std::span<const double> f, std::ptrdiff_t first, std::ptrdiff_t dir,
                   std::ptrdiff_t lim_out, std::ptrdiff_t lim_in, double base, double sd,
                   double threshold) {
  const auto at = [&](std::ptrdiff_t k) { return f[static_cast<std::size_t>(k)] - base; };
  // Bracket: the edge lies between the last sample (walking outward from `first`) clearly above
  // the noise (mean + 3 SD) and the first sample at or below the noise mean - 1 SD. Without noise
  // these are the last sample above 0 and the first at 0: exact to one sample. With noise a sample
  // near the edge can read either way, so the bracket widens by the noise and the fit decides.
  std::ptrdiff_t lo = first - dir;
  while (lo != lim_out && at(lo) > -sd) lo -= dir;
  std::ptrdiff_t in = first;
  while (in - dir != lo && at(in - dir) > 3 * sd) in -= dir;

  // Samples fitted: from the outer bracket (a few more outward, for the flat part of the model)
  // inward to the first sample above 8 x the threshold (above the noise mean), with at least
  // three above the threshold; close to zero, where an onset is a power law. Coordinate t in
  // samples from `first`, growing into the contact.
  constexpr std::ptrdiff_t extra_out = 4;
  constexpr std::size_t max_points = 96;
  const double upper = 8 * (threshold - base);
  std::ptrdiff_t start = lo;
  for (std::ptrdiff_t j = 0; j < extra_out && start != lim_out; ++j) start -= dir;
  double ts[max_points] = {}, gs[max_points] = {};
  std::size_t m = 0, loaded = 0;
  double peak = 0;
  for (std::ptrdiff_t k = start;; k += dir) {
    const double g = at(k);
    if (loaded >= 3 && g > upper) break;
    // An impact spike followed by a dip (the real drop jump's landing) is not a power law: the
    // fit stops at the first clear fall.
    if (loaded >= 1 && g < peak - std::max(3 * sd, 0.1 * peak)) break;
    peak = std::max(peak, g);
    ts[m] = static_cast<double>((k - first) * dir);
    gs[m] = g;
    ++m;
    if (g >= threshold - base) ++loaded;
    if (k == lim_in || m == max_points) break;
  }
  const double t_lo = static_cast<double>((lo - first) * dir);  // outer bracket
  const double t_in = static_cast<double>((in - first) * dir);  // inner bracket

  // Least squares in force (the noise is the same at every force level) of
  // F = a max(0, t - t0)^p: for given p and t0, a is linear; t0 is searched over the bracket on
  // a quarter-sample grid and refined by golden section; p from 1 (a linear onset: a rebound, an
  // impact) to 2 (a smooth sin^2 onset: a soft landing, the end of a push).
  // x^p for p = 1, 1.25, 1.5, 1.75, 2 by square roots (pow is the cost of the whole analysis).
  const auto power = [](int step, double x) {
    switch (step) {
      case 0:
        return x;
      case 1:
        return x * std::sqrt(std::sqrt(x));
      case 2:
        return x * std::sqrt(x);
      case 3:
        return x * std::sqrt(x) * std::sqrt(std::sqrt(x));
      default:
        return x * x;
    }
  };
  const auto misfit = [&](int step, double t0) {
    double gh = 0, hh = 0, gg = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const double h = ts[i] > t0 ? power(step, ts[i] - t0) : 0.0;
      gh += gs[i] * h;
      hh += h * h;
      gg += gs[i] * gs[i];
    }
    return hh > 0 ? gg - gh * gh / hh : gg;
  };
  constexpr double grid = 0.25;  // samples
  double best = std::numeric_limits<double>::infinity();
  double t0 = t_in;
  for (int step = 0; step <= 4; ++step) {
    double tb = t_lo, eb = std::numeric_limits<double>::infinity();
    for (double t = t_lo; t <= t_in + 1e-9; t += grid) {
      const double e = misfit(step, t);
      if (e < eb) {
        eb = e;
        tb = t;
      }
    }
    double l = std::max(t_lo, tb - grid), r = std::min(t_in, tb + grid);
    constexpr double phi = 0.6180339887498949;
    for (int it = 0; it < 24; ++it) {
      const double c1 = r - phi * (r - l), c2 = l + phi * (r - l);
      if (misfit(step, c1) < misfit(step, c2)) {
        r = c2;
      } else {
        l = c1;
      }
    }
    const double tr = 0.5 * (l + r);
    const double er = misfit(step, tr);
    if (std::min(er, eb) < best) {
      best = std::min(er, eb);
      t0 = er < eb ? tr : tb;
    }
  }
  return static_cast<double>(first) + static_cast<double>(dir) * t0;
}

}  // namespace

const char* to_string(PhaseKind k) {
  switch (k) {
    case PhaseKind::off_plate:
      return "off-plate";
    case PhaseKind::contact:
      return "contact";
    case PhaseKind::flight:
      return "flight";
  }
  return "?";
}

Segmentation segment_contacts(std::span<const double> f, double rate_hz, const ContactOptions& o) {
  detail::check_rate(where, rate_hz);
  if (rate_hz < 100 || rate_hz > 2000) {
    detail::fail(where, "sampling rate " + detail::str(rate_hz) +
                            " Hz is outside 100 Hz - 2 kHz (contact times need >= 100 Hz)");
  }
  detail::check_duration(where, f.size(), rate_hz, 0.0, 100);
  detail::check_finite(where, "fz", f);
  const auto samples = [&](double s) {
    return static_cast<std::size_t>(std::max(0L, std::lround(s * rate_hz)));
  };
  const std::size_t n = f.size();
  const std::size_t min_flight = std::max<std::size_t>(1, samples(o.min_flight_s));
  const std::size_t chatter = samples(o.chatter_s);

  Segmentation seg;
  seg.rate_hz = rate_hz;

  // 1. Threshold from the noise of the unloaded plate: the longest run below the minimum
  // threshold (the empty plate before or after, or a flight; both are the plate's own noise).
  {
    const std::vector<Run> prov = runs_of(f, o.threshold_min_n);
    const Run* longest = nullptr;
    for (const Run& r : prov) {
      if (!r.loaded && r.size() >= min_flight &&
          (longest == nullptr || r.size() > longest->size())) {
        longest = &r;
      }
    }
    if (longest != nullptr) {
      const std::size_t q = longest->size() / 4;
      seg.noise_mean_n = mean_of(f, longest->begin + q, longest->end - q);
      seg.noise_sd_n = sd_of(f, longest->begin + q, longest->end - q, seg.noise_mean_n);
    }
    seg.threshold_n =
        std::max(o.threshold_min_n, seg.noise_mean_n + o.threshold_noise_sd * seg.noise_sd_n);
  }

  // 2. Runs; bridge chatter gaps inside contacts, then drop loaded spikes.
  std::vector<Run> runs = runs_of(f, seg.threshold_n);
  for (std::size_t i = 1; i + 1 < runs.size(); ++i) {
    if (!runs[i].loaded && runs[i].size() < chatter) {
      runs[i].loaded = true;
      ++seg.chatter_gaps;
    }
  }
  coalesce(runs);
  for (Run& r : runs) {
    if (r.loaded && r.size() < chatter) {
      r.loaded = false;
      ++seg.spikes;
    }
  }
  coalesce(runs);

  // 3. Classify the unloaded runs; double contacts are merged into their contact and listed.
  std::vector<Phase> phases;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    Phase p;
    p.begin = r.begin;
    p.end = r.end;
    if (r.loaded) {
      p.kind = PhaseKind::contact;
    } else if (i == 0 || i + 1 == runs.size()) {
      p.kind = PhaseKind::off_plate;
    } else if (r.size() < min_flight) {
      seg.double_contacts.push_back({r.begin, r.end, static_cast<double>(r.size()) / rate_hz});
      p.kind = PhaseKind::contact;
    } else if (static_cast<double>(r.size()) / rate_hz > o.max_flight_s) {
      p.kind = PhaseKind::off_plate;
    } else {
      p.kind = PhaseKind::flight;
    }
    if (!phases.empty() && phases.back().kind == PhaseKind::contact &&
        p.kind == PhaseKind::contact) {
      phases.back().end = p.end;
    } else {
      phases.push_back(p);
    }
  }

  // 4. Edge instants.
  for (Phase& p : phases) {
    p.begin_s = static_cast<double>(p.begin) / rate_hz;
    p.end_s = static_cast<double>(p.end) / rate_hz;
  }
  const auto sn = static_cast<std::ptrdiff_t>(n);
  for (std::size_t i = 0; i < phases.size(); ++i) {
    Phase& c = phases[i];
    if (c.kind != PhaseKind::contact) continue;
    const auto b = static_cast<std::ptrdiff_t>(c.begin);
    const auto e = static_cast<std::ptrdiff_t>(c.end);
    const std::ptrdiff_t half = std::max<std::ptrdiff_t>(1, (e - b) / 2);
    if (i > 0) {
      const auto out = static_cast<std::ptrdiff_t>(phases[i - 1].begin);
      const double x = refine_edge(f, b, 1, out, std::min(sn - 1, b + half), seg.noise_mean_n,
                                   seg.noise_sd_n, seg.threshold_n);
      c.begin_s = phases[i - 1].end_s = x / rate_hz;
    }
    if (i + 1 < phases.size()) {
      const auto out = static_cast<std::ptrdiff_t>(phases[i + 1].end) - 1;
      const double x = refine_edge(f, e - 1, -1, out, std::max<std::ptrdiff_t>(0, e - 1 - half),
                                   seg.noise_mean_n, seg.noise_sd_n, seg.threshold_n);
      c.end_s = phases[i + 1].begin_s = x / rate_hz;
    }
  }
  seg.phases = std::move(phases);
  return seg;
}

SteadyWindow steadiest_window(std::span<const double> f, std::size_t begin, std::size_t end,
                              std::size_t length) {
  SteadyWindow w;
  end = std::min(end, f.size());
  if (length == 0 || begin >= end || end - begin < length) return w;
  // Prefix sums shifted by the first value keep the variance accurate for forces near 1 kN.
  const double ref = f[begin];
  std::vector<double> s1(end - begin + 1, 0.0), s2(end - begin + 1, 0.0);
  for (std::size_t i = begin; i < end; ++i) {
    const double d = f[i] - ref;
    s1[i - begin + 1] = s1[i - begin] + d;
    s2[i - begin + 1] = s2[i - begin] + d * d;
  }
  const auto len = static_cast<double>(length);
  double best_var = std::numeric_limits<double>::infinity();
  std::size_t best = 0;
  for (std::size_t k = 0; k + length <= end - begin; ++k) {
    const double m = (s1[k + length] - s1[k]) / len;
    const double var = (s2[k + length] - s2[k]) / len - m * m;
    if (var < best_var) {
      best_var = var;
      best = k;
    }
  }
  w.found = true;
  w.begin = begin + best;
  w.end = w.begin + length;
  w.mean_n = mean_of(f, w.begin, w.end);  // exact two-pass values for the chosen window
  w.sd_n = sd_of(f, w.begin, w.end, w.mean_n);
  return w;
}

namespace rebound {

void check_input(const std::string& where, std::span<const double> f, double rate_hz) {
  detail::check_rate(where, rate_hz);
  if (rate_hz < 100 || rate_hz > 2000) {
    detail::fail(where, "sampling rate " + detail::str(rate_hz) +
                            " Hz is outside 100 Hz - 2 kHz (contact times need >= 100 Hz)");
  }
  detail::check_duration(where, f.size(), rate_hz, 1.0, 100);
  detail::check_finite(where, "fz", f);
}

void check_no_double_contact(const std::string& where, const Segmentation& seg, std::size_t begin,
                             std::size_t end) {
  for (const DoubleContact& d : seg.double_contacts) {
    if (d.begin >= begin && d.begin < end) {
      detail::fail(where, "double contact: the plate is unloaded for " + detail::str(d.duration_s) +
                              " s at " + detail::str(static_cast<double>(d.begin) / seg.rate_hz) +
                              " s inside a contact, too long for impact chatter and too short "
                              "for a flight");
    }
  }
}

void check_landing_hold(const std::string& where, const Segmentation& seg, std::size_t landing,
                        double min_hold_s) {
  const Phase& p = seg.phases[landing];
  if (p.duration_s() >= min_hold_s) return;
  if (landing + 1 < seg.phases.size()) {
    detail::fail(where, "step-off during the final landing: the plate is unloaded " +
                            detail::str(p.duration_s()) + " s after touchdown at " +
                            detail::str(p.begin_s) + " s (the landing must be held " +
                            detail::str(min_hold_s) + " s)");
  }
  detail::fail(where, "the trial ends " + detail::str(p.duration_s()) +
                          " s after the final touchdown: too short to see the landing held " +
                          detail::str(min_hold_s) + " s");
}

std::size_t argmax(std::span<const double> f, std::size_t begin, std::size_t end) {
  std::size_t best = begin;
  for (std::size_t i = begin; i < end; ++i) {
    if (f[i] > f[best]) best = i;
  }
  return best;
}

std::size_t samples(double seconds, double rate_hz) {
  return static_cast<std::size_t>(std::max(1L, std::lround(seconds * rate_hz)));
}

Weighing weigh(const std::string& where, std::span<const double> f, double rate_hz,
               const std::optional<double>& given_n, std::size_t begin, std::size_t end,
               double window_s, double max_sd_fraction, const std::string& what,
               std::vector<std::string>& warnings) {
  Weighing w;
  if (given_n.has_value()) {
    if (!std::isfinite(*given_n) || *given_n <= 0) {
      detail::fail(where, "body weight " + detail::str(*given_n) + " N is not a positive force");
    }
    w.body_weight_n = *given_n;
    w.note = "body weight " + detail::str(*given_n) + " N, given";
    return w;
  }
  const SteadyWindow q = steadiest_window(f, begin, end, samples(window_s, rate_hz));
  if (!q.found) {
    detail::fail(where, "cannot weigh the person: less than " + detail::str(window_s) +
                            " s of stance " + what + " (give the body weight)");
  }
  w.body_weight_n = q.mean_n;
  w.measured = true;
  w.begin = q.begin;
  w.end = q.end;
  const double t0 = static_cast<double>(q.begin) / rate_hz;
  const double t1 = static_cast<double>(q.end) / rate_hz;
  w.note = "body weight: mean of the steadiest " + detail::str(window_s) + " s " + what + " (" +
           detail::str(t0) + " - " + detail::str(t1) + " s)";
  warnings.push_back("body weight " + detail::str(q.mean_n) + " N found automatically: the " +
                     "steadiest " + detail::str(window_s) + " s " + what + ", " + detail::str(t0) +
                     " - " + detail::str(t1) + " s, SD " + detail::str(q.sd_n) + " N");
  if (q.sd_n > max_sd_fraction * q.mean_n) {
    warnings.push_back("the stance used for body weight is not quiet: SD " + detail::str(q.sd_n) +
                       " N is more than " + detail::str(100 * max_sd_fraction) + " % of " +
                       detail::str(q.mean_n) + " N");
  }
  return w;
}

std::vector<std::string> segmentation_notes(const Segmentation& seg) {
  std::vector<std::string> notes = {
      "vertical force, no filtering",
      "contact: force >= " + detail::str(seg.threshold_n) + " N (unloaded plate noise mean " +
          detail::str(seg.noise_mean_n) + " N, SD " + detail::str(seg.noise_sd_n) + " N)",
      "contact edges extrapolated below the threshold to where the force leaves zero"};
  if (seg.chatter_gaps > 0) {
    notes.push_back("bridged " + detail::str(seg.chatter_gaps) +
                    " unloaded gap(s) shorter than the chatter limit inside contacts");
  }
  if (seg.spikes > 0) {
    notes.push_back("ignored " + detail::str(seg.spikes) +
                    " loaded spike(s) on the unloaded plate");
  }
  return notes;
}

}  // namespace rebound

}  // namespace fp::analysis
