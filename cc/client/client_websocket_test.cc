// Client over WebSockets (ws:// and wss://) against a REAL Mosquitto broker's WebSocket listeners
// (mosquitto 2.0.11 with libwebsockets, started by tests/fixtures): connect, subscribe,
// publish/receive at QoS 0, 1 and 2 in each loop mode, payloads much larger than a frame, a custom
// path and extra headers, WebSocket and plain TCP clients talking to each other, the same over
// TLS, and clear errors when ws:// is pointed at a port that does not speak HTTP or wss:// at a
// server the client does not trust.
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cc/client/client.h"
#include "cc/client/client_test_util.h"
#include "cc/transport/transport_error.h"
#include "gtest/gtest.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

using fixtures::MosquittoBroker;
using fixtures::TestCertificates;
using testing::EventRecorder;
using testing::LoopMode;
using testing::LoopRunner;

constexpr absl::Duration kTimeout = absl::Seconds(20);

std::unique_ptr<MosquittoBroker> StartBroker(const TestCertificates& certs) {
  MosquittoBroker::Options o;
  o.websockets = true;
  MosquittoBroker::TlsListener wss;
  wss.cafile = certs.ca_cert;
  wss.certfile = certs.server_cert;
  wss.keyfile = certs.server_key;
  wss.websockets = true;
  o.tls.push_back(wss);
  o.extra_config = {"max_queued_messages 0"};  // never drop what a slow test client has not read
  absl::StatusOr<std::unique_ptr<MosquittoBroker>> b = MosquittoBroker::Start(o);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? std::move(*b) : nullptr;
}

std::unique_ptr<Client> MakeClient(std::string server, std::string id,
                                   TransportOptions transport = {},
                                   ProtocolVersion version = ProtocolVersion::kV5) {
  ClientOptions o;
  o.servers = {std::move(server)};
  o.session.client_id = std::move(id);
  o.session.version = version;
  o.transport = std::move(transport);
  o.auto_reconnect = false;
  o.connect_timeout = absl::Seconds(10);
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(*c) : nullptr;
}

class WebSocketBrokerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<TestCertificates> certs = TestCertificates::Generate();
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = new TestCertificates(*certs);
    broker_ = StartBroker(*certs_).release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
    delete certs_;
    certs_ = nullptr;
  }
  static std::string WsUri(absl::string_view path = "") {
    return absl::StrCat("ws://127.0.0.1:", broker_->websocket_port(), path);
  }
  // The certificate is for localhost, 127.0.0.1 and ::1.
  static std::string WssUri(absl::string_view path = "") {
    return absl::StrCat("wss://localhost:", broker_->tls_port(), path);
  }
  static TransportOptions Trusting() {
    TransportOptions t;
    t.tls.ca_file = certs_->ca_cert;
    return t;
  }
  static MosquittoBroker* broker_;
  static TestCertificates* certs_;
};
MosquittoBroker* WebSocketBrokerTest::broker_ = nullptr;
TestCertificates* WebSocketBrokerTest::certs_ = nullptr;

// Subscribes to `topic`, publishes `payloads` at `qos` and waits until each came back.
void RoundTrip(Client* client, LoopRunner& runner, EventRecorder& events, const std::string& topic,
               uint8_t qos, const std::vector<std::string>& payloads) {
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout))
      << (events.connect_failures() > 0 ? events.connect_failed()[0].error.ToString() : "")
      << "\nlogs:\n"
      << absl::StrJoin(events.logs(), "\n");
  ASSERT_TRUE(client->Subscribe(topic, qos).ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.subscribed().size() == 1; }, kTimeout));
  ASSERT_EQ(events.subscribed()[0].reason_codes, std::vector<uint8_t>{qos});
  std::vector<MessageToken> tokens;
  for (const std::string& p : payloads) {
    absl::StatusOr<MessageToken> t = client->Publish(topic, p, qos);
    ASSERT_TRUE(t.ok()) << t.status();
    tokens.push_back(*t);
  }
  ASSERT_TRUE(runner.RunUntil(
      [&] {
        return events.messages().size() == payloads.size() &&
               events.published().size() == payloads.size();
      },
      kTimeout))
      << events.messages().size() << " received, " << events.published().size() << " done\n"
      << absl::StrJoin(events.logs(), "\n");
  std::vector<Message> got = events.messages();
  for (size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_EQ(got[i].payload.size(), payloads[i].size()) << i;
    EXPECT_TRUE(got[i].payload == payloads[i]) << "payload " << i << " differs";
    EXPECT_EQ(got[i].qos, qos);
    EXPECT_EQ(got[i].topic, topic);
  }
  for (MessageToken t : tokens) {
    EXPECT_EQ(client->DeliveryStatus(t)->state, DeliveryState::kAcknowledged);
  }
  ASSERT_TRUE(client->Disconnect().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.disconnects() == 1; }, kTimeout));
  EXPECT_TRUE(events.disconnected()[0].error.ok()) << events.disconnected()[0].error;
  EXPECT_TRUE(runner.hook_errors().empty()) << runner.hook_errors()[0];
  EXPECT_EQ(events.callback_threads(), 1u);
  EXPECT_FALSE(events.overlapped());
}

