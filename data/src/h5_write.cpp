#include <algorithm>
#include <bit>

#include "h5_chunks.hpp"
#include "h5_io.hpp"
#include "h5_types.hpp"

namespace fp::data::h5 {

namespace {

// About 64 KiB of raw data per chunk: small enough to read a short window cheaply, large enough
// for deflate to work well.
constexpr hsize_t kChunkBytes = 64 * 1024;

hsize_t element_count(const Dims& dims) {
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  return count;
}

Handle dataset_creation_properties(const std::string& path, const Dims& dims, Storage storage,
                                   std::size_t element_size) {
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "cannot create properties for " + path);
  if (storage == Storage::Contiguous) return plist;
  hsize_t row_elements = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) row_elements *= dims[i];
  const hsize_t row_bytes = row_elements * element_size;
  const hsize_t target_rows = std::max<hsize_t>(1, kChunkBytes / row_bytes);
  Dims chunk = dims;
  // A chunk may not be empty; an empty dataset gets full-size chunks in case rows are appended later.
  chunk[0] = dims[0] == 0 ? target_rows : std::min(dims[0], target_rows);
  const std::string what = "cannot set compression for " + path;
  check(H5Pset_chunk(plist.get(), static_cast<int>(chunk.size()), chunk.data()), what);
  // No Fletcher-32: every deflated chunk already carries zlib's Adler-32, which HDF5 checks when it
  // reads it, and h5_chunks.cpp can write shuffle + deflate chunks on several threads.
  check(H5Pset_shuffle(plist.get()), what);
  check(H5Pset_deflate(plist.get(), kDeflateLevel), what);
  return plist;
}

Handle create_dataspace(const Dims& dims, Storage storage) {
  Dims max_dims = dims;
  if (storage == Storage::Compressed) max_dims[0] = H5S_UNLIMITED;
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_dims.data()),
                H5Sclose, "cannot create dataspace");
}

void describe(hid_t dataset, const DatasetSpec& spec) {
  write_attribute(dataset, ".", "description", spec.description);
  if (!spec.units.empty()) write_attribute(dataset, ".", "units", spec.units);
}

void write_scalar_attribute(hid_t location, const std::string& object, const char* name,
                            hid_t file_type, hid_t memory_type, const void* value) {
  const std::string what =
      "cannot write attribute '" + std::string(name) + "'" + (object == "." ? "" : " of " + object);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, what);
  Handle attribute(H5Acreate_by_name(location, object.c_str(), name, file_type, space.get(),
                                     H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   H5Aclose, what);
  check(H5Awrite(attribute.get(), memory_type, value), what);
}

}  // namespace

