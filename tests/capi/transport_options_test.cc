// The transport options (OUZEL_OPT_TLS_*, _WS_*, _PROXY_*, HANDSHAKE_TIMEOUT_MS) and the TLS
// verification callback's registration, called exactly as a C program would: every value a
// setter accepts, every one it refuses (OUZEL_EINVAL with a message naming the option), that a
// refused value changes nothing, and the checks ouzel_client_new makes across options.
// What the options do on the wire is pinned by tests/integration (TLS, WebSocket, proxy tests).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"

namespace {

struct OptionsDeleter {
  void operator()(ouzel_options* o) const { ouzel_options_free(o); }
};
using Options = std::unique_ptr<ouzel_options, OptionsDeleter>;

Options NewOptions() {
  ouzel_options* o = nullptr;
  EXPECT_EQ(ouzel_options_new(&o), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, "mqtts://127.0.0.1:1", SIZE_MAX),
            OUZEL_OK);
  return Options(o);
}

std::string LastError() { return ouzel_last_error_message(); }

int SetString(ouzel_options* o, int32_t option, const std::string& v) {
  return ouzel_options_set_string(o, option, v.data(), v.size());
}

// ouzel_client_new's verdict on these options (the client is freed at once).
int NewClient(const ouzel_options* o) {
  ouzel_client* c = nullptr;
  const int rc = ouzel_client_new(&c, o);
  ouzel_client_free(c);
  return rc;
}

// A scratch directory with a readable file in it.
class Files {
 public:
  Files() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/topts.XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const char* made = mkdtemp(buf.data());
    EXPECT_NE(made, nullptr);
    dir_ = made != nullptr ? made : "/tmp";
    file_ = dir_ + "/file.pem";
    std::ofstream(file_) << "-----BEGIN CERTIFICATE-----\n";
  }
  ~Files() {
    unlink(file_.c_str());
    rmdir(dir_.c_str());
  }
  const std::string& dir() const { return dir_; }
  const std::string& file() const { return file_; }
  std::string missing() const { return dir_ + "/missing.pem"; }

 private:
  std::string dir_;
  std::string file_;
};

struct IntCase {
  int32_t option;
  const char* name;
  std::vector<int64_t> good;
  std::vector<int64_t> bad;
};

TEST(TransportOptions, IntegerOptions_AcceptTheirRange_RefuseTheRestNamingTheOption) {
  const int64_t kMax = INT32_MAX;
  const std::vector<IntCase> cases = {
      {OUZEL_OPT_TLS_USE_SYSTEM_CAS, "OUZEL_OPT_TLS_USE_SYSTEM_CAS", {0, 1}, {-1, 2}},
      {OUZEL_OPT_TLS_VERIFY_PEER, "OUZEL_OPT_TLS_VERIFY_PEER", {0, 1}, {-1, 2}},
      {OUZEL_OPT_TLS_VERIFY_HOSTNAME, "OUZEL_OPT_TLS_VERIFY_HOSTNAME", {0, 1}, {2, 100}},
      {OUZEL_OPT_TLS_MIN_VERSION,
       "OUZEL_OPT_TLS_MIN_VERSION",
       {0, OUZEL_TLS_V1_0, OUZEL_TLS_V1_1, OUZEL_TLS_V1_2, OUZEL_TLS_V1_3},
       {1, 0x0300, 0x0305, 12}},
      {OUZEL_OPT_TLS_MAX_VERSION,
       "OUZEL_OPT_TLS_MAX_VERSION",
       {0, OUZEL_TLS_V1_2, OUZEL_TLS_V1_3},
       {-1, 0x0300, 0x0400}},
      {OUZEL_OPT_TLS_SESSION_RESUMPTION, "OUZEL_OPT_TLS_SESSION_RESUMPTION", {0, 1}, {3}},
      {OUZEL_OPT_WS_MAX_FRAME_BYTES,
       "OUZEL_OPT_WS_MAX_FRAME_BYTES",
       {1, 125, 65536, kMax},
       {0, -1, kMax + 1}},
      {OUZEL_OPT_WS_MAX_MESSAGE_BYTES,
       "OUZEL_OPT_WS_MAX_MESSAGE_BYTES",
       {0, 1, kMax},
       {-1, kMax + 1}},
      {OUZEL_OPT_PROXY_TYPE,
       "OUZEL_OPT_PROXY_TYPE",
       {OUZEL_PROXY_NONE, OUZEL_PROXY_HTTP, OUZEL_PROXY_SOCKS5},
       {-1, 3}},
      {OUZEL_OPT_PROXY_PORT, "OUZEL_OPT_PROXY_PORT", {0, 1, 3128, 65535}, {-1, 65536}},
      {OUZEL_OPT_PROXY_REMOTE_DNS, "OUZEL_OPT_PROXY_REMOTE_DNS", {0, 1}, {2}},
      {OUZEL_OPT_PROXY_FROM_ENVIRONMENT, "OUZEL_OPT_PROXY_FROM_ENVIRONMENT", {0, 1}, {-5}},
      {OUZEL_OPT_HANDSHAKE_TIMEOUT_MS,
       "OUZEL_OPT_HANDSHAKE_TIMEOUT_MS",
       {1, 30000, kMax},
       {0, -1, kMax + 1}},
  };
  Options o = NewOptions();
  for (const IntCase& c : cases) {
    for (int64_t v : c.good) {
      EXPECT_EQ(ouzel_options_set_int(o.get(), c.option, v), OUZEL_OK)
          << c.name << " = " << v << ": " << LastError();
    }
    for (int64_t v : c.bad) {
      EXPECT_EQ(ouzel_options_set_int(o.get(), c.option, v), OUZEL_EINVAL) << c.name << " = " << v;
      EXPECT_NE(LastError().find(c.name), std::string::npos) << LastError();
    }
  }
  // Leave a proxy-free, consistent configuration behind.
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_TYPE, OUZEL_PROXY_NONE), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
}

