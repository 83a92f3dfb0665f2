#include "forceplate/analysis/single_leg.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "checks.hpp"

namespace fp::analysis {

namespace {
constexpr const char* where = "analyze_single_leg_stance";
constexpr double min_sway_s = 2.0;
constexpr double max_weight_mismatch = 3.0;  // kg vs N differ by 9.81

double median(std::span<const double> v) {
  std::vector<double> s(v.begin(), v.end());
  const auto mid = s.begin() + static_cast<std::ptrdiff_t>(s.size() / 2);
  std::nth_element(s.begin(), mid, s.end());
  return *mid;
}

std::string seconds(double s) {
  std::ostringstream o;
  o.precision(3);
  o << std::fixed << s << " s";
  return o.str();
}

// Displacement toward the body midline, from the mean: +x for the left foot, -x for the right.
void add_excursions(AnalysisResult& r, std::span<const double> x, Side side) {
  const double mean = std::reduce(x.begin(), x.end()) / static_cast<double>(x.size());
  const double toward_midline = side == Side::left ? 1.0 : -1.0;
  double max_medial = 0, max_lateral = 0, sum_medial = 0, sum_lateral = 0;
  std::size_t medial = 0, lateral = 0;
  for (const double v : x) {
    const double d = toward_midline * (v - mean);
    if (d > 0) {
      max_medial = std::max(max_medial, d);
      sum_medial += d;
      ++medial;
    } else if (d < 0) {
      max_lateral = std::max(max_lateral, -d);
      sum_lateral -= d;
      ++lateral;
    }
  }
  const auto mean_of = [](double sum, std::size_t count) {
    return count == 0 ? 0.0 : sum / static_cast<double>(count);
  };
  r.measures.push_back({"cop_max_medial_excursion", max_medial, Unit::metre});
  r.measures.push_back({"cop_max_lateral_excursion", max_lateral, Unit::metre});
  r.measures.push_back({"cop_mean_medial_excursion", mean_of(sum_medial, medial), Unit::metre});
  r.measures.push_back({"cop_mean_lateral_excursion", mean_of(sum_lateral, lateral), Unit::metre});
}

double body_weight(std::span<const double> fz, std::optional<double> given, double min_force_n,
                   std::vector<std::string>& processing) {
  const double typical = median(fz);
  if (!given) {
    if (typical < min_force_n) {
      detail::fail(where, "no force on the plate for most of the trial: median Fz " +
                              detail::str(typical) + " N is below " + detail::str(min_force_n) +
                              " N, so body weight cannot be estimated");
    }
    processing.push_back("body weight " + detail::str(typical) + " N: median Fz of the trial");
    return typical;
  }
  const double bw = *given;
  if (!std::isfinite(bw) || bw <= 0) {
    detail::fail(where, "body weight must be positive and finite, got " + detail::str(bw) + " N");
  }
  if (typical > max_weight_mismatch * bw || typical * max_weight_mismatch < bw) {
    detail::fail(where, "body weight " + detail::str(bw) + " N does not match the median Fz " +
                            detail::str(typical) + " N: is it in kg, or Fz not in N?");
  }
  processing.push_back("body weight " + detail::str(bw) + " N: as given");
  return bw;
}
}  // namespace

SingleLegResult analyze_single_leg_stance(std::span<const double> fz, std::span<const double> x,
                                          std::span<const double> y, double rate_hz, Side side,
                                          std::optional<double> body_weight_n,
                                          const SingleLegOptions& o) {
  detail::check_rate(where, rate_hz);
  detail::check_same_length(where, "fz", fz.size(), "x", x.size());
  detail::check_same_length(where, "fz", fz.size(), "y", y.size());
  detail::check_duration(where, fz.size(), rate_hz, min_sway_s, 3);
  detail::check_finite(where, "fz", fz);
  detail::check_cop_metres(where, "x", x);  // NaN (unloaded plate) is passed over here
  detail::check_cop_metres(where, "y", y);
  if (o.sway.preprocessing.window) {
    detail::fail(where,
                 "a time window is not used: the trial is analysed from its start to its "
                 "first failure");
  }
  const double most = *std::max_element(fz.begin(), fz.end());
  if (most < o.min_force_n) {
    detail::fail(where, "no force on the plate: Fz never reaches " + detail::str(o.min_force_n) +
                            " N (largest " + detail::str(most) + " N; is Fz in newtons?)");
  }

  SingleLegResult out;
  AnalysisResult& r = out.result;
  r.test = std::string("single-leg-stance-") + to_string(side);
  std::vector<std::string> processing{std::string("stance foot: ") + to_string(side)};
  out.body_weight_n = body_weight(fz, body_weight_n, o.min_force_n, processing);
  out.failures = detect_balance_failures(fz, x, y, rate_hz, out.body_weight_n, o);

  const double duration = static_cast<double>(fz.size()) / rate_hz;
  double failing = 0;
  for (const BalanceFailure& f : out.failures) failing += f.end_s - f.start_s;
  const double first = out.failures.empty() ? duration : out.failures.front().start_s;
  const auto stable = static_cast<std::size_t>(std::llround(first * rate_hz));

  if (!out.failures.empty()) {
    r.warnings.push_back("balance lost " + std::to_string(out.failures.size()) +
                         " time(s); the first (" + to_string(out.failures.front().kind) + ") at " +
                         seconds(first) + ": sway measures describe the " + seconds(first) +
                         " before it");
  }
  if (static_cast<double>(stable) >= min_sway_s * rate_hz && stable >= 3) {
    const auto xs = x.first(stable);
    const auto ys = y.first(stable);
    AnalysisResult sway = analyze_quiet_stance(xs, ys, rate_hz, o.sway);
    r.measures = std::move(sway.measures);
    r.warnings.insert(r.warnings.end(), sway.warnings.begin(), sway.warnings.end());
    processing.push_back("analysed 0 s to " + seconds(first) +
                         (out.failures.empty() ? " (whole trial)" : " (before the first failure)"));
    processing.insert(processing.end(), sway.processing.begin(), sway.processing.end());
    const PreparedCop p = prepare_cop(xs, ys, rate_hz, o.sway.preprocessing);
    add_excursions(r, p.x, side);
  } else {
    const std::string too_short = " before the first failure are too short for sway measures";
    r.warnings.push_back("the " + seconds(first) + too_short + " (they need " +
                         seconds(min_sway_s) + ")");
  }
  r.processing = std::move(processing);
  r.measures.push_back({"body_weight", out.body_weight_n, Unit::newton});
  r.measures.push_back(
      {"failure_count", static_cast<double>(out.failures.size()), Unit::dimensionless});
  r.measures.push_back({"time_to_first_failure", first, Unit::second});
  r.measures.push_back({"time_in_balance", duration - failing, Unit::second});
  return out;
}

}  // namespace fp::analysis
