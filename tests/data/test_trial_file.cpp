// Round trips and failure cases of HDF5 trial files.
#include <grp.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "forceplate/data/trial_file.hpp"
#include "scratch_dir.hpp"
#include "trial_compare.hpp"
#include "trial_examples.hpp"

namespace fp::data {
namespace {

using test::expect_same_trial;
using test::file_bytes;
using test::ScratchDir;

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

// HDF5's default automatic error handler, to undo any earlier silencing on this thread.
herr_t print_hdf5_errors(hid_t stack, void* stream) { return H5Eprint2(stack, static_cast<FILE*>(stream)); }

std::filesystem::path temp_name(const std::filesystem::path& path) { return path.string() + ".tmp"; }

// --- round trips ---

TEST(TrialFile, TwoPlateTrial_WrittenAndReadBack_IsIdenticalIncludingNaNCop) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  ASSERT_TRUE(std::isnan(trial.cop_x_m.back())) << "the example must exercise NaN COP";

  write_trial(dir / "trial.h5", trial);

  expect_same_trial(read_trial(dir / "trial.h5"), trial);
  EXPECT_FALSE(std::filesystem::exists(temp_name(dir / "trial.h5")));
}

TEST(TrialFile, OnePlateTrial_WrittenAndReadBack_IsIdentical) {
  ScratchDir dir;
  const Trial trial = test::one_plate_trial();

  write_trial(dir / "one.h5", trial);

  expect_same_trial(read_trial(dir / "one.h5"), trial);
}

TEST(TrialFile, TrialWithoutSamples_WrittenAndReadBack_HasEmptyArraysAndItsMetadata) {
  ScratchDir dir;
  const Trial trial = test::empty_trial();

  write_trial(dir / "empty.h5", trial);
  const Trial back = read_trial(dir / "empty.h5");

  EXPECT_EQ(back.sample_count(), 0u);
  EXPECT_TRUE(back.gaps.empty());
  EXPECT_TRUE(back.results.empty());
  expect_same_trial(back, trial);
}

TEST(TrialFile, ImportedTrialWithoutCells_WrittenAndReadBack_IsIdenticalWithHorizontalForcesAndNotes) {
  ScratchDir dir;
  const Trial trial = test::h5py_imported_trial();
  ASSERT_EQ(trial.cells_per_plate, 0);
  ASSERT_TRUE(trial.counts.empty() && trial.plates[0].cell_x_m.empty());

  write_trial(dir / "imported.h5", trial);
  const Trial back = read_trial(dir / "imported.h5");

  EXPECT_EQ(back.cells_per_plate, 0);
  EXPECT_EQ(back.fx_n.size(), back.sample_count() * 2);
  expect_same_trial(back, trial);
}

TEST(TrialFile, TrialWithoutHorizontalForces_HasNoFxOrFyDatasets_AndReadsBackWithEmptyOnes) {
  ScratchDir dir;
  write_trial(dir / "trial.h5", test::one_plate_trial());

  const hid_t file = H5Fopen((dir / "trial.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_EQ(H5Lexists(file, "/samples/fx", H5P_DEFAULT), 0);
  EXPECT_EQ(H5Lexists(file, "/samples/fy", H5P_DEFAULT), 0);
  EXPECT_EQ(H5Lexists(file, "/import_notes", H5P_DEFAULT), 0);
  EXPECT_GT(H5Lexists(file, "/samples/fz", H5P_DEFAULT), 0);
  H5Fclose(file);
  const Trial back = read_trial(dir / "trial.h5");
  EXPECT_TRUE(back.fx_n.empty());
  EXPECT_TRUE(back.fy_n.empty());
  EXPECT_TRUE(back.import_notes.empty());
}

TEST(TrialFile, RealisticTrial_IsStoredCompressedBelowItsRawSize) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  const auto raw_bytes = trial.sample_count() * (8 + 8 + 8 * (4 + 8) + 2 * 3 * 8);

  write_trial(dir / "trial.h5", trial);

  EXPECT_LT(std::filesystem::file_size(dir / "trial.h5"), raw_bytes * 4 / 5);
}

// The sample chunks are compressed on several threads and written directly (h5_chunks.cpp): HDF5
// itself must read them back (the raw H5Dread path, not ours), and a damaged chunk must be found.
TEST(TrialFile, ChunksWrittenInParallel_ReadByHdf5Itself_AndADamagedChunkIsRefused) {
  ScratchDir dir;
  const Trial trial = test::realistic_two_plate_trial();
  write_trial(dir / "trial.h5", trial);
  haddr_t address = 0;
  hsize_t size = 0;
  {
    const hid_t file = H5Fopen((dir / "trial.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t set = H5Dopen2(file, "/samples/cell_force", H5P_DEFAULT);
    ASSERT_GE(set, 0);
    std::vector<double> values(trial.cell_force_n.size());
    ASSERT_GE(H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    EXPECT_EQ(values, trial.cell_force_n);
    hsize_t offset[2] = {0, 0};
    unsigned mask = 99;
    const hid_t space = H5Dget_space(set);
    ASSERT_GE(H5Dget_chunk_info(set, space, 0, offset, &mask, &address, &size), 0);
    H5Sclose(space);
    EXPECT_EQ(mask, 0u);  // every filter applied
    H5Dclose(set);
    H5Fclose(file);
  }
  {
    std::fstream f(dir / "trial.h5", std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(address + size / 2));
    char byte = 0;
    f.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x5a);
    f.seekp(static_cast<std::streamoff>(address + size / 2));
    f.write(&byte, 1);
  }
  try {
    read_trial(dir / "trial.h5");
    FAIL() << "a damaged chunk was read without an error";
  } catch (const TrialFileError& e) {
    EXPECT_NE(std::string(e.what()).find("cell_force"), std::string::npos) << e.what();
  }
}

TEST(TrialFile, WritingOverAnExistingTrial_ReplacesItAndLeavesNoTemporaryFile) {
  ScratchDir dir;
  write_trial(dir / "trial.h5", test::realistic_two_plate_trial());
  const Trial replacement = test::one_plate_trial();

  write_trial(dir / "trial.h5", replacement);

  expect_same_trial(read_trial(dir / "trial.h5"), replacement);
  EXPECT_FALSE(std::filesystem::exists(temp_name(dir / "trial.h5")));
}

TEST(TrialFile, IncompleteTrialWithRecoveryNote_WrittenAndReadBack_KeepsBoth) {
  ScratchDir dir;
  Trial trial = test::one_plate_trial();
  trial.complete = false;
  trial.recovered_from_journal = "Converted from the journal 'x.fpj' of an interrupted recording.";

  write_trial(dir / "trial.h5", trial);

  expect_same_trial(read_trial(dir / "trial.h5"), trial);
}

TEST(TrialFile, FileWrittenBeforeTheCompleteAttribute_ReadsAsComplete) {
  ScratchDir dir;
  const std::string path = (dir / "older.h5").string();
  write_trial(path, test::one_plate_trial());
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    EXPECT_GE(H5Adelete(file, "complete"), 0);
    H5Fclose(file);
  }

  const Trial back = read_trial(path);

  EXPECT_TRUE(back.complete);
  EXPECT_EQ(back.recovered_from_journal, "");
}

// --- reading what is not a trial ---

TEST(TrialFile, ReadingAMissingFile_ThrowsNoSuchFileNamingIt) {
  ScratchDir dir;
  const std::string message = error_message([&] { read_trial(dir / "absent.h5"); });
  EXPECT_NE(message.find("no such file"), std::string::npos) << message;
  EXPECT_NE(message.find("absent.h5"), std::string::npos) << message;
}

TEST(TrialFile, ReadingAGarbageFile_ThrowsNotAnHdf5File) {
  ScratchDir dir;
  std::ofstream(dir / "garbage.h5") << "this is a CSV export, not HDF5\n1,2,3\n";
  const std::string message = error_message([&] { read_trial(dir / "garbage.h5"); });
  EXPECT_NE(message.find("not an HDF5 file"), std::string::npos) << message;
  EXPECT_NE(message.find("garbage.h5"), std::string::npos) << message;
}

TEST(TrialFile, ReadingAnHdf5FileWithoutSchemaVersion_ThrowsNotATrialFile) {
  ScratchDir dir;
  const std::string path = (dir / "other.h5").string();
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  H5Fclose(file);

  const std::string message = error_message([&] { read_trial(path); });
  EXPECT_NE(message.find("not a trial file"), std::string::npos) << message;
}

TEST(TrialFile, ReadingANewerSchemaVersion_ThrowsNamingBothVersions) {
  ScratchDir dir;
  const std::string path = (dir / "future.h5").string();
  write_trial(path, test::one_plate_trial());
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t attribute = H5Aopen(file, "schema_version", H5P_DEFAULT);
    ASSERT_GE(attribute, 0);
    const int future = kTrialSchemaVersion + 1;
    EXPECT_GE(H5Awrite(attribute, H5T_NATIVE_INT, &future), 0);
    H5Aclose(attribute);
    H5Fclose(file);
  }

  const std::string message = error_message([&] { read_trial(path); });
  EXPECT_NE(message.find("schema version 2 is newer"), std::string::npos) << message;
  EXPECT_NE(message.find("(1)"), std::string::npos) << message;
}

TEST(TrialFile, ReadingATruncatedTrial_ThrowsWithoutHdf5PrintingToStderr) {
  ScratchDir dir;
  write_trial(dir / "whole.h5", test::realistic_two_plate_trial());
  const std::string bytes = file_bytes(dir / "whole.h5");
  std::ofstream(dir / "cut.h5", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  H5Eset_auto2(H5E_DEFAULT, print_hdf5_errors, stderr);  // as in a fresh thread

  ::testing::internal::CaptureStderr();
  const std::string message = error_message([&] { read_trial(dir / "cut.h5"); });
  const std::string printed = ::testing::internal::GetCapturedStderr();

  EXPECT_NE(message.find("cut.h5"), std::string::npos) << message;
  EXPECT_EQ(printed, "");
}

// --- writing failures ---

TEST(TrialFile, WritingATrialWithAnyArrayOfTheWrongLength_ThrowsNamingThatFieldAndWritesNothing) {
  ScratchDir dir;
  const std::vector<std::pair<std::string, std::function<void(Trial&)>>> corruptions{
      {"time_s", [](Trial& t) { t.time_s.pop_back(); }},
      {"counts", [](Trial& t) { t.counts.push_back(0); }},
      {"cell_force_n", [](Trial& t) { t.cell_force_n.resize(t.cell_force_n.size() - 4); }},
      {"fz_n", [](Trial& t) { t.fz_n.clear(); }},
      {"cop_x_m", [](Trial& t) { t.cop_x_m.pop_back(); }},
      {"cop_y_m", [](Trial& t) { t.cop_y_m.push_back(0.0); }},
      {"plates[1].gain_n_per_count", [](Trial& t) { t.plates[1].gain_n_per_count.pop_back(); }},
      {"plates[0].cell_y_m", [](Trial& t) { t.plates[0].cell_y_m.push_back(0.0); }},
      {"plates", [](Trial& t) { t.plates.push_back(t.plates[0]); }},
      {"cells_per_plate", [](Trial& t) { t.cells_per_plate = -1; }},
      {"plates[0].cell_x_m", [](Trial& t) { t.cells_per_plate = 0; }},  // no cells, but cell positions
      {"fx_n", [](Trial& t) { t.fx_n.assign(t.fz_n.size() - 1, 0.0); }},
      {"fy_n", [](Trial& t) { t.fy_n.assign(t.fz_n.size() + 2, 0.0); }},
  };
  for (const auto& [field, corrupt] : corruptions) {
    SCOPED_TRACE(field);
    Trial trial = test::realistic_two_plate_trial();
    corrupt(trial);

    const std::string message = error_message([&] { write_trial(dir / "bad.h5", trial); });

    EXPECT_NE(message.find("inconsistent trial: " + field + " "), std::string::npos) << message;
    EXPECT_NE(message.find("bad.h5"), std::string::npos) << message;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.h5"));
    EXPECT_FALSE(std::filesystem::exists(temp_name(dir / "bad.h5")));
  }
}

TEST(TrialFile, WritingIntoAMissingDirectory_ThrowsNamingTheFileWithoutHdf5PrintingToStderr) {
  ScratchDir dir;
  H5Eset_auto2(H5E_DEFAULT, print_hdf5_errors, stderr);

  ::testing::internal::CaptureStderr();
  const std::string message =
      error_message([&] { write_trial(dir / "no-such-dir" / "trial.h5", test::one_plate_trial()); });
  const std::string printed = ::testing::internal::GetCapturedStderr();

  EXPECT_NE(message.find("no-such-dir/trial.h5"), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  EXPECT_EQ(printed, "");
}

// Runs `attempt` in a child process without root's power to ignore permissions; returns its exit code.
int exit_code_as_unprivileged_user(const std::function<int()>& attempt) {
  const pid_t child = ::fork();
  if (child == 0) {
    constexpr uid_t kNobody = 65534;
    if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) ::_exit(90);
    ::_exit(attempt());
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

TEST(TrialFile, WritingIntoAReadOnlyDirectory_ThrowsAndLeavesTheExistingFileUntouched) {
  ScratchDir scratch;
  const std::filesystem::path dir = scratch / "read-only";
  std::filesystem::create_directory(dir);
  const std::filesystem::path path = dir / "trial.h5";
  const Trial original = test::one_plate_trial();
  write_trial(path, original);
  const std::string before = file_bytes(path);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                                        std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
                                        std::filesystem::perms::others_read | std::filesystem::perms::others_exec);

  std::string message;
  const auto attempt = [&] {
    message = error_message([&] { write_trial(path, test::realistic_two_plate_trial()); });
    const bool expected = message.find("Permission denied") != std::string::npos &&
                          message.find(path.string()) != std::string::npos;
    return expected ? 0 : 1;
  };
  if (::geteuid() == 0) {
    // Root writes anywhere, so the attempt runs as "nobody" (the child cannot pass back the message).
    EXPECT_EQ(exit_code_as_unprivileged_user(attempt), 0)
        << "as nobody: 90 = could not drop privileges, 1 = no error or a message without the path and "
           "\"Permission denied\"";
  } else {
    EXPECT_EQ(attempt(), 0) << message;
  }

  EXPECT_EQ(file_bytes(path), before);
  EXPECT_FALSE(std::filesystem::exists(temp_name(path)));
  expect_same_trial(read_trial(path), original);
}

TEST(TrialFile, WritingWhenTheFinalNameIsADirectory_ThrowsAfterWritingAndRemovesTheTemporaryFile) {
  ScratchDir dir;
  const std::filesystem::path path = dir / "trial.h5";
  std::filesystem::create_directory(path);
  std::ofstream(path / "keep.txt") << "precious\n";

  const std::string message = error_message([&] { write_trial(path, test::one_plate_trial()); });

  EXPECT_NE(message.find("cannot rename"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(temp_name(path)));
  EXPECT_EQ(file_bytes(path / "keep.txt"), "precious\n");
}

}  // namespace
}  // namespace fp::data
