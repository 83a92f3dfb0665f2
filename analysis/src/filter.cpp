#include "forceplate/analysis/filter.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "checks.hpp"

namespace fp::analysis {

namespace {
constexpr int max_design_order = 16;

void check_design(const char* where, int order, double cutoff_hz, double rate_hz) {
  detail::check_rate(where, rate_hz);
  if (order < 1 || order > max_design_order) {
    detail::fail(where, "Butterworth design order must be 1 .. " +
                            std::to_string(max_design_order) + ", got " + std::to_string(order));
  }
  if (!std::isfinite(cutoff_hz) || cutoff_hz <= 0 || cutoff_hz >= rate_hz / 2) {
    detail::fail(where, "low-pass cut-off " + detail::str(cutoff_hz) +
                            " Hz must lie between 0 and the Nyquist frequency " +
                            detail::str(rate_hz / 2) + " Hz");
  }
}

// Steady state of a transposed direct form II section fed the constant c forever. Every
// section here has unity DC gain, so its output is c as well.
void settle(const Biquad& s, double c, double& z1, double& z2) {
  const double gain = (s.b0 + s.b1 + s.b2) / (1 + s.a1 + s.a2);
  const double y = gain * c;
  z2 = s.b2 * c - s.a2 * y;
  z1 = s.b1 * c - s.a1 * y + z2;
}

// In-place cascade pass; `steady` starts every section in the steady state of v[0].
void run(std::span<const Biquad> sections, std::vector<double>& v, bool steady) {
  for (const Biquad& s : sections) {
    double z1 = 0;
    double z2 = 0;
    if (steady && !v.empty()) settle(s, v.front(), z1, z2);
    for (double& x : v) {
      const double y = s.b0 * x + z1;
      z1 = s.b1 * x - s.a1 * y + z2;
      z2 = s.b2 * x - s.a2 * y;
      x = y;
    }
  }
}
}  // namespace

std::vector<Biquad> butterworth_lowpass(int design_order, double cutoff_hz, double rate_hz) {
  check_design("butterworth_lowpass", design_order, cutoff_hz, rate_hz);
  // Normalised analogue prototype H(s) = 1 / prod(s^2 + b_k s + 1) [* 1 / (s + 1) for odd
  // orders], b_k = 2 sin((2k + 1) pi / (2N)); bilinear s = (1/K)(1 - z^-1)/(1 + z^-1) with the
  // pre-warped K = tan(pi fc / fs), so that the digital -3 dB point is exactly fc.
  const double k = std::tan(std::numbers::pi * cutoff_hz / rate_hz);
  const double k2 = k * k;
  std::vector<Biquad> sections;
  for (int i = 0; i < design_order / 2; ++i) {
    const double b = 2 * std::sin((2 * i + 1) * std::numbers::pi / (2 * design_order));
    const double a0 = 1 + b * k + k2;
    sections.push_back({k2 / a0, 2 * k2 / a0, k2 / a0, (2 * k2 - 2) / a0, (1 - b * k + k2) / a0});
  }
  if (design_order % 2 == 1) {
    const double a0 = 1 + k;
    sections.push_back({k / a0, k / a0, 0, (k - 1) / a0, 0});
  }
  return sections;
}

double magnitude_response(std::span<const Biquad> sections, double f_hz, double rate_hz) {
  const std::complex<double> z1 = std::polar(1.0, -2 * std::numbers::pi * f_hz / rate_hz);
  const std::complex<double> z2 = z1 * z1;
  double gain = 1;
  for (const Biquad& s : sections) {
    gain *= std::abs((s.b0 + s.b1 * z1 + s.b2 * z2) / (1.0 + s.a1 * z1 + s.a2 * z2));
  }
  return gain;
}

std::vector<double> filter_forward(std::span<const Biquad> sections, std::span<const double> x) {
  std::vector<double> v(x.begin(), x.end());
  run(sections, v, false);
  return v;
}

std::size_t lowpass_padding(std::size_t n, double rate_hz, const LowpassFilter& filter) {
  if (n < 2) return 0;
  const double want = std::ceil(3 * rate_hz / filter.cutoff_hz);
  return static_cast<std::size_t>(std::min(want, static_cast<double>(n - 1)));
}

std::vector<double> zero_phase_lowpass(std::span<const double> x, double rate_hz,
                                       const LowpassFilter& filter) {
  constexpr const char* where = "zero_phase_lowpass";
  if (filter.order < 2 || filter.order % 2 != 0) {
    detail::fail(where, "effective (forward-backward) order must be even and at least 2, got " +
                            std::to_string(filter.order));
  }
  check_design(where, filter.order / 2, filter.cutoff_hz, rate_hz);
  if (x.size() < 2) detail::fail(where, "need at least 2 samples, got " + detail::str(x.size()));
  detail::check_finite(where, "x", x);
  const std::vector<Biquad> sections =
      butterworth_lowpass(filter.order / 2, filter.cutoff_hz, rate_hz);

  const std::size_t n = x.size();
  const std::size_t pad = lowpass_padding(n, rate_hz, filter);
  std::vector<double> v;
  v.reserve(n + 2 * pad);
  for (std::size_t k = pad; k >= 1; --k) v.push_back(2 * x[0] - x[k]);
  v.insert(v.end(), x.begin(), x.end());
  for (std::size_t k = 1; k <= pad; ++k) v.push_back(2 * x[n - 1] - x[n - 1 - k]);

  run(sections, v, true);
  std::reverse(v.begin(), v.end());
  run(sections, v, true);
  std::reverse(v.begin(), v.end());
  return {v.begin() + static_cast<std::ptrdiff_t>(pad),
          v.begin() + static_cast<std::ptrdiff_t>(pad + n)};
}

}  // namespace fp::analysis
