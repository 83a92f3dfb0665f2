// The clinic's commands as a clinician meets them: a patient in the archive, tests run through the
// trial runner against the simulated plate (`run --device sim`), a session's results, and the
// comparison of two visits (`compare --json`), with exit codes and one-line errors.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.hpp"
#include <vector>

namespace {

namespace fs = std::filesystem;

using fp::cli::testing::CliRun;

// stdout, and stderr too unless `with_stderr` is false (for JSON output); no terminal on stdin.
CliRun run(const std::string& args, bool with_stderr = true) {
  return fp::cli::testing::run_shell(std::string(FP_CLI) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null") +
                                     " </dev/null");
}

int lines(const std::string& s) { return fp::cli::testing::count_lines(s); }

class CliClinic : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(FP_BINARY_DIR) / "cli-clinic-tests" / (std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    arch_ = " --archive " + (root_ / "arch").string();
    EXPECT_EQ(run("archive init" + arch_).exit_code, 0);
    EXPECT_EQ(run("archive add-patient P7 --name 'Test Patient' --mass 75 --involved-side left" + arch_).exit_code, 0);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string session() {
    const CliRun r = run("session start --patient P7 --pain-24h 4" + arch_, false);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return r.out.substr(0, r.out.find('\n'));
  }
  nlohmann::json run_test(const std::string& args) {
    const CliRun r = run("run --device sim --speed 10 --yes --json --patient P7" + arch_ + " " + args, false);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.out;
    return nlohmann::json::parse(r.out.substr(r.out.find('{')));
  }
  fs::path root_;
  std::string arch_;
};

// Six weeks apart the simulated patient jumps 20 cm, then 35 cm: far beyond the published MDC95 of
// the impulse height (3.5 cm), so `compare` calls it improved, with that source.
TEST_F(CliClinic, TwoVisitsOfCountermovementJumps_CompareCallsTheBiggerJumpAnImprovement) {
  const std::string s1 = session();
  for (int i = 0; i < 2; ++i) {
    const auto j = run_test("--test countermovement-jump --session " + s1 + " --param jump_height_m=0.20");
    EXPECT_TRUE(j["valid"].get<bool>()) << j.dump();
    EXPECT_NEAR(j["metrics"]["jump_height_flight"]["value"].get<double>(), 0.20, 0.015);
  }
  const std::string s2 = session();
  ASSERT_NE(s1, s2);
  for (int i = 0; i < 2; ++i) {
    run_test("--test countermovement-jump --session " + s2 + " --param jump_height_m=0.35");
  }
  const CliRun show = run("session show " + s2 + " --json" + arch_, false);
  ASSERT_EQ(show.exit_code, 0) << show.out;
  const auto sj = nlohmann::json::parse(show.out);
  ASSERT_EQ(sj["tests"].size(), 1u);
  EXPECT_EQ(sj["tests"][0]["measures"]["jump_height_impulse"]["trials"], 2);
  EXPECT_NEAR(sj["tests"][0]["measures"]["jump_height_impulse"]["value"].get<double>(), 0.35, 0.02);

  const CliRun c = run("compare P7 --json" + arch_, false);
  ASSERT_EQ(c.exit_code, 0) << c.out;
  const auto cj = nlohmann::json::parse(c.out);
  bool found = false;
  for (const auto& m : cj["measures"]) {
    if (m["measure"] != "jump_height_impulse") continue;
    found = true;
    EXPECT_EQ(m["classification"], "improved") << m.dump();
    EXPECT_EQ(m["mdc_source"], "published") << m.dump();
    EXPECT_NEAR(m["change"].get<double>(), 0.15, 0.03);
  }
  EXPECT_TRUE(found) << c.out;
}

// Single-leg stance on each side: the session shows left, right and the limb symmetry index of
// the involved (left) side, and the pain ratings given on the command line are stored.
TEST_F(CliClinic, SingleLegStanceBothSides_SessionShowsLimbSymmetryAndPain) {
  const std::string s = session();
  run_test("--test single-leg-stance-eyes-open --side left --pain-before 2 --pain-after 4 --session " + s);
  run_test("--test single-leg-stance-eyes-open --side right --session " + s);
  const CliRun show = run("session show " + s + " --json" + arch_, false);
  ASSERT_EQ(show.exit_code, 0) << show.out;
  const auto j = nlohmann::json::parse(show.out);
  ASSERT_EQ(j["tests"].size(), 2u);
  EXPECT_EQ(j["tests"][0]["pain_before"], 2);
  EXPECT_EQ(j["tests"][0]["pain_after"], 4);
  bool lsi = false;
  for (const auto& row : j["symmetry"]) {
    if (row["measure"] != "cop_mean_velocity") continue;
    lsi = true;
    EXPECT_NEAR(row["lsi"].get<double>(), row["left"].get<double>() / row["right"].get<double>() * 100, 1e-6);
  }
  EXPECT_TRUE(lsi) << show.out;
}

TEST_F(CliClinic, MistakesGetOneLineAndExitCode1) {
  for (const std::string& args : std::vector<std::string>{"run --test no-such-test --device sim --yes",
                                 "run --test single-leg-stance-eyes-open --device sim --yes",
                                 "run --test countermovement-jump --side left --device sim --yes",
                                 "run --test countermovement-jump --device sim --yes --patient NOBODY" + arch_,
                                 "compare P7" + arch_, "session show no-such-session" + arch_}) {
    const CliRun r = run(args);
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.out;
    EXPECT_EQ(lines(r.out), 1) << args << "\n" << r.out;
  }
}

}  // namespace