class WebSocketPubSubTest : public WebSocketBrokerTest,
                            public ::testing::WithParamInterface<std::tuple<LoopMode, int>> {};

TEST_P(WebSocketPubSubTest, MessagesComeBackInOrderAtTheirQos) {
  ASSERT_NE(broker_, nullptr);
  auto [mode, qos_int] = GetParam();
  const std::string name = absl::StrCat(testing::LoopModeName(mode), "-q", qos_int);
  auto client = MakeClient(WsUri(), "ws-" + name);
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), mode);
  std::vector<std::string> payloads;
  for (int i = 0; i < 50; ++i) payloads.push_back(absl::StrCat("m", i));
  payloads.push_back(std::string("nul\0inside", 10));
  payloads.push_back("");
  RoundTrip(client.get(), runner, events, "ouzel/ws/" + name, static_cast<uint8_t>(qos_int),
            payloads);
}

INSTANTIATE_TEST_SUITE_P(ModesQos, WebSocketPubSubTest,
                         ::testing::Combine(::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                                              LoopMode::kExternal),
                                            ::testing::Values(0, 1, 2)),
                         [](const auto& info) {
                           return absl::StrCat(testing::LoopModeName(std::get<0>(info.param)),
                                               "_Qos", std::get<1>(info.param));
                         });

std::string Pattern(size_t size, int seed) {
  std::string p(size, '\0');
  for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<char>((i * 131 + seed) ^ (i >> 9));
  return p;
}

class WebSocketLargePayloadTest : public WebSocketBrokerTest,
                                  public ::testing::WithParamInterface<LoopMode> {};

// 200 KB PUBLISHes from a WebSocket client with 16 KiB frames (each packet spans 13 frames),
// checked byte for byte by a TCP subscriber; and a 32 KB PUBLISH the other way, which reaches
// the WebSocket client over many reads. (The big ones go out to TCP because Mosquitto 2.0.11
// sends large WebSocket messages slowly, about 40 KB/s on loopback; an independent raw client
// sees the same. See docs/websockets.md.)
TEST_P(WebSocketLargePayloadTest, PacketsSpanningFramesArriveIntact) {
  ASSERT_NE(broker_, nullptr);
  const LoopMode mode = GetParam();
  const std::string name = testing::LoopModeName(mode);
  TransportOptions t;
  t.websocket.max_frame_bytes = 16 * 1024;
  auto ws = MakeClient(WsUri(), "ws-large-" + name, t);
  auto tcp = MakeClient(absl::StrCat("mqtt://127.0.0.1:", broker_->port()), "tcp-large-" + name);
  ASSERT_TRUE(ws && tcp);
  EventRecorder ws_events, tcp_events;
  ws_events.Attach(ws.get());
  tcp_events.Attach(tcp.get());
  ASSERT_TRUE(tcp->LoopStart().ok());
  ASSERT_TRUE(tcp->ConnectAsync().ok());
  ASSERT_TRUE(testing::WaitFor([&] { return tcp_events.connects() == 1; }, kTimeout));
  const std::string up = "ouzel/ws/large/up/" + name;
  const std::string down = "ouzel/ws/large/down/" + name;
  ASSERT_TRUE(tcp->Subscribe(up, 1).ok());
  ASSERT_TRUE(testing::WaitFor([&] { return tcp_events.subscribed().size() == 1; }, kTimeout));

  LoopRunner runner(ws.get(), mode);
  ASSERT_TRUE(ws->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return ws_events.connects() == 1; }, kTimeout))
      << absl::StrJoin(ws_events.logs(), "\n");
  ASSERT_TRUE(ws->Subscribe(down, 1).ok());
  ASSERT_TRUE(runner.RunUntil([&] { return ws_events.subscribed().size() == 1; }, kTimeout))
      << absl::StrJoin(ws_events.logs(), "\n");
  const std::vector<std::string> sent = {Pattern(200 * 1024, 1), Pattern(200 * 1024 + 7, 2)};
  for (const std::string& p : sent) ASSERT_TRUE(ws->Publish(up, p, 1).ok());
  const std::string back = Pattern(32 * 1024, 3);
  ASSERT_TRUE(tcp->Publish(down, back, 1).ok());
  ASSERT_TRUE(runner.RunUntil(
      [&] {
        return ws_events.published().size() == 2 && ws_events.messages().size() == 1 &&
               tcp_events.messages().size() == 2;
      },
      kTimeout))
      << ws_events.published().size() << " acknowledged, " << ws_events.messages().size()
      << " received by ws, " << tcp_events.messages().size() << " by tcp";
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_TRUE(tcp_events.messages()[i].payload == sent[i]) << "payload " << i << " differs";
  }
  EXPECT_TRUE(ws_events.messages()[0].payload == back);
  EXPECT_GT(ws->Stats().bytes_sent, 2u * 200 * 1024);
  ASSERT_TRUE(ws->Disconnect().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return ws_events.disconnects() == 1; }, kTimeout));
  EXPECT_TRUE(ws_events.disconnected()[0].error.ok()) << ws_events.disconnected()[0].error;
  EXPECT_TRUE(runner.hook_errors().empty()) << runner.hook_errors()[0];
  ASSERT_TRUE(tcp->LoopStop().ok());
}

