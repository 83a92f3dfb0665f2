#pragma once
// The clinic's archive: patients, their sessions and every trial ever recorded, in one folder.
// Layout, schema version, index, checksums, lock, exports and de-identification: docs/archive.md,
// "The archive".
//
// The files are the truth: each trial is a self-contained HDF5 file (trial_file.hpp) with a small
// JSON record beside it (its checksum, test, side), and patients and sessions are small JSON files.
// Every file is written to a temporary name, synced and renamed into place; nothing already in the
// archive is rewritten in place. The SQLite index (`index.sqlite`) only serves fast listing and
// search and can always be rebuilt from the files (rebuild_index(), and automatically when it is
// missing or damaged).
//
// Concurrency: every operation takes a lock on `<archive>/archive.lock` (flock) for its duration:
// shared to read, exclusive to write (verify only briefly, see there). Several programs (GUI and command line) may therefore use the
// same archive; one that waits longer than ArchiveOptions::lock_timeout gets an ArchiveError
// "archive '<dir>' is in use by PID <n> (<operation>) ...". One Archive object must not be used by
// two threads at once (give each thread its own).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "forceplate/data/trial.hpp"

namespace fp::data {

// Every failure: names the archive or the item and what is wrong (unknown patient id, file not found,
// archive in use, ...).
class ArchiveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Version of the archive layout (folders, JSON records, index); docs/archive.md. Stored in
// `<archive>/archive.json`; an archive with a higher version is refused.
inline constexpr int kArchiveSchemaVersion = 1;

struct Patient {
  std::string id;             // chosen by the clinic: 1-64 of A-Z a-z 0-9 . _ -, not starting with . or -
  std::string name;
  std::string date_of_birth;  // YYYY-MM-DD, or empty when unknown
  std::string sex = "unknown";          // female, male, other, unknown
  double height_m = 0;                  // 0: unknown
  double mass_kg = 0;                   // 0: unknown
  std::string involved_side = "none";   // left, right, both, none
  std::string diagnosis;
  std::string notes;
};

struct Session {
  std::string id;              // empty in add_session: one is made from the date and a random suffix
  std::string patient_id;
  std::string started_at_utc;  // ISO 8601 UTC, YYYY-MM-DDTHH:MM:SSZ; empty in add_session: now
  std::string notes;
  int pain_24h = -1;           // pain over the last 24 h, 0-10; -1 when not asked
  std::size_t trial_count = 0; // filled by list_sessions() and session()
};

struct TrialRecord {
  std::string id;          // unique in the archive: "<session id>-<nn>"
  std::string patient_id;
  std::string session_id;
  std::string path;        // of the HDF5 file, relative to the archive folder
  std::string test;        // Trial::test_name
  std::string side;        // left, right, both, none
  std::string recorded_at_utc;  // Trial::start_time_utc, or the session's start when the trial has none
  std::uint32_t crc32 = 0;      // of the HDF5 file's bytes (zlib crc32, as Python's zlib.crc32)
  std::uint64_t size_bytes = 0;
  bool complete = true;         // Trial::complete
  std::string source;           // file name an imported trial came from; empty for recorded trials
};

struct TrialQuery {
  std::string patient_id;  // each empty field: no restriction
  std::string session_id;
  std::string test;
  std::string from_date;   // YYYY-MM-DD, inclusive (compared with recorded_at_utc)
  std::string to_date;     // YYYY-MM-DD, inclusive
};

struct NewTrial {
  std::string side = "none";  // left, right, both, none
  std::string source;         // where an imported trial came from (file name)
};

struct ImportTrialOptions {
  std::string patient_id;   // required
  std::string session_id;   // empty: a new session of the patient is started
  std::string test;         // stored as Trial::test_name; empty: the file's own test, else quiet-stance
  std::string side = "none";
  double rate_hz = 0;       // as ImportOptions (table_import.hpp)
  std::string layout = "auto";
};

struct VerifyReport {
  std::size_t trials_checked = 0;
  std::size_t trials_ok = 0;
  // One line per problem, naming the file (relative to the archive) and what is wrong.
  std::vector<std::string> problems;
  // Lines that are not problems (leftover temporary files of interrupted writes, ...).
  std::vector<std::string> notes;
  // Files moved aside, relative to the archive (under quarantine/).
  std::vector<std::string> quarantined;
  bool ok() const { return problems.empty(); }
};

struct RebuildReport {
  std::size_t patients = 0;
  std::size_t sessions = 0;
  std::size_t trials = 0;
  std::vector<std::string> problems;  // files that could not be indexed (they are left where they are)
};

enum class ExportFormat { csv, hdf5 };

struct ResearchExportOptions {
  std::string study;                     // study name: 1-64 of A-Z a-z 0-9 . _ -; its secret salt is kept in the archive
  std::vector<std::string> patient_ids;  // empty: every patient
  std::vector<std::string> tests;        // empty: every test
  std::string from_date;                 // YYYY-MM-DD, inclusive; empty: no limit
  std::string to_date;
  std::filesystem::path destination;     // a folder that does not exist yet, or is empty
};

struct ResearchExportSummary {
  std::size_t subjects = 0;
  std::size_t trials = 0;
  std::size_t measure_rows = 0;
  std::vector<std::filesystem::path> files;  // every file written, absolute
};

struct ArchiveOptions {
  // How long an operation waits for another program's lock before failing with "in use by PID ...".
  std::chrono::milliseconds lock_timeout{5000};
};

// $FORCEPLATE_ARCHIVE if set and not empty, else $XDG_DATA_HOME/forceplate/archive, else
// $HOME/.local/share/forceplate/archive. Throws ArchiveError if none of them is set.
std::filesystem::path default_archive_dir();

class Archive {
 public:
  // Creates a new archive in `dir` (created with its parents, owner-only permissions 0700) and its
  // folders. Throws ArchiveError if `dir` already holds an archive or other files.
  static Archive create(const std::filesystem::path& dir, ArchiveOptions options = {});
  // Opens an existing archive. Rebuilds the index when it is missing, damaged or of another version.
  // Throws ArchiveError if `dir` is not an archive ("run 'forceplate archive init'") or is newer.
  static Archive open(const std::filesystem::path& dir, ArchiveOptions options = {});

