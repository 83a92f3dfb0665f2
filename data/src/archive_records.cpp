// Archive records: the JSON files of patients, sessions and trials, the walk over them, the audit log.
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "archive_impl.hpp"

namespace fp::data::archive_detail {

namespace {

using nlohmann::json;

json parse(const std::string& text, const fs::path& file, const char* format) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw ArchiveError("'" + file.string() + "' is not valid JSON: " + e.what());
  }
  if (!j.is_object() || j.value("format", std::string()) != format) {
    throw ArchiveError("'" + file.string() + "' is not a " + format + " record");
  }
  if (j.value("schema_version", 0) > kArchiveSchemaVersion) {
    throw ArchiveError("'" + file.string() + "' has schema version " + std::to_string(j.value("schema_version", 0)) +
                       ", newer than this program understands (" + std::to_string(kArchiveSchemaVersion) + ")");
  }
  return j;
}

template <class T>
T field(const json& j, const char* name, const fs::path& file) {
  try {
    return j.at(name).get<T>();
  } catch (const json::exception&) {
    throw ArchiveError("'" + file.string() + "': field '" + name + "' is missing or of the wrong type");
  }
}

}  // namespace

std::string patient_to_json(const Patient& p) {
  const json j = {{"format", "forceplate-patient"},
                  {"schema_version", kArchiveSchemaVersion},
                  {"id", p.id},
                  {"name", p.name},
                  {"date_of_birth", p.date_of_birth},
                  {"sex", p.sex},
                  {"height_m", p.height_m},
                  {"mass_kg", p.mass_kg},
                  {"involved_side", p.involved_side},
                  {"diagnosis", p.diagnosis},
                  {"notes", p.notes}};
  return j.dump(2) + "\n";
}

Patient patient_from_json(const std::string& text, const fs::path& file) {
  const json j = parse(text, file, "forceplate-patient");
  Patient p;
  p.id = field<std::string>(j, "id", file);
  p.name = field<std::string>(j, "name", file);
  p.date_of_birth = field<std::string>(j, "date_of_birth", file);
  p.sex = field<std::string>(j, "sex", file);
  p.height_m = field<double>(j, "height_m", file);
  p.mass_kg = field<double>(j, "mass_kg", file);
  p.involved_side = field<std::string>(j, "involved_side", file);
  p.diagnosis = field<std::string>(j, "diagnosis", file);
  p.notes = field<std::string>(j, "notes", file);
  return p;
}

std::string session_to_json(const Session& s) {
  const json j = {{"format", "forceplate-session"},
                  {"schema_version", kArchiveSchemaVersion},
                  {"id", s.id},
                  {"patient_id", s.patient_id},
                  {"started_at_utc", s.started_at_utc},
                  {"notes", s.notes},
                  {"pain_24h", s.pain_24h}};
  return j.dump(2) + "\n";
}

Session session_from_json(const std::string& text, const fs::path& file) {
  const json j = parse(text, file, "forceplate-session");
  Session s;
  s.id = field<std::string>(j, "id", file);
  s.patient_id = field<std::string>(j, "patient_id", file);
  s.started_at_utc = field<std::string>(j, "started_at_utc", file);
  s.notes = field<std::string>(j, "notes", file);
  s.pain_24h = field<int>(j, "pain_24h", file);
  return s;
}

std::string trial_record_to_json(const TrialRecord& r) {
  const json j = {{"format", "forceplate-trial-record"},
                  {"schema_version", kArchiveSchemaVersion},
                  {"id", r.id},
                  {"patient_id", r.patient_id},
                  {"session_id", r.session_id},
                  {"file", fs::path(r.path).filename().string()},
                  {"test", r.test},
                  {"side", r.side},
                  {"recorded_at_utc", r.recorded_at_utc},
                  {"crc32", crc_hex(r.crc32)},
                  {"size_bytes", r.size_bytes},
                  {"complete", r.complete},
                  {"source", r.source}};
  return j.dump(2) + "\n";
}

