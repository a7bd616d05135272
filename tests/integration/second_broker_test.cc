// A representative subset of the C integration scenarios run against two independent brokers,
// so that Ouzel's behaviour does not quietly depend on one implementation's quirks: Debian's
// Mosquitto (C) and aedes (Node.js, npm; tests/fixtures/aedes), each started on a free loopback
// port. Every scenario runs the same assertions on both:
//   - publish/subscribe at QoS 0, 1 and 2 in the three loop modes, MQTT 3.1 and 3.1.1 (and 5.0
//     where the broker speaks it), payloads with NUL bytes arriving intact, at the granted QoS;
//   - retained messages: delivered to a later subscriber with the retain flag, cleared by an
//     empty retained publish;
//   - the Will: published when a client vanishes without DISCONNECT, not after a DISCONNECT;
//   - session resume: a persistent session's subscription and the QoS 1/2 messages queued while
//     the client was away, delivered after it reconnects with Session Present set;
//   - MQTT 5 properties (response topic, correlation data) round-tripped through the broker.
// aedes speaks MQTT 3.1 and 3.1.1 only: its MQTT 5.0 cases check instead that a 5.0 CONNECT is
// refused cleanly (on_connect_fail, OUZEL_EREFUSED, 0x84 Unsupported Protocol Version: aedes
// answers with a 3.1.1 CONNACK, return code 1, which Ouzel reads as that). One deviation of
// aedes 1.2.0 is allowed for, named where it is: a QoS 2 message reaches a QoS 1 subscription at
// QoS 2.
//
// "Not delivered" is shown without sleeping on a guess: a sentinel published afterwards on the same
// topic must be the next (and only) thing the watcher receives.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/aedes_fixture.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::AedesBroker;
using ouzel::fixtures::MosquittoBroker;

MosquittoBroker* mosquitto = nullptr;
AedesBroker* aedes = nullptr;

class BrokersEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto m = MosquittoBroker::Start({});
    ASSERT_TRUE(m.ok()) << m.status();
    mosquitto = m->release();
    auto a = AedesBroker::Start({});
    ASSERT_TRUE(a.ok()) << a.status();
    aedes = a->release();
  }
  void TearDown() override {
    delete mosquitto;
    delete aedes;
  }
};

enum class Broker { kMosquitto, kAedes };

struct Case {
  Broker broker;
  int version;
};

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return absl::StrCat(info.param.broker == Broker::kMosquitto ? "Mosquitto" : "Aedes", "_",
                      VersionName(info.param.version));
}

class SecondBrokerTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    ASSERT_NE(mosquitto, nullptr);
    ASSERT_NE(aedes, nullptr);
  }
  int port() const {
    return GetParam().broker == Broker::kMosquitto ? mosquitto->port() : aedes->port();
  }
  int version() const { return GetParam().version; }
  // Whether this broker speaks this protocol version.
  bool Speaks() const {
    return !(GetParam().broker == Broker::kAedes && version() == OUZEL_MQTT_V5);
  }
  std::string BrokerLog() const {
    return GetParam().broker == Broker::kMosquitto ? mosquitto->Log() : aedes->Log();
  }
  // Unique per test and case: client ids (3.1 allows 23 bytes) and topics.
  std::string Id(const std::string& what) const {
    static int counter = 0;
    return absl::StrCat(what, "-", ++counter);
  }
  std::string Topic(const std::string& what) const {
    return absl::StrCat("it/second/", CaseName(::testing::TestParamInfo<Case>(GetParam(), 0)), "/",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "/", what);
  }
  Options Opts(const std::string& id) const { return BaseOptions(port(), Id(id), version()); }
};

