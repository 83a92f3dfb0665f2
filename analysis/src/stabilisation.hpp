#pragma once
// Time to stabilisation (TTS) of one signal after a landing; internal to fp_analysis (the public
// names and options are in forceplate/analysis/landing.hpp). Each method returns the index (with
// a sub-sample fraction) at which the signal is taken to be stable, counted from the first sample
// of the series it is given, or nothing when the series never settles.
#include <cstddef>
#include <optional>
#include <span>

namespace fp::analysis::detail {

// Band method: the signal is stable once |x - reference| stays below `half_width`. Returns the
// instant (linearly interpolated) at which the deviation comes back inside the band for the last
// time; 0 when it never reaches the edge; nothing when it is still outside at the last sample.
// A last excursion that comes within `tolerance` of the edge without reaching it (a graze that an
// error of the reference, e.g. of body weight, of that size would turn into a crossing) counts as
// reaching it. When the last excursion tops out near the edge (below edge + 2 x tolerance), the
// crossing is shallow and noise would move it a lot: it is taken from a parabola fitted to the
// deviation over the excursion (its descending crossing of the edge, or its top for a graze).
std::optional<double> band_settling(std::span<const double> x, double reference, double half_width,
                                    double tolerance);

// Sequential average (Colby et al. 1999; Ross & Guskiewicz 2003): s_k = mean(x[0..k]); the series
// is stable from the first k after which every s_j stays within mean(x) +- sd_fraction x SD(x),
// the mean and SD of the whole series. Returns that k (whole samples); nothing for a series with
// fewer than 2 samples. SD 0 (a constant series) is stable from 0.
std::optional<double> sequential_average_settling(std::span<const double> x, double sd_fraction);

// Unbounded third-order polynomial (Ross, Guskiewicz & Yu 2005): |x - reference| is fitted with
// a cubic in time by least squares over the series, and the series is stable where the fit first
// falls to `threshold` (linear interpolation between samples). Returns nothing when the fit stays
// above the threshold.
std::optional<double> polynomial_settling(std::span<const double> x, double reference,
                                          double threshold);

}  // namespace fp::analysis::detail