void create_group(hid_t file, const std::string& path, const std::string& description) {
  Handle group(H5Gcreate2(file, path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
               "cannot create group " + path);
  write_attribute(group.get(), ".", "description", description);
}

void write_attribute(hid_t location, const std::string& object, const char* name,
                     const std::string& value) {
  const Handle type = utf8_string_type();
  const char* text = value.c_str();
  write_scalar_attribute(location, object, name, type.get(), type.get(), &text);
}

void write_attribute(hid_t location, const std::string& object, const char* name, std::int32_t value) {
  write_scalar_attribute(location, object, name, TypeOf<std::int32_t>::file(),
                         TypeOf<std::int32_t>::memory(), &value);
}

void write_attribute(hid_t location, const std::string& object, const char* name, double value) {
  write_scalar_attribute(location, object, name, TypeOf<double>::file(), TypeOf<double>::memory(),
                         &value);
}

template <class T>
void write_array(hid_t file, const DatasetSpec& spec, const Dims& dims, Storage storage,
                 const std::vector<T>& values) {
  const std::string what = "cannot write dataset " + spec.path;
  if (element_count(dims) != values.size()) {
    throw Failure(what + ": " + std::to_string(values.size()) + " values for shape " + dims_text(dims));
  }
  // HDF5 cannot chunk a dimension of size 0 (and a row of no elements gives no chunk size), so a
  // dataset with zero columns (counts of a trial without cells) is stored contiguous.
  const bool empty_rows = std::find(dims.begin() + (dims.empty() ? 0 : 1), dims.end(), hsize_t{0}) != dims.end();
  const Storage layout = empty_rows ? Storage::Contiguous : storage;
  const Handle space = create_dataspace(dims, layout);
  const Handle plist = dataset_creation_properties(spec.path, dims, layout, sizeof(T));
  Handle dataset(H5Dcreate2(file, spec.path.c_str(), TypeOf<T>::file(), space.get(), H5P_DEFAULT,
                            plist.get(), H5P_DEFAULT),
                 H5Dclose, what);
  if (!values.empty()) {
    check(H5Dwrite(dataset.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          what);
  }
  describe(dataset.get(), spec);
}

template void write_array(hid_t, const DatasetSpec&, const Dims&, Storage, const std::vector<double>&);
template void write_array(hid_t, const DatasetSpec&, const Dims&, Storage,
                          const std::vector<std::int32_t>&);
template void write_array(hid_t, const DatasetSpec&, const Dims&, Storage,
                          const std::vector<std::uint64_t>&);

template <class T>
Handle create_growing_array(hid_t file, const DatasetSpec& spec, const Dims& columns, hsize_t expected_rows) {
  const std::string what = "cannot create dataset " + spec.path;
  Dims dims{0};
  dims.insert(dims.end(), columns.begin(), columns.end());
  if (std::find(dims.begin() + 1, dims.end(), hsize_t{0}) != dims.end()) {
    throw Failure(what + ": a growing dataset cannot have an empty dimension (" + dims_text(dims) + ")");
  }
  const Handle space = create_dataspace(dims, Storage::Compressed);
  Dims sizing = dims;  // the chunk shape follows the expected size, as for a dataset written at once
  sizing[0] = expected_rows;
  const Handle plist = dataset_creation_properties(spec.path, sizing, Storage::Compressed, sizeof(T));
  Handle dataset(H5Dcreate2(file, spec.path.c_str(), TypeOf<T>::file(), space.get(), H5P_DEFAULT,
                            plist.get(), H5P_DEFAULT),
                 H5Dclose, what);
  describe(dataset.get(), spec);
  return dataset;
}

template <class T>
void append_rows(hid_t dataset, const std::string& path, hsize_t rows_before, hsize_t rows,
                 hsize_t row_elements, const T* values) {
  if (rows == 0) return;
  const std::string what = "cannot write dataset " + path;
  const Handle old_space(H5Dget_space(dataset), H5Sclose, what);
  const int rank = H5Sget_simple_extent_ndims(old_space.get());
  if (rank != 1 && rank != 2) fail(what);
  Dims extent(static_cast<std::size_t>(rank));
  check(H5Sget_simple_extent_dims(old_space.get(), extent.data(), nullptr), what);
  if (extent[0] != rows_before || (rank == 2 ? extent[1] : 1) != row_elements) {
    throw Failure(what + ": shape is " + dims_text(extent) + ", expected " + std::to_string(rows_before) +
                  " rows of " + std::to_string(row_elements));
  }
  extent[0] = rows_before + rows;
  check(H5Dset_extent(dataset, extent.data()), what);
  // Whole chunks compressed in parallel; the rest (a chunk begun earlier or not yet full) through
  // HDF5's own pipeline. The file's types are little-endian, as the machines this runs on.
  static_assert(std::endian::native == std::endian::little);
  const hsize_t done = write_whole_chunks(dataset, path, rows_before, rows, row_elements, sizeof(T), values);
  if (done == rows) return;
  rows_before += done;
  rows -= done;
  values += done * row_elements;
  const Handle file_space(H5Dget_space(dataset), H5Sclose, what);
  Dims start(extent.size(), 0);
  start[0] = rows_before;
  Dims count = extent;
  count[0] = rows;
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        what);
  const Handle memory_space(H5Screate_simple(rank, count.data(), nullptr), H5Sclose, what);
  check(H5Dwrite(dataset, TypeOf<T>::memory(), memory_space.get(), file_space.get(), H5P_DEFAULT, values),
        what);
}

template Handle create_growing_array<double>(hid_t, const DatasetSpec&, const Dims&, hsize_t);
template Handle create_growing_array<std::int32_t>(hid_t, const DatasetSpec&, const Dims&, hsize_t);
template Handle create_growing_array<std::uint64_t>(hid_t, const DatasetSpec&, const Dims&, hsize_t);
template void append_rows(hid_t, const std::string&, hsize_t, hsize_t, hsize_t, const double*);
template void append_rows(hid_t, const std::string&, hsize_t, hsize_t, hsize_t, const std::int32_t*);
template void append_rows(hid_t, const std::string&, hsize_t, hsize_t, hsize_t, const std::uint64_t*);

void write_strings(hid_t file, const DatasetSpec& spec, const std::vector<std::string>& values) {
  const std::string what = "cannot write dataset " + spec.path;
  const Handle type = utf8_string_type();
  const Handle space = create_dataspace({values.size()}, Storage::Contiguous);
  Handle dataset(H5Dcreate2(file, spec.path.c_str(), type.get(), space.get(), H5P_DEFAULT,
                            H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose, what);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& value : values) pointers.push_back(value.c_str());
  if (!pointers.empty()) {
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), what);
  }
  describe(dataset.get(), spec);
}

std::string dims_text(const Dims& dims) {
  if (dims.empty()) return "scalar";
  std::string text;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) text += 'x';
    text += std::to_string(dims[i]);
  }
  return text;
}

}  // namespace fp::data::h5