TEST_P(SecondBrokerTest, PubSub_EveryQos_EveryLoopMode) {
  if (!Speaks()) GTEST_SKIP() << "covered by Mqtt5_RefusedCleanlyWhereUnsupported";
  for (LoopMode mode : {LoopMode::kThread, LoopMode::kCaller, LoopMode::kExternal}) {
    SCOPED_TRACE(LoopModeName(mode));
    Options so = Opts("sub");
    Options po = Opts("pub");
    auto sub = TestClient::Create(so.get(), mode);
    auto pub = TestClient::Create(po.get(), mode);
    ASSERT_TRUE(sub && pub);
    ASSERT_TRUE(ConnectAll({sub.get(), pub.get()})) << BrokerLog();
    const std::string topic = Topic(LoopModeName(mode));
    for (int sub_qos = 0; sub_qos <= 2; ++sub_qos) {
      const std::string filter = absl::StrCat(topic, "/sub", sub_qos, "/+");
      ASSERT_TRUE(SubscribeAndWait(sub.get(), filter, sub_qos, nullptr, nullptr, {pub.get()}));
    }
    int expected = 0;
    for (int sub_qos = 0; sub_qos <= 2; ++sub_qos) {
      for (int qos = 0; qos <= 2; ++qos) {
        const std::string t = absl::StrCat(topic, "/sub", sub_qos, "/q", qos);
        ASSERT_EQ(PublishAndWait(pub.get(), t, NumberedPayload(sub_qos * 3 + qos), qos, 0, nullptr,
                                 {sub.get()}),
                  OUZEL_DELIVERY_ACKNOWLEDGED);
        ++expected;
      }
    }
    ASSERT_TRUE(RunUntil({sub.get(), pub.get()}, [&] {
      return sub->events().message_count() >= expected;
    })) << Describe(sub->events().messages());
    RunFor({sub.get(), pub.get()}, 100);  // nothing more (no duplicate) may follow
    const std::vector<ReceivedMessage> got = sub->events().messages();
    ASSERT_EQ(got.size(), static_cast<size_t>(expected)) << Describe(got);
    std::vector<bool> seen(9, false);
    for (const ReceivedMessage& m : got) {
      const int index = PayloadIndex(m.payload);
      ASSERT_GE(index, 0) << "payload damaged: " << Describe({m});
      ASSERT_FALSE(seen[index]) << "delivered twice: " << Describe({m});
      seen[index] = true;
      EXPECT_EQ(m.payload, NumberedPayload(index));
      const int granted = std::min(index / 3, index % 3);
      if (GetParam().broker == Broker::kAedes && index / 3 == 1 && index % 3 == 2) {
        // aedes 1.2.0 delivers a QoS 2 message to a QoS 1 subscription at QoS 2, not at the
        // granted 1 [MQTT-3.8.4-6]. Ouzel takes it through the QoS 2 flow; noted, not failed.
        EXPECT_EQ(m.qos, 2) << "aedes now downgrades: remove this exception";
      } else {
        EXPECT_EQ(m.qos, granted) << Describe({m});
      }
      EXPECT_EQ(m.topic, absl::StrCat(topic, "/sub", index / 3, "/q", index % 3));
    }
  }
}

TEST_P(SecondBrokerTest, Retained_DeliveredToALaterSubscriber_ClearedByAnEmptyPayload) {
  if (!Speaks()) GTEST_SKIP() << "covered by Mqtt5_RefusedCleanlyWhereUnsupported";
  const std::string topic = Topic("r");
  Options po = Opts("pub");
  auto pub = TestClient::Create(po.get(), LoopMode::kThread);
  ASSERT_TRUE(pub);
  ASSERT_TRUE(ConnectAll({pub.get()}));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, NumberedPayload(1), 1, 1),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  {
    Options so = Opts("late");
    auto late = TestClient::Create(so.get(), LoopMode::kCaller);
    ASSERT_TRUE(late);
    ASSERT_TRUE(ConnectAll({late.get()}));
    ASSERT_TRUE(SubscribeAndWait(late.get(), topic, 1));
    ASSERT_TRUE(RunUntil({late.get()}, [&] { return late->events().message_count() >= 1; }));
    const ReceivedMessage m = late->events().messages().front();
    EXPECT_EQ(m.payload, NumberedPayload(1));
    EXPECT_EQ(m.retain, 1);
  }
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "", 1, 1), OUZEL_DELIVERY_ACKNOWLEDGED);
  Options so = Opts("after");
  auto after = TestClient::Create(so.get(), LoopMode::kCaller);
  ASSERT_TRUE(after);
  ASSERT_TRUE(ConnectAll({after.get()}));
  ASSERT_TRUE(SubscribeAndWait(after.get(), topic, 1));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "sentinel", 1, 0, nullptr, {after.get()}),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({after.get()}, [&] { return after->events().message_count() >= 1; }));
  const std::vector<ReceivedMessage> got = after->events().messages();
  EXPECT_EQ(got.front().payload, "sentinel")
      << "a cleared retained message arrived: " << Describe(got);
}

