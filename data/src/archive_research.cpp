// De-identified research export of a cohort (docs/archive.md, "Research export").
//
// Three lines of defence against a leak:
// 1. Nothing identifying is copied: names, dates of birth, dates, notes, diagnosis, import notes,
//    device serials and file names are never written; patients become study codes.
// 2. The few strings that are kept (test names, measure names and units, versions, gap reasons)
//    must match a strict pattern and must not contain any identifier of the cohort, else they are
//    replaced by "redacted".
// 3. Before the export folder appears, every byte and file name of it is scanned for the
//    identifiers (ASCII case-insensitive, and UTF-16LE); a hit stops the export and nothing is left.
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include "archive_export.hpp"
#include "archive_impl.hpp"
#include "h5_io.hpp"
#include "sha256.hpp"
#include "forceplate/data/trial_file.hpp"

namespace fp::data {

namespace ad = archive_detail;
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The identifying strings of one patient and their sessions, lower-case.
std::vector<std::string> identifiers(const Patient& p, const std::vector<Session>& sessions) {
  std::vector<std::string> out = {p.id, p.name, p.diagnosis, p.notes};
  for (const auto& s : sessions) out.push_back(s.notes);
  // Name words: "Jane Q. O'Brien-Smith" -> jane, brien, smith, o'brien-smith ...
  std::string word;
  for (char c : p.name + " ") {
    if (std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      word += c;
    } else {
      out.push_back(word);
      word.clear();
    }
  }
  std::istringstream whole(p.name);
  for (std::string w; whole >> w;) out.push_back(w);
  if (p.date_of_birth.size() == 10) {
    const std::string y = p.date_of_birth.substr(0, 4), m = p.date_of_birth.substr(5, 2),
                      d = p.date_of_birth.substr(8, 2);
    for (const std::string& f : {y + "-" + m + "-" + d, d + "/" + m + "/" + y, m + "/" + d + "/" + y, y + m + d,
                                 d + "." + m + "." + y, d + "-" + m + "-" + y, y + "/" + m + "/" + d, d + m + y,
                                 m + d + y}) {
      out.push_back(f);
    }
  }
  std::vector<std::string> result;
  for (auto& s : out) {
    std::string t = lower(s);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(0, 1);
    if (t.size() >= 3) result.push_back(t);
  }
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

bool mentions(const std::string& text, const std::vector<std::string>& ids) {
  const std::string t = lower(text);
  return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return t.find(id) != std::string::npos; });
}

bool only(const std::string& s, std::size_t max, const char* allowed_punctuation, bool upper_ok) {
  if (s.size() > max) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (upper_ok && c >= 'A' && c <= 'Z') ||
                    (u < 0x80 && c != '\0' && std::string(allowed_punctuation).find(c) != std::string::npos);
    if (!ok) return false;
  }
  return true;
}

bool unit_like(std::string s) {
  for (const char* special : {"\u00b2", "\u00b3", "\u00b0", "\u00b7", "\u00b5"}) {
    for (std::size_t at; (at = s.find(special)) != std::string::npos;) s.replace(at, std::string(special).size(), "u");
  }
  return only(s, 16, "/%^.*() -", true);
}

