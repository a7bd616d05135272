// The engine's Client through REAL proxies to a REAL Mosquitto broker: tinyproxy (HTTP CONNECT,
// with and without Basic auth) and Dante (SOCKS5, no auth and username/password, the broker's
// name resolved by the proxy or locally), in the three loop modes; refusals (bad or missing
// credentials, a broker port nobody listens on, a forbidden port, a proxy that is not there);
// and the proxy taken from the environment (mqtt_proxy, no_proxy). Each proxy's log is checked
// for the broker's port, so a test that silently connected directly would fail.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cc/client/client.h"
#include "cc/client/client_test_util.h"
#include "cc/transport/proxy_config.h"
#include "cc/transport/resolver.h"
#include "cc/transport/transport_error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/fixture_util.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/fixtures/proxy_fixture.h"

namespace ouzel {
namespace {

using fixtures::MosquittoBroker;
using fixtures::ProxyServer;
using fixtures::TestCertificates;
using testing::EventRecorder;
using ::testing::HasSubstr;
using testing::LoopMode;
using testing::LoopRunner;

constexpr absl::Duration kTimeout = absl::Seconds(15);
constexpr char kUser[] = "ouzel-proxy-user";
constexpr char kPassword[] = "s3cret-pw";
// A name only the client's FixedResolver knows: the proxy cannot resolve it.
constexpr char kLocalOnlyName[] = "broker.ouzel-proxy.test";

MosquittoBroker* broker = nullptr;
TestCertificates* certs = nullptr;
ProxyServer* http_proxy = nullptr;        // tinyproxy, no auth, every port
ProxyServer* http_auth_proxy = nullptr;   // tinyproxy, Basic auth, broker + closed port only
ProxyServer* socks_proxy = nullptr;       // Dante, no auth
ProxyServer* socks_auth_proxy = nullptr;  // Dante, username/password
int closed_port = 0;                      // nothing listens there

class ProxyEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    absl::StatusOr<TestCertificates> generated = TestCertificates::Generate();
    ASSERT_TRUE(generated.ok()) << generated.status();
    certs = new TestCertificates(*std::move(generated));
    MosquittoBroker::Options b;
    b.ipv6 = true;  // so "localhost" works whichever address a proxy resolves it to
    MosquittoBroker::TlsListener tls;
    tls.cafile = certs->ca_cert;
    tls.certfile = certs->server_cert;
    tls.keyfile = certs->server_key;
    b.tls.push_back(tls);
    tls.websockets = true;  // tls_ports()[1]: wss
    b.tls.push_back(tls);
    b.websockets = true;
    absl::StatusOr<std::unique_ptr<MosquittoBroker>> started = MosquittoBroker::Start(b);
    ASSERT_TRUE(started.ok()) << started.status();
    broker = started->release();
    absl::StatusOr<int> port = fixtures::PickFreePort("127.0.0.1");
    ASSERT_TRUE(port.ok());
    closed_port = *port;

    http_proxy = Start(ProxyServer::Kind::kTinyproxy, false);
    ProxyServer::Options auth;
    auth.kind = ProxyServer::Kind::kTinyproxy;
    auth.credentials = {{kUser, kPassword}};
    auth.connect_ports = {broker->port(), closed_port};
    absl::StatusOr<std::unique_ptr<ProxyServer>> a = ProxyServer::Start(auth);
    ASSERT_TRUE(a.ok()) << a.status();
    http_auth_proxy = a->release();
    socks_proxy = Start(ProxyServer::Kind::kDante, false);
    socks_auth_proxy = Start(ProxyServer::Kind::kDante, true);
  }
  void TearDown() override {
    for (ProxyServer* p : {http_proxy, http_auth_proxy, socks_proxy, socks_auth_proxy}) delete p;
    delete broker;
    delete certs;
  }

 private:
  static ProxyServer* Start(ProxyServer::Kind kind, bool credentials) {
    ProxyServer::Options o;
    o.kind = kind;
    if (credentials) o.credentials = {{kUser, kPassword}};
    absl::StatusOr<std::unique_ptr<ProxyServer>> p = ProxyServer::Start(o);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? p->release() : nullptr;
  }
};

// The proxy from its URI, with the credentials replaced when given.
ProxyOptions ProxyFor(const ProxyServer& server, bool remote_dns = true) {
  absl::StatusOr<ProxyOptions> p = ParseProxyUri(server.Uri());
  EXPECT_TRUE(p.ok()) << p.status();
  p->remote_dns = remote_dns;
  return *p;
}

