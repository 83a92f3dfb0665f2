// Journals of recordings in progress: round trips, conversion to trial files, torn and damaged
// records, a recorder killed mid-recording, a full disk, and a long recording converted in bounded
// memory.
#include <fcntl.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "forceplate/data/journal.hpp"
#include "forceplate/data/trial_file.hpp"
#include "scratch_dir.hpp"
#include "trial_compare.hpp"
#include "trial_examples.hpp"

namespace fp::data {
namespace {

using test::expect_same_trial;
using test::file_bytes;
using test::ScratchDir;
using namespace std::chrono_literals;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// --- journals from trials ---

JournalSample sample_of(const Trial& trial, std::size_t i) {
  JournalSample s;
  const auto cells = static_cast<std::size_t>(trial.total_cells());
  const auto plates = static_cast<std::size_t>(trial.plate_count());
  s.sequence = trial.sequence[i];
  s.time_s = trial.time_s[i];
  for (std::size_t c = 0; c < cells; ++c) {
    s.counts[c] = trial.counts[i * cells + c];
    s.cell_force_n[c] = trial.cell_force_n[i * cells + c];
  }
  for (std::size_t p = 0; p < plates; ++p) {
    s.fz_n[p] = trial.fz_n[i * plates + p];
    s.cop_x_m[p] = trial.cop_x_m[i * plates + p];
    s.cop_y_m[p] = trial.cop_y_m[i * plates + p];
    if (!trial.fx_n.empty()) s.fx_n[p] = trial.fx_n[i * plates + p];
    if (!trial.fy_n.empty()) s.fy_n[p] = trial.fy_n[i * plates + p];
  }
  return s;
}

// Appends every sample and gap of `trial` (each gap just before the first sample after it) and calls
// flush() after every `per_record` samples, so that the journal has records of known sizes.
void append_trial(JournalWriter& journal, const Trial& trial, std::size_t per_record) {
  std::size_t next_gap = 0;
  for (std::size_t i = 0; i < trial.sample_count(); ++i) {
    while (next_gap < trial.gaps.size() && trial.gaps[next_gap].first_missing_sequence < trial.sequence[i]) {
      journal.append_gap(trial.gaps[next_gap++]);
    }
    journal.append(sample_of(trial, i));
    if ((i + 1) % per_record == 0) journal.flush();
  }
  while (next_gap < trial.gaps.size()) journal.append_gap(trial.gaps[next_gap++]);
}

void write_journal(const std::filesystem::path& path, const Trial& trial, std::size_t per_record,
                   JournalOptions options = {}) {
  JournalWriter journal(path, trial, options);
  append_trial(journal, trial, per_record);
  journal.finish();
}

// The first `n` samples of `trial` and the gaps before its last one: what a journal cut after n
// samples holds (a gap is appended just before the sample after it, so it is in that sample's record).
Trial first_samples(const Trial& trial, std::size_t n) {
  Trial prefix = trial;
  const auto cells = static_cast<std::size_t>(trial.total_cells());
  const auto plates = static_cast<std::size_t>(trial.plate_count());
  prefix.sequence.resize(n);
  prefix.time_s.resize(n);
  prefix.counts.resize(n * cells);
  prefix.cell_force_n.resize(n * cells);
  prefix.fz_n.resize(n * plates);
  prefix.cop_x_m.resize(n * plates);
  prefix.cop_y_m.resize(n * plates);
  if (!prefix.fx_n.empty()) prefix.fx_n.resize(n * plates);
  if (!prefix.fy_n.empty()) prefix.fy_n.resize(n * plates);
  std::erase_if(prefix.gaps,
                [&](const Gap& gap) { return n == 0 || gap.first_missing_sequence >= trial.sequence[n - 1]; });
  return prefix;
}

// --- the byte layout, as docs/archive.md describes it (parsed here independently of the library) ---

std::uint32_t le32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i)
    value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

std::uint64_t le64(const std::string& bytes, std::size_t at) {
  return le32(bytes, at) | (std::uint64_t{le32(bytes, at + 4)} << 32);
}

// CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320, as zlib), bit by bit.
std::uint32_t reference_crc32(const std::string& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char byte : bytes) {
    crc ^= static_cast<unsigned char>(byte);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

struct Record {
  std::size_t offset = 0;  // of its 16-byte header
  std::uint32_t type = 0;  // 1 header, 2 samples, 3 end
  std::uint32_t length = 0;
  std::size_t payload() const { return offset + 16; }
  std::size_t end() const { return offset + 16 + length; }
};

std::vector<Record> records_in(const std::string& bytes) {
  std::vector<Record> records;
  std::size_t pos = 16;  // the file header
  while (pos + 16 <= bytes.size()) {
    Record r{pos, le32(bytes, pos + 4), le32(bytes, pos + 8)};
    EXPECT_EQ(bytes.substr(pos, 4), "FPJR") << "record at byte " << pos;
    EXPECT_LE(r.end(), bytes.size()) << "record at byte " << pos;
    if (r.end() > bytes.size()) break;
    records.push_back(r);
    pos = r.end();
  }
  EXPECT_EQ(pos, bytes.size()) << "bytes after the last record";
  return records;
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Runs `call`, expects TrialFileError, and returns its message.
std::string error_message(const std::function<void()>& call) {
  try {
    call();
  } catch (const TrialFileError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected TrialFileError";
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Root attribute `complete` of a trial file, read with the HDF5 C API (-1 if absent).
int complete_attribute(const std::filesystem::path& file_path) {
  const hid_t file = H5Fopen(file_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return -2;
  int value = -1;
  if (H5Aexists(file, "complete") > 0) {
    const hid_t attribute = H5Aopen(file, "complete", H5P_DEFAULT);
    H5Aread(attribute, H5T_NATIVE_INT, &value);
    H5Aclose(attribute);
  }
  H5Fclose(file);
  return value;
}

// --- round trips ---

TEST(Journal, SamplesAndGapsAppended_ReadBack_AreIdenticalAndTheJournalIsComplete) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  ASSERT_TRUE(std::isnan(trial.cop_x_m.back())) << "the example must exercise NaN COP";
  ASSERT_EQ(trial.gaps.size(), 2u);

  write_journal(dir / "trial.fpj", trial, 700);
  const JournalContents back = read_journal(dir / "trial.fpj");

  EXPECT_TRUE(back.complete);
  EXPECT_EQ(back.records, 8u);  // 5000 samples, 700 per record
  EXPECT_EQ(back.discarded_bytes, 0u);
  EXPECT_EQ(back.note, "");
  expect_same_trial(back.trial, trial);
}

TEST(Journal, OnePlateWithHorizontalForces_ReadBackAndConverted_KeepsFxAndFy) {
  ScratchDir dir;
  Trial trial = test::one_plate_trial();
  for (std::size_t i = 0; i < trial.sample_count(); ++i) {
    trial.fx_n.push_back(0.25 * static_cast<double>(i));
    trial.fy_n.push_back(i % 10 == 0 ? kNaN : -0.125 * static_cast<double>(i));
  }
  JournalOptions options;
  options.horizontal_forces = true;

  write_journal(dir / "trial.fpj", trial, 333, options);
  journal_to_trial_file(dir / "trial.fpj", dir / "trial.h5");

  expect_same_trial(read_journal(dir / "trial.fpj").trial, trial);
  expect_same_trial(read_trial(dir / "trial.h5"), trial);
}

TEST(Journal, JournalWithoutSamples_ConvertsToAnEmptyCompleteTrial) {
  ScratchDir dir;
  const Trial trial = test::empty_trial();

  write_journal(dir / "empty.fpj", trial, 1);
  const JournalConversion conversion = journal_to_trial_file(dir / "empty.fpj", dir / "empty.h5");

  EXPECT_TRUE(conversion.complete);
  EXPECT_EQ(conversion.samples, 0u);
  expect_same_trial(read_trial(dir / "empty.h5"), trial);
}

TEST(Journal, CompleteJournal_ConvertedAndReadByReadTrial_EqualsTheWrittenSamplesWithTheGivenResults) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  write_journal(dir / "trial.fpj", trial, 1000);
  const TrialResults results{{{"sway_path_length", 321.5, "mm"}, {"ellipse_area", kNaN, "mm²"}}, "9.9.9"};

  const JournalConversion conversion = journal_to_trial_file(dir / "trial.fpj", dir / "trial.h5", results);

  EXPECT_TRUE(conversion.complete);
  EXPECT_EQ(conversion.samples, trial.sample_count());
  EXPECT_EQ(conversion.gaps, trial.gaps.size());
  Trial expected = trial;
  expected.results = results.results;
  expected.analysis_version = results.analysis_version;
  expect_same_trial(read_trial(dir / "trial.h5"), expected);
  EXPECT_EQ(complete_attribute(dir / "trial.h5"), 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "trial.h5.tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir / "trial.fpj")) << "the conversion never deletes the journal";
}

TEST(Journal, JournalFile_FollowsTheDocumentedByteLayout) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  write_journal(dir / "trial.fpj", trial, 2000);  // records of 2000, 2000 and 1000 samples
  const std::string bytes = file_bytes(dir / "trial.fpj");

  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89""FPJ\r\n\x1a\n", 8));
  EXPECT_EQ(le32(bytes, 8), 1u) << "format version";
  EXPECT_EQ(le32(bytes, 12), 0u) << "flags";
  const std::vector<Record> records = records_in(bytes);
  ASSERT_EQ(records.size(), 5u);  // header, 3 samples records, end
  ASSERT_EQ(reference_crc32("123456789"), 0xCBF43926u) << "the reference CRC-32 itself";
  for (const Record& r : records) {
    EXPECT_EQ(le32(bytes, r.offset + 12),
              reference_crc32(bytes.substr(r.offset + 4, 8) + bytes.substr(r.payload(), r.length)))
        << "CRC-32 of type, length and payload of the record at byte " << r.offset;
  }
  EXPECT_EQ(records[0].type, 1u);
  const std::string header = bytes.substr(records[0].payload(), records[0].length);
  EXPECT_TRUE(contains(header, "\"format\": \"forceplate-journal\"")) << header;
  EXPECT_TRUE(contains(header, "\"gain_n_per_count\"")) << header;

  // Second samples record: index 1, first sample 2000, 2000 samples, then the columns.
  const Record& block = records[2];
  ASSERT_EQ(block.type, 2u);
  const std::size_t p = block.payload();
  EXPECT_EQ(le64(bytes, p), 1u);
  EXPECT_EQ(le64(bytes, p + 8), 2000u);
  const std::size_t n = le32(bytes, p + 16);
  EXPECT_EQ(n, 2000u);
  const std::size_t gap_count = le32(bytes, p + 20);
  EXPECT_EQ(gap_count, 2u);  // the gaps before samples 2000 and 3500
  const std::size_t sequence = p + 24;
  const std::size_t time = sequence + 8 * n;
  const std::size_t counts = time + 8 * n;
  const std::size_t cell_force = counts + 4 * 8 * n;
  const std::size_t fz = cell_force + 8 * 8 * n;
  const std::size_t cop_x = fz + 8 * 2 * n;
  const std::size_t cop_y = cop_x + 8 * 2 * n;
  const std::size_t gaps = cop_y + 8 * 2 * n;
  EXPECT_EQ(le64(bytes, sequence + 8 * 5), trial.sequence[2005]);
  EXPECT_EQ(std::bit_cast<double>(le64(bytes, time + 8 * 5)), trial.time_s[2005]);
  EXPECT_EQ(static_cast<std::int32_t>(le32(bytes, counts + 4 * (5 * 8 + 6))), trial.counts[2005 * 8 + 6]);
  EXPECT_EQ(std::bit_cast<double>(le64(bytes, cell_force + 8 * (5 * 8 + 6))), trial.cell_force_n[2005 * 8 + 6]);
  EXPECT_EQ(std::bit_cast<double>(le64(bytes, fz + 8 * (5 * 2 + 1))), trial.fz_n[2005 * 2 + 1]);
  EXPECT_EQ(std::bit_cast<double>(le64(bytes, cop_x + 8 * (5 * 2 + 1))), trial.cop_x_m[2005 * 2 + 1]);
  EXPECT_EQ(std::bit_cast<double>(le64(bytes, cop_y + 8 * (5 * 2 + 1))), trial.cop_y_m[2005 * 2 + 1]);
  std::size_t gap = gaps;
  for (const Gap& expected : trial.gaps) {
    EXPECT_EQ(le64(bytes, gap), expected.first_missing_sequence);
    EXPECT_EQ(le64(bytes, gap + 8), expected.count);
    const std::size_t reason = le32(bytes, gap + 16);
    EXPECT_EQ(bytes.substr(gap + 20, reason), expected.reason);
    gap += 20 + reason;
  }
  EXPECT_EQ(gap, block.end());

  const Record& end = records[4];
  EXPECT_EQ(end.type, 3u);
  ASSERT_EQ(end.length, 24u);
  EXPECT_EQ(le64(bytes, end.payload()), 3u) << "samples records";
  EXPECT_EQ(le64(bytes, end.payload() + 8), 5000u) << "samples";
  EXPECT_EQ(le64(bytes, end.payload() + 16), 2u) << "gaps";
}

std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Exit status of tests/data/check_trial_h5py.py run by Debian's interpreter (which has python3-h5py).
int check_with_h5py(const std::filesystem::path& file, const std::string& expected, bool quiet = false) {
  const std::string script = std::string(FP_SOURCE_DIR) + "/tests/data/check_trial_h5py.py";
  const int status = std::system(("/usr/bin/python3 " + shell_quoted(script) + " " + shell_quoted(file.string()) +
                                  " " + expected + (quiet ? " 2>/dev/null" : ""))
                                     .c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Journal, InterruptedJournalConverted_ReadByDebianH5py_MatchesTheDocumentedSchemaMarkedIncomplete) {
  ASSERT_EQ(std::system("/usr/bin/python3 -c 'import h5py, numpy' 2>/dev/null"), 0)
      << "/usr/bin/python3 cannot import h5py and numpy; run scripts/install-deps.sh";
  ScratchDir dir;
  const Trial trial = test::h5py_check_trial();
  {
    JournalWriter journal(dir / "recovered.fpj", trial);
    append_trial(journal, trial, 100);
  }  // destroyed without finish(): every sample written, no end record
  journal_to_trial_file(dir / "recovered.fpj", dir / "recovered.h5");

  EXPECT_EQ(check_with_h5py(dir / "recovered.h5", "recovered"), 0) << "see the script's output above";
  // The check can fail: the same file is not a complete trial.
  EXPECT_EQ(check_with_h5py(dir / "recovered.h5", "two-plate", /*quiet=*/true), 1);
}

// --- the writer ---

TEST(Journal, ExistingFile_IsNeverOverwritten_AndTheErrorNamesIt) {
  ScratchDir dir;
  write_bytes(dir / "trial.fpj", "someone else's recording");

  const std::string message = error_message([&] { JournalWriter journal(dir / "trial.fpj", test::one_plate_trial()); });

  EXPECT_TRUE(contains(message, (dir / "trial.fpj").string())) << message;
  EXPECT_TRUE(contains(message, "already exists")) << message;
  EXPECT_EQ(file_bytes(dir / "trial.fpj"), "someone else's recording");
}

TEST(Journal, MetadataWithMoreCellsThanTheDeviceHas_IsRefusedWithoutCreatingAFile) {
  ScratchDir dir;
  Trial trial = test::realistic_two_plate_trial();
  trial.cells_per_plate = 5;
  for (PlateInfo& plate : trial.plates) {
    for (auto* cells : {&plate.cell_x_m, &plate.cell_y_m, &plate.gain_n_per_count, &plate.offset_counts}) {
      cells->push_back(0.0);
    }
  }

  const std::string message = error_message([&] { JournalWriter journal(dir / "wide.fpj", trial); });

  EXPECT_TRUE(contains(message, "8 load cells")) << message;
  EXPECT_FALSE(std::filesystem::exists(dir / "wide.fpj"));
}

TEST(Journal, AppendAfterFinish_ThrowsLogicError) {
  ScratchDir dir;
  JournalWriter journal(dir / "trial.fpj", test::one_plate_trial());
  journal.finish();

  EXPECT_THROW(journal.append(JournalSample{}), std::logic_error);
  EXPECT_THROW(journal.flush(), std::logic_error);
  EXPECT_NO_THROW(journal.finish());
}

TEST(Journal, SamplesNotFlushed_AreWrittenByTheWriterItselfWithinTheFlushInterval) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  JournalWriter journal(dir / "trial.fpj", trial);  // default interval: 0.5 s
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < 100; ++i) journal.append(sample_of(trial, i));

  EXPECT_EQ(read_journal(dir / "trial.fpj").trial.sample_count(), 0u) << "buffered, not yet written";
  while (journal.samples_on_disk() < 100 && std::chrono::steady_clock::now() - start < 2s) {
    std::this_thread::sleep_for(5ms);
  }
  const auto waited = std::chrono::steady_clock::now() - start;

  const JournalContents on_disk = read_journal(dir / "trial.fpj");
  EXPECT_EQ(on_disk.trial.sample_count(), 100u);
  EXPECT_FALSE(on_disk.complete);
  EXPECT_GE(waited, 450ms) << "written before the interval was over";
  EXPECT_LT(waited, 1s) << "written too late";
  expect_same_trial(on_disk.trial, [&] {
    Trial expected = first_samples(trial, 100);
    expected.complete = false;
    return expected;
  }());
}

TEST(Journal, WriterDestroyedWithoutFinish_LeavesAnInterruptedJournalWithEverySampleAppended) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  {
    JournalWriter journal(dir / "trial.fpj", trial, JournalOptions{1h, false, std::size_t{4} << 20});
    append_trial(journal, first_samples(trial, 1234), 500);
  }

  const JournalContents back = read_journal(dir / "trial.fpj");

  EXPECT_FALSE(back.complete);
  EXPECT_EQ(back.discarded_bytes, 0u);
  EXPECT_TRUE(contains(back.note, "no end record")) << back.note;
  Trial expected = first_samples(trial, 1234);
  expected.complete = false;
  expect_same_trial(back.trial, expected);
}

// --- recovery: torn, missing and damaged records ---

TEST(Journal, LastRecordTornAtEveryByteOffset_IsIgnoredAndEverythingBeforeItKept) {
  ScratchDir dir;
  const Trial trial = first_samples(test::realistic_two_plate_trial(), 90);
  write_journal(dir / "full.fpj", trial, 30);
  const std::string bytes = file_bytes(dir / "full.fpj");
  const std::vector<Record> records = records_in(bytes);
  ASSERT_EQ(records.size(), 5u);  // header, 3 x 30 samples, end
  const Record& last_samples = records[3];
  const Record& end = records[4];

  for (std::size_t cut = last_samples.offset; cut <= bytes.size(); ++cut) {
    SCOPED_TRACE("journal cut after " + std::to_string(cut) + " of " + std::to_string(bytes.size()) + " bytes");
    write_bytes(dir / "cut.fpj", bytes.substr(0, cut));
    const JournalContents back = read_journal(dir / "cut.fpj");
    const bool inside_last_samples = cut < end.offset;
    const std::size_t kept = inside_last_samples ? 60 : 90;
    const std::size_t kept_bytes = inside_last_samples ? last_samples.offset : end.offset;
    EXPECT_EQ(back.complete, cut == bytes.size());
    EXPECT_EQ(back.discarded_bytes, cut == bytes.size() ? 0 : cut - kept_bytes);
    Trial expected = first_samples(trial, kept);
    expected.complete = back.complete;
    expect_same_trial(back.trial, expected);
    if (cut != kept_bytes && cut != bytes.size()) {
      EXPECT_TRUE(contains(back.note, "incomplete record")) << back.note;
    }
    if (HasFailure()) break;  // one offset's report is enough
  }
}

TEST(Journal, JournalCutOffWithoutEndRecord_ConvertsToATrialMarkedIncomplete) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  write_journal(dir / "full.fpj", trial, 1000);
  const std::string bytes = file_bytes(dir / "full.fpj");
  const std::vector<Record> records = records_in(bytes);
  // Cut in the middle of the fourth samples record: three records (3000 samples) survive.
  write_bytes(dir / "cut.fpj", bytes.substr(0, records[4].offset + records[4].length / 2));

  const JournalConversion conversion = journal_to_trial_file(dir / "cut.fpj", dir / "cut.h5");
  const Trial back = read_trial(dir / "cut.h5");

  EXPECT_FALSE(conversion.complete);
  EXPECT_EQ(conversion.samples, 3000u);
  EXPECT_EQ(conversion.discarded_bytes, records[4].length / 2);
  EXPECT_EQ(complete_attribute(dir / "cut.h5"), 0);
  EXPECT_FALSE(back.complete);
  EXPECT_TRUE(contains(back.recovered_from_journal, "cut.fpj")) << back.recovered_from_journal;
  EXPECT_TRUE(contains(back.recovered_from_journal, "interrupted")) << back.recovered_from_journal;
  EXPECT_TRUE(contains(back.recovered_from_journal, "3000 samples")) << back.recovered_from_journal;
  Trial expected = first_samples(trial, 3000);
  expected.complete = false;
  expected.recovered_from_journal = back.recovered_from_journal;
  expect_same_trial(back, expected);
}

TEST(Journal, BitFlipInAnEarlierRecord_StopsReadingThereWithANoteNamingIt) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  write_journal(dir / "full.fpj", trial, 1000);
  std::string bytes = file_bytes(dir / "full.fpj");
  const std::vector<Record> records = records_in(bytes);
  const Record& second = records[2];  // samples 1000 to 1999
  bytes[second.payload() + 5000] = static_cast<char>(bytes[second.payload() + 5000] ^ 0x10);
  write_bytes(dir / "flipped.fpj", bytes);

