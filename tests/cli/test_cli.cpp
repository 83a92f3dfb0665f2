// The `forceplate` command as a user meets it: exit codes, one-line errors, JSON output.
#include <gtest/gtest.h>

#include "forceplate/data/journal.hpp"
#include "forceplate/data/trial_file.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.hpp"
#include "forceplate/data/table_import.hpp"
#include "forceplate/data/trial_file.hpp"
#include "forceplate/simulator/pty.hpp"

namespace {

using fp::cli::testing::CliRun;

CliRun run(const std::string& args) { return fp::cli::testing::run_shell(std::string(FP_CLI) + " " + args + " 2>&1"); }

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::path(FP_BINARY_DIR) / "cli-tests";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

int lines(const std::string& s) { return fp::cli::testing::count_lines(s); }

TEST(Cli, AnalyzeMissingFile_OneLineErrorNamingTheFile) {
  const CliRun r = run("analyze /nonexistent/trial.h5");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.out), 1) << r.out;
  EXPECT_NE(r.out.find("/nonexistent/trial.h5"), std::string::npos) << r.out;
}

TEST(Cli, AnalyzeGarbageFile_OneLineErrorNotACrash) {
  const std::string path = scratch("garbage.h5");
  std::ofstream(path) << "this is not an HDF5 file\n";
  const CliRun r = run("analyze " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.out), 1) << r.out;
  EXPECT_NE(r.out.find("garbage.h5"), std::string::npos) << r.out;
}