// Knows the proxy's address and kLocalOnlyName; anything else (even "localhost") is NotFound.
std::shared_ptr<Resolver> ClientResolver(const std::string& local_only_ip = "127.0.0.1") {
  auto r = std::make_shared<FixedResolver>();
  r->Add("127.0.0.1", {"127.0.0.1"});
  r->Add(kLocalOnlyName, {local_only_ip});
  return r;
}

std::unique_ptr<Client> MakeClient(const std::string& server, const ProxyOptions& proxy,
                                   std::shared_ptr<Resolver> resolver = ClientResolver(),
                                   const std::string& ca_file = "") {
  ClientOptions o;
  o.servers = {server};
  o.transport.proxy = proxy;
  o.transport.tls.ca_file = ca_file.empty() && certs != nullptr ? certs->ca_cert : ca_file;
  o.resolver = std::move(resolver);
  o.session.client_id = absl::StrCat(
      "proxy-test-", ::testing::UnitTest::GetInstance()->current_test_info()->test_case_name());
  o.auto_reconnect = false;
  o.connect_timeout = absl::Seconds(10);
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(*c) : nullptr;
}

std::string BrokerUri(const std::string& host) {
  return absl::StrCat("mqtt://", absl::StrContains(host, ':') ? "[" + host + "]" : host, ":",
                      broker->port());
}

// Connect, subscribe at QoS 1, publish three QoS 1 messages, receive them, disconnect.
void RoundTrip(Client* client, LoopMode mode, const std::string& topic) {
  EventRecorder events;
  events.Attach(client);
  LoopRunner runner(client, mode);
  ASSERT_TRUE(client->ConnectAsync().ok());
  ASSERT_TRUE(
      runner.RunUntil([&] { return events.connects() + events.connect_failures() > 0; }, kTimeout));
  ASSERT_EQ(events.connects(), 1) << (events.connect_failures() > 0
                                          ? events.connect_failed()[0].error.ToString()
                                          : "");
  ASSERT_TRUE(client->Subscribe(topic, 1).ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.subscribed().size() == 1; }, kTimeout));
  ASSERT_EQ(events.subscribed()[0].reason_codes, std::vector<uint8_t>{1});
  std::vector<MessageToken> tokens;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<MessageToken> t = client->Publish(topic, absl::StrCat("via proxy ", i), 1);
    ASSERT_TRUE(t.ok()) << t.status();
    tokens.push_back(*t);
  }
  ASSERT_TRUE(runner.RunUntil(
      [&] { return events.messages().size() == 3 && events.published().size() == 3; }, kTimeout))
      << events.messages().size() << " received";
  std::vector<Message> got = events.messages();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i].payload, absl::StrCat("via proxy ", i));
    EXPECT_EQ(got[i].qos, 1);
  }
  for (MessageToken t : tokens) {
    EXPECT_EQ(client->DeliveryStatus(t)->state, DeliveryState::kAcknowledged);
  }
  ASSERT_TRUE(client->Disconnect().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.disconnects() == 1; }, kTimeout));
  EXPECT_TRUE(runner.hook_errors().empty()) << runner.hook_errors()[0];
}

// What a proxy logs from now on: whether it connected to the broker ("127.0.0.1:PORT" in
// tinyproxy's log, "127.0.0.1.PORT" / "::1.PORT" in Dante's). Only lines written after the mark
// count, since one proxy serves every test.
class ProxyLog {
 public:
  explicit ProxyLog(const ProxyServer* proxy) : proxy_(proxy), offset_(proxy->Log().size()) {}
  std::string Fresh() const {
    std::string log = proxy_->Log();
    return log.size() > offset_ ? log.substr(offset_) : "";
  }
  bool Reached(const std::string& host, int port) const {
    std::string fresh = Fresh();
    return absl::StrContains(fresh, absl::StrCat(host, ":", port)) ||
           absl::StrContains(fresh, absl::StrCat(host, ".", port));
  }

 private:
  const ProxyServer* proxy_;
  size_t offset_;
};

// A failed connection attempt's status (Connect() on the caller's thread).
absl::Status ConnectError(Client* client) {
  absl::Status s = client->Connect();
  EXPECT_FALSE(s.ok());
  return s;
}

class ProxyRoundTripTest : public ::testing::TestWithParam<LoopMode> {
 protected:
  std::string Topic(absl::string_view what) {
    return absl::StrCat("ouzel/proxy/", what, "/", testing::LoopModeName(GetParam()));
  }
};

TEST_P(ProxyRoundTripTest, HttpConnect) {
  ASSERT_NE(http_proxy, nullptr);
  auto client = MakeClient(BrokerUri("127.0.0.1"), ProxyFor(*http_proxy));
  ProxyLog log(http_proxy);
  RoundTrip(client.get(), GetParam(), Topic("http"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->port())) << log.Fresh();
}

