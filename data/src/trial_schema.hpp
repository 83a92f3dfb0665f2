#pragma once
// Internal: the mapping between a Trial and the HDF5 layout of schema version 1 (docs/archive.md).
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>

#include "forceplate/data/trial.hpp"
#include "h5_handle.hpp"

namespace fp::data {

// Writes every group, dataset and attribute into an open, empty file. Throws h5::Failure.
void write_trial_contents(hid_t file, const Trial& trial);

// Everything but /samples: root attributes, /plates, /gaps, /results and /import_notes. The sample
// arrays of `trial` are not used (a SampleWriter writes them). Throws h5::Failure.
void write_trial_metadata(hid_t file, const Trial& trial);

// Reads a file whose schema_version has already been checked. Throws h5::Failure.
Trial read_trial_contents(hid_t file);

// A run of consecutive samples, arrays row-major as in a Trial (per cell: count * total cells values,
// per plate: count * plates). fx_n and fy_n are empty when the horizontal forces are not stored.
struct SampleRows {
  std::size_t count = 0;
  std::span<const std::uint64_t> sequence;
  std::span<const double> time_s;
  std::span<const std::int32_t> counts;
  std::span<const double> cell_force_n;
  std::span<const double> fz_n;
  std::span<const double> cop_x_m;
  std::span<const double> cop_y_m;
  std::span<const double> fx_n;
  std::span<const double> fy_n;
};

SampleRows sample_rows_of(const Trial& trial);

// Writes /samples block by block into growing (chunked, compressed, extendable) datasets, so that a
// recording of any length is written with bounded memory. write_trial uses it too, with the whole
// trial as one block: one code path, one layout.
struct SampleLayout {
  int plate_count = 1;
  int cells_per_plate = 4;
  bool fx = false;  // store /samples/fx (optional, independently of fy)
  bool fy = false;
};

class SampleWriter {
 public:
  // `expected_rows` only sizes the chunks (0 when unknown). Creates /samples and its datasets.
  SampleWriter(hid_t file, const SampleLayout& layout, hsize_t expected_rows);
  SampleWriter(const SampleWriter&) = delete;
  SampleWriter& operator=(const SampleWriter&) = delete;
  ~SampleWriter();

  // Throws h5::Failure if an array's length does not match `rows.count` and the layout.
  void append(const SampleRows& rows);
  // Creates the datasets that have no columns (HDF5 cannot chunk them, so they are written at their
  // final length). Call once, after the last append.
  void finish();
  hsize_t rows() const { return rows_; }

 private:
  struct Columns;
  hsize_t rows_ = 0;
  std::unique_ptr<Columns> columns_;  // the open datasets
};

// Writes an HDF5 file durably: creates `<path>.tmp` in the same folder, lets `fill` write into it,
// flushes, closes and fsyncs it, renames it over `path` and fsyncs the folder. A reader (or a crash)
// sees either the old file (or none) or the complete new one. On failure the temporary file is removed
// and TrialFileError("cannot write trial file '<path>': ...") is thrown.
void write_hdf5_durably(const std::filesystem::path& path, const std::function<void(hid_t file)>& fill);

}  // namespace fp::data
