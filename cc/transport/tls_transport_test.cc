// TlsTransport against a REAL Mosquitto broker (TLS and TLS-PSK listeners from tests/fixtures,
// certificates made by openssl for the test): verification and each of its failures, client
// certificates, PSK, versions, the files TlsOptions name, session resumption, and TLS over an
// inner transport that moves one byte at a time (a test double for fragmentation).
#include "cc/transport/tls_transport.h"

#include <poll.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/transport/socket_transport.h"
#include "cc/transport/transport.h"
#include "cc/transport/transport_error.h"
#include "gtest/gtest.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/fixture_util.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

using fixtures::MosquittoBroker;
using fixtures::TestCertificates;

constexpr absl::Duration kTimeout = absl::Seconds(10);
constexpr char kPskIdentity[] = "ouzel-psk-client";
// 16 bytes; the broker's psk_file has them as hex.
constexpr char kPskKeyHex[] = "00112233445566778899aabbccddeeff";

std::string Unhex(absl::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Listener indexes in the broker below.
enum Listener : size_t {
  kGood = 0,         // server.crt for localhost / 127.0.0.1 / ::1
  kExpired = 1,      // expired-server.crt
  kWrongHost = 2,    // wrong-host-server.crt (DNS:wrong-host.invalid only)
  kRequireCert = 3,  // server.crt, require_certificate true
};

class TlsTransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<TestCertificates> certs = TestCertificates::Generate();
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = new TestCertificates(*certs);
    auto listener = [](const std::string& cert, const std::string& key) {
      MosquittoBroker::TlsListener l;
      l.cafile = certs_->ca_cert;
      l.certfile = cert;
      l.keyfile = key;
      return l;
    };
    MosquittoBroker::Options o;
    o.tls.push_back(listener(certs_->server_cert, certs_->server_key));
    o.tls.push_back(listener(certs_->expired_server_cert, certs_->expired_server_key));
    o.tls.push_back(listener(certs_->wrong_host_server_cert, certs_->wrong_host_server_key));
    o.tls.push_back(listener(certs_->server_cert, certs_->server_key));
    o.tls.back().require_certificate = true;
    MosquittoBroker::PskListener psk;
    psk.identities = {{kPskIdentity, kPskKeyHex}};
    o.psk = psk;
    absl::StatusOr<std::unique_ptr<MosquittoBroker>> b = MosquittoBroker::Start(o);
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

  static std::string Uri(Listener l, absl::string_view host = "localhost") {
    return absl::StrCat("mqtts://", host, ":", broker_->tls_ports()[l]);
  }
  static TransportOptions Trusting() {
    TransportOptions o;
    o.tls.ca_file = certs_->ca_cert;
    return o;
  }

  static MosquittoBroker* broker_;
  static TestCertificates* certs_;
};
MosquittoBroker* TlsTransportTest::broker_ = nullptr;
TestCertificates* TlsTransportTest::certs_ = nullptr;

// Waits for `t`'s descriptor to be ready for what it (or the caller) wants; false on timeout.
bool WaitReady(Transport& t, bool want_write, absl::Time deadline) {
  if (t.HasBufferedInput()) return true;
  pollfd p{t.fd(), 0, 0};
  if (WantsRead(t.interest())) p.events |= POLLIN;
  if (want_write || WantsWrite(t.interest())) p.events |= POLLOUT;
  int ms =
      static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now())));
  return poll(&p, 1, std::min(ms, 200)) >= 0 && absl::Now() < deadline;
}

struct Opened {
  std::unique_ptr<Transport> transport;
  absl::Status status;
};

