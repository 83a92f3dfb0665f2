// Exports from the archive: CSV and HDF5 of trials and sessions, the de-identified research export,
// its study codes (HMAC-SHA-256, checked against the published test vectors), and the audit log.
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <gtest/gtest.h>

#include "archive_fixture.hpp"
#include "forceplate/data/archive.hpp"
#include "forceplate/data/table_import.hpp"
#include "forceplate/data/trial_file.hpp"
#include "sha256.hpp"
#include "trial_examples.hpp"

namespace fp::data {
namespace {

namespace fs = std::filesystem;
using test::make_patient;
using test::make_session;
using test::ScratchDir;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<nlohmann::json> audit_entries(const fs::path& archive) {
  std::vector<nlohmann::json> out;
  for (const auto& line : lines_of(test::file_bytes(archive / "audit.log"))) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ArchiveError& e) {
    return e.what();
  }
  return "(no ArchiveError)";
}

TEST(ArchiveExport, Sha256AndHmac_PublishedTestVectors) {
  using archive_detail::hmac_sha256;
  using archive_detail::sha256;
  using archive_detail::to_hex;
  // FIPS 180-4 examples.
  EXPECT_EQ(to_hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // RFC 4231 test cases 2 and 6 (a key longer than the block).
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(to_hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

struct Clinic {
  ScratchDir dir;
  Archive archive = Archive::create(dir / "archive");
  Session s1, s2;
  TrialRecord t1, t2, t3;
  Clinic() {
    archive.add_patient(make_patient("P001", "Anna Berg", "1961-03-14"));
    archive.add_patient(make_patient("P002", "Carl Dahl", "1955-01-30"));
    s1 = archive.add_session(make_session("P001", "2026-01-10T09:00:00Z"));
    s2 = archive.add_session(make_session("P001", "2026-03-20T09:30:00Z", 6));
    const Session s3 = archive.add_session(make_session("P002", "2026-02-01T14:00:00Z"));
    Trial a = test::h5py_check_trial();
    a.start_time_utc = "2026-01-10T09:05:00Z";
    Trial b = test::realistic_two_plate_trial();
    b.start_time_utc = "2026-03-20T09:40:00Z";
    Trial c = test::one_plate_trial();
    c.start_time_utc = "2026-02-01T14:10:00Z";
    t1 = archive.add_trial(s1.id, a, {"both", ""});
    t2 = archive.add_trial(s2.id, b, {"both", ""});
    t3 = archive.add_trial(s3.id, c, {"left", ""});
  }
};

TEST(ArchiveExport, TrialAsCsv_GenericImportFormat_ReimportsToTheSameSeries_MeasuresAlongside) {
  Clinic c;
  const auto files = c.archive.export_trial(c.t2.id, c.dir / "out", ExportFormat::csv);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], c.dir / "out" / (c.t2.id + ".csv"));
  const auto lines = lines_of(test::file_bytes(files[0]));
  const Trial original = test::realistic_two_plate_trial();
  ASSERT_EQ(lines.size(), 3 + original.sample_count());  // two comments, header, rows
  EXPECT_EQ(lines[2], "time[s],fz_left[N],copx_left[mm],copy_left[mm],fz_right[N],copx_right[mm],copy_right[mm]");

  const Trial back = import_table(files[0], ImportOptions{0, "", "generic"});
  ASSERT_EQ(back.sample_count(), original.sample_count());
  EXPECT_EQ(back.fz_n, original.fz_n);  // shortest round-trip text: exact
  for (std::size_t i = 0; i < original.cop_x_m.size(); ++i) {
    if (std::isnan(original.cop_x_m[i]) || original.fz_n[i] < kImportCopMinForceN) continue;
    ASSERT_NEAR(back.cop_x_m[i], original.cop_x_m[i], 1e-15) << i;
  }
  const auto measures = lines_of(test::file_bytes(files[1]));
  ASSERT_EQ(measures.size(), 1 + original.results.size());
  EXPECT_EQ(measures[0], "measure,value,unit");
  EXPECT_EQ(measures[1], "sway_path_length,412.73,mm");
}

TEST(ArchiveExport, TrialAsHdf5_AnIdenticalCopy_RecordedInTheAuditLog) {
  Clinic c;
  const auto files = c.archive.export_trial(c.t1.id, c.dir / "out", ExportFormat::hdf5);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(test::file_bytes(files[0]), test::file_bytes(c.dir / "archive" / c.t1.path));
  const auto audit = audit_entries(c.dir / "archive");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["action"], "export-trial-hdf5");
  EXPECT_EQ(audit[0]["trials"], 1);
  EXPECT_EQ(audit[0]["destination"], (c.dir / "out").string());
  EXPECT_TRUE(audit[0].contains("time_utc"));
  // Never overwrites.
  EXPECT_TRUE(contains(error_of([&] { c.archive.export_trial(c.t1.id, c.dir / "out", ExportFormat::hdf5); }),
                       "already exists"));
  EXPECT_TRUE(contains(error_of([&] { c.archive.export_trial("nope", c.dir / "out", ExportFormat::hdf5); }),
                       "unknown trial id 'nope'"));
}

TEST(ArchiveExport, Session_EveryTrialOfIt) {
  Clinic c;
  c.archive.add_trial(c.s1.id, test::one_plate_trial());
  const auto files = c.archive.export_session(c.s1.id, c.dir / "out", ExportFormat::csv);
  EXPECT_EQ(files.size(), 4u);
  const auto h5 = c.archive.export_session(c.s1.id, c.dir / "out-h5", ExportFormat::hdf5);
  ASSERT_EQ(h5.size(), 2u);
  EXPECT_NO_THROW(read_trial(h5[1]));
  const auto audit = audit_entries(c.dir / "archive");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1]["action"], "export-session-hdf5");
  EXPECT_EQ(audit[1]["trials"], 2);
}