  const JournalContents back = read_journal(dir / "flipped.fpj");
  journal_to_trial_file(dir / "flipped.fpj", dir / "flipped.h5");

  EXPECT_FALSE(back.complete);
  EXPECT_EQ(back.discarded_bytes, bytes.size() - second.offset);
  EXPECT_TRUE(contains(back.note, "at byte " + std::to_string(second.offset))) << back.note;
  EXPECT_TRUE(contains(back.note, "checksum mismatch")) << back.note;
  EXPECT_TRUE(contains(back.note, "1000 samples before it are kept")) << back.note;
  Trial expected = first_samples(trial, 1000);
  expected.complete = false;
  expect_same_trial(back.trial, expected);
  const Trial converted = read_trial(dir / "flipped.h5");
  EXPECT_FALSE(converted.complete);
  EXPECT_EQ(converted.sample_count(), 1000u);
  EXPECT_TRUE(contains(converted.recovered_from_journal, "checksum mismatch")) << converted.recovered_from_journal;
}

TEST(Journal, AnyBitFlippedInASamplesRecord_IsDetectedAndNothingFromItIsUsed) {
  ScratchDir dir;
  const Trial trial = first_samples(test::realistic_two_plate_trial(), 30);
  write_journal(dir / "full.fpj", trial, 10);
  const std::string bytes = file_bytes(dir / "full.fpj");
  const std::vector<Record> records = records_in(bytes);
  const Record& second = records[2];  // samples 10 to 19

  for (std::size_t at = second.offset; at < second.end(); ++at) {
    for (int bit = 0; bit < 8; bit += 3) {  // bits 0, 3 and 6 of every byte
      SCOPED_TRACE("bit " + std::to_string(bit) + " of byte " + std::to_string(at));
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ (1 << bit));
      write_bytes(dir / "damaged.fpj", damaged);
      const JournalContents back = read_journal(dir / "damaged.fpj");
      EXPECT_FALSE(back.complete);
      EXPECT_EQ(back.trial.sample_count(), 10u);
      EXPECT_EQ(back.discarded_bytes, bytes.size() - second.offset);
      EXPECT_FALSE(back.note.empty());
      if (HasFailure()) return;
    }
  }
}

