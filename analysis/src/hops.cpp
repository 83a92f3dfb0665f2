#include "forceplate/analysis/hops.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "checks.hpp"
#include "forceplate/analysis/jump.hpp"  // standard_gravity

namespace fp::analysis {

namespace {

constexpr const char* where = "analyze_hops";

struct Summary {
  double mean = 0, sd = 0;
};

// Sample SD (n - 1): the hops are a sample of the person's hopping, not the whole of it.
Summary summarise(const std::vector<double>& v) {
  Summary s;
  for (const double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  if (v.size() < 2) return s;
  double sq = 0;
  for (const double x : v) sq += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(sq / static_cast<double>(v.size() - 1));
  return s;
}

}  // namespace

HopsResult analyze_hops(std::span<const double> f, double rate_hz, const HopsOptions& o) {
  rebound::check_input(where, f, rate_hz);
  HopsResult out;
  out.segments = segment_contacts(f, rate_hz, o.contacts);
  const Segmentation& seg = out.segments;
  const std::vector<Phase>& ph = seg.phases;

  std::size_t first = ph.size();
  for (std::size_t i = 0; i < ph.size(); ++i) {
    if (ph[i].kind == PhaseKind::flight) {
      first = i;
      break;
    }
  }
  if (first == ph.size()) {
    detail::fail(where,
                 "no flight phase: the force never stays below " + detail::str(seg.threshold_n) +
                     " N for " + detail::str(o.contacts.min_flight_s) + " - " +
                     detail::str(o.contacts.max_flight_s) + " s between two contacts (no hop)");
  }

  // The series: flights joined by contacts no longer than max_hop_contact_s. Phases alternate,
  // so a flight at k has contacts at k - 1 and k + 1.
  std::vector<std::size_t> flights = {first};
  std::size_t k = first;
  while (k + 2 < ph.size() && ph[k + 2].kind == PhaseKind::flight &&
         ph[k + 1].duration_s() <= o.max_hop_contact_s) {
    k += 2;
    flights.push_back(k);
  }
  const std::size_t land = k + 1;
  rebound::check_no_double_contact(where, seg, ph[first].begin, ph[land].end);
  rebound::check_landing_hold(where, seg, land, o.min_landing_hold_s);

  AnalysisResult& r = out.result;
  r.test = "hops";
  if (land + 1 < ph.size()) {
    const auto later = std::count_if(ph.begin() + static_cast<std::ptrdiff_t>(land), ph.end(),
                                     [](const Phase& p) { return p.kind == PhaseKind::flight; });
    if (later > 0) {
      r.warnings.push_back(std::to_string(later) + " flight(s) after the final landing at " +
                           detail::str(ph[land].begin_s) +
                           " s are ignored (the series ends with a contact longer than " +
                           detail::str(o.max_hop_contact_s) + " s)");
    }
  }

  // Body weight: given, or the steadiest stance before hop 1 (detect_jump_events is not used:
  // it refuses a trial with more than one flight).
  const rebound::Weighing w =
      rebound::weigh(where, f, rate_hz, o.body_weight_n, ph[first - 1].begin, ph[first].begin,
                     o.weigh_window_s, o.quiet_max_sd_fraction, "before hop 1", r.warnings);
  out.body_weight_n = w.body_weight_n;
  const double bw = out.body_weight_n;

  for (std::size_t i = 0; i < flights.size(); ++i) {
    const Phase& fl = ph[flights[i]];
    Hop h;
    h.takeoff_s = fl.begin_s;
    h.landing_s = fl.end_s;
    h.flight_time_s = fl.duration_s();
    h.height_m = standard_gravity * h.flight_time_s * h.flight_time_s / 8;
    out.hops.push_back(h);
  }
  for (std::size_t i = 0; i + 1 < flights.size(); ++i) {
    out.hops[i].contact_time_s = ph[flights[i] + 1].duration_s();
    out.hops[i].rsi_m_s = out.hops[i + 1].height_m / out.hops[i].contact_time_s;
  }

  const std::size_t stop =
      std::min(ph[land].end, ph[land].begin + rebound::samples(o.landing_window_s, rate_hz));
  out.peak_landing = rebound::argmax(f, ph[land].begin, stop);

  std::vector<double> flight_times, heights, contact_times, rsis;
  for (std::size_t i = 0; i < out.hops.size(); ++i) {
    flight_times.push_back(out.hops[i].flight_time_s);
    heights.push_back(out.hops[i].height_m);
    if (i + 1 < out.hops.size()) {
      contact_times.push_back(out.hops[i].contact_time_s);
      rsis.push_back(out.hops[i].rsi_m_s);
    }
  }
  std::vector<Measure>& m = r.measures;
  m.push_back({"body_weight", bw, Unit::newton});
  m.push_back({"hop_count", static_cast<double>(out.hops.size()), Unit::dimensionless});
  const Summary ft = summarise(flight_times);
  m.push_back({"flight_time_mean", ft.mean, Unit::second});
  if (flight_times.size() >= 2) {
    m.push_back({"flight_time_sd", ft.sd, Unit::second});
    m.push_back({"flight_time_cv", 100 * ft.sd / ft.mean, Unit::percent});
  }
  if (!contact_times.empty()) {
    const Summary ct = summarise(contact_times);
    m.push_back({"contact_time_mean", ct.mean, Unit::second});
    if (contact_times.size() >= 2) {
      m.push_back({"contact_time_sd", ct.sd, Unit::second});
      m.push_back({"contact_time_cv", 100 * ct.sd / ct.mean, Unit::percent});
    }
    m.push_back({"rsi_mean", summarise(rsis).mean, Unit::metre_per_second_shown_in_m_s});
  } else {
    r.warnings.push_back("a single hop: no contact between hops, so no contact time or RSI");
  }
  m.push_back({"hop_height_mean", summarise(heights).mean, Unit::metre_shown_in_m});
  m.push_back({"peak_landing_force", f[out.peak_landing], Unit::newton});
  m.push_back({"peak_landing_force_bw", f[out.peak_landing] / bw, Unit::body_weight});
  for (std::size_t i = 0; i < out.hops.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    m.push_back({"flight_time_" + n, out.hops[i].flight_time_s, Unit::second});
    m.push_back({"hop_height_" + n, out.hops[i].height_m, Unit::metre_shown_in_m});
    if (i + 1 < out.hops.size()) {
      m.push_back({"contact_time_" + n, out.hops[i].contact_time_s, Unit::second});
      m.push_back({"rsi_" + n, out.hops[i].rsi_m_s, Unit::metre_per_second_shown_in_m_s});
    }
  }
  r.processing = rebound::segmentation_notes(seg);
  r.processing.push_back(w.note);
  return out;
}

}  // namespace fp::analysis