TEST(Cli, RecordFromPortThatDoesNotExist_OneLineError) {
  const CliRun r = run("record --device /dev/ttyNOPE42 --out " + scratch("x.h5") + " --duration 1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.out), 1) << r.out;
  EXPECT_NE(r.out.find("/dev/ttyNOPE42"), std::string::npos) << r.out;
}

TEST(Cli, RecordFromSomethingThatIsNotASerialPort_OneLineError) {
  const CliRun r = run("record --device /dev/zero --out " + scratch("z.h5") + " --duration 1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.out), 1) << r.out;
  EXPECT_NE(r.out.find("/dev/zero"), std::string::npos) << r.out;
}

TEST(Cli, RecordFromPortThatSendsGarbage_OneLineNoValidFramesError) {
  fp::sim::PseudoTerminal pty;
  std::atomic<bool> stop{false};
  std::thread noise([&] {
    std::mt19937 rng(9);
    std::uint8_t buf[128];
    while (!stop) {
      for (auto& b : buf) b = static_cast<std::uint8_t>(rng());
      [[maybe_unused]] const auto n = ::write(pty.master_fd(), buf, sizeof buf);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  const CliRun r = run("record --device " + pty.slave_path() + " --out " + scratch("g.h5") + " --duration 1");
  stop = true;
  noise.join();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.out), 1) << r.out;
  EXPECT_NE(r.out.find("no valid frames"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(scratch("g.h5")));
}

TEST(Cli, UnknownSubcommand_UsageErrorNonZero) {
  const CliRun r = run("frobnicate");
  EXPECT_NE(r.exit_code, 0);
}

TEST(Cli, DemoThenAnalyzeJson_PrintsTheDocumentedShape) {
  const std::string path = scratch("demo.h5");
  const CliRun demo = run("demo --duration 8 --speed 4 --out " + path);
  ASSERT_EQ(demo.exit_code, 0) << demo.out;
  EXPECT_NE(demo.out.find("cop_path_length"), std::string::npos);
  EXPECT_NE(demo.out.find(path), std::string::npos);

  const std::string cmd = std::string(FP_CLI) + " analyze " + path + " --json";
  FILE* p = popen(cmd.c_str(), "r");
  std::string json;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) json += buf.data();
  ASSERT_EQ(pclose(p), 0);
  const nlohmann::json j = nlohmann::json::parse(json);
  EXPECT_EQ(j["test"], "quiet-stance");
  EXPECT_EQ(j["metrics"]["cop_path_length"]["unit"], "mm");
  EXPECT_EQ(j["metrics"]["cop_mean_velocity"]["unit"], "mm/s");
  EXPECT_EQ(j["metrics"]["cop_ellipse95_area"]["unit"], "mm^2");
  EXPECT_GT(j["metrics"]["cop_path_length"]["value"].get<double>(), 1.0);
  EXPECT_TRUE(j["warnings"].is_array());
}

TEST(Cli, SimulateReplaysARecordedJump_RecordedThroughThePortItsPeakForceMatchesTheFile) {
  const std::string source = std::string(FP_DATASETS_DIR) + "/jumps/bmc-cmj-450hz-1.tsv";
  const std::string cmd = std::string(FP_CLI) + " simulate --replay " + source + " --rate 450 --speed 4 --duration 6";
  FILE* sim = popen(cmd.c_str(), "r");
  ASSERT_NE(sim, nullptr);
  std::array<char, 256> line{};
  ASSERT_NE(std::fgets(line.data(), line.size(), sim), nullptr);
  std::string port(line.data());
  port.erase(port.find_last_not_of("\n") + 1);
  const std::string out = scratch("replay.h5");
  const CliRun rec = run("record --device " + port + " --duration 12 --out " + out);
  pclose(sim);
  ASSERT_EQ(rec.exit_code, 0) << rec.out;
  const fp::data::Trial recorded = fp::data::read_trial(out);
  const fp::data::Trial file = fp::data::import_table(source, {});
  const double want = *std::max_element(file.fz_n.begin(), file.fz_n.end());
  const double got = *std::max_element(recorded.fz_n.begin(), recorded.fz_n.end());
  EXPECT_NEAR(got / want, 1.0, 0.002) << "recorded peak " << got << " N, file peak " << want << " N";
  EXPECT_TRUE(recorded.gaps.empty());
}

std::string run_stdout(const std::string& args) {
  const std::string cmd = std::string(FP_CLI) + " " + args;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
  EXPECT_EQ(pclose(p), 0) << cmd;
  return out;
}

TEST(Cli, AnalyzeHbedbCsvUnfiltered_MatchesThePublishedReferenceTableWithin1Percent) {
  // ../shared/datasets/README.md, computed with Quijoux et al. 2021's open-access code.
  const std::map<std::string, std::pair<double, std::string>> reference{
      {"cop_path_length", {372.11, "mm"}},        {"cop_mean_velocity", {6.2019, "mm/s"}},
      {"cop_mean_velocity_ml", {5.5661, "mm/s"}}, {"cop_mean_velocity_ap", {1.9182, "mm/s"}},
      {"cop_mean_distance", {3.0796, "mm"}},      {"cop_rms_ml", {2.9631, "mm"}},
      {"cop_rms_ap", {1.6922, "mm"}},             {"cop_range_ml", {16.760, "mm"}},
      {"cop_range_ap", {8.3670, "mm"}},           {"cop_ellipse95_area", {94.453, "mm^2"}},
      {"cop_sway_area_per_second", {4.5965, "mm^2/s"}}, {"cop_mean_frequency", {0.32058, "Hz"}}};
  const nlohmann::json j = nlohmann::json::parse(run_stdout(
      "analyze " + std::string(FP_DATASETS_DIR) + "/balance/hbedb-BDS00001-cop.csv --lowpass none --json"));
  EXPECT_EQ(j["test"], "quiet-stance");
  for (const auto& [name, ref] : reference) {
    ASSERT_TRUE(j["metrics"].contains(name)) << name;
    EXPECT_EQ(j["metrics"][name]["unit"], ref.second) << name;
    EXPECT_NEAR(j["metrics"][name]["value"].get<double>() / ref.first, 1.0, 0.01) << name;
  }
}

TEST(Cli, AnalyzeWithBadOptions_OneLineErrorsNamingTheProblem) {
  const std::string hbedb = std::string(FP_DATASETS_DIR) + "/balance/hbedb-BDS00001-cop.csv";
  CliRun r = run("analyze " + hbedb + " --lowpass fast");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("--lowpass"), std::string::npos) << r.out;
  r = run("analyze " + hbedb + " --test single-leg-stance");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("--side"), std::string::npos) << r.out;
  r = run("analyze " + hbedb + " --test weight-bearing");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("two plates"), std::string::npos) << r.out;
  r = run("analyze " + std::string(FP_DATASETS_DIR) + "/jumps/vj-single-cmj-1000hz.txt");
  EXPECT_EQ(r.exit_code, 1);  // a single column of force without its rate
  EXPECT_NE(r.out.find("rate"), std::string::npos) << r.out;
  EXPECT_EQ(lines(r.out), 1) << r.out;
}

TEST(Cli, AnalyzeRecordedCountermovementJump_HeightsByImpulseAndFlightAgreeWithin3cmInMetres) {
  const nlohmann::json j = nlohmann::json::parse(
      run_stdout("analyze " + std::string(FP_DATASETS_DIR) + "/jumps/bmc-cmj-450hz-1.tsv --test cmj --json"));
  EXPECT_EQ(j["test"], "countermovement-jump");
  EXPECT_EQ(j["metrics"]["jump_height_flight"]["unit"], "m");
  EXPECT_EQ(j["metrics"]["takeoff_velocity"]["unit"], "m/s");
  const double flight = j["metrics"]["jump_height_flight"]["value"].get<double>();
  const double impulse = j["metrics"]["jump_height_impulse"]["value"].get<double>();
  EXPECT_GT(flight, 0.1);
  EXPECT_NEAR(flight, impulse, 0.03);
}

