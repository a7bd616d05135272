// WebSockets through the C API (ws://, wss://, OUZEL_OPT_WS_*, OUZEL_OPT_HANDSHAKE_TIMEOUT_MS)
// against a real Mosquitto's WebSocket listeners (plain, and TLS with certificates made by
// openssl): round trips in the three loop modes, the subprotocol option, small outgoing frames,
// the incoming message limit; connecting ws:// to the plain MQTT port fails with the reason.
// What a real broker will not show or do on demand (echo the upgrade request it got, refuse the
// upgrade, never answer) is played by UpgradePeer below, a test double named as such.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;
using ouzel::fixtures::TestCertificates;

// TEST DOUBLE: accepts one connection on 127.0.0.1, records the HTTP upgrade request, then
// answers with `reply` (nothing at all when empty) and keeps the connection open until the client
// closes it or the test ends. Bounded: every wait is a poll with a timeout.
class UpgradePeer {
 public:
  explicit UpgradePeer(std::string reply) : reply_(std::move(reply)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listen_fd_, 1), 0);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~UpgradePeer() {
    stop_ = true;
    thread_.join();
    close(listen_fd_);
  }
  int port() const { return port_; }
  std::string request() const {
    std::lock_guard<std::mutex> lock(mu_);
    return request_;
  }

 private:
  // Polls `fd` for input until it is ready, the peer stops, or 20 s pass.
  bool WaitReadable(int fd) {
    for (int i = 0; i < 200 && !stop_; ++i) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) > 0) return true;
    }
    return false;
  }
  void Serve() {
    if (!WaitReadable(listen_fd_)) return;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    std::string got;
    char buf[4096];
    while (got.find("\r\n\r\n") == std::string::npos && got.size() < 65536 && WaitReadable(fd)) {
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      request_ = got;
    }
    if (!reply_.empty()) (void)!send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
    // Hold the connection until the client closes it (recv 0) or the test ends.
    while (WaitReadable(fd)) {
      if (recv(fd, buf, sizeof buf, 0) <= 0) break;
    }
    close(fd);
  }

  const std::string reply_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::string request_;
};

class WebSocketCapiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto generated = TestCertificates::Generate();
    ASSERT_TRUE(generated.ok()) << generated.status();
    certs_ = new TestCertificates(*generated);
    MosquittoBroker::Options o;
    o.websockets = true;
    MosquittoBroker::TlsListener wss;
    wss.cafile = certs_->ca_cert;
    wss.certfile = certs_->server_cert;
    wss.keyfile = certs_->server_key;
    wss.websockets = true;
    o.tls.push_back(wss);
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
    delete certs_;
    certs_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(broker_, nullptr); }

  static Options WsOptions(const std::string& id, const std::string& uri) {
    Options o = BaseOptions(0, id, OUZEL_MQTT_V5);
    Set(o.get(), OUZEL_OPT_SERVER_URI, uri);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
    return o;
  }
  static std::string WsUri() { return absl::StrCat("ws://127.0.0.1:", broker_->websocket_port()); }
  static void Set(ouzel_options* o, int32_t option, const std::string& v) {
    ExpectOk(ouzel_options_set_string(o, option, v.data(), v.size()), "set_string");
  }

  // Subscribes, publishes `payloads` at QoS 1 and expects them back in order.
  static void ExpectRoundTrip(TestClient* c, const std::string& topic,
                              const std::vector<std::string>& payloads) {
    ASSERT_TRUE(ConnectAll({c}));
    ASSERT_TRUE(SubscribeAndWait(c, topic, 1));
    for (const std::string& p : payloads) {
      ASSERT_EQ(ouzel_client_publish(c->get(), topic.data(), topic.size(), p.data(), p.size(), 1, 0,
                                     nullptr, nullptr, nullptr),
                OUZEL_OK);
    }
    ASSERT_TRUE(RunUntil(
        {c}, [&] { return c->events().message_count() >= static_cast<int>(payloads.size()); }));
    const std::vector<ReceivedMessage> got = c->events().messages();
    ASSERT_EQ(got.size(), payloads.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].payload, payloads[i]) << i;
  }
  static ConnectFailRecord ConnectFailure(TestClient* c) {
    EXPECT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
    EXPECT_TRUE(RunUntil({c}, [&] {
      return c->events().connect_fail_count() > 0 || c->events().connect_count() > 0;
    }));
    EXPECT_EQ(c->events().connect_count(), 0);
    const std::vector<ConnectFailRecord> f = c->events().connect_fails();
    return f.empty() ? ConnectFailRecord{} : f.back();
  }

  static MosquittoBroker* broker_;
  static TestCertificates* certs_;
};
MosquittoBroker* WebSocketCapiTest::broker_ = nullptr;
TestCertificates* WebSocketCapiTest::certs_ = nullptr;

// Small payloads: Mosquitto 2.0.11 sends large messages over WebSockets slowly
// (docs/websockets.md).
std::vector<std::string> SmallPayloads() {
  std::vector<std::string> p;
  for (int i = 0; i < 10; ++i) p.push_back(NumberedPayload(i));
  p.push_back(PatternPayload(8 * 1024, 5));
  return p;
}

