// Gaussian white noise of known spread: measures must land within sampling error of their
// expectations. Tolerances are five standard errors of the estimate (fixed seed).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "forceplate/analysis/sway.hpp"
#include "signals.hpp"

namespace fp::analysis {
namespace {

using testing::value;
constexpr double pi = std::numbers::pi;
constexpr double rate = 100.0;
constexpr std::size_t n = 60000;  // 10 min at 100 Hz
constexpr unsigned seed = 20240611;
const double root_n = std::sqrt(static_cast<double>(n));
// Coefficient of variation of a Rayleigh-distributed length.
const double rayleigh_cv = std::sqrt((4 - pi) / pi);

TEST(SwayWhiteNoise, RmsPerAxis_NoiseOf3And2mmSd_MatchesStandardDeviations) {
  const double sx = 0.003;
  const double sy = 0.002;
  const auto t = testing::white_noise(sx, sy, n, rate, seed);
  const auto r = analyze_sway(t.x, t.y, rate);
  const double rel =
      5 / std::sqrt(2.0 * static_cast<double>(n));  // SE of a sample SD: sd / sqrt(2n)
  EXPECT_NEAR(value(r, "cop_rms_ml"), sx, rel * sx);
  EXPECT_NEAR(value(r, "cop_rms_ap"), sy, rel * sy);
  EXPECT_NEAR(value(r, "cop_rms"), std::hypot(sx, sy), rel * std::hypot(sx, sy));
}

// With equal spread sd on both axes the distance from the centre is Rayleigh: mean sd sqrt(pi/2).
TEST(SwayWhiteNoise, MeanDistance_IsotropicNoise_MatchesRayleighMean) {
  const double sd = 0.003;
  const auto t = testing::white_noise(sd, sd, n, rate, seed);
  const double expected = sd * std::sqrt(pi / 2);
  EXPECT_NEAR(value(analyze_sway(t.x, t.y, rate), "cop_mean_distance"), expected,
              5 * rayleigh_cv / root_n * expected);
}

// A step is the difference of two independent points: sd * sqrt(2) per axis, so its length is
// Rayleigh with mean sd sqrt(pi). Neighbouring steps share a point; that correlation (|rho| <= 1/2)
// at most doubles the variance of the sum, hence the extra sqrt(2).
TEST(SwayWhiteNoise, PathLength_IsotropicNoise_IsStepCountTimesRayleighStepMean) {
  const double sd = 0.003;
  const auto t = testing::white_noise(sd, sd, n, rate, seed);
  const double expected = static_cast<double>(n - 1) * sd * std::sqrt(pi);
  EXPECT_NEAR(value(analyze_sway(t.x, t.y, rate), "cop_path_length"), expected,
              5 * std::numbers::sqrt2 * rayleigh_cv / root_n * expected);
}

// For large n the 95 % prediction ellipse tends to the chi-square(2) ellipse of the true
// distribution: area pi * (-2 ln 0.05) * sd_x * sd_y. sd_x * sd_y has relative SE 1 / sqrt(n).
TEST(SwayWhiteNoise, Ellipse95Area_NoiseOfKnownSpread_ApproachesChiSquareEllipse) {
  const double sx = 0.003;
  const double sy = 0.002;
  const auto t = testing::white_noise(sx, sy, n, rate, seed);
  const double expected = pi * (-2 * std::log(0.05)) * sx * sy;
  EXPECT_NEAR(value(analyze_sway(t.x, t.y, rate), "cop_ellipse95_area"), expected,
              5 / root_n * expected);
}

// The area fixes the Mahalanobis radius c of an ellipse shaped by the sample covariance S
// (area = pi c sqrt(det S)); 95 % of the points should fall inside it. Correlated axes make the
// covariance term count. Binomial SE of the fraction: sqrt(0.95 * 0.05 / n).
TEST(SwayWhiteNoise, Ellipse95Area_CorrelatedNoise_EnclosesNinetyFivePercentOfPoints) {
  auto t = testing::white_noise(0.003, 0.002, n, rate, seed);
  for (std::size_t i = 0; i < n; ++i) t.y[i] = 0.6 * t.x[i] + 0.8 * t.y[i];
  const double area = value(analyze_sway(t.x, t.y, rate), "cop_ellipse95_area");

  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += t.x[i] / static_cast<double>(n);
    my += t.y[i] / static_cast<double>(n);
  }
  double sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (t.x[i] - mx) * (t.x[i] - mx) / static_cast<double>(n - 1);
    syy += (t.y[i] - my) * (t.y[i] - my) / static_cast<double>(n - 1);
    sxy += (t.x[i] - mx) * (t.y[i] - my) / static_cast<double>(n - 1);
  }
  const double det = sxx * syy - sxy * sxy;
  const double c = area / (pi * std::sqrt(det));
  std::size_t inside = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = t.x[i] - mx;
    const double dy = t.y[i] - my;
    if ((syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det <= c) ++inside;
  }
  const double fraction = static_cast<double>(inside) / static_cast<double>(n);
  EXPECT_NEAR(fraction, 0.95, 5 * std::sqrt(0.95 * 0.05 / static_cast<double>(n)));
}

}  // namespace
}  // namespace fp::analysis