struct Scrubber {
  std::vector<std::string> ids;
  std::string keep(const std::string& s, bool pattern_ok, const std::string& replacement) const {
    return pattern_ok && !mentions(s, ids) ? s : replacement;
  }
  Trial scrub(Trial t) const {
    t.test_name = keep(t.test_name, !t.test_name.empty() && only(t.test_name, 64, "-_", false), "redacted");
    t.start_time_utc.clear();
    t.device.serial.clear();
    t.device.firmware_version = keep(t.device.firmware_version, only(t.device.firmware_version, 32, ".+_-", true), "");
    t.software_version = keep(t.software_version, only(t.software_version, 32, ".+_-", true), "");
    t.analysis_version = keep(t.analysis_version, only(t.analysis_version, 32, ".+_-", true), "");
    t.import_notes.clear();
    if (!t.recovered_from_journal.empty()) {
      t.recovered_from_journal = "Recovered from an interrupted recording: the samples stop early.";
    }
    for (auto& g : t.gaps) g.reason = keep(g.reason, only(g.reason, 64, " .,()-", false), "gap");
    for (auto& m : t.results) {
      m.name = keep(m.name, !m.name.empty() && only(m.name, 64, "_", false), "redacted");
      m.unit = keep(m.unit, unit_like(m.unit), "");
    }
    // Clinical context: the clinician's notes are free text (dropped); the rest is written by the
    // program, and kept only where it passes the same pattern and mentions no one.
    t.notes.clear();
    t.side = t.side == "left" || t.side == "right" ? t.side : "";
    t.test_definition.clear();  // a clinic's own definition may hold any text; the test name stays
    t.invalid_reason = t.invalid_reason.empty() ? "" : keep(t.invalid_reason, only(t.invalid_reason, 200, " .,()%:-", false), "invalid");
    for (auto& e : t.runner_events) {
      e.state = keep(e.state, only(e.state, 32, "-_", false), "state");
      e.message = keep(e.message, only(e.message, 200, " .,()%:-", false), "");
    }
    for (auto& p : t.pain) p.when = keep(p.when, only(p.when, 16, "-", false), "rating");
    const auto safe_lines = [&](std::vector<std::string>& lines) {
      std::vector<std::string> kept;
      for (const auto& l : lines) {
        if (only(l, 300, " .,()%:=+-/", false) && !mentions(l, ids)) kept.push_back(l);
      }
      lines = kept;
    };
    safe_lines(t.analysis_processing);
    safe_lines(t.analysis_warnings);
    return t;
  }
};

std::string study_salt(const fs::path& root, const std::string& study) {
  const fs::path file = root / ad::kStudiesDir / (study + ".json");
  if (fs::exists(file)) {
    const auto j = nlohmann::json::parse(ad::read_text_file(file), nullptr, false);
    if (j.is_discarded() || !j.contains("salt") || !j["salt"].is_string() || j["salt"].get<std::string>().size() != 64) {
      throw ArchiveError("the study record '" + file.string() + "' is damaged: its codes cannot be reproduced");
    }
    return j["salt"].get<std::string>();
  }
  std::random_device device;
  ad::Digest bytes{};
  for (auto& b : bytes) b = static_cast<std::uint8_t>(device() & 0xffu);
  const std::string salt = ad::to_hex(bytes);
  const nlohmann::json j = {{"format", "forceplate-study"},
                            {"schema_version", kArchiveSchemaVersion},
                            {"study", study},
                            {"created_utc", ad::now_utc()},
                            {"salt", salt},
                            {"note", "Secret key of this study's subject codes; never export it."}};
  ad::write_file_durably(file, j.dump(2) + "\n", /*must_be_new=*/true, 0600);
  return salt;
}

std::string study_code(const std::string& salt, const std::string& patient_id) {
  return "sub-" + ad::to_hex(ad::hmac_sha256(salt, "forceplate study code 1\n" + patient_id)).substr(0, 10);
}

void add_attributes(const fs::path& file, const std::string& code, int day, int age) {
  try {
    h5::silence_errors();
    h5::Handle f(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "cannot open");
    h5::write_attribute(f.get(), ".", "study_code", code);
    h5::write_attribute(f.get(), ".", "days_since_first_session", static_cast<std::int32_t>(day));
    h5::write_attribute(f.get(), ".", "age_years", static_cast<std::int32_t>(age));
    h5::write_attribute(f.get(), ".", "deidentified", std::int32_t{1});
    f.close_checked("cannot close");
  } catch (const std::exception& e) {
    throw ArchiveError("cannot write '" + file.string() + "': " + e.what());
  }
}

// Finds `needle` (lower-case ASCII) in `haystack`, ASCII case-insensitively, as bytes or as UTF-16LE.
bool contains_folded(const std::string& haystack_lower, const std::string& needle) {
  if (haystack_lower.find(needle) != std::string::npos) return true;
  std::string wide;
  for (char c : needle) {
    wide += c;
    wide += '\0';
  }
  return haystack_lower.find(wide) != std::string::npos;
}

