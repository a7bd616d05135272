// An application store (ouzel/sys/store.h, here tests/capi/c_memory_store.c, written in C) against
// a real Mosquitto: the session outlives the client that wrote it. A client publishes, is freed
// as a crashing process would be (no DISCONNECT), and a new client created from the same store
// sends every message; the subscriber gets each QoS 2 message exactly once and each QoS 1 message
// at least once, and the store ends empty of messages.
#include <signal.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "ouzel/sys/store.h"
#include "tests/capi/c_memory_store.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

constexpr int kPerTopic = 12;

class StoreVtableTest : public ::testing::TestWithParam<int> {
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

  void SetUp() override {
    ASSERT_NE(broker_, nullptr);
    store_ = c_memory_store_new();
    c_memory_store_keep(store_);
    name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& ch : name_) {
      if (ch == '/') ch = '-';
    }
    t1_ = "it/store/" + name_ + "/q1";
    t2_ = "it/store/" + name_ + "/q2";
  }
  void TearDown() override { c_memory_store_free(store_); }

  int version() const { return GetParam(); }

  // A persistent-session publisher whose session lives in store_.
  Options PublisherOptions() {
    Options o = BaseOptions(broker_->port(), "store-pub-" + name_, version());
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 0), "clean start");
    if (version() == OUZEL_MQTT_V5) {
      Properties p = NewProperties();
      ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 300),
               "expiry");
      ExpectOk(ouzel_options_set_connect_properties(o.get(), p.get()), "connect props");
    }
    ExpectOk(ouzel_options_set_store(o.get(), c_memory_store_vtable(), store_), "set store");
    return o;
  }

  std::unique_ptr<TestClient> Subscriber() {
    Options o = BaseOptions(broker_->port(), "store-sub-" + name_, version());
    auto sub = TestClient::Create(o.get(), LoopMode::kThread);
    if (sub == nullptr) return nullptr;
    if (!ConnectAll({sub.get()}) || !SubscribeAndWait(sub.get(), "it/store/" + name_ + "/#", 2)) {
      ADD_FAILURE() << "subscriber not ready\n" << broker_->Log();
    }
    return sub;
  }

  void PublishAll(TestClient* pub) {
    for (int i = 0; i < kPerTopic; ++i) {
      const std::string p = NumberedPayload(i);
      ASSERT_EQ(ouzel_client_publish(pub->get(), t1_.data(), t1_.size(), p.data(), p.size(), 1, 0,
                                     nullptr, nullptr, nullptr),
                OUZEL_OK);
      ASSERT_EQ(ouzel_client_publish(pub->get(), t2_.data(), t2_.size(), p.data(), p.size(), 2, 0,
                                     nullptr, nullptr, nullptr),
                OUZEL_OK);
    }
  }

  // Drives the resumed publisher until every message is delivered and acknowledged, then checks
  // what the subscriber got. Returns the QoS 1 duplicates.
  int ExpectAllDelivered(TestClient* pub, TestClient* sub) {
    EXPECT_TRUE(RunUntil({pub},
                         [&] {
                           return sub->events().message_count() >= 2 * kPerTopic &&
                                  c_memory_store_count_prefix(store_, "out/") == 0;
                         }))
        << sub->events().message_count() << " messages, "
        << c_memory_store_count_prefix(store_, "out/") << " still stored\n"
        << Describe(sub->events().messages());
    RunFor({pub}, 200);  // duplicates, if any, show up too
    std::vector<int> q1(kPerTopic, 0), q2(kPerTopic, 0);
    for (const ReceivedMessage& m : sub->events().messages()) {
      const int index = PayloadIndex(m.payload);
      EXPECT_TRUE(index >= 0 && index < kPerTopic) << m.payload;
      if (index < 0 || index >= kPerTopic) continue;
      ++(m.topic == t1_ ? q1 : q2)[index];
    }
    int duplicates = 0;
    for (int i = 0; i < kPerTopic; ++i) {
      EXPECT_GE(q1[i], 1) << "QoS 1 message " << i << " lost";
      EXPECT_EQ(q2[i], 1) << "QoS 2 message " << i;
      duplicates += q1[i] > 1 ? q1[i] - 1 : 0;
    }
    for (const PublishRecord& r : pub->events().published()) {
      EXPECT_EQ(r.state, OUZEL_DELIVERY_ACKNOWLEDGED)
          << "token " << r.token << " drop reason " << r.drop_reason;
    }
    return duplicates;
  }

  static MosquittoBroker* broker_;
  c_memory_store* store_ = nullptr;
  std::string name_, t1_, t2_;
};
MosquittoBroker* StoreVtableTest::broker_ = nullptr;

