// What `ouzel bench` reports: the counters a run keeps, one progress line (stderr) and one CSV
// row per second, and the final summary (stdout, "key: value" lines a script can read).
#ifndef OUZEL_TOOLS_OUZEL_BENCH_BENCH_REPORT_H_
#define OUZEL_TOOLS_OUZEL_BENCH_BENCH_REPORT_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "tools/ouzel/bench/bench_args.h"
#include "tools/ouzel/bench/latency_histogram.h"

namespace ouzel_cli {

struct BenchCounters {
  int64_t started = 0;    // connection attempts begun
  int64_t connected = 0;  // connected now
  int64_t ever_connected = 0;
  int64_t failed = 0;  // never connected
  int64_t lost = 0;    // connected, then lost the connection before the run ended
  int64_t subscribed = 0;
  int64_t refused = 0;  // subscriptions the broker refused
  int64_t sent = 0;     // publishes accepted by the library
  int64_t acked = 0;    // finished as delivered (QoS 0: written)
  int64_t dropped = 0;  // finished otherwise, or refused by the library
  int64_t received = 0;
};

// Resident memory of this process, in KiB, from /proc/self/status ("VmRSS" or "VmHWM", the
// peak). 0 when unreadable.
int64_t ReadMemoryKib(const char* field);

class ProgressReporter {
 public:
  // `csv` may be nullptr; the reporter writes its header.
  ProgressReporter(BenchMode mode, int64_t clients, bool quiet, FILE* csv);
  // One line and one row for the second that ended at `time_s` (the last one of a run may be
  // shorter).
  void Second(double time_s, const BenchCounters& c, const LatencyHistogram& interval);
  double last_time_s() const { return last_time_s_; }

 private:
  BenchMode mode_;
  int64_t clients_;
  bool quiet_;
  FILE* csv_;
  double last_time_s_ = 0;
  BenchCounters last_;
};

struct BenchSummary {
  double elapsed_s = 0;
  double connect_time_s = 0;      // first attempt to the last CONNACK
  double traffic_time_s = 0;      // first publish (or message) to the last completion (or message)
  int64_t rss_start_kib = 0;      // before the first client
  int64_t rss_connected_kib = 0;  // when every connection attempt had ended
  int64_t rss_peak_kib = 0;
  int64_t open_files_limit = 0;
  std::string end_reason;   // "limit reached", "--duration passed", "interrupted", ...
  std::string first_error;  // the first connection, subscription or delivery failure
};

void PrintSummary(FILE* out, const BenchArgs& a, const BenchCounters& c,
                  const LatencyHistogram& latency, const LatencyHistogram& connect_latency,
                  const BenchSummary& s);

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_BENCH_BENCH_REPORT_H_
