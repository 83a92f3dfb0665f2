#pragma once
// Weight-bearing symmetry on two plates, one foot on each.
#include <span>
#include <vector>

#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

struct WeightBearingOptions {
  // Samples where the two plates together carry less than this are left out (nobody standing);
  // their share is NaN in the time series and a warning counts them.
  double min_total_force_n = 50.0;
};

struct WeightBearingResult {
  // test "weight-bearing". Measures: load_left_mean (%), load_right_mean (%), load_sd (SD of the
  // per-sample share, percentage points, the same for both limbs), load_left_min/_max (%),
  // load_asymmetry (|L - R| / max(L, R) * 100 of the mean shares, %), total_force_mean (N),
  // duration (s), sample_count.
  AnalysisResult result;
  std::vector<double> percent_left;  // 100 * L / (L + R) per sample
};

// Throws AnalysisError for mismatched lengths, a bad rate, missing or non-finite samples (with
// plate and index), less than 1 s of samples, or no force on the plates (no sample reaches
// min_total_force_n).
WeightBearingResult analyze_weight_bearing(std::span<const double> fz_left_n,
                                           std::span<const double> fz_right_n, double rate_hz,
                                           const WeightBearingOptions& options = {});

}  // namespace fp::analysis
