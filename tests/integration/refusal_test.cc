// Refusals from a real Mosquitto, through the C API:
// - bad credentials against a password file, and no credentials with anonymous access off:
//   on_connect_fail with OUZEL_EREFUSED and the broker's CONNACK code, never on_connect; the
//   right password is accepted by the same broker;
// - a broker with max_packet_size (advertised as Maximum Packet Size in the MQTT 5 CONNACK): a
//   publish that would exceed it is refused locally with OUZEL_ETOOLARGE, nothing is queued, and
//   the connection stays up for the next publish.
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

class BadCredentialsTest : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    MosquittoBroker::Options o;
    o.allow_anonymous = false;
    o.users = {{"alice", "correct horse"}};
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }

  // A client with these credentials (null: none) and no automatic reconnection, connected and
  // driven until the first outcome.
  std::unique_ptr<TestClient> Attempt(const char* user, const char* password) {
    const std::string id = std::string("cred-") + VersionName(GetParam()) + "-" +
                           (user ? user : "anon") + "-" + (password ? "pw" : "nopw");
    Options o = BaseOptions(broker_->port(), id, GetParam());
    if (user != nullptr) {
      ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_USERNAME, user, SIZE_MAX), "user");
    }
    if (password != nullptr) {
      ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_PASSWORD, password, SIZE_MAX), "pw");
    }
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "no reconnect");
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    if (!c) return nullptr;
    ExpectOk(ouzel_client_connect(c->get()), "connect");
    EXPECT_TRUE(RunUntil({c.get()}, [&] {
      return c->events().connect_count() + c->events().connect_fail_count() > 0;
    }));
    RunFor({c.get()}, 100);  // anything else that would follow (a second event) shows up
    return c;
  }

  // MQTT 3.x CONNACK 5 "not authorized" / MQTT 5 0x87 "Not authorized": what Mosquitto 2.0 sends
  // for both a wrong password and missing credentials.
  int NotAuthorizedCode() const { return GetParam() == OUZEL_MQTT_V5 ? 0x87 : 5; }

  void ExpectRefused(TestClient* c) {
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->events().connect_count(), 0);
    const std::vector<ConnectFailRecord> f = c->events().connect_fails();
    ASSERT_EQ(f.size(), 1u) << broker_->Log();
    EXPECT_EQ(f[0].error, OUZEL_EREFUSED) << ouzel_strerror(f[0].error);
    EXPECT_EQ(f[0].reason_code, NotAuthorizedCode());
    EXPECT_EQ(ouzel_client_is_connected(c->get()), 0);
    EXPECT_EQ(c->events().disconnect_count(), 0);  // never connected, so nothing "ended"
  }

  static MosquittoBroker* broker_;
};
MosquittoBroker* BadCredentialsTest::broker_ = nullptr;

TEST_P(BadCredentialsTest, WrongPassword_OnConnectFailWithErefusedAndConnackCode) {
  ASSERT_NE(broker_, nullptr);
  auto c = Attempt("alice", "wrong");
  ExpectRefused(c.get());
}

TEST_P(BadCredentialsTest, NoCredentialsWithAnonymousOff_OnConnectFailWithErefused) {
  ASSERT_NE(broker_, nullptr);
  auto c = Attempt(nullptr, nullptr);
  ExpectRefused(c.get());
}

TEST_P(BadCredentialsTest, RightPassword_Accepted) {
  ASSERT_NE(broker_, nullptr);
  auto c = Attempt("alice", "correct horse");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->events().connect_fail_count(), 0);
  ASSERT_EQ(c->events().connect_count(), 1) << broker_->Log();
  EXPECT_EQ(c->events().connects()[0].reason_code, 0);
  ASSERT_TRUE(DisconnectAndWait(c.get()));
}

INSTANTIATE_TEST_SUITE_P(Versions, BadCredentialsTest,
                         ::testing::Values(OUZEL_MQTT_V31, OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(VersionName(info.param));
                         });

TEST(MaximumPacketSizeTest, OversizedPublish_RefusedLocallyWithEtoolarge_ConnectionStaysUp) {
  constexpr uint32_t kMax = 1000;
  MosquittoBroker::Options bo;
  bo.max_packet_size = kMax;
  auto started = MosquittoBroker::Start(bo);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<MosquittoBroker> broker = *std::move(started);

  Options po = BaseOptions(broker->port(), "maxpkt-pub", OUZEL_MQTT_V5);
  Options so = BaseOptions(broker->port(), "maxpkt-sub", OUZEL_MQTT_V5);
  auto pub = TestClient::Create(po.get(), LoopMode::kExternal);
  auto sub = TestClient::Create(so.get(), LoopMode::kExternal);
  ASSERT_TRUE(pub && sub);
  ASSERT_TRUE(ConnectAll({pub.get(), sub.get()})) << broker->Log();
  ASSERT_EQ(pub->events().connects()[0].maximum_packet_size, kMax);
  const std::string topic = "it/maxpkt";
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 1, nullptr, nullptr, {pub.get()}));

  // The whole PUBLISH packet counts: a payload of kMax bytes alone is already over.
  for (int qos = 0; qos <= 2; ++qos) {
    const std::string big(kMax, 'B');
    uint64_t token = 0;
    EXPECT_EQ(ouzel_client_publish(pub->get(), topic.data(), topic.size(), big.data(), big.size(),
                                   qos, 0, nullptr, &token, nullptr),
              OUZEL_ETOOLARGE)
        << "QoS " << qos << ": " << ouzel_last_error_message();
    EXPECT_STRNE(ouzel_last_error_message(), "");
  }
  EXPECT_EQ(pub->Stat(OUZEL_STAT_QUEUED), 0);
  EXPECT_EQ(pub->Stat(OUZEL_STAT_INFLIGHT), 0);

  // A message that fits still goes through on the same connection.
  const std::string fits(kMax - 100, 'f');
  ASSERT_EQ(PublishAndWait(pub.get(), topic, fits, 1, 0, nullptr, {sub.get()}),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({pub.get(), sub.get()}, [&] { return sub->events().message_count() == 1; }));
  EXPECT_EQ(sub->events().messages()[0].payload, fits);
  EXPECT_EQ(pub->events().disconnect_count(), 0);
  EXPECT_EQ(ouzel_client_is_connected(pub->get()), 1);
  EXPECT_EQ(pub->events().publish_count(), 1);  // no on_publish for the refused ones
}

}  // namespace
}  // namespace ouzel_it
