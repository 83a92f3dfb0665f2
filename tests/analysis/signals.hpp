#pragma once
// Synthetic COP traces whose sway measures are known in closed form.
#include <cmath>
#include <cstddef>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "forceplate/analysis/measure.hpp"

namespace fp::analysis::testing {

struct Trace {
  std::vector<double> x;  // m
  std::vector<double> y;  // m
  double rate_hz = 0;
  std::size_t size() const { return x.size(); }
};

// Counter-clockwise circle about (cx, cy) starting at angle 0. `closed` appends one sample equal to
// the first, so the n-1 steps cover exactly `turns` turns; otherwise the n samples are periodic
// (the next sample would be the first again), which makes means and RMS exact.
inline Trace circle(double radius, int turns, int samples_per_turn, double rate_hz, bool closed,
                    double cx = 0, double cy = 0) {
  Trace t{{}, {}, rate_hz};
  const int n = turns * samples_per_turn + (closed ? 1 : 0);
  for (int i = 0; i < n; ++i) {
    const double a = 2 * std::numbers::pi * i / samples_per_turn;
    t.x.push_back(cx + radius * std::cos(a));
    t.y.push_back(cy + radius * std::sin(a));
  }
  return t;
}

// Uniform motion from the origin at (vx, vy) m/s.
inline Trace line(double vx, double vy, std::size_t n, double rate_hz) {
  Trace t{{}, {}, rate_hz};
  for (std::size_t i = 0; i < n; ++i) {
    const double s = static_cast<double>(i) / rate_hz;
    t.x.push_back(vx * s);
    t.y.push_back(vy * s);
  }
  return t;
}

// x = A sin(2 pi i / samples_per_cycle), y = 0. `closed` as for circle().
inline Trace sine_ml(double amplitude, int cycles, int samples_per_cycle, double rate_hz,
                     bool closed) {
  Trace t{{}, {}, rate_hz};
  const int n = cycles * samples_per_cycle + (closed ? 1 : 0);
  for (int i = 0; i < n; ++i) {
    t.x.push_back(amplitude * std::sin(2 * std::numbers::pi * i / samples_per_cycle));
    t.y.push_back(0.0);
  }
  return t;
}

// Independent Gaussian white noise on each axis; fixed seed for repeatability.
inline Trace white_noise(double sd_x, double sd_y, std::size_t n, double rate_hz, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> nx(0.0, sd_x);
  std::normal_distribution<double> ny(0.0, sd_y);
  Trace t{{}, {}, rate_hz};
  for (std::size_t i = 0; i < n; ++i) {
    t.x.push_back(nx(rng));
    t.y.push_back(ny(rng));
  }
  return t;
}

// The value of a measure, or an exception (a test failure) if it is missing.
inline double value(const AnalysisResult& r, const std::string& name) {
  const Measure* m = r.find(name);
  if (m == nullptr) throw std::runtime_error("measure missing: " + name);
  return m->value;
}

}  // namespace fp::analysis::testing
