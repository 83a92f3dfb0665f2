#pragma once
// Centre-of-pressure sway measures for quiet stance (Prieto et al. 1996; Quijoux et al. 2021).
#include <cstddef>
#include <span>

#include "forceplate/analysis/measure.hpp"

namespace fp::analysis {

struct SwayOptions {
  bool remove_mean = true;  // the reference definitions work on the centred signal
};

// x: mediolateral COP (m), y: anteroposterior COP (m), sampled uniformly at rate_hz.
// Throws AnalysisError for fewer than 2 s of samples, mismatched lengths, non-finite values,
// or a non-positive rate.
AnalysisResult analyze_sway(std::span<const double> x, std::span<const double> y, double rate_hz,
                            const SwayOptions& options = {});

// The part of a recording in which someone stands on the plate: the longest run of samples with
// fz >= min_force_n, less `settle_s` at its start (stepping on) and at its end (stepping off).
struct SampleWindow {
  std::size_t begin = 0;  // first sample index
  std::size_t end = 0;    // one past the last
  std::size_t size() const { return end - begin; }
};
SampleWindow find_stance_window(std::span<const double> fz_n, double rate_hz, double min_force_n,
                                double settle_s);

}  // namespace fp::analysis
