// ouzel_client_withhold_ack against a real Mosquitto: a QoS 1 message whose handler "failed"
// (on_message withheld its acknowledgement) is delivered again, with DUP, when the client resumes
// its kept session; one acknowledged later with ouzel_client_ack is not. The calls refused
// outside on_message, for QoS 0, and in manual ack mode.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

class WithholdAckTest : public ::testing::TestWithParam<int> {
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

  int version() const { return GetParam(); }
  std::string Name(const std::string& what) const {
    return "wh-" + what + "-" + VersionName(version());
  }

  // A persistent session (3.x Clean Session 0; 5.0 also a Session Expiry Interval).
  Options PersistentOptions(const std::string& client_id) {
    Options o = BaseOptions(broker_->port(), client_id, version());
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 0), "clean start");
    if (version() == OUZEL_MQTT_V5) {
      Properties p = NewProperties();
      ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 300),
               "session expiry");
      ExpectOk(ouzel_options_set_connect_properties(o.get(), p.get()), "connect properties");
    }
    return o;
  }

  void Publish(const std::string& topic, const std::string& payload, int qos) {
    Options o = BaseOptions(broker_->port(), Name("pub"), version());
    auto pub = TestClient::Create(o.get(), LoopMode::kThread);
    ASSERT_TRUE(pub);
    ASSERT_TRUE(ConnectAll({pub.get()}));
    ASSERT_EQ(PublishAndWait(pub.get(), topic, payload, qos, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  }

  // ouzel_client_reconnect (no DISCONNECT, the session kept) and waits for the next on_connect.
  bool ReconnectAndWait(TestClient* c) {
    const int before = c->events().connect_count();
    if (ouzel_client_reconnect(c->get()) != OUZEL_OK) return false;
    return RunUntil({c}, [&] { return c->events().connect_count() > before; });
  }

  static MosquittoBroker* broker_;
};
MosquittoBroker* WithholdAckTest::broker_ = nullptr;

TEST_P(WithholdAckTest, WithheldQos1Message_IsDeliveredAgainWhenTheSessionResumes) {
  const std::string topic = Name("redeliver");
  std::atomic<int> calls{0};
  std::atomic<int> first_rc{1}, second_rc{1};
  auto hook = [&](ouzel_client* c, const ouzel_message* m) {
    // The first delivery fails (withheld, twice: harmless); the redelivery succeeds.
    if (calls.load() == 0) {
      first_rc = ouzel_client_withhold_ack(c);
      second_rc = ouzel_client_withhold_ack(c);
      EXPECT_EQ(ouzel_message_dup(m), 0);
    }
    ++calls;
  };
  Options o = PersistentOptions(Name("sub-redeliver"));
  auto sub = TestClient::Create(o.get(), LoopMode::kThread, hook);
  ASSERT_TRUE(sub);
  ASSERT_TRUE(ConnectAll({sub.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 1));
  Publish(topic, "m1", 1);
  ASSERT_TRUE(RunUntil({sub.get()}, [&] { return calls.load() == 1; }));
  EXPECT_EQ(first_rc.load(), OUZEL_OK) << ouzel_strerror(first_rc.load());
  EXPECT_EQ(second_rc.load(), OUZEL_OK);
  // Outside on_message there is nothing to withhold, and a mid never withheld cannot be acked in
  // automatic mode.
  EXPECT_EQ(ouzel_client_withhold_ack(sub->get()), OUZEL_EBUSY);
  EXPECT_EQ(ouzel_client_ack(sub->get(), 4242), OUZEL_EINVAL);

  // The broker never got a PUBACK: resuming the session makes it send the message again.
  ASSERT_TRUE(ReconnectAndWait(sub.get()));
  ASSERT_TRUE(RunUntil({sub.get()}, [&] { return calls.load() == 2; }))
      << Describe(sub->events().messages());
  std::vector<ReceivedMessage> got = sub->events().messages();
  EXPECT_EQ(got[1].payload, "m1");
  EXPECT_EQ(got[1].qos, 1);
  EXPECT_EQ(got[1].dup, 1);
  EXPECT_EQ(sub->events().connects().back().session_present, 1);

  // This time it was acknowledged: another resume brings nothing, and new messages flow.
  ASSERT_TRUE(ReconnectAndWait(sub.get()));
  Publish(topic, "m2", 1);
  ASSERT_TRUE(RunUntil({sub.get()}, [&] { return sub->events().message_count() >= 3; }));
  RunFor({sub.get()}, 300);
  got = sub->events().messages();
  ASSERT_EQ(got.size(), 3u) << Describe(got);
  EXPECT_EQ(got[2].payload, "m2");
  EXPECT_EQ(got[2].dup, 0);
}

TEST_P(WithholdAckTest, WithheldThenAckedLater_IsNotDeliveredAgain) {
  const std::string topic = Name("ack-later");
  std::atomic<int> withheld_mid{0};
  auto hook = [&](ouzel_client* c, const ouzel_message* m) {
    if (withheld_mid.load() == 0 && ouzel_client_withhold_ack(c) == OUZEL_OK) {
      withheld_mid = ouzel_message_mid(m);
    }
  };
  Options o = PersistentOptions(Name("sub-ack-later"));
  auto sub = TestClient::Create(o.get(), LoopMode::kThread, hook);
  ASSERT_TRUE(sub);
  ASSERT_TRUE(ConnectAll({sub.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 1));
  Publish(topic, "retry-me", 1);
  ASSERT_TRUE(RunUntil({sub.get()}, [&] { return withheld_mid.load() > 0; }));
  // The application retried the work and succeeded: it acknowledges from its own thread.
  EXPECT_EQ(ouzel_client_ack(sub->get(), withheld_mid.load()), OUZEL_OK)
      << ouzel_last_error_message();
  EXPECT_EQ(ouzel_client_ack(sub->get(), withheld_mid.load()), OUZEL_EINVAL);  // once
  RunFor({sub.get()}, 200);                                                    // the PUBACK leaves
  ASSERT_TRUE(ReconnectAndWait(sub.get()));
  RunFor({sub.get()}, 500);
  EXPECT_EQ(sub->events().message_count(), 1) << Describe(sub->events().messages());
}

TEST_P(WithholdAckTest, RefusedForQos0AndInManualAckMode) {
  const std::string topic = Name("refused");
  std::vector<int> rcs;
  std::mutex mu;
  auto hook = [&](ouzel_client* c, const ouzel_message*) {
    const int rc = ouzel_client_withhold_ack(c);
    std::lock_guard<std::mutex> lock(mu);
    rcs.push_back(rc);
  };
  Options o = BaseOptions(broker_->port(), Name("sub-qos0"), version());
  auto sub = TestClient::Create(o.get(), LoopMode::kThread, hook);
  Options mo = BaseOptions(broker_->port(), Name("sub-manual"), version());
  ExpectOk(ouzel_options_set_int(mo.get(), OUZEL_OPT_MANUAL_ACK, 1), "manual ack");
  auto manual = TestClient::Create(mo.get(), LoopMode::kThread, hook);
  ASSERT_TRUE(sub && manual);
  ASSERT_TRUE(ConnectAll({sub.get(), manual.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic + "/0", 0));
  ASSERT_TRUE(SubscribeAndWait(manual.get(), topic + "/1", 1));
  auto hook_calls = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return rcs.size();
  };
  Publish(topic + "/0", "q0", 0);
  ASSERT_TRUE(RunUntil({sub.get()}, [&] { return hook_calls() == 1; }));
  Publish(topic + "/1", "q1", 1);
  ASSERT_TRUE(RunUntil({manual.get()}, [&] { return hook_calls() == 2; }));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(rcs, (std::vector<int>{OUZEL_EINVAL, OUZEL_EINVAL}));
  EXPECT_EQ(ouzel_client_withhold_ack(nullptr), OUZEL_EINVAL);
}

INSTANTIATE_TEST_SUITE_P(Versions, WithholdAckTest,
                         ::testing::Values(OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(VersionName(info.param));
                         });

}  // namespace
}  // namespace ouzel_it