TEST(ArchiveExport, Research_FolderWithTrialsTablesAndDictionary_DaysAndAges_AuditLogged) {
  Clinic c;
  ResearchExportOptions o;
  o.study = "balance-2026";
  o.destination = c.dir / "study";
  const ResearchExportSummary s = c.archive.research_export(o);
  EXPECT_EQ(s.subjects, 2u);
  EXPECT_EQ(s.trials, 3u);
  for (const char* f : {"trials.csv", "measures.csv", "data_dictionary.csv", "README.txt"}) {
    EXPECT_TRUE(fs::exists(c.dir / "study" / f)) << f;
  }
  const auto trials = lines_of(test::file_bytes(c.dir / "study/trials.csv"));
  ASSERT_EQ(trials.size(), 4u);
  EXPECT_EQ(trials[0].substr(0, 45), "subject,trial_file,test,side,day,age_years,se");
  // P001: DOB 1961-03-14, first session 2026-01-10; trials on that day (age 64) and 69 days later (65).
  const std::string code = trials[1].substr(0, trials[1].find(','));
  EXPECT_EQ(code.size(), 14u);
  EXPECT_EQ(code.substr(0, 4), "sub-");
  std::size_t p001_rows = 0;
  for (const auto& line : trials) {
    if (line.rfind(code, 0) != 0) continue;
    ++p001_rows;
    const bool first = contains(line, code + "_01.h5");
    EXPECT_TRUE(contains(line, first ? ",0,64,female,1.68,61.5,left,3,1," : ",69,65,female,1.68,61.5,left,6,1,")) << line;
  }
  EXPECT_EQ(p001_rows, 2u);
  EXPECT_TRUE(fs::exists(c.dir / "study/trials" / (code + "_02.h5")));

  const auto measures = lines_of(test::file_bytes(c.dir / "study/measures.csv"));
  std::size_t expected = 0;
  for (const Trial& t : {test::h5py_check_trial(), test::realistic_two_plate_trial(), test::one_plate_trial()}) {
    expected += t.results.size();
  }
  EXPECT_EQ(measures.size(), 1 + expected);
  EXPECT_EQ(s.measure_rows, expected);
  const auto dictionary = test::file_bytes(c.dir / "study/data_dictionary.csv");
  for (const auto& column : {"subject", "day", "age_years", "measure", "value", "unit", "pain_24h"}) {
    EXPECT_TRUE(contains(dictionary, std::string(",") + column + ",")) << column;
  }
  const auto audit = audit_entries(c.dir / "archive");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["action"], "research-export");
  EXPECT_EQ(audit[0]["study"], "balance-2026");
  EXPECT_EQ(audit[0]["trials"], 3);
  EXPECT_EQ(audit[0]["destination"], (c.dir / "study").string());
  EXPECT_TRUE(fs::exists(c.dir / "archive/studies/balance-2026.json"));
}

