#include "cc/transport/proxy_config.h"

#include <cstdlib>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Type = ProxyOptions::Type;

TEST(ParseProxyUriTest, Schemes) {
  absl::StatusOr<ProxyOptions> p = ParseProxyUri("http://proxy.example:3128");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->type, Type::kHttpConnect);
  EXPECT_EQ(p->host, "proxy.example");
  EXPECT_EQ(p->port, 3128);
  EXPECT_TRUE(p->username.empty());

  p = ParseProxyUri("SOCKS5://10.0.0.1:1081");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->type, Type::kSocks5);
  EXPECT_FALSE(p->remote_dns);

  for (const char* uri : {"socks5h://h:1", "socks://h:1"}) {
    p = ParseProxyUri(uri);
    ASSERT_TRUE(p.ok()) << uri;
    EXPECT_EQ(p->type, Type::kSocks5);
    EXPECT_TRUE(p->remote_dns) << uri;
  }
}

TEST(ParseProxyUriTest, DefaultPortsAndNoScheme) {
  EXPECT_EQ(ParseProxyUri("http://h")->port, 8080);
  EXPECT_EQ(ParseProxyUri("socks5://h")->port, 1080);
  EXPECT_EQ(ParseProxyUri("socks5h://h/")->port, 1080);
  absl::StatusOr<ProxyOptions> p = ParseProxyUri("  h:3128 ");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->type, Type::kHttpConnect);
  EXPECT_EQ(p->host, "h");
  EXPECT_EQ(p->port, 3128);
}

TEST(ParseProxyUriTest, CredentialsArePercentDecoded) {
  absl::StatusOr<ProxyOptions> p = ParseProxyUri("http://us%65r:p%40ss:word@h:1");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->username, "user");
  EXPECT_EQ(p->password, "p@ss:word");
  p = ParseProxyUri("socks5://only@h");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->username, "only");
  EXPECT_EQ(p->password, "");
}

TEST(ParseProxyUriTest, Ipv6Hosts) {
  absl::StatusOr<ProxyOptions> p = ParseProxyUri("socks5h://[::1]:1080");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->host, "::1");
  EXPECT_EQ(p->port, 1080);
  EXPECT_EQ(ParseProxyUri("http://[fe80::1]")->port, 8080);
}

TEST(ParseProxyUriTest, ErrorsNameTheProblemButNotThePassword) {
  struct Case {
    const char* uri;
    const char* says;
  } cases[] = {
      {"https://h:1", "https:// proxies are not supported"},
      {"socks4://h:1", "socks4:// proxies are not supported"},
      {"ftp://h", "unknown proxy scheme 'ftp'"},
      {"http://", "has no host"},
      {"http://u:secret@:1", "has no host"},
      {"http://h:0", "bad proxy port '0'"},
      {"http://h:65536", "bad proxy port '65536'"},
      {"http://h:x", "bad proxy port 'x'"},
      {"http://h:", "bad proxy port ''"},
      {"http://::1:80", "must be in brackets"},
      {"http://[::1:80", "unclosed '['"},
      {"http://[::1]x", "text after ']'"},
      {"http://[abc]:1", "not an IPv6 address"},
      {"http://h:1/path", "path, query or fragment"},
      {"http://:secret@h", "without a username"},
      {"http://u:secr%zzet@h", "bad percent-encoding in the proxy password"},
      {"http://u%4:secret@h", "bad percent-encoding in the proxy username"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ProxyOptions> p = ParseProxyUri(c.uri);
    ASSERT_FALSE(p.ok()) << c.uri;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << c.uri;
    EXPECT_THAT(p.status().message(), HasSubstr(c.says)) << c.uri;
    EXPECT_THAT(p.status().message(), Not(HasSubstr("secr"))) << c.uri;
  }
}

TEST(NoProxyTest, Matching) {
  struct Case {
    const char* list;
    const char* host;
    uint16_t port;
    bool match;
  } cases[] = {
      {"*", "anything", 1, true},
      {"", "h", 1, false},
      {"example.com", "example.com", 1, true},
      {"example.com", "EXAMPLE.com", 1, true},
      {"Example.COM", "a.b.example.com", 1, true},
      {"example.com", "badexample.com", 1, false},
      {"example.com", "example.com.evil", 1, false},
      {".example.com", "example.com", 1, true},
      {".example.com", "a.example.com", 1, true},
      {"*.example.com", "a.example.com", 1, true},
      {"example.com.", "a.example.com", 1, true},
      {"other, example.com", "example.com", 1, true},
      {"other example.com", "example.com", 1, true},
      {"localhost", "127.0.0.1", 1, false},  // names are not resolved
      {"127.0.0.1", "127.0.0.1", 1, true},
      {"127.0.0.1", "127.0.0.2", 1, false},
      {"::1", "::1", 1, true},
      {"[::1]", "0:0::1", 1, true},
      {"::1", "127.0.0.1", 1, false},
      {"10.0.0.0/8", "10.200.1.1", 1, true},
      {"10.0.0.0/8", "11.0.0.1", 1, false},
      {"10.0.0.0/8", "ten.example", 1, false},
      {"192.168.1.128/25", "192.168.1.200", 1, true},
      {"192.168.1.128/25", "192.168.1.100", 1, false},
      {"fd00::/8", "fd12::1", 1, true},
      {"fd00::/8", "fe80::1", 1, false},
      {"10.0.0.0/33", "10.0.0.1", 1, false},  // bad prefix length: ignored
      {"example.com:1883", "example.com", 1883, true},
      {"example.com:1883", "example.com", 8883, false},
      {"127.0.0.1:1883", "127.0.0.1", 1883, true},
      {"[::1]:1883", "::1", 1883, true},
      {"[::1]:1883", "::1", 1884, false},
      {"example.com:x", "example.com", 1883, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NoProxyMatches(c.list, c.host, c.port), c.match)
        << "'" << c.list << "' vs " << c.host << ":" << c.port;
  }
}

class EnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override { Clear(); }
  void TearDown() override { Clear(); }
  static void Clear() {
    for (const char* v : {"mqtt_proxy", "MQTT_PROXY", "no_proxy", "NO_PROXY"}) unsetenv(v);
  }
  static ServerAddress Broker(const char* uri) { return *ServerAddress::Parse(uri); }
  static TransportOptions FromEnvironment() {
    TransportOptions o;
    o.proxy.from_environment = true;
    return o;
  }
};