TEST_P(ProxyRoundTripTest, HttpConnectWithBasicAuth) {
  ASSERT_NE(http_auth_proxy, nullptr);
  auto client = MakeClient(BrokerUri("127.0.0.1"), ProxyFor(*http_auth_proxy));
  ProxyLog log(http_auth_proxy);
  RoundTrip(client.get(), GetParam(), Topic("http-auth"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->port())) << log.Fresh();
}

// The client cannot resolve "localhost" (its resolver knows only the proxy): Dante does.
TEST_P(ProxyRoundTripTest, Socks5RemoteResolution) {
  ASSERT_NE(socks_proxy, nullptr);
  auto client = MakeClient(BrokerUri("localhost"), ProxyFor(*socks_proxy, /*remote_dns=*/true));
  ProxyLog log(socks_proxy);
  RoundTrip(client.get(), GetParam(), Topic("socks5h"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->port()) || log.Reached("::1", broker->port()))
      << log.Fresh();
}

// Only the client can resolve kLocalOnlyName: it sends Dante the address.
TEST_P(ProxyRoundTripTest, Socks5LocalResolutionIpv4) {
  ASSERT_NE(socks_proxy, nullptr);
  auto client = MakeClient(BrokerUri(kLocalOnlyName), ProxyFor(*socks_proxy, /*remote_dns=*/false));
  ProxyLog log(socks_proxy);
  RoundTrip(client.get(), GetParam(), Topic("socks5-v4"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->port())) << log.Fresh();
}

TEST_P(ProxyRoundTripTest, Socks5WithUsernamePassword) {
  ASSERT_NE(socks_auth_proxy, nullptr);
  auto client = MakeClient(BrokerUri("127.0.0.1"), ProxyFor(*socks_auth_proxy));
  ProxyLog log(socks_auth_proxy);
  RoundTrip(client.get(), GetParam(), Topic("socks5-auth"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->port())) << log.Fresh();
  EXPECT_THAT(log.Fresh(), HasSubstr(absl::StrCat("username%", kUser)));
}

// TLS runs end to end with the broker on top of the tunnel; the proxies see only ciphertext.
TEST_P(ProxyRoundTripTest, TlsThroughHttpConnect) {
  ASSERT_NE(http_proxy, nullptr);
  auto client =
      MakeClient(absl::StrCat("mqtts://127.0.0.1:", broker->tls_port()), ProxyFor(*http_proxy));
  ProxyLog log(http_proxy);
  RoundTrip(client.get(), GetParam(), Topic("tls-http"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->tls_port())) << log.Fresh();
}

TEST_P(ProxyRoundTripTest, TlsThroughSocks5) {
  ASSERT_NE(socks_auth_proxy, nullptr);
  auto client = MakeClient(absl::StrCat("mqtts://127.0.0.1:", broker->tls_port()),
                           ProxyFor(*socks_auth_proxy));
  ProxyLog log(socks_auth_proxy);
  RoundTrip(client.get(), GetParam(), Topic("tls-socks5"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->tls_port())) << log.Fresh();
}

// WebSockets too: the upgrade request and the frames go through the tunnel.
TEST_P(ProxyRoundTripTest, WebSocketThroughHttpConnect) {
  ASSERT_NE(http_proxy, nullptr);
  ProxyLog log(http_proxy);
  auto client = MakeClient(absl::StrCat("ws://127.0.0.1:", broker->websocket_port(), "/mqtt"),
                           ProxyFor(*http_proxy));
  RoundTrip(client.get(), GetParam(), Topic("ws-http"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->websocket_port())) << log.Fresh();
}

TEST_P(ProxyRoundTripTest, SecureWebSocketThroughSocks5) {
  ASSERT_NE(socks_proxy, nullptr);
  ProxyLog log(socks_proxy);
  auto client = MakeClient(absl::StrCat("wss://127.0.0.1:", broker->tls_ports()[1], "/mqtt"),
                           ProxyFor(*socks_proxy));
  RoundTrip(client.get(), GetParam(), Topic("wss-socks5"));
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->tls_ports()[1])) << log.Fresh();
}

INSTANTIATE_TEST_SUITE_P(LoopModes, ProxyRoundTripTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const auto& info) { return testing::LoopModeName(info.param); });

