// Client behaviour against the ScriptedFakeBroker test double: protocol flows in every loop mode,
// refusals, dropped connections and backoff, redirects, several servers, callbacks that call the
// API, destruction from a callback, and the external-loop hooks.
#include "cc/client/client.h"

#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cc/base/byte_buffer.h"
#include "cc/client/client_test_util.h"
#include "cc/codec/encode.h"
#include "cc/codec/packets.h"
#include "gtest/gtest.h"
#include "tests/fixtures/fake_broker.h"

namespace ouzel {
namespace {

using fixtures::ScriptedFakeBroker;
using testing::EventRecorder;
using testing::LoopMode;
using testing::LoopRunner;
using testing::WaitFor;

constexpr absl::Duration kTimeout = absl::Seconds(10);

ClientOptions OptionsFor(int port, ProtocolVersion version = ProtocolVersion::kV311) {
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", port)};
  o.session.client_id = "ouzel-client-test";
  o.session.version = version;
  o.reconnect_min_delay = absl::Milliseconds(50);
  o.reconnect_max_delay = absl::Seconds(1);
  o.reconnect_jitter = 0;
  o.connect_timeout = absl::Seconds(5);
  return o;
}

std::unique_ptr<Client> MakeClient(ClientOptions o) {
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(*c) : nullptr;
}

std::unique_ptr<ScriptedFakeBroker> MakeFake(ProtocolVersion version = ProtocolVersion::kV311) {
  ScriptedFakeBroker::Options o;
  o.version = version;
  absl::StatusOr<std::unique_ptr<ScriptedFakeBroker>> fake = ScriptedFakeBroker::Create(o);
  EXPECT_TRUE(fake.ok()) << fake.status();
  return fake.ok() ? std::move(*fake) : nullptr;
}

ConnackPacket Connack(uint8_t reason_code = 0, Properties properties = {}) {
  ConnackPacket c;
  c.reason_code = reason_code;
  c.properties = std::move(properties);
  return c;
}

template <typename Ack>
Ack MakeAck(uint16_t id) {
  Ack a;
  a.packet_id = id;
  return a;
}

ScriptedFakeBroker::Predicate PublishWith(uint8_t qos, uint16_t id, std::string payload) {
  return [=](const Packet& p) {
    const auto& pub = std::get<PublishPacket>(p);
    return pub.qos == qos && pub.packet_id == id && pub.payload == payload;
  };
}

ScriptedFakeBroker::Predicate AckFor(uint16_t id) {
  return [=](const Packet& p) {
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

PublishPacket IncomingPublish(std::string topic, std::string payload, uint8_t qos, uint16_t id) {
  PublishPacket p;
  p.topic = std::move(topic);
  p.payload = std::move(payload);
  p.qos = qos;
  p.packet_id = id;
  return p;
}

class ClientModesTest : public ::testing::TestWithParam<LoopMode> {};

// The whole life of a connection in each loop mode: CONNECT/CONNACK, SUBSCRIBE/SUBACK, publishing
// at QoS 0, 1 and 2 (PUBACK; PUBREC/PUBREL/PUBCOMP), receiving at QoS 1 and 2, DISCONNECT.
TEST_P(ClientModesTest, ConnectSubscribePublishAtEveryQosAndDisconnect) {
  auto fake = MakeFake();
  ASSERT_NE(fake, nullptr);
  SubackPacket suback;
  suback.packet_id = 1;
  suback.reason_codes = {2};
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .ExpectPacket(PacketType::kSubscribe,
                    [](const Packet& p) { return std::get<SubscribePacket>(p).packet_id == 1; })
      .Send(suback)
      .ExpectPacket(PacketType::kPublish, PublishWith(0, 0, "q0"))
      .ExpectPacket(PacketType::kPublish, PublishWith(1, 2, "q1"))
      .Send(MakeAck<PubackPacket>(2))
      .ExpectPacket(PacketType::kPublish, PublishWith(2, 3, "q2"))
      .Send(MakeAck<PubrecPacket>(3))
      .ExpectPacket(PacketType::kPubrel, AckFor(3))
      .Send(MakeAck<PubcompPacket>(3))
      .Send(IncomingPublish("in/1", "one", 1, 10))
      .ExpectPacket(PacketType::kPuback, AckFor(10))
      .Send(IncomingPublish("in/2", "two", 2, 11))
      .ExpectPacket(PacketType::kPubrec, AckFor(11))
      .Send(MakeAck<PubrelPacket>(11))
      .ExpectPacket(PacketType::kPubcomp, AckFor(11))
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose();
  ASSERT_TRUE(fake->Start().ok());

  auto client = MakeClient(OptionsFor(fake->port()));
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout))
      << fake->Transcript();
  EXPECT_TRUE(client->IsConnected());

  ASSERT_TRUE(client->Subscribe("in/#", 2).ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.subscribed().size() == 1; }, kTimeout));
  EXPECT_EQ(events.subscribed()[0].reason_codes, std::vector<uint8_t>{2});