TEST_P(SecondBrokerTest, Will_PublishedOnAbruptClose_NotAfterDisconnect) {
  if (!Speaks()) GTEST_SKIP() << "covered by Mqtt5_RefusedCleanlyWhereUnsupported";
  const std::string topic = Topic("will");
  Options wo = Opts("watch");
  auto watcher = TestClient::Create(wo.get(), LoopMode::kThread);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(ConnectAll({watcher.get()}));
  ASSERT_TRUE(SubscribeAndWait(watcher.get(), topic, 1));
  const std::string will("gone\0away", 9);
  for (bool abrupt : {true, false}) {
    SCOPED_TRACE(abrupt ? "abrupt" : "disconnect");
    Options co = Opts("willer");
    ExpectOk(ouzel_options_set_will(co.get(), topic.data(), topic.size(), will.data(), will.size(),
                                    1, 0, nullptr),
             "set_will");
    ExpectOk(ouzel_options_set_int(co.get(), OUZEL_OPT_RECONNECT, 0), "no reconnect");
    auto c = TestClient::Create(co.get(), LoopMode::kThread);
    ASSERT_TRUE(c);
    ASSERT_TRUE(ConnectAll({c.get()}));
    const int before = watcher->events().message_count();
    if (abrupt) {
      c->Free();  // no DISCONNECT: the broker sees the connection drop
      ASSERT_TRUE(RunUntil({watcher.get()}, [&] {
        return watcher->events().message_count() > before;
      })) << BrokerLog();
      EXPECT_EQ(watcher->events().messages().back().payload, will);
    } else {
      ASSERT_TRUE(DisconnectAndWait(c.get()));
      c->Free();
      Options so = Opts("sentinel");
      auto s = TestClient::Create(so.get(), LoopMode::kThread);
      ASSERT_TRUE(s);
      ASSERT_TRUE(ConnectAll({s.get()}));
      ASSERT_EQ(PublishAndWait(s.get(), topic, "sentinel", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
      ASSERT_TRUE(
          RunUntil({watcher.get()}, [&] { return watcher->events().message_count() > before; }));
      EXPECT_EQ(watcher->events().messages()[before].payload, "sentinel")
          << "the Will was published after a DISCONNECT";
    }
  }
}

TEST_P(SecondBrokerTest, SessionResume_QueuedMessagesArriveAfterReconnect) {
  if (!Speaks()) GTEST_SKIP() << "covered by Mqtt5_RefusedCleanlyWhereUnsupported";
  const std::string topic = Topic("s");
  const std::string id = Id("durable");
  Options so = BaseOptions(port(), id, version());
  ExpectOk(ouzel_options_set_int(so.get(), OUZEL_OPT_CLEAN_START, 0), "persistent session");
  if (version() == OUZEL_MQTT_V5) {
    Properties p = NewProperties();
    ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 600), "expiry");
    ExpectOk(ouzel_options_set_connect_properties(so.get(), p.get()), "connect properties");
  }
  {
    auto sub = TestClient::Create(so.get(), LoopMode::kCaller);
    ASSERT_TRUE(sub);
    ASSERT_TRUE(ConnectAll({sub.get()}));
    ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 2));
    ASSERT_TRUE(DisconnectAndWait(sub.get()));
  }
  Options po = Opts("pub");
  auto pub = TestClient::Create(po.get(), LoopMode::kThread);
  ASSERT_TRUE(pub);
  ASSERT_TRUE(ConnectAll({pub.get()}));
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(PublishAndWait(pub.get(), topic, NumberedPayload(i), 1 + i % 2, 0),
              OUZEL_DELIVERY_ACKNOWLEDGED);
  }
  auto sub = TestClient::Create(so.get(), LoopMode::kCaller);
  ASSERT_TRUE(sub);
  ASSERT_TRUE(ConnectAll({sub.get()}));
  // MQTT 3.1's CONNACK has no Session Present flag (3.1.1 added it).
  if (version() != OUZEL_MQTT_V31) {
    ASSERT_EQ(sub->events().connects().back().session_present, 1) << BrokerLog();
  }
  ASSERT_TRUE(RunUntil({sub.get()}, [&] { return sub->events().message_count() >= 4; }))
      << Describe(sub->events().messages());
  RunFor({sub.get()}, 100);
  const std::vector<ReceivedMessage> got = sub->events().messages();
  ASSERT_EQ(got.size(), 4u) << Describe(got);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(got[i].payload, NumberedPayload(i)) << Describe(got);
}

