#include "forceplate/analysis/spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <numeric>

#include "checks.hpp"
#include "fft.hpp"

namespace fp::analysis {

namespace {
constexpr std::size_t min_samples = 4;

// Frequency below which `fraction` of the power lies, bins as intervals of width df.
double power_frequency(const PowerSpectrum& s, double fraction) {
  const double total = std::reduce(s.density.begin(), s.density.end());
  const double target = fraction * total;
  double below = 0;
  for (std::size_t k = 0; k < s.density.size(); ++k) {
    const double p = s.density[k];
    if (p > 0 && below + p >= target) {
      const double f =
          s.frequency_hz[k] - s.resolution_hz / 2 + (target - below) / p * s.resolution_hz;
      return std::clamp(f, 0.0, s.frequency_hz.back());
    }
    below += p;
  }
  return s.frequency_hz.back();
}
}  // namespace

PowerSpectrum welch_power_spectrum(std::span<const double> v, double rate_hz,
                                   const WelchOptions& options) {
  constexpr const char* where = "welch_power_spectrum";
  detail::check_rate(where, rate_hz);
  if (!std::isfinite(options.segment_s) || options.segment_s <= 0) {
    detail::fail(where, "segment length must be positive and finite, got " +
                            detail::str(options.segment_s) + " s");
  }
  if (v.size() < min_samples) {
    detail::fail(where, "need at least " + detail::str(min_samples) + " samples, got " +
                            detail::str(v.size()));
  }
  detail::check_finite(where, "v", v);

  const auto wanted =
      static_cast<std::size_t>(std::max(4.0, std::round(options.segment_s * rate_hz)));
  const std::size_t len = std::min(v.size(), wanted);
  const std::size_t hop = len / 2;
  const std::size_t count = (v.size() - len) / hop + 1;

  std::vector<double> window(len);
  double window_power = 0;
  for (std::size_t t = 0; t < len; ++t) {
    window[t] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(t) /
                                     static_cast<double>(len));
    window_power += window[t] * window[t];
  }

  detail::RealFft fft(len);
  const std::span<double> segment = fft.real();
  const std::span<const std::complex<double>> bins = fft.spectrum();
  PowerSpectrum out;
  out.segment_length = len;
  out.segment_count = count;
  out.resolution_hz = rate_hz / static_cast<double>(len);
  out.density.assign(fft.bins(), 0.0);
  for (std::size_t s = 0; s < count; ++s) {
    const auto first = v.begin() + static_cast<std::ptrdiff_t>(s * hop);
    const auto last = first + static_cast<std::ptrdiff_t>(len);
    const double mean = std::reduce(first, last) / static_cast<double>(len);
    // A constant segment has no power; its rounded mean must not invent some.
    const auto [lo, hi] = std::minmax_element(first, last);
    const double centre = *lo == *hi ? *lo : mean;
    for (std::size_t t = 0; t < len; ++t) {
      segment[t] = (first[static_cast<std::ptrdiff_t>(t)] - centre) * window[t];
    }
    fft.forward();
    for (std::size_t k = 0; k < bins.size(); ++k) out.density[k] += std::norm(bins[k]);
  }
  const double scale = 1.0 / (rate_hz * window_power * static_cast<double>(count));
  for (std::size_t k = 0; k < out.density.size(); ++k) {
    const bool unpaired = k == 0 || (len % 2 == 0 && k == len / 2);
    out.density[k] *= unpaired ? scale : 2 * scale;
    out.frequency_hz.push_back(static_cast<double>(k) * out.resolution_hz);
  }
  return out;
}

SpectralMeasures spectral_measures(const PowerSpectrum& s) {
  double m0 = 0;
  double m1 = 0;
  double m2 = 0;
  double low = 0;
  double mid = 0;
  double high = 0;
  for (std::size_t k = 0; k < s.density.size(); ++k) {
    const double f = s.frequency_hz[k];
    const double p = s.density[k] * s.resolution_hz;
    m0 += p;
    m1 += f * p;
    m2 += f * f * p;
    if (f < 0.5) {
      low += p;
    } else if (f < 2.0) {
      mid += p;
    } else {
      high += p;
    }
  }
  if (!(m0 > 0)) detail::fail("spectral_measures", "the spectrum holds no power");
  SpectralMeasures m;
  m.total_power = m0;
  const auto peak = std::max_element(s.density.begin(), s.density.end());
  m.peak_frequency_hz = s.frequency_hz[static_cast<std::size_t>(peak - s.density.begin())];
  m.power_frequency_50_hz = power_frequency(s, 0.50);
  m.power_frequency_95_hz = power_frequency(s, 0.95);
  m.mean_power_frequency_hz = m1 / m0;
  m.centroidal_frequency_hz = std::sqrt(m2 / m0);
  m.frequency_dispersion = m2 > 0 ? std::sqrt(std::max(0.0, 1 - m1 * m1 / (m0 * m2))) : 0.0;
  m.percent_below_0p5_hz = 100 * low / m0;
  m.percent_0p5_to_2_hz = 100 * mid / m0;
  m.percent_above_2_hz = 100 * high / m0;
  return m;
}

}  // namespace fp::analysis
