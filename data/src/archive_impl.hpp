#pragma once
// Internal: the pieces of fp::data::Archive shared by the archive_*.cpp files.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive_index.hpp"
#include "forceplate/data/archive.hpp"

namespace fp::data::archive_detail {

namespace fs = std::filesystem;

// Layout (docs/archive.md, "The archive").
inline constexpr const char* kArchiveFile = "archive.json";
inline constexpr const char* kIndexFile = "index.sqlite";
inline constexpr const char* kLockFile = "archive.lock";
inline constexpr const char* kAuditFile = "audit.log";
inline constexpr const char* kPatientsDir = "patients";
inline constexpr const char* kQuarantineDir = "quarantine";
inline constexpr const char* kStudiesDir = "studies";
inline constexpr const char* kStagingDir = "staging";

fs::path patient_dir(const std::string& patient_id);                                // relative
fs::path session_dir(const std::string& patient_id, const std::string& session_id);  // relative
fs::path trial_file(const std::string& patient_id, const std::string& session_id, const std::string& trial_id);
fs::path trial_record_file(const fs::path& trial_h5);  // <tid>.h5 -> <tid>.json

// Throws ArchiveError("invalid <what> '<id>': ...") unless 1-64 of [A-Za-z0-9._-], not starting
// with '.' or '-'.
void check_id(const std::string& id, const std::string& what);
void check_patient(const Patient& p);
void check_side(const std::string& side, const std::string& what);
// YYYY-MM-DD, a real date; throws naming `what`.
void check_date(const std::string& date, const std::string& what);
void check_time_utc(const std::string& time, const std::string& what);  // YYYY-MM-DDTHH:MM:SSZ
std::string now_utc();
// Days since 1970-01-01 of a YYYY-MM-DD date or an ISO time starting with one; nullopt if malformed.
std::optional<long> day_number(const std::string& date_or_time);
// Whole years between a date of birth and a later day.
std::optional<int> age_in_years(const std::string& date_of_birth, const std::string& on_date_or_time);

// Writes `bytes` to `<path>.tmp`, syncs, renames over `path` and syncs the folder. With `must_be_new`
// it refuses (ArchiveError) when `path` exists. Throws ArchiveError naming the file and the reason.
void write_file_durably(const fs::path& path, const std::string& bytes, bool must_be_new, unsigned mode = 0600);
std::string read_text_file(const fs::path& path);  // throws ArchiveError
// Appends one line with O_APPEND and syncs.
void append_line_durably(const fs::path& path, const std::string& line);
// CRC-32 (zlib) of a file's bytes and its size; throws ArchiveError.
std::uint32_t file_crc32(const fs::path& path, std::uint64_t* size = nullptr);
std::string crc_hex(std::uint32_t crc);
std::optional<std::uint32_t> parse_crc_hex(const std::string& text);
void make_private_dir(const fs::path& dir);  // creates (0700) if missing

// JSON records (docs/archive.md).
std::string patient_to_json(const Patient& p);
Patient patient_from_json(const std::string& text, const fs::path& file);
std::string session_to_json(const Session& s);
Session session_from_json(const std::string& text, const fs::path& file);
std::string trial_record_to_json(const TrialRecord& r);
TrialRecord trial_record_from_json(const std::string& text, const fs::path& file);

// flock(2) on archive.lock, re-entrant within one Archive object.
class FileLock {
 public:
  FileLock(fs::path archive_dir, std::chrono::milliseconds timeout);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  void acquire(bool exclusive, const std::string& operation);
  void release();

 private:
  fs::path dir_;
  fs::path file_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  int depth_ = 0;
  bool exclusive_ = false;
};

class LockGuard {
 public:
  LockGuard(FileLock& lock, bool exclusive, const std::string& operation) : lock_(lock) {
    lock_.acquire(exclusive, operation);
  }
  ~LockGuard() { lock_.release(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  FileLock& lock_;
};

// Walks the files: every patient, session and trial record (used by rebuild_index and verify).
struct ScannedTrial {
  fs::path h5;                         // relative
  std::optional<TrialRecord> record;   // nullopt: the record file is missing or unreadable
  std::string record_problem;
};
struct Scan {
  std::vector<Patient> patients;
  std::vector<Session> sessions;
  std::vector<ScannedTrial> trials;
  std::vector<std::string> problems;
  std::vector<std::string> leftovers;  // *.tmp files, relative
};
Scan scan_files(const fs::path& root);

void audit(const fs::path& root, const std::string& action, const std::string& what, const std::string& study,
           std::size_t trials, const fs::path& destination);

}  // namespace fp::data::archive_detail

namespace fp::data {

struct Archive::Impl {
  archive_detail::fs::path root;
  ArchiveOptions options;
  std::unique_ptr<archive_detail::FileLock> lock;
  std::unique_ptr<archive_detail::Index> index;

  // Unlocked helpers (the public functions take the lock).
  Patient patient(const std::string& id) const;
  Session session(const std::string& id) const;
  TrialRecord trial(const std::string& id) const;
  RebuildReport rebuild();
};

}  // namespace fp::data
