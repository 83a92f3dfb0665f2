#include "h5_handle.hpp"

namespace fp::data::h5 {

namespace {

herr_t keep_innermost(unsigned depth, const H5E_error2_t* error, void* out) {
  // Walking upward, depth 0 is where HDF5 detected the problem: the most specific message.
  if (depth == 0 && error != nullptr && error->desc != nullptr) {
    *static_cast<std::string*>(out) = error->desc;
  }
  return 0;
}

}  // namespace

std::string take_error_detail() {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail;
}

void fail(const std::string& what) {
  const std::string detail = take_error_detail();
  throw Failure(detail.empty() ? what : what + " (" + detail + ")");
}

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

}  // namespace fp::data::h5
