#pragma once
// Measures of the COP positions and speeds beyond the reference set; internal to fp_analysis.
// Inputs are validated by the caller (equal lengths, finite, at least 3 samples).
#include <span>

namespace fp::analysis::detail {

double mean_absolute(std::span<const double> v);  // (1/n) sum |v_i|

// Semi-axes and orientation of the 95 % prediction ellipse (the one of ellipse95_area):
// a = sqrt(2 F' lambda_1), b = sqrt(2 F' lambda_2) for the eigenvalues lambda_1 >= lambda_2 of the
// population covariance and F' = ellipse95_factor(n), so pi a b is the area. The angle of the
// major axis from +x toward +y, in (-pi/2, pi/2] (0 when the cloud is round).
struct EllipseAxes {
  double major = 0;
  double minor = 0;
  double angle_rad = 0;
};
EllipseAxes ellipse95_axes(std::span<const double> x, std::span<const double> y);

// Prieto's 95 % confidence circle: pi (MDIST + z_0.95 s_RD)^2, z_0.95 = 1.645 (one-sided normal
// quantile), s_RD the population SD of the distances r_i = sqrt(x_i^2 + y_i^2).
double circle95_area(std::span<const double> x, std::span<const double> y);

// Largest speeds by central differences (p[i+1] - p[i-1]) * rate / 2, i = 1 .. n-2.
struct PeakSpeeds {
  double planar = 0;
  double ml = 0;
  double ap = 0;
};
PeakSpeeds peak_speeds(std::span<const double> x, std::span<const double> y, double rate_hz);

// FD-CE of Prieto et al. 1996 as coded by Quijoux et al. 2021: log N / log(N d / L) with N the
// number of samples, L the path length and d = sqrt(4 * ellipse area / pi) = 2 sqrt(a b).
// NaN when d or L is 0.
double fractal_dimension_ce(double n, double path_length, double ellipse_area);

}  // namespace fp::analysis::detail
