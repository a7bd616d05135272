// Secrets never reach a log line or an error message. Clients are driven through the C API with
// on_log at its most verbose level (OUZEL_LOG_DEBUG) and credentials of every kind: an MQTT
// password (set as an option and inside the server URI), an encrypted client key's password, a
// TLS-PSK key, and HTTP CONNECT and SOCKS5 proxy passwords, against a REAL Mosquitto that checks
// them (a password file, a listener requiring a client certificate, a PSK listener) and REAL
// proxies that check theirs (tinyproxy BasicAuth, Dante username method). Each credential is used
// once right and once wrong, and options holding secrets are set with invalid values. Every log
// line, every ouzel_last_error_message() after every call on this thread, and every message
// on_connect_fail and on_disconnect saw is searched for each secret: whole, as hex, as base64
// (and the proxy's Basic credentials), and any 8-byte piece of it.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/fixtures/proxy_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;
using ouzel::fixtures::ProxyServer;
using ouzel::fixtures::TestCertificates;

constexpr char kUser[] = "secrets-user";
constexpr char kPassword[] = "mqtt-pw-7Hq2xZvB";
constexpr char kWrongPassword[] = "wrong-mqtt-pw-4Lr9";
constexpr char kWrongKeyPassword[] = "wrong-key-pw-Zr81Qe";
constexpr char kPskIdentity[] = "secrets-psk";
constexpr char kPskKeyHex[] = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
constexpr char kWrongPskKeyHex[] = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr char kProxyUser[] = "secrets-proxy";
constexpr char kProxyPassword[] = "proxy-pw-Kx93Wd";
constexpr char kWrongProxyPassword[] = "wrong-proxy-pw-Tq55";

MosquittoBroker* broker = nullptr;
TestCertificates* certs = nullptr;
ProxyServer* http_proxy = nullptr;   // tinyproxy, BasicAuth kProxyUser kProxyPassword
ProxyServer* socks_proxy = nullptr;  // Dante, username method, same credentials

class SecretsEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto generated = TestCertificates::Generate();
    ASSERT_TRUE(generated.ok()) << generated.status();
    certs = new TestCertificates(*generated);
    MosquittoBroker::Options o;
    o.allow_anonymous = false;
    o.users = {{kUser, kPassword}};
    MosquittoBroker::TlsListener tls;
    tls.cafile = certs->ca_cert;
    tls.certfile = certs->server_cert;
    tls.keyfile = certs->server_key;
    tls.require_certificate = true;
    o.tls.push_back(tls);
    MosquittoBroker::PskListener psk;
    psk.identities = {{kPskIdentity, kPskKeyHex}};
    o.psk = psk;
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker = b->release();
    for (auto [kind, out] : {std::make_pair(ProxyServer::Kind::kTinyproxy, &http_proxy),
                             std::make_pair(ProxyServer::Kind::kDante, &socks_proxy)}) {
      ProxyServer::Options p;
      p.kind = kind;
      p.credentials = {{kProxyUser, kProxyPassword}};
      auto started = ProxyServer::Start(p);
      ASSERT_TRUE(started.ok()) << started.status();
      *out = started->release();
    }
  }
  void TearDown() override {
    delete http_proxy;
    delete socks_proxy;
    delete broker;
    delete certs;
  }
};

// Every text the library produced for the application, with where it came from.
class Transcript {
 public:
  void Add(const std::string& where, const std::string& text) {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(absl::StrCat(where, ": ", text));
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }
  int log_lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const std::string& l : lines_) n += l.rfind("log", 0) == 0 ? 1 : 0;
    return n;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

Transcript* transcript = nullptr;

void OnLog(ouzel_client*, int32_t level, const char* message, void*) {
  transcript->Add(absl::StrCat("log[", level, "]"), message);
}

// Runs a C API call and keeps ouzel_last_error_message() whatever the result.
int Call(const char* what, int rc) {
  transcript->Add(absl::StrCat("last_error after ", what, " = ", rc), ouzel_last_error_message());
  return rc;
}

