// FileStore's session lock, across real processes: a second opener (another process, or another
// FileStore in this one) gets a clear error naming the holder's pid, and the lock goes away with
// the holder, even when it is killed with SIGKILL; what it had written survives.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cc/persistence/file_store.h"
#include "cc/persistence/store_test_util.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

FileStoreOptions Options(const std::string& dir) {
  FileStoreOptions o;
  o.directory = dir;
  o.session_key = "locked@mqtt://h";
  o.sync_policy = SyncPolicy::kNever;  // SIGKILL must lose nothing even without syncing
  return o;
}

// Runs `child` in a forked process and returns its exit code (or 128 + signal).
int RunChild(const std::function<int()>& child) {
  const pid_t pid = fork();
  if (pid == 0) _exit(child());
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class LockTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { RemoveTree(dir_); }
  std::string dir_;
};

TEST_F(LockTest, SecondProcess_GetsAClearErrorWithOurPid) {
  absl::StatusOr<std::unique_ptr<FileStore>> held = FileStore::Open(Options(dir_));
  ASSERT_TRUE(held.ok()) << held.status();
  const std::string want =
      absl::StrCat("session \"locked@mqtt://h\" is in use by another process (pid ", getpid(), ";");
  const int code = RunChild([&] {
    absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
    if (s.ok()) return 1;
    if (s.status().code() != absl::StatusCode::kFailedPrecondition) return 2;
    if (s.status().message().find(want) == absl::string_view::npos) return 3;
    return 0;
  });
  EXPECT_EQ(code, 0) << "1: opened anyway, 2: wrong code, 3: message lacks \"" << want << "\"";
}

TEST_F(LockTest, SecondStoreInThisProcess_Refused) {
  absl::StatusOr<std::unique_ptr<FileStore>> held = FileStore::Open(Options(dir_));
  ASSERT_TRUE(held.ok()) << held.status();
  absl::StatusOr<std::unique_ptr<FileStore>> again = FileStore::Open(Options(dir_));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find(
                absl::StrCat("another FileStore in this process (pid ", getpid())),
            absl::string_view::npos)
      << again.status();
  held->reset();
  EXPECT_TRUE(FileStore::Open(Options(dir_)).ok()) << "released when the store is destroyed";
}

TEST_F(LockTest, HolderKilled_LockReleasedAndWrittenRecordsSurvive) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
    if (!s.ok()) _exit(1);
    if (!(*s)->PutOutgoing(TestOutgoing(1, 2, 1, StoredOutgoing::Stage::kPubrelSent)).ok()) {
      _exit(2);
    }
    if (!(*s)->PutIncoming(7, nullptr).ok() || !(*s)->Flush().ok()) _exit(3);
    // Batched, never flushed: lost with the process, as documented.
    if (!(*s)->PutOutgoing(TestOutgoing(2, 1, 2)).ok()) _exit(4);
    const char c = 'r';
    if (write(ready[1], &c, 1) != 1) _exit(5);
    for (;;) pause();
  }
  close(ready[1]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1) << "the child failed before it was ready";
  close(ready[0]);

  absl::StatusOr<std::unique_ptr<FileStore>> while_alive = FileStore::Open(Options(dir_));
  EXPECT_EQ(while_alive.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(while_alive.status().message().find(absl::StrCat("(pid ", pid, ";")),
            absl::string_view::npos)
      << while_alive.status();

  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));

  absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE((*s)->recovery_report().truncated()) << (*s)->recovery_report().ToString();
  absl::StatusOr<StoredSession> loaded = (*s)->Load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(Describe(*loaded),
            "client= expiry=0 next=2 out=[#1 pubrel q2 id=1 't1' 'payload of t1'; ] in=[7 ]");
}

}  // namespace
}  // namespace ouzel
