#pragma once
// Landing tests (hop-and-stick, single-leg drop landing, step-down) from the vertical force, and
// optionally the COP and the horizontal forces: touchdown, peak, loading / attenuation / control
// phases, loading rates, impulse, time to stabilisation and the dynamic postural stability index.
// Pure: samples in, measures out. Definitions and citations: docs/metrics.md, "Landing".
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "forceplate/analysis/filter.hpp"
#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

// All series at the same rate; empty spans are absent. COP in m relative to the plate centre,
// forces in N (Fx mediolateral, Fy anteroposterior).
struct LandingSignals {
  std::span<const double> fz_n;
  std::span<const double> cop_x_m = {};
  std::span<const double> cop_y_m = {};
  std::span<const double> fx_n = {};
  std::span<const double> fy_n = {};
};

// Time-to-stabilisation methods, by name (stabilisation_methods() lists them):
//   "bw-band"            vertical force only: the last instant the low-passed force is 5 % of body
//                        weight (band_bw) away from body weight (the default for Fz);
//   "sequential-average" Colby et al. 1999: the sequential average stays within the series mean
//                        +- 0.25 SD (the default for COP);
//   "polynomial"         Ross, Guskiewicz & Yu 2005: an unbounded cubic fitted to the rectified
//                        deviation falls to the range of variation of the steady end window.
std::vector<std::string> stabilisation_methods();

struct LandingOptions {
  // Body weight in N (e.g. mass x g). When absent it is the mean of the steadiest window of
  // body_weight_window_s after the landing peak (a warning says which source was used).
  std::optional<double> body_weight_n;
  double body_weight_window_s = 1.0;
  double quiet_max_sd_fraction = 0.03;  // that window must have SD <= 3 % of its mean
  // Touchdown: the plate is unloaded for at least min_unloaded_s (below touchdown_threshold_min_n);
  // the threshold is then raised to noise mean + touchdown_noise_sd x noise SD of that unloaded
  // part. From the threshold crossing back to the first sample above noise mean +
  // touchdown_walkback_sd x SD; the start of the rise around it is fitted with c (t - t0)^2 to
  // find the instant of contact t0 between samples.
  double touchdown_threshold_min_n = 20.0;
  double touchdown_noise_sd = 5.0;
  double touchdown_walkback_sd = 3.0;
  double min_unloaded_s = 0.1;
  // A run below the touchdown threshold of at least min_gap_s after touchdown is an unloading:
  // a step-off when it lasts to the end, a double contact when the force comes back.
  double min_gap_s = 0.01;
  double peak_search_s = 1.0;   // the landing peak is the largest force this long after touchdown
  double impulse_window_s = 0.1;
  double stability_index_window_s = 3.0;  // DPSI window from touchdown (Wikstrom et al. 2005)
  // Time to stabilisation.
  std::string vertical_method = "bw-band";
  std::string cop_method = "sequential-average";
  LowpassFilter filter{10.0, 4};  // applied to Fz and COP before TTS and the attenuation phase
  double band_bw = 0.05;
  // A last excursion that comes within this of the band edge without crossing it counts as
  // reaching it: the uncertainty of the body weight. Given: 0.1 % BW. From a 1 s end window the
  // body weight is off by up to ~0.2 % (measured on simulated landings with standing ripple).
  // Twice the SD of the low-passed noise of the unloaded part is added to either.
  double band_tolerance_bw = 0.001;
  double band_tolerance_end_window_bw = 0.0025;
  double sequential_sd_fraction = 0.25;
  // The trial must go on for at least this long after the vertical force has stabilised.
  double min_hold_after_stable_s = 0.5;
};

// TTS of one signal, with what it depends on (method and window), as stored with the value.
struct Stabilisation {
  std::string signal;  // "fz", "cop_ml", "cop_ap"
  std::string method;  // a name from stabilisation_methods()
  double window_begin_s = 0;  // analysed window, s from the start of the trial
  double window_end_s = 0;
  double threshold = 0;  // band half-width, polynomial threshold or SD band (N or m)
  double time_s = 0;     // TTS, s from touchdown
};

struct LandingEvents {
  double rate_hz = 0;
  double touchdown_index = 0;  // instant of initial contact, in samples (between two samples)
  std::size_t touchdown = 0;   // the sample nearest to it
  std::size_t peak = 0;       // largest force within peak_search_s of touchdown
  std::size_t attenuation_end = 0;  // low-passed force back at body weight (or its first minimum)
  double stabilised_s = 0;    // touchdown + vertical TTS, s from the start of the trial
  double peak_force_n = 0;
  double touchdown_threshold_n = 0;
  double noise_mean_n = 0;    // of the unloaded part before touchdown
  double noise_sd_n = 0;
  double body_weight_n = 0;
  std::string body_weight_source;  // "given" or "end-window"
  std::size_t body_weight_begin = 0, body_weight_end = 0;  // end window [begin, end), if used
};

struct LandingResult {
  // test "landing". Measures (SI): body_weight (N), peak_landing_force (N), peak_landing_force_bw
  // (BW), time_to_peak (s), loading_rate_bw and peak_loading_rate_bw (BW/s), loading_rate and
  // peak_loading_rate (N/s), impulse_100ms (N s), impulse_100ms_bw (BW s), loading_phase_time,
  // attenuation_phase_time, control_phase_time (s), time_to_stabilisation (s),
  // vertical_stability_index; with COP time_to_stabilisation_ml / _ap (s); with Fx and Fy
  // mlsi, apsi and dpsi (mediolateral, anteroposterior and dynamic postural stability index).
  // Processing lines name the filter, the TTS methods and windows.
  AnalysisResult result;
  LandingEvents events;
  std::vector<Stabilisation> stabilisation;  // fz first, then cop_ml, cop_ap when COP is given
};

// Throws AnalysisError (message "analyze_landing: ...") for a rate outside 100 Hz - 2 kHz,
// non-finite or mismatched series, an unknown method name, and invalid trials: no landing (plate
// empty, or loaded from the start with no unloaded part before touchdown), a step-off during the
// hold ("step-off"), a double contact ("double contact"), a step onto the plate with no impact
// ("no landing impact", peak < 1.2 BW), or too short a hold after the landing to weigh the person
// or to see the force stabilise ("too short").
LandingResult analyze_landing(const LandingSignals& signals, double rate_hz,
                              const LandingOptions& options = {});
LandingResult analyze_landing(std::span<const double> fz_n, double rate_hz,
                              const LandingOptions& options = {});

}  // namespace fp::analysis
