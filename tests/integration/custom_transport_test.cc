// Application-supplied transports (ouzel/sys/transport.h) against a real Mosquitto: the vtable
// wraps real TCP connections to the broker, in fd mode (the engine polls the application's
// socket) and in notify mode (no descriptor: the application's relay thread calls
// ouzel_transport_notify), under the three loop modes, at QoS 0, 1 and 2. Also: errors a vtable
// returns reach on_connect_fail / on_disconnect with their code and message, the connect timeout
// bounds a stream that never connects, the version and slots are checked, and the lifetime
// rules hold (close once per successful open, destroy once after the last close, no call after
// either). The test transports are in test_transports.h.
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "ouzel/sys/transport.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"
#include "tests/integration/test_transports.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

constexpr int kNumbered = 30;
constexpr size_t kLargeSize = 300 * 1024;  // many times the notify-mode relay's 16 KiB buffers

class BrokerTest {
 public:
  static MosquittoBroker* broker() { return broker_; }
  static void StartBroker() {
    MosquittoBroker::Options o;
    o.extra_config = {"max_queued_messages 0"};
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void StopBroker() {
    delete broker_;
    broker_ = nullptr;
  }

 private:
  static MosquittoBroker* broker_;
};
MosquittoBroker* BrokerTest::broker_ = nullptr;

// Options for the broker whose transport is `mode`'s test vtable over `probe`.
Options TransportOptions(const std::string& client_id, StreamMode mode, TransportProbe* probe,
                         int version = OUZEL_MQTT_V5) {
  Options o = BaseOptions(BrokerTest::broker()->port(), client_id, version);
  ExpectOk(ouzel_options_set_transport(o.get(), TestTransportVtable(mode), probe),
           "ouzel_options_set_transport");
  return o;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- Round trips ------------------------------------------------------------------------------

class CustomTransportRoundTrip
    : public ::testing::TestWithParam<std::tuple<StreamMode, LoopMode, int>> {
 protected:
  static void SetUpTestSuite() { BrokerTest::StartBroker(); }
  static void TearDownTestSuite() { BrokerTest::StopBroker(); }
};

std::string RoundTripName(
    const ::testing::TestParamInfo<CustomTransportRoundTrip::ParamType>& info) {
  return std::string(StreamModeName(std::get<0>(info.param))) + "_" +
         LoopModeName(std::get<1>(info.param)) + "_Qos" + std::to_string(std::get<2>(info.param));
}

TEST_P(CustomTransportRoundTrip, PayloadsArriveByteExactInOrder_StreamsClosedOnce) {
  ASSERT_NE(BrokerTest::broker(), nullptr);
  const auto [stream_mode, loop_mode, qos] = GetParam();
  const std::string name = RoundTripName({GetParam(), 0});
  const std::string topic = "it/custom/" + name;
  TransportProbe probe;
  {
    // One options object, one vtable registration, two clients (each copies the options).
    Options o = TransportOptions("ct-pub-" + name, stream_mode, &probe);
    auto pub = TestClient::Create(o.get(), loop_mode);
    const std::string sub_id = "ct-sub-" + name;
    ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_CLIENT_ID, sub_id.data(), sub_id.size()),
             "client id");
    auto sub = TestClient::Create(o.get(), loop_mode);
    ASSERT_TRUE(pub && sub);
    o.reset();  // the clients keep their own copies (and references to the vtable)
    EXPECT_EQ(probe.destroys.load(), 0);
    ASSERT_TRUE(ConnectAll({pub.get(), sub.get()})) << BrokerTest::broker()->Log();
    EXPECT_EQ(probe.opens.load(), 2);
    ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 2, nullptr, nullptr, {pub.get()}));

    std::vector<std::string> payloads;
    for (int i = 0; i < kNumbered; ++i) {
      if (i == kNumbered / 2) payloads.push_back(PatternPayload(kLargeSize, 11));
      if (i == kNumbered / 3) payloads.emplace_back();
      payloads.push_back(NumberedPayload(i));
    }
    for (const std::string& p : payloads) {
      ASSERT_EQ(ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(),
                                     qos, 0, nullptr, nullptr, nullptr),
                OUZEL_OK)
          << ouzel_last_error_message();
    }
    const size_t n = payloads.size();
    ASSERT_TRUE(RunUntil({pub.get(), sub.get()},
                         [&] {
                           return sub->events().message_count() >= static_cast<int>(n) &&
                                  pub->events().publish_count() >= static_cast<int>(n);
                         }))
        << "received " << sub->events().message_count() << " of " << n << ", "
        << pub->events().publish_count() << " on_publish";
    const std::vector<ReceivedMessage> got = sub->events().messages();
    ASSERT_EQ(got.size(), n) << Describe(got);
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(got[i].payload, payloads[i]) << "message " << i;
      EXPECT_EQ(got[i].qos, qos);
    }
    for (const PublishRecord& r : pub->events().published()) {
      EXPECT_EQ(r.state, OUZEL_DELIVERY_ACKNOWLEDGED);
    }
    EXPECT_TRUE(pub->loop_errors().empty()) << pub->loop_errors().front();
    EXPECT_TRUE(sub->loop_errors().empty()) << sub->loop_errors().front();
    EXPECT_TRUE(DisconnectAndWait(pub.get()));
    EXPECT_TRUE(DisconnectAndWait(sub.get()));
    EXPECT_EQ(probe.closes.load(), 2);
    EXPECT_EQ(probe.destroys.load(), 0);  // the clients still hold the vtable
    if (stream_mode == StreamMode::kNotify) {
      EXPECT_GT(probe.notifies.load(), 0);
    }
  }
  EXPECT_EQ(probe.destroys.load(), 1);
  EXPECT_EQ(probe.opens.load(), probe.closes.load());
  EXPECT_TRUE(probe.violations().empty()) << probe.violations().front();
}

