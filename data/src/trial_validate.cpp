#include "trial_validate.hpp"

#include <cstddef>
#include <utility>
#include <vector>

namespace fp::data {

namespace {

template <class T>
std::string length_problem(const std::string& field, const std::vector<T>& values, std::size_t expected,
                           const std::string& because) {
  if (values.size() == expected) return {};
  return field + " has " + std::to_string(values.size()) + " values, expected " +
         std::to_string(expected) + " (" + because + ")";
}

}  // namespace

std::string trial_inconsistency(const Trial& trial) {
  if (trial.plates.empty() || trial.plates.size() > 2) {
    return "plates has " + std::to_string(trial.plates.size()) + " entries, expected 1 or 2";
  }
  // 0 is an imported trial: no load cells, so empty per-cell arrays.
  if (trial.cells_per_plate < 0) {
    return "cells_per_plate is " + std::to_string(trial.cells_per_plate) + ", expected 0 or more";
  }
  const auto cells = static_cast<std::size_t>(trial.cells_per_plate);
  for (std::size_t k = 0; k < trial.plates.size(); ++k) {
    const PlateInfo& plate = trial.plates[k];
    const std::string prefix = "plates[" + std::to_string(k) + "].";
    const std::string because = "cells_per_plate";
    for (const std::string& problem :
         {length_problem(prefix + "cell_x_m", plate.cell_x_m, cells, because),
          length_problem(prefix + "cell_y_m", plate.cell_y_m, cells, because),
          length_problem(prefix + "gain_n_per_count", plate.gain_n_per_count, cells, because),
          length_problem(prefix + "offset_counts", plate.offset_counts, cells, because)}) {
      if (!problem.empty()) return problem;
    }
  }

  const std::size_t n = trial.sample_count();
  const auto plates = trial.plates.size();
  const std::size_t total_cells = plates * cells;
  const std::string samples = std::to_string(n) + " samples";
  const std::string by_cell = samples + " x " + std::to_string(total_cells) + " cells";
  const std::string by_plate = samples + " x " + std::to_string(plates) + " plates";
  for (const std::string& problem : {length_problem("time_s", trial.time_s, n, "one per sequence number"),
                              length_problem("counts", trial.counts, n * total_cells, by_cell),
                              length_problem("cell_force_n", trial.cell_force_n, n * total_cells, by_cell),
                              length_problem("fz_n", trial.fz_n, n * plates, by_plate),
                              length_problem("cop_x_m", trial.cop_x_m, n * plates, by_plate),
                              length_problem("cop_y_m", trial.cop_y_m, n * plates, by_plate)}) {
    if (!problem.empty()) return problem;
  }
  // Horizontal forces are optional: absent (empty) or one value per sample and plate.
  for (const auto& [field, values] : {std::pair<const char*, const std::vector<double>*>{"fx_n", &trial.fx_n},
                                      std::pair<const char*, const std::vector<double>*>{"fy_n", &trial.fy_n}}) {
    if (values->empty()) continue;
    if (const std::string problem = length_problem(field, *values, n * plates, by_plate + ", or none");
        !problem.empty()) {
      return problem;
    }
  }
  return {};
}

}  // namespace fp::data
