// ouzel bench conn|pub|sub: parses the options, makes sure the process may open the descriptors
// the run needs (raising RLIMIT_NOFILE), and runs one BenchRun.
#include <sys/resource.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "ouzel.h"
#include "tools/ouzel/bench/bench_args.h"
#include "tools/ouzel/bench/bench_run.h"
#include "tools/ouzel/commands.h"
#include "tools/ouzel/connection_args.h"
#include "tools/ouzel/exit_codes.h"
#include "tools/ouzel/stop_signals.h"

namespace ouzel_cli {
namespace {

// Each client holds two descriptors (its socket and its wake eventfd); the rest is headroom for
// the process itself (stdio, epoll, the CSV file, TLS certificate files being read).
constexpr rlim_t kHeadroom = 64;

// Raises the soft limit on open files to `need`, and the hard limit too when allowed
// (CAP_SYS_RESOURCE). Returns the limit in force, or 0 with *error when `need` cannot be had.
rlim_t RaiseOpenFiles(rlim_t need, std::string* error) {
  rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) {
    *error = std::string("getrlimit: ") + std::strerror(errno);
    return 0;
  }
  if (lim.rlim_cur >= need) return lim.rlim_cur;
  rlimit want = lim;
  want.rlim_cur = need;
  if (want.rlim_max < need) want.rlim_max = need;
  if (setrlimit(RLIMIT_NOFILE, &want) == 0) return need;
  *error = "the run needs " + std::to_string(need) + " open files (2 per client); the limit is " +
           std::to_string(lim.rlim_cur) + " (hard " + std::to_string(lim.rlim_max) +
           ") and cannot be raised (" + std::strerror(errno) +
           "): raise it (ulimit -n) or run fewer clients";
  return 0;
}

}  // namespace

int RunBench(int argc, char** argv) {
  BenchArgs a;
  std::string error;
  if (!ParseBenchArgs(argc, argv, &a, &error)) return UsageError("ouzel bench", error, a.quiet);
  if (a.help) {
    std::fputs(kBenchHelp, stdout);
    return kExitOk;
  }
  InstallStopSignals();
  rlim_t limit = RaiseOpenFiles(static_cast<rlim_t>(a.clients) * 2 + kHeadroom, &error);
  if (limit == 0) {
    if (!a.quiet) std::fprintf(stderr, "ouzel bench: %s\n", error.c_str());
    return kExitError;
  }
  OptionsPtr opts = MakeOptions(a.conn, a.client_prefix, &error);
  if (opts == nullptr) return UsageError("ouzel bench", error, a.quiet);
  // A benchmark counts a lost connection; it does not hide it behind a reconnection.
  ouzel_options_set_int(opts.get(), OUZEL_OPT_RECONNECT, 0);

  FILE* csv = nullptr;
  if (a.csv_path == "-") {
    csv = stdout;
  } else if (!a.csv_path.empty()) {
    csv = std::fopen(a.csv_path.c_str(), "w");
    if (csv == nullptr) {
      return UsageError("ouzel bench",
                        "--csv: cannot write '" + a.csv_path + "': " + std::strerror(errno),
                        a.quiet);
    }
  }
  int status;
  {
    BenchRun run(a, opts.get(), csv);
    run.set_open_files_limit(static_cast<int64_t>(limit));
    status = run.Run();
  }
  if (csv != nullptr && csv != stdout) std::fclose(csv);
  return status;
}

}  // namespace ouzel_cli
