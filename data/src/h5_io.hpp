#pragma once
// Internal: typed reading and writing of HDF5 attributes and datasets, addressed by absolute path.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "h5_handle.hpp"

namespace fp::data::h5 {

using Dims = std::vector<hsize_t>;

struct DatasetSpec {
  std::string path;         // absolute, e.g. "/samples/time"
  std::string description;  // stored as the "description" attribute
  std::string units;        // stored as the "units" attribute unless empty
};

// Compressed: chunked, rows extendable, shuffle + deflate (level 1). For the large sample arrays.
enum class Storage { Contiguous, Compressed };

// --- writing ---
void create_group(hid_t file, const std::string& path, const std::string& description);
// `object` is a path relative to `location` ("." for the location itself).
void write_attribute(hid_t location, const std::string& object, const char* name, const std::string& value);
void write_attribute(hid_t location, const std::string& object, const char* name, std::int32_t value);
void write_attribute(hid_t location, const std::string& object, const char* name, double value);

// T is double, std::int32_t or std::uint64_t; values are row-major with the shape `dims`.
template <class T>
void write_array(hid_t file, const DatasetSpec& spec, const Dims& dims, Storage storage,
                 const std::vector<T>& values);
void write_strings(hid_t file, const DatasetSpec& spec, const std::vector<std::string>& values);

// Growing datasets, for sample arrays written block by block without holding them all in memory.
// Creates an empty, Compressed dataset of shape (0) when `columns` is empty, else (0, columns[0]),
// whose first dimension grows without limit. `expected_rows` only sizes the chunks (0: unknown,
// full-size chunks of about 64 KiB). Every element of `columns` must be non-zero (HDF5 cannot
// chunk an empty dimension).
template <class T>
Handle create_growing_array(hid_t file, const DatasetSpec& spec, const Dims& columns, hsize_t expected_rows);
// Extends the dataset by `rows` rows and writes them (row-major, rows * row_elements values) as a
// hyperslab after the `rows_before` rows already there.
template <class T>
void append_rows(hid_t dataset, const std::string& path, hsize_t rows_before, hsize_t rows,
                 hsize_t row_elements, const T* values);

// --- reading ---
bool has_attribute(hid_t location, const std::string& object, const char* name);
std::string read_string_attribute(hid_t location, const std::string& object, const char* name);
std::int64_t read_int_attribute(hid_t location, const std::string& object, const char* name);
double read_double_attribute(hid_t location, const std::string& object, const char* name);

// True if `path` (absolute, e.g. "/samples/fx") names an existing object; its parent group must exist.
bool has_object(hid_t file, const std::string& path);
Dims dataset_dims(hid_t file, const std::string& path);
// Throws Failure if the dataset's shape differs from `expected` or its type is of another class.
template <class T>
std::vector<T> read_array(hid_t file, const std::string& path, const Dims& expected);
std::vector<std::string> read_strings(hid_t file, const std::string& path, hsize_t expected_count);

std::string dims_text(const Dims& dims);  // "12x4"

}  // namespace fp::data::h5
