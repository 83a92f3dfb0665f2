// fp::data::Archive: opening, patients, sessions, trials.
#include "forceplate/data/archive.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "archive_impl.hpp"
#include "durable_file.hpp"
#include "forceplate/data/table_import.hpp"
#include "forceplate/data/trial_file.hpp"

namespace fp::data {

namespace ad = archive_detail;
namespace fs = std::filesystem;

namespace {

std::string random_hex(std::size_t digits) {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < digits; ++i) s += kHex[device() & 15u];
  return s;
}

// Under the exclusive lock: opens the index, setting a damaged one aside, and rebuilds it if needed.
void open_index_for_repair(Archive::Impl& impl) {
  const fs::path file = impl.root / ad::kIndexFile;
  impl.index.reset();
  try {
    impl.index = std::make_unique<ad::Index>(file);
  } catch (const ArchiveError&) {
    // A damaged index is derived data: set it aside and build a new one from the files.
    std::error_code ec;
    const std::string aside = file.string() + ".damaged-" + std::to_string(::getpid());
    fs::rename(file, aside, ec);
    fs::remove(file.string() + "-wal", ec);
    fs::remove(file.string() + "-shm", ec);
    impl.index = std::make_unique<ad::Index>(file);
  }
  if (impl.index->needs_rebuild()) {
    impl.index->reset_schema();
    impl.rebuild();
  }
}

}  // namespace

fs::path default_archive_dir() {
  if (const char* env = std::getenv("FORCEPLATE_ARCHIVE"); env && *env) return fs::path(env);
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return fs::path(xdg) / "forceplate" / "archive";
  if (const char* home = std::getenv("HOME"); home && *home) {
    return fs::path(home) / ".local" / "share" / "forceplate" / "archive";
  }
  throw ArchiveError("no archive folder: set FORCEPLATE_ARCHIVE or HOME, or give --archive DIR");
}

Archive::Archive(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Archive::Archive(Archive&&) noexcept = default;
Archive& Archive::operator=(Archive&&) noexcept = default;
Archive::~Archive() = default;

const fs::path& Archive::root() const { return impl_->root; }

Archive Archive::create(const fs::path& dir, ArchiveOptions options) {
  std::error_code ec;
  const fs::path root = fs::absolute(dir, ec);
  if (ec) throw ArchiveError("invalid archive folder '" + dir.string() + "': " + ec.message());
  if (fs::exists(root / ad::kArchiveFile)) {
    throw ArchiveError("'" + root.string() + "' already holds an archive");
  }
  if (fs::exists(root) && !fs::is_empty(root, ec)) {
    throw ArchiveError("cannot create an archive in '" + root.string() + "': the folder is not empty");
  }
  fs::create_directories(root.parent_path(), ec);
  if (ec) throw ArchiveError("cannot create folder '" + root.parent_path().string() + "': " + ec.message());
  ad::make_private_dir(root);
  fs::permissions(root, fs::perms::owner_all, ec);  // also when it existed, empty, with other permissions
  if (ec) throw ArchiveError("cannot set the permissions of '" + root.string() + "': " + ec.message());
  for (const char* sub : {ad::kPatientsDir, ad::kQuarantineDir, ad::kStudiesDir, ad::kStagingDir}) {
    ad::make_private_dir(root / sub);
  }
  {
    ad::FileLock lock(root, options.lock_timeout);
    ad::LockGuard guard(lock, true, "create the archive");
    const nlohmann::json j = {{"format", "forceplate-archive"},
                              {"schema_version", kArchiveSchemaVersion},
                              {"created_utc", ad::now_utc()},
                              {"description", "A forceplate archive of patients, sessions and trials; "
                                              "layout in docs/archive.md, 'The archive'."}};
    ad::write_file_durably(root / ad::kArchiveFile, j.dump(2) + "\n", /*must_be_new=*/true);
  }
  return open(root, options);
}

Archive Archive::open(const fs::path& dir, ArchiveOptions options) {
  std::error_code ec;
  const fs::path root = fs::absolute(dir, ec);
  if (ec) throw ArchiveError("invalid archive folder '" + dir.string() + "': " + ec.message());
  const fs::path marker = root / ad::kArchiveFile;
  if (!fs::exists(marker)) {
    throw ArchiveError("no archive in '" + root.string() + "' (run 'forceplate archive init' to create one)");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ad::read_text_file(marker));
  } catch (const nlohmann::json::exception& e) {
    throw ArchiveError("'" + marker.string() + "' is damaged: " + e.what());
  }
  if (!j.is_object() || j.value("format", std::string()) != "forceplate-archive") {
    throw ArchiveError("'" + marker.string() + "' is not a forceplate archive marker");
  }
  const int version = j.value("schema_version", 0);
  if (version > kArchiveSchemaVersion) {
    throw ArchiveError("archive '" + root.string() + "' has schema version " + std::to_string(version) +
                       ", newer than this program understands (" + std::to_string(kArchiveSchemaVersion) + ")");
  }
  auto impl = std::make_unique<Impl>();
  impl->root = root;
  impl->options = options;
  impl->lock = std::make_unique<ad::FileLock>(root, options.lock_timeout);
  for (const char* sub : {ad::kPatientsDir, ad::kQuarantineDir, ad::kStudiesDir, ad::kStagingDir}) {
    ad::make_private_dir(root / sub);
  }
  bool ready = false;
  {
    // Usually the index is fine and opening it only reads: a shared lock, so that opening works
    // while another program writes. A missing or damaged index is repaired under the exclusive lock.
    ad::LockGuard guard(*impl->lock, false, "open the archive");
    try {
      impl->index = std::make_unique<ad::Index>(root / ad::kIndexFile);
      ready = !impl->index->needs_rebuild();
    } catch (const ArchiveError&) {
      ready = false;
    }
  }
  if (!ready) {
    ad::LockGuard guard(*impl->lock, true, "rebuild the archive index");
    open_index_for_repair(*impl);
  }
  return Archive(std::move(impl));
}