const char* const kDictionary =
    "file,column,type,unit,description\n"
    "trials.csv;measures.csv,subject,text,,Study code of the subject: the same person has the same code in every export "
    "of this study and an unrelated code in other studies\n"
    "trials.csv;measures.csv,trial_file,text,,The trial's HDF5 file in trials/ (layout: docs/archive.md of forceplate)\n"
    "trials.csv;measures.csv,test,text,,Test protocol (e.g. quiet-stance); 'redacted' if the stored name could not be "
    "shown safely\n"
    "trials.csv;measures.csv,side,text,,Side tested: left; right; both; none\n"
    "trials.csv;measures.csv,day,integer,days,Days from the subject's first session in the clinic's archive to this "
    "trial\n"
    "trials.csv;measures.csv,age_years,integer,years,Age in whole years on the day of the trial; empty if unknown\n"
    "trials.csv;measures.csv,sex,text,,female; male; other; unknown\n"
    "trials.csv;measures.csv,height_m,number,m,Body height; empty if unknown\n"
    "trials.csv;measures.csv,mass_kg,number,kg,Body mass; empty if unknown\n"
    "trials.csv;measures.csv,involved_side,text,,Side of the condition: left; right; both; none\n"
    "trials.csv;measures.csv,pain_24h,integer,0-10,Pain over the 24 h before the session; empty if not asked\n"
    "trials.csv;measures.csv,complete,integer,,1 if the recording ran to its end; 0 if it was cut off and recovered\n"
    "trials.csv,sample_rate_hz,number,Hz,Nominal sample rate\n"
    "trials.csv,samples,integer,,Number of samples\n"
    "trials.csv,plates,integer,,Number of force plates (1 or 2)\n"
    "trials.csv,measures,integer,,Number of stored measures (rows of measures.csv)\n"
    "measures.csv,measure,text,,Measure name (snake_case); one row per trial and measure; trials without measures "
    "have no row\n"
    "measures.csv,value,number,see unit,Value of the measure\n"
    "measures.csv,unit,text,,Display unit of the value (e.g. mm; mm/s; mm\u00b2)\n";

struct Chosen {
  TrialRecord record;
  std::string code;
  Patient patient;
  long first_day = 0;
  int pain_24h = -1;
};

}  // namespace