TEST(Journal, DamagedHeaderRecord_ThrowsSayingTheSamplesCannotBeInterpreted) {
  ScratchDir dir;
  write_journal(dir / "full.fpj", test::one_plate_trial(), 500);
  std::string bytes = file_bytes(dir / "full.fpj");
  bytes[16 + 16 + 10] = static_cast<char>(bytes[16 + 16 + 10] ^ 1);
  write_bytes(dir / "damaged.fpj", bytes);

  const std::string message = error_message([&] { read_journal(dir / "damaged.fpj"); });

  EXPECT_TRUE(contains(message, "damaged.fpj")) << message;
  EXPECT_TRUE(contains(message, "header record is damaged")) << message;
  EXPECT_FALSE(std::filesystem::exists(dir / "damaged.h5"));
  EXPECT_THROW(journal_to_trial_file(dir / "damaged.fpj", dir / "damaged.h5"), TrialFileError);
  EXPECT_FALSE(std::filesystem::exists(dir / "damaged.h5"));
  EXPECT_FALSE(std::filesystem::exists(dir / "damaged.h5.tmp"));
}

TEST(Journal, JournalCutOffWhileBeingCreated_ThrowsSayingItHoldsNoSamples) {
  ScratchDir dir;
  write_journal(dir / "full.fpj", test::one_plate_trial(), 500);
  const std::string bytes = file_bytes(dir / "full.fpj");
  const std::size_t header_end = records_in(bytes)[0].end();

  for (const std::size_t cut : {std::size_t{0}, std::size_t{5}, std::size_t{16}, std::size_t{20}, header_end - 1}) {
    write_bytes(dir / "cut.fpj", bytes.substr(0, cut));
    const std::string message = error_message([&] { read_journal(dir / "cut.fpj"); });
    EXPECT_TRUE(contains(message, "holds no samples")) << "cut at " << cut << ": " << message;
  }
}