INSTANTIATE_TEST_SUITE_P(AllModes, CustomTransportRoundTrip,
                         ::testing::Combine(::testing::Values(StreamMode::kFd, StreamMode::kNotify),
                                            ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                                              LoopMode::kExternal),
                                            ::testing::Values(0, 1, 2)),
                         RoundTripName);

// ---- Errors and contracts -----------------------------------------------------------------------

class CustomTransportErrors : public ::testing::TestWithParam<StreamMode> {
 protected:
  static void SetUpTestSuite() { BrokerTest::StartBroker(); }
  static void TearDownTestSuite() { BrokerTest::StopBroker(); }

  // A client that tries once and reports (no automatic reconnection).
  std::unique_ptr<TestClient> OneShotClient(const std::string& id, TransportProbe* probe,
                                            LoopMode loop = LoopMode::kThread) {
    Options o = TransportOptions(id, GetParam(), probe);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
    return TestClient::Create(o.get(), loop);
  }

  // Connects and waits for the failure; returns it.
  ConnectFailRecord FailToConnect(TestClient* c) {
    EXPECT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
    EXPECT_TRUE(RunUntil({c}, [&] { return c->events().connect_fail_count() > 0; }));
    const std::vector<ConnectFailRecord> fails = c->events().connect_fails();
    return fails.empty() ? ConnectFailRecord{} : fails.front();
  }
};

std::string ErrorsName(const ::testing::TestParamInfo<StreamMode>& info) {
  return StreamModeName(info.param);
}

TEST_P(CustomTransportErrors, OpenFails_OnConnectFailGetsCodeAndMessage_NoClose) {
  TransportProbe probe;
  probe.fail_open_code = OUZEL_EIO;
  probe.set_error_message("no route to the test broker");
  {
    auto c = OneShotClient("ct-open-fail", &probe);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = FailToConnect(c.get());
    EXPECT_EQ(f.error, OUZEL_EIO);
    EXPECT_EQ(f.reason_code, -1);
    EXPECT_TRUE(Contains(f.message, "custom transport open")) << f.message;
    EXPECT_TRUE(Contains(f.message, "no route to the test broker")) << f.message;
    EXPECT_EQ(c->events().connect_count(), 0);
  }
  EXPECT_EQ(probe.opens.load(), 0);
  EXPECT_EQ(probe.closes.load(), 0);  // close only follows an open that succeeded
  EXPECT_EQ(probe.destroys.load(), 1);
  EXPECT_TRUE(probe.violations().empty()) << probe.violations().front();
}

TEST_P(CustomTransportErrors, ConnectFailsWithTls_CodePassedThrough_StreamClosed) {
  TransportProbe probe;
  probe.fail_connect_code = OUZEL_ETLS;
  probe.set_error_message("certificate pinned by the application does not match");
  {
    auto c = OneShotClient("ct-connect-fail", &probe);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = FailToConnect(c.get());
    EXPECT_EQ(f.error, OUZEL_ETLS);
    EXPECT_TRUE(Contains(f.message, "custom transport connect (mqtt://127.0.0.1:")) << f.message;
    EXPECT_TRUE(Contains(f.message, "certificate pinned by the application")) << f.message;
    EXPECT_EQ(probe.opens.load(), 1);
    EXPECT_EQ(probe.closes.load(), 1);
  }
  EXPECT_EQ(probe.destroys.load(), 1);
  EXPECT_TRUE(probe.violations().empty()) << probe.violations().front();
}

