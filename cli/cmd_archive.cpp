// `forceplate archive ...`: the clinic's archive of patients, sessions and trials (docs/archive.md).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "forceplate/data/archive.hpp"
#include "forceplate/data/table_import.hpp"

namespace fp::cli {

namespace {

using data::Archive;

struct ArchiveArgs {
  std::string dir;  // --archive; empty: FORCEPLATE_ARCHIVE, then the per-user data folder
  bool json = false;
};

std::filesystem::path archive_dir(const ArchiveArgs& a) {
  return a.dir.empty() ? data::default_archive_dir() : std::filesystem::path(a.dir);
}

Archive open_archive(const ArchiveArgs& a) { return Archive::open(archive_dir(a)); }

data::ExportFormat format_of(const std::string& f) {
  return f == "hdf5" ? data::ExportFormat::hdf5 : data::ExportFormat::csv;
}

nlohmann::json to_json(const data::Patient& p) {
  return {{"id", p.id},       {"name", p.name},         {"date_of_birth", p.date_of_birth},
          {"sex", p.sex},     {"height_m", p.height_m}, {"mass_kg", p.mass_kg},
          {"involved_side", p.involved_side}, {"diagnosis", p.diagnosis}, {"notes", p.notes}};
}

nlohmann::json to_json(const data::Session& s) {
  return {{"id", s.id},     {"patient_id", s.patient_id}, {"started_at_utc", s.started_at_utc},
          {"notes", s.notes}, {"pain_24h", s.pain_24h},  {"trials", s.trial_count}};
}

nlohmann::json to_json(const data::TrialRecord& t) {
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08x", t.crc32);
  return {{"id", t.id},     {"patient_id", t.patient_id}, {"session_id", t.session_id}, {"path", t.path},
          {"test", t.test}, {"side", t.side},             {"recorded_at_utc", t.recorded_at_utc},
          {"crc32", crc},   {"size_bytes", t.size_bytes}, {"complete", t.complete},   {"source", t.source}};
}

void print_trials(const std::vector<data::TrialRecord>& trials, bool json) {
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : trials) out.push_back(to_json(t));
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (const auto& t : trials) {
    std::cout << t.id << "  " << t.recorded_at_utc << "  " << t.test << "  " << t.side
              << (t.complete ? "" : "  (incomplete)") << "\n";
  }
}

void add_common(CLI::App* cmd, const std::shared_ptr<ArchiveArgs>& args) {
  cmd->add_option("--archive", args->dir,
                  "archive folder (default: $FORCEPLATE_ARCHIVE, else $XDG_DATA_HOME/forceplate/archive, "
                  "else ~/.local/share/forceplate/archive)");
}

}  // namespace