  absl::StatusOr<MessageToken> t0 = client->Publish("out", "q0", 0);
  absl::StatusOr<MessageToken> t1 = client->Publish("out", "q1", 1);
  absl::StatusOr<MessageToken> t2 = client->Publish("out", "q2", 2);
  ASSERT_TRUE(t0.ok() && t1.ok() && t2.ok());
  ASSERT_TRUE(runner.RunUntil(
      [&] { return events.published().size() == 3 && events.messages().size() == 2; }, kTimeout))
      << fake->Transcript();
  for (MessageToken t : {*t0, *t1, *t2}) {
    std::optional<MessageStatus> s = client->DeliveryStatus(t);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->state, DeliveryState::kAcknowledged) << t;
  }
  std::vector<Message> in = events.messages();
  EXPECT_EQ(in[0].topic, "in/1");
  EXPECT_EQ(in[0].payload, "one");
  EXPECT_EQ(in[1].topic, "in/2");
  EXPECT_EQ(in[1].qos, 2);
  // The incoming QoS 2 flow ends with our PUBCOMP (the message itself was delivered on PUBLISH).
  ASSERT_TRUE(runner.RunUntil(
      [&] {
        for (const Packet& p : fake->packets(0)) {
          if (std::holds_alternative<PubcompPacket>(p)) return true;
        }
        return false;
      },
      kTimeout));

  ASSERT_TRUE(client->Disconnect().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.disconnects() == 1; }, kTimeout));
  EXPECT_TRUE(events.disconnected()[0].error.ok()) << events.disconnected()[0].error;
  EXPECT_FALSE(client->IsConnected());
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();

  EXPECT_EQ(events.callback_threads(), 1u);
  EXPECT_FALSE(events.overlapped());
  EXPECT_TRUE(runner.hook_errors().empty()) << runner.hook_errors()[0];
  ClientStats stats = client->Stats();
  EXPECT_EQ(stats.messages_sent, 3u);
  EXPECT_EQ(stats.messages_received, 2u);
  EXPECT_GT(stats.bytes_sent, 0u);
  EXPECT_GT(stats.bytes_received, 0u);
  EXPECT_EQ(stats.connections, 1u);
  EXPECT_EQ(stats.reconnects, 0u);
}

TEST_P(ClientModesTest, RefusedConnackIsReportedAndNotRetriedWithoutAutoReconnect) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect).Send(Connack(5)).WaitForClose();
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.auto_reconnect = false;
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connect_failures() >= 1; }, kTimeout));
  runner.RunFor(absl::Milliseconds(300));  // long enough for a retry (min delay 50 ms)
  std::vector<ConnectFailedEvent> failed = events.connect_failed();
  ASSERT_EQ(failed.size(), 1u);
  ASSERT_TRUE(failed[0].reason_code.has_value());
  EXPECT_EQ(*failed[0].reason_code, 5);
  EXPECT_EQ(events.connects(), 0);
  EXPECT_EQ(fake->connections_accepted(), 1);
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
}

TEST_P(ClientModesTest, ExternalHooksAgreeWithSocketAndWantWrite) {
  // Meaningful for kExternal (the runner checks every hook against Socket()/WantWrite()); the
  // other modes must simply not call the hooks inconsistently either.
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .ExpectPacket(PacketType::kPublish)
      .Send(MakeAck<PubackPacket>(1))
      .CloseConnection();
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.auto_reconnect = false;
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout));
  EXPECT_GE(client->Socket(), 0);
  ASSERT_TRUE(client->Publish("t", std::string(1000, 'x'), 1).ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.disconnects() == 1; }, kTimeout))
      << fake->Transcript();
  EXPECT_EQ(client->Socket(), -1);
  EXPECT_FALSE(client->WantWrite());
  EXPECT_TRUE(runner.hook_errors().empty()) << runner.hook_errors()[0];
  if (GetParam() == LoopMode::kExternal) {
    EXPECT_EQ(runner.sockets_opened(), 1);
  }
  EXPECT_FALSE(events.disconnected()[0].error.ok());
  fake->Finish().IgnoreError();
}