INSTANTIATE_TEST_SUITE_P(Modes, WebSocketLargePayloadTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const auto& info) { return testing::LoopModeName(info.param); });

// One 200 KB round trip through the WebSocket both ways (about 5 s, all of it Mosquitto's
// WebSocket sending; see above).
TEST_F(WebSocketBrokerTest, LargePayloadRoundTripThroughTheWebSocket) {
  ASSERT_NE(broker_, nullptr);
  TransportOptions t;
  t.websocket.max_frame_bytes = 16 * 1024;
  auto client = MakeClient(WsUri(), "ws-large-round-trip", t);
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), LoopMode::kExternal);
  RoundTrip(client.get(), runner, events, "ouzel/ws/large/round-trip", 2, {Pattern(200 * 1024, 4)});
}

TEST_F(WebSocketBrokerTest, CustomPathAndExtraHeadersAreAccepted) {
  ASSERT_NE(broker_, nullptr);
  TransportOptions t;
  t.websocket.headers = {{"Authorization", "Bearer not-checked-by-mosquitto"},
                         {"X-Ouzel-Test", "1"}};
  auto client = MakeClient(WsUri("/some/other/path?client=ouzel"), "ws-path", t);
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  RoundTrip(client.get(), runner, events, "ouzel/ws/path", 1, {"via a custom path"});
}

TEST_F(WebSocketBrokerTest, WebSocketAndTcpClientsTalkToEachOther) {
  ASSERT_NE(broker_, nullptr);
  auto ws = MakeClient(WsUri(), "ws-side", {}, ProtocolVersion::kV311);
  auto tcp = MakeClient(absl::StrCat("mqtt://127.0.0.1:", broker_->port()), "tcp-side");
  ASSERT_TRUE(ws && tcp);
  EventRecorder ws_events, tcp_events;
  ws_events.Attach(ws.get());
  tcp_events.Attach(tcp.get());
  ASSERT_TRUE(ws->LoopStart().ok());
  ASSERT_TRUE(tcp->LoopStart().ok());
  ASSERT_TRUE(ws->ConnectAsync().ok());
  ASSERT_TRUE(tcp->ConnectAsync().ok());
  ASSERT_TRUE(testing::WaitFor(
      [&] { return ws_events.connects() == 1 && tcp_events.connects() == 1; }, kTimeout));
  ASSERT_TRUE(ws->Subscribe("ouzel/ws/to-ws", 2).ok());
  ASSERT_TRUE(tcp->Subscribe("ouzel/ws/to-tcp", 2).ok());
  ASSERT_TRUE(testing::WaitFor(
      [&] { return ws_events.subscribed().size() == 1 && tcp_events.subscribed().size() == 1; },
      kTimeout));
  ASSERT_TRUE(ws->Publish("ouzel/ws/to-tcp", "from ws", 2).ok());
  ASSERT_TRUE(tcp->Publish("ouzel/ws/to-ws", "from tcp", 2).ok());
  ASSERT_TRUE(testing::WaitFor(
      [&] { return ws_events.messages().size() == 1 && tcp_events.messages().size() == 1; },
      kTimeout));
  EXPECT_EQ(ws_events.messages()[0].payload, "from tcp");
  EXPECT_EQ(tcp_events.messages()[0].payload, "from ws");
  ASSERT_TRUE(ws->LoopStop().ok());
  ASSERT_TRUE(tcp->LoopStop().ok());
}

