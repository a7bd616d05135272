#include "tools/ouzel/bench/bench_args.h"

#include <unistd.h>

#include <cstring>

#include "tools/ouzel/bench/bench_payload.h"

namespace ouzel_cli {

const char kBenchHelp[] = R"(usage: ouzel bench conn|pub|sub [options]
Many clients in one process (one thread, one epoll set, the library's external-loop mode), in the
manner of emqtt-bench. Progress once a second on stderr, a summary on stdout.

  conn                  connect the clients and hold the connections
  pub                   connect and publish: each client every -I ms, a payload carrying its
                        send time; latency is publish to acknowledgement (QoS 1/2) or to write
  sub                   connect and subscribe; latency is the payload's send time to arrival
                        (clocks of other machines must agree)
Options:
  -c N                  clients [100]
  -n N                  number of the first client (%i) [1]
  -i MS                 interval between connection starts [10]; --conn-rate N per second
  -I MS                 pub: interval between one client's messages [1000]; 0: as fast as the
                        window allows
  --window N            pub -I 0: unfinished messages per client [64]
  -t PATTERN            topic; %i is the client's number, %c the number of clients, %% a '%'
  -s BYTES              pub: payload size, at least 16 (the timestamp) [256]
  -q QOS, -r            QoS [0]; retain (pub)
  -L N                  pub: messages per client; sub: messages in all; the run ends there
  --duration S          the longest the run lasts, connecting included [60]
  --hold S              conn: keep the connections S seconds once all are up [0]
  --prefix P            client ids P + number [ouzel_bench_<pid>_]
  --csv FILE            one row per second (and none for the summary): time_s, connected,
                        failed, lost, sent, sent_per_s, acked, acked_per_s, received,
                        received_per_s, latency_p50_ms, latency_p90_ms, latency_p99_ms,
                        latency_max_ms, rss_kib ('-': stdout)
  --quiet               no progress lines
  --url URI             the broker as a URI (mqtt://, mqtts://, ws://, wss://, unix://)
  -h, -p, -V, -u, -P, -k, --cafile, --cert, --key, --insecure, --proxy, ...
                        as for ouzel pub (ouzel pub --help)

Exit status: 0 the run ended as planned (every client connected, -L reached when given), 2 bad
command line, 3 some clients could not connect, 5 a connection was lost, 6 messages were refused
or dropped, 7 --duration ended the run before -L was reached, 8 interrupted, 1 other errors
(not enough file descriptors). The summary is printed in every case.
)";

std::string ExpandTopic(const std::string& pattern, int64_t number, int64_t count) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      char c = pattern[i + 1];
      if (c == 'i' || c == 'c' || c == '%') {
        out += c == 'i' ? std::to_string(number) : c == 'c' ? std::to_string(count) : "%";
        ++i;
        continue;
      }
    }
    out.push_back(pattern[i]);
  }
  return out;
}

bool ParseBenchArgs(int argc, char** argv, BenchArgs* a, std::string* error) {
  if (argc < 2) {
    *error = "give a mode: conn, pub or sub";
    return false;
  }
  std::string mode = argv[1];
  if (mode == "--help" || mode == "help") {
    a->help = true;
    return true;
  } else if (mode == "conn") {
    a->mode = BenchMode::kConn;
  } else if (mode == "pub") {
    a->mode = BenchMode::kPub;
  } else if (mode == "sub") {
    a->mode = BenchMode::kSub;
  } else {
    *error = "unknown mode '" + mode + "' (conn, pub or sub)";
    return false;
  }
  // Bench options are read first: -c, -i, -I, -L mean what they mean in emqtt-bench here, not
  // what they mean to pub and sub.
  ArgReader r(argc - 1, argv + 1);
  while (r.Next()) {
    if (r.Is(nullptr, "--help")) {
      a->help = true;
      return true;
    } else if (r.Is("-c", "--count")) {
      a->clients = r.Int(1, 1000000);
    } else if (r.Is("-n", "--startnumber")) {
      a->start_number = r.Int(0, INT32_MAX);
    } else if (r.Is("-i", "--interval")) {
      a->connect_interval_ms = r.Number(0, 3600000);
    } else if (r.Is(nullptr, "--conn-rate")) {
      a->connect_interval_ms = 1000.0 / r.Number(0.001, 1e7);
    } else if (r.Is("-I", "--interval_of_msg")) {
      a->publish_interval_ms = r.Number(0, 3600000);
    } else if (r.Is(nullptr, "--window")) {
      a->window = r.Int(1, 65535);
    } else if (r.Is("-t", "--topic")) {
      a->topic = r.Value();
    } else if (r.Is("-s", "--size")) {
      a->payload_size = r.Int(kBenchHeaderSize, 268435455);
    } else if (r.Is("-q", "--qos")) {
      a->qos = static_cast<int>(r.Int(0, 2));
    } else if (r.Is("-r", "--retain")) {
      r.Flag();
      a->retain = true;
    } else if (r.Is("-L", "--limit")) {
      a->limit = r.Int(0, INT64_MAX);
    } else if (r.Is(nullptr, "--duration")) {
      a->duration_s = r.Number(0.001, 31536000);
    } else if (r.Is(nullptr, "--hold")) {
      a->hold_s = r.Number(0, 31536000);
    } else if (r.Is(nullptr, "--prefix")) {
      a->client_prefix = r.Value();
    } else if (r.Is(nullptr, "--csv")) {
      a->csv_path = r.Value();
    } else if (r.Is(nullptr, "--quiet")) {
      r.Flag();
      a->quiet = true;
      a->conn.quiet = true;
    } else if (!ParseConnectionOption(r, &a->conn)) {
      r.Unknown();
    }
  }
  if (r.failed()) {
    *error = r.error();
    return false;
  }
  if (a->mode != BenchMode::kConn && a->topic.empty()) {
    *error = "give a topic pattern with -t (e.g. -t 'bench/%i')";
    return false;
  }
  if (!a->topic.empty()) {
    std::string sample = ExpandTopic(a->topic, a->start_number, a->clients);
    int rc = a->mode == BenchMode::kSub ? ouzel_topic_validate_filter(sample.data(), sample.size())
                                        : ouzel_topic_validate_name(sample.data(), sample.size());
    if (rc != OUZEL_OK) {
      *error = "-t: '" + sample + "' is not a valid topic: " + ouzel_last_error_message();
      return false;
    }
  }
  if (a->mode != BenchMode::kConn && a->hold_s > 0) {
    *error = "--hold applies to bench conn only";
    return false;
  }
  if (!a->conn.client_id.empty()) {
    *error = "bench names its clients with --prefix";
    return false;
  }
  if (a->client_prefix.empty()) {
    a->client_prefix = "ouzel_bench_" + std::to_string(static_cast<long>(getpid())) + "_";
  }
  return true;
}

}  // namespace ouzel_cli
