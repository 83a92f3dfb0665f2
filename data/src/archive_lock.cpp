// The archive lock: flock(2) on <archive>/archive.lock, shared to read, exclusive to write.
// The holder of the exclusive lock writes "pid operation since" into the file so that a program that
// has to give up can say who is using the archive.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "archive_impl.hpp"

namespace fp::data::archive_detail {

FileLock::FileLock(fs::path archive_dir, std::chrono::milliseconds timeout)
    : dir_(std::move(archive_dir)), file_(dir_ / kLockFile), timeout_(timeout) {
  fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw ArchiveError("cannot open the lock file of archive '" + dir_.string() + "': " + std::strerror(errno));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

void FileLock::acquire(bool exclusive, const std::string& operation) {
  if (depth_ > 0) {
    if (exclusive && !exclusive_) throw std::logic_error("archive lock: cannot upgrade a shared lock");
    ++depth_;
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    if (::flock(fd_, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) break;
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      throw ArchiveError("cannot lock archive '" + dir_.string() + "': " + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      // Who holds it? A writer says so in the file; readers only hold shared locks.
      std::string holder;
      if (exclusive && ::flock(fd_, LOCK_SH | LOCK_NB) == 0) {
        ::flock(fd_, LOCK_UN);
        holder = "another program that is reading it";
      } else {
        char text[256] = {};
        const ssize_t n = ::pread(fd_, text, sizeof text - 1, 0);
        std::string tag = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string();
        while (!tag.empty() && (tag.back() == '\n' || tag.back() == ' ')) tag.pop_back();
        holder = tag.empty() ? std::string("another program") : "PID " + tag;
      }
      throw ArchiveError("archive '" + dir_.string() + "' is in use by " + holder + "; waited " +
                         std::to_string(timeout_.count()) + " ms to " + operation + ", try again when it has finished");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  depth_ = 1;
  exclusive_ = exclusive;
  if (exclusive) {
    const std::string tag = std::to_string(::getpid()) + " (" + operation + ", since " + now_utc() + ")\n";
    if (::ftruncate(fd_, 0) == 0) {
      [[maybe_unused]] const ssize_t n = ::pwrite(fd_, tag.data(), tag.size(), 0);
    }
  }
}

void FileLock::release() {
  if (depth_ == 0) return;
  if (--depth_ > 0) return;
  ::flock(fd_, LOCK_UN);
}

}  // namespace fp::data::archive_detail
