// Proxies through the C API (OUZEL_OPT_PROXY_*) with REAL proxies (tinyproxy for HTTP CONNECT,
// Dante for SOCKS5, tests/fixtures/proxy_fixture.h) in front of a REAL Mosquitto: a proxy given
// as a URI and as separate options, with and without credentials, taken from the environment on
// opt-in, under TLS (mqtts:// through SOCKS5); refusals arrive in on_connect_fail as
// OUZEL_EREFUSED with the proxy's answer in ouzel_last_error_message(). Each proxy's log is
// checked for the broker's port, so a client that silently connected directly would fail.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/fixture_util.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/fixtures/proxy_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;
using ouzel::fixtures::ProxyServer;
using ouzel::fixtures::TestCertificates;

constexpr char kUser[] = "capi-proxy-user";
constexpr char kPassword[] = "capi-s3cret";

MosquittoBroker* broker = nullptr;
TestCertificates* certs = nullptr;
ProxyServer* http_proxy = nullptr;        // tinyproxy, no authentication
ProxyServer* http_auth_proxy = nullptr;   // tinyproxy, Basic authentication
ProxyServer* socks_proxy = nullptr;       // Dante, no authentication
ProxyServer* socks_auth_proxy = nullptr;  // Dante, username/password

ProxyServer* StartProxy(ProxyServer::Kind kind, bool credentials) {
  ProxyServer::Options o;
  o.kind = kind;
  if (credentials) o.credentials = {{kUser, kPassword}};
  auto p = ProxyServer::Start(o);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? p->release() : nullptr;
}

class ProxyCapiEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto generated = TestCertificates::Generate();
    ASSERT_TRUE(generated.ok()) << generated.status();
    certs = new TestCertificates(*generated);
    MosquittoBroker::Options b;
    MosquittoBroker::TlsListener tls;
    tls.cafile = certs->ca_cert;
    tls.certfile = certs->server_cert;
    tls.keyfile = certs->server_key;
    b.tls.push_back(tls);
    auto started = MosquittoBroker::Start(b);
    ASSERT_TRUE(started.ok()) << started.status();
    broker = started->release();
    http_proxy = StartProxy(ProxyServer::Kind::kTinyproxy, false);
    http_auth_proxy = StartProxy(ProxyServer::Kind::kTinyproxy, true);
    socks_proxy = StartProxy(ProxyServer::Kind::kDante, false);
    socks_auth_proxy = StartProxy(ProxyServer::Kind::kDante, true);
  }
  void TearDown() override {
    for (ProxyServer* p : {http_proxy, http_auth_proxy, socks_proxy, socks_auth_proxy}) delete p;
    delete broker;
    delete certs;
  }
};

// Whether the proxy's log shows a connection to `port` on 127.0.0.1 ("127.0.0.1:PORT" for
// tinyproxy, "127.0.0.1.PORT" for Dante).
bool ProxyReached(const ProxyServer& proxy, int port) {
  const std::string log = proxy.Log();
  return absl::StrContains(log, absl::StrCat("127.0.0.1:", port)) ||
         absl::StrContains(log, absl::StrCat("127.0.0.1.", port));
}

void Set(ouzel_options* o, int32_t option, const std::string& v) {
  ExpectOk(ouzel_options_set_string(o, option, v.data(), v.size()), "set_string");
}

// Options for the broker's plain port, one attempt; the proxy is the caller's to add.
Options ProxiedOptions(const std::string& id) {
  Options o = BaseOptions(broker->port(), id, OUZEL_MQTT_V5);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
  return o;
}