// Keepalive is the Session's timer; the driver must call it in time in every mode (in the
// external mode through NextTimeout and LoopMisc).
TEST_P(ClientModesTest, PingreqGoesOutWhenKeepaliveIsDue) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .ExpectPacket(PacketType::kPingreq, nullptr, absl::Seconds(3))
      .Send(PingrespPacket{})
      .ExpectNoPacket(absl::Milliseconds(500));
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.session.keep_alive_seconds = 1;
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return fake->WaitForScript(absl::ZeroDuration()).ok(); },
                              absl::Seconds(6)))
      << fake->Transcript();
  std::vector<ScriptedFakeBroker::Received> got = fake->received();
  ASSERT_EQ(got.size(), 2u) << fake->Transcript();
  absl::Duration gap = got[1].time - got[0].time;
  EXPECT_GE(gap, absl::Milliseconds(900));
  EXPECT_LT(gap, absl::Milliseconds(1600));
  EXPECT_TRUE(client->IsConnected());
  EXPECT_EQ(events.disconnects(), 0);
  fake->Finish().IgnoreError();
}

// An application-supplied transport (through ClientOptions::transport_factory) that holds what
// it receives and hands it out one byte per Read, as a TLS transport holds decrypted records:
// the socket is not readable again, so the driver must keep reading while HasBufferedInput().
class TrickleTransport : public Transport {
 public:
  explicit TrickleTransport(std::unique_ptr<Transport> inner) : inner_(std::move(inner)) {}
  absl::Status StartConnect(absl::Time now, absl::Time deadline) override {
    return inner_->StartConnect(now, deadline);
  }
  absl::StatusOr<bool> ContinueConnect(absl::Time now) override {
    return inner_->ContinueConnect(now);
  }
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override {
    if (held_.empty()) {
      uint8_t chunk[4096];
      absl::StatusOr<size_t> n = inner_->Read(absl::MakeSpan(chunk));
      if (!n.ok()) return n.status();
      held_.append(reinterpret_cast<char*>(chunk), *n);
    }
    if (held_.empty() || buffer.empty()) return 0;
    buffer[0] = static_cast<uint8_t>(held_[0]);
    held_.erase(0, 1);
    return 1;
  }
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override {
    return inner_->Write(data);
  }
  bool HasBufferedInput() const override { return !held_.empty(); }
  void Close() override { inner_->Close(); }
  int fd() const override { return inner_->fd(); }
  IoInterest interest() const override { return inner_->interest(); }
  std::optional<absl::Time> NextTimeout() const override { return inner_->NextTimeout(); }
  std::string Describe() const override { return "trickle " + inner_->Describe(); }

 private:
  std::unique_ptr<Transport> inner_;
  std::string held_;
};

TEST_P(ClientModesTest, InputBufferedInsideTheTransportIsAllRead) {
  auto fake = MakeFake();
  std::string burst;
  for (int i = 0; i < 10; ++i) {
    ByteBuffer b;
    ASSERT_TRUE(EncodePacket(Packet(IncomingPublish("burst", absl::StrCat("m", i), 0, 0)),
                             ProtocolVersion::kV311, &b)
                    .ok());
    burst += std::string(b.view());
  }
  fake->ExpectPacket(PacketType::kConnect).Send(Connack()).SendRaw(burst);  // ~120 bytes at once
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.transport_factory = [](const ServerAddress& a, const TransportOptions& t,
                           TransportContext c) -> absl::StatusOr<std::unique_ptr<Transport>> {
    absl::StatusOr<std::unique_ptr<Transport>> inner = CreateTransport(a, t, std::move(c));
    if (!inner.ok()) return inner.status();
    return std::unique_ptr<Transport>(new TrickleTransport(std::move(*inner)));
  };
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.messages().size() == 10; }, absl::Seconds(5)))
      << events.messages().size() << " of 10 delivered";
  EXPECT_EQ(events.messages()[9].payload, "m9");
  fake->Finish().IgnoreError();
}

// A resolver that answers 50 ms later from another thread, as getaddrinfo on the system
// resolver's helper thread does: the loop must pick the answer up when the Waker fires.
class LateResolver : public Resolver {
 public:
  absl::StatusOr<std::shared_ptr<ResolveJob>> Start(absl::string_view host, uint16_t port,
                                                    std::shared_ptr<Waker> waker) override {
    auto job = std::make_shared<Job>();
    std::thread([job, port, waker] {
      absl::SleepFor(absl::Milliseconds(50));
      {
        std::lock_guard<std::mutex> lock(job->mu);
        job->result =
            std::vector<ResolvedAddress>{*ResolvedAddress::FromLiteral("127.0.0.1", port)};
      }
      waker->Wake();
    }).detach();
    return std::shared_ptr<ResolveJob>(job);
  }

 private:
  struct Job : ResolveJob {
    std::optional<absl::StatusOr<std::vector<ResolvedAddress>>> TakeResult() override {
      std::lock_guard<std::mutex> lock(mu);
      return std::exchange(result, std::nullopt);
    }
    std::mutex mu;
    std::optional<absl::StatusOr<std::vector<ResolvedAddress>>> result;
  };
};