// --- unlocked helpers ---

Patient Archive::Impl::patient(const std::string& id) const {
  if (auto p = index->patient(id)) return *p;
  throw ArchiveError("unknown patient id '" + id + "' in archive '" + root.string() + "'");
}

Session Archive::Impl::session(const std::string& id) const {
  if (auto s = index->session(id)) return *s;
  throw ArchiveError("unknown session id '" + id + "' in archive '" + root.string() + "'");
}

TrialRecord Archive::Impl::trial(const std::string& id) const {
  if (auto t = index->trial(id)) return *t;
  throw ArchiveError("unknown trial id '" + id + "' in archive '" + root.string() + "'");
}

// --- patients ---

void Archive::add_patient(const Patient& patient) {
  ad::check_patient(patient);
  ad::LockGuard guard(*impl_->lock, true, "add patient '" + patient.id + "'");
  const fs::path dir = impl_->root / ad::patient_dir(patient.id);
  if (impl_->index->patient(patient.id) || fs::exists(dir / "patient.json")) {
    throw ArchiveError("patient id '" + patient.id + "' is already used in archive '" + impl_->root.string() + "'");
  }
  ad::make_private_dir(dir);
  ad::make_private_dir(dir / "sessions");
  ad::write_file_durably(dir / "patient.json", ad::patient_to_json(patient), /*must_be_new=*/true);
  impl_->index->put_patient(patient);
}

void Archive::update_patient(const Patient& patient) {
  ad::check_patient(patient);
  ad::LockGuard guard(*impl_->lock, true, "update patient '" + patient.id + "'");
  impl_->patient(patient.id);  // must exist
  ad::write_file_durably(impl_->root / ad::patient_dir(patient.id) / "patient.json", ad::patient_to_json(patient),
                         /*must_be_new=*/false);
  impl_->index->put_patient(patient);
}

Patient Archive::patient(const std::string& id) const {
  ad::LockGuard guard(*impl_->lock, false, "read patient '" + id + "'");
  return impl_->patient(id);
}

std::vector<Patient> Archive::list_patients(const std::string& search) const {
  ad::LockGuard guard(*impl_->lock, false, "list patients");
  return impl_->index->patients(search);
}