TEST(Journal, FilesThatAreNotJournals_AreRefusedWithTheReason) {
  ScratchDir dir;
  write_trial(dir / "trial.h5", test::one_plate_trial());
  write_journal(dir / "new.fpj", test::one_plate_trial(), 500);
  std::string newer = file_bytes(dir / "new.fpj");
  newer[8] = 2;  // format version 2
  write_bytes(dir / "newer.fpj", newer);

  EXPECT_TRUE(contains(error_message([&] { read_journal(dir / "trial.h5"); }), "not a journal"));
  EXPECT_TRUE(contains(error_message([&] { read_journal(dir / "absent.fpj"); }), "no such file"));
  EXPECT_TRUE(contains(error_message([&] { read_journal(dir / "newer.fpj"); }), "version 2 is newer"));
}

TEST(Journal, ConversionIntoAMissingFolder_ThrowsNamingTheTrialFileAndLeavesTheJournalUntouched) {
  ScratchDir dir;
  write_journal(dir / "trial.fpj", test::one_plate_trial(), 500);
  const std::string before = file_bytes(dir / "trial.fpj");

  const std::string message =
      error_message([&] { journal_to_trial_file(dir / "trial.fpj", dir / "missing" / "trial.h5"); });

  EXPECT_TRUE(contains(message, (dir / "missing" / "trial.h5").string())) << message;
  EXPECT_EQ(file_bytes(dir / "trial.fpj"), before);
  EXPECT_TRUE(journal_is_finished(dir / "trial.fpj"));
}

