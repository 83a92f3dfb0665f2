#include <bit>
#include <cstring>

#include "h5_chunks.hpp"
#include "h5_io.hpp"
#include "h5_types.hpp"

namespace fp::data::h5 {

namespace {

std::string attribute_label(const std::string& object, const char* name) {
  return "attribute '" + std::string(name) + "' of " + (object == "." ? "/" : object);
}

Handle open_attribute(hid_t location, const std::string& object, const char* name) {
  return Handle(H5Aopen_by_name(location, object.c_str(), name, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                "missing " + attribute_label(object, name));
}

void require_class(hid_t type, H5T_class_t wanted, const std::string& label, const char* wanted_name) {
  if (H5Tget_class(type) != wanted) throw Failure(label + " is not " + wanted_name);
}

// Frees the strings HDF5 allocated for a variable-length read, whatever happens while copying them.
class VlenBuffer {
 public:
  VlenBuffer(hid_t type, hid_t space, std::size_t count) : type_(type), space_(space), data_(count) {}
  VlenBuffer(const VlenBuffer&) = delete;
  VlenBuffer& operator=(const VlenBuffer&) = delete;
  ~VlenBuffer() {
    if (!data_.empty()) H5Dvlen_reclaim(type_, space_, H5P_DEFAULT, data_.data());
  }
  char** data() { return data_.data(); }
  std::string text(std::size_t i) const { return data_[i] == nullptr ? std::string() : data_[i]; }

 private:
  hid_t type_;
  hid_t space_;
  std::vector<char*> data_;
};

}  // namespace

bool has_attribute(hid_t location, const std::string& object, const char* name) {
  const htri_t exists = H5Aexists_by_name(location, object.c_str(), name, H5P_DEFAULT);
  if (exists < 0) fail("cannot look up " + attribute_label(object, name));
  return exists > 0;
}

std::string read_string_attribute(hid_t location, const std::string& object, const char* name) {
  const std::string label = attribute_label(object, name);
  const Handle attribute = open_attribute(location, object, name);
  const Handle type(H5Aget_type(attribute.get()), H5Tclose, "cannot read " + label);
  require_class(type.get(), H5T_STRING, label, "a string");
  const Handle space(H5Aget_space(attribute.get()), H5Sclose, "cannot read " + label);
  if (H5Sget_simple_extent_type(space.get()) != H5S_SCALAR) throw Failure(label + " is not a scalar");

  if (H5Tis_variable_str(type.get()) > 0) {
    VlenBuffer buffer(type.get(), space.get(), 1);
    check(H5Aread(attribute.get(), type.get(), buffer.data()), "cannot read " + label);
    return buffer.text(0);
  }
  // Fixed-length strings, as MATLAB's h5writeatt writes them, in case someone annotated the file.
  std::string text(H5Tget_size(type.get()), '\0');
  check(H5Aread(attribute.get(), type.get(), text.data()), "cannot read " + label);
  text.resize(std::strlen(text.c_str()));
  return text;
}

std::int64_t read_int_attribute(hid_t location, const std::string& object, const char* name) {
  const std::string label = attribute_label(object, name);
  const Handle attribute = open_attribute(location, object, name);
  const Handle type(H5Aget_type(attribute.get()), H5Tclose, "cannot read " + label);
  require_class(type.get(), H5T_INTEGER, label, "an integer");
  std::int64_t value = 0;
  check(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), "cannot read " + label);
  return value;
}

double read_double_attribute(hid_t location, const std::string& object, const char* name) {
  const std::string label = attribute_label(object, name);
  const Handle attribute = open_attribute(location, object, name);
  const Handle type(H5Aget_type(attribute.get()), H5Tclose, "cannot read " + label);
  require_class(type.get(), H5T_FLOAT, label, "a floating-point number");
  double value = 0;
  check(H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value), "cannot read " + label);
  return value;
}

bool has_object(hid_t file, const std::string& path) {
  const htri_t exists = H5Lexists(file, path.c_str(), H5P_DEFAULT);
  if (exists < 0) fail("cannot look up " + path);
  return exists > 0;
}

Dims dataset_dims(hid_t file, const std::string& path) {
  const Handle dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "missing dataset " + path);
  const Handle space(H5Dget_space(dataset.get()), H5Sclose, "cannot read dataset " + path);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail("cannot read dataset " + path);
  Dims dims(static_cast<std::size_t>(rank));
  if (H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) fail("cannot read dataset " + path);
  return dims;
}

template <class T>
std::vector<T> read_array(hid_t file, const std::string& path, const Dims& expected) {
  const std::string what = "cannot read dataset " + path;
  const Dims dims = dataset_dims(file, path);
  if (dims != expected) {
    throw Failure("dataset " + path + " has shape " + dims_text(dims) + ", expected " +
                  dims_text(expected));
  }
  const Handle dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, what);
  const Handle type(H5Dget_type(dataset.get()), H5Tclose, what);
  require_class(type.get(), TypeOf<T>::type_class, "dataset " + path, TypeOf<T>::name);
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  std::vector<T> values(count);
  if (count == 0) return values;
  // Our own little-endian types of the same size: chunks inflated in parallel (h5_chunks.hpp).
  const bool same_layout = H5Tget_size(type.get()) == sizeof(T) && H5Tget_order(type.get()) == H5T_ORDER_LE &&
                           (TypeOf<T>::type_class == H5T_FLOAT || H5Tget_sign(type.get()) == H5Tget_sign(TypeOf<T>::memory()));
  static_assert(std::endian::native == std::endian::little);
  if (same_layout && read_whole_chunks(dataset.get(), path, sizeof(T), values.data())) return values;
  check(H5Dread(dataset.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
  return values;
}

template std::vector<double> read_array(hid_t, const std::string&, const Dims&);
template std::vector<std::int32_t> read_array(hid_t, const std::string&, const Dims&);
template std::vector<std::uint64_t> read_array(hid_t, const std::string&, const Dims&);

std::vector<std::string> read_strings(hid_t file, const std::string& path, hsize_t expected_count) {
  const std::string what = "cannot read dataset " + path;
  const Dims dims = dataset_dims(file, path);
  if (dims != Dims{expected_count}) {
    throw Failure("dataset " + path + " has shape " + dims_text(dims) + ", expected " +
                  dims_text({expected_count}));
  }
  const Handle dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, what);
  const Handle type(H5Dget_type(dataset.get()), H5Tclose, what);
  require_class(type.get(), H5T_STRING, "dataset " + path, "of strings");
  if (H5Tis_variable_str(type.get()) <= 0) throw Failure("dataset " + path + " is not of variable-length strings");
  std::vector<std::string> values;
  if (expected_count == 0) return values;
  const Handle space(H5Dget_space(dataset.get()), H5Sclose, what);
  VlenBuffer buffer(type.get(), space.get(), expected_count);
  check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), what);
  values.reserve(expected_count);
  for (std::size_t i = 0; i < expected_count; ++i) values.push_back(buffer.text(i));
  return values;
}

}  // namespace fp::data::h5