// --- sessions ---

Session Archive::add_session(const Session& session) {
  Session s = session;
  s.trial_count = 0;
  if (s.started_at_utc.empty()) s.started_at_utc = ad::now_utc();
  ad::check_time_utc(s.started_at_utc, "session start");
  if (s.pain_24h < -1 || s.pain_24h > 10) {
    throw ArchiveError("invalid pain rating " + std::to_string(s.pain_24h) + ": expected 0 to 10, or -1 when not asked");
  }
  ad::LockGuard guard(*impl_->lock, true, "add a session of patient '" + s.patient_id + "'");
  impl_->patient(s.patient_id);
  const fs::path sessions = impl_->root / ad::patient_dir(s.patient_id) / "sessions";
  if (s.id.empty()) {
    // e.g. 20261122T100000-3fa9: sorts by date, unique with the random suffix.
    std::string compact;
    for (char c : s.started_at_utc) {
      if (c != '-' && c != ':' && c != 'Z') compact += c;
    }
    do {
      s.id = compact + "-" + random_hex(4);
    } while (impl_->index->session(s.id));
  }
  ad::check_id(s.id, "session id");
  if (impl_->index->session(s.id)) {
    throw ArchiveError("session id '" + s.id + "' is already used in archive '" + impl_->root.string() + "'");
  }
  const fs::path dir = sessions / s.id;
  ad::make_private_dir(sessions);
  ad::make_private_dir(dir);
  ad::make_private_dir(dir / "trials");
  ad::write_file_durably(dir / "session.json", ad::session_to_json(s), /*must_be_new=*/true);
  impl_->index->put_session(s);
  return s;
}

Session Archive::session(const std::string& id) const {
  ad::LockGuard guard(*impl_->lock, false, "read session '" + id + "'");
  return impl_->session(id);
}

std::vector<Session> Archive::list_sessions(const std::string& patient_id) const {
  ad::LockGuard guard(*impl_->lock, false, "list sessions");
  impl_->patient(patient_id);
  return impl_->index->sessions(patient_id);
}

// --- trials ---