TEST(TransportOptions, SslVersions_RefusedAsUnsupported) {
  Options o = NewOptions();
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_MIN_VERSION, 0x0300), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("SSL is not supported"), std::string::npos) << LastError();
  EXPECT_NE(LastError().find("0x300 is not 0 (default) or OUZEL_TLS_V1_0..OUZEL_TLS_V1_3"),
            std::string::npos)
      << LastError();
  // The deprecated versions are there for old brokers, on request.
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_MIN_VERSION, OUZEL_TLS_V1_0), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
}

TEST(TransportOptions, StringOptionOfTheOtherType_Refused) {
  Options o = NewOptions();
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_CA_FILE, 1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_TLS_VERIFY_PEER, "1", SIZE_MAX),
            OUZEL_EINVAL);
  // Unused ids inside the transport ranges are unknown, not silently ignored.
  EXPECT_EQ(ouzel_options_set_int(o.get(), 59, 0), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("unknown integer option 59"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_options_set_string(o.get(), 139, "x", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("unknown string option 139"), std::string::npos) << LastError();
}

TEST(TransportOptions, FileOptions_CheckedWhenSet) {
  Files files;
  Options o = NewOptions();
  for (int32_t option : {OUZEL_OPT_TLS_CA_FILE, OUZEL_OPT_TLS_CERT_FILE, OUZEL_OPT_TLS_KEY_FILE}) {
    EXPECT_EQ(SetString(o.get(), option, files.file()), OUZEL_OK) << LastError();
    EXPECT_EQ(SetString(o.get(), option, files.missing()), OUZEL_EINVAL);
    EXPECT_NE(LastError().find(files.missing()), std::string::npos) << LastError();
    EXPECT_NE(LastError().find("No such file or directory"), std::string::npos) << LastError();
    EXPECT_EQ(SetString(o.get(), option, files.dir()), OUZEL_EINVAL);
    EXPECT_NE(LastError().find("is a directory"), std::string::npos) << LastError();
    EXPECT_EQ(SetString(o.get(), option, std::string("a\0b", 3)), OUZEL_EINVAL);
    EXPECT_NE(LastError().find("NUL"), std::string::npos) << LastError();
  }
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_CA_PATH, files.dir()), OUZEL_OK) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_CA_PATH, files.file()), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_TLS_CA_PATH"), std::string::npos) << LastError();
  EXPECT_NE(LastError().find("cannot open directory"), std::string::npos) << LastError();
  // The refused values above left the good ones in place: the client takes the certificate and
  // key pair as set first.
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  // "" and NULL clear.
  EXPECT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_TLS_CERT_FILE, nullptr, 0), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);  // the key alone now
  EXPECT_NE(LastError().find("OUZEL_OPT_TLS_KEY_FILE is set but OUZEL_OPT_TLS_CERT_FILE is not"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_KEY_FILE, ""), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  // A certificate file alone is fine: the key may follow the certificates in it.
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_CERT_FILE, files.file()), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
}

