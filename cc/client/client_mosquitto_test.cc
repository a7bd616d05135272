// Client against a real Mosquitto broker: publish/subscribe at QoS 0, 1 and 2 in each loop mode
// and protocol version, reconnection across a broker restart, and API calls from callbacks.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cc/client/client.h"
#include "cc/client/client_test_util.h"
#include "gtest/gtest.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

using fixtures::MosquittoBroker;
using testing::EventRecorder;
using testing::LoopMode;
using testing::LoopRunner;
using testing::WaitFor;

constexpr absl::Duration kTimeout = absl::Seconds(15);

std::unique_ptr<MosquittoBroker> StartBroker() {
  MosquittoBroker::Options o;
  o.extra_config = {"max_queued_messages 0"};  // never drop what a slow test client has not read
  absl::StatusOr<std::unique_ptr<MosquittoBroker>> b = MosquittoBroker::Start(o);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? std::move(*b) : nullptr;
}

std::unique_ptr<Client> MakeClient(int port, std::string id, ProtocolVersion version) {
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://localhost:", port)};  // ::1 refused, then 127.0.0.1
  o.session.client_id = std::move(id);
  o.session.version = version;
  o.reconnect_min_delay = absl::Milliseconds(50);
  o.reconnect_max_delay = absl::Milliseconds(500);
  o.connect_timeout = absl::Seconds(5);
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(*c) : nullptr;
}

class MosquittoPubSubTest
    : public ::testing::TestWithParam<std::tuple<LoopMode, int, ProtocolVersion>> {
 protected:
  static void SetUpTestSuite() { broker_ = StartBroker().release(); }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }
  static MosquittoBroker* broker_;
};
MosquittoBroker* MosquittoPubSubTest::broker_ = nullptr;

TEST_P(MosquittoPubSubTest, PublishedMessagesComeBackInOrderAtTheirQos) {
  ASSERT_NE(broker_, nullptr);
  auto [mode, qos_int, version] = GetParam();
  uint8_t qos = static_cast<uint8_t>(qos_int);
  std::string name =
      absl::StrCat(testing::LoopModeName(mode), "-q", qos_int, "-v", static_cast<int>(version));
  auto client = MakeClient(broker_->port(), "pubsub-" + name, version);
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), mode);
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout)) << broker_->Log();

  std::string topic = absl::StrCat("ouzel/test/", name);
  ASSERT_TRUE(client->Subscribe(topic, qos).ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.subscribed().size() == 1; }, kTimeout));
  ASSERT_EQ(events.subscribed()[0].reason_codes, std::vector<uint8_t>{qos});

  constexpr int kMessages = 50;
  std::vector<MessageToken> tokens;
  for (int i = 0; i < kMessages; ++i) {
    absl::StatusOr<MessageToken> t = client->Publish(topic, absl::StrCat("m", i), qos);
    ASSERT_TRUE(t.ok()) << t.status();
    tokens.push_back(*t);
  }
  ASSERT_TRUE(runner.RunUntil(
      [&] {
        return events.messages().size() == kMessages && events.published().size() == kMessages;
      },
      kTimeout))
      << events.messages().size() << " received, " << events.published().size() << " done";
  std::vector<Message> got = events.messages();
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ(got[i].payload, absl::StrCat("m", i));
    EXPECT_EQ(got[i].qos, qos);
    EXPECT_EQ(got[i].topic, topic);
  }
  for (MessageToken t : tokens) {
    EXPECT_EQ(client->DeliveryStatus(t)->state, DeliveryState::kAcknowledged);
  }
  ASSERT_TRUE(client->Disconnect().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.disconnects() == 1; }, kTimeout));
  EXPECT_TRUE(events.disconnected()[0].error.ok()) << events.disconnected()[0].error;
  EXPECT_TRUE(runner.hook_errors().empty()) << runner.hook_errors()[0];
  EXPECT_EQ(events.callback_threads(), 1u);
  EXPECT_FALSE(events.overlapped());
}

INSTANTIATE_TEST_SUITE_P(
    ModesQosVersions, MosquittoPubSubTest,
    ::testing::Combine(::testing::Values(LoopMode::kThread, LoopMode::kCaller, LoopMode::kExternal),
                       ::testing::Values(0, 1, 2),
                       ::testing::Values(ProtocolVersion::kV311, ProtocolVersion::kV5)),
    [](const auto& info) {
      return absl::StrCat(testing::LoopModeName(std::get<0>(info.param)), "_Qos",
                          std::get<1>(info.param), "_V", static_cast<int>(std::get<2>(info.param)));
    });

