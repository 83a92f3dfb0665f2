// The archive: layout, patients, sessions, trials, index, rebuild, verify and quarantine, import.
#include <sys/stat.h>

#include <cmath>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "archive_fixture.hpp"
#include "forceplate/data/archive.hpp"
#include "forceplate/data/table_import.hpp"
#include "forceplate/data/trial_file.hpp"
#include "trial_examples.hpp"

namespace fp::data {
namespace {

namespace fs = std::filesystem;
using test::make_patient;
using test::make_session;
using test::ScratchDir;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ArchiveError& e) {
    return e.what();
  }
  return "(no ArchiveError)";
}

// Two patients, three sessions, five trials.
struct Filled {
  std::vector<TrialRecord> trials;
  Session s1, s2, s3;
};

Filled fill(Archive& a) {
  Filled f;
  a.add_patient(make_patient("P001", "Anna Berg"));
  a.add_patient(make_patient("P002", "Carl Dahl", "1955-01-30"));
  f.s1 = a.add_session(make_session("P001", "2026-01-10T09:00:00Z"));
  f.s2 = a.add_session(make_session("P001", "2026-03-20T09:30:00Z", 5));
  f.s3 = a.add_session(make_session("P002", "2026-02-01T14:00:00Z"));
  Trial t1 = test::realistic_two_plate_trial();
  t1.start_time_utc = "2026-01-10T09:05:00Z";
  Trial t2 = test::one_plate_trial();
  t2.start_time_utc = "2026-01-10T09:10:00Z";
  Trial t3 = test::realistic_two_plate_trial();
  t3.start_time_utc = "2026-03-20T09:40:00Z";
  Trial t4 = test::empty_trial();
  t4.start_time_utc = "";  // takes the session's time
  Trial t5 = test::one_plate_trial();
  t5.start_time_utc = "2026-02-01T14:10:00Z";
  f.trials.push_back(a.add_trial(f.s1.id, t1, {"both", ""}));
  f.trials.push_back(a.add_trial(f.s1.id, t2, {"left", ""}));
  f.trials.push_back(a.add_trial(f.s2.id, t3, {"both", ""}));
  f.trials.push_back(a.add_trial(f.s2.id, t4));
  f.trials.push_back(a.add_trial(f.s3.id, t5, {"right", ""}));
  return f;
}

// Everything the index answers, as text, to compare two indexes.
std::string listing(const Archive& a) {
  std::string out;
  for (const auto& p : a.list_patients()) {
    out += p.id + "|" + p.name + "|" + p.date_of_birth + "|" + p.sex + "|" + std::to_string(p.height_m) + "|" +
           p.involved_side + "|" + p.diagnosis + "|" + p.notes + "\n";
    for (const auto& s : a.list_sessions(p.id)) {
      out += "  " + s.id + "|" + s.started_at_utc + "|" + s.notes + "|" + std::to_string(s.pain_24h) + "|" +
             std::to_string(s.trial_count) + "\n";
    }
  }
  for (const auto& t : a.find_trials({})) {
    out += t.id + "|" + t.patient_id + "|" + t.session_id + "|" + t.path + "|" + t.test + "|" + t.side + "|" +
           t.recorded_at_utc + "|" + std::to_string(t.crc32) + "|" + std::to_string(t.size_bytes) + "|" +
           (t.complete ? "1" : "0") + "|" + t.source + "\n";
  }
  return out;
}

TEST(Archive, Create_NewFolder_OwnerOnlyWithSchemaVersionAndFolders) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "clinic/archive");
  EXPECT_EQ(test::mode_of(dir / "clinic/archive"), 0700u);
  const auto marker = nlohmann::json::parse(test::file_bytes(dir / "clinic/archive/archive.json"));
  EXPECT_EQ(marker["format"], "forceplate-archive");
  EXPECT_EQ(marker["schema_version"], kArchiveSchemaVersion);
  for (const char* sub : {"patients", "quarantine", "studies", "index.sqlite", "archive.lock"}) {
    EXPECT_TRUE(fs::exists(dir / "clinic/archive" / sub)) << sub;
  }
}

TEST(Archive, CreateTwice_Refused_OpenOfAFolderWithoutArchive_SaysHowToCreateOne) {
  ScratchDir dir;
  Archive::create(dir / "a");
  EXPECT_TRUE(contains(error_of([&] { Archive::create(dir / "a"); }), "already holds an archive"));
  fs::create_directories(dir / "b");
  const std::string e = error_of([&] { Archive::open(dir / "b"); });
  EXPECT_TRUE(contains(e, "no archive in") && contains(e, "forceplate archive init")) << e;
}