// Creates and connects a transport the way the client's loop does (poll on fd() for interest(),
// ContinueConnect on readiness or at NextTimeout).
Opened Open(
    const std::string& uri, const TransportOptions& options,
    std::shared_ptr<TlsSessionCache> sessions = nullptr,
    std::function<std::unique_ptr<Transport>(std::unique_ptr<Transport>)> wrap_inner = nullptr) {
  Opened out;
  absl::StatusOr<ServerAddress> address = ServerAddress::Parse(uri);
  if (!address.ok()) {
    out.status = address.status();
    return out;
  }
  TransportContext context{*Waker::Create(), nullptr, std::move(sessions)};
  absl::StatusOr<std::unique_ptr<Transport>> t;
  if (wrap_inner) {
    ServerAddress tcp = *address;
    tcp.scheme = Scheme::kMqtt;
    t = CreateTlsTransport(wrap_inner(std::make_unique<SocketTransport>(tcp, options, context)),
                           *address, options, context);
  } else {
    t = CreateTransport(*address, options, context);
  }
  if (!t.ok()) {
    out.status = t.status();
    return out;
  }
  out.transport = std::move(*t);
  absl::Time start = absl::Now();
  out.status = out.transport->StartConnect(start, start + kTimeout);
  while (out.status.ok()) {
    absl::StatusOr<bool> r = out.transport->ContinueConnect(absl::Now());
    if (!r.ok()) {
      out.status = r.status();
      break;
    }
    if (*r) break;
    if (absl::Now() > start + kTimeout + absl::Seconds(5)) {
      out.status = absl::InternalError("the transport overran its deadline");
      break;
    }
    if (out.transport->fd() >= 0) WaitReady(*out.transport, false, start + kTimeout);
  }
  return out;
}

// Sends all of `bytes` and reads until `expect` bytes came back (or an error, or the timeout).
absl::StatusOr<std::string> Exchange(Transport& t, const std::string& bytes, size_t expect) {
  absl::Time deadline = absl::Now() + kTimeout;
  size_t sent = 0;
  std::string got;
  while (absl::Now() < deadline) {
    if (WantsWrite(t.interest())) {
      absl::Status f = t.Flush();
      if (!f.ok()) return f;
    }
    if (sent < bytes.size()) {
      absl::StatusOr<size_t> w = t.Write(absl::MakeConstSpan(
          reinterpret_cast<const uint8_t*>(bytes.data()) + sent, bytes.size() - sent));
      if (!w.ok()) return w.status();
      sent += *w;
    }
    uint8_t buf[4096];
    absl::StatusOr<size_t> r = t.Read(absl::MakeSpan(buf));
    if (!r.ok()) return r.status();
    got.append(reinterpret_cast<char*>(buf), *r);
    if (sent == bytes.size() && got.size() >= expect && !WantsWrite(t.interest())) return got;
    if (*r == 0) WaitReady(t, sent < bytes.size(), deadline);
  }
  return absl::DeadlineExceededError(
      absl::StrCat("sent ", sent, "/", bytes.size(), ", got ", got.size(), "/", expect, " bytes"));
}

// An MQTT 3.1.1 CONNECT (clean session, keep alive 60) and the CONNACK that accepts it.
std::string Connect(absl::string_view client_id) {
  std::string v = std::string("\x00\x04MQTT\x04\x02\x00\x3c", 10);
  std::string p =
      std::string(1, '\0') + static_cast<char>(client_id.size()) + std::string(client_id);
  return absl::StrCat(std::string(1, '\x10'),
                      std::string(1, static_cast<char>(v.size() + p.size())), v, p);
}
const std::string kConnackAccepted("\x20\x02\x00\x00", 4);

// Connects at the TLS level, then speaks MQTT: CONNECT must come back as an accepting CONNACK.
void ExpectMqttWorks(const Opened& o, absl::string_view id) {
  ASSERT_TRUE(o.status.ok()) << o.status;
  absl::StatusOr<std::string> r = Exchange(*o.transport, Connect(id), kConnackAccepted.size());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, kConnackAccepted);
}

void ExpectTlsFailure(const absl::Status& s, std::vector<std::string> fragments) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(FailedTransportLayer(s), TransportLayer::kTls) << s;
  for (const std::string& f : fragments) {
    EXPECT_NE(s.message().find(f), absl::string_view::npos) << "'" << f << "' not in: " << s;
  }
}

// --- Success --------------------------------------------------------------------------------

TEST_F(TlsTransportTest, VerifiedConnectionCarriesMqtt) {
  Opened o = Open(Uri(kGood), Trusting());
  ExpectMqttWorks(o, "tls-basic");
  EXPECT_NE(o.transport->Describe().find("TLSv1.3"), std::string::npos) << o.transport->Describe();
  EXPECT_NE(o.transport->Describe().find("over tcp 127.0.0.1:"), std::string::npos);
}

