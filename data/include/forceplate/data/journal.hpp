#pragma once
// The journal of a recording in progress: an append-only file that survives a crash, a power loss
// or a full disk with at most about one second of samples lost, and is converted into a normal
// HDF5 trial file (trial_file.hpp) when the recording ends, or at the next start after a crash.
// Byte layout and recovery rules: docs/archive.md, "Journals".
//
// The usual life of a recording:
//
//   JournalWriter journal(folder / "trial-0042.fpj", metadata);  // refuses to overwrite
//   for each sample: journal.append(sample);                      // flushed every 0.5 s by itself
//   journal.finish();                                              // end record: complete
//   journal_to_trial_file(folder / "trial-0042.fpj", folder / "trial-0042.h5", results);
//   std::filesystem::remove(folder / "trial-0042.fpj");            // only once the trial file exists
//
// At start-up: every path of find_unfinished_journals(folder) is a recording that was cut off;
// journal_to_trial_file turns it into a trial file marked incomplete (Trial::complete = false).
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "forceplate/data/trial.hpp"
#include "forceplate/data/trial_file.hpp"

namespace fp::data {

inline constexpr int kJournalMaxPlates = 2;
inline constexpr int kJournalMaxCells = 8;  // over all plates, as the device protocol
// The name journals get by convention; find_unfinished_journals also recognises them by content.
inline constexpr const char* kJournalExtension = ".fpj";

// One row of every sample array of a Trial. Per-cell columns: plate * cells_per_plate + cell; only
// the first plate_count * cells_per_plate (per-plate: plate_count) entries are stored.
struct JournalSample {
  std::uint64_t sequence = 0;  // device sample number, unwrapped
  double time_s = 0;           // device time since the first sample
  std::array<std::int32_t, kJournalMaxCells> counts{};
  std::array<double, kJournalMaxCells> cell_force_n{};
  std::array<double, kJournalMaxPlates> fz_n{};
  std::array<double, kJournalMaxPlates> cop_x_m{};  // NaN below the minimum force: stored bit for bit
  std::array<double, kJournalMaxPlates> cop_y_m{};
  std::array<double, kJournalMaxPlates> fx_n{};  // stored only with JournalOptions::horizontal_forces
  std::array<double, kJournalMaxPlates> fy_n{};
};

struct JournalOptions {
  // Buffered samples and gaps are written and synced to disk by a background thread once the oldest
  // of them is this old, so a crash loses at most this much (plus the time one write and sync take).
  std::chrono::milliseconds flush_interval{500};
  // Store fx and fy of every sample (this system's plates measure vertical force only).
  bool horizontal_forces = false;
  // append() flushes by itself (in the caller's thread) once the buffer holds this much; bounds the
  // memory and the size of one record when samples come faster than real time. At most 32 MiB.
  std::size_t max_buffered_bytes = std::size_t{4} << 20;
};

// Writes one journal. append() and append_gap() are meant for one recording thread; they only copy
// into a memory buffer (the disk writes happen in the background thread or in flush()). Every
// failure is a TrialFileError naming the journal; after a write failure the writer is broken (every
// later call throws the same error) and the file holds every record written before, undamaged.
class JournalWriter {
 public:
  // Creates `path` exclusively (throws if anything exists there), writes the file header and a header
  // record with the metadata, and syncs both and the folder to disk. `metadata` is a Trial without
  // samples: test, start time, software version, rate, device, plates with their calibration (and, if
  // already known, results, analysis_version, import_notes). Its sample arrays and gaps are ignored.
  // Throws TrialFileError for inconsistent metadata (e.g. more than 2 plates or 8 cells).
  JournalWriter(const std::filesystem::path& path, const Trial& metadata, JournalOptions options = {});
  // Without finish(): stops the background thread, writes what is still buffered (errors ignored) and
  // closes the file with no end record, so that it reads as an interrupted recording.
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  void append(const JournalSample& sample);
  // A run of samples the device never delivered. Throws std::invalid_argument for a reason longer
  // than 64 KiB.
  void append_gap(const Gap& gap);
  // Writes everything buffered as one record and syncs it to disk (fdatasync) before returning.
  void flush();
  // Flushes, writes the end record, syncs and closes. Afterwards append() and flush() throw
  // std::logic_error; a second finish() does nothing.
  void finish();

  const std::filesystem::path& path() const;
  std::uint64_t samples_appended() const;
  // Samples written and synced to disk: what a crash now would keep.
  std::uint64_t samples_on_disk() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct JournalContents {
  Trial trial;  // the metadata, and every sample and gap of the records read
  // An end record was found after intact records: the recording was finished with finish().
  bool complete = false;
  std::uint64_t records = 0;          // sample records read (header and end record not counted)
  std::uint64_t discarded_bytes = 0;  // bytes at the end of the file that were not used
  // Empty for a complete journal; otherwise why reading stopped (which record, at which byte offset,
  // what was wrong) and what that means for the recording.
  std::string note;
};

// Reads a whole journal into memory: every intact record up to the first incomplete or damaged one.
// Throws TrialFileError (naming the file) if it cannot be read at all: missing, not a journal, a newer
// format, or no intact header record (a recording cut off while it was being created holds no samples).
JournalContents read_journal(const std::filesystem::path& path);

struct TrialResults {
  std::vector<Measurement> results;
  std::string analysis_version;
};

struct JournalConversion {
  std::uint64_t samples = 0;
  std::uint64_t gaps = 0;
  bool complete = false;  // as JournalContents
  std::uint64_t discarded_bytes = 0;
  std::string note;
};

// Converts a journal into an HDF5 trial file (write_trial's schema), record by record with bounded
// memory, however long the recording. The file is written as `<h5_path>.tmp`, synced and renamed, so
// a crash during the conversion leaves the journal untouched and no partial trial file; an existing
// `h5_path` is replaced. `results` (when given) replace those of the metadata. An interrupted or
// damaged journal converts to the samples before the damage, with Trial::complete = false and
// Trial::recovered_from_journal explaining what was found. The journal is never modified or deleted.
// Throws TrialFileError as read_journal and write_trial do.
JournalConversion journal_to_trial_file(const std::filesystem::path& journal_path,
                                        const std::filesystem::path& h5_path,
                                        const std::optional<TrialResults>& results = std::nullopt);

// True if the journal ends with an intact end record (checks only the end of the file, so it is cheap;
// damage further in is found by read_journal and journal_to_trial_file). Throws TrialFileError if
// the file cannot be opened.
bool journal_is_finished(const std::filesystem::path& path);

// The journals in `folder` (not its subfolders) that have no end record: recordings cut off by a crash,
// a power loss or a full disk, to recover at start-up. A journal is a file named `*.fpj` or starting
// with the journal signature; sorted by path. Throws TrialFileError if the folder cannot be listed.
std::vector<std::filesystem::path> find_unfinished_journals(const std::filesystem::path& folder);

}  // namespace fp::data
