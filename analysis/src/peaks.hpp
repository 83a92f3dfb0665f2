#pragma once
// Peak picking by prominence; internal to fp_analysis.
#include <cstddef>
#include <span>
#include <vector>

namespace fp::analysis::detail {

// Indices of the local maxima of v (v[i-1] < v[i] >= v[i+1]; for a flat top, its first sample)
// whose prominence is at least min_prominence. Prominence: the height above the higher of the two
// lowest points between the peak and the nearest strictly higher sample on each side (or the
// end of the series). The first and last samples are never peaks.
std::vector<std::size_t> prominent_peaks(std::span<const double> v, double min_prominence);

}  // namespace fp::analysis::detail