std::string first_code(const fs::path& study) {
  const auto lines = lines_of(test::file_bytes(study / "trials.csv"));
  return lines.at(1).substr(0, lines.at(1).find(','));
}

TEST(ArchiveExport, Research_CodesStableWithinAStudy_UnrelatedAcrossStudies) {
  Clinic c;
  auto run = [&](const std::string& study, const std::string& folder) {
    ResearchExportOptions o;
    o.study = study;
    o.patient_ids = {"P001"};
    o.destination = c.dir / folder;
    c.archive.research_export(o);
    return first_code(c.dir / folder);
  };
  const std::string a1 = run("study-a", "a1");
  const std::string a2 = run("study-a", "a2");
  const std::string b = run("study-b", "b");
  EXPECT_EQ(a1, a2);
  EXPECT_NE(a1, b);
  // The code is the keyed hash of the id with the study's secret salt, which stays in the archive.
  const auto study = nlohmann::json::parse(test::file_bytes(c.dir / "archive/studies/study-a.json"));
  const std::string salt = study["salt"];
  EXPECT_EQ(salt.size(), 64u);
  EXPECT_EQ(a1, "sub-" + archive_detail::to_hex(archive_detail::hmac_sha256(salt, "forceplate study code 1\nP001"))
                             .substr(0, 10));
  EXPECT_EQ(test::mode_of(c.dir / "archive/studies/study-a.json"), 0600u);
  for (const auto& e : fs::recursive_directory_iterator(c.dir / "a1")) {
    if (e.is_regular_file()) {
      EXPECT_FALSE(contains(test::file_bytes(e.path()), salt)) << e.path();
    }
  }
}

TEST(ArchiveExport, Research_ChoosesPatientsTestsAndDates) {
  Clinic c;
  ResearchExportOptions o;
  o.study = "s";
  o.tests = {"single-leg-stance-left"};
  o.destination = c.dir / "x1";
  EXPECT_EQ(c.archive.research_export(o).trials, 1u);  // one_plate_trial of P002
  o.tests = {};
  o.from_date = "2026-02-01";
  o.to_date = "2026-03-19";
  o.destination = c.dir / "x2";
  EXPECT_EQ(c.archive.research_export(o).trials, 1u);
  o.from_date = o.to_date = "";
  o.patient_ids = {"P001"};
  o.destination = c.dir / "x3";
  const auto s = c.archive.research_export(o);
  EXPECT_EQ(s.trials, 2u);
  EXPECT_EQ(s.subjects, 1u);
  o.patient_ids = {"NOPE"};
  o.destination = c.dir / "x4";
  EXPECT_TRUE(contains(error_of([&] { c.archive.research_export(o); }), "unknown patient id 'NOPE'"));
  EXPECT_FALSE(fs::exists(c.dir / "x4"));
  o.patient_ids = {};
  o.destination = c.dir / "x3";
  EXPECT_TRUE(contains(error_of([&] { c.archive.research_export(o); }), "is not empty"));
  o.destination = c.dir / "archive/inside";
  EXPECT_TRUE(contains(error_of([&] { c.archive.research_export(o); }), "inside the archive"));
}

TEST(ArchiveExport, Research_PatientNamedLikeAWordOfTheFormat_StillExports) {
  // "Sample Mass": both words occur in the export's own column names and HDF5 layout.
  Clinic c;
  c.archive.add_patient(make_patient("P003", "Sample Mass", "1970-02-02"));
  const Session s = c.archive.add_session(make_session("P003", "2026-04-01T10:00:00Z"));
  Trial t = test::one_plate_trial();
  t.test_name = "sample-test";  // mentions the name: redacted
  c.archive.add_trial(s.id, t);
  ResearchExportOptions o;
  o.study = "s";
  o.destination = c.dir / "study";
  EXPECT_EQ(c.archive.research_export(o).trials, 4u);
  const std::string trials = test::file_bytes(c.dir / "study/trials.csv");
  EXPECT_FALSE(contains(trials, "sample-test")) << trials;
}

