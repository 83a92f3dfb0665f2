// `forceplate archive ...` as a user meets it: init, patients, sessions, import, listing, verify,
// rebuild-index, exports; exit codes and one-line errors.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.hpp"

namespace {

namespace fs = std::filesystem;

using fp::cli::testing::CliRun;

CliRun run(const std::string& args, const std::string& env = "") {
  return fp::cli::testing::run_shell(env + (env.empty() ? "" : " ") + std::string(FP_CLI) + " " + args + " 2>&1");
}

int lines(const std::string& s) { return fp::cli::testing::count_lines(s); }
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

class CliArchive : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(FP_BINARY_DIR) / "cli-archive-tests" / (std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    arch_ = " --archive " + (root_ / "arch").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  // A patient with one session holding one imported dataset recording; returns the trial id.
  std::string one_trial() {
    EXPECT_EQ(run("archive init" + arch_).exit_code, 0);
    EXPECT_EQ(run("archive add-patient P1 --name 'Anna Berg' --dob 1961-03-14 --sex female" + arch_).exit_code, 0);
    const CliRun r = run("archive import " + std::string(FP_DATASETS_DIR) +
                         "/balance/hbedb-BDS00001-cop.csv --patient P1 --json" + arch_);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return nlohmann::json::parse(r.out)["id"];
  }
  fs::path root_;
  std::string arch_;
};

TEST_F(CliArchive, InitAddImportList_EndToEnd) {
  const CliRun init = run("archive init" + arch_);
  EXPECT_EQ(init.exit_code, 0) << init.out;
  EXPECT_TRUE(has(init.out, "created archive")) << init.out;
  EXPECT_EQ(run("archive add-patient P1 --name 'Anna Berg' --dob 1961-03-14 --height 1.7 --mass 60" + arch_).exit_code, 0);
  const CliRun session = run("archive add-session P1 --at 2026-01-10T09:00:00Z --pain 4" + arch_);
  ASSERT_EQ(session.exit_code, 0) << session.out;
  const std::string sid = session.out.substr(0, session.out.find('\n'));
  EXPECT_EQ(sid.substr(0, 16), "20260110T090000-");
  const CliRun imp = run("archive import " + std::string(FP_DATASETS_DIR) +
                         "/jumps/vj-dual-cmj-1000hz.txt --patient P1 --rate 1000 --test countermovement-jump --session " +
                         sid + arch_);
  EXPECT_EQ(imp.exit_code, 0) << imp.out;
  EXPECT_TRUE(has(imp.out, "as trial " + sid + "-01")) << imp.out;

  const CliRun patients = run("archive list-patients berg" + arch_);
  EXPECT_EQ(patients.out, "P1  Anna Berg  1961-03-14\n");
  const CliRun sessions = run("archive list-sessions P1" + arch_);
  EXPECT_EQ(sessions.out, sid + "  2026-01-10T09:00:00Z  1 trial  pain 4\n");
  const CliRun trials = run("archive list-trials --test countermovement-jump --json" + arch_);
  ASSERT_EQ(trials.exit_code, 0) << trials.out;
  const auto j = nlohmann::json::parse(trials.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["source"], "vj-dual-cmj-1000hz.txt");
  EXPECT_EQ(run("archive list-trials --test quiet-stance --json" + arch_).out, "[]\n");
  const CliRun verify = run("archive verify" + arch_);
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_EQ(verify.out, "1 of 1 trials intact\n");
}

TEST_F(CliArchive, EnvironmentVariable_ChoosesTheArchive) {
  const std::string env = "FORCEPLATE_ARCHIVE=" + (root_ / "env-arch").string();
  EXPECT_EQ(run("archive init", env).exit_code, 0);
  EXPECT_EQ(run("archive add-patient P7 --name X", env).exit_code, 0);
  EXPECT_TRUE(fs::exists(root_ / "env-arch/patients/P7/patient.json"));
  EXPECT_EQ(run("archive list-patients", env).out, "P7  X  -\n");
}

TEST_F(CliArchive, BadInput_OneLineErrorsNamingTheProblem) {
  const CliRun none = run("archive list-patients" + arch_);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(lines(none.out), 1) << none.out;
  EXPECT_TRUE(has(none.out, "no archive in") && has(none.out, "forceplate archive init")) << none.out;
  one_trial();
  for (const auto& [args, expected] : std::vector<std::pair<std::string, std::string>>{
           {"archive list-sessions NOPE", "unknown patient id 'NOPE'"},
           {"archive import /nonexistent/x.csv --patient P1", "/nonexistent/x.csv': file not found"},
           {"archive import /nonexistent/x.csv --patient NOPE", "unknown patient id 'NOPE'"},
           {"archive add-patient P1 --name Again", "patient id 'P1' is already used"},
           {"archive add-patient 'a/b' --name X", "invalid patient id 'a/b'"},
           {"archive add-patient P2 --name X --dob 14.03.1961", "YYYY-MM-DD"},
           {"archive export-trial nope --out " + (root_ / "o").string(), "unknown trial id 'nope'"},
           {"archive export-session nope --out " + (root_ / "o").string(), "unknown session id 'nope'"},
           {"archive init", "already holds an archive"}}) {
    const CliRun r = run(args + arch_);
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_EQ(lines(r.out), 1) << args << ": " << r.out;
    EXPECT_TRUE(has(r.out, expected)) << args << ": " << r.out;
  }
}

TEST_F(CliArchive, VerifyADamagedFile_ReportsQuarantinesAndFails_ThenTheRestIsIntact) {
  const std::string id = one_trial();
  run("archive import " + std::string(FP_DATASETS_DIR) + "/balance/hbedb-BDS00002-cop.csv --patient P1" + arch_);
  const auto trials = nlohmann::json::parse(run("archive list-trials --json" + arch_).out);
  ASSERT_EQ(trials.size(), 2u);
  const fs::path file = root_ / "arch" / trials[0]["path"].get<std::string>();
  {
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(static_cast<std::streamoff>(fs::file_size(file) - 100));
    io.put('\x5a');
  }
  const CliRun bad = run("archive verify" + arch_);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(has(bad.out, "problem: '" + trials[0]["path"].get<std::string>() + "': damaged")) << bad.out;
  EXPECT_TRUE(has(bad.out, "moved to 'quarantine/")) << bad.out;
  EXPECT_TRUE(has(bad.out, "1 of 2 trials intact, 1 moved to quarantine")) << bad.out;
  EXPECT_TRUE(has(bad.out, "forceplate: error: archive '")) << bad.out;
  const CliRun again = run("archive verify" + arch_);
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(again.out, "1 of 1 trials intact\n");
  fs::remove(root_ / "arch/index.sqlite");
  fs::remove(root_ / "arch/index.sqlite-wal");
  fs::remove(root_ / "arch/index.sqlite-shm");
  EXPECT_EQ(run("archive rebuild-index" + arch_).out, "indexed 1 patients, 2 sessions, 1 trials\n");
  (void)id;
}

TEST_F(CliArchive, Exports_CsvHdf5AndResearch_AuditLogged) {
  const std::string id = one_trial();
  const CliRun csv = run("archive export-trial " + id + " --out " + (root_ / "csv").string() + arch_);
  EXPECT_EQ(csv.exit_code, 0) << csv.out;
  EXPECT_TRUE(fs::exists(root_ / "csv" / (id + ".csv")));
  EXPECT_TRUE(fs::exists(root_ / "csv" / (id + "_measures.csv")));
  const auto sessions = run("archive list-sessions P1" + arch_).out;
  const std::string sid = sessions.substr(0, sessions.find(' '));
  EXPECT_EQ(run("archive export-session " + sid + " --format hdf5 --out " + (root_ / "h5").string() + arch_).exit_code, 0);
  EXPECT_TRUE(fs::exists(root_ / "h5" / (id + ".h5")));
  const CliRun research =
      run("archive research-export --study s1 --patient P1 --out " + (root_ / "study").string() + arch_);
  EXPECT_EQ(research.exit_code, 0) << research.out;
  EXPECT_TRUE(has(research.out, "exported 1 trials of 1 subjects")) << research.out;
  std::ifstream in(root_ / "study/trials.csv");
  const std::string table((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(has(table, "Berg") || has(table, "P1,") || has(table, "1961")) << table;
  std::ifstream audit(root_ / "arch/audit.log");
  int entries = 0;
  for (std::string line; std::getline(audit, line);) ++entries;
  EXPECT_EQ(entries, 3);
}

}  // namespace
