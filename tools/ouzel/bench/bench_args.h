// BenchArgs: `ouzel bench conn|pub|sub` options, named as emqtt-bench names them (-c clients,
// -i connect interval, -I publish interval, -t topic, -s size, -q QoS, -L limit), plus the
// shared connection options (connection_args.h; -L's URL is spelled --url here, since -L is the
// limit) and the bounds every run has (--duration).
#ifndef OUZEL_TOOLS_OUZEL_BENCH_BENCH_ARGS_H_
#define OUZEL_TOOLS_OUZEL_BENCH_BENCH_ARGS_H_

#include <cstdint>
#include <string>

#include "tools/ouzel/connection_args.h"

namespace ouzel_cli {

enum class BenchMode { kConn, kPub, kSub };

struct BenchArgs {
  BenchMode mode = BenchMode::kConn;
  ConnectionArgs conn;
  int64_t clients = 100;              // -c
  int64_t start_number = 1;           // -n: the first client's number (%i)
  double connect_interval_ms = 10;    // -i, or 1000 / --conn-rate
  double publish_interval_ms = 1000;  // -I; 0: as fast as --window allows
  int64_t window = 64;                // -I 0: unfinished messages per client
  std::string topic;                  // -t, with %i and %c
  int64_t payload_size = 256;         // -s
  int qos = 0;                        // -q
  bool retain = false;                // -r
  int64_t limit = 0;                  // -L: pub per client, sub in total; 0: until --duration
  double duration_s = 60;             // the whole run's bound
  double hold_s = 0;                  // conn: keep the connections this long once all are up
  std::string client_prefix;          // --prefix
  std::string csv_path;               // --csv: per-second rows ("-": stdout)
  bool quiet = false;                 // --quiet: no progress lines
  bool help = false;
};

// Reads argv (argv[0] is "bench", argv[1] the mode). False with a message in *error.
bool ParseBenchArgs(int argc, char** argv, BenchArgs* a, std::string* error);

// The topic of client `number` (%i) in a run of `count` clients (%c); %% is a '%'.
std::string ExpandTopic(const std::string& pattern, int64_t number, int64_t count);

extern const char kBenchHelp[];

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_BENCH_BENCH_ARGS_H_
