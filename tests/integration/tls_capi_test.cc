// TLS through the C API (OUZEL_OPT_TLS_*, ouzel_options_set_tls_verify_callback) against a real
// Mosquitto with TLS listeners (a good server certificate, one for the wrong host name, one that
// requires a client certificate) and a TLS-PSK listener, with throwaway certificates made by
// openssl (tests/fixtures/certs.h). Checks round trips over mqtts:// in the three loop modes, the
// client certificate (plain and encrypted key), PSK, and every refusal's code (OUZEL_ETLS) and
// reason as on_connect_fail and ouzel_last_error_message() report them; the verification
// callback's arguments (verdict, error, host, the chain as DER) and its accept / reject.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/fixture_util.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;
using ouzel::fixtures::TestCertificates;

constexpr char kPskIdentity[] = "ouzel-capi-psk";
constexpr char kPskKeyHex[] = "00112233445566778899aabbccddeeff";

enum Listener : size_t { kGood = 0, kWrongHost, kRequireCert, kWrongHostWss };

class TlsCapiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<TestCertificates> certs = TestCertificates::Generate();
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = new TestCertificates(*certs);
    auto listener = [](const std::string& cert, const std::string& key, bool require) {
      MosquittoBroker::TlsListener l;
      l.cafile = certs_->ca_cert;
      l.certfile = cert;
      l.keyfile = key;
      l.require_certificate = require;
      return l;
    };
    MosquittoBroker::Options o;
    o.tls.push_back(listener(certs_->server_cert, certs_->server_key, false));
    o.tls.push_back(listener(certs_->wrong_host_server_cert, certs_->wrong_host_server_key, false));
    o.tls.push_back(listener(certs_->server_cert, certs_->server_key, true));
    MosquittoBroker::TlsListener wss =
        listener(certs_->wrong_host_server_cert, certs_->wrong_host_server_key, false);
    wss.websockets = true;
    o.tls.push_back(wss);
    MosquittoBroker::PskListener psk;
    psk.identities = {{kPskIdentity, kPskKeyHex}};
    o.psk = psk;
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
  void SetUp() override {
    ASSERT_NE(broker_, nullptr);
    ASSERT_NE(certs_, nullptr);
  }

  // Options for one TLS listener, trusting the test CA; one attempt, no reconnection.
  static Options TlsOptions(const std::string& id, Listener l = kGood,
                            const std::string& host = "localhost") {
    Options o = BaseOptions(0, id, OUZEL_MQTT_V5);
    const std::string uri = absl::StrCat("mqtts://", host, ":", broker_->tls_ports()[l]);
    ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_SERVER_URI, uri.data(), uri.size()),
             "uri");
    ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_TLS_CA_FILE, certs_->ca_cert.data(),
                                      certs_->ca_cert.size()),
             "ca file");
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
    return o;
  }
  static void Set(ouzel_options* o, int32_t option, const std::string& v) {
    ExpectOk(ouzel_options_set_string(o, option, v.data(), v.size()), "set_string");
  }

  // Connects and returns the failure on_connect_fail reported.
  static ConnectFailRecord ExpectConnectFailure(TestClient* c) {
    EXPECT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
    EXPECT_TRUE(RunUntil(
        {c}, [&] { return c->events().connect_fail_count() > 0 || c->events().connect_count(); }));
    EXPECT_EQ(c->events().connect_count(), 0) << "connected, but should have failed";
    const std::vector<ConnectFailRecord> f = c->events().connect_fails();
    return f.empty() ? ConnectFailRecord{} : f.back();
  }
  // Connects (asserting success), subscribes, publishes QoS 1 and receives it back.
  static void ExpectRoundTrip(TestClient* c, const std::string& topic) {
    ASSERT_TRUE(ConnectAll({c}));
    ASSERT_TRUE(SubscribeAndWait(c, topic, 1));
    const std::string payload = PatternPayload(200 * 1024, 3);
    ASSERT_EQ(PublishAndWait(c, topic, payload, 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
    ASSERT_TRUE(RunUntil({c}, [&] { return c->events().message_count() >= 1; }));
    EXPECT_EQ(c->events().messages().front().payload, payload);
  }

  static MosquittoBroker* broker_;
  static TestCertificates* certs_;
};
MosquittoBroker* TlsCapiTest::broker_ = nullptr;
TestCertificates* TlsCapiTest::certs_ = nullptr;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(TlsCapiTest, CaFile_RoundTripInEveryLoopMode) {
  for (LoopMode mode : {LoopMode::kThread, LoopMode::kCaller, LoopMode::kExternal}) {
    SCOPED_TRACE(LoopModeName(mode));
    Options o = TlsOptions(std::string("tls-ca-") + LoopModeName(mode));
    auto c = TestClient::Create(o.get(), mode);
    ASSERT_TRUE(c);
    ExpectRoundTrip(c.get(), std::string("it/tls/") + LoopModeName(mode));
    EXPECT_TRUE(c->loop_errors().empty()) << c->loop_errors().front();
  }
}

TEST_F(TlsCapiTest, UntrustedCa_EtlsWithTheReason) {
  Options o = TlsOptions("tls-untrusted");
  Set(o.get(), OUZEL_OPT_TLS_CA_FILE, certs_->other_ca_cert);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_USE_SYSTEM_CAS, 0), "no system CAs");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  const ConnectFailRecord f = ExpectConnectFailure(c.get());
  EXPECT_EQ(f.error, OUZEL_ETLS);
  EXPECT_EQ(f.reason_code, -1);
  EXPECT_TRUE(Contains(f.message, "certificate verification failed")) << f.message;
  EXPECT_TRUE(Contains(f.message, "CN=Ouzel Test CA, which is not among the trusted CAs"))
      << f.message;
  // The same through the blocking call's return value.
  EXPECT_EQ(ouzel_client_connect_blocking(c->get()), OUZEL_ETLS);
  EXPECT_TRUE(Contains(ouzel_last_error_message(), "not among the trusted CAs"))
      << ouzel_last_error_message();
}