TEST(Cli, AnalyzeDropJumpAndTwoPlateJump_FromTheDatasetFiles) {
  const std::string dir = std::string(FP_DATASETS_DIR) + "/jumps/";
  nlohmann::json j = nlohmann::json::parse(
      run_stdout("analyze " + dir + "vj-single-dj-1000hz.txt --rate 1000 --test drop-jump --json"));
  EXPECT_EQ(j["test"], "drop-jump");
  EXPECT_EQ(j["metrics"]["contact_time"]["unit"], "s");
  const double contact = j["metrics"]["contact_time"]["value"].get<double>();
  const double flight = j["metrics"]["flight_time"]["value"].get<double>();
  EXPECT_GT(contact, 0.1);
  EXPECT_LT(contact, 1.0);
  // rsi = height by flight / contact time (m/s)
  EXPECT_NEAR(j["metrics"]["rsi"]["value"].get<double>(), 9.80665 * flight * flight / 8 / contact, 1e-3);
  // The same drop jump on two plates: each foot's share of the contact; the two add up.
  j = nlohmann::json::parse(
      run_stdout("analyze " + dir + "vj-dual-dj-1000hz.txt --rate 1000 --test drop-jump --json"));
  EXPECT_NEAR(j["metrics"]["contact_time"]["value"].get<double>(), contact, 1e-9);
  const double l = j["metrics"]["contact_impulse_left"]["value"].get<double>();
  const double r = j["metrics"]["contact_impulse_right"]["value"].get<double>();
  EXPECT_GT(l, 0);
  EXPECT_GT(r, 0);
  EXPECT_NEAR(j["metrics"]["contact_impulse_asymmetry"]["value"].get<double>(),
              (std::abs(r) - std::abs(l)) / std::max(std::abs(l), std::abs(r)) * 100, 1e-6);
  EXPECT_EQ(j["metrics"]["peak_contact_force_asymmetry"]["unit"], "%");
  // Two plates, one foot each: the jump from the total, with each limb's share of every phase.
  j = nlohmann::json::parse(
      run_stdout("analyze " + dir + "vj-dual-cmj-1000hz.txt --rate 1000 --test cmj --json"));
  EXPECT_EQ(j["metrics"]["propulsion_impulse_asymmetry"]["unit"], "%");
  EXPECT_NEAR(j["metrics"]["propulsion_impulse_left"]["value"].get<double>() +
                  j["metrics"]["propulsion_impulse_right"]["value"].get<double>(),
              j["metrics"]["propulsive_impulse"]["value"].get<double>(), 2.0);
}

TEST(Cli, AnalyzeJumpThatIsNotOne_SaysWhyInOneLine) {
  // Quiet-stance recordings (COP only; forces from a lab plate) analysed as jumps and landings:
  // refused with the reason.
  for (const char* file : {"hbedb-BDS00001-cop.csv", "amti-optitrack-export-6ch.csv"}) {
    const std::string path = std::string(FP_DATASETS_DIR) + "/balance/" + file;
    for (const char* test : {"landing", "drop-jump", "hops", "cmj"}) {
      const auto r = run("analyze " + path + " --test " + test);
      EXPECT_EQ(r.exit_code, 1) << file << " " << test;
      EXPECT_EQ(lines(r.out), 1) << file << " " << test << ": " << r.out;
    }
  }
}

TEST(Cli, Recover_TurnsACutOffJournalIntoAnIncompleteTrialAndRemovesTheJournal) {
  const std::filesystem::path dir = std::filesystem::path(FP_BINARY_DIR) / "cli-recover";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    fp::data::Trial meta;
    meta.test_name = "quiet-stance";
    meta.sample_rate_hz = 100;
    meta.cells_per_plate = 4;
    fp::data::PlateInfo plate;
    plate.width_m = plate.length_m = 0.5;
    plate.cell_x_m = {-0.2, 0.2, 0.2, -0.2};
    plate.cell_y_m = {0.2, 0.2, -0.2, -0.2};
    plate.gain_n_per_count = {1e-3, 1e-3, 1e-3, 1e-3};
    plate.offset_counts = {0, 0, 0, 0};
    meta.plates.push_back(plate);
    fp::data::JournalWriter w(dir / "trial-7.h5.fpj", meta);
    for (std::uint64_t i = 0; i < 250; ++i) {
      fp::data::JournalSample s;
      s.sequence = i;
      s.time_s = static_cast<double>(i) / 100;
      s.fz_n[0] = 700;
      w.append(s);
    }
    w.flush();
  }  // destroyed without finish(): what a crash leaves
  const auto r = run("recover " + dir.string());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 interrupted recording(s) recovered"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "trial-7.h5.fpj"));
  const fp::data::Trial t = fp::data::read_trial(dir / "trial-7.h5");
  EXPECT_FALSE(t.complete);
  EXPECT_EQ(t.sample_count(), 250u);
  EXPECT_EQ(run("recover " + (dir / "missing").string()).exit_code, 1);
}

}  // namespace
