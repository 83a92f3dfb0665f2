#pragma once
// Building blocks of the sway measures; internal to fp_analysis. Inputs are validated by the caller
// (equal lengths, finite, at least 3 samples).
#include <span>

namespace fp::analysis::detail {

struct PathLengths {
  double total = 0;  // sum of planar step lengths
  double ml = 0;     // sum of |x steps|
  double ap = 0;     // sum of |y steps|
};
PathLengths path_lengths(std::span<const double> x, std::span<const double> y);

double mean(std::span<const double> v);
double root_mean_square(std::span<const double> v);  // about zero, not about the mean
double range(std::span<const double> v);

struct RadialStats {
  double mean = 0;  // mean distance from the origin
  double rms = 0;
  double max = 0;
};
RadialStats radial_stats(std::span<const double> x, std::span<const double> y);

// Population (1/n) covariance of two equally long series.
double covariance(std::span<const double> a, std::span<const double> b);

// F_0.95(2, n-2) * (n+1)(n-1) / (n(n-2)): the 95 % prediction ellipse of n points is
// {p : (p - mean)' S^-1 (p - mean) <= 2 * factor} for their population covariance S.
double ellipse95_factor(double n);

// Area of the 95 % prediction ellipse of the points (always about their mean).
double ellipse95_area(std::span<const double> x, std::span<const double> y);

// Sum of the triangles spanned by the origin and each pair of consecutive points.
double swept_area(std::span<const double> x, std::span<const double> y);

}  // namespace fp::analysis::detail
