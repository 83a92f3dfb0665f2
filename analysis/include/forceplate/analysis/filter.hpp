#pragma once
// Butterworth low-pass filters designed by the bilinear transform, and zero-phase (forward and
// backward) filtering with odd reflection padding. See docs/metrics.md, "Pre-processing".
#include <span>
#include <vector>

namespace fp::analysis {

// One second-order section, normalised so that a0 = 1:
// y[i] = b0 x[i] + b1 x[i-1] + b2 x[i-2] - a1 y[i-1] - a2 y[i-2].
// A first-order section has b2 = a2 = 0.
struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
};

// The digital Butterworth low-pass of `design_order` (1 .. 16) whose single-pass magnitude is
// -3 dB (1/sqrt 2) exactly at cutoff_hz: the analogue prototype with its cut-off pre-warped to
// tan(pi fc / fs), mapped by the bilinear transform. ceil(order/2) sections, unity gain at DC.
// Throws AnalysisError unless 0 < cutoff_hz < rate_hz / 2 and the order is in range.
std::vector<Biquad> butterworth_lowpass(int design_order, double cutoff_hz, double rate_hz);

// |H(e^{i 2 pi f / fs})| of the cascade: the gain of one pass at frequency f_hz.
double magnitude_response(std::span<const Biquad> sections, double f_hz, double rate_hz);

// One causal pass through the cascade (transposed direct form II), starting from rest.
std::vector<double> filter_forward(std::span<const Biquad> sections, std::span<const double> x);

// A zero-phase low-pass: a Butterworth of order `order / 2` run forward and then backward, so the
// magnitude response is the single-pass one squared (-6 dB at cutoff_hz; -3 dB at about
// 0.80 * cutoff_hz for order 4) and the phase is zero. `order` is the effective order of the
// combination: even, 2 .. 32. The default is the usual posturography choice: 4th order, 10 Hz.
struct LowpassFilter {
  double cutoff_hz = 10.0;
  int order = 4;
};

// Number of samples of odd reflection added at each end before filtering: 3 * rate / cutoff
// (three periods of the cut-off frequency), at most n - 1.
std::size_t lowpass_padding(std::size_t n, double rate_hz, const LowpassFilter& filter);

// Filters x with the zero-phase low-pass. Edges: the signal is extended at each end by
// lowpass_padding() samples of odd (point) reflection about its end sample, 2 x[0] - x[k], which
// continues level and slope; each pass starts in the steady state of its first input sample (as if
// that value had been applied forever), then the padding is cut off again. Throws AnalysisError for
// fewer than 2 samples, non-finite values, or an invalid filter (see butterworth_lowpass).
std::vector<double> zero_phase_lowpass(std::span<const double> x, double rate_hz,
                                       const LowpassFilter& filter = {});

}  // namespace fp::analysis
