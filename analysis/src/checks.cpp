#include "checks.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "forceplate/analysis/measure.hpp"

namespace fp::analysis::detail {

namespace {
constexpr double max_cop_m = 1.0;  // no force plate is 2 m wide
}

void fail(const std::string& where, const std::string& what) {
  throw AnalysisError(where + ": " + what);
}

std::string str(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string str(std::size_t v) { return std::to_string(v); }

void check_rate(const std::string& where, double rate_hz) {
  if (!std::isfinite(rate_hz) || rate_hz <= 0) {
    fail(where, "sampling rate must be positive and finite, got " + str(rate_hz) + " Hz");
  }
}

void check_same_length(const std::string& where, const char* name_a, std::size_t a,
                       const char* name_b, std::size_t b) {
  if (a != b) {
    fail(where,
         std::string(name_a) + " has " + str(a) + " samples but " + name_b + " has " + str(b));
  }
}

void check_finite(const std::string& where, const char* name, std::span<const double> v) {
  // Fast pass first (x - x is 0 only for finite x); look for the culprit only on failure.
  bool all_finite = true;
  for (const double s : v) all_finite &= (s - s == 0);
  if (all_finite) return;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) fail(where, std::string(name) + "[" + str(i) + "] is missing (NaN)");
    if (!std::isfinite(v[i])) {
      fail(where, std::string(name) + "[" + str(i) + "] is not finite (" + str(v[i]) + ")");
    }
  }
}

void check_cop_metres(const std::string& where, const char* name, std::span<const double> v) {
  double largest = 0;
  for (const double s : v) largest = std::max(largest, std::abs(s));
  if (!(largest > max_cop_m)) return;
  std::size_t worst = 0;
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (std::abs(v[i]) > std::abs(v[worst])) worst = i;
  }
  fail(where, "COP values up to " + str(std::abs(v[worst])) + " m: are they in mm? (" + name + "[" +
                  str(worst) + "] = " + str(v[worst]) + ")");
}

void check_duration(const std::string& where, std::size_t n, double rate_hz, double min_s,
                    std::size_t min_samples) {
  if (static_cast<double>(n) < min_s * rate_hz) {
    fail(where, str(n) + " samples at " + str(rate_hz) + " Hz last less than " + str(min_s) + " s");
  }
  if (n < min_samples) {
    fail(where, "need at least " + str(min_samples) + " samples, got " + str(n));
  }
}

}  // namespace fp::analysis::detail