TEST(ProxyTest, Socks5LocalResolutionSendsIpv6Address) {
  ASSERT_NE(socks_proxy, nullptr);
  auto client =
      MakeClient(BrokerUri(kLocalOnlyName), ProxyFor(*socks_proxy, false), ClientResolver("::1"));
  ProxyLog log(socks_proxy);
  RoundTrip(client.get(), LoopMode::kThread, "ouzel/proxy/socks5-v6");
  EXPECT_TRUE(log.Reached("::1", broker->port())) << log.Fresh();
}

// "CONNECT [::1]:port": the IPv6 literal goes to the proxy in brackets.
TEST(ProxyTest, HttpConnectToAnIpv6Literal) {
  ASSERT_NE(http_proxy, nullptr);
  ProxyLog log(http_proxy);
  auto client = MakeClient(BrokerUri("::1"), ProxyFor(*http_proxy));
  RoundTrip(client.get(), LoopMode::kThread, "ouzel/proxy/http-v6");
  EXPECT_THAT(log.Fresh(), HasSubstr(absl::StrCat("CONNECT [::1]:", broker->port())));
}

TEST(ProxyTest, HttpWrongPasswordIsPermissionDeniedNamingTheProxy) {
  ASSERT_NE(http_auth_proxy, nullptr);
  ProxyOptions p = ProxyFor(*http_auth_proxy);
  p.password = "wrong";
  auto client = MakeClient(BrokerUri("127.0.0.1"), p);
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_EQ(FailedTransportLayer(s), TransportLayer::kProxy) << s;
  EXPECT_THAT(s.message(),
              HasSubstr(absl::StrCat("http://", kUser, "@127.0.0.1:", http_auth_proxy->port())));
  // tinyproxy 1.11 answers wrong credentials with "401 Unauthorized" (missing ones with 407).
  EXPECT_THAT(s.message(), HasSubstr("HTTP/1.0 401 Unauthorized"));
  EXPECT_THAT(s.message(), HasSubstr("rejected the username and password"));
  EXPECT_THAT(s.message(), ::testing::Not(HasSubstr("wrong")));
}

TEST(ProxyTest, HttpMissingCredentialsIsPermissionDenied) {
  ASSERT_NE(http_auth_proxy, nullptr);
  ProxyOptions p = ProxyFor(*http_auth_proxy);
  p.username.clear();
  p.password.clear();
  auto client = MakeClient(BrokerUri("127.0.0.1"), p);
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_THAT(s.message(), HasSubstr("407 Proxy Authentication Required"));
  EXPECT_THAT(s.message(), HasSubstr("no username was given"));
}

TEST(ProxyTest, HttpBrokerPortClosedIsUnavailableNamingTheStatusLine) {
  ASSERT_NE(http_proxy, nullptr);
  auto client = MakeClient(absl::StrCat("mqtt://127.0.0.1:", closed_port), ProxyFor(*http_proxy));
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_EQ(FailedTransportLayer(s), TransportLayer::kProxy) << s;
  EXPECT_THAT(s.message(), HasSubstr("HTTP/1.1 500 Unable to connect"));
  EXPECT_THAT(s.message(), HasSubstr(absl::StrCat("127.0.0.1:", closed_port)));
}

TEST(ProxyTest, HttpForbiddenPortIsUnavailable) {
  ASSERT_NE(http_auth_proxy, nullptr);
  // The auth proxy allows CONNECT to the broker's port and closed_port only.
  auto client = MakeClient(
      absl::StrCat("mqtt://127.0.0.1:",
                   broker->port() + 1 == closed_port ? broker->port() + 2 : broker->port() + 1),
      ProxyFor(*http_auth_proxy));
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_THAT(s.message(), HasSubstr("403"));
  EXPECT_THAT(s.message(), HasSubstr("does not allow a tunnel"));
}

TEST(ProxyTest, Socks5BrokerPortClosedIsConnectionRefused) {
  ASSERT_NE(socks_proxy, nullptr);
  auto client = MakeClient(absl::StrCat("mqtt://127.0.0.1:", closed_port), ProxyFor(*socks_proxy));
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_EQ(FailedTransportLayer(s), TransportLayer::kProxy) << s;
  EXPECT_THAT(s.message(), HasSubstr("connection refused (reply 0x05)"));
  EXPECT_THAT(s.message(), HasSubstr(absl::StrCat("socks5h://127.0.0.1:", socks_proxy->port())));
}

// With socks5h the proxy resolves the name: one only the client knows fails there.
TEST(ProxyTest, Socks5RemoteResolutionOfUnknownNameIsHostUnreachable) {
  ASSERT_NE(socks_proxy, nullptr);
  auto client = MakeClient(BrokerUri(kLocalOnlyName), ProxyFor(*socks_proxy, true));
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_THAT(s.message(), HasSubstr("host unreachable (reply 0x04)"));
}