TEST_F(TlsTransportTest, IpLiteralIsMatchedAgainstTheIpSubjectAltName) {
  ExpectMqttWorks(Open(Uri(kGood, "127.0.0.1"), Trusting()), "tls-ip");
}

TEST_F(TlsTransportTest, CaPathDirectoryIsATrustAnchorSource) {
  // c_rehash layout: <subject hash>.0 -> the CA. The hash comes from openssl itself.
  const std::string dir = certs_->dir + "/ca-dir";
  absl::StatusOr<std::string> ca = fixtures::ReadFile(certs_->ca_cert);
  ASSERT_TRUE(ca.ok()) << ca.status();
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  ASSERT_TRUE(fixtures::WriteFile(dir + "/ca.pem", *ca).ok());
  absl::StatusOr<std::string> openssl = fixtures::FindExecutable("openssl");
  ASSERT_TRUE(openssl.ok()) << openssl.status();
  absl::StatusOr<fixtures::CommandResult> rehash = fixtures::RunCommand({*openssl, "rehash", dir});
  ASSERT_TRUE(rehash.ok() && rehash->exit_code == 0) << rehash.status();
  TransportOptions o;
  o.tls.ca_path = dir;
  ExpectMqttWorks(Open(Uri(kGood), o), "tls-capath");
}

TEST_F(TlsTransportTest, MaxVersionTls12IsHonoured) {
  TransportOptions o = Trusting();
  o.tls.max_version = 0x0303;
  Opened c = Open(Uri(kGood), o);
  ExpectMqttWorks(c, "tls-12");
  EXPECT_NE(c.transport->Describe().find("TLSv1.2"), std::string::npos) << c.transport->Describe();
}

TEST_F(TlsTransportTest, CipherListLimitsTls12Suites) {
  TransportOptions o = Trusting();
  o.tls.max_version = 0x0303;
  o.tls.cipher_list = "ECDHE-ECDSA-CHACHA20-POLY1305";
  Opened c = Open(Uri(kGood), o);
  ExpectMqttWorks(c, "tls-cipher");
  EXPECT_NE(c.transport->Describe().find("CHACHA20_POLY1305"), std::string::npos)
      << c.transport->Describe();
}

TEST_F(TlsTransportTest, AlpnIsOfferedWithoutBreakingABrokerThatIgnoresIt) {
  TransportOptions o = Trusting();
  o.tls.alpn = {"mqtt", "x-ouzel"};
  ExpectMqttWorks(Open(Uri(kGood), o), "tls-alpn");
}

// --- Verification failures, each with its own reason ------------------------------------------

TEST_F(TlsTransportTest, UnknownCaFailsNamingTheIssuerAndTheTrustSource) {
  TransportOptions o;
  o.tls.ca_file = certs_->other_ca_cert;
  Opened c = Open(Uri(kGood), o);
  EXPECT_EQ(c.status.code(), absl::StatusCode::kUnavailable);
  // Mosquitto's OpenSSL sends the CA with the server certificate, so BoringSSL's own words are
  // "self signed certificate in certificate chain"; a server sending only its own certificate
  // gets "unable to get local issuer certificate". Either way the message says "unknown CA".
  ExpectTlsFailure(c.status, {"certificate verification failed", "unknown CA",
                              "leads to CN=Ouzel Test CA, which is not among the trusted CAs",
                              "ca_file '" + certs_->other_ca_cert + "'"});
}

TEST_F(TlsTransportTest, SystemCasAreTheDefaultAndDoNotTrustATestCa) {
  Opened c = Open(Uri(kGood), TransportOptions());
  ExpectTlsFailure(c.status, {"unknown CA", "the system CAs"});
}

TEST_F(TlsTransportTest, WrongHostNameFailsNamingBothNames) {
  Opened c = Open(Uri(kWrongHost), Trusting());
  ExpectTlsFailure(c.status, {"host name mismatch", "DNS:wrong-host.invalid", "not localhost"});
}

TEST_F(TlsTransportTest, IpLiteralNotInTheCertificateFailsAsIpMismatch) {
  Opened c = Open(Uri(kWrongHost, "127.0.0.1"), Trusting());
  ExpectTlsFailure(c.status, {"host name mismatch", "not IP address 127.0.0.1"});
}

