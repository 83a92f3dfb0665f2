#pragma once
// Irregularly time-stamped samples onto a uniform grid by linear interpolation.
#include <span>
#include <string>
#include <vector>

namespace fp::analysis {

struct UniformSeries {
  double start_s = 0;  // time of values[0] (the first time stamp)
  double rate_hz = 0;
  std::vector<double> values;  // values[k] at start_s + k / rate_hz, up to the last time stamp
  std::string note;            // one line for AnalysisResult::processing
};

// Default limit on the gap between consecutive time stamps that interpolation may bridge.
inline constexpr double default_max_gap_s = 0.05;

// Linear interpolation of (t_s[i], values[i]) at start + k / rate_hz for k = 0, 1, ... while the
// grid time does not pass the last time stamp. Throws AnalysisError, naming the problem, for
// mismatched lengths, fewer than 2 samples, non-finite times or values (with index), time stamps
// that do not strictly increase (with index), a gap between consecutive time stamps longer than
// max_gap_s (naming where it starts and how long it is), or a bad rate or gap limit.
UniformSeries resample_uniform(std::span<const double> t_s, std::span<const double> values,
                               double rate_hz, double max_gap_s = default_max_gap_s);

}  // namespace fp::analysis
