#pragma once
// A real-input FFT of one fixed length, backed by FFTW3; internal to fp_analysis.
// Planning is the costly part of FFTW (milliseconds, even with FFTW_ESTIMATE) and its planner is
// not thread-safe, so plans are made once per length under one process-wide mutex and kept in a
// small cache (at most 64 lengths; beyond that a plan lives as long as its RealFft). Executing a
// plan on other arrays (fftw_execute_dft_r2c / _c2r) is thread-safe; every RealFft has its own
// arrays from fftw_malloc, so they have the alignment the plans were made for.
#include <complex>
#include <cstddef>
#include <memory>
#include <span>

namespace fp::analysis::detail {

struct FftPlans;  // the forward and inverse plans of one length

class RealFft {
 public:
  explicit RealFft(std::size_t n);  // n >= 1
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  std::size_t size() const { return n_; }
  std::size_t bins() const { return n_ / 2 + 1; }

  // The transform works on the object's own (SIMD-aligned) arrays: fill real(), call forward(),
  // read spectrum(); or fill spectrum(), call inverse(), read real().
  std::span<double> real() { return {real_, n_}; }
  std::span<std::complex<double>> spectrum() { return {spectrum_, bins()}; }
  // spectrum[k] = sum_t real[t] exp(-2 pi i k t / n), k = 0 .. n/2.
  void forward();
  // real[t] = sum over all n bins (Hermitian) of spectrum[k] exp(2 pi i k t / n): n times the true
  // inverse. Overwrites spectrum().
  void inverse();

 private:
  std::size_t n_;
  double* real_;
  std::complex<double>* spectrum_;  // FFTW documents std::complex<double> as fftw_complex
  std::shared_ptr<const FftPlans> plans_;
};

// The smallest n' >= n whose only prime factors are 2, 3, 5 and 7 (fast sizes for FFTW).
std::size_t fast_fft_size(std::size_t n);

}  // namespace fp::analysis::detail