TEST_F(TlsTransportTest, ExpiredServerCertificateFails) {
  Opened c = Open(Uri(kExpired), Trusting());
  ExpectTlsFailure(c.status, {"certificate has expired", "CN=localhost", "2020"});
}

TEST_F(TlsTransportTest, ServerNameOverrideIsCheckedInsteadOfTheUriHost) {
  TransportOptions o = Trusting();
  o.tls.server_name = "wrong-host.invalid";
  ExpectMqttWorks(Open(Uri(kWrongHost, "127.0.0.1"), o), "tls-sni");
}

TEST_F(TlsTransportTest, VerifyHostnameOffSkipsOnlyTheNameCheck) {
  TransportOptions o = Trusting();
  o.tls.verify_hostname = false;
  ExpectMqttWorks(Open(Uri(kWrongHost), o), "tls-noname");
  o.tls.ca_file = certs_->other_ca_cert;
  ExpectTlsFailure(Open(Uri(kWrongHost), o).status, {"unknown CA"});
}

TEST_F(TlsTransportTest, InsecureOptOutAcceptsAnyCertificate) {
  TransportOptions o;
  o.tls.verify_peer = false;
  o.tls.ca_file = certs_->other_ca_cert;
  ExpectMqttWorks(Open(Uri(kWrongHost), o), "tls-insecure");
  ExpectMqttWorks(Open(Uri(kExpired), o), "tls-insecure-expired");
}

TEST_F(TlsTransportTest, VerifyCallbackSeesTheVerdictAndCanOverruleIt) {
  std::vector<TlsVerifyInfo> seen;
  TransportOptions o;
  o.tls.ca_file = certs_->other_ca_cert;  // the library rejects the chain
  o.tls.verify_callback = [&seen](const TlsVerifyInfo& info) {
    seen.push_back(info);
    return absl::OkStatus();
  };
  ExpectMqttWorks(Open(Uri(kGood), o), "tls-callback-accepts");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].host, "localhost");
  EXPECT_FALSE(seen[0].preverified);
  EXPECT_NE(seen[0].error.find("unknown CA"), std::string::npos) << seen[0].error;
  ASSERT_GE(seen[0].chain_der.size(), 1u);
  // The leaf is the server certificate (DER starts with a SEQUENCE).
  EXPECT_EQ(static_cast<uint8_t>(seen[0].chain_der[0][0]), 0x30);
}

TEST_F(TlsTransportTest, VerifyCallbackCanRejectAChainTheLibraryAccepts) {
  int calls = 0;
  TransportOptions o = Trusting();
  o.tls.verify_callback = [&calls](const TlsVerifyInfo& info) {
    ++calls;
    EXPECT_TRUE(info.preverified) << info.error;
    EXPECT_TRUE(info.error.empty());
    return absl::PermissionDeniedError("certificate not pinned");
  };
  Opened c = Open(Uri(kGood), o);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(c.status.code(), absl::StatusCode::kPermissionDenied);
  ExpectTlsFailure(c.status, {"verify_callback rejected", "certificate not pinned"});
}

// --- Client certificates --------------------------------------------------------------------

TEST_F(TlsTransportTest, RequiredClientCertificateIsSent) {
  TransportOptions o = Trusting();
  o.tls.cert_file = certs_->client_cert;
  o.tls.key_file = certs_->client_key;
  ExpectMqttWorks(Open(Uri(kRequireCert), o), "tls-client-cert");
}

TEST_F(TlsTransportTest, EncryptedClientKeyOpensWithItsPassword) {
  TransportOptions o = Trusting();
  o.tls.cert_file = certs_->client_cert;
  o.tls.key_file = certs_->client_key_encrypted;
  o.tls.key_password = std::string(TestCertificates::kKeyPassword);
  ExpectMqttWorks(Open(Uri(kRequireCert), o), "tls-client-cert-encrypted");
}

