#include "peaks.hpp"

#include <algorithm>
#include <utility>

namespace fp::analysis::detail {

namespace {
// low[i] = min of v over (g, i], g the nearest index before i with v[g] > v[i] (or over [0, i]
// if there is none). One pass with a stack of (index, min of v since the previous stack entry).
std::vector<double> lows_back_to_higher(std::span<const double> v, bool reversed) {
  const std::size_t n = v.size();
  std::vector<double> low(n);
  std::vector<std::pair<std::size_t, double>> stack;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = reversed ? n - 1 - k : k;
    double m = v[i];
    while (!stack.empty() && v[stack.back().first] <= v[i]) {
      m = std::min(m, stack.back().second);
      stack.pop_back();
    }
    low[i] = m;
    stack.emplace_back(i, m);
  }
  return low;
}
}  // namespace

std::vector<std::size_t> prominent_peaks(std::span<const double> v, double min_prominence) {
  const std::size_t n = v.size();
  const std::vector<double> left = lows_back_to_higher(v, false);
  const std::vector<double> right = lows_back_to_higher(v, true);
  std::vector<std::size_t> peaks;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (!(v[i] > v[i - 1])) continue;
    std::size_t j = i;  // end of a flat top
    while (j + 1 < n && v[j + 1] == v[i]) ++j;
    // right[i] reaches across the flat top (equal samples are not higher).
    if (j + 1 < n && v[j + 1] < v[i] && v[i] - std::max(left[i], right[i]) >= min_prominence) {
      peaks.push_back(i);
    }
    i = j;
  }
  return peaks;
}

}  // namespace fp::analysis::detail
