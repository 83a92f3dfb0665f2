#pragma once
// Appending acquisition samples to a data::Trial: shared by the recorder, the trial runner and the
// GUI's training runs, so that all of them store a sample the same way.
#include <cstddef>

#include "forceplate/acquisition/sample.hpp"
#include "forceplate/data/trial.hpp"

namespace fp::workflow {

// Appends one sample (and the gap before it, if any) to `t`, whose plates and cells_per_plate
// are already set (describe_device).
inline void append_sample(const acq::Sample& s, data::Trial& t) {
  const int plates = t.plate_count();
  const int cells = t.total_cells();
  if (s.gap_before > 0) {
    t.gaps.push_back(data::Gap{s.sequence - s.gap_before, s.gap_before, acq::gap_kind_name(s.gap_kind)});
  }
  t.sequence.push_back(s.sequence);
  t.time_s.push_back(s.device_time_s);
  for (int c = 0; c < cells; ++c) {
    t.counts.push_back(s.counts[static_cast<std::size_t>(c)]);
    t.cell_force_n.push_back(s.cell_force_n[static_cast<std::size_t>(c)]);
  }
  for (int k = 0; k < plates; ++k) {
    t.fz_n.push_back(s.fz_n[static_cast<std::size_t>(k)]);
    t.cop_x_m.push_back(s.cop_x_m[static_cast<std::size_t>(k)]);
    t.cop_y_m.push_back(s.cop_y_m[static_cast<std::size_t>(k)]);
  }
}

}  // namespace fp::workflow
