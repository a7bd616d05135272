#include "cc/transport/websocket_handshake.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace websocket {
namespace {

using ::testing::HasSubstr;

// RFC 6455 1.3's example key and the accept value it gives.
constexpr char kRfcKey[] = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr char kRfcAccept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

absl::Span<const uint8_t> Span(absl::string_view s) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

ServerAddress Parse(absl::string_view uri) {
  absl::StatusOr<ServerAddress> a = ServerAddress::Parse(uri);
  EXPECT_TRUE(a.ok()) << a.status();
  return a.ok() ? *a : ServerAddress();
}

std::string GoodReply(absl::string_view accept = kRfcAccept) {
  return absl::StrCat(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: ",
      accept, "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n");
}

struct Parsed {
  absl::Status status;
  bool done = false;
  UpgradeResponse response;
  std::string rest;  // bytes left after the head
};

Parsed ParseInChunks(absl::string_view bytes, size_t chunk,
                     size_t max = UpgradeResponseParser::kDefaultMaxBytes) {
  UpgradeResponseParser parser(max);
  Parsed out;
  for (size_t pos = 0; pos < bytes.size(); pos += chunk) {
    absl::Span<const uint8_t> in = Span(bytes.substr(pos, chunk));
    absl::StatusOr<bool> done = parser.Feed(&in);
    if (!done.ok()) {
      out.status = done.status();
      return out;
    }
    if (*done) {
      out.done = true;
      out.rest =
          absl::StrCat(absl::string_view(reinterpret_cast<const char*>(in.data()), in.size()),
                       bytes.substr(std::min(bytes.size(), pos + chunk)));
      break;
    }
    EXPECT_TRUE(in.empty());
  }
  out.response = parser.response();
  return out;
}

// Parses whole, in 7-byte pieces and byte by byte; all must agree.
Parsed ParseEveryWay(absl::string_view bytes) {
  Parsed whole = ParseInChunks(bytes, bytes.size() + 1);
  for (size_t chunk : {1, 7}) {
    Parsed split = ParseInChunks(bytes, chunk);
    EXPECT_EQ(split.status, whole.status) << "chunk " << chunk;
    EXPECT_EQ(split.done, whole.done) << "chunk " << chunk;
    EXPECT_EQ(split.rest, whole.rest) << "chunk " << chunk;
    EXPECT_EQ(split.response.headers, whole.response.headers) << "chunk " << chunk;
  }
  return whole;
}

absl::Status Check(absl::string_view reply, absl::string_view key = kRfcKey,
                   WebSocketOptions options = {}) {
  Parsed p = ParseEveryWay(reply);
  if (!p.status.ok()) return p.status;
  EXPECT_TRUE(p.done);
  return CheckUpgradeResponse(p.response, key, options);
}

// ---- Keys ----

TEST(WebSocketHandshakeTest, Base64MatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {{"", ""},
                                                          {"f", "Zg=="},
                                                          {"fo", "Zm8="},
                                                          {"foo", "Zm9v"},
                                                          {"foob", "Zm9vYg=="},
                                                          {"fooba", "Zm9vYmE="},
                                                          {"foobar", "Zm9vYmFy"}};
  for (const auto& [in, out] : kVectors) EXPECT_EQ(Base64Encode(Span(in)), out) << in;
}

TEST(WebSocketHandshakeTest, AcceptMatchesRfc6455Example) {
  EXPECT_EQ(AcceptFor(kRfcKey), kRfcAccept);
}

TEST(WebSocketHandshakeTest, KeysAreSixteenRandomBytesInBase64) {
  std::string a = NewWebSocketKey();
  std::string b = NewWebSocketKey();
  EXPECT_EQ(a.size(), 24u);
  std::string raw;
  ASSERT_TRUE(absl::Base64Unescape(a, &raw));
  EXPECT_EQ(raw.size(), 16u);
  EXPECT_NE(a, b);
}

// ---- The request ----

TEST(WebSocketHandshakeTest, RequestHasEveryHandshakeHeader) {
  EXPECT_EQ(BuildUpgradeRequest(Parse("ws://127.0.0.1:8080"), {}, kRfcKey),
            "GET /mqtt HTTP/1.1\r\n"
            "Host: 127.0.0.1:8080\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: mqtt\r\n"
            "\r\n");
}

TEST(WebSocketHandshakeTest, HostOmitsTheDefaultPortAndBracketsIpv6) {
  auto host_of = [](absl::string_view uri) {
    std::string r = BuildUpgradeRequest(Parse(uri), {}, kRfcKey);
    size_t at = r.find("Host: ");
    return r.substr(at + 6, r.find("\r\n", at) - at - 6);
  };
  EXPECT_EQ(host_of("ws://broker.example"), "broker.example");
  EXPECT_EQ(host_of("ws://broker.example:80"), "broker.example");
  EXPECT_EQ(host_of("wss://broker.example"), "broker.example");
  EXPECT_EQ(host_of("wss://broker.example:80"), "broker.example:80");
  EXPECT_EQ(host_of("ws://broker.example:443"), "broker.example:443");
  EXPECT_EQ(host_of("ws://[::1]:9001/x"), "[::1]:9001");
  EXPECT_EQ(host_of("ws://[::1]"), "[::1]");
  EXPECT_EQ(host_of("ws://[fe80::1%eth0]:9001"), "[fe80::1%25eth0]:9001");
}

TEST(WebSocketHandshakeTest, PathQueryExtraHeadersAndHostOverride) {
  WebSocketOptions o;
  o.headers = {{"Authorization", "Bearer abc"}, {"host", "front.example"}, {"X-Trace", "1"}};
  std::string r = BuildUpgradeRequest(Parse("ws://10.0.0.1:9001/a/b?token=x"), o, kRfcKey);
  EXPECT_THAT(r, ::testing::StartsWith("GET /a/b?token=x HTTP/1.1\r\nHost: front.example\r\n"));
  EXPECT_THAT(r, HasSubstr("Sec-WebSocket-Protocol: mqtt\r\nAuthorization: Bearer abc\r\n"
                           "X-Trace: 1\r\n\r\n"));
  EXPECT_EQ(r.find("10.0.0.1"), std::string::npos);
}

TEST(WebSocketHandshakeTest, NoSubprotocolHeaderWhenNoneIsOffered) {
  WebSocketOptions o;
  o.subprotocol = "";
  std::string r = BuildUpgradeRequest(Parse("ws://h"), o, kRfcKey);
  EXPECT_EQ(r.find("Sec-WebSocket-Protocol"), std::string::npos);
}

TEST(WebSocketHandshakeTest, OptionsThatCannotBeSentAreInvalidArguments) {
  struct Case {
    const char* uri;
    WebSocketOptions options;
    const char* message;
  };
  auto with_header = [](std::string name, std::string value) {
    WebSocketOptions o;
    o.headers = {{std::move(name), std::move(value)}};
    return o;
  };
  WebSocketOptions zero_frames;
  zero_frames.max_frame_bytes = 0;
  WebSocketOptions bad_protocol;
  bad_protocol.subprotocol = "mqtt v3";
  std::vector<Case> cases = {
      {"ws://h/a b", {}, "contains a space, control or non-ASCII character"},
      {"ws://h/\xC3\xA9", {}, "non-ASCII"},
      {"ws://h", zero_frames, "max_frame_bytes must be at least 1"},
      {"ws://h", bad_protocol, "subprotocol 'mqtt v3' is not an HTTP token"},
      {"ws://h", with_header("X Bad", "v"), "header name 'X Bad' is not an HTTP token"},
      {"ws://h", with_header("", "v"), "header name '' is not an HTTP token"},
      {"ws://h", with_header("X-A", "v\r\nInjected: 1"), "contains a control character"},
      {"ws://h", with_header("X-A", std::string("a\0b", 3)), "contains a control character"},
      {"ws://h", with_header("X-A", "bell\a"), "contains a control character"},
      {"ws://h", with_header("X-A", "del\x7F"), "contains a control character"},
      {"ws://h", with_header("sec-websocket-key", "x"), "set by the handshake itself"},
      {"ws://h", with_header("Upgrade", "h2c"), "set by the handshake itself"},
      {"ws://h", with_header("Connection", "close"), "set by the handshake itself"},
      {"ws://h", with_header("Sec-WebSocket-Version", "8"), "set by the handshake itself"},
      {"ws://h", with_header("Sec-WebSocket-Protocol", "mqttv3.1"), "(use subprotocol)"},
      {"ws://h", with_header("Sec-WebSocket-Extensions", "permessage-deflate"),
       "set by the handshake itself"},
  };
  for (const Case& c : cases) {
    absl::Status s = ValidateWebSocketOptions(Parse(c.uri), c.options);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
  }
  WebSocketOptions fine;
  fine.headers = {{"Authorization", "Basic dXNlcjpwYXNz"}, {"Host", "x"}, {"X-Tab", "a\tb"}};
  EXPECT_TRUE(ValidateWebSocketOptions(Parse("ws://h/mqtt?x=1&y=%20"), fine).ok());
}

// ---- Parsing the reply ----

TEST(WebSocketHandshakeTest, ParsesAReplyArrivingInAnyPieces) {
  Parsed p = ParseEveryWay(GoodReply() + "\x82\x02hi");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_TRUE(p.done);
  EXPECT_EQ(p.response.status, 101);
  EXPECT_EQ(p.response.status_line, "HTTP/1.1 101 Switching Protocols");
  EXPECT_EQ(p.rest, "\x82\x02hi");  // the frame stream's first bytes stay with the caller
  EXPECT_EQ(p.response.Values("sec-websocket-accept"), std::vector<absl::string_view>{kRfcAccept});
}

TEST(WebSocketHandshakeTest, IncompleteReplyIsNotDone) {
  std::string reply = GoodReply();
  Parsed p = ParseEveryWay(reply.substr(0, reply.size() - 1));
  EXPECT_TRUE(p.status.ok());
  EXPECT_FALSE(p.done);
}

TEST(WebSocketHandshakeTest, BareLineFeedsAndOddSpacingAreAccepted) {
  Parsed p = ParseEveryWay(
      "HTTP/1.1 101 \nupgrade:WebSocket\nconnection:   keep-alive ,  UPGRADE  \n"
      "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\t\nSec-WebSocket-Protocol: mqtt\n\n");
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_TRUE(p.done);
  EXPECT_TRUE(CheckUpgradeResponse(p.response, kRfcKey, {}).ok());
}

TEST(WebSocketHandshakeTest, MalformedRepliesAreDataLossQuotingTheLine) {
  struct Case {
    std::string reply;
    const char* message;
  };
  std::vector<Case> cases = {
      {"SSH-2.0-OpenSSH\r\n\r\n",
       "the reply does not start with an HTTP status line: 'SSH-2.0-OpenSSH'"},
      {"HTTP/1.1 1O1 Switching\r\n\r\n", "does not start with an HTTP status line"},
      {"HTTP/1.1 101Switching\r\n\r\n", "does not start with an HTTP status line"},
      {"HTTP/1.1 099 Low\r\n\r\n", "does not start with an HTTP status line"},
      {"HTTP/1.1\r\n\r\n", "does not start with an HTTP status line"},
      {"\r\nHTTP/1.1 101 OK\r\n\r\n", "the reply starts with an empty line"},
      {"HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n  folded\r\n\r\n",
       "obsolete header line folding in the reply: '  folded'"},
      {"HTTP/1.1 101 OK\r\nno colon here\r\n\r\n",
       "malformed header line in the reply: 'no colon here'"},
      {"HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n", "malformed header line"},
      {"HTTP/1.1 101 OK\r\n: value\r\n\r\n", "malformed header line"},
      {std::string("\x16\x03\x01\x02\x00\r\n", 7),  // binary is quoted escaped
       "'\\x16\\x03\\x01\\x02\\x00'"},
  };
  for (const Case& c : cases) {
    Parsed p = ParseEveryWay(c.reply);
    EXPECT_EQ(p.status.code(), absl::StatusCode::kDataLoss) << c.reply;
    EXPECT_THAT(std::string(p.status.message()), HasSubstr(c.message));
    EXPECT_THAT(std::string(p.status.message()), HasSubstr("WebSocket upgrade failed: "));
  }
}

TEST(WebSocketHandshakeTest, HeadIsBoundedInSize) {
  std::string reply = "HTTP/1.1 101 OK\r\n";
  while (reply.size() < 200) reply += "X-Pad: 0123456789\r\n";
  reply += "\r\n";
  Parsed fits = ParseInChunks(reply, 1, reply.size());
  EXPECT_TRUE(fits.status.ok() && fits.done) << fits.status;
  for (size_t chunk : {size_t{1}, size_t{5}, reply.size()}) {
    Parsed p = ParseInChunks(reply, chunk, reply.size() - 1);
    EXPECT_EQ(p.status.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(p.status.message()),
                HasSubstr(absl::StrCat("header is longer than ", reply.size() - 1, " bytes")));
  }
  // A single endless line is cut off too.
  Parsed endless = ParseInChunks(std::string(100000, 'H'), 4096);
  EXPECT_EQ(endless.status.code(), absl::StatusCode::kDataLoss);
}

TEST(WebSocketHandshakeTest, ParserErrorsAreSticky) {
  UpgradeResponseParser parser;
  absl::Span<const uint8_t> bad = Span("nonsense\r\n");
  absl::StatusOr<bool> first = parser.Feed(&bad);
  ASSERT_FALSE(first.ok());
  absl::Span<const uint8_t> good = Span(GoodReply());
  EXPECT_EQ(parser.Feed(&good).status(), first.status());
}

TEST(WebSocketHandshakeTest, StatusIsKnownBeforeTheHeaders) {
  UpgradeResponseParser parser;
  absl::Span<const uint8_t> in = Span("HTTP/1.1 403 Forbidden\r\nContent-Le");
  absl::StatusOr<bool> done = parser.Feed(&in);
  ASSERT_TRUE(done.ok());
  EXPECT_FALSE(*done);
  EXPECT_TRUE(parser.has_status());
  EXPECT_EQ(parser.response().status, 403);
}

// ---- Checking the reply ----

TEST(WebSocketHandshakeTest, GoodReplyIsAccepted) { EXPECT_TRUE(Check(GoodReply()).ok()); }

TEST(WebSocketHandshakeTest, RefusalsQuoteTheStatusLineWithAFittingCode) {
  struct Case {
    const char* line;
    absl::StatusCode code;
  };
  for (const Case& c : {Case{"HTTP/1.1 403 Forbidden", absl::StatusCode::kPermissionDenied},
                        Case{"HTTP/1.1 401 Unauthorized", absl::StatusCode::kPermissionDenied},
                        Case{"HTTP/1.1 404 Not Found", absl::StatusCode::kNotFound},
                        Case{"HTTP/1.1 200 OK", absl::StatusCode::kUnavailable},
                        Case{"HTTP/1.0 400 Bad Request", absl::StatusCode::kUnavailable},
                        Case{"HTTP/1.1 503 Service Unavailable", absl::StatusCode::kUnavailable}}) {
    absl::Status s = Check(absl::StrCat(c.line, "\r\nContent-Length: 0\r\n\r\n"));
    EXPECT_EQ(s.code(), c.code) << c.line;
    EXPECT_EQ(s.message(), absl::StrCat("WebSocket upgrade refused: '", c.line, "'"));
  }
}

TEST(WebSocketHandshakeTest, EveryNonConformingReplyIsRejectedNamingTheProblem) {
  const std::string head = "HTTP/1.1 101 Switching Protocols\r\n";
  const std::string upgrade = "Upgrade: websocket\r\n";
  const std::string connection = "Connection: Upgrade\r\n";
  const std::string accept = absl::StrCat("Sec-WebSocket-Accept: ", kRfcAccept, "\r\n");
  const std::string protocol = "Sec-WebSocket-Protocol: mqtt\r\n";
  struct Case {
    std::string reply;
    const char* message;
  };
  std::vector<Case> cases = {
      {head + connection + accept + protocol + "\r\n", "no Upgrade header"},
      {head + "Upgrade: h2c\r\n" + connection + accept + protocol + "\r\n",
       "Upgrade header is 'h2c', not 'websocket'"},
      {head + upgrade + upgrade + connection + accept + protocol + "\r\n",
       "Upgrade header is 'websocket, websocket'"},
      {head + upgrade + accept + protocol + "\r\n", "no Connection header"},
      {head + upgrade + "Connection: keep-alive, close\r\n" + accept + protocol + "\r\n",
       "Connection header 'keep-alive, close' does not list 'upgrade'"},
      {head + upgrade + "Connection: upgraded\r\n" + accept + protocol + "\r\n",
       "does not list 'upgrade'"},
      {head + upgrade + connection + protocol + "\r\n", "no Sec-WebSocket-Accept header"},
      {head + upgrade + connection + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n" +
           protocol + "\r\n",
       "Sec-WebSocket-Accept 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' does not match the key sent "
       "(expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=')"},
      {head + upgrade + connection + accept + accept + protocol + "\r\n",
       "does not match the key sent"},
      {head + upgrade + connection + accept + protocol +
           "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
       "the server chose extension 'permessage-deflate', but none was offered"},
      {head + upgrade + connection + accept + "\r\n",
       "the server did not accept subprotocol 'mqtt' (no Sec-WebSocket-Protocol header)"},
      {head + upgrade + connection + accept + "Sec-WebSocket-Protocol: mqttv3.1\r\n\r\n",
       "the server chose subprotocol 'mqttv3.1', not the 'mqtt' offered"},
      {head + upgrade + connection + accept + "Sec-WebSocket-Protocol: MQTT\r\n\r\n",
       "not the 'mqtt' offered"},
  };
  for (const Case& c : cases) {
    absl::Status s = Check(c.reply);
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << c.message;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
    EXPECT_THAT(std::string(s.message()), HasSubstr("(reply: 'HTTP/1.1 101 Switching Protocols')"));
  }
  // The key matters: the right accept for another key is wrong.
  EXPECT_FALSE(Check(GoodReply(), "AAAAAAAAAAAAAAAAAAAAAA==").ok());
}

TEST(WebSocketHandshakeTest, NoSubprotocolOfferedMeansNoneMayBeChosen) {
  WebSocketOptions none;
  none.subprotocol = "";
  absl::Status s = Check(GoodReply(), kRfcKey, none);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the server chose subprotocol 'mqtt', but none was offered"));
  std::string without = GoodReply();
  without.erase(without.find("Sec-WebSocket-Protocol"), strlen("Sec-WebSocket-Protocol: mqtt\r\n"));
  EXPECT_TRUE(Check(without, kRfcKey, none).ok());
}

}  // namespace
}  // namespace websocket
}  // namespace ouzel
