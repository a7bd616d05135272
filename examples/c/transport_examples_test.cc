// Runs the transport examples (tls_client, proxy_client, websocket_client) as child processes
// against a real Mosquitto with TLS and WebSocket listeners and real proxies (tinyproxy, Dante)
// this test starts, with certificates made by openssl. These need more than with_broker.sh's one
// plain port (TLS and WebSocket ports, certificate paths, a proxy), and the fixtures already give
// free ports, readiness, cleanup and the logs on failure. Each example must exit 0 and print its
// "OK" line; the refusal cases must exit 1 with the reason on stderr.
//
// Usage (from BUILD.bazel): transport_examples_test <tls_client> <proxy_client> <websocket_client>
#include <climits>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/fixture_util.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/fixtures/proxy_fixture.h"

namespace {

using ouzel::fixtures::CommandOptions;
using ouzel::fixtures::CommandResult;
using ouzel::fixtures::MosquittoBroker;
using ouzel::fixtures::ProxyServer;
using ouzel::fixtures::RunCommand;
using ouzel::fixtures::TestCertificates;

std::string g_tls_client;
std::string g_proxy_client;
std::string g_websocket_client;

MosquittoBroker* broker = nullptr;
TestCertificates* certs = nullptr;
ProxyServer* http_proxy = nullptr;
ProxyServer* socks_proxy = nullptr;

enum TlsListenerIndex : size_t { kServerAuth = 0, kMutualAuth, kSecureWebSocket };

class Environment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto generated = TestCertificates::Generate();
    ASSERT_TRUE(generated.ok()) << generated.status();
    certs = new TestCertificates(*generated);
    MosquittoBroker::Options o;
    for (bool require : {false, true}) {
      MosquittoBroker::TlsListener l;
      l.cafile = certs->ca_cert;
      l.certfile = certs->server_cert;
      l.keyfile = certs->server_key;
      l.require_certificate = require;
      o.tls.push_back(l);
    }
    MosquittoBroker::TlsListener wss = o.tls.front();
    wss.websockets = true;
    o.tls.push_back(wss);
    o.websockets = true;
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker = b->release();
    for (ProxyServer::Kind kind : {ProxyServer::Kind::kTinyproxy, ProxyServer::Kind::kDante}) {
      ProxyServer::Options p;
      p.kind = kind;
      auto started = ProxyServer::Start(p);
      ASSERT_TRUE(started.ok()) << started.status();
      (kind == ProxyServer::Kind::kTinyproxy ? http_proxy : socks_proxy) = started->release();
    }
  }
  void TearDown() override {
    delete http_proxy;
    delete socks_proxy;
    delete broker;
    delete certs;
  }
};

CommandResult RunExample(const std::vector<std::string>& argv) {
  CommandOptions options;
  options.timeout = absl::Seconds(30);
  auto r = RunCommand(argv, options);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : CommandResult{};
}

std::string TlsUri(TlsListenerIndex l) {
  return absl::StrCat("mqtts://localhost:", broker->tls_ports()[l]);
}

TEST(TlsClientExample, ServerVerifiedAgainstCaFile) {
  const CommandResult r = RunExample({g_tls_client, TlsUri(kServerAuth), certs->ca_cert});
  EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- broker log ---\n" << broker->Log();
  EXPECT_TRUE(absl::StrContains(r.output, "server certificate for localhost: verified"))
      << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "tls_client: OK")) << r.output;
}

TEST(TlsClientExample, ClientCertificateForABrokerThatRequiresOne) {
  const CommandResult r = RunExample(
      {g_tls_client, TlsUri(kMutualAuth), certs->ca_cert, certs->client_cert, certs->client_key});
  EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- broker log ---\n" << broker->Log();
  EXPECT_TRUE(absl::StrContains(r.output, "tls_client: OK")) << r.output;
}

TEST(TlsClientExample, UntrustedCa_ExitsWithTheReason) {
  const CommandResult r = RunExample({g_tls_client, TlsUri(kServerAuth), certs->other_ca_cert});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "NOT verified")) << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "TLS error")) << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "not among the trusted CAs")) << r.output;
}

TEST(ProxyClientExample, HttpConnect) {
  const CommandResult r = RunExample(
      {g_proxy_client, absl::StrCat("mqtt://127.0.0.1:", broker->port()), http_proxy->Uri()});
  EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- proxy log ---\n" << http_proxy->Log();
  EXPECT_TRUE(absl::StrContains(r.output, "proxy_client: OK")) << r.output;
  EXPECT_TRUE(absl::StrContains(http_proxy->Log(), absl::StrCat("127.0.0.1:", broker->port())))
      << http_proxy->Log();
}

TEST(ProxyClientExample, TlsThroughSocks5) {
  const CommandResult r =
      RunExample({g_proxy_client, TlsUri(kServerAuth), socks_proxy->Uri(), certs->ca_cert});
  EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- proxy log ---\n" << socks_proxy->Log();
  EXPECT_TRUE(absl::StrContains(r.output, "proxy_client: OK")) << r.output;
}

TEST(ProxyClientExample, ProxyNotThere_ExitsWithTheReason) {
  auto port = ouzel::fixtures::PickFreePort("127.0.0.1");
  ASSERT_TRUE(port.ok());
  const CommandResult r =
      RunExample({g_proxy_client, absl::StrCat("mqtt://127.0.0.1:", broker->port()),
                  absl::StrCat("http://127.0.0.1:", *port)});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "cannot reach proxy")) << r.output;
}

TEST(WebSocketClientExample, WsAndWss) {
  const CommandResult r =
      RunExample({g_websocket_client, absl::StrCat("ws://127.0.0.1:", broker->websocket_port()),
                  absl::StrCat("wss://localhost:", broker->tls_ports()[kSecureWebSocket], "/mqtt"),
                  certs->ca_cert});
  EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- broker log ---\n" << broker->Log();
  EXPECT_TRUE(absl::StrContains(r.output, "connected to ws://")) << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "connected to wss://")) << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "websocket_client: OK")) << r.output;
}

TEST(WebSocketClientExample, WsToTheMqttPort_ExitsWithTheReason) {
  const CommandResult r =
      RunExample({g_websocket_client, absl::StrCat("ws://127.0.0.1:", broker->port())});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "connection lost during the WebSocket upgrade"))
      << r.output;
}

std::string Absolute(const char* path) {
  char buf[PATH_MAX];
  return realpath(path, buf) != nullptr ? std::string(buf) : std::string(path);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 4) {
    fprintf(stderr, "usage: %s <tls_client> <proxy_client> <websocket_client>\n", argv[0]);
    return 2;
  }
  g_tls_client = Absolute(argv[1]);
  g_proxy_client = Absolute(argv[2]);
  g_websocket_client = Absolute(argv[3]);
  ::testing::AddGlobalTestEnvironment(new Environment);
  return RUN_ALL_TESTS();
}
