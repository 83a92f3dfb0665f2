#pragma once
// Optional pre-processing of a uniformly sampled COP trace before its measures: low-pass filter,
// analysis window, mean removal (in that order). Every step is recorded. Resampling of irregular
// time stamps comes before all of this: see resample.hpp.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "forceplate/analysis/filter.hpp"
#include "forceplate/analysis/window.hpp"

namespace fp::analysis {

struct Preprocessing {
  // Zero-phase Butterworth low-pass over the whole trace (before the window, so that its edge
  // transients fall outside a window that does not reach the ends); std::nullopt: no filter.
  std::optional<LowpassFilter> lowpass = LowpassFilter{};
  // Part of the recording to analyse (seconds from the first sample); std::nullopt: all of it.
  // middle_window() gives e.g. the middle 20 s of a 30 s stance.
  std::optional<TimeWindow> window;
  // Subtract each axis' mean (of the window). When false, distances are from the plate centre.
  bool remove_mean = true;
};

struct PreparedCop {
  std::vector<double> x;                // m
  std::vector<double> y;                // m
  SampleWindow window;                  // which input samples x and y come from
  std::vector<std::string> processing;  // one line per step, for AnalysisResult::processing
};

// Throws AnalysisError for a bad rate, mismatched lengths, missing or non-finite samples (with
// index), COP values beyond 1 m (not metres), a window outside the recording, or a filter the rate
// cannot carry (cut-off at or above Nyquist).
PreparedCop prepare_cop(std::span<const double> x, std::span<const double> y, double rate_hz,
                        const Preprocessing& options = {});

}  // namespace fp::analysis
