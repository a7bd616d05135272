// Automatic acknowledgement (manual_ack off) happens after on_message returns, never before: a
// process that dies inside on_message must get the message again from the broker. Checked against
// the ScriptedFakeBroker test double, which records exactly when each ack reaches it, in every
// loop mode; also what happens when on_message disconnects.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/base/busy_status.h"
#include "cc/client/client.h"
#include "cc/client/client_test_util.h"
#include "cc/codec/packets.h"
#include "gtest/gtest.h"
#include "tests/fixtures/fake_broker.h"

namespace ouzel {
namespace {

using fixtures::ScriptedFakeBroker;
using testing::LoopMode;
using testing::LoopRunner;
using testing::WaitFor;

constexpr absl::Duration kTimeout = absl::Seconds(10);
// How long on_message waits to see whether an ack reaches the fake anyway. Were the ack written
// before the callback, it would be in the fake's socket already, and the fake's reader thread
// records it within this bound. (The test passes by waiting it out; no speed is asserted.)
constexpr absl::Duration kAckWouldHaveArrived = absl::Milliseconds(300);

ClientOptions OptionsFor(int port) {
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", port)};
  o.session.client_id = "ouzel-ack-order-test";
  o.reconnect_min_delay = absl::Milliseconds(50);
  o.reconnect_max_delay = absl::Seconds(1);
  o.reconnect_jitter = 0;
  o.auto_reconnect = false;
  o.connect_timeout = absl::Seconds(5);
  return o;
}

std::unique_ptr<Client> MakeClient(ClientOptions o) {
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(*c) : nullptr;
}

std::unique_ptr<ScriptedFakeBroker> MakeFake() {
  absl::StatusOr<std::unique_ptr<ScriptedFakeBroker>> fake = ScriptedFakeBroker::Create();
  EXPECT_TRUE(fake.ok()) << fake.status();
  return fake.ok() ? std::move(*fake) : nullptr;
}

template <typename T>
T WithId(uint16_t id) {
  T p;
  p.packet_id = id;
  return p;
}

PublishPacket Incoming(std::string payload, uint8_t qos, uint16_t id, bool dup = false) {
  PublishPacket p;
  p.topic = "t";
  p.payload = std::move(payload);
  p.qos = qos;
  p.packet_id = id;
  p.dup = dup;
  return p;
}

ScriptedFakeBroker::Predicate IdIs(uint16_t id) {
  return [id](const Packet& p) {
    return std::visit(
        [&](const auto& x) -> bool {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_base_of_v<PublishAck, T>) {
            return x.packet_id == id;
          } else {
            return false;
          }
        },
        p);
  };
}

// How many `type` packets for `id` the fake has received on `connection`.
int AcksReceived(const ScriptedFakeBroker& fake, PacketType type, uint16_t id, int connection = 0) {
  int n = 0;
  for (const Packet& p : fake.packets(connection)) {
    if (TypeOf(p) == type && IdIs(id)(p)) ++n;
  }
  return n;
}

struct Delivery {
  uint16_t packet_id;
  bool ack_arrived_during_callback;
};

class AckOrderTest : public ::testing::TestWithParam<LoopMode> {};

// QoS 1 (PUBACK) and QoS 2 delivered on PUBLISH (PUBREC): neither ack reaches the broker while
// on_message runs; each does after it returns, in arrival order.
TEST_P(AckOrderTest, PubackAndPubrecLeaveOnlyAfterOnMessageReturns) {
  auto fake = MakeFake();
  ASSERT_NE(fake, nullptr);
  fake->ExpectPacket(PacketType::kConnect)
      .Send(ConnackPacket{})
      .Send(Incoming("one", 1, 7))
      .ExpectPacket(PacketType::kPuback, IdIs(7))
      .Send(Incoming("two", 2, 8))
      .ExpectPacket(PacketType::kPubrec, IdIs(8))
      .Send(WithId<PubrelPacket>(8))
      .ExpectPacket(PacketType::kPubcomp, IdIs(8))
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose();
  ASSERT_TRUE(fake->Start().ok());
  auto client = MakeClient(OptionsFor(fake->port()));
  ASSERT_NE(client, nullptr);
  std::mutex mu;
  std::vector<Delivery> deliveries;
  client->SetOnMessage([&](const Message& m) {
    PacketType ack = m.qos == 1 ? PacketType::kPuback : PacketType::kPubrec;
    bool arrived =
        WaitFor([&] { return AcksReceived(*fake, ack, m.packet_id) > 0; }, kAckWouldHaveArrived);
    std::lock_guard<std::mutex> lock(mu);
    deliveries.push_back({m.packet_id, arrived});
  });
  std::atomic<int> disconnects{0};
  client->SetOnDisconnect([&](const DisconnectedEvent&) { ++disconnects; });
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(
      runner.RunUntil([&] { return AcksReceived(*fake, PacketType::kPubcomp, 8) == 1; }, kTimeout))
      << fake->Transcript();
  {
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(deliveries.size(), 2u);
    EXPECT_EQ(deliveries[0].packet_id, 7);
    EXPECT_FALSE(deliveries[0].ack_arrived_during_callback) << "PUBACK before on_message returned";
    EXPECT_EQ(deliveries[1].packet_id, 8);
    EXPECT_FALSE(deliveries[1].ack_arrived_during_callback) << "PUBREC before on_message returned";
  }
  EXPECT_EQ(AcksReceived(*fake, PacketType::kPuback, 7), 1);
  EXPECT_EQ(AcksReceived(*fake, PacketType::kPubrec, 8), 1);
  // Manual Ack stays refused without manual_ack (for a message whose ack was not withheld).
  EXPECT_EQ(client->Ack(7).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsBusy(client->WithholdAck()));  // outside on_message
  ASSERT_TRUE(client->Disconnect().ok());
  EXPECT_TRUE(runner.RunUntil([&] { return disconnects.load() == 1; }, kTimeout));
  EXPECT_TRUE(fake->Finish().ok()) << fake->Transcript();
  EXPECT_TRUE(runner.hook_errors().empty()) << runner.hook_errors()[0];
}

// QoS 2 delivered on PUBREL: PUBREC goes out at once (nothing is delivered yet), PUBCOMP only
// after on_message returns.
TEST_P(AckOrderTest, PubcompLeavesOnlyAfterOnMessageReturnsWhenDeliveringOnPubrel) {
  auto fake = MakeFake();
  ASSERT_NE(fake, nullptr);
  fake->ExpectPacket(PacketType::kConnect)
      .Send(ConnackPacket{})
      .Send(Incoming("held", 2, 9))
      .ExpectPacket(PacketType::kPubrec, IdIs(9))
      .Send(WithId<PubrelPacket>(9))
      .ExpectPacket(PacketType::kPubcomp, IdIs(9))
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose();
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.session.qos2_delivery = Qos2Delivery::kOnPubrel;
  auto client = MakeClient(std::move(o));
  ASSERT_NE(client, nullptr);
  std::atomic<int> delivered{0};
  std::atomic<bool> pubcomp_during_callback{false};
  client->SetOnMessage([&](const Message& m) {
    EXPECT_EQ(m.payload, "held");
    if (WaitFor([&] { return AcksReceived(*fake, PacketType::kPubcomp, 9) > 0; },
                kAckWouldHaveArrived)) {
      pubcomp_during_callback = true;
    }
    ++delivered;
  });
  std::atomic<int> disconnects{0};
  client->SetOnDisconnect([&](const DisconnectedEvent&) { ++disconnects; });
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(
      runner.RunUntil([&] { return AcksReceived(*fake, PacketType::kPubcomp, 9) == 1; }, kTimeout))
      << fake->Transcript();
  EXPECT_EQ(delivered.load(), 1);
  EXPECT_FALSE(pubcomp_during_callback.load());
  ASSERT_TRUE(client->Disconnect().ok());
  EXPECT_TRUE(runner.RunUntil([&] { return disconnects.load() == 1; }, kTimeout));
  EXPECT_TRUE(fake->Finish().ok()) << fake->Transcript();
}

// on_message disconnects: nothing follows the DISCONNECT (no PUBREC). The message still counts as
// handled, so when the broker sends it again on the resumed session it gets its PUBREC and is not
// delivered a second time.
TEST_P(AckOrderTest, DisconnectInsideOnMessageSendsNoAckAfterDisconnect) {
  auto fake = MakeFake();
  ASSERT_NE(fake, nullptr);
  ConnackPacket resumed;
  resumed.session_present = true;
  fake->ExpectPacket(PacketType::kConnect)
      .Send(ConnackPacket{})
      .Send(Incoming("once", 2, 5))
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose()
      .AcceptNext()
      .ExpectPacket(PacketType::kConnect)
      .Send(resumed)
      .Send(Incoming("once", 2, 5, /*dup=*/true))
      .ExpectPacket(PacketType::kPubrec, IdIs(5))
      .Send(WithId<PubrelPacket>(5))
      .ExpectPacket(PacketType::kPubcomp, IdIs(5))
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose();
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.session.clean_start = false;
  auto client = MakeClient(std::move(o));
  ASSERT_NE(client, nullptr);
  std::atomic<int> delivered{0};
  std::atomic<int> disconnects{0};
  client->SetOnMessage([&](const Message&) {
    if (++delivered == 1) EXPECT_TRUE(client->Disconnect().ok());
  });
  client->SetOnDisconnect([&](const DisconnectedEvent&) { ++disconnects; });
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return disconnects.load() == 1; }, kTimeout))
      << fake->Transcript();
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return AcksReceived(*fake, PacketType::kPubcomp, 5, 1) == 1; },
                              kTimeout))
      << fake->Transcript();
  ASSERT_TRUE(client->Disconnect().ok());
  EXPECT_TRUE(runner.RunUntil([&] { return disconnects.load() == 2; }, kTimeout));
  EXPECT_TRUE(fake->Finish().ok()) << fake->Transcript();
  EXPECT_EQ(delivered.load(), 1);
  std::vector<Packet> first = fake->packets(0);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(TypeOf(first.back()), PacketType::kDisconnect) << fake->Transcript();
  EXPECT_EQ(AcksReceived(*fake, PacketType::kPubrec, 5, 0), 0);
}

