#pragma once
// Single-leg stance: balance failures from force and COP, and the sway of the part before the
// first failure, with COP excursion toward medial and lateral of the stance foot.
#include <optional>
#include <span>
#include <vector>

#include "forceplate/analysis/measure.hpp"
#include "forceplate/analysis/quiet_stance.hpp"

namespace fp::analysis {

// Every threshold of the failure detectors; fractions are of body weight (BW). docs/metrics.md
// explains each choice. They are not yet validated on recorded failures.
struct SingleLegOptions {
  // Measures of the stable part. Its preprocessing.window must be unset (the part analysed is
  // from the start of the trial to the first failure).
  QuietStanceOptions sway;
  // Nobody stands on the plate if Fz never reaches this (error "no force on the plate").
  double min_force_n = 50.0;
  // Stepping off: Fz < 20 % BW (any sample).
  double step_off_fraction = 0.20;
  // Lifted foot put down beside the plate: Fz < 85 % BW for longer than 50 ms.
  double touchdown_fraction = 0.85;
  double touchdown_min_s = 0.050;
  // Lifted foot put down on the plate, or a hop: Fz beyond BW +- 25 % BW (any sample), or the COP
  // moving faster than 0.5 m/s over a 50 ms baseline (|p(t + 50 ms) - p(t)| / 50 ms) while the
  // plate is loaded (Fz >= step_off_fraction * BW at both ends). Such a failure starts at the
  // first sample of the baseline where the COP is half the limit distance away from p(t), and
  // lasts until the COP is back within half the jump of where it was before (the foot lifted
  // again), at most touchdown_max_s.
  double force_excursion_fraction = 0.25;
  double cop_speed_limit_m_per_s = 0.5;
  double cop_speed_baseline_s = 0.050;
  double touchdown_max_s = 5.0;
  // Detections no more than this apart are one failure.
  double merge_gap_s = 0.5;
};

enum class FailureKind { step_off, touchdown_off_plate, touchdown_on_plate };
const char* to_string(FailureKind k);  // "step off", "touchdown off the plate", ...

struct BalanceFailure {
  FailureKind kind = FailureKind::step_off;  // the most severe detection within the failure
  double start_s = 0;                        // first flagged sample, s from the trial start
  double end_s = 0;                          // one sample after the last flagged sample
};

// Failures in time order. Throws AnalysisError for mismatched lengths, a bad rate, missing or
// non-finite Fz (with index), missing or non-finite COP while the plate is loaded (with index),
// a non-positive body weight or bad options.
std::vector<BalanceFailure> detect_balance_failures(std::span<const double> fz_n,
                                                    std::span<const double> x,
                                                    std::span<const double> y, double rate_hz,
                                                    double body_weight_n,
                                                    const SingleLegOptions& options = {});

struct SingleLegResult {
  AnalysisResult result;  // test "single-leg-stance-left" / "-right"
  std::vector<BalanceFailure> failures;
  double body_weight_n = 0;  // as given, or the median Fz of the trial
};

// fz: vertical force (N) on the plate under the stance foot; x, y: its COP (m); side: the stance
// foot. body_weight_n: std::nullopt to estimate it as the median Fz. Measures: body_weight,
// failure_count, time_to_first_failure (the trial duration if none), time_in_balance, the
// quiet-stance set of the part before the first failure (if it lasts 2 s) and
// cop_{max,mean}_{medial,lateral}_excursion. A trial with failures is flagged with a warning.
// Throws as detect_balance_failures, and for no force on the plate, COP beyond 1 m, a body weight
// more than 3 times off the median Fz (kg for N?), or a trial shorter than 2 s.
SingleLegResult analyze_single_leg_stance(std::span<const double> fz_n, std::span<const double> x,
                                          std::span<const double> y, double rate_hz, Side side,
                                          std::optional<double> body_weight_n = std::nullopt,
                                          const SingleLegOptions& options = {});

}  // namespace fp::analysis
