// FaultRelay: a TCP relay for tests, between a client and a real broker, that injects network
// faults at random points of the byte streams: it closes a connection (FIN), resets it (RST),
// truncates a chunk and closes, duplicates the connection (a second connection replays the
// client's CONNECT, as a stale twin behind a NAT would, and the broker's session takeover ends the
// real one), or delays a chunk. Every fault is counted; the schedule comes from a seed, so a
// failing run can be replayed.
//
// Bytes are never duplicated inside one connection: TCP cannot do that, and a stream with, say,
// a QoS 2 PUBREL and a PUBLISH replayed after them is one no client could tell from a new message
// with a reused packet id (it would lose or duplicate it by the protocol's own rules).
//
//   FaultRelay relay({.target_port = broker->port(), .seed = 42});
//   ASSERT_TRUE(relay.Start().ok());
//   ... the client connects to 127.0.0.1:relay.port() ...
//   relay.Stop();
//   relay.stats().faults();
//
// Faults are injected after a random number of relayed bytes (both directions together), drawn
// per connection from [min_bytes, max_bytes]; min_bytes above a CONNECT/CONNACK exchange keeps
// every connection able to make progress. Each connection runs on its own thread; Stop closes
// everything and joins them (bounded: every poll wakes at least every 50 ms).
#ifndef OUZEL_TESTS_FAULT_FAULT_RELAY_H_
#define OUZEL_TESTS_FAULT_FAULT_RELAY_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "tests/fault/broker_stream_log.h"

namespace ouzel_fault {

enum class Fault { kClose, kReset, kTruncate, kDuplicate, kDelay };
const char* FaultName(Fault f);

struct FaultRelayOptions {
  int target_port = 0;  // the broker, on 127.0.0.1
  uint64_t seed = 1;
  size_t min_bytes = 300;  // relayed bytes before the next fault, per connection
  size_t max_bytes = 8000;
  int max_delay_ms = 100;  // kDelay
  // At most one fault per this many milliseconds across all connections (0: no limit). With
  // steady traffic and a small byte budget this gives a fault about every interval (the soak).
  int min_interval_ms = 0;
  // Which faults to inject: bit (1 << Fault). All by default.
  uint32_t kinds = 0x1f;
  // When set, every broker-to-client byte read is fed to it (one Connection per connection).
  BrokerStreamLog* broker_log = nullptr;
};

struct FaultStats {
  std::atomic<uint64_t> connections{0};
  std::atomic<uint64_t> by_kind[5] = {};
  uint64_t faults() const;
  std::string ToString() const;
};

class FaultRelay {
 public:
  explicit FaultRelay(FaultRelayOptions options) : options_(options), rng_(options.seed) {}
  ~FaultRelay() { Stop(); }
  FaultRelay(const FaultRelay&) = delete;
  FaultRelay& operator=(const FaultRelay&) = delete;

  absl::Status Start();  // listens on a free loopback port
  void Stop();           // idempotent
  int port() const { return port_; }
  const FaultStats& stats() const { return stats_; }
  // While paused, new faults are not injected (connections relay plainly), so a test can let
  // everything drain at the end.
  void set_paused(bool paused) { paused_.store(paused); }

 private:
  void AcceptLoop();
  void Pump(int client_fd, uint64_t seed);
  Fault NextFault(std::mt19937_64& rng) const;
  // Whether a fault may happen now (min_interval_ms); claims the slot when it may.
  bool ClaimFaultSlot();

  const FaultRelayOptions options_;
  std::mt19937_64 rng_;  // seeds the connections' own generators (accept thread only)
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> paused_{false};
  std::atomic<int64_t> last_fault_ns_{0};  // steady_clock
  FaultStats stats_;
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> pumps_;
};

}  // namespace ouzel_fault

#endif  // OUZEL_TESTS_FAULT_FAULT_RELAY_H_
