#pragma once
// Repeated hops on the spot (single- or double-leg): from quiet stance a countermovement into hop
// 1, then hops joined by rebound contacts, then a final landing held in stance. Pure: samples in,
// measures out.
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "forceplate/analysis/contacts.hpp"
#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

struct HopsOptions {
  ContactOptions contacts;
  // Body weight in N if known; otherwise the mean of the steadiest weigh_window_s of the stance
  // before hop 1 (a warning says so, and another if its SD exceeds quiet_max_sd_fraction of it).
  std::optional<double> body_weight_n;
  double weigh_window_s = 1.0;
  double quiet_max_sd_fraction = 0.03;
  // A contact longer than this ends the series (the person landed and stood): later flights are
  // ignored with a warning.
  double max_hop_contact_s = 1.0;
  // After the final landing the person stays on the plate at least this long from touchdown.
  double min_landing_hold_s = 1.0;
  double landing_window_s = 1.0;  // the final landing's peak is searched over this long
};

struct Hop {
  double takeoff_s = 0;
  double landing_s = 0;
  double flight_time_s = 0;
  double height_m = 0;  // g t^2 / 8
  // The contact after this hop's landing and before the next take-off, and the reactive strength
  // index of that rebound: the next hop's height / this contact time. 0 for the last hop.
  double contact_time_s = 0;
  double rsi_m_s = 0;
};

struct HopsResult {
  // test "hops". Measures (SD: sample SD, n - 1; CV = SD / mean in %; contact measures need two
  // hops, SD and CV two values):
  //   body_weight (N), hop_count,
  //   flight_time_mean, flight_time_sd (s), flight_time_cv (%),
  //   contact_time_mean, contact_time_sd (s), contact_time_cv (%),
  //   hop_height_mean (m), rsi_mean (m/s), peak_landing_force (N), peak_landing_force_bw (BW)
  //   of the final landing;
  //   per hop i = 1 .. hop_count: flight_time_i (s), hop_height_i (m);
  //   per rebound i = 1 .. hop_count - 1: contact_time_i (s, the contact after landing i, as the
  //   simulator names it), rsi_i (hop_height_(i+1) / contact_time_i, m/s).
  AnalysisResult result;
  Segmentation segments;
  std::vector<Hop> hops;
  double body_weight_n = 0;
  std::size_t peak_landing = 0;  // sample of the final landing's peak
};

// Throws AnalysisError naming the problem for: a rate outside 100 Hz - 2 kHz, non-finite samples,
// less than 1 s of samples; "no flight phase"; a "double contact" between the first take-off and
// the end of the final landing; a "step-off during the final landing" (or a trial that ends)
// within min_landing_hold_s of the final touchdown; less than weigh_window_s of stance before
// hop 1 when no body weight is given ("cannot weigh the person").
HopsResult analyze_hops(std::span<const double> fz_n, double rate_hz,
                        const HopsOptions& options = {});

}  // namespace fp::analysis