void Set(ouzel_options* o, int32_t option, const std::string& v) {
  ExpectOk(Call("set_string", ouzel_options_set_string(o, option, v.data(), v.size())), "set");
}

// Plain TCP to the broker, the user name given, one attempt.
Options Base(const std::string& id) {
  Options o = BaseOptions(broker->port(), id, OUZEL_MQTT_V5);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
  Set(o.get(), OUZEL_OPT_USERNAME, kUser);
  return o;
}

// A client with on_log at OUZEL_LOG_DEBUG, caller-driven so loop errors land on this thread.
std::unique_ptr<TestClient> Client(const ouzel_options* o) {
  auto c = TestClient::Create(o, LoopMode::kCaller);
  if (c) {
    ExpectOk(Call("set_on_log",
                  ouzel_client_set_on_log(c->get(), OnLog, OUZEL_LOG_DEBUG, nullptr, nullptr)),
             "set_on_log");
  }
  return c;
}

// Connects and drives the client until on_connect or on_connect_fail; true when connected. The
// failure's and any disconnect's message go into the transcript.
bool Connect(TestClient* c) {
  Call("connect", ouzel_client_connect(c->get()));
  EXPECT_TRUE(RunUntil({c}, [&] {
    return c->events().connect_count() > 0 || c->events().connect_fail_count() > 0;
  }));
  for (const ConnectFailRecord& f : c->events().connect_fails()) {
    transcript->Add(absl::StrCat("on_connect_fail ", f.error), f.message);
  }
  return c->events().connect_count() > 0;
}

void Disconnect(TestClient* c) {
  EXPECT_TRUE(DisconnectAndWait(c));
  for (const DisconnectRecord& d : c->events().disconnects()) {
    transcript->Add(absl::StrCat("on_disconnect ", d.error), d.message);
  }
}

// Connects (expecting success or failure), and with success publishes QoS 1 and disconnects.
void Use(const ouzel_options* o, bool should_connect) {
  auto c = Client(o);
  ASSERT_TRUE(c);
  const bool connected = Connect(c.get());
  ASSERT_EQ(connected, should_connect);
  if (!connected) {
    // The blocking call's error goes to this thread's ouzel_last_error_message().
    Call("connect_blocking", ouzel_client_connect_blocking(c->get()));
    return;
  }
  ASSERT_EQ(PublishAndWait(c.get(), "it/secrets", "x", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  Disconnect(c.get());
}

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(broker, nullptr);
    ASSERT_NE(http_proxy, nullptr);
    ASSERT_NE(socks_proxy, nullptr);
    transcript = new Transcript();
  }
  void TearDown() override {
    delete transcript;
    transcript = nullptr;
  }

  // Every 8-byte piece of each secret chosen here, and each whole secret as given, as hex (both
  // cases) and as base64; the proxy's Basic credentials. The fixture's key password
  // ("ouzel-test-password") is searched whole only: its pieces are English words.
  static std::vector<std::string> Needles() {
    std::vector<std::string> secrets = {kPassword,      kWrongPassword,      kWrongKeyPassword,
                                        kProxyPassword, kWrongProxyPassword, kPskKeyHex,
                                        kWrongPskKeyHex};
    for (const char* hex : {kPskKeyHex, kWrongPskKeyHex}) {
      secrets.push_back(absl::HexStringToBytes(hex));
    }
    std::vector<std::string> needles;
    for (const std::string& s : secrets) {
      for (size_t i = 0; i + 8 <= s.size(); ++i) needles.push_back(s.substr(i, 8));
    }
    secrets.emplace_back(TestCertificates::kKeyPassword);
    for (const std::string& s : secrets) {
      needles.push_back(s);
      needles.push_back(absl::BytesToHexString(s));
      needles.push_back(absl::AsciiStrToUpper(absl::BytesToHexString(s)));
      needles.push_back(absl::Base64Escape(s));
    }
    for (const char* p : {kProxyPassword, kWrongProxyPassword}) {
      needles.push_back(absl::Base64Escape(absl::StrCat(kProxyUser, ":", p)));
    }
    return needles;
  }

  // Fails for every line holding a needle; returns how many lines were searched.
  static size_t ExpectNoSecret() {
    const std::vector<std::string> lines = transcript->lines();
    const std::vector<std::string> needles = Needles();
    for (const std::string& line : lines) {
      for (const std::string& n : needles) {
        EXPECT_EQ(line.find(n), std::string::npos)
            << "a secret (" << absl::CHexEscape(n) << ") in: " << absl::CHexEscape(line);
      }
    }
    return lines.size();
  }

  // The transcript must contain `text` (so the search above searched something real).
  static void ExpectSeen(const std::string& text) {
    const std::vector<std::string> lines = transcript->lines();
    bool found = false;
    for (const std::string& l : lines) found = found || l.find(text) != std::string::npos;
    EXPECT_TRUE(found) << "no line contains '" << text << "':\n" << absl::StrJoin(lines, "\n");
  }
};