TEST_P(ClientModesTest, NameResolvedOnAnotherThreadWakesTheLoop) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect).Send(Connack());
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.servers = {absl::StrCat("mqtt://broker.test:", fake->port())};
  o.resolver = std::make_shared<LateResolver>();
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), GetParam());
  ASSERT_TRUE(client->ConnectAsync().ok());
  EXPECT_EQ(client->Socket(), -1);
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, absl::Seconds(3)))
      << absl::StrJoin(events.logs(), "\n");
  fake->Finish().IgnoreError();
}

INSTANTIATE_TEST_SUITE_P(AllLoopModes, ClientModesTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const ::testing::TestParamInfo<LoopMode>& info) {
                           return testing::LoopModeName(info.param);
                         });

// The broker drops an accepted connection; the client reconnects after min_delay, then doubles
// the delay for each failed attempt, and resets it after the next accepted CONNACK.
TEST(ClientReconnectTest, ReconnectsWithExponentialBackoffResetByConnack) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .CloseConnection()  // drop an accepted connection
      .AcceptNext()
      .ExpectPacket(PacketType::kConnect)
      .CloseConnection()  // attempt 1 fails before CONNACK
      .AcceptNext()
      .ExpectPacket(PacketType::kConnect)
      .CloseConnection()  // attempt 2 fails
      .AcceptNext()
      .ExpectPacket(PacketType::kConnect)
      .Send(Connack())  // attempt 3 accepted: backoff resets
      .CloseConnection()
      .AcceptNext()
      .ExpectPacket(PacketType::kConnect)
      .Send(Connack());
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.reconnect_min_delay = absl::Milliseconds(100);
  o.reconnect_max_delay = absl::Seconds(2);
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(client->LoopStart().ok());
  ASSERT_TRUE(WaitFor([&] { return events.connects() == 3; }, kTimeout)) << fake->Transcript();
  ASSERT_TRUE(fake->WaitForScript(kTimeout).ok()) << fake->Transcript();

  std::vector<absl::Time> connects;
  for (const ScriptedFakeBroker::Received& r : fake->received()) {
    if (r.packet && std::holds_alternative<ConnectPacket>(*r.packet)) connects.push_back(r.time);
  }
  ASSERT_EQ(connects.size(), 5u);
  // Gaps: drop -> 100 ms, fail -> 200 ms, fail -> 400 ms, (accepted, reset) drop -> 100 ms.
  std::vector<absl::Duration> expected = {absl::Milliseconds(100), absl::Milliseconds(200),
                                          absl::Milliseconds(400), absl::Milliseconds(100)};
  for (size_t i = 0; i < expected.size(); ++i) {
    absl::Duration gap = connects[i + 1] - connects[i];
    EXPECT_GE(gap, expected[i]) << "gap " << i;
    EXPECT_LT(gap, expected[i] + absl::Milliseconds(250)) << "gap " << i;
  }
  EXPECT_EQ(client->Stats().reconnects, 2u);
  EXPECT_EQ(events.disconnects(), 2);
  EXPECT_GE(events.connect_failures(), 2);
  ASSERT_TRUE(client->LoopStop().ok());
  fake->Finish().IgnoreError();
}

TEST(ClientReconnectTest, ServersAreTriedInOrder) {
  // A port nothing listens on (a fake's, after it is gone), then a live fake.
  auto dead_listener = MakeFake();
  int dead_port = dead_listener->port();
  dead_listener.reset();

  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect).Send(Connack());
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", dead_port),
               absl::StrCat("mqtt://127.0.0.1:", fake->port())};
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout));
  std::vector<ConnectFailedEvent> failed = events.connect_failed();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].error.message().find(absl::StrCat("127.0.0.1:", dead_port)),
            absl::string_view::npos)
      << failed[0].error;
  fake->Finish().IgnoreError();
}

