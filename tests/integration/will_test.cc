// The Will through the C API against a real Mosquitto: published by the broker when a client's
// connection ends without DISCONNECT (ouzel_client_free without disconnect; the TCP connection cut
// under a running client), not published after ouzel_client_disconnect, and, with MQTT 5, held
// for the Will Delay Interval, dropped when the client comes back in time, and sent on DISCONNECT
// with reason 0x04.
//
// "Not delivered" is shown without sleeping for a guess: after the client is gone, another client
// publishes a sentinel on the Will topic; the watcher must receive the sentinel and nothing else.
#include <sys/socket.h>

#include <chrono>
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
using Clock = std::chrono::steady_clock;

const std::string kWillPayload("gone\0offline\xff", 13);

class WillTest : public ::testing::TestWithParam<int> {
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
    return what + "-" + VersionName(version()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  std::string WillTopic() const {
    std::string t = "it/will/" + Name("t");
    for (char& ch : t) {
      if (ch == '#' || ch == '+') ch = '_';
    }
    return t;
  }

  // A watcher subscribed to the will topic, and a client with a Will. `will_props` and
  // `connect_props` are v5 only (may be null).
  void SetUpClients(LoopMode mode, const ouzel_properties* will_props = nullptr,
                    const ouzel_properties* connect_props = nullptr) {
    Options wo = BaseOptions(broker_->port(), Name("watcher"), version());
    watcher_ = TestClient::Create(wo.get(), LoopMode::kThread);
    Options co = WillOptions(will_props, connect_props);
    client_ = TestClient::Create(co.get(), mode);
    ASSERT_TRUE(watcher_ && client_);
    ASSERT_TRUE(ConnectAll({watcher_.get(), client_.get()})) << broker_->Log();
    ASSERT_TRUE(SubscribeAndWait(watcher_.get(), WillTopic(), 2));
  }

  Options WillOptions(const ouzel_properties* will_props, const ouzel_properties* connect_props) {
    Options co = BaseOptions(broker_->port(), Name("client"), version());
    const std::string topic = WillTopic();
    ExpectOk(ouzel_options_set_will(co.get(), topic.data(), topic.size(), kWillPayload.data(),
                                    kWillPayload.size(), 1, 0, will_props),
             "set_will");
    if (connect_props != nullptr) {
      ExpectOk(ouzel_options_set_connect_properties(co.get(), connect_props), "connect props");
    }
    ExpectOk(ouzel_options_set_int(co.get(), OUZEL_OPT_RECONNECT, 0), "no reconnect");
    return co;
  }

  bool WaitForWatcher(int count, int timeout_ms = kTimeoutMs) {
    return RunUntil(
        {watcher_.get()}, [&] { return watcher_->events().message_count() >= count; }, timeout_ms);
  }

  // Publishes a sentinel on the will topic from a fresh client and waits for the watcher to get
  // it; then the watcher's messages are exactly what reached it before, plus the sentinel.
  void PublishSentinel() {
    Options so = BaseOptions(broker_->port(), Name("sentinel"), version());
    auto s = TestClient::Create(so.get(), LoopMode::kThread);
    ASSERT_TRUE(s);
    ASSERT_TRUE(ConnectAll({s.get()}));
    const int before = watcher_->events().message_count();
    ASSERT_EQ(PublishAndWait(s.get(), WillTopic(), "sentinel", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
    ASSERT_TRUE(WaitForWatcher(before + 1));
  }

  void ExpectWill(const ReceivedMessage& m) {
    EXPECT_EQ(m.topic, WillTopic());
    EXPECT_EQ(m.payload, kWillPayload);
    EXPECT_EQ(m.qos, 1);
    EXPECT_EQ(m.retain, 0);
  }

  static MosquittoBroker* broker_;
  std::unique_ptr<TestClient> watcher_;
  std::unique_ptr<TestClient> client_;
};
MosquittoBroker* WillTest::broker_ = nullptr;

std::string VersionParamName(const ::testing::TestParamInfo<int>& info) {
  return VersionName(info.param);
}

TEST_P(WillTest, Will_DeliveredWhenClientFreedWithoutDisconnect) {
  ASSERT_NO_FATAL_FAILURE(SetUpClients(LoopMode::kThread));
  ASSERT_EQ(watcher_->events().message_count(), 0);
  client_->Free();  // closes the TCP connection without DISCONNECT
  ASSERT_TRUE(WaitForWatcher(1)) << broker_->Log();
  ExpectWill(watcher_->events().messages()[0]);
  ASSERT_NO_FATAL_FAILURE(PublishSentinel());
  const std::vector<ReceivedMessage> got = watcher_->events().messages();
  ASSERT_EQ(got.size(), 2u) << Describe(got);  // the Will once, then the sentinel
  EXPECT_EQ(got[1].payload, "sentinel");
}

TEST_P(WillTest, Will_DeliveredWhenTheTcpConnectionIsCut) {
  ASSERT_NO_FATAL_FAILURE(SetUpClients(LoopMode::kCaller));
  const int fd = ouzel_client_socket(client_->get());
  ASSERT_GE(fd, 0);
  // The network goes away under a running client (as a crash of the path would): no DISCONNECT.
  ASSERT_EQ(shutdown(fd, SHUT_RDWR), 0);
  ASSERT_TRUE(WaitForWatcher(1)) << broker_->Log();
  ExpectWill(watcher_->events().messages()[0]);
  // The client notices: on_disconnect with an error (not the application's own disconnect).
  ASSERT_TRUE(RunUntil({client_.get()}, [&] { return client_->events().disconnect_count() == 1; }));
  EXPECT_NE(client_->events().disconnects()[0].error, OUZEL_OK);
  EXPECT_EQ(ouzel_client_is_connected(client_->get()), 0);
}

TEST_P(WillTest, Will_NotDeliveredAfterDisconnect) {
  ASSERT_NO_FATAL_FAILURE(SetUpClients(LoopMode::kExternal));
  ASSERT_TRUE(DisconnectAndWait(client_.get()));
  EXPECT_EQ(client_->events().disconnects()[0].error, OUZEL_OK);
  client_->Free();
  ASSERT_NO_FATAL_FAILURE(PublishSentinel());
  const std::vector<ReceivedMessage> got = watcher_->events().messages();
  ASSERT_EQ(got.size(), 1u) << Describe(got);
  EXPECT_EQ(got[0].payload, "sentinel");
}

// Issue 17: a second ouzel_client_disconnect right after the first (paho's disconnect() twice)
// took the abort path while the session was already disconnecting, dropping the queued
// DISCONNECT with the output: the broker then published the Will (2-4 times in 5). A repeat
// disconnect must change nothing. Five connections in a row, each in every loop mode's worst
// case: both calls before the loop has written anything.
TEST_P(WillTest, Will_NotDeliveredAfterDisconnectTwice) {
  for (LoopMode mode : {LoopMode::kThread, LoopMode::kExternal, LoopMode::kThread,
                        LoopMode::kExternal, LoopMode::kThread}) {
    if (watcher_ == nullptr) {
      ASSERT_NO_FATAL_FAILURE(SetUpClients(mode));
    } else {
      Options co = WillOptions(nullptr, nullptr);
      client_ = TestClient::Create(co.get(), mode);
      ASSERT_TRUE(client_);
      ASSERT_TRUE(ConnectAll({client_.get()})) << broker_->Log();
    }
    const int before = client_->events().disconnect_count();
    ASSERT_EQ(ouzel_client_disconnect(client_->get(), 0, nullptr), OUZEL_OK);
    const int second = ouzel_client_disconnect(client_->get(), 0, nullptr);
    EXPECT_TRUE(second == OUZEL_OK || second == OUZEL_ENOTCONN) << ouzel_strerror(second);
    ASSERT_TRUE(
        RunUntil({client_.get()}, [&] { return client_->events().disconnect_count() > before; }));
    EXPECT_EQ(client_->events().disconnects().back().error, OUZEL_OK);
    // Once closed, a third call says so and changes nothing either.
    EXPECT_EQ(ouzel_client_disconnect(client_->get(), 0, nullptr), OUZEL_ENOTCONN);
    client_->Free();
  }
  ASSERT_NO_FATAL_FAILURE(PublishSentinel());
  const std::vector<ReceivedMessage> got = watcher_->events().messages();
  ASSERT_EQ(got.size(), 1u) << "a Will was published: " << Describe(got);
  EXPECT_EQ(got[0].payload, "sentinel");
}

INSTANTIATE_TEST_SUITE_P(Versions, WillTest,
                         ::testing::Values(OUZEL_MQTT_V31, OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         VersionParamName);

class WillV5Test : public WillTest {
 protected:
  // Will Delay Interval `delay_s`; a session that outlives it (the Will waits for the earlier of
  // the delay and the end of the session [MQTT-3.1.3-9]).
  void SetUpDelayed(uint32_t delay_s) {
    will_props_ = NewProperties();
    ExpectOk(ouzel_properties_set_int(will_props_.get(), OUZEL_PROP_WILL_DELAY_INTERVAL, delay_s),
             "will delay");
    connect_props_ = NewProperties();
    ExpectOk(ouzel_properties_set_int(connect_props_.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 60),
             "session expiry");
    SetUpClients(LoopMode::kThread, will_props_.get(), connect_props_.get());
  }

  Properties will_props_;
  Properties connect_props_;
};

TEST_P(WillV5Test, WillDelayInterval_WillHeldForTheDelay) {
  ASSERT_NO_FATAL_FAILURE(SetUpDelayed(2));
  const Clock::time_point closed = Clock::now();
  client_->Free();
  ASSERT_TRUE(WaitForWatcher(1, 8000)) << "the delayed Will never came\n" << broker_->Log();
  const auto waited =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - closed).count();
  ExpectWill(watcher_->events().messages()[0]);
  // Mosquitto counts the delay in whole seconds, so 2 s means somewhere in (1 s, 3 s]; a Will sent
  // at once arrives within milliseconds.
  EXPECT_GE(waited, 1000) << "the Will was not delayed";
  EXPECT_LE(waited, 6000);
  RecordProperty("will_delay_observed_ms", std::to_string(waited));
}

TEST_P(WillV5Test, WillDelayInterval_ClientBackInTime_WillNotSent) {
  ASSERT_NO_FATAL_FAILURE(SetUpDelayed(1));
  client_->Free();
  // The same client id resumes the session before the delay ends: the Will is not sent
  // [MQTT-3.1.3-9]. This one has no Will and leaves cleanly.
  Options o = BaseOptions(broker_->port(), Name("client"), version());
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 0), "clean start");
  ExpectOk(ouzel_options_set_connect_properties(o.get(), connect_props_.get()), "connect props");
  auto back = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(back);
  ASSERT_TRUE(ConnectAll({back.get()}));
  EXPECT_EQ(back->events().connects()[0].session_present, 1);
  ASSERT_TRUE(DisconnectAndWait(back.get()));
  // Longer than the delay and mosquitto's one-second granularity, then the sentinel.
  RunFor({watcher_.get()}, 2500);
  ASSERT_NO_FATAL_FAILURE(PublishSentinel());
  const std::vector<ReceivedMessage> got = watcher_->events().messages();
  ASSERT_EQ(got.size(), 1u) << Describe(got);
  EXPECT_EQ(got[0].payload, "sentinel");
}

TEST_P(WillV5Test, DisconnectWithWillMessageReason_WillDelivered) {
  ASSERT_NO_FATAL_FAILURE(SetUpClients(LoopMode::kThread));
  ExpectOk(ouzel_client_disconnect(client_->get(), 0x04, nullptr), "disconnect 0x04");
  ASSERT_TRUE(WaitForWatcher(1)) << broker_->Log();
  ExpectWill(watcher_->events().messages()[0]);
  ASSERT_TRUE(RunUntil({client_.get()}, [&] { return client_->events().disconnect_count() == 1; }));
  EXPECT_EQ(client_->events().disconnects()[0].reason_code, 0x04);
}

INSTANTIATE_TEST_SUITE_P(V5, WillV5Test, ::testing::Values(OUZEL_MQTT_V5), VersionParamName);

}  // namespace
}  // namespace ouzel_it