// Every identifying string of one patient, planted in every text field there is.
struct Planted {
  std::string id = "PX-4711-QZ";
  std::string name = "Ottilie Brandtner-Vukovi\u0107";
  std::string dob = "1961-03-14";
  std::string diagnosis = "Ruptured ACL after skiing at Zermatt";
  std::string notes = "Lives at 12 Harrow Lane, phone 0171 555 0199";
  std::string session_notes = "Seen by Dr Quimby in room 7";
  std::vector<std::string> scanned() const {
    return {id,          name,        "Ottilie",    "Brandtner", "Vukovi\u0107", dob,          "14/03/1961",
            "19610314",  "14.03.1961", "03/14/1961", "14-03-1961", diagnosis,   notes,        session_notes,
            "2026-01-10", "2026-03-20", "Zermatt",  "Harrow Lane", "Quimby",    "source-file-of"};
  }
};

Trial planted_trial(const Planted& p, Trial t, const std::string& test_name, const std::string& start) {
  const std::string everything = p.name + " " + p.dob + " " + p.id + " " + p.diagnosis + " " + p.notes;
  t.test_name = test_name;
  t.start_time_utc = start;
  t.device.serial = p.id;
  t.device.firmware_version = "19610314";
  t.software_version = "Brandtner";
  t.analysis_version = "14/03/1961";
  t.import_notes = {everything, "source-file-of " + p.name, p.diagnosis};
  t.recovered_from_journal = "journal of " + everything;
  t.complete = false;
  t.gaps.push_back({t.sequence.empty() ? 0 : t.sequence.back() + 1, 1, p.notes});
  t.gaps.push_back({t.sequence.empty() ? 5 : t.sequence.back() + 9, 1, "ottilie brandtner"});
  t.results.push_back({"ottilie_brandtner", 1.0, p.dob});
  t.results.push_back({"px-4711-qz", 2.0, "19610314"});
  t.results.push_back({p.diagnosis, 3.0, "14.03.1961"});
  // The clinical context a session adds to each trial.
  t.side = p.id;
  t.notes = everything;
  t.test_definition = R"({"id": "x", "instructions": ")" + everything + "\"}";
  t.invalid_reason = "seen by " + p.name;
  t.runner_events = {{1.0, p.id, "weighed " + p.name}, {2.0, "result", "valid"}};
  t.pain = {{"after " + p.dob, 3}};
  t.analysis_processing = {"window of " + p.name, "low-pass 10 Hz"};
  t.analysis_warnings = {p.diagnosis};
  return t;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string utf16le(const std::string& s) {
  std::string out;
  for (char c : s) {
    out += c;
    out += '\0';
  }
  return out;
}