TEST_P(StoreVtableTest, QueuedOffline_ClientFreed_NewClientFromTheStoreSendsEveryMessage) {
  auto sub = Subscriber();
  ASSERT_TRUE(sub);
  Options po = PublisherOptions();
  auto a = TestClient::Create(po.get(), LoopMode::kCaller);
  ASSERT_TRUE(a);
  ASSERT_NO_FATAL_FAILURE(PublishAll(a.get()));  // never connected: all queued
  a->Free();
  ASSERT_EQ(c_memory_store_count_prefix(store_, "out/"), 2u * kPerTopic);

  auto b = TestClient::Create(po.get(), LoopMode::kCaller);
  ASSERT_TRUE(b);
  ouzel_persistence_report r;
  ASSERT_EQ(ouzel_persistence_report_init(&r, OUZEL_PERSISTENCE_REPORT_VERSION), OUZEL_OK);
  ASSERT_EQ(ouzel_client_persistence_report(b->get(), &r), OUZEL_OK);
  EXPECT_EQ(r.outgoing, 2u * kPerTopic) << r.summary;
  ASSERT_TRUE(ConnectAll({b.get()})) << broker_->Log();
  EXPECT_EQ(ExpectAllDelivered(b.get(), sub.get()), 0) << "nothing was sent twice";
  // In order, per topic (nothing was in flight when the first client went away).
  int next1 = 0, next2 = 0;
  for (const ReceivedMessage& m : sub->events().messages()) {
    EXPECT_EQ(PayloadIndex(m.payload), m.topic == t1_ ? next1++ : next2++) << m.topic;
  }
  // The store was told about the identity (client id, expiry) once the session was up.
  EXPECT_EQ(c_memory_store_count_prefix(store_, "session"), 1u);
  EXPECT_EQ(c_memory_store_count_prefix(store_, "in/"), 0u);
}

TEST_P(StoreVtableTest, InFlightWhenTheClientDies_NewClientResends_Qos2ExactlyOnce) {
  auto sub = Subscriber();
  ASSERT_TRUE(sub);
  Options po = PublisherOptions();
  auto a = TestClient::Create(po.get(), LoopMode::kCaller);
  ASSERT_TRUE(a);
  ASSERT_TRUE(ConnectAll({a.get()})) << broker_->Log();
  // Freeze the broker so that nothing is acknowledged: every PUBLISH is written and stays in
  // flight (a real broker cannot be asked to withhold PUBACK/PUBREC; SIGSTOP does it).
  ASSERT_EQ(kill(broker_->pid(), SIGSTOP), 0);
  ASSERT_NO_FATAL_FAILURE(PublishAll(a.get()));
  RunUntil(
      {a.get()}, [&] { return a->Stat(OUZEL_STAT_INFLIGHT) >= 20; }, 3000);
  const int64_t inflight = a->Stat(OUZEL_STAT_INFLIGHT);
  a->Free();  // as if the process died: no DISCONNECT
  ASSERT_EQ(kill(broker_->pid(), SIGCONT), 0);
  ASSERT_GT(inflight, 0) << "nothing in flight: the test would prove nothing";
  RecordProperty("inflight_when_freed", std::to_string(inflight));

  auto b = TestClient::Create(po.get(), LoopMode::kCaller);
  ASSERT_TRUE(b);
  ASSERT_TRUE(ConnectAll({b.get()})) << broker_->Log();
  EXPECT_EQ(b->events().connects().back().session_present, 1);
  const int duplicates = ExpectAllDelivered(b.get(), sub.get());
  RecordProperty("qos1_duplicates", std::to_string(duplicates));
}

INSTANTIATE_TEST_SUITE_P(Versions, StoreVtableTest,
                         ::testing::Values(OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(VersionName(info.param));
                         });

}  // namespace
}  // namespace ouzel_it
