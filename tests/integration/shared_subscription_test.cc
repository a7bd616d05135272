// Shared subscriptions ($share/<group>/<filter>) through the C API against a real Mosquitto: two
// clients in one group split a stream between them, each message going to exactly one of them,
// while a plain subscriber to the same topic still gets every message. MQTT 5 defines them;
// Mosquitto also accepts them from 3.1.1 (and 3.1) clients, so those versions are covered too.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

constexpr int kMessages = 100;

class SharedSubscriptionTest : public ::testing::TestWithParam<int> {
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
MosquittoBroker* SharedSubscriptionTest::broker_ = nullptr;

TEST_P(SharedSubscriptionTest, SharedGroup_EachMessageGoesToExactlyOneMember_BothGetSome) {
  ASSERT_NE(broker_, nullptr);
  const int version = GetParam();
  const std::string v = VersionName(version);
  const std::string topic = "it/shared/" + v + "/jobs";
  const std::string shared = "$share/workers-" + v + "/" + topic;

  Options o1 = BaseOptions(broker_->port(), "worker1-" + v, version);
  Options o2 = BaseOptions(broker_->port(), "worker2-" + v, version);
  Options oa = BaseOptions(broker_->port(), "auditor-" + v, version);
  Options op = BaseOptions(broker_->port(), "producer-" + v, version);
  auto w1 = TestClient::Create(o1.get(), LoopMode::kThread);
  auto w2 = TestClient::Create(o2.get(), LoopMode::kExternal);
  auto auditor = TestClient::Create(oa.get(), LoopMode::kThread);
  auto producer = TestClient::Create(op.get(), LoopMode::kThread);
  ASSERT_TRUE(w1 && w2 && auditor && producer);
  ASSERT_TRUE(ConnectAll({w1.get(), w2.get(), auditor.get(), producer.get()})) << broker_->Log();
  std::vector<uint8_t> codes;
  ASSERT_TRUE(SubscribeAndWait(w1.get(), shared, 1, &codes));
  ASSERT_EQ(codes, std::vector<uint8_t>{1}) << "shared subscription refused";
  ASSERT_TRUE(SubscribeAndWait(w2.get(), shared, 1, &codes));
  ASSERT_EQ(codes, std::vector<uint8_t>{1});
  ASSERT_TRUE(SubscribeAndWait(auditor.get(), topic, 1, &codes));

  for (int i = 0; i < kMessages; ++i) {
    const std::string p = NumberedPayload(i);
    ASSERT_EQ(ouzel_client_publish(producer->get(), topic.data(), topic.size(), p.data(), p.size(),
                                   1, 0, nullptr, nullptr, nullptr),
              OUZEL_OK);
  }
  ASSERT_TRUE(RunUntil({w2.get()},
                       [&] {
                         return w1->events().message_count() + w2->events().message_count() >=
                                    kMessages &&
                                auditor->events().message_count() >= kMessages;
                       }))
      << w1->events().message_count() << " + " << w2->events().message_count();
  RunFor({w2.get()}, 150);

  std::map<int, int> deliveries;  // payload index -> how many group members got it
  for (TestClient* w : {w1.get(), w2.get()}) {
    int last = -1;
    for (const ReceivedMessage& m : w->events().messages()) {
      EXPECT_EQ(m.topic, topic);  // the topic as published, without the $share prefix
      const int index = PayloadIndex(m.payload);
      ASSERT_GE(index, 0) << "payload mangled";
      EXPECT_GT(index, last) << "a member sees its share in publish order";
      last = index;
      ++deliveries[index];
    }
  }
  ASSERT_EQ(static_cast<int>(deliveries.size()), kMessages);
  for (const auto& [index, count] : deliveries) EXPECT_EQ(count, 1) << "message " << index;
  const int n1 = w1->events().message_count();
  const int n2 = w2->events().message_count();
  // Mosquitto goes round-robin; "spread" means neither member is starved.
  EXPECT_GE(n1, kMessages / 4) << n1 << " / " << n2;
  EXPECT_GE(n2, kMessages / 4) << n1 << " / " << n2;
  EXPECT_EQ(auditor->events().message_count(), kMessages);
  RecordProperty("member_counts", std::to_string(n1) + "/" + std::to_string(n2));
}

INSTANTIATE_TEST_SUITE_P(Versions, SharedSubscriptionTest,
                         ::testing::Values(OUZEL_MQTT_V31, OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(VersionName(info.param));
                         });

}  // namespace
}  // namespace ouzel_it