TEST_F(TlsCapiTest, VerifyPeerOff_AcceptsAnUntrustedServer) {
  Options o = TlsOptions("tls-insecure");
  Set(o.get(), OUZEL_OPT_TLS_CA_FILE, certs_->other_ca_cert);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_VERIFY_PEER, 0), "verify off");
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()}));
}

TEST_F(TlsCapiTest, WrongHost_RefusedUnlessServerNameOrHostnameCheckOff) {
  {
    Options o = TlsOptions("tls-wrong-host", kWrongHost);
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = ExpectConnectFailure(c.get());
    EXPECT_EQ(f.error, OUZEL_ETLS);
    EXPECT_TRUE(Contains(f.message, "host name mismatch")) << f.message;
    EXPECT_TRUE(Contains(f.message, "DNS:wrong-host.invalid")) << f.message;
  }
  {
    Options o = TlsOptions("tls-server-name", kWrongHost);
    Set(o.get(), OUZEL_OPT_TLS_SERVER_NAME, "wrong-host.invalid");
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    ASSERT_TRUE(ConnectAll({c.get()}));
  }
  {
    Options o = TlsOptions("tls-no-hostname", kWrongHost);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_VERIFY_HOSTNAME, 0), "hostname off");
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    ASSERT_TRUE(ConnectAll({c.get()}));
  }
}

// Nothing set but the URI (and the CA where the test needs the chain to pass): both checks are
// on, for mqtts:// and wss://, for names and IP literals.
TEST_F(TlsCapiTest, Defaults_VerifyChainAndHostName) {
  {
    Options o = BaseOptions(0, "tls-defaults", OUZEL_MQTT_V5);
    for (int32_t option :
         {OUZEL_OPT_TLS_VERIFY_PEER, OUZEL_OPT_TLS_VERIFY_HOSTNAME, OUZEL_OPT_TLS_USE_SYSTEM_CAS}) {
      int64_t v = -1;
      ASSERT_EQ(ouzel_options_get_int(o.get(), option, &v), OUZEL_OK);
      EXPECT_EQ(v, 1) << "option " << option;
    }
  }
  struct Case {
    std::string uri;
    bool trust_test_ca;
    std::string reason;
  };
  const std::vector<int>& ports = broker_->tls_ports();
  const std::vector<Case> cases = {
      // The system's CAs do not include the test CA.
      {absl::StrCat("mqtts://localhost:", ports[kGood]), false, "not among the trusted CAs"},
      {absl::StrCat("wss://localhost:", ports[kWrongHostWss]), false, "not among the trusted CAs"},
      // A trusted chain for another name.
      {absl::StrCat("mqtts://localhost:", ports[kWrongHost]), true, "host name mismatch"},
      {absl::StrCat("mqtts://127.0.0.1:", ports[kWrongHost]), true, "host name mismatch"},
      {absl::StrCat("wss://localhost:", ports[kWrongHostWss]), true, "host name mismatch"},
      {absl::StrCat("wss://127.0.0.1:", ports[kWrongHostWss]), true, "host name mismatch"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.uri);
    Options o = BaseOptions(0, "tls-defaults", OUZEL_MQTT_V5);
    Set(o.get(), OUZEL_OPT_SERVER_URI, k.uri);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
    if (k.trust_test_ca) Set(o.get(), OUZEL_OPT_TLS_CA_FILE, certs_->ca_cert);
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = ExpectConnectFailure(c.get());
    EXPECT_EQ(f.error, OUZEL_ETLS) << f.message;
    EXPECT_TRUE(Contains(f.message, k.reason)) << f.message;
  }
}

