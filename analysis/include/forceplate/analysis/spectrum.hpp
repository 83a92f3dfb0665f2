#pragma once
// Welch power spectrum (FFTW) and the spectral measures of Prieto et al. 1996.
#include <cstddef>
#include <span>
#include <vector>

namespace fp::analysis {

struct WelchOptions {
  // Segment length: 10 s (0.1 Hz resolution), Hann window, 50 % overlap. A series shorter than one
  // segment is analysed as a single segment of its own length.
  double segment_s = 10.0;
};

// One-sided power spectral density in unit^2 / Hz: density[k] at frequency[k] = k * resolution_hz,
// k = 0 .. L/2 for segment length L. Sum(density) * resolution_hz equals the mean variance of the
// segments (Parseval); see docs/metrics.md.
struct PowerSpectrum {
  std::vector<double> frequency_hz;
  std::vector<double> density;
  double resolution_hz = 0;
  std::size_t segment_length = 0;
  std::size_t segment_count = 0;
};

// Welch's method: segments of L = min(n, round(segment_s * rate)) samples starting every floor(L/2)
// samples (samples after the last whole segment are not used), each with its own mean removed and
// multiplied by a periodic Hann window w[t] = 0.5 - 0.5 cos(2 pi t / L); periodograms
// |FFT|^2 / (rate * sum w^2), doubled except at 0 Hz and (even L) the Nyquist frequency, averaged
// over the segments. Throws AnalysisError for fewer than 4 samples, non-finite values or a bad
// rate or segment length.
PowerSpectrum welch_power_spectrum(std::span<const double> v, double rate_hz,
                                   const WelchOptions& options = {});

// Measures of one spectrum, over every bin (0 Hz to Nyquist). Moments m_j = sum f_k^j P_k df.
struct SpectralMeasures {
  double total_power = 0;            // m_0 (unit^2)
  double peak_frequency_hz = 0;      // frequency of the largest density
  double power_frequency_50_hz = 0;  // frequencies below which 50 % / 95 % of the power lies
  double power_frequency_95_hz = 0;
  double mean_power_frequency_hz = 0;  // m_1 / m_0
  double centroidal_frequency_hz = 0;  // sqrt(m_2 / m_0)
  double frequency_dispersion = 0;     // sqrt(1 - m_1^2 / (m_0 m_2)), 0 .. 1
  double percent_below_0p5_hz = 0;     // share of m_0 in bins f < 0.5 Hz, in %
  double percent_0p5_to_2_hz = 0;      // 0.5 Hz <= f < 2 Hz
  double percent_above_2_hz = 0;       // f >= 2 Hz
};

// Throws AnalysisError for a spectrum with no power (every measure but the total would be 0/0).
// Power frequencies treat bin k as covering [f_k - df/2, f_k + df/2] with its power spread evenly,
// and interpolate linearly inside the bin where the cumulative power crosses the fraction.
SpectralMeasures spectral_measures(const PowerSpectrum& spectrum);

}  // namespace fp::analysis
