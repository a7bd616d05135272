#include "cc/transport/http_connect.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using ::testing::HasSubstr;

TEST(HttpConnectRequestTest, NamesTheTargetInRequestLineAndHost) {
  EXPECT_EQ(HttpConnectRequest("broker.example", 1883, "", ""),
            "CONNECT broker.example:1883 HTTP/1.1\r\nHost: broker.example:1883\r\n"
            "User-Agent: ouzel\r\n\r\n");
}

TEST(HttpConnectRequestTest, BracketsIpv6Literals) {
  std::string r = HttpConnectRequest("::1", 8883, "", "");
  EXPECT_TRUE(absl::StartsWith(r, "CONNECT [::1]:8883 HTTP/1.1\r\nHost: [::1]:8883\r\n")) << r;
}

TEST(HttpConnectRequestTest, SendsBasicCredentials) {
  std::string r = HttpConnectRequest("b", 1, "Aladdin", "open sesame");
  // RFC 7617's example.
  EXPECT_THAT(r, HasSubstr("\r\nProxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"));
  EXPECT_TRUE(absl::EndsWith(r, "\r\n\r\n"));
}

TEST(HttpConnectRequestTest, ValidationRefusesWhatCannotBeSent) {
  EXPECT_TRUE(ValidateHttpConnectTarget("broker", "user", "p:ss").ok());
  EXPECT_EQ(ValidateHttpConnectTarget("broker", "us:er", "x").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateHttpConnectTarget("broker", "user", "a\r\nX-Evil: 1").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateHttpConnectTarget("bro ker", "", "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateHttpConnectTarget("broker\r\n", "", "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateHttpConnectTarget("", "", "").code(), absl::StatusCode::kInvalidArgument);
}

TEST(HttpConnectReplyTest, OkInOneChunkLeavesTunnelBytes) {
  HttpConnectReply reply;
  std::string bytes = std::string("HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\n") +
                      std::string("\x20\x02\x00\x00", 4);
  absl::StatusOr<size_t> used = reply.Feed(bytes);
  ASSERT_TRUE(used.ok()) << used.status();
  EXPECT_EQ(*used, bytes.size() - 4);  // the CONNACK-like tail is not consumed
  EXPECT_TRUE(reply.done());
  EXPECT_TRUE(reply.tunnel_open());
  EXPECT_EQ(reply.status_code(), 200);
  EXPECT_EQ(reply.status_line(), "HTTP/1.1 200 Connection established");
  // Nothing more is consumed once done.
  EXPECT_EQ(*reply.Feed("more"), 0u);
}

TEST(HttpConnectReplyTest, ByteByByte) {
  HttpConnectReply reply;
  std::string bytes = "HTTP/1.0 200 OK\r\n\r\n";
  for (size_t i = 0; i < bytes.size(); ++i) {
    EXPECT_FALSE(reply.done()) << i;
    absl::StatusOr<size_t> used = reply.Feed(bytes.substr(i, 1));
    ASSERT_TRUE(used.ok()) << used.status();
    EXPECT_EQ(*used, 1u);
  }
  EXPECT_TRUE(reply.tunnel_open());
}

TEST(HttpConnectReplyTest, AcceptsBareLineFeedsAndAny2xx) {
  HttpConnectReply reply;
  ASSERT_TRUE(reply.Feed("HTTP/1.1 204 Tunnel\nX: y\n\n").ok());
  EXPECT_TRUE(reply.tunnel_open());
}

TEST(HttpConnectReplyTest, SkipsInterimResponses) {
  HttpConnectReply reply;
  ASSERT_TRUE(reply.Feed("HTTP/1.1 100 Continue\r\n\r\n").ok());
  EXPECT_FALSE(reply.done());
  ASSERT_TRUE(reply.Feed("HTTP/1.1 200 OK\r\n\r\n").ok());
  EXPECT_TRUE(reply.tunnel_open());
}

TEST(HttpConnectReplyTest, IncompleteHeadIsNotDone) {
  HttpConnectReply reply;
  ASSERT_TRUE(reply.Feed("HTTP/1.1 200 OK\r\nVia: 1.1 x\r\n").ok());
  EXPECT_FALSE(reply.done());
}

absl::Status RefusalOf(const std::string& head, bool sent_credentials) {
  HttpConnectReply reply;
  absl::StatusOr<size_t> used = reply.Feed(head);
  EXPECT_TRUE(used.ok()) << used.status();
  EXPECT_TRUE(reply.done());
  EXPECT_FALSE(reply.tunnel_open());
  return reply.Refusal(sent_credentials);
}

TEST(HttpConnectReplyTest, ProxyAuthRequiredWithoutCredentials) {
  absl::Status s = RefusalOf(
      "HTTP/1.0 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
      "realm=\"Tinyproxy\"\r\n\r\n<html>",
      false);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("HTTP/1.0 407 Proxy Authentication Required"));
  EXPECT_THAT(s.message(), HasSubstr("requires authentication"));
  EXPECT_THAT(s.message(), HasSubstr("Basic realm=\"Tinyproxy\""));
  EXPECT_THAT(s.message(), HasSubstr("no username was given"));
}