void add_archive(CLI::App& app) {
  auto args = std::make_shared<ArchiveArgs>();
  CLI::App* archive = app.add_subcommand("archive", "The archive of patients, sessions and trials (docs/archive.md)");
  archive->require_subcommand(1);
  add_common(archive, args);
  archive->fallthrough();

  {
    CLI::App* cmd = archive->add_subcommand("init", "Create a new, empty archive (owner-only permissions)");
    cmd->callback([args] {
      const Archive a = Archive::create(archive_dir(*args));
      std::cout << "created archive " << a.root().string() << "\n";
    });
  }
  {
    auto p = std::make_shared<data::Patient>();
    CLI::App* cmd = archive->add_subcommand("add-patient", "Add a patient");
    cmd->add_option("id", p->id, "patient id: letters, digits, . _ - (e.g. the clinic's record number)")->required();
    cmd->add_option("--name", p->name, "full name")->required();
    cmd->add_option("--dob", p->date_of_birth, "date of birth, YYYY-MM-DD");
    cmd->add_option("--sex", p->sex, "female, male, other or unknown")->capture_default_str();
    cmd->add_option("--height", p->height_m, "height in m")->check(CLI::NonNegativeNumber);
    cmd->add_option("--mass", p->mass_kg, "mass in kg")->check(CLI::NonNegativeNumber);
    cmd->add_option("--involved-side", p->involved_side, "left, right, both or none")->capture_default_str();
    cmd->add_option("--diagnosis", p->diagnosis, "diagnosis");
    cmd->add_option("--notes", p->notes, "notes");
    cmd->callback([args, p] {
      Archive a = open_archive(*args);
      a.add_patient(*p);
      std::cout << "added patient " << p->id << "\n";
    });
  }
  {
    auto search = std::make_shared<std::string>();
    CLI::App* cmd = archive->add_subcommand("list-patients", "List patients, or those whose name or id contains SEARCH");
    cmd->add_option("search", *search, "part of a name or id (case-insensitive)");
    cmd->add_flag("--json", args->json, "print JSON");
    cmd->callback([args, search] {
      const Archive a = open_archive(*args);
      const auto patients = a.list_patients(*search);
      if (args->json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : patients) out.push_back(to_json(p));
        std::cout << out.dump(2) << "\n";
        return;
      }
      for (const auto& p : patients) {
        std::cout << p.id << "  " << p.name << "  " << (p.date_of_birth.empty() ? "-" : p.date_of_birth) << "\n";
      }
    });
  }
  {
    auto s = std::make_shared<data::Session>();
    CLI::App* cmd = archive->add_subcommand("add-session", "Start a session of a patient; prints its id");
    cmd->add_option("patient", s->patient_id, "patient id")->required();
    cmd->add_option("--at", s->started_at_utc, "start, UTC YYYY-MM-DDTHH:MM:SSZ (default: now)");
    cmd->add_option("--pain", s->pain_24h, "pain over the last 24 h, 0-10")->check(CLI::Range(0, 10));
    cmd->add_option("--notes", s->notes, "notes");
    cmd->callback([args, s] {
      Archive a = open_archive(*args);
      std::cout << a.add_session(*s).id << "\n";
    });
  }
  {
    auto patient = std::make_shared<std::string>();
    CLI::App* cmd = archive->add_subcommand("list-sessions", "List the sessions of a patient, oldest first");
    cmd->add_option("patient", *patient, "patient id")->required();
    cmd->add_flag("--json", args->json, "print JSON");
    cmd->callback([args, patient] {
      const Archive a = open_archive(*args);
      const auto sessions = a.list_sessions(*patient);
      if (args->json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& s : sessions) out.push_back(to_json(s));
        std::cout << out.dump(2) << "\n";
        return;
      }
      for (const auto& s : sessions) {
        std::cout << s.id << "  " << s.started_at_utc << "  " << s.trial_count << " trial"
                  << (s.trial_count == 1 ? "" : "s") << (s.pain_24h >= 0 ? "  pain " + std::to_string(s.pain_24h) : "")
                  << "\n";
      }
    });
  }
  {
    auto q = std::make_shared<data::TrialQuery>();
    CLI::App* cmd = archive->add_subcommand("list-trials", "List trials, optionally of a patient, session, test or dates");
    cmd->add_option("--patient", q->patient_id, "patient id");
    cmd->add_option("--session", q->session_id, "session id");
    cmd->add_option("--test", q->test, "test name");
    cmd->add_option("--from", q->from_date, "first date, YYYY-MM-DD");
    cmd->add_option("--to", q->to_date, "last date, YYYY-MM-DD");
    cmd->add_flag("--json", args->json, "print JSON");
    cmd->callback([args, q] {
      const Archive a = open_archive(*args);
      print_trials(a.find_trials(*q), args->json);
    });
  }
  {
    auto file = std::make_shared<std::string>();
    auto o = std::make_shared<data::ImportTrialOptions>();
    CLI::App* cmd = archive->add_subcommand("import", "Add a recording (HDF5 trial or a table of docs/import.md) as a trial");
    cmd->add_option("file", *file, "the recording")->required();
    cmd->add_option("--patient", o->patient_id, "patient id")->required();
    cmd->add_option("--session", o->session_id, "session id (default: a new session)");
    cmd->add_option("--test", o->test, "test name (default: the file's own, else quiet-stance)");
    cmd->add_option("--side", o->side, "left, right, both or none")->capture_default_str();
    cmd->add_option("--rate", o->rate_hz, "sample rate in Hz of a file without a time column")->check(CLI::PositiveNumber);
    cmd->add_option("--layout", o->layout, "file layout (docs/import.md); default: recognised from the file")
        ->capture_default_str();
    cmd->add_flag("--json", args->json, "print the new trial as JSON");
    cmd->callback([args, file, o] {
      Archive a = open_archive(*args);
      const data::TrialRecord r = a.import_trial(*file, *o);
      if (args->json) {
        std::cout << to_json(r).dump(2) << "\n";
      } else {
        std::cout << "imported " << *file << " as trial " << r.id << " (session " << r.session_id << ")\n";
      }
    });
  }
  {
    auto keep = std::make_shared<bool>(false);
    CLI::App* cmd = archive->add_subcommand(
        "verify", "Check every trial file against its checksum and the index against the files; damaged files are "
                  "moved to quarantine/. Exit status 1 if anything is wrong");
    cmd->add_flag("--no-quarantine", *keep, "only report damaged files, leave them where they are");
    cmd->callback([args, keep] {
      Archive a = open_archive(*args);
      const data::VerifyReport r = a.verify(!*keep);
      for (const auto& line : r.problems) std::cout << "problem: " << line << "\n";
      for (const auto& line : r.notes) std::cout << "note: " << line << "\n";
      std::cout << r.trials_ok << " of " << r.trials_checked << " trials intact";
      if (!r.quarantined.empty()) std::cout << ", " << r.quarantined.size() << " moved to quarantine";
      std::cout << "\n";
      if (!r.ok()) {
        throw std::runtime_error("archive '" + a.root().string() + "' has " + std::to_string(r.problems.size()) +
                                 " problem" + (r.problems.size() == 1 ? "" : "s") + " (listed above)");
      }
    });
  }
  {
    CLI::App* cmd = archive->add_subcommand("rebuild-index", "Rebuild the index from the files alone");
    cmd->callback([args] {
      Archive a = open_archive(*args);
      const data::RebuildReport r = a.rebuild_index();
      for (const auto& line : r.problems) std::cout << "problem: " << line << "\n";
      std::cout << "indexed " << r.patients << " patients, " << r.sessions << " sessions, " << r.trials
                << " trials\n";
    });
  }
  for (const bool session : {false, true}) {
    auto id = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("csv");
    CLI::App* cmd = archive->add_subcommand(
        session ? "export-session" : "export-trial",
        session ? "Export every trial of a session (CSV: time series and measures; or HDF5 copies)"
                : "Export a trial (CSV: time series and measures; or an HDF5 copy)");
    cmd->add_option(session ? "session" : "trial", *id, session ? "session id" : "trial id")->required();
    cmd->add_option("--out", *out, "folder to write into (created if needed; files are never overwritten)")->required();
    cmd->add_option("--format", *format, "csv or hdf5")->check(CLI::IsMember({"csv", "hdf5"}))->capture_default_str();
    cmd->callback([args, id, out, format, session] {
      Archive a = open_archive(*args);
      const auto files = session ? a.export_session(*id, *out, format_of(*format))
                                 : a.export_trial(*id, *out, format_of(*format));
      for (const auto& f : files) std::cout << f.string() << "\n";
    });
  }
  {
    auto o = std::make_shared<data::ResearchExportOptions>();
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = archive->add_subcommand(
        "research-export", "De-identified export of a cohort for research (docs/archive.md, 'Research export')");
    cmd->add_option("--study", o->study, "study name; subject codes are stable within a study")->required();
    cmd->add_option("--out", *out, "new (or empty) folder for the export")->required();
    cmd->add_option("--patient", o->patient_ids, "patient id (repeat; default: every patient)");
    cmd->add_option("--test", o->tests, "test name (repeat; default: every test)");
    cmd->add_option("--from", o->from_date, "first date, YYYY-MM-DD");
    cmd->add_option("--to", o->to_date, "last date, YYYY-MM-DD");
    cmd->callback([args, o, out] {
      Archive a = open_archive(*args);
      o->destination = *out;
      const data::ResearchExportSummary s = a.research_export(*o);
      std::cout << "exported " << s.trials << " trials of " << s.subjects << " subjects (" << s.measure_rows
                << " measure rows) to " << std::filesystem::absolute(*out).string() << "\n";
    });
  }
}

}  // namespace fp::cli
