#include <cmath>
#include <sstream>
#include <string>

#include "forceplate/analysis/sway.hpp"

namespace fp::analysis {

namespace {
// Longest run of samples at or above the threshold; the first of equally long runs wins.
// `!(v >= min)` makes NaN end a run.
SampleWindow longest_run(std::span<const double> fz, double min_force_n) {
  SampleWindow best;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= fz.size(); ++i) {
    if (i < fz.size() && fz[i] >= min_force_n) continue;
    if (i - start > best.size()) best = {start, i};
    start = i + 1;
  }
  return best;
}

void check(bool ok, const std::string& what, double got) {
  if (ok) return;
  std::ostringstream s;
  s << "find_stance_window: " << what << ", got " << got;
  throw AnalysisError(s.str());
}
}  // namespace

SampleWindow find_stance_window(std::span<const double> fz_n, double rate_hz, double min_force_n,
                                double settle_s) {
  check(std::isfinite(rate_hz) && rate_hz > 0, "sampling rate must be positive and finite",
        rate_hz);
  check(std::isfinite(min_force_n), "minimum force must be finite", min_force_n);
  check(std::isfinite(settle_s) && settle_s >= 0, "settle time must be finite and not negative",
        settle_s);
  const SampleWindow run = longest_run(fz_n, min_force_n);
  // Compare in floating point first so a huge settle time cannot overflow size_t.
  const double trim = std::round(settle_s * rate_hz);
  if (2.0 * trim >= static_cast<double>(run.size())) return {};
  const auto t = static_cast<std::size_t>(trim);
  return {run.begin + t, run.end - t};
}

}  // namespace fp::analysis
