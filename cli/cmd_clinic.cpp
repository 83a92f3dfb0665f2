// The clinic's commands: `run` one test through the trial runner (plate or simulator), `session`
// (start a visit, show its results) and `compare` a patient's sessions (docs/comparison.md).
#include <unistd.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "forceplate/data/archive.hpp"
#include "forceplate/simulator/simulator.hpp"
#include "forceplate/workflow/simulated_patient.hpp"
#include "forceplate/workflow/comparison.hpp"
#include "forceplate/workflow/open_device.hpp"
#include "forceplate/workflow/session_results.hpp"
#include "forceplate/workflow/test_definition.hpp"
#include "forceplate/workflow/trial_driver.hpp"
#include "output.hpp"
#include "sim_flags.hpp"

namespace fp::cli {

namespace {

using workflow::DefinitionSet;

std::filesystem::path archive_dir(const std::string& dir) {
  return dir.empty() ? data::default_archive_dir() : std::filesystem::path(dir);
}

// The built-in definitions and the clinic's own folder; refused files are reported, not fatal.
DefinitionSet definitions(const std::string& clinic_dir) {
  std::vector<std::filesystem::path> dirs{workflow::built_in_definitions_dir()};
  if (!clinic_dir.empty()) dirs.emplace_back(clinic_dir);
  DefinitionSet set = workflow::load_definitions(dirs);
  for (const auto& e : set.errors) std::cerr << "warning: " << e.message() << "\n";
  return set;
}

std::optional<analysis::Side> side_of(const std::string& s) {
  if (s == "left") return analysis::Side::left;
  if (s == "right") return analysis::Side::right;
  return std::nullopt;
}

std::string fmt(double v, int precision = 4) {
  if (!std::isfinite(v)) return "-";
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}

// ---------------------------------------------------------------- run

struct RunArgs {
  std::string test;
  std::string side;
  std::string patient;
  std::string session;
  std::string device = "sim";
  std::string archive;
  std::string definitions;
  int pain_before = -1;
  int pain_after = -1;
  double mass_kg = 0;
  bool yes = false;
  bool json = false;
  SimulatorFlags sim;
  bool scenario_given = false;
};

bool ask_yes(const std::string& question) {
  std::cout << question << " [y/n] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
}

int ask_rating(const std::string& question) {
  for (;;) {
    std::cout << question << " (0-10, empty: not asked) " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || answer.empty()) return -1;
    try {
      const int v = std::stoi(answer);
      if (v >= 0 && v <= 10) return v;
    } catch (const std::exception&) {
    }
    std::cout << "a whole number from 0 to 10, please\n";
  }
}

void run(RunArgs& a) {
  const DefinitionSet defs = definitions(a.definitions);
  const workflow::TestDefinition* def = defs.find(a.test);
  if (def == nullptr) {
    std::string known;
    for (const auto& d : defs.definitions) known += (known.empty() ? "" : ", ") + d.id;
    throw std::invalid_argument("no test definition '" + a.test + "' (known: " + known + ")");
  }
  const auto side = side_of(a.side);
  if ((def->stance != workflow::Stance::double_leg) && !side) {
    throw std::invalid_argument("test '" + def->id + "' is done on one leg: give --side left|right");
  }
  if (!(def->stance != workflow::Stance::double_leg) && side) {
    throw std::invalid_argument("test '" + def->id + "' is a double-leg test: leave out --side");
  }
  const bool interactive = !a.yes && isatty(STDIN_FILENO) != 0;

  // The patient (and the archive) first: a wrong id must not cost a trial.
  std::optional<data::Archive> archive;
  std::optional<data::Patient> patient;
  if (!a.patient.empty()) {
    archive.emplace(data::Archive::open(archive_dir(a.archive)));
    patient = archive->patient(a.patient);
    if (!a.session.empty() && archive->session(a.session).patient_id != patient->id) {
      throw std::invalid_argument("session " + a.session + " belongs to another patient");
    }
  }

  std::unique_ptr<sim::Simulator> simulator;
  std::unique_ptr<acq::DeviceConnection> device;
  if (a.device == "sim") {
    sim::SimulatorConfig c = a.sim.resolve();
    if (!a.scenario_given) c.scenario = workflow::simulated_patient(*def, side, c.scenario);
    if (def->plates == 2) c.plate_count = 2;
    c.scenario.plate_count = c.plate_count;
    simulator = std::make_unique<sim::Simulator>(c);
    simulator->start();
    device = std::make_unique<acq::DeviceConnection>(acq::ConnectionOptions{simulator->port_path()});
    device->connect();
  } else {
    workflow::OpenedDevice opened = workflow::open_device(a.device);
    for (const auto& n : opened.notes) std::cerr << "note: " << n << "\n";
    device = std::move(opened.connection);
  }

  workflow::TrialRunnerConfig rc;
  rc.test = *def;
  rc.side = side;
  rc.device = device->device();
  if (a.mass_kg > 0) rc.recorded_mass_kg = a.mass_kg;
  else if (patient && patient->mass_kg > 0) rc.recorded_mass_kg = patient->mass_kg;
  rc.on_event = [&a](const workflow::RunnerEvent& e) {
    if (!a.json) std::cout << "[" << fmt(e.device_time_s, 5) << " s] " << e.state << ": " << e.message << std::endl;
  };
  workflow::TrialRunner runner(rc);
  if (interactive) a.pain_before = a.pain_before >= 0 ? a.pain_before : ask_rating("Pain now, before the test?");

  std::optional<workflow::TrialOutcome> outcome;
  for (;;) {
    workflow::DriveOptions o;
    double last_shown = -1;
    o.on_progress = [&](const workflow::TrialRunner& r) {
      const auto live = r.live();
      if (!a.json && (live.state == workflow::RunnerState::countdown || live.state == workflow::RunnerState::recording)) {
        const double t = std::ceil(live.time_left_s);
        if (t != last_shown && t >= 0) {
          last_shown = t;
          std::cout << "  " << workflow::to_string(live.state) << ": " << t << " s left\r" << std::flush;
        }
      }
      return true;
    };
    workflow::drive_trial(*device, runner, o);
    if (!runner.outcome()) throw std::runtime_error("the trial ended without a result");
    const workflow::TrialOutcome& out = *runner.outcome();
    if (!a.json) {
      std::cout << "\n" << (out.valid ? "VALID" : "INVALID: " + out.reason) << "\n";
      if (out.analysis) print_result(std::cout, out.analysis->result);
    }
    if (interactive && ask_yes("Redo the trial?")) {
      runner.redo();
      continue;
    }
    outcome = out;
    const bool keep = interactive ? ask_yes(out.valid ? "Accept the trial?" : "Keep the invalid trial in the archive?")
                                  : true;
    if (keep) runner.accept(); else runner.discard();
    if (!keep) outcome.reset();
    break;
  }
  device->close();
  if (simulator) simulator->stop();
  if (!outcome) {
    std::cout << "trial discarded\n";
    return;
  }
  if (interactive && a.pain_after < 0) a.pain_after = ask_rating("Pain now, after the test?");
  data::Trial trial = outcome->trial;
  if (a.pain_before >= 0) trial.pain.push_back({"before", a.pain_before});
  if (a.pain_after >= 0) trial.pain.push_back({"after", a.pain_after});

  nlohmann::json j = {{"test", def->id},
                      {"side", a.side},
                      {"valid", outcome->valid},
                      {"reason", outcome->reason},
                      {"samples", trial.sample_count()}};
  if (outcome->analysis) {
    for (const data::Measurement& m : trial.results) j["metrics"][m.name] = {{"value", m.value}, {"unit", m.unit}};
  }
  if (archive) {
    std::string session_id = a.session;
    if (session_id.empty()) {
      data::Session s;
      s.patient_id = patient->id;
      session_id = archive->add_session(s).id;
    }
    const data::TrialRecord rec = archive->add_trial(session_id, trial, {side ? a.side : "none", ""});
    j["session"] = session_id;
    j["trial"] = rec.id;
    if (!a.json) std::cout << "stored as trial " << rec.id << " of session " << session_id << "\n";
  }
  if (a.json) std::cout << j.dump(2) << "\n";
}

// ---------------------------------------------------------------- session

struct SessionArgs {
  std::string archive;
  std::string definitions;
  std::string patient;
  std::string session;
  std::string notes;
  std::string started_at;
  int pain_24h = -1;
  double lsi_threshold = 90;
  bool json = false;
};

void session_start(const SessionArgs& a) {
  data::Archive archive = data::Archive::open(archive_dir(a.archive));
  data::Session s;
  s.patient_id = a.patient;
  s.notes = a.notes;
  s.pain_24h = a.pain_24h;
  s.started_at_utc = a.started_at;  // empty: now; the archive checks the format
  const data::Session made = archive.add_session(s);
  if (a.json) {
    std::cout << nlohmann::json{{"session", made.id}, {"patient", made.patient_id}, {"started_at_utc", made.started_at_utc}}.dump(2)
              << "\n";
  } else {
    std::cout << made.id << "\n";
  }
}

void session_show(const SessionArgs& a) {
  const data::Archive archive = data::Archive::open(archive_dir(a.archive));
  const DefinitionSet defs = definitions(a.definitions);
  const workflow::SessionResults r = workflow::session_results(archive, a.session, defs);
  const data::Patient patient = archive.patient(r.session.patient_id);
  const workflow::SessionSummary s = workflow::summarize_session(
      r.record, defs, workflow::MeasureCatalog::built_in(), workflow::involved_side(patient), a.lsi_threshold);
  if (a.json) {
    nlohmann::json j = {{"session", r.session.id}, {"patient", patient.id}, {"started_at_utc", r.session.started_at_utc},
                        {"pain_24h", r.session.pain_24h}, {"tests", nlohmann::json::array()},
                        {"symmetry", nlohmann::json::array()}, {"skipped", r.skipped}};
    for (const auto& t : s.tests) {
      nlohmann::json tj = {{"test", t.test}, {"side", t.side ? analysis::to_string(*t.side) : ""}};
      for (const auto& m : t.measures) {
        tj["measures"][m.measure] = {{"value", std::isfinite(m.value) ? nlohmann::json(m.value) : nlohmann::json()},
                                     {"unit", m.unit}, {"combine", workflow::to_string(m.combine)}, {"trials", m.trials}};
      }
      if (t.pain_before) tj["pain_before"] = *t.pain_before;
      if (t.pain_after) tj["pain_after"] = *t.pain_after;
      j["tests"].push_back(tj);
    }
    for (const auto& row : s.symmetry) {
      j["symmetry"].push_back({{"test", row.test}, {"measure", row.measure}, {"unit", row.unit}, {"left", row.left},
                               {"right", row.right}, {"lsi", row.lsi}, {"meets_threshold", row.meets_threshold}});
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "session " << r.session.id << " of " << patient.id << ", " << r.session.started_at_utc << "\n";
  for (const auto& t : s.tests) {
    std::cout << "\n" << t.name << (t.side ? std::string(" (") + analysis::to_string(*t.side) + ")" : "") << "\n";
    for (const auto& m : t.measures) {
      std::cout << "  " << std::left << std::setw(34) << m.measure << std::right << std::setw(12) << fmt(m.value) << " "
                << m.unit << "  (" << workflow::to_string(m.combine) << " of " << m.trials << ")\n";
    }
    if (t.pain_before || t.pain_after) {
      std::cout << "  pain before " << (t.pain_before ? fmt(*t.pain_before) : "-") << ", after "
                << (t.pain_after ? fmt(*t.pain_after) : "-") << "\n";
    }
  }
  if (!s.symmetry.empty()) {
    std::cout << "\nlimb symmetry (involved " << patient.involved_side << ", threshold " << fmt(s.lsi_threshold_percent)
              << " %)\n";
    for (const auto& row : s.symmetry) {
      std::cout << "  " << row.test << " " << row.measure << ": left " << fmt(row.left) << ", right " << fmt(row.right)
                << " " << row.unit << ", LSI " << fmt(row.lsi, 3) << " %"
                << (!std::isfinite(row.lsi_oriented) ? "  (not assessed)" : row.meets_threshold ? "" : "  below threshold")
                << "\n";
    }
  }
  for (const auto& k : r.skipped) std::cout << "skipped " << k << "\n";
}

// ---------------------------------------------------------------- compare

struct CompareArgs {
  std::string archive;
  std::string definitions;
  std::string patient;
  std::string from;
  std::string to;
  double lsi_threshold = 90;
  bool json = false;
};

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

void compare(const CompareArgs& a) {
  const data::Archive archive = data::Archive::open(archive_dir(a.archive));
  const DefinitionSet defs = definitions(a.definitions);
  const data::Patient patient = archive.patient(a.patient);
  std::vector<workflow::SessionRecord> sessions;
  for (auto& r : workflow::patient_results(archive, a.patient, defs)) sessions.push_back(std::move(r.record));
  if (sessions.size() < 2) {
    throw std::invalid_argument("patient " + a.patient + " has " + std::to_string(sessions.size()) +
                                " session(s) with results; a comparison needs two");
  }
  workflow::CompareOptions o;
  o.from_session = a.from;
  o.to_session = a.to;
  o.involved_side = workflow::involved_side(patient);
  o.lsi_threshold_percent = a.lsi_threshold;
  const workflow::ComparisonReport rep = workflow::compare_sessions(
      sessions, defs, workflow::MeasureCatalog::built_in(),
      workflow::MdcTable::load(workflow::built_in_mdc_table()), o);
  if (a.json) {
    nlohmann::json j = {{"patient", patient.id}, {"from", rep.from_session}, {"to", rep.to_session},
                        {"measures", nlohmann::json::array()}, {"symmetry", nlohmann::json::array()},
                        {"notes", rep.notes}};
    for (const auto& m : rep.measures) {
      j["measures"].push_back({{"test", m.test},
                               {"side", m.side ? analysis::to_string(*m.side) : ""},
                               {"measure", m.measure},
                               {"unit", m.unit},
                               {"from", number(m.overall.from)},
                               {"to", number(m.overall.to)},
                               {"change", number(m.overall.change)},
                               {"percent_change", number(m.overall.percent_change)},
                               {"mdc95", number(m.mdc.mdc95)},
                               {"mdc_source", workflow::to_string(m.mdc.source)},
                               {"mdc_citation", m.mdc.citation},
                               {"classification", workflow::to_string(m.overall.classification)}});
    }
    for (const auto& t : rep.symmetry) {
      nlohmann::json pts = nlohmann::json::array();
      for (const auto& p : t.points) pts.push_back({{"session", p.session}, {"lsi", number(p.lsi)}, {"meets", p.meets_threshold}});
      j["symmetry"].push_back({{"test", t.test}, {"measure", t.measure}, {"threshold", t.threshold_percent},
                               {"trend", t.trend}, {"points", pts}});
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "patient " << patient.id << ": session " << rep.from_session << " -> " << rep.to_session << "\n";
  for (const auto& m : rep.measures) {
    std::cout << "  " << m.test << (m.side ? std::string(" ") + analysis::to_string(*m.side) : "") << "  " << std::left
              << std::setw(30) << m.measure << std::right << std::setw(10) << fmt(m.overall.from) << " -> " << std::setw(10)
              << fmt(m.overall.to) << " " << m.unit << "  change " << fmt(m.overall.change, 3) << " (MDC95 "
              << fmt(m.mdc.mdc95, 3) << ", " << workflow::to_string(m.mdc.source) << "): "
              << workflow::to_string(m.overall.classification) << "\n";
  }
  for (const auto& t : rep.symmetry) {
    std::cout << "  LSI " << t.test << " " << t.measure << ":";
    for (const auto& p : t.points) std::cout << " " << fmt(p.lsi, 3) << " %";
    std::cout << "  (" << t.trend << ", threshold " << fmt(t.threshold_percent) << " %)\n";
  }
  for (const auto& n : rep.notes) std::cout << "note: " << n << "\n";
}

}  // namespace

void add_clinic(CLI::App& app) {
  {
    auto a = std::make_shared<RunArgs>();
    CLI::App* cmd = app.add_subcommand("run", "Run one test of the battery with the patient on the plate (or the simulator)");
    cmd->add_option("--test", a->test, "test definition id (docs/test-definitions.md)")->required();
    cmd->add_option("--side", a->side, "the leg tested, for one-legged tests")->check(CLI::IsMember({"left", "right"}));
    cmd->add_option("--patient", a->patient, "store the trial in this patient's session in the archive");
    cmd->add_option("--session", a->session, "the session to add to (default: a new one)");
    cmd->add_option("--device", a->device, "a port, a plate's serial number, or 'sim' for the simulator")->capture_default_str();
    cmd->add_option("--archive", a->archive, "archive folder (default: $FORCEPLATE_ARCHIVE or the per-user folder)");
    cmd->add_option("--definitions", a->definitions, "the clinic's own folder of test definitions");
    cmd->add_option("--pain-before", a->pain_before, "pain rating before the test, 0-10")->check(CLI::Range(0, 10));
    cmd->add_option("--pain-after", a->pain_after, "pain rating after the test, 0-10")->check(CLI::Range(0, 10));
    cmd->add_option("--body-mass", a->mass_kg, "the patient's mass in kg (default: the archive's)")->check(CLI::Range(10.0, 400.0));
    cmd->add_flag("--yes", a->yes, "no questions: accept the trial as it comes");
    cmd->add_flag("--json", a->json, "print the result as JSON");
    add_simulator_flags(*cmd, a->sim);
    cmd->callback([a, cmd] {
      a->scenario_given = cmd->count("--scenario") > 0;
      run(*a);
    });
  }
  {
    auto a = std::make_shared<SessionArgs>();
    CLI::App* cmd = app.add_subcommand("session", "Start a patient's visit, or show its results");
    cmd->require_subcommand(1);
    CLI::App* start = cmd->add_subcommand("start", "Start a session (prints its id)");
    start->add_option("--patient", a->patient, "patient id")->required();
    start->add_option("--pain-24h", a->pain_24h, "pain over the last 24 h, 0-10")->check(CLI::Range(0, 10));
    start->add_option("--notes", a->notes, "clinician's notes");
    start->add_option("--started-at", a->started_at,
                      "when the visit started, YYYY-MM-DDTHH:MM:SSZ (default: now), e.g. to enter an earlier visit");
    start->add_option("--archive", a->archive, "archive folder");
    start->add_flag("--json", a->json, "print JSON");
    start->callback([a] { session_start(*a); });
    CLI::App* show = cmd->add_subcommand("show", "Results of a session: per test, left/right and limb symmetry");
    show->add_option("session", a->session, "session id")->required();
    show->add_option("--archive", a->archive, "archive folder");
    show->add_option("--definitions", a->definitions, "the clinic's own folder of test definitions");
    show->add_option("--lsi-threshold", a->lsi_threshold, "return-to-function threshold, %")->capture_default_str();
    show->add_flag("--json", a->json, "print JSON");
    show->callback([a] { session_show(*a); });
  }
  {
    auto a = std::make_shared<CompareArgs>();
    CLI::App* cmd = app.add_subcommand("compare", "Compare a patient's sessions: change, MDC95, better / worse / within noise");
    cmd->add_option("patient", a->patient, "patient id")->required();
    cmd->add_option("--from", a->from, "session id (default: the first)");
    cmd->add_option("--to", a->to, "session id (default: the latest)");
    cmd->add_option("--archive", a->archive, "archive folder");
    cmd->add_option("--definitions", a->definitions, "the clinic's own folder of test definitions");
    cmd->add_option("--lsi-threshold", a->lsi_threshold, "return-to-function threshold, %")->capture_default_str();
    cmd->add_flag("--json", a->json, "print JSON");
    cmd->callback([a] { compare(*a); });
  }
}

}  // namespace fp::cli