TEST(Journal, FindUnfinishedJournals_ListsJournalsWithoutEndRecordOnly) {
  ScratchDir dir;
  const Trial trial = test::one_plate_trial();
  write_journal(dir / "finished.fpj", trial, 500);
  write_trial(dir / "finished.h5", trial);
  write_bytes(dir / "notes.txt", "not a journal");
  {
    JournalWriter interrupted(dir / "b-interrupted.fpj", trial);
    append_trial(interrupted, first_samples(trial, 100), 50);
  }
  {
    JournalWriter other_name(dir / "a-recording.bin", trial);  // found by its signature
    append_trial(other_name, first_samples(trial, 10), 50);
  }
  write_bytes(dir / "c-created.fpj", "");  // cut off right after it was created
  std::filesystem::create_directory(dir / "sub.fpj");

  const std::vector<std::filesystem::path> found = find_unfinished_journals(dir.path());

  EXPECT_EQ(found, (std::vector<std::filesystem::path>{dir / "a-recording.bin", dir / "b-interrupted.fpj",
                                                       dir / "c-created.fpj"}));
  EXPECT_TRUE(journal_is_finished(dir / "finished.fpj"));
  EXPECT_THROW(find_unfinished_journals(dir / "absent"), TrialFileError);
}

// --- a recorder killed mid-recording ---