TEST_F(TlsCapiTest, ClientCertificate_RequiredByTheBroker) {
  {
    Options o = TlsOptions("tls-no-cert", kRequireCert);
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = ExpectConnectFailure(c.get());
    EXPECT_EQ(f.error, OUZEL_ETLS) << f.message;
    EXPECT_TRUE(Contains(f.message, "the broker requires a client certificate")) << f.message;
  }
  {
    Options o = TlsOptions("tls-cert", kRequireCert);
    Set(o.get(), OUZEL_OPT_TLS_CERT_FILE, certs_->client_cert);
    Set(o.get(), OUZEL_OPT_TLS_KEY_FILE, certs_->client_key);
    auto c = TestClient::Create(o.get(), LoopMode::kExternal);
    ASSERT_TRUE(c);
    ExpectRoundTrip(c.get(), "it/tls/client-cert");
  }
  {
    Options o = TlsOptions("tls-cert-encrypted", kRequireCert);
    Set(o.get(), OUZEL_OPT_TLS_CERT_FILE, certs_->client_cert);
    Set(o.get(), OUZEL_OPT_TLS_KEY_FILE, certs_->client_key_encrypted);
    Set(o.get(), OUZEL_OPT_TLS_KEY_PASSWORD, std::string(TestCertificates::kKeyPassword));
    auto c = TestClient::Create(o.get(), LoopMode::kThread);
    ASSERT_TRUE(c);
    ASSERT_TRUE(ConnectAll({c.get()}));
  }
  {
    // A wrong password is found before any byte is sent: OUZEL_EINVAL, naming the file.
    Options o = TlsOptions("tls-cert-bad-password", kRequireCert);
    Set(o.get(), OUZEL_OPT_TLS_CERT_FILE, certs_->client_cert);
    Set(o.get(), OUZEL_OPT_TLS_KEY_FILE, certs_->client_key_encrypted);
    Set(o.get(), OUZEL_OPT_TLS_KEY_PASSWORD, "not the password");
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = ExpectConnectFailure(c.get());
    EXPECT_EQ(f.error, OUZEL_EINVAL) << f.message;
    EXPECT_TRUE(Contains(f.message, certs_->client_key_encrypted)) << f.message;
  }
}

TEST_F(TlsCapiTest, CaFileThatIsNotPem_EinvalBeforeAnyByteIsSent) {
  Options o = TlsOptions("tls-not-pem");
  const std::string junk = certs_->dir + "/not-a-certificate.pem";
  ASSERT_TRUE(ouzel::fixtures::WriteFile(junk, "this is not PEM\n").ok());
  Set(o.get(), OUZEL_OPT_TLS_CA_FILE, junk);
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  const ConnectFailRecord f = ExpectConnectFailure(c.get());
  EXPECT_EQ(f.error, OUZEL_EINVAL) << f.message;
  EXPECT_TRUE(Contains(f.message, junk)) << f.message;
}

TEST_F(TlsCapiTest, Psk_HexKeyRoundTrip_WrongKeyRefused) {
  const std::string uri = absl::StrCat("mqtts://127.0.0.1:", broker_->psk_port());
  {
    Options o = BaseOptions(0, "tls-psk", OUZEL_MQTT_V311);
    Set(o.get(), OUZEL_OPT_SERVER_URI, uri);
    Set(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, kPskIdentity);
    Set(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX, kPskKeyHex);
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    ExpectRoundTrip(c.get(), "it/tls/psk");
  }
  {
    Options o = BaseOptions(0, "tls-psk-raw-wrong", OUZEL_MQTT_V311);
    Set(o.get(), OUZEL_OPT_SERVER_URI, uri);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
    Set(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, kPskIdentity);
    Set(o.get(), OUZEL_OPT_TLS_PSK_KEY, std::string("\x00\x11\x22\x33", 4));
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    const ConnectFailRecord f = ExpectConnectFailure(c.get());
    EXPECT_EQ(f.error, OUZEL_ETLS) << f.message;
    EXPECT_TRUE(Contains(f.message, "psk_key is not the key it has for identity")) << f.message;
  }
}