TEST(MosquittoReconnectTest, ReconnectsAfterBrokerRestartAndDeliversAfterwards) {
  auto broker = StartBroker();
  ASSERT_NE(broker, nullptr);
  auto client = MakeClient(broker->port(), "restart", ProtocolVersion::kV311);
  EventRecorder events;
  events.Attach(client.get());
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(client->LoopStart().ok());
  ASSERT_TRUE(WaitFor([&] { return events.connects() == 1; }, kTimeout)) << broker->Log();

  ASSERT_TRUE(broker->Restart().ok()) << broker->Log();
  ASSERT_TRUE(WaitFor([&] { return events.connects() == 2; }, kTimeout))
      << broker->Log() << "\nlogs:\n"
      << absl::StrJoin(events.logs(), "\n");
  ASSERT_GE(events.disconnects(), 1);
  EXPECT_FALSE(events.disconnected()[0].error.ok());
  EXPECT_EQ(client->Stats().reconnects, 1u);

  absl::StatusOr<MessageToken> t = client->Publish("ouzel/after-restart", "x", 1);
  ASSERT_TRUE(t.ok());
  absl::StatusOr<MessageStatus> s = client->WaitForPublish(*t, kTimeout);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->state, DeliveryState::kAcknowledged);
  ASSERT_TRUE(client->LoopStop().ok());
}

// A conversation driven entirely from callbacks: on_connect subscribes, on_subscribe publishes,
// on_message unsubscribes, on_unsubscribe disconnects. Each runs on the loop thread with no lock
// held, so each call goes through.
TEST(MosquittoCallbackTest, ConversationDrivenFromInsideCallbacks) {
  auto broker = StartBroker();
  ASSERT_NE(broker, nullptr);
  for (LoopMode mode : {LoopMode::kThread, LoopMode::kCaller, LoopMode::kExternal}) {
    SCOPED_TRACE(testing::LoopModeName(mode));
    auto client = MakeClient(broker->port(), "callbacks", ProtocolVersion::kV5);
    Client* c = client.get();
    std::mutex mu;
    std::vector<std::string> steps;
    auto step = [&](std::string s) {
      std::lock_guard<std::mutex> lock(mu);
      steps.push_back(std::move(s));
    };
    std::atomic<bool> done{false};
    client->SetOnConnect([&](const ConnectedEvent&) {
      step(absl::StrCat("connect subscribe=", c->Subscribe("ouzel/cb", 1).ok()));
    });
    client->SetOnSubscribe([&](const SubscribeDoneEvent&) {
      step(absl::StrCat("subscribed publish=", c->Publish("ouzel/cb", "ping", 1).ok()));
    });
    client->SetOnMessage([&](const Message& m) {
      step(absl::StrCat("message ", m.payload, " unsubscribe=", c->Unsubscribe({"ouzel/cb"}).ok()));
    });
    client->SetOnUnsubscribe([&](const UnsubscribeDoneEvent&) {
      step(absl::StrCat("unsubscribed disconnect=", c->Disconnect().ok()));
    });
    client->SetOnDisconnect([&](const DisconnectedEvent& e) {
      step(absl::StrCat("disconnected ok=", e.error.ok()));
      done = true;
    });
    std::vector<std::string> logs;
    client->SetLogLevel(LogLevel::kDebug);
    client->SetOnLog([&](LogLevel level, absl::string_view text) {
      std::lock_guard<std::mutex> lock(mu);
      logs.push_back(absl::StrCat(LogLevelName(level), ": ", text));
    });
    LoopRunner runner(client.get(), mode);
    ASSERT_TRUE(client->ConnectAsync().ok());
    ASSERT_TRUE(runner.RunUntil([&] { return done.load(); }, kTimeout))
        << "steps: " << absl::StrJoin(steps, " | ") << "\nlogs:\n"
        << absl::StrJoin(logs, "\n");
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(steps, (std::vector<std::string>{"connect subscribe=1", "subscribed publish=1",
                                               "message ping unsubscribe=1",
                                               "unsubscribed disconnect=1", "disconnected ok=1"}));
  }
}

}  // namespace
}  // namespace ouzel