TEST_F(WebSocketBrokerTest, WsToAPlainMqttPortFailsWithAWebSocketError) {
  ASSERT_NE(broker_, nullptr);
  // Mosquitto's MQTT listener takes "GET ..." for a malformed packet and hangs up.
  auto client =
      MakeClient(absl::StrCat("ws://127.0.0.1:", broker_->port(), "/mqtt"), "ws-wrong-port");
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connect_failures() == 1; }, kTimeout));
  const absl::Status error = events.connect_failed()[0].error;
  EXPECT_EQ(FailedTransportLayer(error), TransportLayer::kWebSocket) << error;
  EXPECT_NE(error.message().find("connection lost during the WebSocket upgrade after no reply"),
            absl::string_view::npos)
      << error;
  EXPECT_EQ(events.connects(), 0);
}

class SecureWebSocketTest : public WebSocketBrokerTest,
                            public ::testing::WithParamInterface<LoopMode> {};

// wss://: the WebSocket layer over TLS. 4 KiB frames make the 64 KiB message span 16 frames and
// many TLS records, whose boundaries fall anywhere inside frames.
TEST_P(SecureWebSocketTest, MessagesComeBackOverTls) {
  ASSERT_NE(broker_, nullptr);
  const LoopMode mode = GetParam();
  const std::string name = testing::LoopModeName(mode);
  TransportOptions t = Trusting();
  t.websocket.max_frame_bytes = 4096;
  auto client = MakeClient(WssUri(), "wss-" + name, t);
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), mode);
  std::vector<std::string> payloads;
  for (int i = 0; i < 20; ++i) payloads.push_back(absl::StrCat("secure ", i));
  payloads.push_back(Pattern(64 * 1024, 5));
  RoundTrip(client.get(), runner, events, "ouzel/wss/" + name, 2, payloads);
  ASSERT_FALSE(events.connected().empty());
  const std::vector<std::string> logs = events.logs();
  bool saw_layers = false;
  for (const std::string& line : logs) {
    if (line.find("transport up: wss://localhost:") != std::string::npos &&
        line.find(" over tls") != std::string::npos) {
      saw_layers = true;
    }
  }
  EXPECT_TRUE(saw_layers) << absl::StrJoin(logs, "\n");
}

INSTANTIATE_TEST_SUITE_P(Modes, SecureWebSocketTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const auto& info) { return testing::LoopModeName(info.param); });

TEST_F(WebSocketBrokerTest, WssToAnUntrustedServerFailsInTheTlsLayer) {
  ASSERT_NE(broker_, nullptr);
  TransportOptions t;
  t.tls.ca_file = certs_->other_ca_cert;
  auto client = MakeClient(WssUri(), "wss-untrusted", t);
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connect_failures() == 1; }, kTimeout));
  const absl::Status error = events.connect_failed()[0].error;
  // Verification failed before any HTTP was spoken: the TLS layer's error, not a WebSocket one.
  EXPECT_EQ(FailedTransportLayer(error), TransportLayer::kTls) << error;
  EXPECT_EQ(events.connects(), 0);
}

TEST_F(WebSocketBrokerTest, WsToTheWssPortFailsWithAWebSocketError) {
  ASSERT_NE(broker_, nullptr);
  // Plain HTTP to a TLS listener: libwebsockets answers with a TLS alert or hangs up.
  auto client = MakeClient(absl::StrCat("ws://127.0.0.1:", broker_->tls_port()), "ws-to-wss");
  ASSERT_NE(client, nullptr);
  EventRecorder events;
  events.Attach(client.get());
  LoopRunner runner(client.get(), LoopMode::kCaller);
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connect_failures() == 1; }, kTimeout));
  const absl::Status error = events.connect_failed()[0].error;
  EXPECT_EQ(FailedTransportLayer(error), TransportLayer::kWebSocket) << error;
  EXPECT_NE(error.message().find("WebSocket upgrade"), absl::string_view::npos) << error;
}

}  // namespace
}  // namespace ouzel
