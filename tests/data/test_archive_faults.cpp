// The archive under faults: a full disk during a save, and two programs using it at once.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include <gtest/gtest.h>

#include "archive_fixture.hpp"
#include "forceplate/data/archive.hpp"
#include "trial_examples.hpp"

namespace fp::data {
namespace {

namespace fs = std::filesystem;
using test::make_patient;
using test::make_session;
using test::ScratchDir;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

TEST(ArchiveFaults, DiskFullDuringSave_ClearErrorAndTheArchiveStaysReadableAndComplete) {
  ScratchDir dir;
  std::string session_id;
  {
    Archive a = Archive::create(dir / "a");
    a.add_patient(make_patient("P001", "Anna Berg"));
    session_id = a.add_session(make_session("P001", "2026-01-10T09:00:00Z")).id;
    a.add_trial(session_id, test::one_plate_trial());
    a.add_trial(session_id, test::one_plate_trial());
  }
  const std::uintmax_t big_enough = fs::file_size(dir / "a/index.sqlite") + 64 * 1024;
  const fs::path message_file = dir / "message.txt";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A file system that is full: every write past the limit fails with EFBIG ("File too large").
    std::signal(SIGXFSZ, SIG_IGN);
    Archive a = Archive::open(dir / "a");
    const rlimit limit{big_enough, big_enough};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    int code = 1;
    try {
      a.add_trial(session_id, test::realistic_two_plate_trial());  // several hundred kB
    } catch (const ArchiveError& e) {
      std::ofstream(message_file) << e.what();
      code = 0;
    } catch (...) {
      code = 2;
    }
    ::_exit(code);
  }
  ASSERT_EQ(wait_exit(child), 0) << "the save did not fail with an ArchiveError";
  const std::string message = test::file_bytes(message_file);
  EXPECT_TRUE(contains(message, "cannot save trial '" + session_id + "-03'")) << message;
  EXPECT_TRUE(contains(message, "File too large")) << message;
  EXPECT_TRUE(contains(message, "the archive is unchanged")) << message;

  Archive a = Archive::open(dir / "a");
  const VerifyReport r = a.verify();
  EXPECT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems[0]);
  EXPECT_TRUE(r.notes.empty()) << r.notes[0];
  EXPECT_EQ(r.trials_ok, 2u);
  EXPECT_EQ(a.find_trials({}).size(), 2u);
  for (const auto& t : a.find_trials({})) EXPECT_NO_THROW(a.read_trial(t.id));
  EXPECT_TRUE(fs::is_empty(dir / "a/staging"));
  // And the next save, with room again, works.
  EXPECT_EQ(a.add_trial(session_id, test::realistic_two_plate_trial()).id, session_id + "-03");
}

TEST(ArchiveFaults, TwoArchiveObjects_SecondWriterWaitsThenSaysWhoHoldsTheLock) {
  ScratchDir dir;
  Archive a = Archive::create(dir / "a");
  Archive b = Archive::open(dir / "a", ArchiveOptions{std::chrono::milliseconds(200)});
  {
    auto held = ArchiveAccess::hold_write_lock(a, "record a trial");
    try {
      b.add_patient(make_patient("P001", "Anna Berg"));
      ADD_FAILURE() << "no error while the archive was locked";
    } catch (const ArchiveError& e) {
      const std::string m = e.what();
      EXPECT_TRUE(contains(m, "is in use by PID " + std::to_string(::getpid()) + " (record a trial")) << m;
      EXPECT_TRUE(contains(m, "try again")) << m;
    }
    EXPECT_THROW(b.list_patients(), ArchiveError);  // readers wait for a writer too
  }
  b.add_patient(make_patient("P001", "Anna Berg"));  // released
  EXPECT_EQ(a.list_patients().size(), 1u);
}