TEST_P(SecondBrokerTest, Mqtt5Properties_RoundTripOrRefusedCleanlyWhereUnsupported) {
  if (version() != OUZEL_MQTT_V5) GTEST_SKIP() << "MQTT 5.0 only";
  Options so = Opts("p5");
  ExpectOk(ouzel_options_set_int(so.get(), OUZEL_OPT_RECONNECT, 0), "one attempt");
  auto sub = TestClient::Create(so.get(), LoopMode::kCaller);
  ASSERT_TRUE(sub);
  if (!Speaks()) {
    ASSERT_EQ(ouzel_client_connect(sub->get()), OUZEL_OK);
    ASSERT_TRUE(RunUntil({sub.get()}, [&] {
      return sub->events().connect_fail_count() > 0 || sub->events().connect_count() > 0;
    }));
    ASSERT_EQ(sub->events().connect_count(), 0);
    const ConnectFailRecord f = sub->events().connect_fails().back();
    EXPECT_EQ(f.error, OUZEL_EREFUSED) << f.message;
    EXPECT_EQ(f.reason_code, 0x84) << f.message;  // Unsupported Protocol Version
    return;
  }
  ASSERT_TRUE(ConnectAll({sub.get()}));
  const std::string topic = Topic("p");
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 1));
  Properties p = NewProperties();
  const std::string response = Topic("reply");
  const std::string correlation("\x00\x01corr", 6);
  ExpectOk(ouzel_properties_set_string(p.get(), OUZEL_PROP_RESPONSE_TOPIC, response.data(),
                                       response.size()),
           "response topic");
  ExpectOk(ouzel_properties_set_binary(p.get(), OUZEL_PROP_CORRELATION_DATA, correlation.data(),
                                       correlation.size()),
           "correlation data");
  ASSERT_EQ(PublishAndWait(sub.get(), topic, "request", 1, 0, p.get()),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({sub.get()}, [&] { return sub->events().message_count() >= 1; }));
  const ReceivedMessage m = sub->events().messages().front();
  EXPECT_EQ(m.response_topic, response);
  EXPECT_EQ(m.correlation_data, correlation);
}

INSTANTIATE_TEST_SUITE_P(Brokers, SecondBrokerTest,
                         ::testing::Values(Case{Broker::kMosquitto, OUZEL_MQTT_V31},
                                           Case{Broker::kMosquitto, OUZEL_MQTT_V311},
                                           Case{Broker::kMosquitto, OUZEL_MQTT_V5},
                                           Case{Broker::kAedes, OUZEL_MQTT_V31},
                                           Case{Broker::kAedes, OUZEL_MQTT_V311},
                                           Case{Broker::kAedes, OUZEL_MQTT_V5}),
                         CaseName);

}  // namespace
}  // namespace ouzel_it

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new ouzel_it::BrokersEnvironment);
  return RUN_ALL_TESTS();
}
