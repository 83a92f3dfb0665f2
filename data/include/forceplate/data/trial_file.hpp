#pragma once
// HDF5 trial files (schema in docs/archive.md). Written to a temporary name, flushed and renamed,
// so a reader never sees a half-written file.
#include <filesystem>
#include <stdexcept>

#include "forceplate/data/trial.hpp"

namespace fp::data {

class TrialFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr int kTrialSchemaVersion = 1;

// Throws TrialFileError (message names the file and the problem) on any failure; an existing
// file at `path` is left untouched if writing fails.
void write_trial(const std::filesystem::path& path, const Trial& trial);

// Throws TrialFileError for a missing, unreadable or non-trial file.
Trial read_trial(const std::filesystem::path& path);

}  // namespace fp::data
