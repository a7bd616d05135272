// Persistent sessions through the C API against a real Mosquitto: a client with Clean Session /
// Clean Start 0 (v5: and a Session Expiry Interval) subscribes at QoS 1 and 2, goes away, messages
// are published while it is offline, and when it comes back (the same ouzel_client connecting
// again, or a new one with the same client id, as after a process restart) the broker says the
// session is present and hands over every message, in order. A clean session gets none of them.
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

constexpr int kPerTopic = 15;

enum class Comeback { kSameClient, kNewClient };

class SessionTest : public ::testing::TestWithParam<std::tuple<int, Comeback>> {
 protected:
  static void SetUpTestSuite() {
    MosquittoBroker::Options o;
    o.extra_config = {"max_queued_messages 0"};
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }

  int version() const { return std::get<0>(GetParam()); }
  std::string Name() const {
    std::string n = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& ch : n) {
      if (ch == '/') ch = '-';
    }
    return n;
  }

  // Options for the subscriber: persistent (`persistent`) or clean.
  Options SubscriberOptions(bool persistent) {
    Options o = BaseOptions(broker_->port(), "sess-" + Name(), version());
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, persistent ? 0 : 1),
             "clean start");
    if (persistent && version() == OUZEL_MQTT_V5) {
      Properties p = NewProperties();
      ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 300),
               "session expiry");
      ExpectOk(ouzel_options_set_connect_properties(o.get(), p.get()), "connect props");
    }
    return o;
  }

  // Publishes kPerTopic messages to each topic (QoS 1 and QoS 2) and waits until all are acked.
  void PublishWhileOffline(const std::string& t1, const std::string& t2) {
    Options po = BaseOptions(broker_->port(), "sess-pub-" + Name(), version());
    auto pub = TestClient::Create(po.get(), LoopMode::kThread);
    ASSERT_TRUE(pub);
    ASSERT_TRUE(ConnectAll({pub.get()}));
    for (int i = 0; i < kPerTopic; ++i) {
      for (const auto& [topic, qos] : {std::make_pair(t1, 1), std::make_pair(t2, 2)}) {
        const std::string p = NumberedPayload(i);
        ASSERT_EQ(ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(),
                                       qos, 0, nullptr, nullptr, nullptr),
                  OUZEL_OK);
      }
    }
    ASSERT_TRUE(
        RunUntil({pub.get()}, [&] { return pub->events().publish_count() == 2 * kPerTopic; }));
    for (const PublishRecord& r : pub->events().published()) {
      EXPECT_EQ(r.state, OUZEL_DELIVERY_ACKNOWLEDGED);
    }
    ASSERT_TRUE(DisconnectAndWait(pub.get()));
  }

  // Connects again per the Comeback parameter: `*client` itself, or (after freeing it, as a
  // process that exits would) a new client with the same options. *back is the connected one.
  void ComeBack(const ouzel_options* opts, std::unique_ptr<TestClient>* client, TestClient** back) {
    if (std::get<1>(GetParam()) == Comeback::kNewClient) {
      client->reset();
      *client = TestClient::Create(opts, LoopMode::kCaller);
      ASSERT_TRUE(*client);
    }
    *back = client->get();
    ASSERT_TRUE(ConnectAll({*back})) << broker_->Log();
  }

  static MosquittoBroker* broker_;
};
MosquittoBroker* SessionTest::broker_ = nullptr;

std::string ParamName(const ::testing::TestParamInfo<SessionTest::ParamType>& info) {
  return std::string(VersionName(std::get<0>(info.param))) +
         (std::get<1>(info.param) == Comeback::kSameClient ? "_SameClient" : "_NewClient");
}