TEST(Archive, NewerSchemaVersion_Refused) {
  ScratchDir dir;
  Archive::create(dir / "a");
  std::ofstream(dir / "a/archive.json") << R"({"format": "forceplate-archive", "schema_version": 99})";
  EXPECT_TRUE(contains(error_of([&] { Archive::open(dir / "a"); }), "newer than this program"));
}

TEST(Archive, Patients_StoredAsJsonFilesAndFoundByCaseInsensitiveNameSearch) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  fill(a);
  a.add_patient(make_patient("X-9", "Berta Anders"));
  const auto j = nlohmann::json::parse(test::file_bytes(dir / "a/patients/P001/patient.json"));
  EXPECT_EQ(j["name"], "Anna Berg");
  EXPECT_EQ(j["date_of_birth"], "1980-05-17");
  EXPECT_EQ(j["schema_version"], kArchiveSchemaVersion);

  auto ids = [](const std::vector<Patient>& ps) {
    std::string s;
    for (const auto& p : ps) s += p.id + " ";
    return s;
  };
  EXPECT_EQ(ids(a.list_patients()), "P001 X-9 P002 ");  // by name
  EXPECT_EQ(ids(a.list_patients("BERG")), "P001 ");
  EXPECT_EQ(ids(a.list_patients("ander")), "X-9 ");
  EXPECT_EQ(ids(a.list_patients("p00")), "P001 P002 ");  // the id matches too
  EXPECT_EQ(ids(a.list_patients("%")), "");              // taken literally
  EXPECT_EQ(a.patient("P002").date_of_birth, "1955-01-30");
}

TEST(Archive, BadPatientInput_ClearErrors) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  a.add_patient(make_patient("P001", "Anna Berg"));
  EXPECT_TRUE(contains(error_of([&] { a.add_patient(make_patient("P001", "Other")); }), "'P001' is already used"));
  EXPECT_TRUE(contains(error_of([&] { a.add_patient(make_patient("../etc", "X")); }), "invalid patient id '../etc'"));
  EXPECT_TRUE(contains(error_of([&] { a.add_patient(make_patient("P9", "X", "14/03/1961")); }), "YYYY-MM-DD"));
  EXPECT_TRUE(contains(error_of([&] { a.add_patient(make_patient("P9", "X", "2023-02-29")); }), "invalid date of birth"));
  EXPECT_TRUE(contains(error_of([&] { a.patient("NOPE"); }), "unknown patient id 'NOPE'"));
  EXPECT_TRUE(contains(error_of([&] { a.add_session(make_session("NOPE", "2026-01-01T00:00:00Z")); }),
                       "unknown patient id 'NOPE'"));
  EXPECT_TRUE(contains(error_of([&] { a.list_sessions("NOPE"); }), "unknown patient id 'NOPE'"));
  EXPECT_TRUE(contains(error_of([&] { a.add_session(make_session("P001", "2026-01-01 10:00")); }), "YYYY-MM-DDTHH:MM:SSZ"));
  EXPECT_TRUE(contains(error_of([&] { a.add_trial("NOSESSION", test::one_plate_trial()); }), "unknown session id"));
  EXPECT_TRUE(fs::is_empty(dir / "a/patients/P001/sessions"));
}

TEST(Archive, UpdatePatient_WritesANewFileRatherThanRewritingTheOldOne) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  a.add_patient(make_patient("P001", "Anna Berg"));
  struct stat before {};
  ::stat((dir / "a/patients/P001/patient.json").c_str(), &before);
  Patient p = a.patient("P001");
  p.mass_kg = 63;
  a.update_patient(p);
  struct stat after {};
  ::stat((dir / "a/patients/P001/patient.json").c_str(), &after);
  EXPECT_NE(before.st_ino, after.st_ino);  // renamed into place, not written over
  EXPECT_DOUBLE_EQ(a.patient("P001").mass_kg, 63);
  EXPECT_DOUBLE_EQ(Archive::open(dir / "a").patient("P001").mass_kg, 63);
}

