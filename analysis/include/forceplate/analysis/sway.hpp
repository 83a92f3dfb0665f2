#pragma once
// Centre-of-pressure sway measures for quiet stance (Prieto et al. 1996; Quijoux et al. 2021): the
// reference set, on the trace as given. analyze_quiet_stance() (quiet_stance.hpp) adds
// pre-processing and the full set of measures.
#include <cstddef>
#include <span>

#include "forceplate/analysis/measure.hpp"
#include "forceplate/analysis/window.hpp"

namespace fp::analysis {

struct SwayOptions {
  // The reference definitions work on the centred signal. When false, distances, RMS and swept
  // area are taken about the origin (plate centre); the ellipse is always about the mean.
  bool remove_mean = true;
};

// x: mediolateral COP (m), y: anteroposterior COP (m), sampled uniformly at rate_hz.
// Throws AnalysisError for fewer than 2 s of samples (n < 2 * rate_hz, or n < 3), mismatched
// lengths, non-finite values (the message names the axis and sample index), COP values farther than
// 1 m from the plate centre ("are they in mm?"), or a rate that is not positive and finite. "duration" is n / rate_hz; see docs/metrics.md for definitions and the
// time conventions. Warns (and reports 0 Hz) when the COP never moves, as mean frequency is then
// undefined (0 / 0).
AnalysisResult analyze_sway(std::span<const double> x, std::span<const double> y, double rate_hz,
                            const SwayOptions& options = {});

// The part of a recording in which someone stands on the plate: the longest run of samples with
// fz >= min_force_n, less `settle_s` at its start (stepping on) and at its end (stepping off).
// NaN counts as below the threshold; of equally long runs the first wins; settle_s * rate_hz is
// rounded to the nearest sample. Returns the empty window {0, 0} when no sample reaches
// min_force_n or the run is no longer than twice the settle trim. Throws AnalysisError for a rate
// that is not positive and finite, a non-finite min_force_n, or a negative or non-finite settle_s.
// (SampleWindow is declared in window.hpp.)
SampleWindow find_stance_window(std::span<const double> fz_n, double rate_hz, double min_force_n,
                                double settle_s);

}  // namespace fp::analysis