// Sample i of the steady recordings below: two plates of four cells at 1 kHz, values from i alone.
JournalSample steady_sample(std::uint64_t i) {
  JournalSample s;
  s.sequence = 7'000'000 + i;
  s.time_s = static_cast<double>(i) / 1000.0;
  for (std::size_t c = 0; c < 8; ++c) {
    s.counts[c] = static_cast<std::int32_t>(100'000 + 8 * i + c);
    s.cell_force_n[c] = 0.5 * static_cast<double>(i) + static_cast<double>(c);
  }
  for (std::size_t p = 0; p < 2; ++p) {
    s.fz_n[p] = 2.0 * static_cast<double>(i) + static_cast<double>(p) + 6.0;
    s.cop_x_m[p] = i % 97 == 0 && p == 1 ? kNaN : static_cast<double>(i % 1000) / 4096.0 - static_cast<double>(p);
    s.cop_y_m[p] = -static_cast<double>(i % 500) / 8192.0 + static_cast<double>(p);
  }
  return s;
}

Trial steady_metadata() {
  Trial metadata = test::realistic_two_plate_trial();
  metadata.sample_rate_hz = 1000.0;
  metadata.test_name = "quiet-stance-killed";
  return first_samples(metadata, 0);
}

// The first mismatch between `trial`'s samples and steady_sample(0...), or "".
std::string steady_mismatch(const Trial& trial) {
  for (std::size_t i = 0; i < trial.sample_count(); ++i) {
    const JournalSample s = steady_sample(i);
    bool same = trial.sequence[i] == s.sequence && trial.time_s[i] == s.time_s;
    for (std::size_t c = 0; c < 8; ++c) {
      same = same && trial.counts[i * 8 + c] == s.counts[c] && trial.cell_force_n[i * 8 + c] == s.cell_force_n[c];
    }
    for (std::size_t p = 0; p < 2; ++p) {
      same = same && trial.fz_n[i * 2 + p] == s.fz_n[p] &&
             std::bit_cast<std::uint64_t>(trial.cop_x_m[i * 2 + p]) == std::bit_cast<std::uint64_t>(s.cop_x_m[p]) &&
             trial.cop_y_m[i * 2 + p] == s.cop_y_m[p];
    }
    if (!same) return "sample " + std::to_string(i) + " differs";
  }
  return {};
}

bool read_exactly(int fd, void* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, static_cast<char*>(data) + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return text;
    text.append(buffer, static_cast<std::size_t>(got));
  }
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t wrote = ::write(fd, text.data() + done, text.size() - done);
    if (wrote <= 0) return;
    done += static_cast<std::size_t>(wrote);
  }
}

// Child: records steady samples in real time at 1 kHz with the automatic flush only, and reports
// the number appended after each append. Runs until killed.
[[noreturn]] void record_in_real_time(const std::filesystem::path& path, int report) {
  try {
    JournalWriter journal(path, steady_metadata());
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0;; ++i) {
      std::this_thread::sleep_until(start + std::chrono::microseconds(1000 * i));
      journal.append(steady_sample(i));
      const std::uint64_t appended = i + 1;
      if (::write(report, &appended, sizeof appended) != sizeof appended) ::_exit(3);
    }
  } catch (...) {
    ::_exit(2);
  }
}

