#include "forceplate/analysis/drop_jump.hpp"

#include <algorithm>
#include <cmath>

#include "checks.hpp"
#include "forceplate/analysis/jump.hpp"  // standard_gravity

namespace fp::analysis {

namespace {

constexpr const char* where = "analyze_drop_jump";

double mean_of_range(std::span<const double> f, std::size_t b, std::size_t e) {
  double s = 0;
  for (std::size_t i = b; i < e; ++i) s += f[i];
  return s / static_cast<double>(e - b);
}

}  // namespace

DropJumpResult analyze_drop_jump(std::span<const double> f, double rate_hz,
                                 const DropJumpOptions& o) {
  rebound::check_input(where, f, rate_hz);
  DropJumpResult out;
  out.segments = segment_contacts(f, rate_hz, o.contacts);
  const Segmentation& seg = out.segments;
  const std::vector<Phase>& ph = seg.phases;

  // The rebound contact is the one before the first flight; it must come from off the plate.
  std::size_t first_flight = ph.size();
  for (std::size_t i = 0; i < ph.size(); ++i) {
    if (ph[i].kind == PhaseKind::flight) {
      first_flight = i;
      break;
    }
  }
  if (first_flight == ph.size()) {
    // Came down from the box and stayed: the first contact after the empty plate starts with an
    // impact well above the later standing force (stepping on rises smoothly to body weight).
    bool landed = false;
    if (ph.size() >= 2 && ph[0].kind == PhaseKind::off_plate) {
      const Phase& c1 = ph[1];
      const std::size_t early = std::min(c1.end, c1.begin + rebound::samples(0.5, rate_hz));
      const double later = c1.end > early ? mean_of_range(f, early, c1.end) : 0.0;
      landed = f[rebound::argmax(f, c1.begin, early)] > o.impact_factor * later;
    }
    if (landed) {
      detail::fail(
          where, "no rebound flight: the person came onto the plate and never left it for " +
                     detail::str(o.contacts.min_flight_s) + " - " +
                     detail::str(o.contacts.max_flight_s) + " s (a drop landing, not a drop jump)");
    }
    detail::fail(where,
                 "no flight phase: the force never stays below " + detail::str(seg.threshold_n) +
                     " N for " + detail::str(o.contacts.min_flight_s) + " - " +
                     detail::str(o.contacts.max_flight_s) + " s between two contacts (not a jump)");
  }
  const std::size_t c = first_flight - 1;
  const std::size_t land = first_flight + 1;
  const Phase& contact = ph[c];
  if (c == 0) {
    detail::fail(where,
                 "not a drop jump: the person is on the plate from the start of the trial "
                 "until the first flight (a countermovement or squat jump?)");
  }
  if (contact.duration_s() > o.max_contact_s) {
    detail::fail(where, "not a drop jump: the contact before the first flight lasts " +
                            detail::str(contact.duration_s()) + " s, more than " +
                            detail::str(o.max_contact_s) +
                            " s (the person stood on the plate before jumping)");
  }
  rebound::check_no_double_contact(where, seg, contact.begin, ph[land].end);
  rebound::check_landing_hold(where, seg, land, o.min_landing_hold_s);

  out.contact_phase = c;
  out.touchdown_s = contact.begin_s;
  out.takeoff_s = contact.end_s;
  out.landing_s = ph[land].begin_s;
  out.peak_contact = rebound::argmax(f, contact.begin, contact.end);
  const std::size_t landing_stop =
      std::min(ph[land].end, ph[land].begin + rebound::samples(o.landing_window_s, rate_hz));
  out.peak_landing = rebound::argmax(f, ph[land].begin, landing_stop);

  AnalysisResult& r = out.result;
  r.test = "drop-jump";
  const rebound::Weighing w = rebound::weigh(
      where, f, rate_hz, o.body_weight_n, out.peak_landing, ph[land].end, o.weigh_window_s,
      o.quiet_max_sd_fraction, "after the final landing", r.warnings);
  out.body_weight_n = w.body_weight_n;
  out.body_weight_measured = w.measured;
  out.weigh_begin = w.begin;
  out.weigh_end = w.end;
  const double bw = w.body_weight_n;

  const double contact_time = out.takeoff_s - out.touchdown_s;
  const double flight_time = out.landing_s - out.takeoff_s;
  const double height = standard_gravity * flight_time * flight_time / 8;
  r.measures = {
      {"body_weight", bw, Unit::newton},
      {"contact_time", contact_time, Unit::second},
      {"flight_time", flight_time, Unit::second},
      {"jump_height_flight", height, Unit::metre_shown_in_m},
      {"rsi", height / contact_time, Unit::metre_per_second_shown_in_m_s},
      {"flight_contact_ratio", flight_time / contact_time, Unit::dimensionless},
      {"peak_contact_force", f[out.peak_contact], Unit::newton},
      {"peak_contact_force_bw", f[out.peak_contact] / bw, Unit::body_weight},
      {"peak_landing_force", f[out.peak_landing], Unit::newton},
      {"peak_landing_force_bw", f[out.peak_landing] / bw, Unit::body_weight},
  };
  if (land + 1 < ph.size() && ph[land + 1].kind == PhaseKind::flight) {
    r.warnings.push_back("another flight follows the landing at " +
                         detail::str(ph[land + 1].begin_s) +
                         " s: only the first rebound is scored");
  }
  r.processing = rebound::segmentation_notes(seg);
  r.processing.push_back(w.note);
  return out;
}

}  // namespace fp::analysis
