// Files read by someone without this program: Debian's h5py checks the documented schema.
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "forceplate/data/trial_file.hpp"
#include "scratch_dir.hpp"
#include "trial_examples.hpp"

namespace fp::data {
namespace {

using test::ScratchDir;

// Debian's interpreter, which has python3-h5py; a python3 earlier on PATH (pyenv, venv) may not.
constexpr const char* kPython = "/usr/bin/python3";
const std::string kScript = std::string(FP_SOURCE_DIR) + "/tests/data/check_trial_h5py.py";

std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

int exit_code(const std::string& command) {
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool debian_h5py_available() {
  return exit_code(std::string(kPython) + " -c 'import h5py, numpy' 2>/dev/null") == 0;
}

int check_with_h5py(const std::filesystem::path& file, const std::string& expected, bool quiet = false) {
  return exit_code(std::string(kPython) + " " + shell_quoted(kScript) + " " + shell_quoted(file.string()) +
                   " " + expected + (quiet ? " 2>/dev/null" : ""));
}

TEST(TrialFileWithH5py, TwoPlateTrial_ReadByDebianH5py_MatchesTheDocumentedSchemaAndValues) {
  ASSERT_TRUE(debian_h5py_available())
      << kPython << " cannot import h5py and numpy; run scripts/install-deps.sh";
  ScratchDir dir;
  write_trial(dir / "trial.h5", test::h5py_check_trial());

  EXPECT_EQ(check_with_h5py(dir / "trial.h5", "two-plate"), 0) << "see the script's output above";
}

TEST(TrialFileWithH5py, TrialWithoutSamples_ReadByDebianH5py_HasEmptyDatasetsOfTheDocumentedShapes) {
  ASSERT_TRUE(debian_h5py_available())
      << kPython << " cannot import h5py and numpy; run scripts/install-deps.sh";
  ScratchDir dir;
  write_trial(dir / "empty.h5", test::empty_trial());

  EXPECT_EQ(check_with_h5py(dir / "empty.h5", "empty"), 0) << "see the script's output above";
}

TEST(TrialFileWithH5py, ImportedTrialWithoutCells_ReadByDebianH5py_HasEmptyCellColumnsHorizontalForcesAndNotes) {
  ASSERT_TRUE(debian_h5py_available())
      << kPython << " cannot import h5py and numpy; run scripts/install-deps.sh";
  ScratchDir dir;
  write_trial(dir / "imported.h5", test::h5py_imported_trial());

  EXPECT_EQ(check_with_h5py(dir / "imported.h5", "imported"), 0) << "see the script's output above";
}

TEST(TrialFileWithH5py, CheckScript_GivenARecordedTrialAsAnImportedOne_ReportsTheMissingItems) {
  ASSERT_TRUE(debian_h5py_available())
      << kPython << " cannot import h5py and numpy; run scripts/install-deps.sh";
  ScratchDir dir;
  write_trial(dir / "recorded.h5", test::h5py_check_trial());

  EXPECT_EQ(check_with_h5py(dir / "recorded.h5", "imported", /*quiet=*/true), 1);
}

TEST(TrialFileWithH5py, CheckScript_GivenAFileWithOtherValues_ReportsAMismatch) {
  // The script must be able to fail: the realistic trial has other values than it expects.
  ASSERT_TRUE(debian_h5py_available())
      << kPython << " cannot import h5py and numpy; run scripts/install-deps.sh";
  ScratchDir dir;
  write_trial(dir / "other.h5", test::realistic_two_plate_trial());

  EXPECT_EQ(check_with_h5py(dir / "other.h5", "two-plate", /*quiet=*/true), 1);
}

}  // namespace
}  // namespace fp::data
