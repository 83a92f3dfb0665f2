#include "forceplate/acquisition/signal.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace fp::acq {

SignalConverter::SignalConverter(const DeviceDescription& device, double min_cop_force_n)
    : device_(device), min_cop_force_n_(min_cop_force_n) {
  if (device_.plates.empty() || device_.plates.size() > kMaxPlates) {
    throw std::invalid_argument("device describes " + std::to_string(device_.plates.size()) +
                                " plates; 1 or 2 are supported");
  }
}

void SignalConverter::convert(Sample& s) const {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  s.plate_count = static_cast<std::uint8_t>(device_.plates.size());
  double total = 0, total_mx = 0, total_my = 0;
  for (std::size_t k = 0; k < device_.plates.size(); ++k) {
    const PlateSpec& plate = device_.plates[k];
    double fz = 0, mx = 0, my = 0;
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      const std::size_t i = k * kCellsPerPlate + c;
      const CellSpec& cell = plate.cells[c];
      const double f = cell.gain_n_per_count * (static_cast<double>(s.counts[i]) - cell.offset_counts);
      s.cell_force_n[i] = f;
      fz += f;
      mx += f * cell.x_m;
      my += f * cell.y_m;
    }
    s.fz_n[k] = fz;
    const bool loaded = fz >= min_cop_force_n_;
    s.cop_x_m[k] = loaded ? mx / fz : nan;
    s.cop_y_m[k] = loaded ? my / fz : nan;
    total += fz;
    total_mx += mx + fz * plate.origin_x_m;
    total_my += my + fz * plate.origin_y_m;
  }
  // From the moments of every cell, not the plates' COPs: a plate below the threshold still counts.
  s.total_fz_n = total;
  const bool loaded = total >= min_cop_force_n_;
  s.total_cop_x_m = loaded ? total_mx / total : nan;
  s.total_cop_y_m = loaded ? total_my / total : nan;
}

void SignalConverter::tare(std::span<const Sample> empty_plate) {
  if (empty_plate.empty()) throw std::invalid_argument("tare needs at least one sample");
  for (std::size_t k = 0; k < device_.plates.size(); ++k) {
    for (std::size_t c = 0; c < kCellsPerPlate; ++c) {
      double sum = 0;
      for (const Sample& s : empty_plate) sum += s.counts[k * kCellsPerPlate + c];
      device_.plates[k].cells[c].offset_counts = sum / static_cast<double>(empty_plate.size());
    }
  }
}

}  // namespace fp::acq
