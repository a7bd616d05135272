// Client CPU per message publishing to a local Mosquitto (the broker is another process, so the
// process's CPU time is the client's: the publishing thread plus the loop thread).
//
//   bazel run -c opt //cc/client:client_benchmark -- [qos0_messages] [qos1_messages]
//   [qos2_messages]
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

// `window`: at most this many messages published and not yet finished (0: no limit). Packet
// identifiers are assigned at Publish, so QoS 1/2 need a window below 65,535.
int Run(int port, uint8_t qos, int messages, int window) {
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", port)};
  o.session.client_id = absl::StrCat("bench-q", qos);
  auto client = *Client::Create(o);
  std::atomic<int> done{0};
  std::atomic<bool> connected{false};
  client->SetOnPublish(
      [&](const PublishDoneEvent&) { done.fetch_add(1, std::memory_order_relaxed); });
  client->SetOnConnect([&](const ConnectedEvent&) { connected = true; });
  if (!client->ConnectAsync().ok() || !client->LoopStart().ok()) return 1;
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!connected.load() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  if (!connected.load()) {
    std::fprintf(stderr, "not connected\n");
    return 1;
  }
  const std::string payload(32, 'x');
  double cpu0 = CpuSeconds();
  absl::Time t0 = absl::Now();
  for (int i = 0; i < messages; ++i) {
    // Sleep (not spin) while the window is full, so the CPU measured is the client's work.
    while (window > 0 && i - done.load(std::memory_order_relaxed) >= window) {
      absl::SleepFor(absl::Microseconds(50));
    }
    absl::StatusOr<MessageToken> t = client->Publish("bench/topic", payload, qos);
    if (!t.ok()) {
      std::fprintf(stderr, "publish: %s\n", t.status().ToString().c_str());
      return 1;
    }
  }
  deadline = absl::Now() + absl::Seconds(300);
  while (done.load() < messages && absl::Now() < deadline) absl::SleepFor(absl::Microseconds(200));
  double cpu = CpuSeconds() - cpu0;
  absl::Duration wall = absl::Now() - t0;
  ClientStats s = client->Stats();
  std::printf(
      "QoS %d: %d messages, %.3f s CPU (%.2f us/message, %.2f CPU s per million), "
      "%.3f s wall (%.0f msg/s), %llu bytes out\n",
      qos, messages, cpu, cpu * 1e6 / messages, cpu * 1e6 / messages, absl::ToDoubleSeconds(wall),
      messages / absl::ToDoubleSeconds(wall), static_cast<unsigned long long>(s.bytes_sent));
  client->Disconnect().IgnoreError();
  absl::SleepFor(absl::Milliseconds(50));
  client->LoopStop().IgnoreError();
  return done.load() == messages ? 0 : 1;
}

}  // namespace
}  // namespace ouzel

int main(int argc, char** argv) {
  int n0 = argc > 1 ? std::atoi(argv[1]) : 1000000;
  int n1 = argc > 2 ? std::atoi(argv[2]) : 200000;
  int n2 = argc > 3 ? std::atoi(argv[3]) : 100000;
  int window = argc > 4 ? std::atoi(argv[4]) : 1000;
  ouzel::fixtures::MosquittoBroker::Options bo;
  bo.extra_config = {"max_queued_messages 0"};
  auto broker = ouzel::fixtures::MosquittoBroker::Start(bo);
  if (!broker.ok()) {
    std::fprintf(stderr, "%s\n", broker.status().ToString().c_str());
    return 1;
  }
  int rc = 0;
  if (n0 > 0) rc |= ouzel::Run((*broker)->port(), 0, n0, window);
  if (n1 > 0) rc |= ouzel::Run((*broker)->port(), 1, n1, window);
  if (n2 > 0) rc |= ouzel::Run((*broker)->port(), 2, n2, window);
  return rc;
}