TEST(ClientReconnectTest, ServerReferenceIsFollowedOnlyWhenOptedIn) {
  for (bool follow : {false, true}) {
    SCOPED_TRACE(follow ? "follow" : "do not follow");
    ScriptedFakeBroker::Options target_options;
    target_options.version = ProtocolVersion::kV5;
    target_options.accept_timeout = absl::Seconds(1);  // nobody comes when not following
    auto target = *ScriptedFakeBroker::Create(target_options);
    target->ExpectPacket(PacketType::kConnect).Send(Connack());
    ASSERT_TRUE(target->Start().ok());
    auto first = MakeFake(ProtocolVersion::kV5);
    Properties props;
    props.SetString(PropertyId::kServerReference, absl::StrCat("127.0.0.1:", target->port()));
    first->ExpectPacket(PacketType::kConnect).Send(Connack(0x9C, props)).WaitForClose();
    ASSERT_TRUE(first->Start().ok());

    ClientOptions o = OptionsFor(first->port(), ProtocolVersion::kV5);
    o.follow_server_reference = follow;
    o.auto_reconnect = false;
    auto client = MakeClient(o);
    EventRecorder events;
    events.Attach(client.get());
    LoopRunner runner(client.get(), LoopMode::kCaller);
    ASSERT_TRUE(client->ConnectAsync().ok());
    runner.RunUntil([&] { return events.connects() == 1; }, absl::Seconds(2));
    EXPECT_EQ(events.connects(), follow ? 1 : 0);
    EXPECT_EQ(target->connections_accepted(), follow ? 1 : 0);
    EXPECT_EQ(client->Stats().connect_attempts, follow ? 2u : 1u);
    ASSERT_GE(events.connect_failures(), 1);
    EXPECT_EQ(events.connect_failed()[0].reason_code, std::optional<uint8_t>(0x9C));
    first->Finish().IgnoreError();
    target->Finish().IgnoreError();
  }
}

TEST(ClientLoopForeverTest, ReturnsOkAfterDisconnectFromACallback) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose();
  ASSERT_TRUE(fake->Start().ok());
  auto client = MakeClient(OptionsFor(fake->port()));
  Client* c = client.get();
  client->SetOnConnect([c](const ConnectedEvent&) { EXPECT_TRUE(c->Disconnect().ok()); });
  EXPECT_EQ(client->LoopForever().code(), absl::StatusCode::kFailedPrecondition)
      << "nothing to run before Connect/ConnectAsync";
  ASSERT_TRUE(client->ConnectAsync().ok());
  EXPECT_TRUE(client->LoopForever().ok());
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
}

TEST(ClientLoopForeverTest, FirstConnectionFailureEndsItUnlessRetrying) {
  auto gone = MakeFake();
  int port = gone->port();
  gone.reset();
  auto client = MakeClient(OptionsFor(port));
  ASSERT_TRUE(client->ConnectAsync().ok());
  absl::Status s = client->LoopForever(/*retry_first_connection=*/false);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_EQ(client->Stats().connect_attempts, 1u);

  // Retrying: attempts continue (50 ms, 100 ms, ...) until LoopStop from a callback.
  std::atomic<int> failures{0};
  Client* c = client.get();
  client->SetOnConnectFailed([&](const ConnectFailedEvent&) {
    if (++failures == 3) EXPECT_TRUE(c->LoopStop().ok());
  });
  ASSERT_TRUE(client->ConnectAsync().ok());
  EXPECT_TRUE(client->LoopForever(/*retry_first_connection=*/true).ok());
  EXPECT_EQ(failures.load(), 3);
}

TEST(ClientReconnectTest, ReconnectDropsTheConnectionAndConnectsAgainAtOnce) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .WaitForClose()
      .AcceptNext()
      .ExpectPacket(PacketType::kConnect)
      .Send(Connack());
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.reconnect_min_delay = absl::Seconds(5);  // Reconnect must not wait for the backoff
  o.reconnect_max_delay = absl::Seconds(5);
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout));
  ASSERT_TRUE(client->Reconnect().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 2; }, absl::Seconds(3)))
      << fake->Transcript();
  EXPECT_EQ(fake->connections_accepted(), 2);
  EXPECT_EQ(client->Stats().reconnects, 1u);
  for (const Packet& p : fake->packets(0)) {
    EXPECT_FALSE(std::holds_alternative<DisconnectPacket>(p)) << "Reconnect sends no DISCONNECT";
  }
  fake->Finish().IgnoreError();
}

TEST(ClientConnectTest, BlockingConnectReturnsTheTransportErrorWithoutALoop) {
  auto gone = MakeFake();
  int port = gone->port();
  gone.reset();
  auto client = MakeClient(OptionsFor(port));
  absl::Time start = absl::Now();
  absl::Status s = client->Connect();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_NE(s.message().find("Connection refused"), absl::string_view::npos) << s;
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_FALSE(client->IsConnected());
  // No automatic retry follows a failed blocking Connect.
  EXPECT_EQ(client->Loop(absl::Milliseconds(200)).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(client->Stats().connect_attempts, 1u);
}

TEST(ClientConnectTest, BlockingConnectWritesConnectAndCallbacksWaitForTheLoop) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect).Send(Connack());
  ASSERT_TRUE(fake->Start().ok());
  auto client = MakeClient(OptionsFor(fake->port()));
  EventRecorder events;
  events.Attach(client.get());
  std::atomic<int> opened{-1};
  client->SetOnSocketOpen([&](int fd) { opened = fd; });
  ASSERT_TRUE(client->Connect().ok());
  EXPECT_GE(opened.load(), 0) << "on_socket_open runs inside the blocking Connect";
  EXPECT_EQ(opened.load(), client->Socket());
  ASSERT_TRUE(WaitFor([&] { return !fake->packets(0).empty(); }, kTimeout))
      << "CONNECT must be written before Connect returns";
  EXPECT_EQ(events.connects(), 0) << "on_connect runs in a loop call, never inside Connect";
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout));
  fake->Finish().IgnoreError();
}

