#include "fft.hpp"

#include <fftw3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <new>

namespace fp::analysis::detail {

namespace {
constexpr std::size_t max_cached_lengths = 64;

std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

fftw_complex* as_fftw(std::complex<double>* p) { return reinterpret_cast<fftw_complex*>(p); }

template <typename T>
T* checked(T* p) {
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

struct FftPlans {
  fftw_plan forward = nullptr;
  fftw_plan inverse = nullptr;
  FftPlans(const FftPlans&) = delete;
  FftPlans& operator=(const FftPlans&) = delete;
  explicit FftPlans(std::size_t n) {  // called with planner_mutex held
    double* real = checked(fftw_alloc_real(n));
    fftw_complex* spectrum = checked(fftw_alloc_complex(n / 2 + 1));
    const int len = static_cast<int>(n);
    forward = fftw_plan_dft_r2c_1d(len, real, spectrum, FFTW_ESTIMATE);
    inverse = fftw_plan_dft_c2r_1d(len, spectrum, real, FFTW_ESTIMATE);
    fftw_free(real);
    fftw_free(spectrum);
    if (forward == nullptr || inverse == nullptr) throw std::bad_alloc();
  }
  ~FftPlans() {
    const std::lock_guard<std::mutex> lock(planner_mutex());
    fftw_destroy_plan(forward);
    fftw_destroy_plan(inverse);
  }
};

namespace {
std::shared_ptr<const FftPlans> plans_for(std::size_t n) {
  // The mutex is created before the cache, so it outlives the cache's plans at exit.
  std::mutex& mutex = planner_mutex();
  static std::map<std::size_t, std::shared_ptr<const FftPlans>> cache;  // guarded by the mutex
  std::shared_ptr<const FftPlans> p;
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = cache.find(n); it != cache.end()) return it->second;
    p = std::make_shared<const FftPlans>(n);
    if (cache.size() < max_cached_lengths) cache.emplace(n, p);
  }
  return p;  // an uncached plan is destroyed (taking the mutex) with its last user
}
}  // namespace

RealFft::RealFft(std::size_t n)
    : n_(n),
      real_(checked(fftw_alloc_real(n))),
      spectrum_(reinterpret_cast<std::complex<double>*>(fftw_alloc_complex(n / 2 + 1))),
      plans_(nullptr) {
  if (spectrum_ == nullptr) {
    fftw_free(real_);
    throw std::bad_alloc();
  }
  try {
    plans_ = plans_for(n);
  } catch (...) {
    fftw_free(real_);
    fftw_free(spectrum_);
    throw;
  }
}

RealFft::~RealFft() {
  fftw_free(real_);
  fftw_free(spectrum_);
}

void RealFft::forward() { fftw_execute_dft_r2c(plans_->forward, real_, as_fftw(spectrum_)); }

void RealFft::inverse() { fftw_execute_dft_c2r(plans_->inverse, as_fftw(spectrum_), real_); }

std::size_t fast_fft_size(std::size_t n) {
  for (std::size_t m = std::max<std::size_t>(n, 1);; ++m) {
    std::size_t r = m;
    for (const std::size_t p : {2, 3, 5, 7}) {
      while (r % p == 0) r /= p;
    }
    if (r == 1) return m;
  }
}

}  // namespace fp::analysis::detail
