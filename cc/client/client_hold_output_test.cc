// SessionOptions::hold_output_until_released in the client: messages queued while offline leave
// after the application has seen the connection (on_connect returned, or the CONNECTED event was
// released from the event queue), so a re-subscribe made there reaches the broker first, as
// paho-mqtt orders it. Against the ScriptedFakeBroker, which checks the packet order.
#include <atomic>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/client/client.h"
#include "gtest/gtest.h"
#include "tests/fixtures/fake_broker.h"

namespace ouzel {
namespace {

using fixtures::ScriptedFakeBroker;

constexpr absl::Duration kTimeout = absl::Seconds(10);

ClientOptions HoldingOptions(int port) {
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", port)};
  o.session.client_id = "hold-output-test";
  o.session.hold_output_until_released = true;
  return o;
}

// CONNACK, then the SUBSCRIBE made when the application learns of it, then the message that was
// queued before the connection.
std::unique_ptr<ScriptedFakeBroker> SubscribeBeforeQueuedPublish() {
  absl::StatusOr<std::unique_ptr<ScriptedFakeBroker>> fake = ScriptedFakeBroker::Create();
  EXPECT_TRUE(fake.ok()) << fake.status();
  SubackPacket suback;
  suback.packet_id = 2;
  suback.reason_codes = {1};
  PubackPacket puback;
  puback.packet_id = 1;
  (*fake)
      ->ExpectPacket(PacketType::kConnect)
      .Send(ConnackPacket{})
      .ExpectPacket(PacketType::kSubscribe)
      .Send(suback)
      .ExpectPacket(PacketType::kPublish)
      .Send(puback);
  EXPECT_TRUE((*fake)->Start().ok());
  return std::move(*fake);
}

SubscribeRequest Resubscribe() {
  SubscribeRequest r;
  Subscription s;
  s.filter = "replies/#";
  s.qos = 1;
  r.subscriptions.push_back(s);
  return r;
}

TEST(ClientHoldOutputTest, QueuedMessageLeavesAfterOnConnectReturned) {
  auto fake = SubscribeBeforeQueuedPublish();
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(HoldingOptions(fake->port()));
  ASSERT_TRUE(client.ok()) << client.status();
  Client* c = client->get();
  c->SetOnConnect([c](const ConnectedEvent&) {
    // Slow on purpose: the queued message must still wait for the callback to return.
    absl::SleepFor(absl::Milliseconds(50));
    EXPECT_TRUE(c->Subscribe(Resubscribe()).ok());
  });
  absl::StatusOr<MessageToken> token = c->Publish("requests/1", "queued offline", 1);
  ASSERT_TRUE(token.ok()) << token.status();
  ASSERT_TRUE(c->LoopStart().ok());
  ASSERT_TRUE(c->ConnectAsync().ok());
  absl::StatusOr<MessageStatus> done = c->WaitForPublish(*token, kTimeout);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state, DeliveryState::kAcknowledged);
  ASSERT_TRUE(c->LoopStop().ok());
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
}

TEST(ClientHoldOutputTest, QueuedMessageLeavesAfterTheConnectedEventIsReleased) {
  auto fake = SubscribeBeforeQueuedPublish();
  ClientOptions o = HoldingOptions(fake->port());
  o.event_queue.enabled = true;
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(std::move(o));
  ASSERT_TRUE(client.ok()) << client.status();
  Client* c = client->get();
  absl::StatusOr<MessageToken> token = c->Publish("requests/1", "queued offline", 1);
  ASSERT_TRUE(token.ok()) << token.status();
  ASSERT_TRUE(c->LoopStart().ok());
  ASSERT_TRUE(c->ConnectAsync().ok());

  // Poll until the CONNECTED event; hold it a while, subscribe, then release it.
  std::vector<QueuedEvent*> got;
  QueuedEvent* connected = nullptr;
  absl::Time deadline = absl::Now() + kTimeout;
  while (connected == nullptr && absl::Now() < deadline) {
    ASSERT_TRUE(c->PollEvents(got, 16, absl::Milliseconds(100)).ok());
    for (QueuedEvent* e : got) {
      const auto* s = std::get_if<SessionEvent>(&e->event);
      if (s != nullptr && std::holds_alternative<ConnectedEvent>(*s)) connected = e;
    }
  }
  ASSERT_NE(connected, nullptr);
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(c->DeliveryStatus(*token)->state, DeliveryState::kQueued);
  EXPECT_TRUE(c->Subscribe(Resubscribe()).ok());
  ASSERT_TRUE(c->ReleaseEvents(absl::MakeConstSpan(got)).ok());

  absl::StatusOr<MessageStatus> done = c->WaitForPublish(*token, kTimeout);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state, DeliveryState::kAcknowledged);
  ASSERT_TRUE(c->LoopStop().ok());
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
}

}  // namespace
}  // namespace ouzel