TEST(ClientCallbackTest, CallbacksMayCallTheApiButNotBlock) {
  auto fake = MakeFake();
  SubackPacket suback;
  suback.packet_id = 1;
  suback.reason_codes = {1};
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .ExpectPacket(PacketType::kSubscribe)
      .Send(suback)
      .ExpectPacket(PacketType::kPublish, PublishWith(1, 2, "from on_subscribe"))
      .Send(MakeAck<PubackPacket>(2))
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose();
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  auto client = MakeClient(o);
  Client* c = client.get();
  std::vector<std::string> results;
  std::mutex mu;
  auto note = [&](std::string s) {
    std::lock_guard<std::mutex> lock(mu);
    results.push_back(std::move(s));
  };
  std::atomic<bool> disconnected{false};
  client->SetOnConnect([&](const ConnectedEvent&) {
    note(absl::StrCat("subscribe:", c->Subscribe("a/#", 1).ok()));
    note(absl::StrCat("wait:", c->WaitForPublish(1, absl::Seconds(1)).status().code()));
    note(absl::StrCat("connect:", c->Connect().code()));
    note(absl::StrCat("loop:", c->Loop(absl::ZeroDuration()).code()));
    note(absl::StrCat("misc:", c->LoopMisc().code()));
  });
  client->SetOnSubscribe([&](const SubscribeDoneEvent&) {
    note(absl::StrCat("publish:", c->Publish("b", "from on_subscribe", 1).ok()));
  });
  client->SetOnPublish(
      [&](const PublishDoneEvent&) { note(absl::StrCat("disconnect:", c->Disconnect().ok())); });
  client->SetOnDisconnect([&](const DisconnectedEvent&) { disconnected = true; });
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(client->LoopStart().ok());
  ASSERT_TRUE(WaitFor([&] { return disconnected.load(); }, kTimeout)) << fake->Transcript();
  ASSERT_TRUE(client->LoopStop().ok());
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
  const int kFailedPrecondition = static_cast<int>(absl::StatusCode::kFailedPrecondition);
  std::vector<std::string> expected = {"subscribe:1",
                                       absl::StrCat("wait:", kFailedPrecondition),
                                       absl::StrCat("connect:", kFailedPrecondition),
                                       absl::StrCat("loop:", kFailedPrecondition),
                                       absl::StrCat("misc:", kFailedPrecondition),
                                       "publish:1",
                                       "disconnect:1"};
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(results, expected);
}

// A slow application must not starve keepalive: timers run between the callbacks of a batch.
TEST(ClientCallbackTest, SlowCallbacksDoNotStarveKeepalive) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .SendRaw([] {
        std::string all;
        for (int i = 0; i < 4; ++i) {
          ByteBuffer b;
          EncodePacket(Packet(IncomingPublish("slow", absl::StrCat(i), 0, 0)),
                       ProtocolVersion::kV311, &b)
              .IgnoreError();
          all += std::string(b.view());
        }
        return all;  // four messages in one segment: one batch of four callbacks
      }())
      .ExpectPacket(PacketType::kPingreq, nullptr, absl::Seconds(4))
      .Send(PingrespPacket{});
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(fake->port());
  o.session.keep_alive_seconds = 1;
  auto client = MakeClient(o);
  std::atomic<int> handled{0};
  client->SetOnMessage([&](const Message&) {
    absl::SleepFor(absl::Milliseconds(600));
    ++handled;
  });
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(client->LoopStart().ok());
  ASSERT_TRUE(WaitFor([&] { return handled.load() == 4; }, kTimeout));
  ASSERT_TRUE(fake->WaitForScript(kTimeout).ok()) << fake->Transcript();
  ASSERT_TRUE(client->LoopStop().ok());
  // The PINGREQ arrived while the callbacks were still running (they took 2.4 s together).
  absl::Time pingreq;
  for (const ScriptedFakeBroker::Received& r : fake->received()) {
    if (r.packet && std::holds_alternative<PingreqPacket>(*r.packet)) pingreq = r.time;
  }
  absl::Time connect = fake->received()[0].time;
  EXPECT_LT(pingreq - connect, absl::Milliseconds(2000)) << fake->Transcript();
  fake->Finish().IgnoreError();
}

