// Balance-failure detectors of single-leg stance (see single_leg.hpp for the rules).
#include <algorithm>
#include <cmath>
#include <string>

#include "checks.hpp"
#include "forceplate/analysis/single_leg.hpp"

namespace fp::analysis {

namespace {
constexpr const char* where = "detect_balance_failures";

struct Flag {
  std::size_t begin = 0;  // samples [begin, end)
  std::size_t end = 0;
  FailureKind kind = FailureKind::step_off;
};

// Severity order for a merged failure: stepping off > touchdown beside > on the plate.
int severity(FailureKind k) {
  switch (k) {
    case FailureKind::step_off:
      return 2;
    case FailureKind::touchdown_off_plate:
      return 1;
    case FailureKind::touchdown_on_plate:
      return 0;
  }
  return 0;
}

void check_options(const SingleLegOptions& o) {
  const auto positive = [](double v) { return std::isfinite(v) && v > 0; };
  const bool ok = positive(o.step_off_fraction) && positive(o.touchdown_fraction) &&
                  o.step_off_fraction < o.touchdown_fraction && o.touchdown_fraction < 1 &&
                  std::isfinite(o.touchdown_min_s) && o.touchdown_min_s >= 0 &&
                  positive(o.force_excursion_fraction) && positive(o.cop_speed_limit_m_per_s) &&
                  positive(o.cop_speed_baseline_s) && positive(o.touchdown_max_s) &&
                  std::isfinite(o.merge_gap_s) && o.merge_gap_s >= 0;
  if (!ok) {
    detail::fail(where,
                 "detector thresholds must be finite and positive, with step_off_fraction "
                 "< touchdown_fraction < 1");
  }
}

// Runs of consecutive samples where `pred` holds and that last longer than min_samples.
template <typename Pred>
void add_runs(std::vector<Flag>& flags, std::size_t n, std::size_t min_samples, FailureKind kind,
              Pred pred) {
  std::size_t start = 0;
  bool inside = false;
  for (std::size_t i = 0; i <= n; ++i) {
    const bool on = i < n && pred(i);
    if (on && !inside) start = i;
    if (!on && inside && i - start > min_samples) flags.push_back({start, i, kind});
    inside = on;
  }
}

std::vector<BalanceFailure> merge(std::vector<Flag> flags, double rate_hz, std::size_t gap) {
  std::sort(flags.begin(), flags.end(),
            [](const Flag& a, const Flag& b) { return a.begin < b.begin; });
  std::vector<Flag> merged;
  for (const Flag& f : flags) {
    if (!merged.empty() && f.begin <= merged.back().end + gap) {
      Flag& m = merged.back();
      m.end = std::max(m.end, f.end);
      if (severity(f.kind) > severity(m.kind)) m.kind = f.kind;
    } else {
      merged.push_back(f);
    }
  }
  std::vector<BalanceFailure> out;
  for (const Flag& m : merged) {
    out.push_back(
        {m.kind, static_cast<double>(m.begin) / rate_hz, static_cast<double>(m.end) / rate_hz});
  }
  return out;
}
}  // namespace

const char* to_string(FailureKind k) {
  switch (k) {
    case FailureKind::step_off:
      return "step off the plate";
    case FailureKind::touchdown_off_plate:
      return "touchdown off the plate";
    case FailureKind::touchdown_on_plate:
      return "touchdown on the plate or hop";
  }
  return "";
}

std::vector<BalanceFailure> detect_balance_failures(std::span<const double> fz,
                                                    std::span<const double> x,
                                                    std::span<const double> y, double rate_hz,
                                                    double body_weight_n,
                                                    const SingleLegOptions& o) {
  detail::check_rate(where, rate_hz);
  detail::check_same_length(where, "fz", fz.size(), "x", x.size());
  detail::check_same_length(where, "fz", fz.size(), "y", y.size());
  check_options(o);
  if (!std::isfinite(body_weight_n) || body_weight_n <= 0) {
    detail::fail(
        where, "body weight must be positive and finite, got " + detail::str(body_weight_n) + " N");
  }
  detail::check_finite(where, "fz", fz);
  const double loaded = o.step_off_fraction * body_weight_n;
  for (std::size_t i = 0; i < fz.size(); ++i) {
    if (fz[i] < loaded) continue;  // the COP of an unloaded plate means nothing
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      const char* axis = std::isfinite(x[i]) ? "y" : "x";
      detail::fail(where, std::string(axis) + "[" + detail::str(i) + "] is missing or not finite " +
                              "while the plate carries " + detail::str(fz[i]) + " N");
    }
  }

  const std::size_t n = fz.size();
  std::vector<Flag> flags;
  add_runs(flags, n, 0, FailureKind::step_off, [&](std::size_t i) { return fz[i] < loaded; });
  const auto touchdown_samples = static_cast<std::size_t>(std::round(o.touchdown_min_s * rate_hz));
  add_runs(flags, n, touchdown_samples, FailureKind::touchdown_off_plate,
           [&](std::size_t i) { return fz[i] < o.touchdown_fraction * body_weight_n; });
  add_runs(flags, n, 0, FailureKind::touchdown_on_plate, [&](std::size_t i) {
    return std::abs(fz[i] - body_weight_n) > o.force_excursion_fraction * body_weight_n;
  });
  const auto k = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::round(o.cop_speed_baseline_s * rate_hz)));
  const double max_step = o.cop_speed_limit_m_per_s * static_cast<double>(k) / rate_hz;
  const auto longest = static_cast<std::size_t>(std::round(o.touchdown_max_s * rate_hz));
  const auto distance = [&](std::size_t a, std::size_t b) {
    return std::hypot(x[a] - x[b], y[a] - y[b]);
  };
  for (std::size_t i = 0; i + k < n; ++i) {
    if (fz[i] < loaded || fz[i + k] < loaded || distance(i + k, i) <= max_step) continue;
    // Onset: the first sample of the baseline at which the COP is half the limit away from p(i),
    // so that a sudden jump is dated to the sample where it happens, not a baseline earlier.
    std::size_t m = i + 1;
    while (m < i + k && distance(m, i) <= max_step / 2) ++m;
    // The foot stays down until the COP comes back within half the jump of where it was.
    const std::size_t before = m - 1;
    const double jump = distance(i + k, before);
    std::size_t end = i + k + 1;
    while (end < n && end < m + longest &&
           !(fz[end] >= loaded && distance(end, before) < jump / 2)) {
      ++end;
    }
    flags.push_back({m, end, FailureKind::touchdown_on_plate});
    i = end - 1;  // resume after it: the jump back is part of this failure
  }
  const auto gap = static_cast<std::size_t>(std::round(o.merge_gap_s * rate_hz));
  return merge(std::move(flags), rate_hz, gap);
}

}  // namespace fp::analysis
