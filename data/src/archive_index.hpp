#pragma once
// Internal: the SQLite index of an archive (WAL mode). Derived data only: rebuilt from the files.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "forceplate/data/archive.hpp"

struct sqlite3;

namespace fp::data::archive_detail {

// Version of the index tables; an index of another version is rebuilt.
inline constexpr int kIndexVersion = 1;

class Index {
 public:
  // Opens (creating if needed) the database; only reads it. Throws ArchiveError if SQLite cannot open
  // it or it is not a database.
  explicit Index(const std::filesystem::path& file);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // True when the tables were just created or were of another version: the caller rebuilds.
  bool needs_rebuild() const { return needs_rebuild_; }

  // Drops and re-creates the tables of this version (empty) in WAL mode; under the exclusive lock.
  void reset_schema();

  void begin();
  void commit();
  void rollback() noexcept;
  void clear();  // every row (inside a transaction when rebuilding)
  void mark_built();

  void put_patient(const Patient& p);
  void put_session(const Session& s);
  void put_trial(const TrialRecord& t);
  void remove_trial(const std::string& id);

  std::optional<Patient> patient(const std::string& id) const;
  std::vector<Patient> patients(const std::string& search) const;
  std::optional<Session> session(const std::string& id) const;
  std::vector<Session> sessions(const std::string& patient_id) const;
  std::optional<TrialRecord> trial(const std::string& id) const;
  std::vector<TrialRecord> trials(const TrialQuery& q) const;
  std::vector<TrialRecord> all_trials() const;

 private:
  void exec(const char* sql) const;
  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  bool needs_rebuild_ = false;
};

// Opens a transaction and rolls it back unless committed.
class Transaction {
 public:
  explicit Transaction(Index& index) : index_(index) { index_.begin(); }
  ~Transaction() {
    if (!done_) index_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    index_.commit();
    done_ = true;
  }

 private:
  Index& index_;
  bool done_ = false;
};

}  // namespace fp::data::archive_detail