TEST(ArchiveFaults, AnotherProcessHoldsTheLock_InUseByItsPid_ThenWorksOnceReleased) {
  ScratchDir dir;
  { Archive::create(dir / "a"); }
  // Opened before the other program locks it (opening waits for a writer like everything else).
  Archive b = Archive::open(dir / "a", ArchiveOptions{std::chrono::milliseconds(300)});
  int ready[2], release[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    ::close(release[1]);
    Archive a = Archive::open(dir / "a");
    auto held = ArchiveAccess::hold_write_lock(a, "save a trial");
    const char c = 'r';
    if (::write(ready[1], &c, 1) != 1) ::_exit(3);
    char d = 0;
    if (::read(release[0], &d, 1) < 0) ::_exit(4);  // returns 0 when the parent closes its end
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(release[0]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  EXPECT_TRUE(contains(
      [&] {
        try {
          Archive::open(dir / "a", ArchiveOptions{std::chrono::milliseconds(100)});
        } catch (const ArchiveError& e) {
          return std::string(e.what());
        }
        return std::string();
      }(),
      "in use by PID " + std::to_string(child)));
  try {
    b.add_patient(make_patient("P001", "Anna Berg"));
    ADD_FAILURE() << "no error while another process held the lock";
  } catch (const ArchiveError& e) {
    const std::string m = e.what();
    EXPECT_TRUE(contains(m, "in use by PID " + std::to_string(child) + " (save a trial")) << m;
  }
  ::close(release[1]);
  EXPECT_EQ(wait_exit(child), 0);
  b.add_patient(make_patient("P001", "Anna Berg"));
  EXPECT_EQ(b.list_patients().size(), 1u);
}

TEST(ArchiveFaults, TwoProcessesSavingAtOnce_EveryTrialStoredAndTheArchiveVerifies) {
  ScratchDir dir;
  std::string s1, s2;
  {
    Archive a = Archive::create(dir / "a");
    a.add_patient(make_patient("P001", "Anna Berg"));
    s1 = a.add_session(make_session("P001", "2026-01-10T09:00:00Z")).id;
    s2 = a.add_session(make_session("P001", "2026-01-11T09:00:00Z")).id;
  }
  constexpr int kEach = 12;
  std::vector<pid_t> children;
  for (const std::string& session : {s1, s1, s2}) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        Archive a = Archive::open(dir / "a", ArchiveOptions{std::chrono::milliseconds(20000)});
        for (int i = 0; i < kEach; ++i) a.add_trial(session, test::one_plate_trial());
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) EXPECT_EQ(wait_exit(pid), 0);
  Archive a = Archive::open(dir / "a");
  EXPECT_EQ(a.find_trials({}).size(), 3u * kEach);
  EXPECT_EQ(a.list_sessions("P001")[0].trial_count, 2u * kEach);
  const VerifyReport r = a.verify();
  EXPECT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems[0]);
  EXPECT_EQ(r.trials_ok, 3u * kEach);
}

TEST(ArchiveFaults, VerifyWhileAnotherProcessSaves_NoFalseProblemsAndTheSavesSucceed) {
  ScratchDir dir;
  std::string session;
  {
    Archive a = Archive::create(dir / "a");
    a.add_patient(make_patient("P001", "Anna Berg"));
    session = a.add_session(make_session("P001", "2026-01-10T09:00:00Z")).id;
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int code = 0;
    try {
      Archive a = Archive::open(dir / "a", ArchiveOptions{std::chrono::milliseconds(20000)});
      for (int i = 0; i < 25; ++i) a.add_trial(session, test::one_plate_trial());
    } catch (...) {
      code = 1;
    }
    ::_exit(code);
  }
  Archive a = Archive::open(dir / "a", ArchiveOptions{std::chrono::milliseconds(20000)});
  int verifies = 0;
  int status = 0;
  pid_t done = 0;
  while ((done = ::waitpid(child, &status, WNOHANG)) == 0) {
    const VerifyReport r = a.verify();
    EXPECT_TRUE(r.ok()) << r.problems[0];
    EXPECT_TRUE(r.quarantined.empty());
    ++verifies;
  }
  EXPECT_EQ(done, child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a save failed";
  EXPECT_GT(verifies, 0);
  EXPECT_EQ(a.find_trials({}).size(), 25u);
  EXPECT_TRUE(a.verify().ok());
}

}  // namespace
}  // namespace fp::data
