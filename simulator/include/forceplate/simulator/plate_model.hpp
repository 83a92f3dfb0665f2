#pragma once
// The load cells of a simulated plate: where they sit, how many counts a newton makes, their
// offsets and noise. Turns a true load into the counts an ADC would read.
#include <array>
#include <cstdint>
#include <random>

#include "forceplate/simulator/scenario.hpp"

namespace fp::sim {

inline constexpr int kCellsPerPlate = 4;

struct PlateGeometry {
  double width_m = 0.5;   // x extent
  double length_m = 0.5;  // y extent
  // Cells, in protocol order: front-left, front-right, back-right, back-left (x right, y forward).
  std::array<double, kCellsPerPlate> cell_x_m{-0.2, 0.2, 0.2, -0.2};
  std::array<double, kCellsPerPlate> cell_y_m{0.2, 0.2, -0.2, -0.2};
};

struct CellModel {
  double gain_n_per_count = 0.0005;  // true gain of the cell and its amplifier
  double offset_counts = 10000;      // counts with no load
  double noise_counts = 20;          // standard deviation of the ADC noise
  double drift_counts_per_s = 0;     // slow baseline drift (temperature, creep)
};

struct PlateModel {
  PlateGeometry geometry;
  std::array<CellModel, kCellsPerPlate> cells{};
};

// Statically valid split of a vertical load over four corner cells: the bilinear weights put the
// centre of pressure exactly at (cop_x, cop_y) for a rectangle of cells (any split satisfying the
// moment balance does; this one is smooth and non-negative inside the cell rectangle).
std::array<double, kCellsPerPlate> split_load(const PlateGeometry& g, const PlateLoad& load);

class CountGenerator {
 public:
  explicit CountGenerator(std::uint64_t seed) : rng_(seed) {}
  // Counts of the four cells of `plate` under `load` at device time `t_s`.
  void counts(const PlateModel& plate, const PlateLoad& load, double t_s, std::int32_t* out);

 private:
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
};

}  // namespace fp::sim
