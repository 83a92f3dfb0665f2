#include "forceplate/simulator/plate_model.hpp"

#include <cmath>

namespace fp::sim {

std::array<double, kCellsPerPlate> split_load(const PlateGeometry& g, const PlateLoad& load) {
  // Bilinear interpolation weights over the cell rectangle [x0,x1] x [y0,y1].
  const double x0 = g.cell_x_m[0], x1 = g.cell_x_m[1];
  const double y0 = g.cell_y_m[2], y1 = g.cell_y_m[0];
  const double u = (load.cop_x_m - x0) / (x1 - x0);
  const double v = (load.cop_y_m - y0) / (y1 - y0);
  return {load.fz_n * (1 - u) * v, load.fz_n * u * v, load.fz_n * u * (1 - v),
          load.fz_n * (1 - u) * (1 - v)};
}

void CountGenerator::counts(const PlateModel& plate, const PlateLoad& load, double t_s, std::int32_t* out) {
  const auto forces = split_load(plate.geometry, load);
  for (int c = 0; c < kCellsPerPlate; ++c) {
    const CellModel& m = plate.cells[static_cast<std::size_t>(c)];
    const double counts = m.offset_counts + m.drift_counts_per_s * t_s + forces[static_cast<std::size_t>(c)] / m.gain_n_per_count +
                          m.noise_counts * normal_(rng_);
    out[c] = static_cast<std::int32_t>(std::lround(counts));
  }
}

}  // namespace fp::sim
