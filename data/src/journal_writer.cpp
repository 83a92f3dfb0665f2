// JournalWriter: samples are copied into a memory buffer by the recording thread; a background thread
// (or flush(), or append() when the buffer is full) writes the buffer as one record and syncs it.
// The file is only ever extended: a record is written after the last complete one with pwrite, and a
// failed write is cut off again with ftruncate, so a write error never damages what is on disk.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include "durable_file.hpp"
#include "forceplate/data/journal.hpp"
#include "journal_format.hpp"
#include "trial_validate.hpp"

namespace fp::data {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxBufferedBytes = std::size_t{32} << 20;

std::string errno_text(int error) { return std::generic_category().message(error); }

}  // namespace

struct JournalWriter::Impl {
  std::filesystem::path path;
  journal::Layout layout;
  JournalOptions options;
  int fd = -1;

  // Shared between the recording thread and the background thread.
  std::mutex mutex;
  std::condition_variable wake;
  journal::Block pending;
  std::size_t pending_bytes = 0;
  std::optional<Clock::time_point> oldest;  // when the oldest buffered sample or gap was appended
  bool stopping = false;
  bool finished = false;
  std::exception_ptr failure;  // the first write failure; every later call rethrows it
  std::uint64_t appended = 0;

  // The file: one writer at a time (the background thread or the recording thread).
  std::mutex file_mutex;
  journal::Block writing;
  std::vector<unsigned char> record;
  std::uint64_t file_bytes = 0;  // everything before this is complete, synced records
  std::uint64_t blocks = 0;
  std::uint64_t samples_written = 0;
  std::uint64_t gaps_written = 0;
  std::atomic<std::uint64_t> on_disk{0};

  std::thread flusher;

  TrialFileError error(const std::string& problem) const {
    return TrialFileError("cannot write journal '" + path.string() + "': " + problem);
  }

  // Writes `record` after the last complete record and syncs it; on failure cuts the file back and
  // returns what went wrong ("" on success). Call with file_mutex held.
  std::string write_record() {
    // On failure the file is cut back to its last synced record: best effort, since a reader
    // ignores a torn record at the end anyway (it is incomplete or fails its checksum), but then the
    // journal holds exactly the samples reported as on disk.
    const auto cut_back = [this](const std::string& problem) {
      [[maybe_unused]] const int ignored = ::ftruncate(fd, static_cast<off_t>(file_bytes));
      return problem;
    };
    std::size_t done = 0;
    while (done < record.size()) {
      const ssize_t wrote = ::pwrite(fd, record.data() + done, record.size() - done,
                                     static_cast<off_t>(file_bytes + done));
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) return cut_back(errno_text(wrote < 0 ? errno : ENOSPC));
      done += static_cast<std::size_t>(wrote);
    }
    if (::fdatasync(fd) != 0) return cut_back("syncing to disk failed: " + errno_text(errno));
    file_bytes += record.size();
    return {};
  }

  // write_record(), throwing the failure (and keeping it for every later call).
  void write_record_or_fail() {
    const std::string problem = write_record();
    if (problem.empty()) return;
    const TrialFileError e = error(problem + " (the " + std::to_string(samples_written) +
                                   " samples written before are kept in the journal; the recording cannot continue)");
    const std::lock_guard lock(mutex);
    if (!failure) failure = std::make_exception_ptr(e);
    throw e;
  }

  // Writes everything buffered as one samples record. Throws the (first) failure.
  void write_pending() {
    const std::lock_guard file_lock(file_mutex);
    {
      const std::lock_guard lock(mutex);
      if (failure) std::rethrow_exception(failure);
      if (pending.empty()) return;
      std::swap(pending, writing);  // `pending` gets the old, cleared buffer and keeps its capacity
      pending_bytes = 0;
      oldest.reset();
    }
    record.clear();
    journal::append_block_record(record, writing, layout, blocks, samples_written);
    write_record_or_fail();
    ++blocks;
    samples_written += writing.samples();
    gaps_written += writing.gaps.size();
    on_disk.store(samples_written, std::memory_order_relaxed);
    writing.clear();
  }

  void run_flusher() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      if (failure || !oldest) {
        wake.wait(lock);
        continue;
      }
      const Clock::time_point due = *oldest + options.flush_interval;
      if (Clock::now() < due) {
        wake.wait_until(lock, due);
        continue;
      }
      lock.unlock();
      try {
        write_pending();
      } catch (...) {
        // Kept in `failure`: the recording thread's next call throws it.
      }
      lock.lock();
    }
  }

  void stop_flusher() {
    {
      const std::lock_guard lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    if (flusher.joinable()) flusher.join();
  }

  // Throws if the writer can no longer be used. Call with `mutex` held.
  void check_usable() const {
    if (failure) std::rethrow_exception(failure);
    if (finished) throw std::logic_error("journal '" + path.string() + "' is already finished");
  }
};