TEST(Journal, RecorderKilledMidRecording_LosesAtMostOneSecondAndEarlierTrialsInTheFolderStayIntact) {
  ScratchDir dir;
  // Earlier, finished trials of the same session.
  const Trial earlier = test::realistic_two_plate_trial();
  write_trial(dir / "trial-1.h5", earlier);
  write_journal(dir / "trial-2.fpj", earlier, 1000);
  journal_to_trial_file(dir / "trial-2.fpj", dir / "trial-2.h5");

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    record_in_real_time(dir / "trial-3.fpj", pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  std::uint64_t reported = 0;
  std::uint64_t value = 0;
  while (reported < 2500 && read_exactly(pipe_fds[0], &value, sizeof value)) reported = value;
  ASSERT_EQ(reported, 2500u) << "the recording child stopped early";
  ::kill(child, SIGKILL);
  while (read_exactly(pipe_fds[0], &value, sizeof value)) reported = value;  // reports sent before it died
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;

  const JournalContents killed = read_journal(dir / "trial-3.fpj");
  const std::uint64_t kept = killed.trial.sample_count();
  std::cout << "killed after " << reported << " samples appended (1 kHz); " << kept << " on disk, "
            << reported - std::min(reported, kept) << " ms lost\n";
  EXPECT_FALSE(killed.complete);
  EXPECT_LE(kept, reported + 1) << "at most the sample appended after the last report";
  EXPECT_GE(kept + 1000, reported) << "more than one second of samples lost";
  EXPECT_EQ(steady_mismatch(killed.trial), "");
  EXPECT_EQ(killed.trial.test_name, "quiet-stance-killed");

  // The folder at the next start: only the killed recording is unfinished; the others are intact.
  EXPECT_EQ(find_unfinished_journals(dir.path()), std::vector<std::filesystem::path>{dir / "trial-3.fpj"});
  expect_same_trial(read_trial(dir / "trial-1.h5"), earlier);
  expect_same_trial(read_trial(dir / "trial-2.h5"), earlier);
  expect_same_trial(read_journal(dir / "trial-2.fpj").trial, earlier);
  const JournalConversion recovered = journal_to_trial_file(dir / "trial-3.fpj", dir / "trial-3.h5");
  EXPECT_EQ(recovered.samples, kept);
  const Trial converted = read_trial(dir / "trial-3.h5");
  EXPECT_FALSE(converted.complete);
  EXPECT_EQ(steady_mismatch(converted), "");
}

// --- a full disk (a file size limit: write() fails with EFBIG once SIGXFSZ is ignored) ---

constexpr rlim_t kDiskSize = 64 * 1024;

struct FullDiskReport {
  std::uint64_t flushed = 0;      // samples whose flush() returned
  std::uint64_t on_disk = 0;      // samples_on_disk() after the failure
  bool later_call_fails = false;  // the next flush() throws the failure again
  std::string message;
};

// Child: records into a "disk" of kDiskSize bytes until the writer fails, then reports. With
// `explicit_flush`, flush() every 100 samples (and no automatic flush); otherwise only the
// automatic flush, every 20 ms, appending about 2 samples per ms.
[[noreturn]] void fill_the_disk(const std::filesystem::path& path, bool explicit_flush, int report) {
  ::signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{kDiskSize, kDiskSize};
  if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(3);
  std::ostringstream out;
  try {
    JournalOptions options;
    options.flush_interval = explicit_flush ? std::chrono::milliseconds(1h) : std::chrono::milliseconds(20);
    JournalWriter journal(path, steady_metadata(), options);
    std::uint64_t flushed = 0;
    try {
      for (std::uint64_t i = 0; i < 1'000'000; ++i) {
        journal.append(steady_sample(i));
        if (explicit_flush && (i + 1) % 100 == 0) {
          journal.flush();
          flushed = i + 1;
        }
        if (!explicit_flush && i % 2 == 0) std::this_thread::sleep_for(1ms);
      }
      out << "no failure";
    } catch (const TrialFileError& e) {
      bool again = false;
      try {
        journal.flush();
      } catch (const TrialFileError& second) {
        again = std::string(second.what()) == e.what();
      }
      out << flushed << ' ' << journal.samples_on_disk() << ' ' << again << '\n' << e.what();
    }
  } catch (const std::exception& e) {
    out << "unexpected: " << e.what();
  }
  write_all(report, out.str());
  ::_exit(0);
}

FullDiskReport run_until_the_disk_is_full(const std::filesystem::path& path, bool explicit_flush) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {};
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    fill_the_disk(path, explicit_flush, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  const std::string text = read_all(pipe_fds[0]);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  FullDiskReport report;
  std::istringstream in(text);
  if (!(in >> report.flushed >> report.on_disk >> report.later_call_fails)) {
    ADD_FAILURE() << "child reported: " << text;
    return report;
  }
  in.ignore(1);
  std::getline(in, report.message, '\0');
  return report;
}

TEST(Journal, DiskFullDuringFlush_ThrowsNamingTheFileAndKeepsEverythingFlushedBeforeReadable) {
  ScratchDir dir;
  const FullDiskReport report = run_until_the_disk_is_full(dir / "full.fpj", true);

  EXPECT_TRUE(contains(report.message, (dir / "full.fpj").string())) << report.message;
  EXPECT_TRUE(contains(report.message, std::strerror(EFBIG))) << report.message;
  EXPECT_TRUE(report.later_call_fails);
  EXPECT_GT(report.flushed, 0u);
  EXPECT_EQ(report.on_disk, report.flushed);
  EXPECT_LE(std::filesystem::file_size(dir / "full.fpj"), kDiskSize);
  const JournalContents back = read_journal(dir / "full.fpj");
  EXPECT_EQ(back.trial.sample_count(), report.flushed);
  EXPECT_EQ(back.discarded_bytes, 0u) << "the failed record was cut off again";
  EXPECT_FALSE(back.complete);
  EXPECT_EQ(steady_mismatch(back.trial), "");
}

TEST(Journal, DiskFullDuringAnAutomaticFlush_IsThrownByTheNextAppendAndKeepsWhatWasWritten) {
  ScratchDir dir;
  const FullDiskReport report = run_until_the_disk_is_full(dir / "full.fpj", false);

  EXPECT_TRUE(contains(report.message, (dir / "full.fpj").string())) << report.message;
  EXPECT_TRUE(contains(report.message, std::strerror(EFBIG))) << report.message;
  EXPECT_TRUE(report.later_call_fails);
  EXPECT_GT(report.on_disk, 0u);
  const JournalContents back = read_journal(dir / "full.fpj");
  EXPECT_EQ(back.trial.sample_count(), report.on_disk);
  EXPECT_EQ(back.discarded_bytes, 0u);
  EXPECT_EQ(steady_mismatch(back.trial), "");
}

// --- a long recording, converted with bounded memory ---

constexpr std::uint64_t kLongRate = 2000;
constexpr std::uint64_t kLongSamples = 30 * 60 * kLongRate;  // 30 minutes
constexpr std::uint64_t kLongGapEvery = 600'000;            // 3 samples lost every 5 minutes

std::uint64_t long_sequence(std::uint64_t i) { return 1'000'000 + i + 3 * (i / kLongGapEvery); }

JournalSample long_sample(std::uint64_t i) {
  JournalSample s;
  s.sequence = long_sequence(i);
  s.time_s = static_cast<double>(s.sequence - 1'000'000) / static_cast<double>(kLongRate);
  for (std::size_t c = 0; c < 8; ++c) {
    s.counts[c] = static_cast<std::int32_t>(8000 + 100 * c + (7 * i + c) % 1000);
    s.cell_force_n[c] = 0.0125 * (s.counts[c] - 8000);
  }
  for (std::size_t p = 0; p < 2; ++p) {
    s.fz_n[p] =
        s.cell_force_n[4 * p] + s.cell_force_n[4 * p + 1] + s.cell_force_n[4 * p + 2] + s.cell_force_n[4 * p + 3];
    s.cop_x_m[p] =
        i % 5000 == 0 && p == 1 ? kNaN : static_cast<double>(i % 1000) * 1e-4 - 0.01 * static_cast<double>(p);
    s.cop_y_m[p] = static_cast<double>(i % 777) * -1e-4 + 0.02 * static_cast<double>(p);
  }
  return s;
}

struct MemoryReport {
  long max_rss_before_kb = 0;
  long max_rss_after_kb = 0;
  double seconds = 0;
};

// Reads rows [first, first + count) of a dataset with `columns` columns (0: one-dimensional).
template <class T>
std::vector<T> read_rows(hid_t file, const char* path, hid_t memory_type, hsize_t first, hsize_t count,
                         hsize_t columns) {
  const hid_t dataset = H5Dopen2(file, path, H5P_DEFAULT);
  const hid_t space = H5Dget_space(dataset);
  const int rank = columns == 0 ? 1 : 2;
  const hsize_t start[2] = {first, 0};
  const hsize_t size[2] = {count, columns};
  H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, size, nullptr);
  const hid_t memory = H5Screate_simple(rank, size, nullptr);
  std::vector<T> values(count * std::max<hsize_t>(columns, 1));
  if (H5Dread(dataset, memory_type, memory, space, H5P_DEFAULT, values.data()) < 0) values.clear();
  H5Sclose(memory);
  H5Sclose(space);
  H5Dclose(dataset);
  return values;
}

