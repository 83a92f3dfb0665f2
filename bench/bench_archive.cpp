// The archive's index with 10,000 trials (issue 7 target: listing a patient's sessions < 100 ms).
// The archive is built once in the build folder: 100 patients and 1,000 sessions through the API,
// then 10,000 trial files (hard links to one small trial file) with their JSON records as
// docs/archive.md describes them, indexed by rebuild_index(). Reused by later runs.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "forceplate/data/archive.hpp"
#include "forceplate/data/trial_file.hpp"

namespace {

namespace fs = std::filesystem;
using fp::data::Archive;

const fs::path kDir = fs::path(FP_BINARY_DIR) / "bench-archive-10k";
constexpr int kPatients = 100;
constexpr int kSessionsPerPatient = 10;
constexpr int kTrialsPerSession = 10;

std::string pid(int i) {
  char text[16];
  std::snprintf(text, sizeof text, "P%03d", i);
  return text;
}

fp::data::Trial small_trial() {
  fp::data::Trial t;
  t.test_name = "quiet-stance";
  t.start_time_utc = "2026-01-01T10:00:00Z";
  t.sample_rate_hz = 100;
  fp::data::PlateInfo p;
  p.cell_x_m = {-0.2, 0.2, 0.2, -0.2};
  p.cell_y_m = {0.2, 0.2, -0.2, -0.2};
  p.width_m = p.length_m = 0.5;
  p.gain_n_per_count = {5e-4, 5e-4, 5e-4, 5e-4};
  p.offset_counts = {1e4, 1e4, 1e4, 1e4};
  t.plates.push_back(p);
  return t;
}

void build() {
  fs::remove_all(kDir);
  Archive a = Archive::create(kDir);
  const fs::path templ = kDir / "template.h5";
  fp::data::write_trial(templ, small_trial());
  std::ifstream in(templ, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08lx",
                crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
  const char* tests[] = {"quiet-stance", "single-leg-stance-left", "single-leg-stance-right", "countermovement-jump"};
  for (int p = 0; p < kPatients; ++p) {
    fp::data::Patient patient;
    patient.id = pid(p);
    patient.name = "Patient Number " + std::to_string(p);
    patient.date_of_birth = "1970-01-01";
    a.add_patient(patient);
    for (int s = 0; s < kSessionsPerPatient; ++s) {
      fp::data::Session session;
      session.patient_id = patient.id;
      char at[32];
      std::snprintf(at, sizeof at, "2026-%02d-%02dT09:00:00Z", 1 + s, 1 + p % 28);
      session.started_at_utc = at;
      const std::string sid = a.add_session(session).id;
      const fs::path trials = kDir / "patients" / patient.id / "sessions" / sid / "trials";
      for (int t = 0; t < kTrialsPerSession; ++t) {
        char tid_suffix[8];
        std::snprintf(tid_suffix, sizeof tid_suffix, "-%02d", t + 1);
        const std::string tid = sid + tid_suffix;
        fs::create_hard_link(templ, trials / (tid + ".h5"));
        const nlohmann::json record = {{"format", "forceplate-trial-record"},
                                       {"schema_version", 1},
                                       {"id", tid},
                                       {"patient_id", patient.id},
                                       {"session_id", sid},
                                       {"file", tid + ".h5"},
                                       {"test", tests[t % 4]},
                                       {"side", "none"},
                                       {"recorded_at_utc", at},
                                       {"crc32", crc},
                                       {"size_bytes", bytes.size()},
                                       {"complete", true},
                                       {"source", ""}};
        std::ofstream(trials / (tid + ".json")) << record.dump(2) << "\n";
      }
    }
  }
  a.rebuild_index();
}

Archive& archive() {
  static Archive a = [] {
    if (fs::exists(kDir / "archive.json")) {
      Archive existing = Archive::open(kDir);
      if (existing.find_trials({}).size() == kPatients * kSessionsPerPatient * kTrialsPerSession) return existing;
    }
    build();
    return Archive::open(kDir);
  }();
  return a;
}

void ListSessionsOfAPatient_10kTrials(benchmark::State& state) {
  Archive& a = archive();
  std::size_t n = 0;
  int p = 0;
  for (auto _ : state) {
    n = a.list_sessions(pid(p++ % kPatients)).size();
    benchmark::DoNotOptimize(n);
  }
  state.counters["sessions"] = static_cast<double>(n);
}
BENCHMARK(ListSessionsOfAPatient_10kTrials)->Unit(benchmark::kMillisecond);

void ListTrialsOfAPatient_10kTrials(benchmark::State& state) {
  Archive& a = archive();
  std::size_t n = 0;
  int p = 0;
  for (auto _ : state) {
    fp::data::TrialQuery q;
    q.patient_id = pid(p++ % kPatients);
    n = a.find_trials(q).size();
    benchmark::DoNotOptimize(n);
  }
  state.counters["trials"] = static_cast<double>(n);
}
BENCHMARK(ListTrialsOfAPatient_10kTrials)->Unit(benchmark::kMillisecond);

void FindTrialsByTestAndDates_10kTrials(benchmark::State& state) {
  Archive& a = archive();
  std::size_t n = 0;
  for (auto _ : state) {
    fp::data::TrialQuery q;
    q.test = "countermovement-jump";
    q.from_date = "2026-03-01";
    q.to_date = "2026-04-30";
    n = a.find_trials(q).size();
    benchmark::DoNotOptimize(n);
  }
  state.counters["trials"] = static_cast<double>(n);
}
BENCHMARK(FindTrialsByTestAndDates_10kTrials)->Unit(benchmark::kMillisecond);

void SearchPatientsByName_10kTrials(benchmark::State& state) {
  Archive& a = archive();
  for (auto _ : state) benchmark::DoNotOptimize(a.list_patients("number 4"));
}
BENCHMARK(SearchPatientsByName_10kTrials)->Unit(benchmark::kMillisecond);

void OpenArchive_10kTrials(benchmark::State& state) {
  archive();
  for (auto _ : state) benchmark::DoNotOptimize(Archive::open(kDir));
}
BENCHMARK(OpenArchive_10kTrials)->Unit(benchmark::kMillisecond);

void RebuildIndex_10kTrials(benchmark::State& state) {
  Archive& a = archive();
  for (auto _ : state) benchmark::DoNotOptimize(a.rebuild_index());
}
BENCHMARK(RebuildIndex_10kTrials)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
