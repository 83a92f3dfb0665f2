// The quiet-stance measures on 60 s at 1 kHz (issue 5 target: well under 20 ms on one core).
// Run e.g. build/bench/bench_sway --benchmark_repetitions=5 --benchmark_report_aggregates_only
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "forceplate/analysis/diffusion.hpp"
#include "forceplate/analysis/filter.hpp"
#include "forceplate/analysis/quiet_stance.hpp"
#include "forceplate/analysis/spectrum.hpp"
#include "forceplate/analysis/sway.hpp"
#include "forceplate/analysis/sway_density.hpp"

namespace {

struct Cop {
  std::vector<double> x, y;
};

// First-order autoregressive sway driven by Gaussian steps of `step_sd` per sample, plus white
// measurement noise. step_sd 1e-5 (the original benchmark): sway SD about 0.2 mm, so the COP never
// leaves a 2.5 mm circle, the slowest case for the sway density. step_sd 1.5e-4 with 0.05 mm
// noise: sway SD about 3 mm and 10-20 mm/s after the 10 Hz filter, like a real quiet stance.
Cop sway(double step_sd, double noise_sd) {
  std::mt19937 rng(5);
  std::normal_distribution<double> step(0, step_sd);
  std::normal_distribution<double> noise(0, noise_sd > 0 ? noise_sd : 1e-300);
  Cop c{std::vector<double>(60000), std::vector<double>(60000)};
  double ax = 0, ay = 0;
  for (std::size_t i = 1; i < c.x.size(); ++i) {
    ax = 0.999 * ax + step(rng);
    ay = 0.999 * ay + step(rng);
    c.x[i] = ax + (noise_sd > 0 ? noise(rng) : 0.0);
    c.y[i] = ay + (noise_sd > 0 ? noise(rng) : 0.0);
  }
  return c;
}

const Cop& narrow() {
  static const Cop c = sway(1e-5, 0);
  return c;
}
const Cop& realistic() {
  static const Cop c = sway(1.5e-4, 5e-5);
  return c;
}

void SwayMeasures60sAt1kHz(benchmark::State& state) {
  const Cop& c = narrow();
  for (auto _ : state) {
    auto r = fp::analysis::analyze_sway(c.x, c.y, 1000.0);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(SwayMeasures60sAt1kHz)->Unit(benchmark::kMillisecond);

// The whole set with the default pre-processing: 10 Hz zero-phase low-pass, spectra of three
// series, stabilogram diffusion of three, sway density, ellipse, fractal dimension.
void QuietStanceFullSet60sAt1kHz(benchmark::State& state) {
  const Cop& c = state.range(0) == 0 ? narrow() : realistic();
  for (auto _ : state) {
    auto r = fp::analysis::analyze_quiet_stance(c.x, c.y, 1000.0);
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(state.range(0) == 0 ? "sway SD 0.2 mm" : "sway SD 3 mm");
}
BENCHMARK(QuietStanceFullSet60sAt1kHz)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The parts, to see where the time goes.
void LowpassTwoAxes60sAt1kHz(benchmark::State& state) {
  const Cop& c = realistic();
  for (auto _ : state) {
    auto x = fp::analysis::zero_phase_lowpass(c.x, 1000.0);
    auto y = fp::analysis::zero_phase_lowpass(c.y, 1000.0);
    benchmark::DoNotOptimize(x);
    benchmark::DoNotOptimize(y);
  }
}
BENCHMARK(LowpassTwoAxes60sAt1kHz)->Unit(benchmark::kMillisecond);

void WelchOneSeries60sAt1kHz(benchmark::State& state) {
  const Cop& c = realistic();
  for (auto _ : state) {
    auto s = fp::analysis::welch_power_spectrum(c.x, 1000.0);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(WelchOneSeries60sAt1kHz)->Unit(benchmark::kMillisecond);

void MeanSquareDisplacementTo10s60sAt1kHz(benchmark::State& state) {
  const Cop& c = realistic();
  for (auto _ : state) {
    auto m = fp::analysis::mean_square_displacement(c.x, 10000);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(MeanSquareDisplacementTo10s60sAt1kHz)->Unit(benchmark::kMillisecond);

void SwayDensity60sAt1kHz(benchmark::State& state) {
  const Cop& c = state.range(0) == 0 ? narrow() : realistic();
  const auto x = fp::analysis::zero_phase_lowpass(c.x, 1000.0);
  const auto y = fp::analysis::zero_phase_lowpass(c.y, 1000.0);
  for (auto _ : state) {
    auto m = fp::analysis::sway_density_measures(x, y, 1000.0);
    benchmark::DoNotOptimize(m);
  }
  state.SetLabel(state.range(0) == 0 ? "sway SD 0.2 mm" : "sway SD 3 mm");
}
BENCHMARK(SwayDensity60sAt1kHz)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