TEST_F(SecretsTest, MqttPassword_AsOptionAndInTheUri_RightAndWrong) {
  {
    Options o = Base("secrets-pw");
    Set(o.get(), OUZEL_OPT_PASSWORD, kPassword);
    Use(o.get(), true);
  }
  {
    Options o = Base("secrets-pw-wrong");
    Set(o.get(), OUZEL_OPT_PASSWORD, kWrongPassword);
    Use(o.get(), false);
  }
  {
    Options o = BaseOptions(0, "secrets-uri", OUZEL_MQTT_V311);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
    Set(o.get(), OUZEL_OPT_SERVER_URI,
        absl::StrCat("mqtt://", kUser, ":", kPassword, "@127.0.0.1:", broker->port()));
    Use(o.get(), true);
  }
  {
    // A malformed URI is refused by ouzel_client_new, quoting the URI without its password.
    Options o = BaseOptions(0, "secrets-uri-bad", OUZEL_MQTT_V311);
    Set(o.get(), OUZEL_OPT_SERVER_URI,
        absl::StrCat("mqtt://", kUser, ":", kWrongPassword, "@127.0.0.1:port"));
    ouzel_client* c = nullptr;
    EXPECT_EQ(Call("client_new", ouzel_client_new(&c, o.get())), OUZEL_EINVAL);
    ouzel_client_free(c);
  }
  ExpectSeen("log[1]: connecting to mqtt://127.0.0.1:");
  ExpectSeen("log[1]: connecting to mqtt://secrets-user@127.0.0.1:");
  ExpectSeen("on_connect_fail");
  ExpectSeen("'mqtt://secrets-user:***@127.0.0.1:port'");
  EXPECT_GT(transcript->log_lines(), 4);
  EXPECT_GT(ExpectNoSecret(), 10u);
}

