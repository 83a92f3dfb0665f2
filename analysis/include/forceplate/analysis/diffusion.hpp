#pragma once
// Stabilogram diffusion analysis (Collins & De Luca 1993).
#include <cstddef>
#include <span>
#include <vector>

namespace fp::analysis {

// Mean square displacement <dx^2>(m) = 1/(n-m) sum_{i<n-m} (x[i+m] - x[i])^2 for lags m = 0 ..
// max_lag (in samples), computed in O(n log n) from the FFT autocorrelation (FFTW, zero-padded so
// the correlation is linear, not circular). Throws AnalysisError unless max_lag < n and the
// values are finite.
std::vector<double> mean_square_displacement(std::span<const double> x, std::size_t max_lag);

struct DiffusionOptions {
  // Lag ranges (s) of the two regions, both ends included. Collins & De Luca found the
  // short-term region up to about 1 s and the long-term region from about 1 s to 10 s.
  double short_from_s = 0.0;  // lag 0 itself is never used: the first lag is one sample
  double short_to_s = 1.0;
  double long_from_s = 1.0;
  double long_to_s = 10.0;
};

// Collins & De Luca write <dr^2> = 2 D dt for each axis and for the plane alike, so a diffusion
// coefficient is half the slope of the straight line fitted (least squares) to the MSD against
// lag in that region; the scaling exponent H is half the slope of the line fitted to log MSD
// against log lag (MSD ~ dt^(2H); 0.5 for Brownian motion); the critical point is where the
// short- and long-term straight lines (linear axes) cross. Values that cannot be computed are NaN
// (see `problem`).
struct DiffusionMeasures {
  double short_term_diffusion = 0;  // D_s, unit^2 / s
  double long_term_diffusion = 0;   // D_l
  double short_term_scaling = 0;    // H_s
  double long_term_scaling = 0;     // H_l
  double critical_time_s = 0;       // dt_c
  double critical_msd = 0;          // <dr^2>_c, unit^2
  const char* problem = nullptr;    // why some values are NaN, or nullptr
};

// The measures of an MSD curve sampled at lags m / rate_hz (msd[0] is lag 0). Needs the curve to
// reach long_to_s; otherwise every value is NaN and `problem` says why. When the two lines do
// not cross at a positive lag (e.g. pure Brownian motion, where they coincide), the critical
// point is NaN. Throws AnalysisError for a bad rate or for lag ranges that are not ordered
// (0 <= short_from < short_to, long_from < long_to) or hold fewer than 2 lags.
DiffusionMeasures diffusion_measures(std::span<const double> msd, double rate_hz,
                                     const DiffusionOptions& options = {});

}  // namespace fp::analysis