TEST(ProxyTest, Socks5WrongPasswordIsPermissionDenied) {
  ASSERT_NE(socks_auth_proxy, nullptr);
  ProxyOptions p = ProxyFor(*socks_auth_proxy);
  p.password = "wrong";
  auto client = MakeClient(BrokerUri("127.0.0.1"), p);
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_EQ(FailedTransportLayer(s), TransportLayer::kProxy) << s;
  EXPECT_THAT(s.message(),
              HasSubstr(absl::StrCat("rejected the username and password for '", kUser, "'")));
}

TEST(ProxyTest, Socks5MissingCredentialsIsPermissionDenied) {
  ASSERT_NE(socks_auth_proxy, nullptr);
  ProxyOptions p = ProxyFor(*socks_auth_proxy);
  p.username.clear();
  p.password.clear();
  auto client = MakeClient(BrokerUri("127.0.0.1"), p);
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_THAT(s.message(), HasSubstr("accepts no offered authentication method"));
}

// A TLS failure behind a working proxy is the TLS layer's, not the proxy's.
TEST(ProxyTest, TlsFailureThroughAProxyIsMarkedTls) {
  ASSERT_NE(socks_proxy, nullptr);
  auto client = MakeClient(absl::StrCat("mqtts://127.0.0.1:", broker->tls_port()),
                           ProxyFor(*socks_proxy), ClientResolver(), certs->other_ca_cert);
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(FailedTransportLayer(s), TransportLayer::kTls) << s;
}

TEST(ProxyTest, ProxyNotListeningIsUnavailableNamingTheProxy) {
  ProxyOptions p;
  p.type = ProxyOptions::Type::kHttpConnect;
  p.host = "127.0.0.1";
  p.port = static_cast<uint16_t>(closed_port);
  auto client = MakeClient(BrokerUri("127.0.0.1"), p);
  absl::Status s = ConnectError(client.get());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_THAT(s.message(),
              HasSubstr(absl::StrCat("cannot reach proxy http://127.0.0.1:", closed_port)));
  EXPECT_EQ(FailedTransportLayer(s), std::nullopt) << s;
}

class ProxyEnvironmentVariablesTest : public ::testing::Test {
 protected:
  void SetUp() override { Clear(); }
  void TearDown() override { Clear(); }
  static void Clear() {
    for (const char* v : {"mqtt_proxy", "MQTT_PROXY", "no_proxy", "NO_PROXY"}) unsetenv(v);
  }
  static ProxyOptions FromEnvironment() {
    ProxyOptions p;
    p.from_environment = true;
    return p;
  }
};

TEST_F(ProxyEnvironmentVariablesTest, MqttProxyIsUsedWhenTheApplicationOptsIn) {
  ASSERT_NE(http_auth_proxy, nullptr);
  setenv("mqtt_proxy", http_auth_proxy->Uri().c_str(), 1);
  ProxyLog log(http_auth_proxy);
  auto client = MakeClient(BrokerUri("127.0.0.1"), FromEnvironment());
  RoundTrip(client.get(), LoopMode::kThread, "ouzel/proxy/env");
  EXPECT_TRUE(log.Reached("127.0.0.1", broker->port())) << log.Fresh();
}

TEST_F(ProxyEnvironmentVariablesTest, NoProxyBypassesTheProxy) {
  // A proxy that is not there: using it would fail the connection.
  setenv("MQTT_PROXY", absl::StrCat("http://127.0.0.1:", closed_port).c_str(), 1);
  auto proxied = MakeClient(BrokerUri("127.0.0.1"), FromEnvironment());
  EXPECT_THAT(ConnectError(proxied.get()).message(), HasSubstr("cannot reach proxy"));

  setenv("no_proxy", absl::StrCat("example.com, 127.0.0.1:", broker->port()).c_str(), 1);
  auto client = MakeClient(BrokerUri("127.0.0.1"), FromEnvironment());
  RoundTrip(client.get(), LoopMode::kThread, "ouzel/proxy/no-proxy");
}

TEST_F(ProxyEnvironmentVariablesTest, IgnoredWithoutOptIn) {
  setenv("mqtt_proxy", absl::StrCat("http://127.0.0.1:", closed_port).c_str(), 1);
  auto client = MakeClient(BrokerUri("127.0.0.1"), ProxyOptions());
  RoundTrip(client.get(), LoopMode::kCaller, "ouzel/proxy/no-opt-in");
}

}  // namespace
}  // namespace ouzel

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new ouzel::ProxyEnvironment);
  return RUN_ALL_TESTS();
}
