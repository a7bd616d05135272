// What WebSockets cost the client: CPU per message publishing the same messages to one local
// Mosquitto over mqtt:// and over ws://, in the same run, and the ratio. The broker is another
// process, so the process's CPU time is the client's (the publishing thread plus the loop thread).
// Publishing only: Mosquitto 2.0.11 sends WebSocket messages slowly (docs/websockets.md), which
// would measure the broker rather than the client.
//
//   bazel run -c opt //cc/client:client_websocket_benchmark -- [messages] [payload_bytes] [qos]
#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/client/client.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}

struct Result {
  bool ok = false;
  double cpu_us_per_message = 0;
  double wall_seconds = 0;
  uint64_t bytes_out = 0;
};

// Publishes `messages` at `qos` with at most 1,000 unfinished at a time.
Result Run(const std::string& uri, uint8_t qos, int messages, size_t payload_bytes) {
  Result r;
  ClientOptions o;
  o.servers = {uri};
  o.session.client_id = absl::StrCat("bench-", uri.substr(0, 2), "-q", qos);
  auto client = *Client::Create(o);
  std::atomic<int> done{0};
  std::atomic<bool> connected{false};
  client->SetOnPublish(
      [&](const PublishDoneEvent&) { done.fetch_add(1, std::memory_order_relaxed); });
  client->SetOnConnect([&](const ConnectedEvent&) { connected = true; });
  if (!client->ConnectAsync().ok() || !client->LoopStart().ok()) return r;
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!connected.load() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  if (!connected.load()) {
    std::fprintf(stderr, "%s: not connected\n", uri.c_str());
    return r;
  }
  constexpr int kWindow = 1000;
  const std::string payload(payload_bytes, 'x');
  const double cpu0 = CpuSeconds();
  const absl::Time t0 = absl::Now();
  for (int i = 0; i < messages; ++i) {
    while (i - done.load(std::memory_order_relaxed) >= kWindow) {
      absl::SleepFor(absl::Microseconds(50));
    }
    if (!client->Publish("bench/ws", payload, qos).ok()) return r;
  }
  deadline = absl::Now() + absl::Seconds(300);
  while (done.load() < messages && absl::Now() < deadline) absl::SleepFor(absl::Microseconds(200));
  r.cpu_us_per_message = (CpuSeconds() - cpu0) * 1e6 / messages;
  r.wall_seconds = absl::ToDoubleSeconds(absl::Now() - t0);
  r.bytes_out = client->Stats().bytes_sent;
  r.ok = done.load() == messages;
  client->Disconnect().IgnoreError();
  absl::SleepFor(absl::Milliseconds(50));
  client->LoopStop().IgnoreError();
  return r;
}

}  // namespace
}  // namespace ouzel

int main(int argc, char** argv) {
  const int messages = argc > 1 ? std::atoi(argv[1]) : 200000;
  const size_t payload = argc > 2 ? static_cast<size_t>(std::atoi(argv[2])) : 32;
  const auto qos = static_cast<uint8_t>(argc > 3 ? std::atoi(argv[3]) : 1);
  ouzel::fixtures::MosquittoBroker::Options bo;
  bo.websockets = true;
  bo.extra_config = {"max_queued_messages 0"};
  auto broker = ouzel::fixtures::MosquittoBroker::Start(bo);
  if (!broker.ok()) {
    std::fprintf(stderr, "%s\n", broker.status().ToString().c_str());
    return 1;
  }
  const std::string tcp = absl::StrCat("mqtt://127.0.0.1:", (*broker)->port());
  const std::string ws = absl::StrCat("ws://127.0.0.1:", (*broker)->websocket_port());
  ouzel::Result a = ouzel::Run(tcp, qos, messages, payload);
  ouzel::Result b = ouzel::Run(ws, qos, messages, payload);
  if (!a.ok || !b.ok) {
    std::fprintf(stderr, "a run did not finish\n");
    return 1;
  }
  std::printf("QoS %d, %d messages of %zu bytes\n", qos, messages, payload);
  std::printf("  mqtt://  %.2f us CPU/message, %.3f s wall, %llu bytes out\n", a.cpu_us_per_message,
              a.wall_seconds, static_cast<unsigned long long>(a.bytes_out));
  std::printf("  ws://    %.2f us CPU/message, %.3f s wall, %llu bytes out\n", b.cpu_us_per_message,
              b.wall_seconds, static_cast<unsigned long long>(b.bytes_out));
  std::printf("  ws/tcp CPU ratio %.2f\n", b.cpu_us_per_message / a.cpu_us_per_message);
  return 0;
}