TEST_F(EnvironmentTest, IgnoredUnlessTheApplicationOptsIn) {
  setenv("mqtt_proxy", "http://p:3128", 1);
  absl::StatusOr<ProxyOptions> p = EffectiveProxy(Broker("mqtt://b:1883"), TransportOptions());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->type, Type::kNone);
}

TEST_F(EnvironmentTest, LowerCaseWinsOverUpperCase) {
  setenv("MQTT_PROXY", "socks5h://upper:1", 1);
  absl::StatusOr<ProxyOptions> p = EffectiveProxy(Broker("mqtt://b:1883"), FromEnvironment());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->host, "upper");
  EXPECT_EQ(p->type, Type::kSocks5);
  EXPECT_TRUE(p->from_environment);
  setenv("mqtt_proxy", "http://lower:2", 1);
  p = EffectiveProxy(Broker("mqtt://b:1883"), FromEnvironment());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->host, "lower");
  EXPECT_EQ(p->type, Type::kHttpConnect);
}

TEST_F(EnvironmentTest, NoProxyBypasses) {
  setenv("mqtt_proxy", "http://p:3128", 1);
  setenv("NO_PROXY", "internal.example, 127.0.0.0/8", 1);
  EXPECT_EQ(EffectiveProxy(Broker("mqtt://b.internal.example"), FromEnvironment())->type,
            Type::kNone);
  EXPECT_EQ(EffectiveProxy(Broker("mqtt://127.0.0.1:1883"), FromEnvironment())->type, Type::kNone);
  EXPECT_EQ(EffectiveProxy(Broker("mqtts://broker.example"), FromEnvironment())->type,
            Type::kHttpConnect);
  setenv("no_proxy", "", 1);  // set (even empty) lower case wins
  EXPECT_EQ(EffectiveProxy(Broker("mqtt://127.0.0.1:1883"), FromEnvironment())->type,
            Type::kHttpConnect);
}

TEST_F(EnvironmentTest, EmptyVariableMeansDirect) {
  setenv("mqtt_proxy", " ", 1);
  EXPECT_EQ(EffectiveProxy(Broker("mqtt://b"), FromEnvironment())->type, Type::kNone);
}

TEST_F(EnvironmentTest, BadVariableIsAnErrorNamingIt) {
  setenv("MQTT_PROXY", "gopher://x", 1);
  absl::StatusOr<ProxyOptions> p = EffectiveProxy(Broker("mqtt://b"), FromEnvironment());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("environment variable MQTT_PROXY"));
}

TEST_F(EnvironmentTest, ExplicitProxyWinsAndIgnoresNoProxy) {
  setenv("mqtt_proxy", "http://env:1", 1);
  setenv("no_proxy", "*", 1);
  TransportOptions o = FromEnvironment();
  o.proxy.type = Type::kSocks5;
  o.proxy.host = "explicit";
  o.proxy.port = 1080;
  absl::StatusOr<ProxyOptions> p = EffectiveProxy(Broker("mqtt://b"), o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->host, "explicit");
}

TEST_F(EnvironmentTest, UnixSocketsNeverUseAProxy) {
  setenv("mqtt_proxy", "http://env:1", 1);
  TransportOptions o = FromEnvironment();
  EXPECT_EQ(EffectiveProxy(Broker("unix:///run/m.sock"), o)->type, Type::kNone);
  o.proxy.type = Type::kHttpConnect;
  o.proxy.host = "p";
  o.proxy.port = 1;
  EXPECT_EQ(EffectiveProxy(Broker("unix:///run/m.sock"), o)->type, Type::kNone);
}

TEST(EffectiveProxyTest, ExplicitProxyNeedsHostAndPort) {
  TransportOptions o;
  o.proxy.type = Type::kHttpConnect;
  o.proxy.host = "p";
  EXPECT_EQ(EffectiveProxy(*ServerAddress::Parse("mqtt://b"), o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o.proxy.port = 1;
  o.proxy.password = "pw";
  EXPECT_EQ(EffectiveProxy(*ServerAddress::Parse("mqtt://b"), o).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DescribeProxyTest, NoPassword) {
  ProxyOptions p = *ParseProxyUri("socks5h://user:secret@[::1]:1080");
  EXPECT_EQ(DescribeProxy(p), "socks5h://user@[::1]:1080");
  EXPECT_EQ(DescribeProxy(*ParseProxyUri("http://h:1")), "http://h:1");
  EXPECT_EQ(DescribeProxy(*ParseProxyUri("socks5://h:1")), "socks5://h:1");
}

}  // namespace
}  // namespace ouzel