TEST(TransportOptions, ServerNameCiphersAndKeyPassword) {
  Options o = NewOptions();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_SERVER_NAME, "broker.example"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_SERVER_NAME, "::1"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_SERVER_NAME, ""), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_SERVER_NAME, "two words"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_TLS_SERVER_NAME"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_SERVER_NAME, std::string(256, 'a')), OUZEL_EINVAL);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_CIPHERS, "ECDHE-ECDSA-AES128-GCM-SHA256"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_CIPHERS, std::string("A\0B", 3)), OUZEL_EINVAL);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_KEY_PASSWORD, std::string("p\0w", 3)), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_KEY_PASSWORD, std::string(1025, 'p')), OUZEL_EINVAL);
}

TEST(TransportOptions, AlpnListAndAppend) {
  Options o = NewOptions();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_ALPN, "mqtt"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_ALPN, " x-amzn-mqtt-ca , mqtt "), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_ALPN, ""), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_ALPN, "mqtt,,h2"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("empty protocol name in the list 'mqtt,,h2'"), std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_ALPN, "mqtt," + std::string(256, 'p')), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("256 bytes; ALPN allows 1..255"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_ADD_ALPN, "a,b"), OUZEL_OK);  // one name, comma kept
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_ADD_ALPN, std::string(255, 'p')), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_ADD_ALPN, ""), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_TLS_ADD_ALPN: must not be empty"), std::string::npos)
      << LastError();
}

TEST(TransportOptions, PskKeyRawOrHex_IdentityNeedsKey) {
  Options o = NewOptions();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, "sensor-1"), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_TLS_PSK_IDENTITY is set without a key"), std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX, "00a1B2ff"), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  // Refused keys leave the good one in place.
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX, "abc"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("odd number of hex digits (3)"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX, "00zz"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("the character at offset 2 is not a hex digit"), std::string::npos)
      << LastError();
  // The key's characters are never quoted: a typo would otherwise put part of the key in a log.
  EXPECT_EQ(LastError().find("'z'"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX, std::string(514, 'a')), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_TLS_PSK_KEY_HEX: longer than 512 bytes (514)"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY, std::string(257, 'k')), OUZEL_EINVAL);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  // Raw bytes, NUL included; "" clears, and then the identity lacks its key again.
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY, std::string("\0\1\2", 3)), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY, ""), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);
  // A key without an identity.
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, ""), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX, "0102"), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("a PSK key is set without OUZEL_OPT_TLS_PSK_IDENTITY"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, std::string(129, 'i')), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_TLS_PSK_IDENTITY: longer than 128 bytes (129)"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, std::string("a\0", 2)), OUZEL_EINVAL);
}

TEST(TransportOptions, PskExcludesCertificatesAndTls13) {
  Files files;
  Options o = NewOptions();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_IDENTITY, "sensor-1"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_PSK_KEY_HEX, "0102"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_CERT_FILE, files.file()), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("exclude each other"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_TLS_CERT_FILE, ""), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_MAX_VERSION, OUZEL_TLS_V1_3), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("TLS-PSK works with TLS 1.2 only"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_MAX_VERSION, OUZEL_TLS_V1_2), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
}

TEST(TransportOptions, TlsVersionBoundsCheckedTogether) {
  Options o = NewOptions();
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_MIN_VERSION, OUZEL_TLS_V1_3), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_MAX_VERSION, OUZEL_TLS_V1_2), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_TLS_MIN_VERSION (0x304) is above "
                             "OUZEL_OPT_TLS_MAX_VERSION (0x303)"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_TLS_MAX_VERSION, 0), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
}

TEST(TransportOptions, WebSocketHeaders) {
  Options o = NewOptions();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "Authorization: Bearer abc.def"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "X-Empty:"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "Origin: https://app.example"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "NoColon"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("'NoColon' is not \"Name: value\""), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "Bad Name: x"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("is not an HTTP token"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, ": x"), OUZEL_EINVAL);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "X-Split: a\r\nInjected: 1"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("contains a control character"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "X-Bell: a\ab"), OUZEL_EINVAL);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "X-Tab: a\tb"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "host: elsewhere"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "connection: keep-alive"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("written by Ouzel's WebSocket handshake"), std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "Sec-WebSocket-Accept: x"), OUZEL_EINVAL);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, "Sec-WebSocket-Protocol: mqttv3.1"),
            OUZEL_EINVAL);
  EXPECT_NE(LastError().find("use OUZEL_OPT_WS_SUBPROTOCOL"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_WS_ADD_HEADER, nullptr, 0), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_ADD_HEADER, ""), OUZEL_EINVAL);

  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_SUBPROTOCOL, "mqttv3.1"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_SUBPROTOCOL, ""), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_WS_SUBPROTOCOL, nullptr, 0), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_WS_SUBPROTOCOL, "mqtt v5"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_WS_SUBPROTOCOL"), std::string::npos) << LastError();
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
}

