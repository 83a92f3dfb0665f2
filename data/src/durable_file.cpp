#include "durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>

namespace fp::data {

namespace {

[[noreturn]] void throw_errno(const std::string& what, int error) {
  throw std::runtime_error(what + ": " + std::generic_category().message(error));
}

void fsync_path(const std::filesystem::path& path, int flags, const std::string& what) {
  const int fd = ::open(path.c_str(), flags | O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(what, errno);
  const int error = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  if (error != 0) throw_errno(what, error);
}

}  // namespace

void fsync_file(const std::filesystem::path& file) {
  fsync_path(file, 0, "cannot sync " + file.string() + " to disk");
}

void fsync_directory_of(const std::filesystem::path& file) {
  std::filesystem::path directory = file.parent_path();
  if (directory.empty()) directory = ".";
  fsync_path(directory, O_DIRECTORY, "cannot sync directory " + directory.string() + " to disk");
}

void rename_over(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    throw_errno("cannot rename " + from.string() + " to " + to.string(), errno);
  }
}

}  // namespace fp::data
