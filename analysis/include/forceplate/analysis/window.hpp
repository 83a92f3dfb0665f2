#pragma once
// Which part of a recording to analyse: sample ranges and time windows.
#include <cstddef>

namespace fp::analysis {

// A half-open range of sample indices.
struct SampleWindow {
  std::size_t begin = 0;  // first sample index
  std::size_t end = 0;    // one past the last
  std::size_t size() const { return end - begin; }
};

// A time window in seconds from the first sample (sample i is at time i / rate).
struct TimeWindow {
  double start_s = 0;
  double end_s = 0;
};

// The middle `keep_s` seconds of a recording lasting `duration_s` (e.g. the middle 20 s of a 30 s
// stance: {5, 25}). Throws AnalysisError if keep_s is not positive and finite or exceeds the
// duration.
TimeWindow middle_window(double duration_s, double keep_s);

// Samples i with round(start_s * rate) <= i < round(end_s * rate), for a recording of n samples
// (duration n / rate). Throws AnalysisError, naming the window and the duration, for a window that
// starts before 0, ends after the recording, is empty, or is not finite, and for a bad rate.
SampleWindow to_sample_window(const TimeWindow& window, std::size_t n, double rate_hz);

}  // namespace fp::analysis