JournalWriter::JournalWriter(const std::filesystem::path& path, const Trial& metadata, JournalOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& w = *impl_;
  w.path = path;
  w.options = options;
  const auto create_error = [&](const std::string& problem) {
    return TrialFileError("cannot create journal '" + path.string() + "': " + problem);
  };
  if (options.max_buffered_bytes > kMaxBufferedBytes) {
    throw std::invalid_argument("JournalOptions::max_buffered_bytes is above 32 MiB");
  }
  Trial header = metadata;  // only the metadata: no samples, no gaps
  header.sequence.clear();
  header.time_s.clear();
  header.counts.clear();
  header.cell_force_n.clear();
  header.fz_n.clear();
  header.cop_x_m.clear();
  header.cop_y_m.clear();
  header.fx_n.clear();
  header.fy_n.clear();
  header.gaps.clear();
  if (std::string problem = trial_inconsistency(header); !problem.empty()) {
    throw create_error("inconsistent metadata: " + problem);
  }
  w.layout = journal::layout_of(header, options.horizontal_forces);
  if (header.cells_per_plate < 1 || w.layout.cells > static_cast<std::size_t>(kJournalMaxCells)) {
    throw create_error("a journal records 1 to " + std::to_string(kJournalMaxCells) +
                       " load cells over all plates; the metadata has " + std::to_string(header.plate_count()) +
                       " plates of " + std::to_string(header.cells_per_plate));
  }
  std::vector<unsigned char> start;
  journal::append_file_header(start);
  try {
    const std::string text = journal::encode_metadata(header, options.horizontal_forces);
    journal::append_record(start, journal::RecordType::header, text.data(), text.size());
  } catch (const std::exception& e) {
    throw create_error(std::string("metadata cannot be stored: ") + e.what());
  }

  // O_EXCL: never overwrite anything, least of all another recording's journal.
  w.fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (w.fd < 0) {
    const int cause = errno;
    throw create_error(cause == EEXIST ? "a file of that name already exists (a journal is never overwritten)"
                                       : errno_text(cause));
  }
  try {
    const std::lock_guard file_lock(w.file_mutex);
    w.record = std::move(start);
    if (const std::string problem = w.write_record(); !problem.empty()) throw std::runtime_error(problem);
    fsync_directory_of(path);  // the new name survives a power loss too
  } catch (const std::exception& e) {
    ::close(w.fd);
    std::error_code ignored;
    std::filesystem::remove(path, ignored);  // ours, and holds no sample
    throw create_error(e.what());
  }
  w.flusher = std::thread([&w] { w.run_flusher(); });
}

JournalWriter::~JournalWriter() {
  Impl& w = *impl_;
  w.stop_flusher();
  if (w.fd < 0) return;
  try {
    w.write_pending();  // no end record: the journal reads as interrupted
  } catch (...) {
    // A destructor cannot report it; the journal keeps every record written before.
  }
  ::close(w.fd);
}

void JournalWriter::append(const JournalSample& sample) {
  Impl& w = *impl_;
  bool full = false;
  {
    const std::lock_guard lock(w.mutex);
    w.check_usable();
    w.pending.push(sample, w.layout);
    w.pending_bytes += w.layout.row_bytes();
    ++w.appended;
    full = w.pending_bytes >= w.options.max_buffered_bytes;
    if (!w.oldest) {
      w.oldest = Clock::now();
      w.wake.notify_one();
    }
  }
  if (full) w.write_pending();
}

void JournalWriter::append_gap(const Gap& gap) {
  if (gap.reason.size() > journal::kMaxGapReason) {
    throw std::invalid_argument("gap reason of " + std::to_string(gap.reason.size()) + " bytes; at most 64 KiB");
  }
  Impl& w = *impl_;
  bool full = false;
  {
    const std::lock_guard lock(w.mutex);
    w.check_usable();
    w.pending.gaps.push_back(gap);
    w.pending_bytes += 20 + gap.reason.size();
    full = w.pending_bytes >= w.options.max_buffered_bytes;
    if (!w.oldest) {
      w.oldest = Clock::now();
      w.wake.notify_one();
    }
  }
  if (full) w.write_pending();
}

void JournalWriter::flush() {
  Impl& w = *impl_;
  {
    const std::lock_guard lock(w.mutex);
    w.check_usable();
  }
  w.write_pending();
}

void JournalWriter::finish() {
  Impl& w = *impl_;
  {
    const std::lock_guard lock(w.mutex);
    if (w.finished) return;
    if (w.failure) std::rethrow_exception(w.failure);
  }
  w.stop_flusher();
  w.write_pending();
  {
    const std::lock_guard file_lock(w.file_mutex);
    w.record.clear();
    journal::append_end_record(w.record, w.blocks, w.samples_written, w.gaps_written);
    w.write_record_or_fail();
  }
  {
    const std::lock_guard lock(w.mutex);
    w.finished = true;
  }
  // Everything is synced already; a failing close (possible on network file systems) is still reported.
  if (::close(std::exchange(w.fd, -1)) != 0) throw w.error("closing failed: " + errno_text(errno));
}

const std::filesystem::path& JournalWriter::path() const { return impl_->path; }

std::uint64_t JournalWriter::samples_appended() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->appended;
}

std::uint64_t JournalWriter::samples_on_disk() const { return impl_->on_disk.load(std::memory_order_relaxed); }

}  // namespace fp::data
