#pragma once
// Internal: RAII ownership of HDF5 ids and conversion of HDF5 failures into exceptions.
#include <hdf5.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace fp::data::h5 {

// A failure inside the HDF5 layer; the public functions rethrow it as TrialFileError with the file name.
class Failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The innermost message on this thread's HDF5 error stack (often carries errno text), then clears it.
std::string take_error_detail();

// Throws Failure("<what>: <HDF5 detail>").
[[noreturn]] void fail(const std::string& what);

// Stops HDF5 printing its error stack to stderr on the calling thread (the setting is per thread
// in a thread-safe build such as Debian's).
void silence_errors();

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Handle() = default;
  // Takes ownership of `id`; throws Failure naming `what` if the call that produced it failed.
  Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
    if (id_ < 0) fail(what);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  ~Handle() { reset(); }

  hid_t get() const { return id_; }

  // Closing a file writes its metadata, so the writer must see that result rather than lose it.
  void close_checked(const std::string& what) {
    const herr_t status = closer_(std::exchange(id_, H5I_INVALID_HID));
    if (status < 0) fail(what);
  }

 private:
  void reset() noexcept {
    if (id_ >= 0) closer_(std::exchange(id_, H5I_INVALID_HID));
  }

  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

inline void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

}  // namespace fp::data::h5