TEST(TransportOptions, ProxyFieldsCheckedTogether) {
  Options o = NewOptions();
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_TYPE, OUZEL_PROXY_SOCKS5), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_PROXY_TYPE is set but OUZEL_OPT_PROXY_HOST is not"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_HOST, "[::1]"), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_HOST, "proxy host"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_PROXY_HOST"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_USERNAME, "a:b"), OUZEL_OK);  // fine for SOCKS5
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_PASSWORD, std::string("p\0w", 3)), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PROXY_TYPE, OUZEL_PROXY_HTTP), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);  // Basic authentication cannot carry the ':'
  EXPECT_NE(LastError().find("cannot contain ':'"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_USERNAME, std::string(256, 'u')), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_PROXY_USERNAME: longer than 255 bytes"), std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_PASSWORD, std::string(256, 'p')), OUZEL_EINVAL);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_USERNAME, "user"), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_USERNAME, ""), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_EINVAL);  // the password is still set
  EXPECT_NE(LastError().find("OUZEL_OPT_PROXY_PASSWORD is set without OUZEL_OPT_PROXY_USERNAME"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_PASSWORD, ""), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
  // "" and NULL as the proxy URI mean "no proxy".
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_URI, ""), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_PROXY_URI, nullptr, 0), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
}

// --- The verification callback's registration (what it decides is in the TLS integration test)

int32_t AcceptAll(int32_t, const char*, const char*, const uint8_t* const*, const size_t*, size_t,
                  void*) {
  return 1;
}

void CountRelease(void* user_data) { ++*static_cast<int*>(user_data); }

TEST(TlsVerifyCallback, ReleaseRunsOnceAfterTheLastCopyIsGone) {
  int first = 0;
  int second = 0;
  Options o = NewOptions();
  EXPECT_EQ(ouzel_options_set_tls_verify_callback(nullptr, AcceptAll, &first, CountRelease),
            OUZEL_EINVAL);
  EXPECT_EQ(first, 0);  // a failed call keeps nothing and releases nothing

  ASSERT_EQ(ouzel_options_set_tls_verify_callback(o.get(), AcceptAll, &first, CountRelease),
            OUZEL_OK);
  ouzel_client* client = nullptr;
  ASSERT_EQ(ouzel_client_new(&client, o.get()), OUZEL_OK);
  // Replaced on the options, but the client's copy may still call it.
  ASSERT_EQ(ouzel_options_set_tls_verify_callback(o.get(), AcceptAll, &second, CountRelease),
            OUZEL_OK);
  EXPECT_EQ(first, 0);
  ouzel_client_free(client);
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 0);
  // Removing it releases the current one; a NULL callback's own release runs at once.
  int third = 0;
  ASSERT_EQ(ouzel_options_set_tls_verify_callback(o.get(), nullptr, &third, CountRelease),
            OUZEL_OK);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(third, 1);
  o.reset();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
}

TEST(TlsVerifyCallback, FreeingTheOptionsReleases) {
  int released = 0;
  {
    Options o = NewOptions();
    ASSERT_EQ(ouzel_options_set_tls_verify_callback(o.get(), AcceptAll, &released, CountRelease),
              OUZEL_OK);
    EXPECT_EQ(released, 0);
  }
  EXPECT_EQ(released, 1);
}

TEST(TransportOptions, ProxyUri_ParsedWhenSet) {
  Options o = NewOptions();
  for (const char* uri : {"http://127.0.0.1:3128", "http://user:p%40ss@proxy.example",
                          "socks5://[::1]:1081", "socks5h://user:pw@localhost", "proxy:8080"}) {
    EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_URI, uri), OUZEL_OK) << uri << ": " << LastError();
    EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << uri << ": " << LastError();
  }
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_URI, "https://proxy.example"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("OUZEL_OPT_PROXY_URI: https:// proxies are not supported"),
            std::string::npos)
      << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_URI, "socks4://proxy.example"), OUZEL_EINVAL);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_URI, "http://proxy.example/path"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("has a path, query or fragment"), std::string::npos) << LastError();
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_URI, "http://:secret@proxy.example"), OUZEL_EINVAL);
  EXPECT_EQ(LastError().find("secret"), std::string::npos) << "password shown: " << LastError();
  // A URI with a user name, then one without: the credentials go with the URI.
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_URI, "http://u:p@127.0.0.1:1"), OUZEL_OK);
  EXPECT_EQ(SetString(o.get(), OUZEL_OPT_PROXY_URI, "http://127.0.0.1:2"), OUZEL_OK);
  EXPECT_EQ(NewClient(o.get()), OUZEL_OK) << LastError();
}

}  // namespace