TEST(Archive, Sessions_ListedOldestFirstWithTheirTrialCounts) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  const Filled f = fill(a);
  const auto sessions = a.list_sessions("P001");
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].id, f.s1.id);
  EXPECT_EQ(sessions[1].id, f.s2.id);
  EXPECT_EQ(sessions[0].trial_count, 2u);
  EXPECT_EQ(sessions[1].pain_24h, 5);
  EXPECT_EQ(f.s1.id.substr(0, 16), "20260110T090000-");
  EXPECT_TRUE(fs::exists(dir / "a/patients/P001/sessions" / f.s1.id / "session.json"));
}

TEST(Archive, AddTrial_FileInItsSessionWithRecordAndChecksum_ReadsBackTheSameTrial) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  const Filled f = fill(a);
  const TrialRecord& r = f.trials[0];
  EXPECT_EQ(r.id, f.s1.id + "-01");
  EXPECT_EQ(f.trials[1].id, f.s1.id + "-02");
  EXPECT_EQ(r.path, "patients/P001/sessions/" + f.s1.id + "/trials/" + r.id + ".h5");
  const fs::path file = dir / "a" / r.path;
  EXPECT_EQ(r.crc32, test::crc_of(file));
  EXPECT_EQ(r.size_bytes, fs::file_size(file));
  const auto record = nlohmann::json::parse(test::file_bytes(file.parent_path() / (r.id + ".json")));
  char hex[16];
  std::snprintf(hex, sizeof hex, "%08x", test::crc_of(file));
  EXPECT_EQ(record["crc32"], hex);
  EXPECT_EQ(record["side"], "both");

  const Trial original = test::realistic_two_plate_trial();
  const Trial back = a.read_trial(r.id);
  ASSERT_EQ(back.sample_count(), original.sample_count());
  EXPECT_EQ(back.counts, original.counts);
  EXPECT_EQ(back.fz_n, original.fz_n);
  EXPECT_EQ(read_trial(file).results.size(), original.results.size());  // a plain trial file, readable alone
  EXPECT_EQ(f.trials[3].recorded_at_utc, "2026-03-20T09:30:00Z");      // no start time: the session's
  EXPECT_TRUE(fs::is_empty(dir / "a/staging"));
}

TEST(Archive, FindTrials_ByPatientSessionTestAndDateRange) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  const Filled f = fill(a);
  auto ids = [](const std::vector<TrialRecord>& ts) {
    std::string s;
    for (const auto& t : ts) s += t.id.substr(t.id.size() - 2) + " ";
    return s;
  };
  EXPECT_EQ(a.find_trials({}).size(), 5u);
  EXPECT_EQ(ids(a.find_trials({"P001", "", "", "", ""})), "01 02 02 01 ");  // by time: the third had no start time, the session's is earlier
  EXPECT_EQ(ids(a.find_trials({"", f.s2.id, "", "", ""})), "02 01 ");
  EXPECT_EQ(a.find_trials({"", "", "single-leg-stance-left", "", ""}).size(), 2u);
  EXPECT_EQ(a.find_trials({"", "", "", "2026-02-01", "2026-02-01"}).size(), 1u);
  EXPECT_EQ(a.find_trials({"P001", "", "", "2026-03-01", ""}).size(), 2u);
  EXPECT_EQ(a.find_trials({"", "", "", "", "2026-01-10"}).size(), 2u);
  EXPECT_TRUE(contains(error_of([&] { a.find_trials({"", "", "", "yesterday", ""}); }), "invalid from date"));
}

TEST(Archive, RebuildIndex_FromTheFilesAlone_EqualsTheOriginalIndex) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  fill(a);
  const std::string before = listing(a);
  const RebuildReport r = a.rebuild_index();
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.patients, 2u);
  EXPECT_EQ(r.sessions, 3u);
  EXPECT_EQ(r.trials, 5u);
  EXPECT_EQ(listing(a), before);
}

TEST(Archive, IndexDeleted_RebuiltOnOpen_ListingsUnchanged) {
  ScratchDir dir;
  std::string before;
  {
    Archive a = Archive::create(dir / "a");
    fill(a);
    before = listing(a);
  }
  for (const char* f : {"index.sqlite", "index.sqlite-wal", "index.sqlite-shm"}) fs::remove(dir / "a" / f);
  Archive b = Archive::open(dir / "a");
  EXPECT_EQ(listing(b), before);
  EXPECT_TRUE(b.verify().ok());
}

