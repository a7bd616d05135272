#include "cc/transport/socks5.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using ::testing::HasSubstr;

std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// A success reply with a bound IPv4 address 127.0.0.1:4660.
const std::string kReplyOkV4 = B({5, 0, 0, 1, 127, 0, 0, 1, 0x12, 0x34});

TEST(Socks5Test, NoAuthGreetingThenDomainRequest) {
  Socks5Handshake h(Socks5Target::Name("broker.example", 1883), "", "");
  ASSERT_TRUE(h.Validate().ok());
  EXPECT_EQ(h.TakeOutput(), B({5, 1, 0}));
  EXPECT_EQ(h.TakeOutput(), "");  // nothing more until the proxy answers
  ASSERT_EQ(*h.Feed(B({5, 0})), 2u);
  EXPECT_FALSE(h.authenticated());
  EXPECT_EQ(h.TakeOutput(), B({5, 1, 0, 3, 14}) + "broker.example" + B({0x07, 0x5b}));
  ASSERT_EQ(*h.Feed(kReplyOkV4), kReplyOkV4.size());
  EXPECT_TRUE(h.done());
  EXPECT_EQ(h.bound_address(), "127.0.0.1:4660");
}

TEST(Socks5Test, UsernamePasswordSubNegotiation) {
  Socks5Handshake h(Socks5Target::Name("b", 1), "alice", "s3cret");
  EXPECT_EQ(h.TakeOutput(), B({5, 2, 0, 2}));
  ASSERT_TRUE(h.Feed(B({5, 2})).ok());
  EXPECT_TRUE(h.authenticated());
  EXPECT_EQ(h.TakeOutput(), B({1, 5}) + "alice" + B({6}) + "s3cret");
  ASSERT_TRUE(h.Feed(B({1, 0})).ok());
  EXPECT_EQ(h.TakeOutput(), B({5, 1, 0, 3, 1, 'b', 0, 1}));
  ASSERT_TRUE(h.Feed(kReplyOkV4).ok());
  EXPECT_TRUE(h.done());
}

TEST(Socks5Test, ProxyMayChooseNoAuthEvenWhenCredentialsAreOffered) {
  Socks5Handshake h(Socks5Target::Name("b", 1), "alice", "pw");
  h.TakeOutput();
  ASSERT_TRUE(h.Feed(B({5, 0})).ok());
  EXPECT_EQ(h.TakeOutput()[3], 3);  // straight to the CONNECT request
}

TEST(Socks5Test, AddressTargets) {
  std::optional<ResolvedAddress> v4 = ResolvedAddress::FromLiteral("10.1.2.3", 1883);
  absl::StatusOr<Socks5Target> t4 = Socks5Target::Address(*v4);
  ASSERT_TRUE(t4.ok());
  EXPECT_EQ(t4->ToString(), "10.1.2.3:1883");
  Socks5Handshake h4(*t4, "", "");
  h4.TakeOutput();
  ASSERT_TRUE(h4.Feed(B({5, 0})).ok());
  EXPECT_EQ(h4.TakeOutput(), B({5, 1, 0, 1, 10, 1, 2, 3, 0x07, 0x5b}));

  std::optional<ResolvedAddress> v6 = ResolvedAddress::FromLiteral("::1", 8883);
  absl::StatusOr<Socks5Target> t6 = Socks5Target::Address(*v6);
  ASSERT_TRUE(t6.ok());
  EXPECT_EQ(t6->ToString(), "[::1]:8883");
  Socks5Handshake h6(*t6, "", "");
  h6.TakeOutput();
  ASSERT_TRUE(h6.Feed(B({5, 0})).ok());
  EXPECT_EQ(h6.TakeOutput(),
            B({5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x22, 0xb3}));
}

TEST(Socks5Test, RepliesWithEveryBoundAddressTypeByteByByteLeaveTunnelBytes) {
  const std::string replies[] = {
      kReplyOkV4,
      B({5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 80}),
      B({5, 0, 0, 3, 4, 'h', 'o', 's', 't', 0, 80}),
  };
  const std::string bound[] = {"127.0.0.1:4660", "[::1]:80", "host:80"};
  for (int i = 0; i < 3; ++i) {
    Socks5Handshake h(Socks5Target::Name("b", 1), "", "");
    h.TakeOutput();
    ASSERT_TRUE(h.Feed(B({5, 0})).ok());
    for (size_t j = 0; j < replies[i].size(); ++j) {
      EXPECT_FALSE(h.done()) << i << " " << j;
      ASSERT_EQ(*h.Feed(replies[i].substr(j, 1)), 1u) << i << " " << j;
    }
    EXPECT_TRUE(h.done()) << i;
    EXPECT_EQ(h.bound_address(), bound[i]);
    // Glued to the reply: the broker's bytes are not consumed.
    Socks5Handshake g(Socks5Target::Name("b", 1), "", "");
    g.TakeOutput();
    std::string all = B({5, 0}) + replies[i] + "MQTT";
    ASSERT_EQ(*g.Feed(all), all.size() - 4) << i;
    EXPECT_TRUE(g.done());
  }
}

