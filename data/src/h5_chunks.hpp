#pragma once
// Internal: whole chunks of a shuffle + deflate dataset compressed on several threads and written
// with H5Dwrite_chunk. HDF5 runs its filter pipeline on one thread, and deflate is most of the
// time of saving a trial; the chunks written here are byte for byte what HDF5's own shuffle and
// deflate filters produce in format, so any HDF5 reader (h5py, MATLAB) reads them as usual.
#include <hdf5.h>

#include <cstddef>
#include <string>

namespace fp::data::h5 {

inline constexpr unsigned kDeflateLevel = 1;  // level 4: 1 % smaller files for 12 % more time

// Writes rows [first_row, first_row + rows) of `dataset`, which must already extend that far,
// from `values` (row-major, `row_elements` elements of `element_size` bytes per row, in the file's
// byte order). Only whole chunks are written, and only when first_row starts a chunk and the
// dataset's filters are exactly shuffle + deflate; returns the number of rows written (0: the
// caller writes them the ordinary way).
hsize_t write_whole_chunks(hid_t dataset, const std::string& path, hsize_t first_row, hsize_t rows,
                           hsize_t row_elements, std::size_t element_size, const void* values);

// Reads the whole of `dataset` into `out` (elements of `element_size` bytes, the file's byte order
// equal to the machine's), chunks inflated on several threads. Returns false, having read nothing,
// unless the dataset's filters are exactly shuffle + deflate and every chunk went through both
// (the caller then reads it the ordinary way). A damaged chunk throws Failure naming `path`.
bool read_whole_chunks(hid_t dataset, const std::string& path, std::size_t element_size, void* out);

}  // namespace fp::data::h5
