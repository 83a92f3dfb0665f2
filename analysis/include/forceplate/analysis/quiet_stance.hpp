#pragma once
// The full set of centre-of-pressure measures for quiet stance: pre-processing, then the
// reference measures of analyze_sway() and the positional, velocity, ellipse, spectral,
// diffusion, fractal and sway-density measures. Names, units and formulas: docs/metrics.md.
#include <span>

#include "forceplate/analysis/diffusion.hpp"
#include "forceplate/analysis/measure.hpp"
#include "forceplate/analysis/preprocess.hpp"
#include "forceplate/analysis/spectrum.hpp"
#include "forceplate/analysis/sway_density.hpp"

namespace fp::analysis {

struct QuietStanceOptions {
  Preprocessing preprocessing;  // default: 10 Hz zero-phase low-pass (order 4), mean removed
  WelchOptions spectrum;
  DiffusionOptions diffusion;
  SwayDensityOptions sway_density;
};

// x: mediolateral COP (m), y: anteroposterior COP (m), uniformly sampled at rate_hz.
// Throws AnalysisError (message naming the problem) for a bad rate, mismatched lengths, missing or
// non-finite samples (with index), COP values beyond 1 m ("are they in mm?"), an invalid filter
// or window, or less than 2 s left to analyse. Measures that a trace cannot support (e.g.
// diffusion of a trace shorter than the long-term lag range, spectra of a COP that never moves)
// are NaN and a warning says why. AnalysisResult::processing lists the pre-processing steps.
// With preprocessing.lowpass = std::nullopt and no window, every measure analyze_sway() reports
// has the same value here.
AnalysisResult analyze_quiet_stance(std::span<const double> x, std::span<const double> y,
                                    double rate_hz, const QuietStanceOptions& options = {});

}  // namespace fp::analysis
