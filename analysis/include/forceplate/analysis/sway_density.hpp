#pragma once
// Sway density curve (Baratto et al. 2002; Jacono et al. 2004).
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "forceplate/analysis/filter.hpp"

namespace fp::analysis {

// For sample i: how long the COP stays within `radius_m` of its position at i, i.e. the number of
// consecutive samples (i itself and the runs before and after it, each stopping at the first
// sample farther than the radius) divided by rate_hz, in seconds. Evaluated for
// i = 0, stride, 2 stride, ... (every sample for stride 1); the runs always count every sample.
// Exact (the same as checking every sample) but fast: a tree of bounding boxes skips stretches
// that are certainly inside. Throws AnalysisError for mismatched lengths, non-finite values, a bad
// rate, radius or stride.
std::vector<double> sway_density_curve(std::span<const double> x, std::span<const double> y,
                                       double rate_hz, double radius_m, std::size_t stride = 1);

struct SwayDensityOptions {
  double radius_m = 0.0025;  // 2.5 mm (Baratto et al. 2002)
  // The curve is smoothed before its peaks are picked; std::nullopt: not smoothed.
  std::optional<LowpassFilter> smoothing = LowpassFilter{2.5, 4};
  // A peak must rise this far above the higher of the lowest points between it and the nearest
  // higher samples on either side (its prominence); this keeps rounding ripples out.
  double min_peak_prominence_s = 0.02;
  // The curve is evaluated at every k-th sample, k = max(1, floor(rate / curve_rate_hz)): the
  // smoothed curve holds nothing near 50 Hz, and this saves 90 % of the work at 1 kHz.
  double curve_rate_hz = 100.0;
};

// Peaks: local maxima of the (smoothed) curve with at least min_peak_prominence_s prominence,
// except where the run reaches the first or last sample (cut short by the recording).
struct SwayDensityMeasures {
  std::size_t peak_count = 0;
  double mean_peak_s = 0;         // mean height of the peaks of the (smoothed) curve
  double mean_distance_m = 0;     // mean distance between COP positions at consecutive peaks
  double mean_interval_s = 0;     // mean time between consecutive peaks
  const char* problem = nullptr;  // why some values are NaN (fewer than 1 or 2 peaks), or nullptr
};

SwayDensityMeasures sway_density_measures(std::span<const double> x, std::span<const double> y,
                                          double rate_hz, const SwayDensityOptions& options = {});

}  // namespace fp::analysis
