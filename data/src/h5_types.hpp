#pragma once
// Internal: the HDF5 types used for each C++ element type. File types are fixed little-endian
// so files are identical whichever machine writes them.
#include <hdf5.h>

#include <cstdint>

#include "h5_handle.hpp"

namespace fp::data::h5 {

template <class T>
struct TypeOf;

template <>
struct TypeOf<double> {
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
  static constexpr H5T_class_t type_class = H5T_FLOAT;
  static constexpr const char* name = "floating-point";
};

template <>
struct TypeOf<std::int32_t> {
  static hid_t memory() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
  static constexpr H5T_class_t type_class = H5T_INTEGER;
  static constexpr const char* name = "integer";
};

template <>
struct TypeOf<std::uint64_t> {
  static hid_t memory() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
  static constexpr H5T_class_t type_class = H5T_INTEGER;
  static constexpr const char* name = "integer";
};

// Variable-length UTF-8 string, as h5py writes `str`.
inline Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "cannot create string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "cannot create string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot create string type");
  return type;
}

}  // namespace fp::data::h5