class ClientDestroyTest : public ::testing::TestWithParam<LoopMode> {};

// Destroying the client inside its own on_connect: no deadlock, no further callback, the
// connection is closed (abruptly: no DISCONNECT), and the loop call returns.
TEST_P(ClientDestroyTest, DestroyInsideCallbackIsDeferredUntilItReturns) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .Send(IncomingPublish("after", "never delivered", 0, 0))
      .WaitForClose();
  ASSERT_TRUE(fake->Start().ok());
  auto client = MakeClient(OptionsFor(fake->port()));
  std::atomic<int> callbacks_after{0};
  std::atomic<bool> destroyed{false};
  Client* raw = client.get();
  client->SetOnConnect([&](const ConnectedEvent&) {
    client.reset();  // ~Client inside its own callback
    destroyed = true;
  });
  client->SetOnMessage([&](const Message&) { ++callbacks_after; });
  client->SetOnDisconnect([&](const DisconnectedEvent&) { ++callbacks_after; });
  ASSERT_TRUE(client->ConnectAsync().ok());
  std::thread external_or_caller;
  if (GetParam() == LoopMode::kThread) {
    ASSERT_TRUE(raw->LoopStart().ok());
    ASSERT_TRUE(WaitFor([&] { return destroyed.load(); }, kTimeout));
  } else {
    // Drive with Loop (kCaller) or LoopMisc/LoopRead (kExternal) until the callback ran; the call
    // that ran it returns Cancelled and the handle must not be touched afterwards.
    absl::Time deadline = absl::Now() + kTimeout;
    while (!destroyed.load() && absl::Now() < deadline) {
      absl::Status s;
      if (GetParam() == LoopMode::kCaller) {
        s = raw->Loop(absl::Milliseconds(20));
      } else {
        s = raw->LoopMisc();
        if (!destroyed.load()) {
          absl::StatusOr<size_t> r = raw->LoopRead();
          s = r.status();
        }
        if (!destroyed.load()) absl::SleepFor(absl::Milliseconds(2));
      }
      if (destroyed.load()) {
        EXPECT_EQ(s.code(), absl::StatusCode::kCancelled) << s;
      }
    }
    ASSERT_TRUE(destroyed.load());
  }
  // The fake sees the connection closed without DISCONNECT.
  EXPECT_TRUE(fake->Finish().ok()) << fake->Transcript();
  for (const Packet& p : fake->packets(0)) {
    EXPECT_FALSE(std::holds_alternative<DisconnectPacket>(p));
  }
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(callbacks_after.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(AllLoopModes, ClientDestroyTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const ::testing::TestParamInfo<LoopMode>& info) {
                           return testing::LoopModeName(info.param);
                         });

TEST(ClientApiTest, SecondDriverIsRefusedWhileTheThreadRuns) {
  auto client = MakeClient(OptionsFor(1883));
  ASSERT_TRUE(client->LoopStart().ok());
  EXPECT_EQ(client->LoopStart().code(), absl::StatusCode::kFailedPrecondition);
  // The thread owns the driver (give it a moment to take it).
  ASSERT_TRUE(WaitFor(
      [&] {
        return client->Loop(absl::ZeroDuration()).code() == absl::StatusCode::kFailedPrecondition;
      },
      kTimeout));
  EXPECT_EQ(client->LoopMisc().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(client->LoopStop().ok());
  EXPECT_EQ(client->LoopStop().code(), absl::StatusCode::kNotFound);
  // Without the thread, the caller may drive.
  EXPECT_EQ(client->Loop(absl::ZeroDuration()).code(), absl::StatusCode::kFailedPrecondition)
      << "not connected";
  EXPECT_TRUE(client->LoopMisc().code() == absl::StatusCode::kFailedPrecondition);
}

TEST(ClientApiTest, CreateRejectsBadServerUris) {
  ClientOptions o;
  o.servers = {"mqtt://ok:1883", "http://nope"};
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(o);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("http"), absl::string_view::npos);
}

