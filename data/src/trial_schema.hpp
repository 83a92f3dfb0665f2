#pragma once
// Internal: the mapping between a Trial and the HDF5 layout of schema version 1 (docs/archive.md).
#include <hdf5.h>

#include "forceplate/data/trial.hpp"

namespace fp::data {

// Writes every group, dataset and attribute into an open, empty file. Throws h5::Failure.
void write_trial_contents(hid_t file, const Trial& trial);

// Reads a file whose schema_version has already been checked. Throws h5::Failure.
Trial read_trial_contents(hid_t file);

}  // namespace fp::data
