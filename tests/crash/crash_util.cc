#include "tests/crash/crash_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/fixtures/fixture_util.h"

namespace ouzel_crash {
namespace {

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  int64_t out = 0;
  if (v == nullptr || !absl::SimpleAtoi(v, &out)) return fallback;
  return out;
}

}  // namespace

CrashParams CrashParams::FromEnv(int default_kills) {
  CrashParams p;
  p.kills = static_cast<int>(EnvInt("OUZEL_CRASH_KILLS", default_kills));
  const char* seed = std::getenv("OUZEL_CRASH_SEED");
  uint64_t s = 0;
  if (seed != nullptr && absl::SimpleAtoi(seed, &s)) {
    p.seed = s;
  } else {
    p.seed = (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  }
  p.min_delay_ms = static_cast<int>(EnvInt("OUZEL_CRASH_MIN_MS", p.min_delay_ms));
  p.max_delay_ms = static_cast<int>(EnvInt("OUZEL_CRASH_MAX_MS", p.max_delay_ms));
  if (p.max_delay_ms < p.min_delay_ms) p.max_delay_ms = p.min_delay_ms;
  return p;
}

std::string CrashParams::ToString() const {
  return absl::StrCat("kills=", kills, " seed=", seed, " delay=", min_delay_ms, "..", max_delay_ms,
                      "ms (replay: --test_env=OUZEL_CRASH_SEED=", seed, ")");
}

ChildLog::ChildLog(std::string path) : path_(std::move(path)) {
  fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

ChildLog::~ChildLog() {
  if (fd_ >= 0) close(fd_);
}

std::string ChildLog::Contents() const {
  absl::StatusOr<std::string> all = ouzel::fixtures::ReadFile(path_);
  if (!all.ok()) return std::string(all.status().message());
  return all->size() > 65536 ? "..." + all->substr(all->size() - 65536) : *all;
}

absl::StatusOr<pid_t> SpawnChild(const std::vector<std::string>& argv, const ChildLog& log) {
  ouzel::fixtures::SpawnOptions o;
  o.output_fd = log.fd();
  return ouzel::fixtures::SpawnProcess(argv, o);
}

int KillChild(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

absl::StatusOr<int> WaitChild(pid_t pid, absl::Duration timeout) {
  absl::StatusOr<int> s = ouzel::fixtures::WaitForExit(pid, timeout);
  if (!s.ok()) KillChild(pid);
  return s;
}

bool ChildExited(pid_t pid, int* wait_status) { return waitpid(pid, wait_status, WNOHANG) == pid; }

std::string Absolute(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path;
}

}  // namespace ouzel_crash