TEST_P(SessionTest, PersistentSession_Resumed_MessagesPublishedWhileOfflineAllArrive) {
  ASSERT_NE(broker_, nullptr);
  const std::string t1 = "it/session/" + Name() + "/q1";
  const std::string t2 = "it/session/" + Name() + "/q2";
  Options so = SubscriberOptions(true);
  auto sub = TestClient::Create(so.get(), LoopMode::kCaller);
  ASSERT_TRUE(sub);
  ASSERT_TRUE(ConnectAll({sub.get()})) << broker_->Log();
  EXPECT_EQ(sub->events().connects()[0].session_present, 0);  // a fresh client id
  std::vector<uint8_t> codes;
  ASSERT_TRUE(SubscribeAndWait(sub.get(), t1, 1, &codes));
  EXPECT_EQ(codes, std::vector<uint8_t>{1});
  ASSERT_TRUE(SubscribeAndWait(sub.get(), t2, 2, &codes));
  EXPECT_EQ(codes, std::vector<uint8_t>{2});
  ASSERT_TRUE(DisconnectAndWait(sub.get()));

  ASSERT_NO_FATAL_FAILURE(PublishWhileOffline(t1, t2));
  ASSERT_EQ(sub->events().message_count(), 0);

  TestClient* back = nullptr;
  ASSERT_NO_FATAL_FAILURE(ComeBack(so.get(), &sub, &back));
  const ConnectRecord c = back->events().connects().back();
  EXPECT_EQ(c.reason_code, 0);
  // MQTT 3.1's CONNACK has no Session Present flag; 3.1.1 and 5.0 report the resumed session.
  EXPECT_EQ(c.session_present, version() == OUZEL_MQTT_V31 ? 0 : 1);

  ASSERT_TRUE(RunUntil({back}, [&] { return back->events().message_count() >= 2 * kPerTopic; }))
      << Describe(back->events().messages());
  RunFor({back}, 150);
  const std::vector<ReceivedMessage> got = back->events().messages();
  ASSERT_EQ(static_cast<int>(got.size()), 2 * kPerTopic) << Describe(got);
  int next1 = 0, next2 = 0;
  for (const ReceivedMessage& m : got) {
    const int index = PayloadIndex(m.payload);
    if (m.topic == t1) {
      EXPECT_EQ(m.qos, 1);
      EXPECT_EQ(index, next1++) << "QoS 1 order";
    } else {
      EXPECT_EQ(m.topic, t2);
      EXPECT_EQ(m.qos, 2);
      EXPECT_EQ(index, next2++) << "QoS 2 order";
    }
  }
  EXPECT_EQ(next1, kPerTopic);
  EXPECT_EQ(next2, kPerTopic);
  ASSERT_TRUE(DisconnectAndWait(back));
}

TEST_P(SessionTest, CleanSession_MessagesPublishedWhileOfflineAreNotKept) {
  ASSERT_NE(broker_, nullptr);
  const std::string t1 = "it/session/" + Name() + "/q1";
  const std::string t2 = "it/session/" + Name() + "/q2";
  Options so = SubscriberOptions(false);
  auto sub = TestClient::Create(so.get(), LoopMode::kCaller);
  ASSERT_TRUE(sub);
  ASSERT_TRUE(ConnectAll({sub.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), t1, 1));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), t2, 2));
  ASSERT_TRUE(DisconnectAndWait(sub.get()));
  ASSERT_NO_FATAL_FAILURE(PublishWhileOffline(t1, t2));
  TestClient* back = nullptr;
  ASSERT_NO_FATAL_FAILURE(ComeBack(so.get(), &sub, &back));
  EXPECT_EQ(back->events().connects().back().session_present, 0);
  RunFor({back}, 300);
  EXPECT_EQ(back->events().message_count(), 0) << Describe(back->events().messages());
}

INSTANTIATE_TEST_SUITE_P(
    VersionsAndComebacks, SessionTest,
    ::testing::Combine(::testing::Values(OUZEL_MQTT_V31, OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                       ::testing::Values(Comeback::kSameClient, Comeback::kNewClient)),
    ParamName);

// The publishing side of a persistent session: QoS 1 and 2 messages in flight when the connection
// drops (ouzel_client_reconnect: closed without DISCONNECT, connected again at once) are sent
// again on the resumed session, none is dropped, and the subscriber gets every QoS 2 message
// exactly once. (The broker keeps running: its in-memory session is exact.)
class InflightResumeTest : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    MosquittoBroker::Options o;
    o.extra_config = {"max_queued_messages 0"};
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }
  static MosquittoBroker* broker_;
};
MosquittoBroker* InflightResumeTest::broker_ = nullptr;

