// Saving and reading a 60 s, 1 kHz, two-plate (8-cell) trial (issue 7 targets: save < 50 ms,
// read < 20 ms).
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "forceplate/data/trial_file.hpp"

namespace {

fp::data::Trial make_trial() {
  fp::data::Trial t;
  t.test_name = "quiet-stance";
  t.start_time_utc = "2026-11-22T10:00:00Z";
  t.software_version = "bench";
  t.sample_rate_hz = 1000;
  for (int k = 0; k < 2; ++k) {
    fp::data::PlateInfo p;
    p.cell_x_m = {-0.2, 0.2, 0.2, -0.2};
    p.cell_y_m = {0.2, 0.2, -0.2, -0.2};
    p.width_m = p.length_m = 0.5;
    p.gain_n_per_count = {5e-4, 5e-4, 5e-4, 5e-4};
    p.offset_counts = {1e4, 1e4, 1e4, 1e4};
    t.plates.push_back(p);
  }
  std::mt19937 rng(2);
  std::normal_distribution<double> noise(0, 20);
  const std::size_t n = 60000;
  for (std::size_t i = 0; i < n; ++i) {
    t.sequence.push_back(i);
    t.time_s.push_back(static_cast<double>(i) / 1000);
    for (int c = 0; c < 8; ++c) {
      const double counts = 10000 + 180000 + 2000 * std::sin(static_cast<double>(i) / 700.0 + c) + noise(rng);
      t.counts.push_back(static_cast<std::int32_t>(counts));
      t.cell_force_n.push_back((counts - 10000) * 5e-4);
    }
    for (int k = 0; k < 2; ++k) {
      t.fz_n.push_back(360 + noise(rng) * 0.01);
      t.cop_x_m.push_back(0.003 * std::sin(static_cast<double>(i) / 900.0));
      t.cop_y_m.push_back(0.004 * std::cos(static_cast<double>(i) / 1100.0));
    }
  }
  return t;
}

const std::filesystem::path kPath = std::filesystem::path(FP_BINARY_DIR) / "bench-trial.h5";

void SaveTrial60s1kHz8Cells(benchmark::State& state) {
  const fp::data::Trial t = make_trial();
  for (auto _ : state) fp::data::write_trial(kPath, t);
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(kPath)) / 1e6;
}
BENCHMARK(SaveTrial60s1kHz8Cells)->Unit(benchmark::kMillisecond);

void ReadTrial60s1kHz8Cells(benchmark::State& state) {
  fp::data::write_trial(kPath, make_trial());
  for (auto _ : state) {
    auto t = fp::data::read_trial(kPath);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(ReadTrial60s1kHz8Cells)->Unit(benchmark::kMillisecond);

}  // namespace