// ---- The verification callback ------------------------------------------------------------------

struct VerifyCall {
  int32_t preverified = -1;
  std::string error;
  std::string host;
  std::vector<std::string> chain;  // DER
};

struct VerifyState {
  int32_t verdict = 1;
  std::vector<VerifyCall> calls;  // the loop thread appends; read after the client is done
  int released = 0;
};

int32_t RecordVerify(int32_t preverified, const char* error, const char* host,
                     const uint8_t* const* chain, const size_t* chain_lens, size_t count,
                     void* user_data) {
  auto* state = static_cast<VerifyState*>(user_data);
  VerifyCall call;
  call.preverified = preverified;
  call.error = error;
  call.host = host;
  for (size_t i = 0; i < count; ++i) {
    call.chain.emplace_back(reinterpret_cast<const char*>(chain[i]), chain_lens[i]);
  }
  state->calls.push_back(std::move(call));
  return state->verdict;
}

void ReleaseVerify(void* user_data) { ++static_cast<VerifyState*>(user_data)->released; }

// The DER bytes of the first certificate in a PEM file.
std::string PemToDer(const std::string& path) {
  absl::StatusOr<std::string> pem = ouzel::fixtures::ReadFile(path);
  EXPECT_TRUE(pem.ok()) << pem.status();
  if (!pem.ok()) return "";
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  const size_t b = pem->find(begin);
  const size_t e = pem->find("-----END CERTIFICATE-----");
  if (b == std::string::npos || e == std::string::npos) return "";
  std::string base64 = pem->substr(b + begin.size(), e - b - begin.size());
  std::string der;
  EXPECT_TRUE(absl::Base64Unescape(base64, &der));
  return der;
}

TEST_F(TlsCapiTest, VerifyCallback_AcceptsAnUntrustedServer_SeesVerdictHostAndChain) {
  VerifyState state;
  {
    Options o = TlsOptions("tls-verify-accept");
    Set(o.get(), OUZEL_OPT_TLS_CA_FILE, certs_->other_ca_cert);
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_USE_SYSTEM_CAS, 0), "no system CAs");
    ASSERT_EQ(ouzel_options_set_tls_verify_callback(o.get(), RecordVerify, &state, ReleaseVerify),
              OUZEL_OK);
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    ASSERT_TRUE(ConnectAll({c.get()}));
    o.reset();
    EXPECT_EQ(state.released, 0);  // the client still holds it
  }
  EXPECT_EQ(state.released, 1);
  ASSERT_EQ(state.calls.size(), 1u);
  const VerifyCall& call = state.calls.front();
  EXPECT_EQ(call.preverified, 0);
  EXPECT_TRUE(Contains(call.error, "not among the trusted CAs")) << call.error;
  EXPECT_EQ(call.host, "localhost");
  ASSERT_FALSE(call.chain.empty());
  EXPECT_EQ(call.chain.front(), PemToDer(certs_->server_cert));  // leaf first
}

TEST_F(TlsCapiTest, VerifyCallback_RejectsATrustedServer_Etls) {
  VerifyState state;
  state.verdict = 0;
  Options o = TlsOptions("tls-verify-reject", kGood, "127.0.0.1");
  ASSERT_EQ(ouzel_options_set_tls_verify_callback(o.get(), RecordVerify, &state, ReleaseVerify),
            OUZEL_OK);
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  const ConnectFailRecord f = ExpectConnectFailure(c.get());
  EXPECT_EQ(f.error, OUZEL_ETLS);
  EXPECT_TRUE(Contains(f.message, "the application's callback returned 0 for '127.0.0.1'"))
      << f.message;
  ASSERT_EQ(state.calls.size(), 1u);
  EXPECT_EQ(state.calls.front().preverified, 1);  // Ouzel itself accepted it
  EXPECT_EQ(state.calls.front().error, "");
  EXPECT_EQ(state.calls.front().host, "127.0.0.1");
}

}  // namespace
}  // namespace ouzel_it