TEST_P(CustomTransportErrors, UnknownErrorCode_BecomesEioNamingIt_DefaultMessage) {
  TransportProbe probe;
  probe.fail_connect_code = -1234;
  probe.set_error_message("");
  auto c = OneShotClient("ct-odd-code", &probe);
  ASSERT_TRUE(c);
  const ConnectFailRecord f = FailToConnect(c.get());
  EXPECT_EQ(f.error, OUZEL_EIO);
  EXPECT_TRUE(Contains(f.message, "(error code -1234)")) << f.message;
}

TEST_P(CustomTransportErrors, ConnectBlocking_ReturnsTheTransportsErrorAndMessage) {
  TransportProbe probe;
  probe.fail_connect_code = OUZEL_EREFUSED;
  probe.set_error_message("the gateway said no");
  auto c = OneShotClient("ct-blocking", &probe, LoopMode::kCaller);
  ASSERT_TRUE(c);
  EXPECT_EQ(ouzel_client_connect_blocking(c->get()), OUZEL_EREFUSED);
  EXPECT_TRUE(Contains(ouzel_last_error_message(), "the gateway said no"))
      << ouzel_last_error_message();
  EXPECT_EQ(probe.opens.load(), probe.closes.load());
}

TEST_P(CustomTransportErrors, ReadFailsMidStream_OnDisconnectWithMessage_ThenReconnects) {
  TransportProbe probe;
  probe.set_error_message("the tunnel collapsed");
  const std::string topic = std::string("it/custom/readfail/") + StreamModeName(GetParam());
  {
    Options o = TransportOptions(std::string("ct-readfail-") + StreamModeName(GetParam()),
                                 GetParam(), &probe);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 0), "clean start");
    ouzel_properties* p = nullptr;
    ExpectOk(ouzel_properties_new(&p), "properties");
    ExpectOk(ouzel_properties_set_int(p, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 60), "expiry");
    ExpectOk(ouzel_options_set_connect_properties(o.get(), p), "connect properties");
    ouzel_properties_free(p);
    auto c = TestClient::Create(o.get(), LoopMode::kThread);
    ASSERT_TRUE(c);
    ASSERT_TRUE(ConnectAll({c.get()}));
    ASSERT_TRUE(SubscribeAndWait(c.get(), topic, 1));

    probe.fail_next_read = true;
    // Our own message comes back and the read of it fails.
    EXPECT_EQ(PublishAndWait(c.get(), topic, "first", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
    ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().disconnect_count() > 0; }));
    const DisconnectRecord d = c->events().disconnects().front();
    EXPECT_EQ(d.error, OUZEL_EIO);
    EXPECT_TRUE(Contains(d.message, "custom transport read")) << d.message;
    EXPECT_TRUE(Contains(d.message, "the tunnel collapsed")) << d.message;
    // Automatic reconnection opens a new stream; the session (and the QoS 1 message) survive.
    ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_count() >= 2; }));
    ASSERT_TRUE(RunUntil({c.get()}, [&] {
      for (const ReceivedMessage& m : c->events().messages()) {
        if (m.payload == "first") return true;
      }
      return false;
    })) << Describe(c->events().messages());
    EXPECT_EQ(probe.opens.load(), 2);
    EXPECT_EQ(probe.closes.load(), 1);
  }
  EXPECT_EQ(probe.opens.load(), probe.closes.load());
  EXPECT_EQ(probe.destroys.load(), 1);
  EXPECT_TRUE(probe.violations().empty()) << probe.violations().front();
}

TEST_P(CustomTransportErrors, WriteFailsMidStream_OnDisconnectWithMessage) {
  TransportProbe probe;
  probe.set_error_message("write side gone");
  auto c = OneShotClient(std::string("ct-writefail-") + StreamModeName(GetParam()), &probe);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()}));
  probe.fail_next_write = true;
  const std::string topic = "it/custom/writefail";
  ASSERT_EQ(ouzel_client_publish(c->get(), topic.data(), topic.size(), "x", 1, 1, 0, nullptr,
                                 nullptr, nullptr),
            OUZEL_OK);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().disconnect_count() > 0; }));
  const DisconnectRecord d = c->events().disconnects().front();
  EXPECT_EQ(d.error, OUZEL_EIO);
  EXPECT_TRUE(Contains(d.message, "custom transport write")) << d.message;
  EXPECT_TRUE(Contains(d.message, "write side gone")) << d.message;
}

