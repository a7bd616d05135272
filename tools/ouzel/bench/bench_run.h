// BenchRun: one `ouzel bench` run. Starts the clients at the connect rate, drives them all from
// this thread through ClientLoop, publishes on schedule (pub) or counts arrivals (sub), reports
// each second, and ends when the work is done, --duration passes or a signal arrives — then
// disconnects and frees every client, whatever happened.
#ifndef OUZEL_TOOLS_OUZEL_BENCH_BENCH_RUN_H_
#define OUZEL_TOOLS_OUZEL_BENCH_BENCH_RUN_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ouzel.h"
#include "tools/ouzel/bench/bench_args.h"
#include "tools/ouzel/bench/bench_report.h"
#include "tools/ouzel/bench/client_loop.h"
#include "tools/ouzel/bench/latency_histogram.h"

namespace ouzel_cli {

class BenchRun {
 public:
  // `opts` holds the shared connection options (the client id is set per client); `csv` may be
  // nullptr.
  BenchRun(const BenchArgs& a, ouzel_options* opts, FILE* csv);
  ~BenchRun();
  BenchRun(const BenchRun&) = delete;
  BenchRun& operator=(const BenchRun&) = delete;

  // Runs to the end, prints the summary, returns the exit status.
  int Run();
  // For the summary: the descriptor limit the run had.
  void set_open_files_limit(int64_t n) { summary_.open_files_limit = n; }

 private:
  enum class State { kConnecting, kConnected, kFailed, kLost, kClosed };
  struct Client {
    BenchRun* run = nullptr;
    uint32_t index = 0;
    ouzel_client* handle = nullptr;
    std::string topic;
    State state = State::kConnecting;
    int64_t connect_started_us = 0;
    int64_t sent = 0;
    int64_t finished = 0;
    bool done = false;  // counted in done_clients_: nothing left to do (or it cannot)
    std::unordered_map<uint64_t, int64_t> sent_at_us;  // token -> publish time
  };

  static void OnConnect(ouzel_client*, int32_t, int32_t, const ouzel_properties*, void* client);
  static void OnConnectFail(ouzel_client*, int32_t error, int32_t reason_code, void* client);
  static void OnDisconnect(ouzel_client*, int32_t error, int32_t reason_code, int32_t by_server,
                           const ouzel_properties*, void* client);
  static void OnPublish(ouzel_client*, uint64_t token, const ouzel_delivery_status* status,
                        const ouzel_properties*, void* client);
  static void OnSubscribe(ouzel_client*, int32_t, const uint8_t* codes, size_t count,
                          const ouzel_properties*, void* client);
  static void OnMessage(ouzel_client*, const ouzel_message* msg, void* client);

  bool StartClient(std::string* error);
  void PublishOne(Client* c);
  void TopUp(Client* c);
  bool Finished(int64_t now_ms, std::string* reason);
  void Shutdown();
  void NoteError(const std::string& message);
  void MarkDone(Client* c);
  int ExitStatus(const std::string& end_reason) const;

  const BenchArgs& a_;
  ouzel_options* opts_;
  ClientLoop loop_;
  ProgressReporter progress_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::string payload_;
  using Due = std::pair<int64_t, uint32_t>;  // (due time in ms, client index)
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> publish_due_;

  BenchCounters counters_;
  LatencyHistogram latency_;           // since the start
  LatencyHistogram interval_latency_;  // this second
  LatencyHistogram connect_latency_;
  BenchSummary summary_;
  int64_t start_ms_ = 0;
  int64_t first_traffic_us_ = 0;
  int64_t last_traffic_us_ = 0;
  int64_t last_connack_us_ = 0;
  int64_t settled_ms_ = -1;  // when every connection attempt had ended
  int64_t connecting_ = 0;
  int64_t done_clients_ = 0;
  bool shutting_down_ = false;
  int fatal_status_ = 0;  // a client could not even be created: the run stops with this status
};

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_BENCH_BENCH_RUN_H_
