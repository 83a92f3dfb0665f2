#pragma once
// Events of a vertical jump from the vertical ground reaction force alone: the quiet weighing phase
// (body weight), movement onset, take-off, landing and the landing peak. Pure: samples in, events out.
#include <cstddef>
#include <span>
#include <vector>

#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

struct JumpEventOptions {
  // Weighing phase: the steadiest window (lowest SD) of this length before take-off, among windows
  // whose mean exceeds loaded_fraction x the median of the loaded samples (above the flight
  // threshold). If no window of this length before take-off is quiet (SD <= quiet_max_sd_fraction x
  // its mean), the length is halved down to min_quiet_window_s (a warning says so).
  double quiet_window_s = 1.0;
  double min_quiet_window_s = 0.15;
  double quiet_max_sd_fraction = 0.03;
  double loaded_fraction = 0.5;
  // Movement onset: first departure beyond body weight +- onset_sd x SD after the weighing window,
  // moved back to where the force left body weight (the last crossing of body weight).
  double onset_sd = 5.0;
  // Flight: force below max(flight_threshold_min_n, mean + flight_noise_sd x SD of the flight noise)
  // for at least min_flight_s, with the person on the plate before and after.
  double flight_threshold_min_n = 20.0;
  double flight_noise_sd = 5.0;
  double min_flight_s = 0.1;
  // Refinement: take-off and landing are moved from the threshold crossings to where the force
  // enters / leaves the flight noise, mean + noise_band_sd x SD (exactly 0 N for a noise-free plate).
  double noise_band_sd = 3.0;
  // The landing peak is searched from touchdown over this long (or until the plate is unloaded).
  double landing_window_s = 1.0;
  // The plate must stay loaded this long after landing (a step-off sooner makes the trial invalid).
  double landing_hold_s = 0.5;
};

struct JumpEvents {
  double rate_hz = 0;
  std::size_t quiet_begin = 0;  // weighing window [quiet_begin, quiet_end)
  std::size_t quiet_end = 0;
  double body_weight_n = 0;     // mean force over the weighing window
  double body_weight_sd_n = 0;  // its SD (population)
  std::size_t onset = 0;        // first sample of the movement
  std::size_t takeoff = 0;      // first sample of the flight (within the flight noise band)
  std::size_t landing = 0;      // first sample after the flight (above the band)
  std::size_t peak_landing = 0;
  double peak_landing_force_n = 0;
  double flight_threshold_n = 0;  // detection threshold
  double flight_band_n = 0;       // refinement: upper edge of the flight noise
  std::vector<std::string> warnings;
};

// Throws AnalysisError for a rate outside 100 Hz - 2 kHz, non-finite samples, less than 1 s of
// samples, no flight phase ("no flight phase"), no quiet weighing phase before take-off, no
// movement between the weighing phase and take-off, and for a trial that is not one clean jump:
// "more than one flight", "double contact" (a brief unloading between the weighing phase and the
// end of the landing hold), "stepped off the plate ... after landing".
JumpEvents detect_jump_events(std::span<const double> fz_n, double rate_hz,
                              const JumpEventOptions& options = {});

}  // namespace fp::analysis