TEST_F(WebSocketCapiTest, Ws_RoundTripInEveryLoopMode) {
  for (LoopMode mode : {LoopMode::kThread, LoopMode::kCaller, LoopMode::kExternal}) {
    SCOPED_TRACE(LoopModeName(mode));
    Options o = WsOptions(std::string("ws-") + LoopModeName(mode), WsUri() + "/mqtt");
    auto c = TestClient::Create(o.get(), mode);
    ASSERT_TRUE(c);
    ExpectRoundTrip(c.get(), std::string("it/ws/") + LoopModeName(mode), SmallPayloads());
    EXPECT_TRUE(c->loop_errors().empty()) << c->loop_errors().front();
  }
}

TEST_F(WebSocketCapiTest, Wss_RoundTripWithCaFile) {
  Options o = WsOptions("wss", absl::StrCat("wss://localhost:", broker_->tls_port()));
  Set(o.get(), OUZEL_OPT_TLS_CA_FILE, certs_->ca_cert);
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  ExpectRoundTrip(c.get(), "it/wss", SmallPayloads());
}

TEST_F(WebSocketCapiTest, SubprotocolAndSmallFrames_StillRoundTrip) {
  Options o = WsOptions("ws-options", WsUri());
  Set(o.get(), OUZEL_OPT_WS_SUBPROTOCOL, "mqttv3.1");  // Mosquitto also accepts the old name
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_WS_MAX_FRAME_BYTES, 100), "frames");
  Set(o.get(), OUZEL_OPT_WS_ADD_HEADER, "X-Ouzel-Test: yes");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  ExpectRoundTrip(c.get(), "it/ws/options", SmallPayloads());
}

TEST_F(WebSocketCapiTest, MessageOverTheIncomingLimit_EprotocolNamingIt) {
  Options o = WsOptions("ws-limit", WsUri());
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_WS_MAX_MESSAGE_BYTES, 1000), "limit");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()}));
  ASSERT_TRUE(SubscribeAndWait(c.get(), "it/ws/limit", 0));
  const std::string big(4000, 'x');
  ASSERT_EQ(ouzel_client_publish(c->get(), "it/ws/limit", SIZE_MAX, big.data(), big.size(), 0, 0,
                                 nullptr, nullptr, nullptr),
            OUZEL_OK);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().disconnect_count() > 0; }));
  const DisconnectRecord d = c->events().disconnects().front();
  EXPECT_EQ(d.error, OUZEL_EPROTOCOL) << d.message;
  EXPECT_TRUE(absl::StrContains(d.message, "bad WebSocket frame")) << d.message;
  EXPECT_EQ(c->events().message_count(), 0);
}

TEST_F(WebSocketCapiTest, WsToThePlainMqttPort_FailsWithTheReason) {
  Options o = WsOptions("ws-wrong-port", absl::StrCat("ws://127.0.0.1:", broker_->port()));
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  const ConnectFailRecord f = ConnectFailure(c.get());
  // Mosquitto's MQTT listener takes the GET for a malformed CONNECT and hangs up; the
  // WebSocket layer reports that as its failure (OUZEL_EPROTOCOL), with the socket's reason.
  EXPECT_EQ(f.error, OUZEL_EPROTOCOL) << f.message;
  EXPECT_TRUE(absl::StrContains(f.message, "connection lost during the WebSocket upgrade"))
      << f.message;
}

TEST_F(WebSocketCapiTest, UpgradeRequestCarriesTheOptions_RefusalIsEprotocol) {
  UpgradePeer peer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
  Options o = WsOptions("ws-refused", absl::StrCat("ws://127.0.0.1:", peer.port(), "/broker?t=1"));
  Set(o.get(), OUZEL_OPT_WS_SUBPROTOCOL, "mqttv3.1");
  Set(o.get(), OUZEL_OPT_WS_ADD_HEADER, "Authorization: Bearer abc.def");
  Set(o.get(), OUZEL_OPT_WS_ADD_HEADER, "X-Second:   two  ");
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  const ConnectFailRecord f = ConnectFailure(c.get());
  EXPECT_EQ(f.error, OUZEL_EPROTOCOL) << f.message;
  EXPECT_TRUE(absl::StrContains(f.message, "WebSocket upgrade refused: 'HTTP/1.1 403 Forbidden'"))
      << f.message;
  const std::string req = peer.request();
  EXPECT_TRUE(absl::StartsWith(req, "GET /broker?t=1 HTTP/1.1\r\n")) << req;
  EXPECT_TRUE(absl::StrContains(req, "\r\nSec-WebSocket-Protocol: mqttv3.1\r\n")) << req;
  EXPECT_TRUE(absl::StrContains(req, "\r\nAuthorization: Bearer abc.def\r\nX-Second: two\r\n"))
      << req;
}

TEST_F(WebSocketCapiTest, NoUpgradeReply_HandshakeTimeoutEndsIt) {
  UpgradePeer peer("");  // reads the request, never answers
  Options o = WsOptions("ws-silent", absl::StrCat("ws://127.0.0.1:", peer.port()));
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_HANDSHAKE_TIMEOUT_MS, 300), "handshake");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  const ConnectFailRecord f = ConnectFailure(c.get());
  EXPECT_EQ(f.error, OUZEL_ETIMEDOUT) << f.message;
  EXPECT_TRUE(absl::StrContains(f.message, "handshake timed out")) << f.message;
}

}  // namespace
}  // namespace ouzel_it