// on_message withholds the first message's ack (its handler failed): the second message's
// PUBACK waits behind it (arrival order, [MQTT-4.6.0-2]) until the application acks the first
// with Ack; then both leave, in order.
TEST_P(AckOrderTest, WithheldAck_HoldsLaterAcksUntilAcked_ThenBothLeaveInOrder) {
  auto fake = MakeFake();
  ASSERT_NE(fake, nullptr);
  fake->ExpectPacket(PacketType::kConnect)
      .Send(ConnackPacket{})
      .Send(Incoming("fails", 1, 3))
      .Send(Incoming("works", 1, 4))
      .ExpectPacket(PacketType::kPuback, IdIs(3))
      .ExpectPacket(PacketType::kPuback, IdIs(4))
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose();
  ASSERT_TRUE(fake->Start().ok());
  auto client = MakeClient(OptionsFor(fake->port()));
  ASSERT_NE(client, nullptr);
  std::atomic<int> delivered{0};
  std::atomic<bool> withheld_ok{false};
  client->SetOnMessage([&](const Message& m) {
    if (m.payload == "fails") withheld_ok = client->WithholdAck().ok();
    ++delivered;
  });
  std::atomic<int> disconnects{0};
  client->SetOnDisconnect([&](const DisconnectedEvent&) { ++disconnects; });
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return delivered.load() == 2; }, kTimeout))
      << fake->Transcript();
  EXPECT_TRUE(withheld_ok.load());
  // Long enough for an ack written now to reach the fake; neither may.
  runner.RunUntil([] { return false; }, kAckWouldHaveArrived);
  EXPECT_EQ(AcksReceived(*fake, PacketType::kPuback, 3), 0) << fake->Transcript();
  EXPECT_EQ(AcksReceived(*fake, PacketType::kPuback, 4), 0) << fake->Transcript();
  EXPECT_EQ(client->Ack(4).code(), absl::StatusCode::kInvalidArgument);  // 4 was not withheld
  ASSERT_TRUE(client->Ack(3).ok());
  ASSERT_TRUE(
      runner.RunUntil([&] { return AcksReceived(*fake, PacketType::kPuback, 4) == 1; }, kTimeout))
      << fake->Transcript();
  EXPECT_EQ(client->Ack(3).code(), absl::StatusCode::kInvalidArgument);  // once only
  ASSERT_TRUE(client->Disconnect().ok());
  EXPECT_TRUE(runner.RunUntil([&] { return disconnects.load() == 1; }, kTimeout));
  EXPECT_TRUE(fake->Finish().ok()) << fake->Transcript();  // PUBACK 3 came before PUBACK 4
}

INSTANTIATE_TEST_SUITE_P(AllLoopModes, AckOrderTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const ::testing::TestParamInfo<LoopMode>& info) {
                           return testing::LoopModeName(info.param);
                         });

}  // namespace
}  // namespace ouzel
