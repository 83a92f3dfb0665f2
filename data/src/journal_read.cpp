// Reading journals whole, converting them to trial files record by record, and finding the ones a
// crash left behind.
#include <algorithm>
#include <string>
#include <system_error>

#include "forceplate/data/journal.hpp"
#include "h5_io.hpp"
#include "journal_format.hpp"
#include "trial_schema.hpp"

namespace fp::data {

namespace {

template <class T>
void append_to(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

SampleRows rows_of(const journal::Block& block) {
  return {block.samples(), block.sequence, block.time_s, block.counts, block.cell_force_n,
          block.fz_n,      block.cop_x_m,  block.cop_y_m, block.fx_n,  block.fy_n};
}

}  // namespace

JournalContents read_journal(const std::filesystem::path& path) {
  journal::Reader reader(path);
  JournalContents contents;
  contents.trial = reader.metadata();
  Trial& trial = contents.trial;
  journal::Block block;
  while (reader.next(block)) {
    append_to(trial.sequence, block.sequence);
    append_to(trial.time_s, block.time_s);
    append_to(trial.counts, block.counts);
    append_to(trial.cell_force_n, block.cell_force_n);
    append_to(trial.fz_n, block.fz_n);
    append_to(trial.cop_x_m, block.cop_x_m);
    append_to(trial.cop_y_m, block.cop_y_m);
    append_to(trial.fx_n, block.fx_n);
    append_to(trial.fy_n, block.fy_n);
    append_to(trial.gaps, block.gaps);
  }
  contents.complete = reader.complete();
  contents.records = reader.records();
  contents.discarded_bytes = reader.discarded_bytes();
  contents.note = reader.note();
  trial.complete = contents.complete;
  return contents;
}

JournalConversion journal_to_trial_file(const std::filesystem::path& journal_path,
                                        const std::filesystem::path& h5_path,
                                        const std::optional<TrialResults>& results) {
  journal::Reader reader(journal_path);  // before the temporary file: a journal that cannot be read
                                         // leaves nothing behind
  JournalConversion summary;
  write_hdf5_durably(h5_path, [&](hid_t file) {
    const Trial& metadata = reader.metadata();
    const SampleLayout layout{metadata.plate_count(), metadata.cells_per_plate, reader.horizontal(),
                              reader.horizontal()};
    SampleWriter samples(file, layout, 0);
    // Gaps are few (one per lost run of samples), so they are gathered in memory; the samples
    // go to the file one record at a time.
    std::vector<Gap> gaps;
    journal::Block block;
    while (reader.next(block)) {
      samples.append(rows_of(block));
      append_to(gaps, block.gaps);
    }
    samples.finish();

    Trial trial = metadata;
    trial.gaps = std::move(gaps);
    if (results) {
      trial.results = results->results;
      trial.analysis_version = results->analysis_version;
    }
    trial.complete = reader.complete();
    if (!reader.note().empty()) {
      trial.recovered_from_journal = "Converted from the journal '" + journal_path.filename().string() +
                                     "' of " + (reader.complete() ? "a complete" : "an interrupted") +
                                     " recording. " + reader.note();
    }
    write_trial_metadata(file, trial);
  });
  summary.samples = reader.samples();
  summary.gaps = reader.gaps();
  summary.complete = reader.complete();
  summary.discarded_bytes = reader.discarded_bytes();
  summary.note = reader.note();
  return summary;
}

bool journal_is_finished(const std::filesystem::path& path) {
  try {
    return journal::ends_with_end_record(path);
  } catch (const std::exception& e) {
    throw TrialFileError("cannot read journal '" + path.string() + "': " + e.what());
  }
}

std::vector<std::filesystem::path> find_unfinished_journals(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> found;
  try {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      std::error_code error;
      if (!entry.is_regular_file(error)) continue;
      const std::filesystem::path& path = entry.path();
      try {
        const bool journal = path.extension() == kJournalExtension || journal::starts_with_signature(path);
        if (journal && !journal::ends_with_end_record(path)) found.push_back(path);
      } catch (const std::exception&) {
        // Unreadable: not ours to judge (a journal is always readable by the program that wrote it),
        // unless its name says it is a journal, in which case the recovery must look at it.
        if (path.extension() == kJournalExtension) found.push_back(path);
      }
    }
  } catch (const std::filesystem::filesystem_error& e) {
    throw TrialFileError("cannot list journals in '" + folder.string() + "': " + e.code().message());
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace fp::data