TEST_F(TlsTransportTest, MissingClientCertificateIsReportedFromTheBrokersAlert) {
  // TLS 1.3: the client's handshake ends before the broker checks the certificate, so the alert
  // arrives as the first thing read.
  Opened c = Open(Uri(kRequireCert), Trusting());
  ASSERT_TRUE(c.status.ok()) << c.status;
  absl::StatusOr<std::string> r = Exchange(*c.transport, Connect("tls-no-cert"), 4);
  ExpectTlsFailure(r.status(), {"requires a client certificate", "certificate required",
                                "set cert_file and key_file"});
}

TEST_F(TlsTransportTest, MissingClientCertificateUnderTls12FailsTheHandshake) {
  // TLS 1.2: the broker refuses before its Finished, so the handshake itself fails.
  TransportOptions o = Trusting();
  o.tls.max_version = 0x0303;
  Opened c = Open(Uri(kRequireCert), o);
  ExpectTlsFailure(c.status, {"handshake", "requires a client certificate"});
}

// --- Versions -------------------------------------------------------------------------------

TEST_F(TlsTransportTest, NoCommonVersionIsNamed) {
  // Mosquitto accepts TLS 1.2 and 1.3 only. OpenSSL 3 answers with a generic alert (internal
  // error), so the message names the client's own limits as the suspect.
  TransportOptions o = Trusting();
  o.tls.min_version = 0x0301;
  o.tls.max_version = 0x0302;
  Opened c = Open(Uri(kGood), o);
  ExpectTlsFailure(c.status, {"alert", "offers only TLS 1.0 to TLS 1.1 (min_version/max_version)"});
}

// --- PSK ------------------------------------------------------------------------------------

TEST_F(TlsTransportTest, PskConnects) {
  TransportOptions o;
  o.tls.psk_identity = kPskIdentity;
  o.tls.psk_key = Unhex(kPskKeyHex);
  Opened c = Open(absl::StrCat("mqtts://127.0.0.1:", broker_->psk_port()), o);
  ExpectMqttWorks(c, "tls-psk");
  EXPECT_NE(c.transport->Describe().find("PSK"), std::string::npos) << c.transport->Describe();
}

TEST_F(TlsTransportTest, WrongPskKeyFailsSayingSo) {
  TransportOptions o;
  o.tls.psk_identity = kPskIdentity;
  o.tls.psk_key = Unhex("ffeeddccbbaa99887766554433221100");
  Opened c = Open(absl::StrCat("mqtts://127.0.0.1:", broker_->psk_port()), o);
  ExpectTlsFailure(c.status, {"psk_key", kPskIdentity});
}

TEST_F(TlsTransportTest, UnknownPskIdentityFailsNamingIt) {
  TransportOptions o;
  o.tls.psk_identity = "nobody";
  o.tls.psk_key = Unhex(kPskKeyHex);
  Opened c = Open(absl::StrCat("mqtts://127.0.0.1:", broker_->psk_port()), o);
  ExpectTlsFailure(c.status, {"nobody"});
}

// --- Not TLS at all -------------------------------------------------------------------------

TEST_F(TlsTransportTest, PlainMqttPortIsNotMistakenForTls) {
  Opened c = Open(absl::StrCat("mqtts://127.0.0.1:", broker_->port()), Trusting());
  ExpectTlsFailure(c.status, {"TLS listener"});
}

// --- Files and values: InvalidArgument before any I/O ---------------------------------------

absl::Status CreateOnly(const TransportOptions& o) {
  absl::StatusOr<ServerAddress> a = ServerAddress::Parse("mqtts://127.0.0.1:1");
  auto t = CreateTransport(*a, o, TransportContext{*Waker::Create(), nullptr, nullptr});
  return t.status();
}

void ExpectInvalid(const absl::Status& s, const std::string& fragment) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find(fragment), absl::string_view::npos)
      << "'" << fragment << "' not in " << s;
}