TEST(Archive, IndexReplacedByGarbage_SetAsideAndRebuiltOnOpen) {
  ScratchDir dir;
  std::string before;
  {
    Archive a = Archive::create(dir / "a");
    fill(a);
    before = listing(a);
  }
  for (const char* f : {"index.sqlite-wal", "index.sqlite-shm"}) fs::remove(dir / "a" / f);
  std::ofstream(dir / "a/index.sqlite", std::ios::trunc) << std::string(10000, 'x');
  Archive b = Archive::open(dir / "a");
  EXPECT_EQ(listing(b), before);
}

TEST(Archive, Verify_IntactArchive_NoProblems) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  fill(a);
  const VerifyReport r = a.verify();
  EXPECT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems[0]);
  EXPECT_EQ(r.trials_checked, 5u);
  EXPECT_EQ(r.trials_ok, 5u);
  EXPECT_TRUE(r.quarantined.empty());
}

TEST(Archive, Verify_OneFlippedByte_FileQuarantinedWithAReportLine_EverythingElseKeepsWorking) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  const Filled f = fill(a);
  const TrialRecord victim = f.trials[2];
  const fs::path file = dir / "a" / victim.path;
  {
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(static_cast<std::streamoff>(fs::file_size(file) / 2));
    char c = 0;
    io.get(c);
    io.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    io.put(static_cast<char>(c ^ 0x10));
  }
  EXPECT_TRUE(contains(error_of([&] { a.read_trial(victim.id); }), "does not match its checksum"));

  const VerifyReport r = a.verify();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_TRUE(contains(r.problems[0], victim.path) && contains(r.problems[0], "checksum does not match") &&
              contains(r.problems[0], "moved to 'quarantine/"))
      << r.problems[0];
  ASSERT_EQ(r.quarantined.size(), 1u);
  EXPECT_TRUE(fs::exists(dir / "a" / r.quarantined[0]));
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(r.trials_ok, 4u);

  EXPECT_EQ(a.find_trials({}).size(), 4u);
  EXPECT_TRUE(contains(error_of([&] { a.trial_record(victim.id); }), "unknown trial id"));
  for (const auto& t : a.find_trials({})) EXPECT_NO_THROW(a.read_trial(t.id)) << t.id;
  EXPECT_TRUE(a.verify().ok());
  EXPECT_EQ(a.rebuild_index().trials, 4u);
  EXPECT_EQ(a.list_sessions("P001")[1].trial_count, 1u);
  a.add_trial(f.s2.id, test::one_plate_trial());  // still writable
  EXPECT_TRUE(a.verify().ok());
}

TEST(Archive, Verify_FileMissingOrNotIndexed_Reported) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  const Filled f = fill(a);
  fs::remove(dir / "a" / f.trials[4].path);
  // A trial file and record put there by hand, not through the archive: not in the index.
  const fs::path src = dir / "a" / f.trials[0].path;
  const fs::path copy = src.parent_path() / (f.s1.id + "-07.h5");
  fs::copy_file(src, copy);
  auto record = nlohmann::json::parse(test::file_bytes(src.parent_path() / (f.trials[0].id + ".json")));
  record["id"] = f.s1.id + "-07";
  std::ofstream(src.parent_path() / (f.s1.id + "-07.json")) << record.dump();

  const VerifyReport r = a.verify();
  ASSERT_EQ(r.problems.size(), 2u);
  std::string all = r.problems[0] + "\n" + r.problems[1];
  EXPECT_TRUE(contains(all, f.trials[4].path + "') but its file is missing")) << all;
  EXPECT_TRUE(contains(all, "-07.h5' is not in the index")) << all;
  a.rebuild_index();
  EXPECT_TRUE(a.verify().ok());
  EXPECT_EQ(a.find_trials({}).size(), 5u);
}

TEST(Archive, TrialWithoutRecord_RebuildAdoptsItWhenReadable) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  const Filled f = fill(a);
  fs::remove(dir / "a" / fs::path(f.trials[1].path).replace_extension(".json"));
  const RebuildReport r = a.rebuild_index();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_TRUE(contains(r.problems[0], "had no valid record")) << r.problems[0];
  EXPECT_EQ(a.trial_record(f.trials[1].id).crc32, f.trials[1].crc32);
  EXPECT_TRUE(a.verify().ok());
}

TEST(Archive, LeftoverTemporaryFile_NotedNotAProblem) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  const Filled f = fill(a);
  std::ofstream(dir / "a" / (f.trials[0].path + ".tmp")) << "half";
  std::ofstream(dir / "a/staging/x.h5") << "half";
  const VerifyReport r = a.verify();
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_TRUE(contains(r.notes[1], "'staging/x.h5' is a leftover of an interrupted save")) << r.notes[1];
  EXPECT_TRUE(contains(r.notes[0], "leftover temporary file")) << r.notes[0];
  EXPECT_EQ(a.find_trials({}).size(), 5u);
}