TEST(Socks5Test, EveryReplyCodeIsNamedAndUnavailable) {
  const char* names[] = {"",
                         "general SOCKS server failure",
                         "connection not allowed by ruleset",
                         "network unreachable",
                         "host unreachable",
                         "connection refused",
                         "TTL expired",
                         "command not supported",
                         "address type not supported"};
  for (int code = 1; code <= 9; ++code) {
    Socks5Handshake h(Socks5Target::Name("broker.example", 1883), "", "");
    h.TakeOutput();
    ASSERT_TRUE(h.Feed(B({5, 0})).ok());
    // Only VER and REP: a refusing proxy may close without the rest.
    absl::StatusOr<size_t> r = h.Feed(B({5, code}));
    ASSERT_FALSE(r.ok()) << code;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(r.status().message(), HasSubstr("broker.example:1883"));
    if (code <= 8) {
      EXPECT_THAT(r.status().message(), HasSubstr(names[code]));
      EXPECT_EQ(Socks5ReplyName(static_cast<uint8_t>(code)), names[code]);
    } else {
      EXPECT_THAT(r.status().message(), HasSubstr("unassigned reply code 0x09"));
    }
    EXPECT_FALSE(h.done());
    // A failed handshake stays failed.
    EXPECT_EQ(h.Feed("x").status().code(), absl::StatusCode::kFailedPrecondition);
  }
}

TEST(Socks5Test, AddressTypeNotSupportedSuggestsLocalResolution) {
  Socks5Handshake h(Socks5Target::Name("broker.example", 1883), "", "");
  h.TakeOutput();
  absl::StatusOr<size_t> r = h.Feed(B({5, 0, 5, 8}));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("use socks5:// to resolve locally"));
}

TEST(Socks5Test, NoAcceptableMethodIsPermissionDenied) {
  Socks5Handshake anonymous(Socks5Target::Name("b", 1), "", "");
  absl::StatusOr<size_t> r = anonymous.Feed(B({5, 0xff}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("requires a username and password"));

  Socks5Handshake with_user(Socks5Target::Name("b", 1), "u", "p");
  r = with_user.Feed(B({5, 0xff}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("offered: none, username/password"));
}

TEST(Socks5Test, RejectedCredentialsArePermissionDenied) {
  Socks5Handshake h(Socks5Target::Name("b", 1), "alice", "wrong");
  ASSERT_TRUE(h.Feed(B({5, 2})).ok());
  absl::StatusOr<size_t> r = h.Feed(B({1, 1}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("rejected the username and password for 'alice'"));
}

TEST(Socks5Test, MethodsThatWereNotOffered) {
  Socks5Handshake anonymous(Socks5Target::Name("b", 1), "", "");
  absl::StatusOr<size_t> r = anonymous.Feed(B({5, 2}));  // username/password not offered
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("method 0x02 (username/password), which was not"));

  Socks5Handshake gssapi(Socks5Target::Name("b", 1), "u", "p");
  r = gssapi.Feed(B({5, 1}));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("0x01 (GSSAPI)"));
}

TEST(Socks5Test, GarbageReplies) {
  struct Case {
    std::string method_reply;
    std::string later;
    const char* says;
  } cases[] = {
      {"HTTP/1.1 400 Bad Request\r\n", "", "not a SOCKS5 proxy"},
      {B({4, 0}), "", "starts with 0x04"},
      {B({5, 0}), B({4, 0, 0, 1}), "malformed CONNECT reply: version 0x04"},
      {B({5, 0}), B({5, 0, 0, 7}), "address type 0x07 is not 1, 3 or 4"},
  };
  for (const Case& c : cases) {
    Socks5Handshake h(Socks5Target::Name("b", 1), "", "");
    absl::StatusOr<size_t> r = h.Feed(c.method_reply);
    if (r.ok()) r = h.Feed(c.later);
    ASSERT_FALSE(r.ok()) << c.says;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(r.status().message(), HasSubstr(c.says));
  }
  Socks5Handshake http(Socks5Target::Name("b", 1), "", "");
  EXPECT_THAT(http.Feed("HTTP").status().message(), HasSubstr("an HTTP proxy? use http://"));

  Socks5Handshake auth(Socks5Target::Name("b", 1), "u", "p");
  ASSERT_TRUE(auth.Feed(B({5, 2})).ok());
  absl::StatusOr<size_t> r = auth.Feed(B({9, 0}));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("malformed username/password reply"));
}

TEST(Socks5Test, TruncatedRepliesAreNotDone) {
  Socks5Handshake h(Socks5Target::Name("b", 1), "", "");
  ASSERT_TRUE(h.Feed(B({5})).ok());
  EXPECT_FALSE(h.done());
  ASSERT_TRUE(h.Feed(B({0})).ok());
  ASSERT_TRUE(h.Feed(kReplyOkV4.substr(0, 9)).ok());
  EXPECT_FALSE(h.done());
  ASSERT_TRUE(h.Feed(kReplyOkV4.substr(9)).ok());
  EXPECT_TRUE(h.done());
}

TEST(Socks5Test, ValidateRefusesWhatCannotBeEncoded) {
  EXPECT_EQ(Socks5Handshake(Socks5Target::Name(std::string(256, 'a'), 1), "", "").Validate().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      Socks5Handshake(Socks5Target::Name(std::string(255, 'a'), 1), "", "").Validate().ok());
  EXPECT_EQ(Socks5Handshake(Socks5Target::Name("", 1), "", "").Validate().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Socks5Handshake(Socks5Target::Name("b", 1), std::string(256, 'u'), "").Validate().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Socks5Handshake(Socks5Target::Name("b", 1), "u", std::string(256, 'p')).Validate().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Socks5Handshake(Socks5Target::Name("b", 1), "", "p").Validate().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ouzel