ResearchExportSummary Archive::research_export(const ResearchExportOptions& o) {
  ad::check_id(o.study, "study name");
  if (!o.from_date.empty()) ad::check_date(o.from_date, "from date");
  if (!o.to_date.empty()) ad::check_date(o.to_date, "to date");
  if (o.destination.empty()) throw ArchiveError("research export: no destination folder given");
  const fs::path destination = fs::absolute(o.destination);
  std::error_code ec;
  if (fs::exists(destination) && !fs::is_empty(destination, ec)) {
    throw ArchiveError("research export: destination '" + destination.string() + "' exists and is not empty");
  }
  {
    const auto r = fs::relative(destination, impl_->root, ec);
    if (!ec && !r.empty() && *r.begin() != "..") {
      throw ArchiveError("research export: destination '" + destination.string() + "' is inside the archive");
    }
  }

  std::string salt;
  {
    ad::LockGuard guard(*impl_->lock, true, "create study '" + o.study + "'");
    salt = study_salt(impl_->root, o.study);
  }

  ResearchExportSummary summary;
  const fs::path staging = destination.parent_path() / (".fp-export-" + std::to_string(::getpid()) + ".partial");
  try {
    ad::LockGuard guard(*impl_->lock, false, "research export of study '" + o.study + "'");
    std::vector<Patient> patients;
    if (o.patient_ids.empty()) {
      patients = impl_->index->patients("");
    } else {
      for (const auto& id : o.patient_ids) patients.push_back(impl_->patient(id));
    }
    std::vector<std::string> all_ids;
    std::vector<Chosen> chosen;
    std::set<std::string> codes;
    for (const auto& p : patients) {
      const std::vector<Session> sessions = impl_->index->sessions(p.id);
      for (auto& id : identifiers(p, sessions)) all_ids.push_back(id);
      std::map<std::string, int> pain;
      long first_day = 0;
      bool have_first = false;
      for (const auto& s : sessions) {
        pain[s.id] = s.pain_24h;
        if (auto d = ad::day_number(s.started_at_utc); d && (!have_first || *d < first_day)) {
          first_day = *d;
          have_first = true;
        }
      }
      const std::string code = study_code(salt, p.id);
      if (!codes.insert(code).second) throw ArchiveError("research export: two subjects got the same study code; try another study name");
      std::vector<std::string> tests = o.tests.empty() ? std::vector<std::string>{""} : o.tests;
      std::vector<TrialRecord> trials;
      for (const auto& test : tests) {
        TrialQuery q;
        q.patient_id = p.id;
        q.test = test;
        q.from_date = o.from_date;
        q.to_date = o.to_date;
        for (auto& r : impl_->index->trials(q)) trials.push_back(std::move(r));
      }
      std::sort(trials.begin(), trials.end(), [](const auto& a, const auto& b) {
        return std::tie(a.recorded_at_utc, a.id) < std::tie(b.recorded_at_utc, b.id);
      });
      for (auto& r : trials) {
        if (!have_first) {
          if (auto d = ad::day_number(r.recorded_at_utc)) first_day = *d, have_first = true;
        }
        chosen.push_back(Chosen{r, code, p, first_day, pain.count(r.session_id) ? pain[r.session_id] : -1});
      }
    }
    std::sort(all_ids.begin(), all_ids.end());
    all_ids.erase(std::unique(all_ids.begin(), all_ids.end()), all_ids.end());
    const Scrubber scrubber{all_ids};

    fs::create_directories(destination.parent_path(), ec);
    fs::remove_all(staging, ec);
    ad::make_private_dir(staging);
    ad::make_private_dir(staging / "trials");
    std::string trials_csv =
        "subject,trial_file,test,side,day,age_years,sex,height_m,mass_kg,involved_side,pain_24h,complete,"
        "sample_rate_hz,samples,plates,measures\n";
    std::string measures_csv =
        "subject,trial_file,test,side,day,age_years,sex,height_m,mass_kg,involved_side,pain_24h,complete,measure,"
        "value,unit\n";
    std::map<std::string, int> ordinal;
    std::set<std::string> subjects;
    for (const auto& c : chosen) {
      const fs::path source = impl_->root / c.record.path;
      std::uint64_t size = 0;
      if (!fs::exists(source) || ad::file_crc32(source, &size) != c.record.crc32 || size != c.record.size_bytes) {
        throw ArchiveError("trial '" + c.record.id + "' is missing or does not match its checksum; nothing was "
                           "exported (run 'forceplate archive verify')");
      }
      Trial trial;
      try {
        trial = scrubber.scrub(fp::data::read_trial(source));
      } catch (const ArchiveError&) {
        throw;
      } catch (const std::exception& e) {
        throw ArchiveError(e.what());
      }
      const int n = ++ordinal[c.code];
      const std::string name = c.code + "_" + (n < 10 ? "0" : "") + std::to_string(n) + ".h5";
      const auto day_of_trial = ad::day_number(c.record.recorded_at_utc);
      const int day = day_of_trial ? static_cast<int>(*day_of_trial - c.first_day) : 0;
      const auto age = ad::age_in_years(c.patient.date_of_birth, c.record.recorded_at_utc);
      try {
        write_trial(staging / "trials" / name, trial);
      } catch (const std::exception& e) {
        throw ArchiveError(e.what());
      }
      add_attributes(staging / "trials" / name, c.code, day, age ? *age : -1);
      subjects.insert(c.code);

      const std::string side = c.record.side == "left" || c.record.side == "right" || c.record.side == "both"
                                   ? c.record.side
                                   : "none";
      const std::string common =
          c.code + ",trials/" + name + "," + ad::csv_field(trial.test_name) + "," + side + "," + std::to_string(day) +
          "," + (age ? std::to_string(*age) : "") + "," + c.patient.sex + "," +
          (c.patient.height_m > 0 ? ad::csv_number(c.patient.height_m) : "") + "," +
          (c.patient.mass_kg > 0 ? ad::csv_number(c.patient.mass_kg) : "") + "," + c.patient.involved_side + "," +
          (c.pain_24h >= 0 ? std::to_string(c.pain_24h) : "") + "," + (trial.complete ? "1" : "0");
      trials_csv += common + "," + ad::csv_number(trial.sample_rate_hz) + "," + std::to_string(trial.sample_count()) +
                    "," + std::to_string(trial.plate_count()) + "," + std::to_string(trial.results.size()) + "\n";
      for (const auto& m : trial.results) {
        measures_csv +=
            common + "," + ad::csv_field(m.name) + "," + ad::csv_number(m.value) + "," + ad::csv_field(m.unit) + "\n";
        ++summary.measure_rows;
      }
      ++summary.trials;
    }
    summary.subjects = subjects.size();
    ad::write_file_durably(staging / "trials.csv", trials_csv, true);
    ad::write_file_durably(staging / "measures.csv", measures_csv, true);
    ad::write_file_durably(staging / "data_dictionary.csv", kDictionary, true);
    const std::string readme =
        "De-identified research export from a forceplate archive (archive schema version " +
        std::to_string(kArchiveSchemaVersion) + ").\n\n" + std::to_string(summary.subjects) + " subjects, " +
        std::to_string(summary.trials) + " trials, " + std::to_string(summary.measure_rows) +
        " measure rows.\n\n"
        "trials/            one HDF5 file per trial (schema: docs/archive.md of forceplate, trial schema version " +
        std::to_string(kTrialSchemaVersion) +
        "); de-identified: start_time_utc, device_serial and import notes are empty, and the root attributes "
        "study_code, days_since_first_session, age_years (-1: unknown) and deidentified = 1 are added.\n"
        "trials.csv         one row per trial.\n"
        "measures.csv       one row per trial and measure (tidy).\n"
        "data_dictionary.csv  the columns of both tables.\n\n"
        "Subjects are study codes: stable within this study, unlinkable across studies. Dates are days since each "
        "subject's first session; ages are whole years on the day of the trial. Names, dates of birth, dates, "
        "notes, diagnoses and source file names are not exported.\n";
    ad::write_file_durably(staging / "README.txt", readme, true);

    // The last line of defence: scan every byte and file name for the identifiers. An identifier that
    // also occurs in the program's own fixed text (column names, the dictionary, the README, the names
    // and descriptions of the HDF5 layout: a patient called "Mass" or "Sample") cannot be told from
    // the format there; it is still kept out of every copied string (Scrubber), so the scan skips it.
    const std::string fixed_text = lower(std::string(kDictionary) + trials_csv.substr(0, trials_csv.find('\n')) +
                                         measures_csv.substr(0, measures_csv.find('\n')) + readme);
    std::string fixed_h5;
    {
      Trial reference;
      reference.cells_per_plate = 4;
      reference.plates.resize(1);
      reference.plates[0].cell_x_m = reference.plates[0].cell_y_m = {0, 0, 0, 0};
      reference.plates[0].gain_n_per_count = reference.plates[0].offset_counts = {1, 1, 1, 1};
      reference.sample_rate_hz = 1;
      reference.results = {{"x", 0, "mm"}};
      reference.gaps = {{0, 1, "gap"}};
      reference.import_notes = {"x"};
      reference.complete = false;
      reference.recovered_from_journal = "x";
      const fs::path file = staging / ".reference.h5";
      try {
        write_trial(file, reference);
        add_attributes(file, "sub-0", 0, 0);
      } catch (const std::exception& e) {
        throw ArchiveError(e.what());
      }
      fixed_h5 = lower(ad::read_text_file(file));
      fs::remove(file, ec);
    }
    for (const auto& e : fs::recursive_directory_iterator(staging)) {
      const std::string rel = lower(fs::relative(e.path(), staging).string());
      const bool binary = e.path().extension() == ".h5";
      std::string bytes = e.is_regular_file() ? lower(ad::read_text_file(e.path())) : std::string();
      for (const auto& id : all_ids) {
        if (id.size() < (binary ? 6u : 4u)) continue;
        if (contains_folded(binary ? fixed_h5 : fixed_text, id)) continue;
        if (rel.find(id) != std::string::npos || contains_folded(bytes, id)) {
          throw ArchiveError("research export stopped: an identifier of a patient was found in '" +
                             fs::relative(e.path(), staging).string() + "'; nothing was exported");
        }
      }
    }
    if (fs::exists(destination)) fs::remove(destination, ec);  // empty
    fs::rename(staging, destination, ec);
    if (ec) throw ArchiveError("cannot create '" + destination.string() + "': " + ec.message());
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  for (const auto& e : fs::recursive_directory_iterator(destination)) {
    if (e.is_regular_file()) summary.files.push_back(e.path());
  }
  std::sort(summary.files.begin(), summary.files.end());
  ad::LockGuard guard(*impl_->lock, true, "record an export in the audit log");
  ad::audit(impl_->root, "research-export",
            std::to_string(summary.subjects) + " subjects" + (o.tests.empty() ? std::string() : ", selected tests") +
                (o.from_date.empty() && o.to_date.empty() ? std::string() : ", date range " + o.from_date + ".." + o.to_date),
            o.study, summary.trials, destination);
  return summary;
}

}  // namespace fp::data
