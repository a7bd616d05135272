// Unix domain sockets through the C API against a real Mosquitto listening on one
// (`listener 0 <dir>/mosquitto.sock`, Debian's mosquitto 2.0.11 supports it): a client on
// unix://<path> exchanges QoS 0/1/2 messages with a client on TCP, in each loop mode and protocol
// version, and a missing socket path fails the attempt naming the path.
#include <memory>
#include <string>
#include <tuple>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

class UnixSocketTest : public ::testing::TestWithParam<std::tuple<int, LoopMode>> {
 protected:
  static void SetUpTestSuite() {
    MosquittoBroker::Options o;
    o.unix_socket = true;
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }

  // Options for a client that reaches the broker through its Unix socket.
  static Options UnixOptions(const std::string& client_id, int version) {
    Options o = BaseOptions(broker_->port(), client_id, version);
    const std::string uri = "unix://" + broker_->unix_socket_path();
    ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_SERVER_URI, uri.c_str(), SIZE_MAX),
             "OUZEL_OPT_SERVER_URI");
    return o;
  }

  static MosquittoBroker* broker_;
};
MosquittoBroker* UnixSocketTest::broker_ = nullptr;

std::string ParamName(const ::testing::TestParamInfo<UnixSocketTest::ParamType>& info) {
  return std::string(VersionName(std::get<0>(info.param))) + "_" +
         LoopModeName(std::get<1>(info.param));
}

TEST_P(UnixSocketTest, ExchangesEveryQosWithATcpClient) {
  ASSERT_NE(broker_, nullptr);
  ASSERT_FALSE(broker_->unix_socket_path().empty());
  const auto [version, mode] = GetParam();
  const std::string suffix = ParamName({GetParam(), 0});
  const std::string topic = "it/unix/" + suffix;

  Options unix_opts = UnixOptions("unix-" + suffix, version);
  Options tcp_opts = BaseOptions(broker_->port(), "tcp-" + suffix, version);
  auto over_unix = TestClient::Create(unix_opts.get(), mode);
  auto over_tcp = TestClient::Create(tcp_opts.get(), mode);
  ASSERT_TRUE(over_unix && over_tcp);
  ASSERT_TRUE(ConnectAll({over_unix.get(), over_tcp.get()}));

  // Unix -> TCP at each QoS, then TCP -> Unix.
  ASSERT_TRUE(SubscribeAndWait(over_tcp.get(), topic + "/to-tcp", 2));
  ASSERT_TRUE(SubscribeAndWait(over_unix.get(), topic + "/to-unix", 2));
  for (int qos = 0; qos <= 2; ++qos) {
    // QoS 0 counts as acknowledged once written to the socket.
    const int expected = OUZEL_DELIVERY_ACKNOWLEDGED;
    EXPECT_EQ(PublishAndWait(over_unix.get(), topic + "/to-tcp", NumberedPayload(qos), qos, 0,
                             nullptr, {over_tcp.get()}),
              expected)
        << "qos " << qos;
    EXPECT_EQ(PublishAndWait(over_tcp.get(), topic + "/to-unix", NumberedPayload(10 + qos), qos, 0,
                             nullptr, {over_unix.get()}),
              expected)
        << "qos " << qos;
  }
  ASSERT_TRUE(RunUntil({over_unix.get(), over_tcp.get()},
                       [&] {
                         return over_tcp->events().message_count() == 3 &&
                                over_unix->events().message_count() == 3;
                       }))
      << "tcp got " << Describe(over_tcp->events().messages()) << "; unix got "
      << Describe(over_unix->events().messages());
  for (int qos = 0; qos <= 2; ++qos) {
    const ReceivedMessage to_tcp = over_tcp->events().messages()[qos];
    const ReceivedMessage to_unix = over_unix->events().messages()[qos];
    EXPECT_EQ(to_tcp.payload, NumberedPayload(qos));
    EXPECT_EQ(to_tcp.qos, qos);
    EXPECT_EQ(to_unix.payload, NumberedPayload(10 + qos));
    EXPECT_EQ(to_unix.qos, qos);
  }
  EXPECT_TRUE(DisconnectAndWait(over_unix.get()));
  EXPECT_TRUE(DisconnectAndWait(over_tcp.get()));
}

INSTANTIATE_TEST_SUITE_P(VersionsAndLoopModes, UnixSocketTest,
                         ::testing::Combine(::testing::Values(OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                                            ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                                              LoopMode::kExternal)),
                         ParamName);

TEST(UnixSocketErrorTest, MissingSocketFailsTheAttemptNamingThePath) {
  Options o = BaseOptions(1, "unix-missing", OUZEL_MQTT_V311);
  const std::string path = "/nonexistent-ouzel-dir/mosquitto.sock";
  const std::string uri = "unix://" + path;
  ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_SERVER_URI, uri.c_str(), SIZE_MAX),
           "OUZEL_OPT_SERVER_URI");
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "OUZEL_OPT_RECONNECT");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  ASSERT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_fail_count() == 1; }));
  const ConnectFailRecord fail = c->events().connect_fails()[0];
  EXPECT_NE(fail.error, OUZEL_OK);
  EXPECT_NE(fail.message.find(path), std::string::npos) << fail.message;
}

}  // namespace
}  // namespace ouzel_it
