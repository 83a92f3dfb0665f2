#include "forceplate/analysis/weight_bearing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "checks.hpp"

namespace fp::analysis {

WeightBearingResult analyze_weight_bearing(std::span<const double> left,
                                           std::span<const double> right, double rate_hz,
                                           const WeightBearingOptions& o) {
  constexpr const char* where = "analyze_weight_bearing";
  detail::check_rate(where, rate_hz);
  detail::check_same_length(where, "fz_left", left.size(), "fz_right", right.size());
  detail::check_duration(where, left.size(), rate_hz, 1.0, 2);
  detail::check_finite(where, "fz_left", left);
  detail::check_finite(where, "fz_right", right);

  WeightBearingResult out;
  out.percent_left.assign(left.size(), std::numeric_limits<double>::quiet_NaN());
  double sum = 0, total = 0;
  double lo = 100, hi = 0;
  std::size_t used = 0;
  double largest = 0;
  for (std::size_t i = 0; i < left.size(); ++i) {
    const double t = left[i] + right[i];
    largest = std::max(largest, t);
    if (t < o.min_total_force_n) continue;
    const double p = 100 * left[i] / t;
    out.percent_left[i] = p;
    sum += p;
    total += t;
    lo = std::min(lo, p);
    hi = std::max(hi, p);
    ++used;
  }
  if (used == 0) {
    detail::fail(where, "no force on the plates: together they never carry " +
                            detail::str(o.min_total_force_n) + " N (largest " +
                            detail::str(largest) + " N; is Fz in newtons?)");
  }
  const auto n = static_cast<double>(used);
  const double mean_left = sum / n;
  const double mean_right = 100 - mean_left;
  double squares = 0;  // second pass: exact 0 for a constant share
  for (const double p : out.percent_left) {
    if (!std::isnan(p)) squares += (p - mean_left) * (p - mean_left);
  }
  const double sd = std::sqrt(squares / n);

  AnalysisResult& r = out.result;
  r.test = "weight-bearing";
  r.measures = {
      {"load_left_mean", mean_left, Unit::percent},
      {"load_right_mean", mean_right, Unit::percent},
      {"load_sd", sd, Unit::percent},
      {"load_left_min", lo, Unit::percent},
      {"load_left_max", hi, Unit::percent},
      {"load_asymmetry", 100 * std::abs(mean_left - mean_right) / std::max(mean_left, mean_right),
       Unit::percent},
      {"total_force_mean", total / n, Unit::newton},
      {"duration", static_cast<double>(left.size()) / rate_hz, Unit::second},
      {"sample_count", static_cast<double>(left.size()), Unit::dimensionless},
  };
  if (used < left.size()) {
    r.warnings.push_back(std::to_string(left.size() - used) + " of " + std::to_string(left.size()) +
                         " samples carry less than " + detail::str(o.min_total_force_n) +
                         " N in total and are left out");
  }
  return out;
}

}  // namespace fp::analysis