TEST(Archive, ImportDatasetFiles_AsTrialsOfAPatient_WithTheirSourceNames) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  a.add_patient(make_patient("P001", "Anna Berg"));
  const fs::path datasets = FP_DATASETS_DIR;
  ImportTrialOptions o;
  o.patient_id = "P001";
  o.test = "countermovement-jump";
  o.rate_hz = 1000;  // the file has no time column
  const TrialRecord jump = a.import_trial(datasets / "jumps/vj-dual-cmj-1000hz.txt", o);
  EXPECT_EQ(jump.source, "vj-dual-cmj-1000hz.txt");
  EXPECT_EQ(jump.test, "countermovement-jump");
  const Trial direct = import_table(datasets / "jumps/vj-dual-cmj-1000hz.txt", ImportOptions{1000, "", "auto"});
  const Trial stored = a.read_trial(jump.id);
  EXPECT_EQ(stored.sample_count(), direct.sample_count());
  EXPECT_EQ(stored.fz_n, direct.fz_n);
  EXPECT_FALSE(stored.import_notes.empty());

  o.session_id = jump.session_id;
  o.test = "";
  o.rate_hz = 0;
  const TrialRecord sway = a.import_trial(datasets / "balance/hbedb-BDS00001-cop.csv", o);
  EXPECT_EQ(sway.session_id, jump.session_id);
  EXPECT_EQ(sway.test, "quiet-stance");
  EXPECT_EQ(a.list_sessions("P001").size(), 1u);
  EXPECT_EQ(a.list_sessions("P001")[0].trial_count, 2u);
  EXPECT_TRUE(a.verify().ok());
}

TEST(Archive, ImportBadInput_ClearErrorsAndNothingAdded) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  a.add_patient(make_patient("P001", "Anna Berg"));
  a.add_patient(make_patient("P002", "Carl Dahl"));
  const Session other = a.add_session(make_session("P002", "2026-01-01T00:00:00Z"));
  ImportTrialOptions o;
  o.patient_id = "P001";
  EXPECT_TRUE(contains(error_of([&] { a.import_trial(dir / "missing.csv", o); }), "missing.csv': file not found"));
  std::ofstream(dir / "bad.csv") << "this,is\nnot,a recording\n";
  EXPECT_TRUE(contains(error_of([&] { a.import_trial(dir / "bad.csv", o); }), "bad.csv"));
  o.session_id = other.id;
  EXPECT_TRUE(contains(error_of([&] { a.import_trial(dir / "bad.csv", o); }), "belongs to patient 'P002'"));
  o.patient_id = "NOPE";
  EXPECT_TRUE(contains(error_of([&] { a.import_trial(dir / "bad.csv", o); }), "unknown patient id 'NOPE'"));
  EXPECT_TRUE(a.find_trials({}).empty());
  EXPECT_TRUE(a.list_sessions("P001").empty());
}

TEST(Archive, DefaultFolder_EnvironmentOverXdgOverHome) {
  const char* saved[3] = {std::getenv("FORCEPLATE_ARCHIVE"), std::getenv("XDG_DATA_HOME"), std::getenv("HOME")};
  const std::string keep[3] = {saved[0] ? saved[0] : "", saved[1] ? saved[1] : "", saved[2] ? saved[2] : ""};
  ::setenv("FORCEPLATE_ARCHIVE", "/x/arch", 1);
  ::setenv("XDG_DATA_HOME", "/x/xdg", 1);
  ::setenv("HOME", "/x/home", 1);
  EXPECT_EQ(default_archive_dir(), "/x/arch");
  ::unsetenv("FORCEPLATE_ARCHIVE");
  EXPECT_EQ(default_archive_dir(), "/x/xdg/forceplate/archive");
  ::setenv("XDG_DATA_HOME", "", 1);
  EXPECT_EQ(default_archive_dir(), "/x/home/.local/share/forceplate/archive");
  const char* names[3] = {"FORCEPLATE_ARCHIVE", "XDG_DATA_HOME", "HOME"};
  for (int i = 0; i < 3; ++i) {
    if (saved[i]) {
      ::setenv(names[i], keep[i].c_str(), 1);
    } else {
      ::unsetenv(names[i]);
    }
  }
}

}  // namespace
}  // namespace fp::data