TEST_F(TlsTransportTest, BadFilesAndValuesAreInvalidArgumentEachWithItsReason) {
  const std::string garbage = certs_->dir + "/garbage.pem";
  std::ofstream(garbage) << "not a certificate\n";
  TransportOptions o;

  o.tls.ca_file = certs_->dir + "/missing.pem";
  ExpectInvalid(CreateOnly(o),
                "cannot read ca_file '" + o.tls.ca_file + "': No such file or directory");
  o.tls.ca_file = garbage;
  ExpectInvalid(CreateOnly(o), "ca_file '" + garbage + "' holds no PEM certificate");
  o.tls.ca_file = certs_->dir;
  ExpectInvalid(CreateOnly(o), "is not a regular file");
  o = TransportOptions();
  o.tls.ca_path = certs_->dir + "/no-such-dir";
  ExpectInvalid(CreateOnly(o), "ca_path");

  o = Trusting();
  o.tls.cert_file = certs_->client_cert;
  o.tls.key_file = certs_->client_key_encrypted;
  ExpectInvalid(CreateOnly(o), "is encrypted: set key_password");
  o.tls.key_password = "not the password";
  ExpectInvalid(CreateOnly(o), "wrong key_password for key_file '" + o.tls.key_file + "'");
  o.tls.key_file = certs_->server_key;
  o.tls.key_password.clear();
  ExpectInvalid(CreateOnly(o), "does not belong to the certificate");
  o.tls.key_file = garbage;
  ExpectInvalid(CreateOnly(o), "holds no PEM private key");
  o.tls.cert_file = garbage;
  ExpectInvalid(CreateOnly(o), "cert_file '" + garbage + "' holds no PEM certificate");
  o.tls.cert_file.clear();
  o.tls.key_file = certs_->client_key;
  ExpectInvalid(CreateOnly(o), "key_file is set but cert_file is empty");

  o = Trusting();
  o.tls.cipher_list = "NOT-A-CIPHER";
  ExpectInvalid(CreateOnly(o), "cipher_list 'NOT-A-CIPHER'");
  o = Trusting();
  o.tls.min_version = 0x0304;
  o.tls.max_version = 0x0303;
  ExpectInvalid(CreateOnly(o), "min_version TLS 1.3 is above max_version TLS 1.2");
  o.tls.min_version = 0x0305;
  ExpectInvalid(CreateOnly(o), "is not a TLS version");

  o = TransportOptions();
  o.tls.psk_identity = "id";
  ExpectInvalid(CreateOnly(o), "psk_key is empty");
  o.tls.psk_key = "k";
  o.tls.cert_file = certs_->client_cert;
  ExpectInvalid(CreateOnly(o), "mutually exclusive");
  o.tls.cert_file.clear();
  o.tls.max_version = 0x0304;
  ExpectInvalid(CreateOnly(o), "TLS-PSK needs TLS 1.2");
}

// --- Session resumption ---------------------------------------------------------------------

TEST_F(TlsTransportTest, ReconnectResumesTheSession) {
  for (uint16_t version : {uint16_t{0x0304}, uint16_t{0x0303}}) {
    SCOPED_TRACE(version);
    auto cache = std::make_shared<TlsSessionCache>();
    TransportOptions o = Trusting();
    o.tls.max_version = version;
    {
      // MQTT traffic makes the client read what follows the handshake (TLS 1.3 tickets).
      Opened first = Open(Uri(kGood), o, cache);
      ExpectMqttWorks(first, "tls-resume-1");
      EXPECT_EQ(first.transport->Describe().find("resumed"), std::string::npos);
    }
    EXPECT_EQ(cache->offered(), 0u);
    Opened second = Open(Uri(kGood), o, cache);
    ExpectMqttWorks(second, "tls-resume-2");
    EXPECT_NE(second.transport->Describe().find("resumed"), std::string::npos)
        << second.transport->Describe();
    EXPECT_EQ(cache->offered(), 1u);
    EXPECT_EQ(cache->resumed(), 1u);
  }
}

TEST_F(TlsTransportTest, SessionsAreNotSharedAcrossDifferentVerificationSettings) {
  auto cache = std::make_shared<TlsSessionCache>();
  TransportOptions insecure;
  insecure.tls.verify_peer = false;
  ExpectMqttWorks(Open(Uri(kGood), insecure, cache), "tls-key-1");
  // A verified connection must not resume what an unverified one negotiated.
  Opened c = Open(Uri(kGood), Trusting(), cache);
  ExpectMqttWorks(c, "tls-key-2");
  EXPECT_EQ(cache->offered(), 0u);
}