TrialRecord Archive::add_trial(const std::string& session_id, const Trial& trial, const NewTrial& info) {
  ad::check_side(info.side, "trial side");
  ad::LockGuard guard(*impl_->lock, true, "add a trial to session '" + session_id + "'");
  const Session session = impl_->session(session_id);
  const fs::path trials_dir = impl_->root / ad::session_dir(session.patient_id, session.id) / "trials";
  ad::make_private_dir(trials_dir);

  TrialRecord r;
  r.patient_id = session.patient_id;
  r.session_id = session.id;
  for (std::size_t n = session.trial_count + 1;; ++n) {
    r.id = session.id + "-" + (n < 10 ? "0" : "") + std::to_string(n);
    if (!fs::exists(trials_dir / (r.id + ".h5")) && !fs::exists(trials_dir / (r.id + ".json"))) break;
  }
  const fs::path final_h5 = trials_dir / (r.id + ".h5");
  r.path = fs::relative(final_h5, impl_->root).string();
  r.test = trial.test_name;
  r.side = info.side;
  r.recorded_at_utc = ad::day_number(trial.start_time_utc) ? trial.start_time_utc : session.started_at_utc;
  r.complete = trial.complete;
  r.source = info.source;

  // 1. the trial file, complete and synced, under a staging name; 2. its record (with the checksum);
  // 3. the trial file renamed into place. A failure at any step leaves no trial behind.
  const fs::path staged = impl_->root / ad::kStagingDir / (r.id + "-" + random_hex(8) + ".h5");
  std::error_code ignored;
  try {
    write_trial(staged, trial);
    r.crc32 = ad::file_crc32(staged, &r.size_bytes);
    ad::write_file_durably(ad::trial_record_file(final_h5), ad::trial_record_to_json(r), /*must_be_new=*/true);
  } catch (const std::exception& e) {
    fs::remove(staged, ignored);
    fs::remove(staged.string() + ".tmp", ignored);  // write_trial's own temporary name
    throw ArchiveError("cannot save trial '" + r.id + "' in archive '" + impl_->root.string() + "': " + e.what() +
                       " (the archive is unchanged)");
  }
  if (::link(staged.c_str(), final_h5.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    fs::remove(staged, ignored);
    fs::remove(ad::trial_record_file(final_h5), ignored);
    throw ArchiveError("cannot save trial '" + r.id + "' in archive '" + impl_->root.string() + "': " + why);
  }
  fs::remove(staged, ignored);
  try {
    fsync_directory_of(final_h5);  // the new name survives a power loss
  } catch (const std::exception& e) {
    throw ArchiveError(e.what());
  }
  impl_->index->put_trial(r);
  return r;
}

TrialRecord Archive::import_trial(const fs::path& file, const ImportTrialOptions& options) {
  ad::check_id(options.patient_id, "patient id");
  ad::LockGuard guard(*impl_->lock, true, "import '" + file.filename().string() + "'");
  impl_->patient(options.patient_id);
  if (!options.session_id.empty()) {
    const Session s = impl_->session(options.session_id);
    if (s.patient_id != options.patient_id) {
      throw ArchiveError("session '" + options.session_id + "' belongs to patient '" + s.patient_id + "', not '" +
                         options.patient_id + "'");
    }
  }
  if (!fs::exists(file)) throw ArchiveError("cannot import '" + file.string() + "': file not found");
  Trial trial;
  try {
    trial = load_recording(file, ImportOptions{options.rate_hz, options.test, options.layout});
  } catch (const std::exception& e) {
    throw ArchiveError(e.what());
  }
  if (!options.test.empty()) trial.test_name = options.test;
  if (trial.test_name.empty()) trial.test_name = "quiet-stance";
  std::string session_id = options.session_id;
  if (session_id.empty()) {
    Session s;
    s.patient_id = options.patient_id;
    s.started_at_utc = ad::day_number(trial.start_time_utc) && trial.start_time_utc.size() == 20
                           ? trial.start_time_utc
                           : ad::now_utc();
    s.notes = "imported";
    session_id = add_session(s).id;
  }
  return add_trial(session_id, trial, NewTrial{options.side, file.filename().string()});
}

TrialRecord Archive::trial_record(const std::string& trial_id) const {
  ad::LockGuard guard(*impl_->lock, false, "read trial '" + trial_id + "'");
  return impl_->trial(trial_id);
}

std::vector<TrialRecord> Archive::find_trials(const TrialQuery& query) const {
  if (!query.from_date.empty()) ad::check_date(query.from_date, "from date");
  if (!query.to_date.empty()) ad::check_date(query.to_date, "to date");
  ad::LockGuard guard(*impl_->lock, false, "find trials");
  return impl_->index->trials(query);
}

Trial Archive::read_trial(const std::string& trial_id) const {
  ad::LockGuard guard(*impl_->lock, false, "read trial '" + trial_id + "'");
  const TrialRecord r = impl_->trial(trial_id);
  const fs::path file = impl_->root / r.path;
  if (!fs::exists(file)) {
    throw ArchiveError("trial '" + trial_id + "': file '" + r.path + "' is missing (run 'forceplate archive verify')");
  }
  std::uint64_t size = 0;
  const std::uint32_t crc = ad::file_crc32(file, &size);
  if (crc != r.crc32 || size != r.size_bytes) {
    throw ArchiveError("trial '" + trial_id + "': file '" + r.path + "' does not match its checksum (crc32 " +
                       ad::crc_hex(crc) + ", recorded " + ad::crc_hex(r.crc32) +
                       "); it is damaged (run 'forceplate archive verify')");
  }
  try {
    return fp::data::read_trial(file);
  } catch (const std::exception& e) {
    throw ArchiveError(e.what());
  }
}

std::shared_ptr<void> ArchiveAccess::hold_write_lock(Archive& archive, const std::string& what) {
  auto* lock = archive.impl_->lock.get();
  lock->acquire(true, what);
  return std::shared_ptr<void>(nullptr, [lock](void*) { lock->release(); });
}

}  // namespace fp::data