  Archive(Archive&&) noexcept;
  Archive& operator=(Archive&&) noexcept;
  ~Archive();

  const std::filesystem::path& root() const;

  // --- patients ---
  // Throws ArchiveError for an invalid or already used id, or an invalid field.
  void add_patient(const Patient& patient);
  // Writes a new version of patient.json (temp + rename); the id must exist.
  void update_patient(const Patient& patient);
  Patient patient(const std::string& id) const;  // throws "unknown patient id 'X'"
  // Case-insensitive substring of the name or the id; empty: every patient. Sorted by name, id.
  std::vector<Patient> list_patients(const std::string& search = "") const;

  // --- sessions ---
  Session add_session(const Session& session);  // returns it with its id and start time
  Session session(const std::string& id) const;
  std::vector<Session> list_sessions(const std::string& patient_id) const;  // oldest first

  // --- trials ---
  // Stores the trial as a new HDF5 file of the session. A failure (e.g. a full disk) leaves the
  // archive as it was: the error names the trial file and the system's reason.
  TrialRecord add_trial(const std::string& session_id, const Trial& trial, const NewTrial& info = {});
  // Reads a recording (this program's HDF5, or a table of docs/import.md) and adds it as a trial.
  TrialRecord import_trial(const std::filesystem::path& file, const ImportTrialOptions& options);
  TrialRecord trial_record(const std::string& trial_id) const;
  std::vector<TrialRecord> find_trials(const TrialQuery& query) const;  // by time recorded, then id
  // Reads the trial file (throws ArchiveError if it is missing or does not match its checksum).
  Trial read_trial(const std::string& trial_id) const;

  // --- integrity ---
  // Checks every trial file against its recorded checksum, every record file, and the index against
  // the files. A trial file that does not match or cannot be read is moved to quarantine/ (with its
  // record) and removed from the index; everything else keeps working. Reads the files without the
  // lock (they never change once written), so other programs can keep saving meanwhile.
  VerifyReport verify(bool quarantine = true);
  // Rebuilds the index from the files alone (in one transaction: readers see the old or the new one).
  RebuildReport rebuild_index();

  // --- exports (each is recorded in audit.log) ---
  // CSV: `<trial id>.csv` (time series, docs/import.md's generic format: importable again) and
  // `<trial id>_measures.csv`. HDF5: `<trial id>.h5`, a verified copy of the archived file.
  // `folder` is created if needed; existing files are not overwritten. Returns the files written.
  std::vector<std::filesystem::path> export_trial(const std::string& trial_id, const std::filesystem::path& folder,
                                                  ExportFormat format);
  std::vector<std::filesystem::path> export_session(const std::string& session_id,
                                                    const std::filesystem::path& folder, ExportFormat format);
  // De-identified export of a cohort (docs/archive.md, "Research export").
  ResearchExportSummary research_export(const ResearchExportOptions& options);

 struct Impl;  // opaque (data/src/archive_impl.hpp)

 private:
  explicit Archive(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend struct ArchiveAccess;
};

// Internal hooks for tests: holding the archive's write lock from another process.
struct ArchiveAccess {
  // Takes the exclusive lock as operation `what` and keeps it until the returned object is destroyed.
  static std::shared_ptr<void> hold_write_lock(Archive& archive, const std::string& what);
};

}  // namespace fp::data