hsize_t rows_of(hid_t file, const char* path) {
  const hid_t dataset = H5Dopen2(file, path, H5P_DEFAULT);
  const hid_t space = H5Dget_space(dataset);
  hsize_t dims[2] = {0, 0};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  H5Sclose(space);
  H5Dclose(dataset);
  return dims[0];
}

// Every value of every /samples dataset against long_sample(); the first mismatch or "".
std::string long_trial_mismatch(const std::filesystem::path& path) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return "cannot open";
  std::string problem;
  for (const char* name : {"/samples/sequence", "/samples/time", "/samples/counts", "/samples/cell_force",
                           "/samples/fz", "/samples/cop_x", "/samples/cop_y"}) {
    if (rows_of(file, name) != kLongSamples) problem = std::string(name) + " has the wrong number of rows";
  }
  constexpr hsize_t kRows = 100'000;
  for (hsize_t first = 0; first < kLongSamples && problem.empty(); first += kRows) {
    const hsize_t n = std::min(kRows, kLongSamples - first);
    const auto sequence = read_rows<std::uint64_t>(file, "/samples/sequence", H5T_NATIVE_UINT64, first, n, 0);
    const auto time = read_rows<double>(file, "/samples/time", H5T_NATIVE_DOUBLE, first, n, 0);
    const auto counts = read_rows<std::int32_t>(file, "/samples/counts", H5T_NATIVE_INT32, first, n, 8);
    const auto force = read_rows<double>(file, "/samples/cell_force", H5T_NATIVE_DOUBLE, first, n, 8);
    const auto fz = read_rows<double>(file, "/samples/fz", H5T_NATIVE_DOUBLE, first, n, 2);
    const auto cop_x = read_rows<double>(file, "/samples/cop_x", H5T_NATIVE_DOUBLE, first, n, 2);
    const auto cop_y = read_rows<double>(file, "/samples/cop_y", H5T_NATIVE_DOUBLE, first, n, 2);
    if (sequence.size() != n || cop_y.size() != 2 * n || counts.size() != 8 * n) return "read failed";
    for (hsize_t r = 0; r < n && problem.empty(); ++r) {
      const JournalSample s = long_sample(first + r);
      bool same = sequence[r] == s.sequence && time[r] == s.time_s;
      for (std::size_t c = 0; c < 8; ++c)
        same = same && counts[r * 8 + c] == s.counts[c] && force[r * 8 + c] == s.cell_force_n[c];
      for (std::size_t p = 0; p < 2; ++p) {
        same = same && fz[r * 2 + p] == s.fz_n[p] && cop_y[r * 2 + p] == s.cop_y_m[p] &&
               std::bit_cast<std::uint64_t>(cop_x[r * 2 + p]) == std::bit_cast<std::uint64_t>(s.cop_x_m[p]);
      }
      if (!same) problem = "row " + std::to_string(first + r) + " differs";
    }
  }
  H5Fclose(file);
  return problem;
}

TEST(Journal, ThirtyMinutesAt2kHzOfEightCells_ConvertsInBoundedMemoryToTheSameSamples) {
  ScratchDir dir;
  Trial metadata = steady_metadata();
  metadata.sample_rate_hz = static_cast<double>(kLongRate);
  metadata.test_name = "long-recording";
  const auto generation_start = std::chrono::steady_clock::now();
  {
    JournalOptions options;
    options.flush_interval = 1h;  // records of 0.5 s (1000 samples), flushed below, as in real time
    JournalWriter journal(dir / "long.fpj", metadata, options);
    for (std::uint64_t i = 0; i < kLongSamples; ++i) {
      if (i > 0 && i % kLongGapEvery == 0) journal.append_gap({long_sequence(i) - 3, 3, "sequence jump"});
      journal.append(long_sample(i));
      if ((i + 1) % (kLongRate / 2) == 0) journal.flush();
    }
    journal.finish();
  }
  const double generation_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - generation_start).count();
  const auto journal_bytes = std::filesystem::file_size(dir / "long.fpj");

  // Converted in a child process, so that its peak resident memory is the conversion's alone.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    MemoryReport report;
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    report.max_rss_before_kb = usage.ru_maxrss;
    const auto start = std::chrono::steady_clock::now();
    try {
      journal_to_trial_file(dir / "long.fpj", dir / "long.h5");
    } catch (...) {
      ::_exit(2);
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::getrusage(RUSAGE_SELF, &usage);
    report.max_rss_after_kb = usage.ru_maxrss;
    const bool sent = ::write(pipe_fds[1], &report, sizeof report) == sizeof report;
    ::_exit(sent ? 0 : 3);
  }
  ::close(pipe_fds[1]);
  MemoryReport report;
  const bool received = read_exactly(pipe_fds[0], &report, sizeof report);
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "conversion child status " << status;
  ASSERT_TRUE(received);

  const double peak_mb = static_cast<double>(report.max_rss_after_kb) / 1024.0;
  std::cout << "30 min at 2 kHz x 8 cells: journal " << static_cast<double>(journal_bytes) / 1e6 << " MB written in "
            << generation_s << " s; converted in " << report.seconds << " s to "
            << static_cast<double>(std::filesystem::file_size(dir / "long.h5")) / 1e6
            << " MB; peak RSS of the converting process " << peak_mb << " MiB (" << report.max_rss_before_kb / 1024.0
            << " MiB when it started)\n";
  RecordProperty("conversion_peak_rss_kb", std::to_string(report.max_rss_after_kb));
  RecordProperty("conversion_seconds", std::to_string(report.seconds));
  EXPECT_GT(journal_bytes, 500'000'000u) << "the journal holds every sample (160 bytes each)";
  // Required: well under 100 MB. Holding the recording would take at least the journal's 576 MB;
  // streaming takes the HDF5 chunk caches (1 MiB per dataset) and one record (about 160 KB).
  EXPECT_LT(peak_mb, 50.0) << "the conversion must not hold the recording in memory";

  EXPECT_EQ(complete_attribute(dir / "long.h5"), 1);
  EXPECT_EQ(long_trial_mismatch(dir / "long.h5"), "");
}

}  // namespace
}  // namespace fp::data
