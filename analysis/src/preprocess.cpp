#include "forceplate/analysis/preprocess.hpp"

#include <cmath>
#include <numeric>
#include <sstream>

#include "checks.hpp"

namespace fp::analysis {

namespace {
constexpr const char* where = "prepare_cop";

// Frequency at which the forward-backward gain |H|^2 falls to 1/sqrt(2) (-3 dB), by bisection:
// the gain falls monotonically from 1 at DC to 0 at Nyquist.
double minus_3db_hz(const LowpassFilter& f, double rate_hz) {
  const auto sections = butterworth_lowpass(f.order / 2, f.cutoff_hz, rate_hz);
  double lo = 0;
  double hi = f.cutoff_hz;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    const double g = magnitude_response(sections, mid, rate_hz);
    (g * g > 1 / std::sqrt(2.0) ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

std::string describe(const LowpassFilter& f, double rate_hz, std::size_t pad) {
  std::ostringstream s;
  s.precision(4);
  s << "low-pass: zero-phase Butterworth, order-" << f.order / 2
    << " design run forward and backward (effective order " << f.order << "), cut-off "
    << f.cutoff_hz << " Hz (-6 dB there; -3 dB at " << minus_3db_hz(f, rate_hz) << " Hz), " << pad
    << " samples of odd reflection at each end";
  return s.str();
}

double centre(std::vector<double>& v) {
  const double m = std::reduce(v.begin(), v.end()) / static_cast<double>(v.size());
  for (double& s : v) s -= m;
  return m;
}
}  // namespace

PreparedCop prepare_cop(std::span<const double> x, std::span<const double> y, double rate_hz,
                        const Preprocessing& o) {
  detail::check_rate(where, rate_hz);
  detail::check_same_length(where, "x", x.size(), "y", y.size());
  if (x.size() < 2) detail::fail(where, "need at least 2 samples, got " + detail::str(x.size()));
  detail::check_finite(where, "x", x);
  detail::check_finite(where, "y", y);
  detail::check_cop_metres(where, "x", x);
  detail::check_cop_metres(where, "y", y);

  PreparedCop p;
  if (o.lowpass) {
    p.x = zero_phase_lowpass(x, rate_hz, *o.lowpass);
    p.y = zero_phase_lowpass(y, rate_hz, *o.lowpass);
    p.processing.push_back(
        describe(*o.lowpass, rate_hz, lowpass_padding(x.size(), rate_hz, *o.lowpass)));
  } else {
    p.x.assign(x.begin(), x.end());
    p.y.assign(y.begin(), y.end());
    p.processing.emplace_back("low-pass: none (raw signal; peak velocity then includes noise)");
  }

  p.window = {0, x.size()};
  if (o.window) {
    p.window = to_sample_window(*o.window, x.size(), rate_hz);
    const auto b = static_cast<std::ptrdiff_t>(p.window.begin);
    const auto e = static_cast<std::ptrdiff_t>(p.window.end);
    p.x = std::vector<double>(p.x.begin() + b, p.x.begin() + e);
    p.y = std::vector<double>(p.y.begin() + b, p.y.begin() + e);
    p.processing.push_back("window: " + detail::str(o.window->start_s) + " s to " +
                           detail::str(o.window->end_s) + " s (samples " +
                           detail::str(p.window.begin) + " to " + detail::str(p.window.end - 1) +
                           ", " + detail::str(p.window.size()) + " samples)");
  } else {
    p.processing.push_back("window: whole recording (" + detail::str(x.size()) + " samples)");
  }

  if (o.remove_mean) {
    const double mx = centre(p.x);
    const double my = centre(p.y);
    p.processing.push_back("mean removed: ML " + detail::str(mx * 1e3) + " mm, AP " +
                           detail::str(my * 1e3) + " mm");
  } else {
    p.processing.emplace_back("mean kept: distances are from the plate centre");
  }
  return p;
}

}  // namespace fp::analysis
