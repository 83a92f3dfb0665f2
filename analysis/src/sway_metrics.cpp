#include "sway_metrics.hpp"

#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numbers>
#include <numeric>

namespace fp::analysis::detail {

namespace {
double count(std::span<const double> v) { return static_cast<double>(v.size()); }
}  // namespace

double covariance(std::span<const double> a, std::span<const double> b) {
  const double ma = mean(a);
  const double mb = mean(b);
  const double sum = std::transform_reduce(a.begin(), a.end(), b.begin(), 0.0, std::plus<>{},
                                           [&](double p, double q) { return (p - ma) * (q - mb); });
  return sum / count(a);
}

double ellipse95_factor(double n) {
  const boost::math::fisher_f_distribution<double> f_dist(2.0, n - 2.0);
  // Prediction (not confidence) region for one new point, as in the reference code (Quijoux 2021).
  return boost::math::quantile(f_dist, 0.95) * (n + 1.0) * (n - 1.0) / (n * (n - 2.0));
}

PathLengths path_lengths(std::span<const double> x, std::span<const double> y) {
  PathLengths p;
  for (std::size_t i = 1; i < x.size(); ++i) {
    const double dx = x[i] - x[i - 1];
    const double dy = y[i] - y[i - 1];
    p.total += std::sqrt(dx * dx + dy * dy);  // hypot's overflow guard is not needed here
    p.ml += std::abs(dx);
    p.ap += std::abs(dy);
  }
  return p;
}

double mean(std::span<const double> v) { return std::reduce(v.begin(), v.end(), 0.0) / count(v); }

double root_mean_square(std::span<const double> v) {
  return std::sqrt(std::transform_reduce(v.begin(), v.end(), v.begin(), 0.0) / count(v));
}

double range(std::span<const double> v) {
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *hi - *lo;
}

RadialStats radial_stats(std::span<const double> x, std::span<const double> y) {
  RadialStats r;
  double sum_sq = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double d = std::sqrt(x[i] * x[i] + y[i] * y[i]);
    r.mean += d;
    sum_sq += d * d;
    r.max = std::max(r.max, d);
  }
  r.mean /= count(x);
  r.rms = std::sqrt(sum_sq / count(x));
  return r;
}

double ellipse95_area(std::span<const double> x, std::span<const double> y) {
  // Rounding can push the determinant of a degenerate (collinear) cloud just below zero.
  const double det =
      std::max(0.0, covariance(x, x) * covariance(y, y) - std::pow(covariance(x, y), 2));
  return 2.0 * std::numbers::pi * ellipse95_factor(count(x)) * std::sqrt(det);
}

double swept_area(std::span<const double> x, std::span<const double> y) {
  double twice_area = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    twice_area += std::abs(x[i] * y[i - 1] - x[i - 1] * y[i]);
  }
  return twice_area / 2.0;
}

}  // namespace fp::analysis::detail
