#include "positional.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numbers>

#include "sway_metrics.hpp"

namespace fp::analysis::detail {

double mean_absolute(std::span<const double> v) {
  double sum = 0;
  for (const double s : v) sum += std::abs(s);
  return sum / static_cast<double>(v.size());
}

EllipseAxes ellipse95_axes(std::span<const double> x, std::span<const double> y) {
  const double sxx = covariance(x, x);
  const double syy = covariance(y, y);
  const double sxy = covariance(x, y);
  const double half_sum = (sxx + syy) / 2;
  const double root = std::hypot((sxx - syy) / 2, sxy);
  const double scale = 2 * ellipse95_factor(static_cast<double>(x.size()));
  EllipseAxes e;
  e.major = std::sqrt(scale * (half_sum + root));
  e.minor = std::sqrt(scale * std::max(0.0, half_sum - root));  // rounding, as for the area
  e.angle_rad = 0.5 * std::atan2(2 * sxy, sxx - syy);
  if (e.angle_rad <= -std::numbers::pi / 2) e.angle_rad += std::numbers::pi;
  return e;
}

double circle95_area(std::span<const double> x, std::span<const double> y) {
  const RadialStats r = radial_stats(x, y);
  double squares = 0;  // two passes: rms^2 - mean^2 would lose the SD of a near-circle to rounding
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double d = std::sqrt(x[i] * x[i] + y[i] * y[i]) - r.mean;
    squares += d * d;
  }
  const double sd = std::sqrt(squares / static_cast<double>(x.size()));
  const double z = boost::math::quantile(boost::math::normal_distribution<double>(), 0.95);
  return std::numbers::pi * std::pow(r.mean + z * sd, 2);
}

PeakSpeeds peak_speeds(std::span<const double> x, std::span<const double> y, double rate_hz) {
  PeakSpeeds p;
  for (std::size_t i = 1; i + 1 < x.size(); ++i) {
    const double vx = (x[i + 1] - x[i - 1]) * rate_hz / 2;
    const double vy = (y[i + 1] - y[i - 1]) * rate_hz / 2;
    p.planar = std::max(p.planar, std::sqrt(vx * vx + vy * vy));
    p.ml = std::max(p.ml, std::abs(vx));
    p.ap = std::max(p.ap, std::abs(vy));
  }
  return p;
}

double fractal_dimension_ce(double n, double path_length, double ellipse_area) {
  const double d = std::sqrt(4 * ellipse_area / std::numbers::pi);
  if (!(d > 0) || !(path_length > 0)) return std::numeric_limits<double>::quiet_NaN();
  return std::log(n) / std::log(n * d / path_length);
}

}  // namespace fp::analysis::detail
