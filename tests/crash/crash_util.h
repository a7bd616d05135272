// What the crash harnesses share: the run's parameters (kills, seed: from the environment, printed
// so a failure can be replayed), a child process that is started, killed and reaped, and a log
// file that collects every child's stderr for the failure message.
//
//   CrashParams p = CrashParams::FromEnv(/*default_kills=*/50);
//   std::mt19937_64 rng(p.seed);
//   ChildLog log(dir + "/children.log");
//   absl::StatusOr<pid_t> pid = SpawnChild({program, ...}, log);
//   KillChild(*pid);  // SIGKILL, reaped
#ifndef OUZEL_TESTS_CRASH_CRASH_UTIL_H_
#define OUZEL_TESTS_CRASH_CRASH_UTIL_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ouzel_crash {

struct CrashParams {
  int kills = 50;
  uint64_t seed = 0;
  // Each kill comes after a delay drawn uniformly from [min_delay, max_delay].
  int min_delay_ms = 20;
  int max_delay_ms = 250;

  // OUZEL_CRASH_KILLS, OUZEL_CRASH_SEED (else random), OUZEL_CRASH_MIN_MS, OUZEL_CRASH_MAX_MS.
  static CrashParams FromEnv(int default_kills);
  std::string ToString() const;
};

// Appends every child's stdout and stderr to one file.
class ChildLog {
 public:
  explicit ChildLog(std::string path);
  ~ChildLog();
  int fd() const { return fd_; }
  std::string Contents() const;  // the last 64 KiB
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

absl::StatusOr<pid_t> SpawnChild(const std::vector<std::string>& argv, const ChildLog& log);
// SIGKILL and reap. Returns the wait status.
int KillChild(pid_t pid);
// Reaps a child that exits within `timeout`; DeadlineExceeded (and the child is killed) otherwise.
absl::StatusOr<int> WaitChild(pid_t pid, absl::Duration timeout);
// True when the child has already exited (it is then reaped and *wait_status set).
bool ChildExited(pid_t pid, int* wait_status);

// An absolute path (children run with another working directory than argv[0] assumes).
std::string Absolute(const std::string& path);

}  // namespace ouzel_crash

#endif  // OUZEL_TESTS_CRASH_CRASH_UTIL_H_