// Connect, subscribe, publish QoS 1 and receive it, disconnect.
void RoundTrip(TestClient* c, const std::string& topic) {
  ASSERT_TRUE(ConnectAll({c}));
  ASSERT_TRUE(SubscribeAndWait(c, topic, 1));
  ASSERT_EQ(PublishAndWait(c, topic, "through the proxy", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({c}, [&] { return c->events().message_count() == 1; }));
  EXPECT_EQ(c->events().messages().front().payload, "through the proxy");
  EXPECT_TRUE(DisconnectAndWait(c));
}

ConnectFailRecord ConnectFailure(TestClient* c) {
  EXPECT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
  EXPECT_TRUE(RunUntil({c}, [&] {
    return c->events().connect_fail_count() > 0 || c->events().connect_count() > 0;
  }));
  EXPECT_EQ(c->events().connect_count(), 0);
  const std::vector<ConnectFailRecord> f = c->events().connect_fails();
  return f.empty() ? ConnectFailRecord{} : f.back();
}

class ProxyCapiLoopTest : public ::testing::TestWithParam<LoopMode> {};

TEST_P(ProxyCapiLoopTest, HttpConnectFromUri) {
  ASSERT_NE(http_proxy, nullptr);
  Options o = ProxiedOptions(std::string("capi-http-") + LoopModeName(GetParam()));
  Set(o.get(), OUZEL_OPT_PROXY_URI, http_proxy->Uri());
  auto c = TestClient::Create(o.get(), GetParam());
  ASSERT_TRUE(c);
  RoundTrip(c.get(), std::string("it/proxy/http/") + LoopModeName(GetParam()));
  EXPECT_TRUE(ProxyReached(*http_proxy, broker->port())) << http_proxy->Log();
}

TEST_P(ProxyCapiLoopTest, Socks5FromSeparateOptionsWithCredentials) {
  ASSERT_NE(socks_auth_proxy, nullptr);
  Options o = ProxiedOptions(std::string("capi-socks-") + LoopModeName(GetParam()));
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_TYPE, OUZEL_PROXY_SOCKS5), "type");
  Set(o.get(), OUZEL_OPT_PROXY_HOST, "127.0.0.1");
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_PORT, socks_auth_proxy->port()), "port");
  Set(o.get(), OUZEL_OPT_PROXY_USERNAME, kUser);
  Set(o.get(), OUZEL_OPT_PROXY_PASSWORD, kPassword);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_REMOTE_DNS, 0), "local resolution");
  auto c = TestClient::Create(o.get(), GetParam());
  ASSERT_TRUE(c);
  RoundTrip(c.get(), std::string("it/proxy/socks/") + LoopModeName(GetParam()));
  EXPECT_TRUE(ProxyReached(*socks_auth_proxy, broker->port())) << socks_auth_proxy->Log();
}

INSTANTIATE_TEST_SUITE_P(LoopModes, ProxyCapiLoopTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const ::testing::TestParamInfo<LoopMode>& info) {
                           return LoopModeName(info.param);
                         });

TEST(ProxyCapiTest, HttpBasicAuthFromUri) {
  ASSERT_NE(http_auth_proxy, nullptr);
  Options o = ProxiedOptions("capi-http-auth");
  Set(o.get(), OUZEL_OPT_PROXY_URI,
      absl::StrCat("http://", kUser, ":", kPassword, "@127.0.0.1:", http_auth_proxy->port()));
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  RoundTrip(c.get(), "it/proxy/http-auth");
  EXPECT_TRUE(ProxyReached(*http_auth_proxy, broker->port())) << http_auth_proxy->Log();
}

TEST(ProxyCapiTest, WrongPassword_ErefusedWithTheProxysAnswer) {
  ASSERT_NE(http_auth_proxy, nullptr);
  ASSERT_NE(socks_auth_proxy, nullptr);
  for (const ProxyServer* proxy : {http_auth_proxy, socks_auth_proxy}) {
    const bool http = proxy == http_auth_proxy;
    SCOPED_TRACE(http ? "http" : "socks5");
    Options o = ProxiedOptions(http ? "capi-http-badpw" : "capi-socks-badpw");
    Set(o.get(), OUZEL_OPT_PROXY_URI,
        absl::StrCat(http ? "http://" : "socks5h://", kUser, ":wrong@127.0.0.1:", proxy->port()));
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = ConnectFailure(c.get());
    EXPECT_EQ(f.error, OUZEL_EREFUSED) << f.message;
    EXPECT_EQ(f.reason_code, -1);  // the proxy refused, not the broker
    EXPECT_TRUE(absl::StrContains(f.message, "rejected the username and password")) << f.message;
    EXPECT_FALSE(absl::StrContains(f.message, "wrong")) << "password shown: " << f.message;
  }
}