TEST(HttpConnectReplyTest, ProxyAuthRejectedCredentials) {
  absl::Status s = RefusalOf("HTTP/1.1 407 Nope\r\nproxy-authenticate: Basic\r\n\r\n", true);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("rejected the username and password"));
}

// tinyproxy 1.11 answers wrong credentials with 401 instead of 407.
TEST(HttpConnectReplyTest, UnauthorizedIsAlsoPermissionDenied) {
  absl::Status s = RefusalOf("HTTP/1.0 401 Unauthorized\r\n\r\n", true);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("HTTP/1.0 401 Unauthorized"));
  EXPECT_THAT(s.message(), HasSubstr("rejected the username and password"));
}

TEST(HttpConnectReplyTest, ProxyAuthWithUnsupportedScheme) {
  absl::Status s = RefusalOf(
      "HTTP/1.1 407 Auth\r\nProxy-Authenticate: Digest realm=\"x\", nonce=\"y\"\r\n\r\n", true);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("only Basic is supported"));
}

TEST(HttpConnectReplyTest, OtherRefusalsAreUnavailableAndNameTheStatusLine) {
  struct Case {
    const char* head;
    const char* says;
  } cases[] = {
      {"HTTP/1.1 403 Access violation\r\n\r\n", "does not allow a tunnel"},
      {"HTTP/1.1 502 Bad Gateway\r\n\r\n", "could not reach the broker"},
      {"HTTP/1.1 503 Service Unavailable\r\n\r\n", "could not reach the broker"},
      {"HTTP/1.1 504 Gateway Timeout\r\n\r\n", "could not reach the broker"},
      {"HTTP/1.1 500 Unable to connect\r\n\r\n", "did not open a tunnel"},
      {"HTTP/1.1 405 Method Not Allowed\r\n\r\n", "did not open a tunnel"},
      {"HTTP/1.1 301 Moved\r\nLocation: x\r\n\r\n", "did not open a tunnel"},
      {"HTTP/1.1 101 Switching Protocols\r\n\r\n", "did not open a tunnel"},
  };
  for (const Case& c : cases) {
    absl::Status s = RefusalOf(c.head, false);
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << c.head;
    std::string line(c.head, std::string(c.head).find('\r'));
    EXPECT_THAT(s.message(), HasSubstr(line));
    EXPECT_THAT(s.message(), HasSubstr(c.says));
  }
}

TEST(HttpConnectReplyTest, NonHttpAnswerFailsAtOnce) {
  HttpConnectReply reply;
  absl::StatusOr<size_t> used = reply.Feed(std::string("\x05\x00", 2));  // a SOCKS5 proxy
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(used.status().message(), HasSubstr("not an HTTP response"));

  HttpConnectReply garbage;
  used = garbage.Feed("HTTX");
  ASSERT_FALSE(used.ok());
  EXPECT_THAT(used.status().message(), HasSubstr("\"HTTX\""));
}

TEST(HttpConnectReplyTest, MalformedStatusLines) {
  for (const char* head : {"HTTP/1.1\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
                           "HTTP/11 200 OK\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n",
                           "HTTP/1.1  200 OK\r\n\r\n", "HTTP/1.1 099 Low\r\n\r\n"}) {
    HttpConnectReply reply;
    absl::StatusOr<size_t> used = reply.Feed(head);
    ASSERT_FALSE(used.ok()) << head;
    EXPECT_EQ(used.status().code(), absl::StatusCode::kUnavailable) << head;
    EXPECT_THAT(used.status().message(), HasSubstr("malformed HTTP status line")) << head;
  }
}

TEST(HttpConnectReplyTest, NulByteIsRefused) {
  HttpConnectReply reply;
  absl::StatusOr<size_t> used = reply.Feed(std::string("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 25));
  ASSERT_FALSE(used.ok());
  EXPECT_THAT(used.status().message(), HasSubstr("NUL"));
}

TEST(HttpConnectReplyTest, EndlessHeadIsBounded) {
  HttpConnectReply reply;
  ASSERT_TRUE(reply.Feed("HTTP/1.1 200 OK\r\n").ok());
  std::string header = "X-Padding: " + std::string(1000, 'a') + "\r\n";
  absl::Status last;
  size_t fed = 0;
  while (last.ok() && fed < 2 * HttpConnectReply::kMaxHeadBytes) {
    last = reply.Feed(header).status();
    fed += header.size();
  }
  EXPECT_EQ(last.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(last.message(), HasSubstr("longer than 16384 bytes"));
  EXPECT_FALSE(reply.done());
}

}  // namespace
}  // namespace ouzel