TEST(ArchiveExport, Research_PlantedIdentifiersInEveryTextField_NoneInAnyExportedByteOrFileName) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "archive");
  const Planted p;
  Patient patient = make_patient(p.id, p.name, p.dob);
  patient.diagnosis = p.diagnosis;
  patient.notes = p.notes + " " + p.name + " " + p.dob;
  a.add_patient(patient);
  a.add_patient(make_patient("P002", "Carl Dahl", "1955-01-30"));
  Session s = make_session(p.id, "2026-01-10T09:00:00Z");
  s.notes = p.session_notes + " " + p.name;
  const Session s1 = a.add_session(s);
  s.started_at_utc = "2026-03-20T09:00:00Z";
  const Session s2 = a.add_session(s);
  const Session other = a.add_session(make_session("P002", "2026-02-01T09:00:00Z"));
  const std::string source = "source-file-of " + p.name + " " + p.dob + ".csv";
  a.add_trial(s1.id, planted_trial(p, test::realistic_two_plate_trial(), "quiet-stance " + p.name, "2026-01-10T09:05:00Z"),
              {"left", source});
  a.add_trial(s2.id, planted_trial(p, test::one_plate_trial(), "ottilie-brandtner-test", "2026-03-20T09:05:00Z"),
              {"right", source});
  a.add_trial(s2.id, planted_trial(p, test::h5py_imported_trial(), "px-4711-qz", ""), {"none", source});
  a.add_trial(s2.id, planted_trial(p, test::empty_trial(), "single-leg-stance-left", "2026-03-20T09:20:00Z"));
  a.add_trial(other.id, test::realistic_two_plate_trial());

  ResearchExportOptions o;
  o.study = "deid";
  o.destination = dir / "export";
  const ResearchExportSummary summary = a.research_export(o);
  ASSERT_EQ(summary.trials, 5u);
  ASSERT_EQ(summary.subjects, 2u);

  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "export")) {
    const std::string name = lower(fs::relative(e.path(), dir / "export").string());
    const std::string bytes = e.is_regular_file() ? lower(test::file_bytes(e.path())) : std::string();
    files += e.is_regular_file() ? 1 : 0;
    for (const auto& planted : p.scanned()) {
      const std::string needle = lower(planted);
      EXPECT_FALSE(contains(name, needle)) << "'" << planted << "' in the file name " << name;
      EXPECT_FALSE(contains(bytes, needle)) << "'" << planted << "' in " << name;
      EXPECT_FALSE(contains(bytes, utf16le(needle))) << "'" << planted << "' (UTF-16) in " << name;
    }
  }
  EXPECT_EQ(files, 4u + 5u);
  // The scan itself can fail: the same strings are there in the archive's own files.
  const std::string archived = lower(test::file_bytes(dir / "archive" / a.find_trials({p.id, "", "", "", ""})[0].path));
  EXPECT_TRUE(contains(archived, lower(p.id)));
  EXPECT_TRUE(contains(archived, "2026-01-10"));
  // What is kept: structured values that carry no identifier.
  const std::string trials = test::file_bytes(dir / "export/trials.csv");
  EXPECT_TRUE(contains(trials, ",single-leg-stance-left,")) << trials;
  EXPECT_TRUE(contains(trials, ",redacted,")) << trials;
  for (const auto& e : fs::directory_iterator(dir / "export/trials")) {
    const Trial exported = read_trial(e.path());
    EXPECT_TRUE(exported.import_notes.empty());
    EXPECT_EQ(exported.device.serial, "");
    EXPECT_EQ(exported.start_time_utc, "");
    for (const auto& g : exported.gaps) EXPECT_TRUE(g.reason == "gap" || g.reason == "sequence jump") << g.reason;
    for (const auto& m : exported.results) EXPECT_TRUE(m.name == "redacted" || m.name.find('_') != std::string::npos);
  }
}

TEST(ArchiveExport, Research_ExportedTrialReadByDebianH5py_SchemaDeidentificationAndValues) {
  const std::string python = "/usr/bin/python3";
  ASSERT_EQ(std::system((python + " -c 'import h5py, numpy' 2>/dev/null").c_str()), 0)
      << python << " cannot import h5py and numpy; run scripts/install-deps.sh";
  Clinic c;
  ResearchExportOptions o;
  o.study = "h5";
  o.patient_ids = {"P001"};
  o.destination = c.dir / "study";
  c.archive.research_export(o);
  const std::string code = first_code(c.dir / "study");
  const std::string script = std::string(FP_SOURCE_DIR) + "/tests/data/check_research_h5py.py";
  auto check = [&](const fs::path& exported, const TrialRecord& original, int days, int age, bool quiet = false) {
    const std::string cmd = python + " " + script + " '" + exported.string() + "' '" +
                            (c.dir / "archive" / original.path).string() + "' " + code + " " + std::to_string(days) +
                            " " + std::to_string(age) + (quiet ? " >/dev/null" : "");
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(check(c.dir / "study/trials" / (code + "_01.h5"), c.t1, 0, 64), 0) << "see the script's output above";
  EXPECT_EQ(check(c.dir / "study/trials" / (code + "_02.h5"), c.t2, 69, 65), 0) << "see the script's output above";
  // The script can fail: the wrong original, and the wrong day.
  EXPECT_EQ(check(c.dir / "study/trials" / (code + "_01.h5"), c.t2, 0, 64, true), 1);
  EXPECT_EQ(check(c.dir / "study/trials" / (code + "_02.h5"), c.t2, 68, 65, true), 1);
}

}  // namespace
}  // namespace fp::data