TEST(ProxyCapiTest, ProxyNotThere_EioNamingTheProxy) {
  Options o = ProxiedOptions("capi-no-proxy");
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_TYPE, OUZEL_PROXY_HTTP), "type");
  Set(o.get(), OUZEL_OPT_PROXY_HOST, "127.0.0.1");
  // Port 0 means the type's default (8080); take a port nobody listens on instead.
  auto port = ouzel::fixtures::PickFreePort("127.0.0.1");
  ASSERT_TRUE(port.ok());
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_PORT, *port), "port");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  const ConnectFailRecord f = ConnectFailure(c.get());
  EXPECT_EQ(f.error, OUZEL_EIO) << f.message;
  EXPECT_TRUE(
      absl::StrContains(f.message, absl::StrCat("cannot reach proxy http://127.0.0.1:", *port)))
      << f.message;
}

TEST(ProxyCapiTest, TlsThroughSocks5) {
  ASSERT_NE(socks_proxy, nullptr);
  Options o = ProxiedOptions("capi-socks-tls");
  Set(o.get(), OUZEL_OPT_SERVER_URI, absl::StrCat("mqtts://localhost:", broker->tls_port()));
  Set(o.get(), OUZEL_OPT_TLS_CA_FILE, certs->ca_cert);
  Set(o.get(), OUZEL_OPT_PROXY_URI, socks_proxy->Uri());
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  RoundTrip(c.get(), "it/proxy/tls");
  const std::string log = socks_proxy->Log();
  EXPECT_TRUE(absl::StrContains(log, absl::StrCat(".", broker->tls_port()))) << log;
}

// The environment is the process's: these tests set and clear it themselves.
class ProxyCapiEnvironmentVariableTest : public ::testing::Test {
 protected:
  void SetUp() override { Clear(); }
  void TearDown() override { Clear(); }
  static void Clear() {
    for (const char* v : {"mqtt_proxy", "MQTT_PROXY", "no_proxy", "NO_PROXY"}) unsetenv(v);
  }
};

TEST_F(ProxyCapiEnvironmentVariableTest, UsedOnlyWhenTheApplicationOptsIn) {
  ASSERT_NE(socks_proxy, nullptr);
  // Pointing at a port nobody listens on: a client that used it could not connect.
  auto dead = ouzel::fixtures::PickFreePort("127.0.0.1");
  ASSERT_TRUE(dead.ok());
  setenv("mqtt_proxy", absl::StrCat("http://127.0.0.1:", *dead).c_str(), 1);
  {
    Options o = ProxiedOptions("capi-env-off");  // OUZEL_OPT_PROXY_FROM_ENVIRONMENT is 0
    auto c = TestClient::Create(o.get(), LoopMode::kThread);
    ASSERT_TRUE(c);
    ASSERT_TRUE(ConnectAll({c.get()}));
  }
  setenv("mqtt_proxy", socks_proxy->Uri().c_str(), 1);
  Options o = ProxiedOptions("capi-env-on");
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_FROM_ENVIRONMENT, 1), "from env");
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  RoundTrip(c.get(), "it/proxy/env");
  EXPECT_TRUE(ProxyReached(*socks_proxy, broker->port())) << socks_proxy->Log();
}

}  // namespace
}  // namespace ouzel_it

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new ouzel_it::ProxyCapiEnvironment);
  return RUN_ALL_TESTS();
}