TEST(ClientApiTest, TransportThatCannotBeMadeFailsTheAttemptWithItsError) {
  ClientOptions o = OptionsFor(1);
  o.transport_factory = [](const ServerAddress&, const TransportOptions&,
                           TransportContext) -> absl::StatusOr<std::unique_ptr<Transport>> {
    return absl::UnimplementedError("carrier pigeons are not implemented");
  };
  o.auto_reconnect = false;
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  ASSERT_TRUE(client->ConnectAsync().ok());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(runner.RunUntil([&] { return events.connect_failures() == 1; }, kTimeout));
  EXPECT_EQ(events.connect_failed()[0].error.code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(events.connect_failed()[0].error.message(), "carrier pigeons are not implemented");
}

TEST(ClientApiTest, PublishWhileDisconnectedIsQueuedAndSentAfterConnack) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect)
      .Send(Connack())
      .ExpectPacket(PacketType::kPublish, PublishWith(1, 1, "early"))
      .Send(MakeAck<PubackPacket>(1));
  ASSERT_TRUE(fake->Start().ok());
  auto client = MakeClient(OptionsFor(fake->port()));
  absl::StatusOr<MessageToken> t = client->Publish("t", "early", 1);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(client->DeliveryStatus(*t)->state, DeliveryState::kQueued);
  EXPECT_EQ(client->Stats().queued, 1u);
  EXPECT_EQ(client->Publish("t", "qos0 offline", 0).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(client->LoopStart().ok());
  ASSERT_TRUE(client->ConnectAsync().ok());
  absl::StatusOr<MessageStatus> done = client->WaitForPublish(*t, kTimeout);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state, DeliveryState::kAcknowledged);
  EXPECT_EQ(client->Stats().queued, 0u);
  ASSERT_TRUE(client->LoopStop().ok());
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
}

TEST(ClientApiTest, OfflineQueueIsBoundedAndRefusesWhenFull) {
  ClientOptions o = OptionsFor(1);
  o.session.max_queued_messages = 2;
  auto client = MakeClient(o);
  EXPECT_TRUE(client->Publish("t", "1", 1).ok());
  EXPECT_TRUE(client->Publish("t", "2", 1).ok());
  absl::StatusOr<MessageToken> third = client->Publish("t", "3", 1);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted) << third.status();
  EXPECT_EQ(client->Stats().queued, 2u);
}

TEST(ClientApiTest, ConnectsOverAUnixSocket) {
  char dir[] = "/tmp/ouzel-client-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  ScriptedFakeBroker::Options fo;
  fo.unix_socket_path = absl::StrCat(dir, "/broker.sock");
  auto fake = *ScriptedFakeBroker::Create(fo);
  fake->ExpectPacket(PacketType::kConnect).Send(Connack());
  ASSERT_TRUE(fake->Start().ok());
  ClientOptions o = OptionsFor(1);
  o.servers = {absl::StrCat("unix://", fo.unix_socket_path)};
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout));
  fake->Finish().IgnoreError();
  fake.reset();
  rmdir(dir);
}

TEST(ClientApiTest, WaitForPublishTimesOutWhenNoAckComes) {
  auto fake = MakeFake();
  fake->ExpectPacket(PacketType::kConnect).Send(Connack()).ExpectPacket(PacketType::kPublish);
  ASSERT_TRUE(fake->Start().ok());
  auto client = MakeClient(OptionsFor(fake->port()));
  ASSERT_TRUE(client->LoopStart().ok());
  ASSERT_TRUE(client->ConnectAsync().ok());
  absl::StatusOr<MessageToken> t = client->Publish("t", "x", 1);
  ASSERT_TRUE(t.ok());
  absl::Time start = absl::Now();
  absl::StatusOr<MessageStatus> s = client->WaitForPublish(*t, absl::Milliseconds(300));
  EXPECT_EQ(s.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(290));
  EXPECT_EQ(client->WaitForPublish(999999, absl::Milliseconds(1)).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(client->LoopStop().ok());
  fake->Finish().IgnoreError();
}

TEST(ClientApiTest, LogCallbackSeesConnectionDiagnostics) {
  auto gone = MakeFake();
  int port = gone->port();
  gone.reset();
  ClientOptions o = OptionsFor(port);
  o.auto_reconnect = false;
  auto client = MakeClient(o);
  EventRecorder events;
  events.Attach(client.get());
  ASSERT_TRUE(client->ConnectAsync().ok());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(runner.RunUntil([&] { return events.connect_failures() == 1; }, kTimeout));
  std::vector<std::string> logs = events.logs();
  bool saw_attempt = false, saw_failure = false;
  for (const std::string& l : logs) {
    if (l.find("info: connecting to mqtt://127.0.0.1:") == 0) saw_attempt = true;
    if (l.find("warning: connection to") == 0 && l.find("Connection refused") != std::string::npos)
      saw_failure = true;
  }
  EXPECT_TRUE(saw_attempt);
  EXPECT_TRUE(saw_failure);
  // Below the level set, nothing is formatted or delivered.
  client->SetLogLevel(LogLevel::kError);
  size_t before = events.logs().size();
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connect_failures() == 2; }, kTimeout));
  EXPECT_EQ(events.logs().size(), before);
}

}  // namespace
}  // namespace ouzel