TEST_F(TlsTransportTest, ContextIsReusedUntilAFileItReadChanges) {
  auto cache = std::make_shared<TlsSessionCache>();
  const std::string ca = certs_->dir + "/rotating-ca.pem";
  absl::StatusOr<std::string> good = fixtures::ReadFile(certs_->ca_cert);
  absl::StatusOr<std::string> other = fixtures::ReadFile(certs_->other_ca_cert);
  ASSERT_TRUE(good.ok() && other.ok());
  ASSERT_TRUE(fixtures::WriteFile(ca, *good).ok());
  TransportOptions o;
  o.tls.ca_file = ca;
  o.tls.session_resumption = false;
  ExpectMqttWorks(Open(Uri(kGood), o, cache), "tls-ctx-1");
  ExpectMqttWorks(Open(Uri(kGood), o, cache), "tls-ctx-2");
  EXPECT_EQ(cache->contexts_built(), 1u);
  EXPECT_EQ(cache->contexts_reused(), 1u);
  // The bundle is replaced on disk: the next connection reads it again (and now distrusts the
  // broker), and the one after that sees the original again.
  ASSERT_TRUE(fixtures::WriteFile(ca, *other + "\n").ok());
  ExpectTlsFailure(Open(Uri(kGood), o, cache).status, {"unknown CA"});
  EXPECT_EQ(cache->contexts_built(), 2u);
  ASSERT_TRUE(fixtures::WriteFile(ca, *good).ok());
  ExpectMqttWorks(Open(Uri(kGood), o, cache), "tls-ctx-3");
  EXPECT_EQ(cache->contexts_built(), 3u);
  EXPECT_EQ(cache->contexts_reused(), 1u);
  EXPECT_EQ(cache->offered(), 0u);
}

TEST_F(TlsTransportTest, ResumptionOffKeepsNothing) {
  auto cache = std::make_shared<TlsSessionCache>();
  TransportOptions o = Trusting();
  o.tls.session_resumption = false;
  ExpectMqttWorks(Open(Uri(kGood), o, cache), "tls-noresume-1");
  ExpectMqttWorks(Open(Uri(kGood), o, cache), "tls-noresume-2");
  EXPECT_EQ(cache->offered(), 0u);
  EXPECT_EQ(cache->resumed(), 0u);
}

// --- Fragmentation ----------------------------------------------------------------------------

// Test double for fault injection: passes at most one byte per Read and Write to the real socket
// transport below it, as a slow or pathological network would.
class OneByteAtATime : public Transport {
 public:
  explicit OneByteAtATime(std::unique_ptr<Transport> inner) : inner_(std::move(inner)) {}
  absl::Status StartConnect(absl::Time now, absl::Time deadline) override {
    return inner_->StartConnect(now, deadline);
  }
  absl::StatusOr<bool> ContinueConnect(absl::Time now) override {
    return inner_->ContinueConnect(now);
  }
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> b) override {
    ++reads_;
    return inner_->Read(b.subspan(0, 1));
  }
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> d) override {
    ++writes_;
    return inner_->Write(d.subspan(0, 1));
  }
  void Close() override { inner_->Close(); }
  int fd() const override { return inner_->fd(); }
  IoInterest interest() const override { return inner_->interest(); }
  std::optional<absl::Time> NextTimeout() const override { return inner_->NextTimeout(); }
  std::string Describe() const override { return "one-byte " + inner_->Describe(); }

  static int reads_;
  static int writes_;

 private:
  std::unique_ptr<Transport> inner_;
};
int OneByteAtATime::reads_ = 0;
int OneByteAtATime::writes_ = 0;

TEST_F(TlsTransportTest, HandshakeAndRecordsSurviveOneByteReadsAndWrites) {
  OneByteAtATime::reads_ = OneByteAtATime::writes_ = 0;
  Opened c = Open(Uri(kGood), Trusting(), nullptr, [](std::unique_ptr<Transport> inner) {
    return std::make_unique<OneByteAtATime>(std::move(inner));
  });
  ExpectMqttWorks(c, "tls-one-byte");
  // Hundreds of bytes of handshake each way went through one at a time.
  EXPECT_GT(OneByteAtATime::reads_, 300);
  EXPECT_GT(OneByteAtATime::writes_, 100);
}

}  // namespace
}  // namespace ouzel
