// Pins the heap allocations of the publish path: Client::Publish plus the driver work that writes
// the message (caller-driven mode, so both run on this thread and a thread-local count sees them).
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "absl/strings/str_cat.h"
#include "cc/client/client.h"
#include "cc/client/client_test_util.h"
#include "gtest/gtest.h"
#include "tests/fixtures/fake_broker.h"

namespace {
thread_local size_t t_allocations = 0;
}  // namespace

void* operator new(size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace ouzel {
namespace {

using fixtures::ScriptedFakeBroker;
using testing::EventRecorder;
using testing::LoopMode;
using testing::LoopRunner;

struct Measured {
  double per_publish_call = 0;    // inside Client::Publish (including building the request)
  double per_message_driver = 0;  // inside Loop: copying out, writing, completing, on_publish
};

Measured Measure(uint8_t qos, size_t payload_size) {
  ScriptedFakeBroker::Options fo;
  auto fake = *ScriptedFakeBroker::Create(fo);
  fake->ExpectPacket(PacketType::kConnect).Send(ConnackPacket{});
  EXPECT_TRUE(fake->Start().ok());
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", fake->port())};
  o.session.client_id = "alloc";
  o.session.max_inflight = 0;
  auto client = *Client::Create(o);
  std::atomic<int> done{0};
  client->SetOnPublish([&](const PublishDoneEvent&) { done.fetch_add(1); });
  std::atomic<bool> connected{false};
  client->SetOnConnect([&](const ConnectedEvent&) { connected = true; });
  EXPECT_TRUE(client->ConnectAsync().ok());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  EXPECT_TRUE(runner.RunUntil([&] { return connected.load(); }, absl::Seconds(10)));

  const std::string topic = "bench/t";  // short: fits std::string's inline buffer
  const std::string payload(payload_size, 'p');
  constexpr int kBatch = 64;
  constexpr int kRounds = 40;
  Measured m;
  size_t publish_allocs = 0, driver_allocs = 0, messages = 0;
  for (int round = 0; round < kRounds + 10; ++round) {
    size_t before = t_allocations;
    for (int i = 0; i < kBatch; ++i) {
      absl::StatusOr<MessageToken> t = client->Publish(topic, payload, qos);
      EXPECT_TRUE(t.ok());
    }
    size_t after_publish = t_allocations;
    // QoS 0 completes when written; QoS 1 would need the fake to ack, so QoS 0 only here.
    int target = (round + 1) * kBatch;
    while (done.load() < target) client->Loop(absl::Milliseconds(10)).IgnoreError();
    size_t after_driver = t_allocations;
    if (round >= 10) {  // warmed up: buffers and tables at their working size
      publish_allocs += after_publish - before;
      driver_allocs += after_driver - after_publish;
      messages += kBatch;
    }
  }
  m.per_publish_call = static_cast<double>(publish_allocs) / messages;
  m.per_message_driver = static_cast<double>(driver_allocs) / messages;
  fake->Finish().IgnoreError();
  return m;
}

TEST(ClientAllocationTest, Qos0PublishAllocatesOnlyTheMessageItself) {
  Measured m = Measure(0, 200);
  std::printf(
      "QoS 0, 200-byte payload: %.2f allocations in Publish, %.2f in the driver, per message\n",
      m.per_publish_call, m.per_message_driver);
  // Publish: the payload's std::string (the message itself; the topic fits inline), plus the
  // Session's containers growing now and then (about 3 per 64 messages).
  EXPECT_LE(m.per_publish_call, 1.1);
  // Driver: nothing per message from the client. What remains is per batch: Session::TakeEvents
  // returns a fresh vector, which regrows (1, 2, 4, ... 64: 7 allocations) for each batch.
  EXPECT_LT(m.per_message_driver, 0.2);
}

}  // namespace
}  // namespace ouzel