TEST_F(SecretsTest, TlsKeyPasswordAndPskKey_RightWrongAndMalformed) {
  const std::string tls_uri = absl::StrCat("mqtts://localhost:", broker->tls_port());
  for (const char* key_password :
       {TestCertificates::kKeyPassword.data(), static_cast<const char*>(kWrongKeyPassword)}) {
    Options o = Base("secrets-tls");
    Set(o.get(), OUZEL_OPT_PASSWORD, kPassword);
    Set(o.get(), OUZEL_OPT_SERVER_URI, tls_uri);
    Set(o.get(), OUZEL_OPT_TLS_CA_FILE, certs->ca_cert);
    Set(o.get(), OUZEL_OPT_TLS_CERT_FILE, certs->client_cert);
    Set(o.get(), OUZEL_OPT_TLS_KEY_FILE, certs->client_key_encrypted);
    Set(o.get(), OUZEL_OPT_TLS_KEY_PASSWORD, key_password);
    Use(o.get(), key_password == TestCertificates::kKeyPassword.data());
  }
  const std::string psk_uri = absl::StrCat("mqtts://127.0.0.1:", broker->psk_port());
  for (const char* key : {kPskKeyHex, kWrongPskKeyHex}) {
    Options o = Base("secrets-psk");
    Set(o.get(), OUZEL_OPT_PASSWORD, kPassword);
    Set(o.get(), OUZEL_OPT_SERVER_URI, psk_uri);
    Set(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, kPskIdentity);
    Set(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX, key);
    Use(o.get(), key == kPskKeyHex);
  }
  {
    // Raw key bytes, right.
    Options o = Base("secrets-psk-raw");
    Set(o.get(), OUZEL_OPT_PASSWORD, kPassword);
    Set(o.get(), OUZEL_OPT_SERVER_URI, psk_uri);
    Set(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, kPskIdentity);
    Set(o.get(), OUZEL_OPT_TLS_PSK_KEY, absl::HexStringToBytes(kPskKeyHex));
    Use(o.get(), true);
  }
  {
    // Refused settings: the key with a typo in it, an odd length.
    Options o = Base("secrets-psk-bad");
    for (const std::string& bad :
         {absl::StrCat(kPskKeyHex, "zz"), absl::StrCat("z", kWrongPskKeyHex, "0"),
          absl::StrCat(kPskKeyHex, "0")}) {
      EXPECT_EQ(Call("set psk hex", ouzel_options_set_string(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX,
                                                             bad.data(), bad.size())),
                OUZEL_EINVAL);
    }
  }
  ExpectSeen("log[1]: transport up: tls");
  ExpectSeen("wrong key_password for key_file");
  ExpectSeen("is not a hex digit");
  EXPECT_GT(ExpectNoSecret(), 10u);
}

TEST_F(SecretsTest, ProxyPasswords_HttpAndSocks5_RightAndWrong) {
  for (const ProxyServer* proxy : {http_proxy, socks_proxy}) {
    const bool http = proxy == http_proxy;
    for (const char* password : {kProxyPassword, kWrongProxyPassword}) {
      Options o = Base(http ? "secrets-http" : "secrets-socks");
      Set(o.get(), OUZEL_OPT_PASSWORD, kPassword);
      if (password == kProxyPassword) {
        // As separate options.
        ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_TYPE,
                                       http ? OUZEL_PROXY_HTTP : OUZEL_PROXY_SOCKS5),
                 "proxy type");
        Set(o.get(), OUZEL_OPT_PROXY_HOST, "127.0.0.1");
        ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_PORT, proxy->port()), "port");
        Set(o.get(), OUZEL_OPT_PROXY_USERNAME, kProxyUser);
        Set(o.get(), OUZEL_OPT_PROXY_PASSWORD, password);
      } else {
        // As a URI.
        Set(o.get(), OUZEL_OPT_PROXY_URI,
            absl::StrCat(http ? "http://" : "socks5h://", kProxyUser, ":", password,
                         "@127.0.0.1:", proxy->port()));
      }
      Use(o.get(), password == kProxyPassword);
    }
  }
  {
    // Malformed proxy URIs with a password in them.
    Options o = Base("secrets-proxy-bad");
    for (const std::string& bad :
         {absl::StrCat("http://", kProxyUser, ":", kWrongProxyPassword, "@127.0.0.1:port"),
          absl::StrCat("gopher://", kProxyUser, ":", kWrongProxyPassword, "@127.0.0.1:1"),
          absl::StrCat("http://", kProxyUser, ":", kWrongProxyPassword, "%zz@127.0.0.1:1")}) {
      EXPECT_EQ(Call("set proxy uri", ouzel_options_set_string(o.get(), OUZEL_OPT_PROXY_URI,
                                                               bad.data(), bad.size())),
                OUZEL_EINVAL);
    }
  }
  // The proxy and its user are named (so the messages were searched), never the password.
  ExpectSeen("log[1]: transport up: proxy http://secrets-proxy@127.0.0.1:");
  ExpectSeen("log[1]: transport up: proxy socks5h://secrets-proxy@127.0.0.1:");
  ExpectSeen("rejected the username and password");
  EXPECT_GT(ExpectNoSecret(), 10u);
}

}  // namespace
}  // namespace ouzel_it

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new ouzel_it::SecretsEnvironment);
  return RUN_ALL_TESTS();
}
