#include "archive_index.hpp"

#include <sqlite3.h>

#include <string>

namespace fp::data::archive_detail {

namespace {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS patients(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, date_of_birth TEXT NOT NULL, sex TEXT NOT NULL,
  height_m REAL NOT NULL, mass_kg REAL NOT NULL, involved_side TEXT NOT NULL,
  diagnosis TEXT NOT NULL, notes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions(
  id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, started_at TEXT NOT NULL, notes TEXT NOT NULL,
  pain_24h INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_by_patient ON sessions(patient_id, started_at);
CREATE TABLE IF NOT EXISTS trials(
  id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, session_id TEXT NOT NULL, path TEXT NOT NULL,
  test TEXT NOT NULL, side TEXT NOT NULL, recorded_at TEXT NOT NULL, crc32 INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL, complete INTEGER NOT NULL, source TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS trials_by_session ON trials(session_id);
CREATE INDEX IF NOT EXISTS trials_by_patient ON trials(patient_id, test, recorded_at);
CREATE INDEX IF NOT EXISTS trials_by_test ON trials(test, recorded_at);
)sql";

// One prepared statement; binds by position from 1.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::filesystem::path& file) : db_(db), file_(file) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) fail("prepare");
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // True while there is a row.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail("step");
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw ArchiveError("archive index '" + file_.string() + "': " + what + " failed: " + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  const std::filesystem::path& file_;
  sqlite3_stmt* stmt_ = nullptr;
};

const char* const kPatientColumns =
    "id, name, date_of_birth, sex, height_m, mass_kg, involved_side, diagnosis, notes";
const char* const kTrialColumns =
    "id, patient_id, session_id, path, test, side, recorded_at, crc32, size_bytes, complete, source";

Patient patient_row(const Statement& s) {
  Patient p;
  p.id = s.text(0);
  p.name = s.text(1);
  p.date_of_birth = s.text(2);
  p.sex = s.text(3);
  p.height_m = s.real(4);
  p.mass_kg = s.real(5);
  p.involved_side = s.text(6);
  p.diagnosis = s.text(7);
  p.notes = s.text(8);
  return p;
}

Session session_row(const Statement& s) {
  Session r;
  r.id = s.text(0);
  r.patient_id = s.text(1);
  r.started_at_utc = s.text(2);
  r.notes = s.text(3);
  r.pain_24h = static_cast<int>(s.integer(4));
  r.trial_count = static_cast<std::size_t>(s.integer(5));
  return r;
}

TrialRecord trial_row(const Statement& s) {
  TrialRecord t;
  t.id = s.text(0);
  t.patient_id = s.text(1);
  t.session_id = s.text(2);
  t.path = s.text(3);
  t.test = s.text(4);
  t.side = s.text(5);
  t.recorded_at_utc = s.text(6);
  t.crc32 = static_cast<std::uint32_t>(s.integer(7));
  t.size_bytes = static_cast<std::uint64_t>(s.integer(8));
  t.complete = s.integer(9) != 0;
  t.source = s.text(10);
  return t;
}

const char* const kSessionSelect =
    "SELECT s.id, s.patient_id, s.started_at, s.notes, s.pain_24h, "
    "(SELECT COUNT(*) FROM trials t WHERE t.session_id = s.id) FROM sessions s ";

}  // namespace

Index::Index(const std::filesystem::path& file) : file_(file) {
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw ArchiveError("cannot open the archive index '" + file.string() + "': " + why);
  }
  try {
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA synchronous=NORMAL");
    // Reading only: a missing meta table (a new file) or another version means "rebuild".
    Statement tables(db_, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", file_);
    needs_rebuild_ = !tables.step() || tables.integer(0) == 0;
    if (!needs_rebuild_) {
      Statement s(db_, "SELECT value FROM meta WHERE key = 'index_version'", file_);
      needs_rebuild_ = !s.step() || s.text(0) != std::to_string(kIndexVersion);
    }
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

void Index::reset_schema() {
  exec("PRAGMA journal_mode=WAL");
  exec("DROP TABLE IF EXISTS trials; DROP TABLE IF EXISTS sessions; DROP TABLE IF EXISTS patients;"
       "DROP TABLE IF EXISTS meta;");
  exec(kSchema);
}

Index::~Index() { sqlite3_close(db_); }

void Index::exec(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string why = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw ArchiveError("archive index '" + file_.string() + "': " + why);
  }
}

void Index::begin() { exec("BEGIN IMMEDIATE"); }
void Index::commit() { exec("COMMIT"); }
void Index::rollback() noexcept { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
void Index::clear() { exec("DELETE FROM trials; DELETE FROM sessions; DELETE FROM patients; DELETE FROM meta;"); }

void Index::mark_built() {
  Statement s(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES('index_version', ?)", file_);
  s.bind(1, std::to_string(kIndexVersion)).step();
  needs_rebuild_ = false;
}

void Index::put_patient(const Patient& p) {
  Statement s(db_, "INSERT OR REPLACE INTO patients VALUES(?,?,?,?,?,?,?,?,?)", file_);
  s.bind(1, p.id).bind(2, p.name).bind(3, p.date_of_birth).bind(4, p.sex).bind(5, p.height_m).bind(6, p.mass_kg);
  s.bind(7, p.involved_side).bind(8, p.diagnosis).bind(9, p.notes).step();
}

void Index::put_session(const Session& r) {
  Statement s(db_, "INSERT OR REPLACE INTO sessions VALUES(?,?,?,?,?)", file_);
  s.bind(1, r.id).bind(2, r.patient_id).bind(3, r.started_at_utc).bind(4, r.notes);
  s.bind(5, static_cast<std::int64_t>(r.pain_24h)).step();
}

void Index::put_trial(const TrialRecord& t) {
  Statement s(db_, "INSERT OR REPLACE INTO trials VALUES(?,?,?,?,?,?,?,?,?,?,?)", file_);
  s.bind(1, t.id).bind(2, t.patient_id).bind(3, t.session_id).bind(4, t.path).bind(5, t.test).bind(6, t.side);
  s.bind(7, t.recorded_at_utc).bind(8, static_cast<std::int64_t>(t.crc32));
  s.bind(9, static_cast<std::int64_t>(t.size_bytes)).bind(10, static_cast<std::int64_t>(t.complete ? 1 : 0));
  s.bind(11, t.source).step();
}

void Index::remove_trial(const std::string& id) {
  Statement s(db_, "DELETE FROM trials WHERE id = ?", file_);
  s.bind(1, id).step();
}

std::optional<Patient> Index::patient(const std::string& id) const {
  Statement s(db_, (std::string("SELECT ") + kPatientColumns + " FROM patients WHERE id = ?").c_str(), file_);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return patient_row(s);
}

std::vector<Patient> Index::patients(const std::string& search) const {
  // LIKE is case-insensitive for ASCII; % and _ in the search are taken literally.
  std::string pattern = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  Statement s(db_,
              (std::string("SELECT ") + kPatientColumns +
               " FROM patients WHERE name LIKE ?1 ESCAPE '\\' OR id LIKE ?1 ESCAPE '\\' ORDER BY name, id")
                  .c_str(),
              file_);
  s.bind(1, pattern);
  std::vector<Patient> out;
  while (s.step()) out.push_back(patient_row(s));
  return out;
}

std::optional<Session> Index::session(const std::string& id) const {
  Statement s(db_, (std::string(kSessionSelect) + "WHERE s.id = ?").c_str(), file_);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return session_row(s);
}

std::vector<Session> Index::sessions(const std::string& patient_id) const {
  Statement s(db_, (std::string(kSessionSelect) + "WHERE s.patient_id = ? ORDER BY s.started_at, s.id").c_str(),
              file_);
  s.bind(1, patient_id);
  std::vector<Session> out;
  while (s.step()) out.push_back(session_row(s));
  return out;
}

std::optional<TrialRecord> Index::trial(const std::string& id) const {
  Statement s(db_, (std::string("SELECT ") + kTrialColumns + " FROM trials WHERE id = ?").c_str(), file_);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return trial_row(s);
}

std::vector<TrialRecord> Index::trials(const TrialQuery& q) const {
  std::string sql = std::string("SELECT ") + kTrialColumns + " FROM trials WHERE 1";
  std::vector<std::string> args;
  auto where = [&](const char* clause, const std::string& value) {
    if (value.empty()) return;
    sql += clause;
    args.push_back(value);
  };
  where(" AND patient_id = ?", q.patient_id);
  where(" AND session_id = ?", q.session_id);
  where(" AND test = ?", q.test);
  where(" AND substr(recorded_at, 1, 10) >= ?", q.from_date);
  where(" AND substr(recorded_at, 1, 10) <= ?", q.to_date);
  sql += " ORDER BY recorded_at, id";
  Statement s(db_, sql.c_str(), file_);
  for (std::size_t i = 0; i < args.size(); ++i) s.bind(static_cast<int>(i + 1), args[i]);
  std::vector<TrialRecord> out;
  while (s.step()) out.push_back(trial_row(s));
  return out;
}

std::vector<TrialRecord> Index::all_trials() const { return trials(TrialQuery{}); }

}  // namespace fp::data::archive_detail
