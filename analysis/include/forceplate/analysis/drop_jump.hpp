#pragma once
// Drop jump: the person drops from a box onto the plate, rebounds at once into a jump, flies, lands
// and stands. Measured from the vertical force alone. Pure: samples in, measures out.
//
// What the force supports: the contact (touchdown to take-off) and the flight are timed from the
// force; the jump height follows from the flight time (landing at take-off height). The fall from
// the box happens off the plate, so the touchdown velocity is unknown and the take-off velocity
// cannot be integrated over the contact from a known start (unlike a countermovement jump, which
// starts at rest). Drop height and impact velocity are therefore not reported.
#include <cstddef>
#include <optional>
#include <span>

#include "forceplate/analysis/contacts.hpp"
#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

struct DropJumpOptions {
  ContactOptions contacts;
  // Body weight in N if known (e.g. weighed before the trial); otherwise it is the mean of the
  // steadiest weigh_window_s after the final landing's peak (a warning says so, and another if
  // that window's SD exceeds quiet_max_sd_fraction of its mean).
  std::optional<double> body_weight_n;
  double weigh_window_s = 1.0;
  double quiet_max_sd_fraction = 0.03;
  // The contact from the box longer than this is not a rebound (the person stood on the plate:
  // a countermovement or squat jump).
  double max_contact_s = 1.2;
  // With no flight at all: a first contact whose peak over its first 0.5 s exceeds this multiple
  // of its later mean force is a landing from the box without a rebound ("no rebound flight");
  // otherwise the person stepped on ("no flight phase").
  double impact_factor = 1.5;
  // After the final landing the person stays on the plate at least this long (from touchdown);
  // unloading earlier is a step-off during the landing.
  double min_landing_hold_s = 1.0;
  // The landing peak is searched from touchdown over this long.
  double landing_window_s = 1.0;
};

struct DropJumpResult {
  // test "drop-jump". Measures: body_weight (N), contact_time (s), flight_time (s),
  // jump_height_flight (m, g t^2 / 8), rsi (jump_height_flight / contact_time, m/s),
  // flight_contact_ratio (flight_time / contact_time), peak_contact_force (N),
  // peak_contact_force_bw (BW), peak_landing_force (N), peak_landing_force_bw (BW).
  AnalysisResult result;
  Segmentation segments;
  std::size_t contact_phase = 0;  // index into segments.phases of the rebound contact
  double touchdown_s = 0;         // start of the rebound contact
  double takeoff_s = 0;
  double landing_s = 0;
  std::size_t peak_contact = 0;  // sample of the peak force in the rebound contact
  std::size_t peak_landing = 0;  // sample of the peak force after the flight
  double body_weight_n = 0;
  bool body_weight_measured = false;  // true: found in the trial, false: given by the caller
  std::size_t weigh_begin = 0, weigh_end = 0;  // the weighing window when measured
};

// Throws AnalysisError naming the problem for: a rate outside 100 Hz - 2 kHz, non-finite samples;
// "no flight phase" (not a jump); the person on the plate before the first flight ("not a drop
// jump"); a landing from the box with no rebound flight; a double contact (an unloaded gap shorter
// than min_flight_s) in the rebound contact or the final landing; a step-off during the final
// landing (or a trial that ends) within min_landing_hold_s of its touchdown; less than
// weigh_window_s of stance after the landing peak when no body weight is given.
DropJumpResult analyze_drop_jump(std::span<const double> fz_n, double rate_hz,
                                 const DropJumpOptions& options = {});

}  // namespace fp::analysis