TEST_P(CustomTransportErrors, NeverConnects_ConnectTimeoutEndsIt_StreamClosed) {
  TransportProbe probe;
  probe.never_connect = true;
  {
    Options o = TransportOptions("ct-never", GetParam(), &probe);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CONNECT_TIMEOUT_MS, 300), "timeout");
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = FailToConnect(c.get());
    EXPECT_EQ(f.error, OUZEL_ETIMEDOUT) << f.message;
    EXPECT_TRUE(Contains(f.message, "connect timed out")) << f.message;
    EXPECT_EQ(probe.opens.load(), 1);
    EXPECT_EQ(probe.closes.load(), 1);
  }
  EXPECT_TRUE(probe.violations().empty()) << probe.violations().front();
}

TEST_P(CustomTransportErrors, OptionsFreedFirst_DestroyWaitsForTheClient) {
  TransportProbe probe;
  {
    Options o = TransportOptions("ct-lifetime", GetParam(), &probe);
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    o.reset();
    EXPECT_EQ(probe.destroys.load(), 0);
    ASSERT_TRUE(ConnectAll({c.get()}));
    c->Free();  // an abrupt close: still exactly one close, then destroy
    EXPECT_EQ(probe.closes.load(), 1);
    EXPECT_EQ(probe.destroys.load(), 1);
  }
  EXPECT_TRUE(probe.violations().empty()) << probe.violations().front();
}

INSTANTIATE_TEST_SUITE_P(BothModes, CustomTransportErrors,
                         ::testing::Values(StreamMode::kFd, StreamMode::kNotify), ErrorsName);

// ---- Setting the vtable -------------------------------------------------------------------------

class CustomTransportSetup : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { BrokerTest::StartBroker(); }
  static void TearDownTestSuite() { BrokerTest::StopBroker(); }
};

TEST_F(CustomTransportSetup, UnknownVersion_Eversion_NothingKept) {
  TransportProbe probe;
  Options o = BaseOptions(1, "ct-version", OUZEL_MQTT_V5);
  ouzel_transport_vtable vt = *TestTransportVtable(StreamMode::kFd);
  for (uint32_t version : {0u, uint32_t{OUZEL_TRANSPORT_VTABLE_VERSION + 1}, 0xffffffffu}) {
    vt.version = version;
    EXPECT_EQ(ouzel_options_set_transport(o.get(), &vt, &probe), OUZEL_EVERSION) << version;
    EXPECT_TRUE(Contains(ouzel_last_error_message(),
                         "ouzel_transport_vtable version " + std::to_string(version)))
        << ouzel_last_error_message();
  }
  vt.version = OUZEL_TRANSPORT_VTABLE_VERSION;
  vt.read = nullptr;
  EXPECT_EQ(ouzel_options_set_transport(o.get(), &vt, &probe), OUZEL_EINVAL);
  EXPECT_TRUE(Contains(ouzel_last_error_message(), "the required slot 'read' is NULL"))
      << ouzel_last_error_message();
  EXPECT_EQ(ouzel_options_set_transport(nullptr, TestTransportVtable(StreamMode::kFd), &probe),
            OUZEL_EINVAL);
  o.reset();
  EXPECT_EQ(probe.destroys.load(), 0);  // never taken, never destroyed
}

TEST_F(CustomTransportSetup, FdModeWaitingForNothing_Einval) {
  TransportProbe probe;
  probe.want_nothing = true;
  Options o = BaseOptions(BrokerTest::broker()->port(), "ct-want", OUZEL_MQTT_V5);
  ASSERT_EQ(ouzel_options_set_transport(o.get(), TestTransportVtable(StreamMode::kFd), &probe),
            OUZEL_OK);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  ASSERT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_fail_count() > 0; }));
  const ConnectFailRecord f = c->events().connect_fails().front();
  EXPECT_EQ(f.error, OUZEL_EINVAL);
  EXPECT_TRUE(Contains(f.message, "must be OUZEL_TRANSPORT_WANT_READ")) << f.message;
  EXPECT_EQ(probe.closes.load(), 1);
}

TEST_F(CustomTransportSetup, ReplacedByNull_DestroyedAtOnce_BuiltInTcpUsed) {
  TransportProbe probe;
  Options o = BaseOptions(BrokerTest::broker()->port(), "ct-null", OUZEL_MQTT_V5);
  ASSERT_EQ(ouzel_options_set_transport(o.get(), TestTransportVtable(StreamMode::kFd), &probe),
            OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_transport(o.get(), nullptr, nullptr), OUZEL_OK);
  EXPECT_EQ(probe.destroys.load(), 1);  // nothing else referenced it
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()}));
  EXPECT_EQ(probe.opens.load(), 0);
}

TEST_F(CustomTransportSetup, NotifyRejectsBadArguments) {
  EXPECT_EQ(ouzel_transport_notify(nullptr, OUZEL_TRANSPORT_READABLE), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_transport_set_error(nullptr, "x", SIZE_MAX), OUZEL_EINVAL);
}

}  // namespace
}  // namespace ouzel_it
