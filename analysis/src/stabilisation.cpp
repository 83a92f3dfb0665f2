#include "stabilisation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace fp::analysis::detail {

std::optional<double> band_settling(std::span<const double> x, double reference, double half_width,
                                    double tolerance) {
  const auto dev = [&](std::size_t i) { return std::abs(x[i] - reference); };
  const double low = half_width - tolerance;
  std::size_t i = x.size();
  while (i > 0 && dev(i - 1) < low) --i;
  if (i == 0) return 0.0;
  const std::size_t last = i - 1;  // last sample within `tolerance` of the edge or beyond it
  if (last + 1 == x.size()) return std::nullopt;
  // The last excursion [first, last] that comes within the tolerance of the edge.
  std::size_t first = last;
  while (first > 0 && dev(first - 1) >= low) --first;
  std::size_t top = first;
  for (std::size_t k = first; k <= last; ++k) {
    if (dev(k) > dev(top)) top = k;
  }
  if (dev(top) >= half_width + 2 * tolerance) {
    // A clear crossing: where the deviation comes back inside the band for the last time.
    std::size_t q = last;
    while (dev(q) < half_width) --q;  // stops at `top` at the latest
    const double a = dev(q), b = dev(q + 1);
    const double frac = a > b ? (a - half_width) / (a - b) : 0.0;
    return static_cast<double>(q) + std::clamp(frac, 0.0, 1.0);
  }
  // The excursion only just reaches the edge (or grazes it): a crossing at a shallow angle, which
  // noise moves a lot. A parabola fitted by least squares to the deviation over the excursion
  // (widened by half its length on each side) averages the noise out: the signal is stable from
  // where the parabola comes back inside the band, or from its top if that stays within the
  // tolerance below the edge.
  const std::size_t half = (last - first + 2) / 2;
  const std::size_t wb = first > half ? first - half : 0;
  const std::size_t we = std::min(x.size() - 1, last + half);
  const double c = static_cast<double>(top);
  double m[3][4] = {};
  for (std::size_t k = wb; k <= we; ++k) {
    const double u = static_cast<double>(k) - c;
    const double basis[3] = {1, u, u * u};
    for (int r = 0; r < 3; ++r) {
      for (int q = 0; q < 3; ++q) m[r][q] += basis[r] * basis[q];
      m[r][3] += basis[r] * dev(k);
    }
  }
  for (int col = 0; col < 3; ++col) {  // Gauss-Jordan; the system is small and well posed
    int piv = col;
    for (int r = col + 1; r < 3; ++r) {
      if (std::abs(m[r][col]) > std::abs(m[piv][col])) piv = r;
    }
    for (int q = 0; q < 4; ++q) std::swap(m[col][q], m[piv][q]);
    if (m[col][col] == 0) return static_cast<double>(top);
    for (int r = 0; r < 3; ++r) {
      if (r == col) continue;
      const double fct = m[r][col] / m[col][col];
      for (int q = col; q < 4; ++q) m[r][q] -= fct * m[col][q];
    }
  }
  const double p0 = m[0][3] / m[0][0], p1 = m[1][3] / m[1][1], p2 = m[2][3] / m[2][2];
  if (!(p2 < 0)) return static_cast<double>(top);  // not a peak: keep the largest sample
  const double vertex = -p1 / (2 * p2);
  const double peak = p0 + p1 * vertex + p2 * vertex * vertex;
  double at = vertex;
  if (peak > half_width) at += std::sqrt((peak - half_width) / -p2);  // descending crossing
  at = std::clamp(c + at, static_cast<double>(wb), static_cast<double>(we));
  return at;
}

std::optional<double> sequential_average_settling(std::span<const double> x, double sd_fraction) {
  const std::size_t n = x.size();
  if (n < 2) return std::nullopt;
  double sum = 0;
  for (const double v : x) sum += v;
  const double mean = sum / static_cast<double>(n);
  double sq = 0;
  for (const double v : x) sq += (v - mean) * (v - mean);
  const double band = sd_fraction * std::sqrt(sq / static_cast<double>(n));
  // Walk forward keeping the last k whose sequential average was outside the band.
  double run = 0;
  std::size_t first_stable = 0;
  for (std::size_t k = 0; k < n; ++k) {
    run += x[k];
    const double avg = run / static_cast<double>(k + 1);
    if (std::abs(avg - mean) > band) first_stable = k + 1;
  }
  // The last sequential average is the mean itself, so first_stable < n.
  return static_cast<double>(first_stable);
}

std::optional<double> polynomial_settling(std::span<const double> x, double reference,
                                          double threshold) {
  const std::size_t n = x.size();
  if (n < 8) return std::nullopt;
  // Least squares in the variable u = 2 i / (n - 1) - 1 in [-1, 1] (keeps the normal equations
  // well conditioned): accumulate sums of u^k (k <= 6) and u^k y (k <= 3).
  std::array<double, 7> su{};
  std::array<double, 4> sy{};
  const double scale = 2.0 / static_cast<double>(n - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(i) * scale - 1.0;
    const double y = std::abs(x[i] - reference);
    double p = 1;
    for (std::size_t k = 0; k < 7; ++k) {
      su[k] += p;
      if (k < 4) sy[k] += p * y;
      p *= u;
    }
  }
  std::array<std::array<double, 5>, 4> m{};  // augmented normal equations
  for (std::size_t r = 0; r < 4; ++r) {
    for (std::size_t c = 0; c < 4; ++c) m[r][c] = su[r + c];
    m[r][4] = sy[r];
  }
  for (std::size_t c = 0; c < 4; ++c) {  // Gaussian elimination with partial pivoting
    std::size_t piv = c;
    for (std::size_t r = c + 1; r < 4; ++r) {
      if (std::abs(m[r][c]) > std::abs(m[piv][c])) piv = r;
    }
    std::swap(m[c], m[piv]);
    if (m[c][c] == 0) return std::nullopt;
    for (std::size_t r = c + 1; r < 4; ++r) {
      const double f = m[r][c] / m[c][c];
      for (std::size_t k = c; k < 5; ++k) m[r][k] -= f * m[c][k];
    }
  }
  std::array<double, 4> coef{};
  for (std::size_t r = 4; r-- > 0;) {
    double s = m[r][4];
    for (std::size_t k = r + 1; k < 4; ++k) s -= m[r][k] * coef[k];
    coef[r] = s / m[r][r];
  }
  const auto fit = [&](std::size_t i) {
    const double u = static_cast<double>(i) * scale - 1.0;
    return ((coef[3] * u + coef[2]) * u + coef[1]) * u + coef[0];
  };
  double prev = fit(0);
  if (prev <= threshold) return 0.0;
  for (std::size_t i = 1; i < n; ++i) {
    const double cur = fit(i);
    if (cur <= threshold) {
      return static_cast<double>(i - 1) + (prev - threshold) / (prev - cur);
    }
    prev = cur;
  }
  return std::nullopt;
}

}  // namespace fp::analysis::detail