TrialRecord trial_record_from_json(const std::string& text, const fs::path& file) {
  const json j = parse(text, file, "forceplate-trial-record");
  TrialRecord r;
  r.id = field<std::string>(j, "id", file);
  r.patient_id = field<std::string>(j, "patient_id", file);
  r.session_id = field<std::string>(j, "session_id", file);
  r.test = field<std::string>(j, "test", file);
  r.side = field<std::string>(j, "side", file);
  r.recorded_at_utc = field<std::string>(j, "recorded_at_utc", file);
  const auto crc = parse_crc_hex(field<std::string>(j, "crc32", file));
  if (!crc) throw ArchiveError("'" + file.string() + "': field 'crc32' is not 8 lower-case hex digits");
  r.crc32 = *crc;
  r.size_bytes = field<std::uint64_t>(j, "size_bytes", file);
  r.complete = field<bool>(j, "complete", file);
  r.source = field<std::string>(j, "source", file);
  return r;
}

Scan scan_files(const fs::path& root) {
  Scan scan;
  auto sorted_entries = [&](const fs::path& dir) {
    std::vector<fs::directory_entry> entries;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return entries;
    for (const auto& e : fs::directory_iterator(dir, ec)) entries.push_back(e);
    if (ec) scan.problems.push_back("cannot list '" + fs::relative(dir, root).string() + "': " + ec.message());
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    return entries;
  };
  auto rel = [&](const fs::path& p) { return fs::relative(p, root).string(); };
  auto note_tmp = [&](const fs::directory_entry& e) {
    if (e.path().extension() == ".tmp") {
      scan.leftovers.push_back(rel(e.path()));
      return true;
    }
    return false;
  };

  for (const auto& pe : sorted_entries(root / kPatientsDir)) {
    if (!pe.is_directory()) {
      if (!note_tmp(pe)) scan.problems.push_back("unexpected file '" + rel(pe.path()) + "'");
      continue;
    }
    const fs::path pfile = pe.path() / "patient.json";
    Patient patient;
    try {
      patient = patient_from_json(read_text_file(pfile), rel(pfile));
      if (patient.id != pe.path().filename().string()) {
        throw ArchiveError("'" + rel(pfile) + "' holds patient '" + patient.id + "', not '" +
                           pe.path().filename().string() + "' as its folder says");
      }
    } catch (const ArchiveError& e) {
      scan.problems.push_back(std::string(e.what()) + " (its sessions and trials are not indexed)");
      continue;
    }
    scan.patients.push_back(patient);
    for (const auto& e : sorted_entries(pe.path())) note_tmp(e);
    for (const auto& se : sorted_entries(pe.path() / "sessions")) {
      if (!se.is_directory()) {
        note_tmp(se);
        continue;
      }
      const fs::path sfile = se.path() / "session.json";
      Session session;
      try {
        session = session_from_json(read_text_file(sfile), rel(sfile));
        if (session.id != se.path().filename().string() || session.patient_id != patient.id) {
          throw ArchiveError("'" + rel(sfile) + "' does not match its folder (session '" + session.id +
                             "' of patient '" + session.patient_id + "')");
        }
      } catch (const ArchiveError& e) {
        scan.problems.push_back(std::string(e.what()) + " (its trials are not indexed)");
        continue;
      }
      scan.sessions.push_back(session);
      for (const auto& e : sorted_entries(se.path())) note_tmp(e);
      for (const auto& te : sorted_entries(se.path() / "trials")) {
        if (note_tmp(te) || te.path().extension() != ".h5") continue;
        ScannedTrial t;
        t.h5 = fs::relative(te.path(), root);
        const fs::path record_file = trial_record_file(te.path());
        try {
          TrialRecord r = trial_record_from_json(read_text_file(record_file), rel(record_file));
          if (r.id != te.path().stem().string() || r.session_id != session.id || r.patient_id != patient.id) {
            throw ArchiveError("'" + rel(record_file) + "' does not match its trial file");
          }
          r.path = t.h5.string();
          t.record = r;
        } catch (const ArchiveError& e) {
          t.record_problem = e.what();
        }
        scan.trials.push_back(std::move(t));
      }
    }
  }
  return scan;
}

void audit(const fs::path& root, const std::string& action, const std::string& what, const std::string& study,
           std::size_t trials, const fs::path& destination) {
  const char* user = std::getenv("USER");
  json j = {{"time_utc", now_utc()},
            {"action", action},
            {"what", what},
            {"trials", trials},
            {"destination", destination.string()},
            {"user", user ? user : ""},
            {"pid", static_cast<long>(::getpid())}};
  if (!study.empty()) j["study"] = study;
  append_line_durably(root / kAuditFile, j.dump());
}

}  // namespace fp::data::archive_detail
