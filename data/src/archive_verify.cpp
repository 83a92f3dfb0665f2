// Archive integrity: rebuilding the index from the files, verifying files and index, quarantine.
#include <map>
#include <set>

#include "archive_impl.hpp"
#include "forceplate/data/trial_file.hpp"

namespace fp::data {

namespace ad = archive_detail;
namespace fs = std::filesystem;

namespace {

// A trial file without a (valid) record: readable files get a new record with a checksum computed
// now; unreadable ones stay out of the index (verify quarantines them).
std::optional<TrialRecord> adopt(const fs::path& root, const fs::path& h5, const std::map<std::string, Session>& sessions,
                                 std::string& problem) {
  const fs::path session_folder = h5.parent_path().parent_path();
  const auto s = sessions.find(session_folder.filename().string());
  if (s == sessions.end()) {
    problem = "'" + h5.string() + "' is not in a known session";
    return std::nullopt;
  }
  Trial trial;
  try {
    trial = read_trial(root / h5);
  } catch (const std::exception& e) {
    problem = e.what();
    return std::nullopt;
  }
  TrialRecord r;
  r.id = h5.stem().string();
  r.patient_id = s->second.patient_id;
  r.session_id = s->second.id;
  r.path = h5.string();
  r.test = trial.test_name;
  r.side = "none";
  r.recorded_at_utc = ad::day_number(trial.start_time_utc) ? trial.start_time_utc : s->second.started_at_utc;
  r.complete = trial.complete;
  r.crc32 = ad::file_crc32(root / h5, &r.size_bytes);
  ad::write_file_durably(ad::trial_record_file(root / h5), ad::trial_record_to_json(r), /*must_be_new=*/false);
  return r;
}

std::string quarantine(const fs::path& root, const fs::path& h5) {
  fs::path target = root / ad::kQuarantineDir / h5;
  std::error_code ec;
  if (fs::exists(target)) target += "." + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  fs::create_directories(target.parent_path(), ec);
  fs::rename(root / h5, target, ec);
  if (ec) throw ArchiveError("cannot move '" + h5.string() + "' to quarantine: " + ec.message());
  const fs::path record = ad::trial_record_file(root / h5);
  if (fs::exists(record)) fs::rename(record, ad::trial_record_file(target), ec);
  return fs::relative(target, root).string();
}

}  // namespace

RebuildReport Archive::Impl::rebuild() {
  ad::Scan scan = ad::scan_files(root);
  RebuildReport report;
  report.problems = scan.problems;
  std::map<std::string, Session> sessions;
  for (const auto& s : scan.sessions) sessions[s.id] = s;

  ad::Transaction tx(*index);
  index->clear();
  for (const auto& p : scan.patients) index->put_patient(p);
  for (const auto& s : scan.sessions) index->put_session(s);
  report.patients = scan.patients.size();
  report.sessions = scan.sessions.size();
  for (const auto& t : scan.trials) {
    std::optional<TrialRecord> r = t.record;
    if (!r) {
      std::string why;
      r = adopt(root, t.h5, sessions, why);
      if (r) {
        report.problems.push_back("'" + t.h5.string() + "' had no valid record (" + t.record_problem +
                                  "); it is readable, so a new record was written with its checksum as of now");
      } else {
        report.problems.push_back("'" + t.h5.string() + "' is not indexed: it has no valid record (" +
                                  t.record_problem + ") and cannot be read: " + why +
                                  " (run 'forceplate archive verify' to set it aside)");
        continue;
      }
    }
    index->put_trial(*r);
    ++report.trials;
  }
  index->mark_built();
  tx.commit();
  return report;
}

RebuildReport Archive::rebuild_index() {
  ad::LockGuard guard(*impl_->lock, true, "rebuild the index");
  return impl_->rebuild();
}

VerifyReport Archive::verify(bool quarantine_damaged) {
  // A long verify must not stop another program from saving, so the files are read without the lock:
  // trial files and their records never change once written (only verify moves them, under the
  // exclusive lock). The index is compared under a brief shared lock, and anything that looks wrong
  // is checked again under the exclusive lock before it is reported or set aside, so that a trial
  // saved meanwhile is not mistaken for a problem.
  const fs::path& root = impl_->root;
  VerifyReport report;
  struct Damaged {
    fs::path h5;
    std::string why;
    std::string id;
  };
  std::vector<Damaged> damaged;
  std::vector<TrialRecord> unindexed;  // intact files whose trial is not in the index
  std::vector<TrialRecord> differing;  // index entry differs from the record

  const ad::Scan scan = ad::scan_files(root);
  report.problems = scan.problems;
  for (const auto& l : scan.leftovers) {
    report.notes.push_back("'" + l + "' is a leftover temporary file of an interrupted write (safe to delete)");
  }
  std::vector<TrialRecord> intact;
  for (const auto& t : scan.trials) {
    ++report.trials_checked;
    if (!t.record) {
      try {
        (void)fp::data::read_trial(root / t.h5);
        report.problems.push_back("'" + t.h5.string() + "' has no valid record (" + t.record_problem +
                                  "); the file is readable: run 'forceplate archive rebuild-index' to record it");
      } catch (const std::exception& e) {
        damaged.push_back({t.h5, "no valid record (" + t.record_problem + ") and the file cannot be read: " + e.what(),
                           t.h5.stem().string()});
      }
      continue;
    }
    const TrialRecord& r = *t.record;
    std::uint64_t size = 0;
    std::uint32_t crc = 0;
    try {
      crc = ad::file_crc32(root / t.h5, &size);
    } catch (const ArchiveError& e) {
      damaged.push_back({t.h5, std::string("cannot be read: ") + e.what(), r.id});
      continue;
    }
    if (crc != r.crc32 || size != r.size_bytes) {
      damaged.push_back({t.h5,
                         "damaged: its checksum does not match (crc32 " + ad::crc_hex(crc) + ", " +
                             std::to_string(size) + " bytes; recorded " + ad::crc_hex(r.crc32) + ", " +
                             std::to_string(r.size_bytes) + " bytes)",
                         r.id});
      continue;
    }
    intact.push_back(r);
  }

  std::set<std::string> on_disk;  // every trial id that has a file
  for (const auto& t : scan.trials) on_disk.insert(t.record ? t.record->id : t.h5.stem().string());
  std::vector<TrialRecord> stale;  // index entries whose file is missing
  {
    ad::LockGuard guard(*impl_->lock, false, "verify the archive");
    {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(root / ad::kStagingDir, ec)) {
        report.notes.push_back("'" + fs::relative(e.path(), root).string() +
                               "' is a leftover of an interrupted save (safe to delete)");
      }
    }
    std::map<std::string, TrialRecord> indexed;
    for (auto& r : impl_->index->all_trials()) indexed.emplace(r.id, r);
    for (const auto& r : intact) {
      const auto in_index = indexed.find(r.id);
      if (in_index == indexed.end()) {
        unindexed.push_back(r);
      } else if (in_index->second.crc32 != r.crc32 || in_index->second.path != r.path ||
                 in_index->second.session_id != r.session_id) {
        differing.push_back(r);
      } else {
        ++report.trials_ok;
      }
    }
    for (const auto& [id, r] : indexed) {
      if (!on_disk.count(id) && !fs::exists(root / r.path)) stale.push_back(r);
    }
    std::set<std::string> patient_ids;
    for (const auto& p : scan.patients) {
      patient_ids.insert(p.id);
      if (!impl_->index->patient(p.id)) {
        report.problems.push_back("patient '" + p.id + "' is not in the index (run 'forceplate archive rebuild-index')");
      }
    }
    std::set<std::string> session_ids;
    for (const auto& s : scan.sessions) session_ids.insert(s.id);
    for (const auto& p : impl_->index->patients("")) {
      const fs::path pdir = root / ad::patient_dir(p.id);
      if (!patient_ids.count(p.id)) {
        // Present now: added while the files were being read, or unreadable (reported by the scan).
        if (fs::exists(pdir / "patient.json")) continue;
        report.problems.push_back("the index lists patient '" + p.id + "' but 'patients/" + p.id +
                                  "/patient.json' is missing or unreadable");
        continue;
      }
      for (const auto& s : impl_->index->sessions(p.id)) {
        if (!session_ids.count(s.id) && !fs::exists(pdir / "sessions" / s.id / "session.json")) {
          report.problems.push_back("the index lists session '" + s.id + "' but its session.json is missing");
        }
      }
    }
    for (const auto& s : scan.sessions) {
      if (!impl_->index->session(s.id)) {
        report.problems.push_back("session '" + s.id + "' is not in the index (run 'forceplate archive rebuild-index')");
      }
    }
  }
  for (const auto& r : unindexed) {
    report.problems.push_back("'" + r.path + "' is not in the index (run 'forceplate archive rebuild-index')");
  }
  for (const auto& r : differing) {
    report.problems.push_back("the index entry of '" + r.path +
                              "' differs from its record (run 'forceplate archive rebuild-index')");
  }
  if (damaged.empty() && stale.empty()) return report;

  ad::LockGuard guard(*impl_->lock, true, "set damaged files aside");
  for (const auto& d : damaged) {
    if (!quarantine_damaged || !fs::exists(root / d.h5)) {
      report.problems.push_back("'" + d.h5.string() + "': " + d.why);
      continue;
    }
    const std::string moved = quarantine(root, d.h5);
    report.quarantined.push_back(moved);
    if (!d.id.empty()) impl_->index->remove_trial(d.id);
    report.problems.push_back("'" + d.h5.string() + "': " + d.why + "; moved to '" + moved + "'");
  }
  for (const auto& r : stale) {
    const bool remove = quarantine_damaged && !fs::exists(root / r.path);
    if (remove) impl_->index->remove_trial(r.id);
    report.problems.push_back("the index lists trial '" + r.id + "' ('" + r.path + "') but its file is missing" +
                              (remove ? std::string("; removed from the index") : std::string()));
  }
  return report;
}

}  // namespace fp::data
