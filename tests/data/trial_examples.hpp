#pragma once
// Trials for the storage tests.
#include "forceplate/data/trial.hpp"

namespace fp::data::test {

// Five seconds of quiet stance on two plates at 1000 Hz: counts from a swaying body, forces and COP
// derived from them, the right plate unloaded at the end (COP NaN there), gaps and results.
Trial realistic_two_plate_trial();

// Two seconds on one plate with one stored result.
Trial one_plate_trial();

// Two plates, no samples, no gaps, no results: a trial stopped before the first frame arrived.
Trial empty_trial();

// Values given by simple exact formulas that tests/data/check_trial_h5py.py recomputes independently.
Trial h5py_check_trial();

// As a trial imported from another system is stored: two plates without cells (cells_per_plate 0),
// horizontal forces, NaN COP and import notes; exact formulas kept in step with check_trial_h5py.py.
Trial h5py_imported_trial();

}  // namespace fp::data::test
