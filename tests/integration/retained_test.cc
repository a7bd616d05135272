// Retained messages through the C API against a real Mosquitto, for MQTT 3.1, 3.1.1 and 5.0: a
// retained publish reaches a later subscriber with retain = 1 (and a live one with retain = 0), an
// empty retained publish clears it, and (v5) the Retain As Published and Retain Handling options.
// Clients run on the test's thread (ouzel_client_loop).
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

class RetainedTest : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    auto b = MosquittoBroker::Start({});
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }

  std::unique_ptr<TestClient> Client(const std::string& id) {
    Options o = BaseOptions(broker_->port(), id + "-" + VersionName(GetParam()), GetParam());
    return TestClient::Create(o.get(), LoopMode::kCaller);
  }
  std::string Topic(const std::string& leaf) const {
    return std::string("it/retained/") + VersionName(GetParam()) + "/" + leaf;
  }

  static MosquittoBroker* broker_;
};
MosquittoBroker* RetainedTest::broker_ = nullptr;

std::string VersionParamName(const ::testing::TestParamInfo<int>& info) {
  return VersionName(info.param);
}

TEST_P(RetainedTest, RetainedMessage_ReachesLaterSubscriberWithRetainFlag_EmptyPublishClearsIt) {
  ASSERT_NE(broker_, nullptr);
  const std::string topic = Topic("state");
  std::string retained("on\0line", 7);
  auto pub = Client("pub");
  auto live = Client("live");
  ASSERT_TRUE(pub && live);
  ASSERT_TRUE(ConnectAll({pub.get(), live.get()}));
  ASSERT_TRUE(SubscribeAndWait(live.get(), topic, 1));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, retained, 1, 1, nullptr, {live.get()}),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({live.get()}, [&] { return live->events().message_count() == 1; }));
  // Forwarded to an existing subscription: retain is 0 [MQTT-3.3.1-9].
  EXPECT_EQ(live->events().messages()[0].retain, 0);
  EXPECT_EQ(live->events().messages()[0].payload, retained);

  // A subscriber that comes later gets the retained message, flagged.
  auto late = Client("late");
  ASSERT_TRUE(late);
  ASSERT_TRUE(ConnectAll({late.get()}));
  ASSERT_TRUE(SubscribeAndWait(late.get(), topic, 1));
  ASSERT_TRUE(RunUntil({late.get()}, [&] { return late->events().message_count() == 1; }));
  {
    const ReceivedMessage m = late->events().messages()[0];
    EXPECT_EQ(m.topic, topic);
    EXPECT_EQ(m.payload, retained);
    EXPECT_EQ(m.retain, 1);
    EXPECT_EQ(m.qos, 1);
  }

  // An empty retained publish clears it: a new subscriber gets nothing retained. A sentinel
  // (not retained) published after its SUBACK proves it had time to receive one.
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "", 1, 1), OUZEL_DELIVERY_ACKNOWLEDGED);
  auto after = Client("after");
  ASSERT_TRUE(after);
  ASSERT_TRUE(ConnectAll({after.get()}));
  ASSERT_TRUE(SubscribeAndWait(after.get(), topic, 1));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "sentinel", 1, 0, nullptr, {after.get()}),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({after.get()}, [&] { return after->events().message_count() >= 1; }));
  RunFor({after.get()}, 100);
  const std::vector<ReceivedMessage> got = after->events().messages();
  ASSERT_EQ(got.size(), 1u) << Describe(got);
  EXPECT_EQ(got[0].payload, "sentinel");
  EXPECT_EQ(got[0].retain, 0);
}

TEST_P(RetainedTest, RetainedMessage_ReplacedByTheNextRetainedPublish) {
  ASSERT_NE(broker_, nullptr);
  const std::string topic = Topic("replaced");
  auto pub = Client("pub2");
  ASSERT_TRUE(pub);
  ASSERT_TRUE(ConnectAll({pub.get()}));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "first", 2, 1), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "second", 0, 1), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "third", 1, 1), OUZEL_DELIVERY_ACKNOWLEDGED);
  auto late = Client("late2");
  ASSERT_TRUE(late);
  ASSERT_TRUE(ConnectAll({late.get()}));
  ASSERT_TRUE(SubscribeAndWait(late.get(), topic, 2));
  ASSERT_TRUE(RunUntil({late.get()}, [&] { return late->events().message_count() >= 1; }));
  RunFor({late.get()}, 100);
  const std::vector<ReceivedMessage> got = late->events().messages();
  ASSERT_EQ(got.size(), 1u) << Describe(got);
  EXPECT_EQ(got[0].payload, "third");
  EXPECT_EQ(got[0].retain, 1);
  EXPECT_EQ(got[0].qos, 1);  // the QoS it was published with (the subscription allows 2)
}

INSTANTIATE_TEST_SUITE_P(Versions, RetainedTest,
                         ::testing::Values(OUZEL_MQTT_V31, OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         VersionParamName);

// MQTT 5 subscription options about retained messages.
class RetainedV5Test : public RetainedTest {};

TEST_P(RetainedV5Test, RetainAsPublished_KeepsFlagForLiveSubscriber_RetainHandling2_SendsNone) {
  ASSERT_NE(broker_, nullptr);
  const std::string topic = Topic("options");
  auto pub = Client("pub3");
  auto rap = Client("rap");
  ASSERT_TRUE(pub && rap);
  ASSERT_TRUE(ConnectAll({pub.get(), rap.get()}));
  ouzel_subscription tmpl;
  ASSERT_EQ(ouzel_subscription_init(&tmpl, OUZEL_SUBSCRIPTION_VERSION), OUZEL_OK);
  tmpl.retain_as_published = 1;
  ASSERT_TRUE(SubscribeAndWait(rap.get(), topic, 1, nullptr, &tmpl));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "kept", 1, 1, nullptr, {rap.get()}),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({rap.get()}, [&] { return rap->events().message_count() == 1; }));
  EXPECT_EQ(rap->events().messages()[0].retain, 1);

  // Retain Handling 2: no retained message at subscribe time, only what is published after.
  auto none = Client("none");
  ASSERT_TRUE(none);
  ASSERT_TRUE(ConnectAll({none.get()}));
  ASSERT_EQ(ouzel_subscription_init(&tmpl, OUZEL_SUBSCRIPTION_VERSION), OUZEL_OK);
  tmpl.retain_handling = 2;
  ASSERT_TRUE(SubscribeAndWait(none.get(), topic, 1, nullptr, &tmpl));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "live", 1, 0, nullptr, {none.get()}),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({none.get()}, [&] { return none->events().message_count() >= 1; }));
  RunFor({none.get()}, 100);
  const std::vector<ReceivedMessage> got = none->events().messages();
  ASSERT_EQ(got.size(), 1u) << Describe(got);
  EXPECT_EQ(got[0].payload, "live");
  // Clean up the retained message so the broker holds nothing for other tests.
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "", 1, 1), OUZEL_DELIVERY_ACKNOWLEDGED);
}

INSTANTIATE_TEST_SUITE_P(V5, RetainedV5Test, ::testing::Values(OUZEL_MQTT_V5), VersionParamName);

}  // namespace
}  // namespace ouzel_it
