#include "forceplate/analysis/diffusion.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numeric>

#include "checks.hpp"
#include "fft.hpp"

namespace fp::analysis {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Line {
  double slope = nan;
  double intercept = nan;
};

// Ordinary least squares of y on x over [first, last].
template <typename X, typename Y>
Line fit(std::size_t first, std::size_t last, X x_of, Y y_of) {
  double sx = 0, sy = 0;
  const auto count = static_cast<double>(last - first + 1);
  for (std::size_t m = first; m <= last; ++m) {
    sx += x_of(m);
    sy += y_of(m);
  }
  const double mx = sx / count;
  const double my = sy / count;
  double sxx = 0, sxy = 0;
  for (std::size_t m = first; m <= last; ++m) {
    const double dx = x_of(m) - mx;
    sxx += dx * dx;
    sxy += dx * (y_of(m) - my);
  }
  const double slope = sxy / sxx;
  return {slope, my - slope * mx};
}

struct LagRange {
  std::size_t first = 0;
  std::size_t last = 0;
};

LagRange lags(const char* region, double from_s, double to_s, double rate_hz) {
  constexpr const char* where = "diffusion_measures";
  if (!(from_s >= 0) || !(to_s > from_s) || !std::isfinite(to_s)) {
    detail::fail(where, std::string(region) + " lag range " + detail::str(from_s) + " s to " +
                            detail::str(to_s) + " s is not an ordered range of lags >= 0");
  }
  constexpr double tolerance = 1e-9;  // so that 1.0 s at 100 Hz is lag 100, not 99
  const auto first =
      static_cast<std::size_t>(std::max(1.0, std::ceil(from_s * rate_hz - tolerance)));
  const auto last = static_cast<std::size_t>(std::floor(to_s * rate_hz + tolerance));
  if (last < first + 1) {
    detail::fail(where, std::string(region) + " lag range " + detail::str(from_s) + " s to " +
                            detail::str(to_s) + " s holds fewer than 2 lags at " +
                            detail::str(rate_hz) + " Hz");
  }
  return {first, last};
}
}  // namespace

std::vector<double> mean_square_displacement(std::span<const double> x, std::size_t max_lag) {
  constexpr const char* where = "mean_square_displacement";
  const std::size_t n = x.size();
  if (max_lag >= n) {
    detail::fail(where, "largest lag " + detail::str(max_lag) + " needs more than " +
                            detail::str(max_lag) + " samples, got " + detail::str(n));
  }
  detail::check_finite(where, "x", x);
  // MSD does not depend on the mean; removing it keeps the sums below small and exact.
  const double mean = std::reduce(x.begin(), x.end()) / static_cast<double>(n);
  detail::RealFft fft(detail::fast_fft_size(n + max_lag));
  const std::span<double> data = fft.real();
  std::fill(data.begin(), data.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i) data[i] = x[i] - mean;
  // prefix[k] = sum_{i<k} x[i]^2, before the transform overwrites the data
  std::vector<double> prefix(n + 1);
  prefix[0] = 0;
  for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + data[i] * data[i];
  fft.forward();
  for (auto& c : fft.spectrum()) c = std::norm(c);
  fft.inverse();  // data[m] = n' * sum_i x[i] x[i+m]
  const std::span<const double> autocorrelation = fft.real();

  const double scale = 1.0 / static_cast<double>(fft.size());
  std::vector<double> msd(max_lag + 1);
  for (std::size_t m = 0; m <= max_lag; ++m) {
    const double squares = (prefix[n] - prefix[m]) + prefix[n - m];
    const double sum = squares - 2 * autocorrelation[m] * scale;
    msd[m] = std::max(0.0, sum) / static_cast<double>(n - m);
  }
  msd[0] = 0;
  return msd;
}

DiffusionMeasures diffusion_measures(std::span<const double> msd, double rate_hz,
                                     const DiffusionOptions& o) {
  detail::check_rate("diffusion_measures", rate_hz);
  const LagRange s = lags("short-term", o.short_from_s, o.short_to_s, rate_hz);
  const LagRange l = lags("long-term", o.long_from_s, o.long_to_s, rate_hz);
  DiffusionMeasures d{nan, nan, nan, nan, nan, nan, nullptr};
  if (std::max(s.last, l.last) >= msd.size()) {
    d.problem = "the trace is shorter than the longest lag of the diffusion regions";
    return d;
  }
  const auto time = [&](std::size_t m) { return static_cast<double>(m) / rate_hz; };
  const auto value = [&](std::size_t m) { return msd[m]; };
  const Line short_line = fit(s.first, s.last, time, value);
  const Line long_line = fit(l.first, l.last, time, value);
  d.short_term_diffusion = short_line.slope / 2;
  d.long_term_diffusion = long_line.slope / 2;

  const bool all_positive =
      std::all_of(msd.begin() + static_cast<std::ptrdiff_t>(std::min(s.first, l.first)),
                  msd.begin() + static_cast<std::ptrdiff_t>(std::max(s.last, l.last) + 1),
                  [](double v) { return v > 0; });
  if (all_positive) {
    const auto log_time = [&](std::size_t m) { return std::log(time(m)); };
    const auto log_value = [&](std::size_t m) { return std::log(msd[m]); };
    d.short_term_scaling = fit(s.first, s.last, log_time, log_value).slope / 2;
    d.long_term_scaling = fit(l.first, l.last, log_time, log_value).slope / 2;
  } else {
    d.problem = "the mean square displacement is zero at some lag (the COP did not move)";
  }

  const double t_c =
      (long_line.intercept - short_line.intercept) / (short_line.slope - long_line.slope);
  if (std::isfinite(t_c) && t_c > 0) {
    d.critical_time_s = t_c;
    d.critical_msd = short_line.slope * t_c + short_line.intercept;
  } else if (d.problem == nullptr) {
    d.problem = "the short- and long-term lines do not cross at a positive lag";
  }
  return d;
}

}  // namespace fp::analysis