TEST_P(InflightResumeTest, InflightQos1AndQos2_ResentAfterReconnect_NoneDropped) {
  ASSERT_NE(broker_, nullptr);
  const int version = GetParam();
  const std::string v = VersionName(version);
  const std::string t1 = "it/inflight/" + v + "/q1";
  const std::string t2 = "it/inflight/" + v + "/q2";
  Options so = BaseOptions(broker_->port(), "inflight-sub-" + v, version);
  auto sub = TestClient::Create(so.get(), LoopMode::kThread);
  Options po = BaseOptions(broker_->port(), "inflight-pub-" + v, version);
  ExpectOk(ouzel_options_set_int(po.get(), OUZEL_OPT_CLEAN_START, 0), "clean start");
  if (version == OUZEL_MQTT_V5) {
    Properties p = NewProperties();
    ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 300), "expiry");
    ExpectOk(ouzel_options_set_connect_properties(po.get(), p.get()), "connect props");
  }
  auto pub = TestClient::Create(po.get(), LoopMode::kCaller);
  ASSERT_TRUE(sub && pub);
  ASSERT_TRUE(ConnectAll({sub.get(), pub.get()})) << broker_->Log();
  ASSERT_TRUE(SubscribeAndWait(sub.get(), "it/inflight/" + v + "/#", 2));

  constexpr int kPerTopic = 40;
  for (int i = 0; i < kPerTopic; ++i) {
    const std::string p = NumberedPayload(i);
    ASSERT_EQ(ouzel_client_publish(pub->get(), t1.data(), t1.size(), p.data(), p.size(), 1, 0,
                                   nullptr, nullptr, nullptr),
              OUZEL_OK);
    ASSERT_EQ(ouzel_client_publish(pub->get(), t2.data(), t2.size(), p.data(), p.size(), 2, 0,
                                   nullptr, nullptr, nullptr),
              OUZEL_OK);
  }
  // A few round trips, so the window is full of messages awaiting PUBACK / PUBREC / PUBCOMP.
  ASSERT_TRUE(RunUntil({pub.get()}, [&] { return pub->events().publish_count() >= 4; }));
  const int64_t inflight = pub->Stat(OUZEL_STAT_INFLIGHT);
  ASSERT_GT(inflight, 0) << "nothing in flight: the test would prove nothing";
  ExpectOk(ouzel_client_reconnect(pub->get()), "ouzel_client_reconnect");
  ASSERT_TRUE(RunUntil({pub.get()},
                       [&] {
                         return pub->events().publish_count() >= 2 * kPerTopic &&
                                pub->events().connect_count() >= 2;
                       }))
      << pub->events().publish_count() << " finished";
  // Bounded well below kTimeoutMs: what is missing by then is reported below, with the reason.
  RunUntil(
      {pub.get()}, [&] { return sub->events().message_count() >= 2 * kPerTopic; }, 5000);
  RunFor({pub.get()}, 200);
  RecordProperty("inflight_at_reconnect", std::to_string(inflight));

  const std::vector<ConnectRecord> c = pub->events().connects();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].session_present, version == OUZEL_MQTT_V31 ? 0 : 1);
  std::map<int, int> drops;
  for (const PublishRecord& r : pub->events().published()) {
    if (r.state != OUZEL_DELIVERY_ACKNOWLEDGED) ++drops[r.drop_reason];
  }
  EXPECT_TRUE(drops.empty()) << drops.size() << " kinds of drop; the first: reason "
                             << drops.begin()->first << " x" << drops.begin()->second << " (of "
                             << inflight << " in flight at the reconnect)";
  std::vector<int> q1(kPerTopic, 0), q2(kPerTopic, 0);
  for (const ReceivedMessage& m : sub->events().messages()) {
    const int index = PayloadIndex(m.payload);
    ASSERT_GE(index, 0);
    ASSERT_LT(index, kPerTopic);
    ++(m.topic == t1 ? q1 : q2)[index];
  }
  for (int i = 0; i < kPerTopic; ++i) {
    EXPECT_GE(q1[i], 1) << "QoS 1 message " << i << " lost";
    EXPECT_EQ(q2[i], 1) << "QoS 2 message " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, InflightResumeTest,
                         ::testing::Values(OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(VersionName(info.param));
                         });

// MQTT 3.1: no Session Present flag on the wire; Clean Session 0 resumes (see
// Session::HandleConnack), so nothing in flight may be dropped.
INSTANTIATE_TEST_SUITE_P(V31, InflightResumeTest, ::testing::Values(OUZEL_MQTT_V31),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(VersionName(info.param));
                         });

}  // namespace
}  // namespace ouzel_it
