#include "cc/transport/address.h"

#include "gtest/gtest.h"

namespace ouzel {
namespace {

ServerAddress ParseOk(absl::string_view uri) {
  absl::StatusOr<ServerAddress> a = ServerAddress::Parse(uri);
  EXPECT_TRUE(a.ok()) << uri << ": " << a.status();
  return a.ok() ? *a : ServerAddress{};
}

std::string ParseError(absl::string_view uri) {
  absl::StatusOr<ServerAddress> a = ServerAddress::Parse(uri);
  EXPECT_FALSE(a.ok()) << uri << " parsed as " << (a.ok() ? a->ToString() : "");
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(a.status().message());
}

TEST(ServerAddressTest, EachSchemeGetsItsDefaultPort) {
  EXPECT_EQ(ParseOk("mqtt://broker").port, 1883);
  EXPECT_EQ(ParseOk("tcp://broker").port, 1883);
  EXPECT_EQ(ParseOk("mqtts://broker").port, 8883);
  EXPECT_EQ(ParseOk("ssl://broker").port, 8883);
  EXPECT_EQ(ParseOk("ws://broker").port, 80);
  EXPECT_EQ(ParseOk("wss://broker").port, 443);
  EXPECT_EQ(ParseOk("tcp://broker").scheme, Scheme::kMqtt);
  EXPECT_EQ(ParseOk("SSL://broker").scheme, Scheme::kMqtts);
  EXPECT_EQ(ParseOk("wss://broker").scheme, Scheme::kWss);
}

TEST(ServerAddressTest, NoSchemeMeansPlainMqtt) {
  ServerAddress a = ParseOk("broker.example:1884");
  EXPECT_EQ(a.scheme, Scheme::kMqtt);
  EXPECT_EQ(a.host, "broker.example");
  EXPECT_EQ(a.port, 1884);
}

TEST(ServerAddressTest, Ipv4AndBracketedIpv6WithPorts) {
  ServerAddress v4 = ParseOk("mqtt://127.0.0.1:2000");
  EXPECT_EQ(v4.host, "127.0.0.1");
  EXPECT_EQ(v4.port, 2000);
  ServerAddress v6 = ParseOk("mqtt://[::1]:1883");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 1883);
  EXPECT_EQ(v6.ToString(), "mqtt://[::1]:1883");
  ServerAddress v6_default = ParseOk("mqtts://[2001:db8::5]");
  EXPECT_EQ(v6_default.host, "2001:db8::5");
  EXPECT_EQ(v6_default.port, 8883);
  ServerAddress scoped = ParseOk("[fe80::1%eth0]:1883");
  EXPECT_EQ(scoped.host, "fe80::1%eth0");
}

TEST(ServerAddressTest, WebSocketPathDefaultsToMqttAndKeepsQuery) {
  EXPECT_EQ(ParseOk("ws://broker").path, "/mqtt");
  EXPECT_EQ(ParseOk("ws://broker:8080/").path, "/");
  EXPECT_EQ(ParseOk("wss://broker/ws?token=1").path, "/ws?token=1");
  EXPECT_EQ(ParseOk("ws://broker?x=1").path, "/?x=1");
  EXPECT_EQ(ParseOk("ws://broker:9001/mqtt").ToString(), "ws://broker:9001/mqtt");
}

TEST(ServerAddressTest, UnixSocketPathsAbsoluteRelativeAndAbstract) {
  ServerAddress abs = ParseOk("unix:///run/mosquitto/mqtt.sock");
  EXPECT_EQ(abs.scheme, Scheme::kUnix);
  EXPECT_EQ(abs.path, "/run/mosquitto/mqtt.sock");
  EXPECT_EQ(abs.ToString(), "unix:///run/mosquitto/mqtt.sock");
  EXPECT_EQ(ParseOk("unix://relative.sock").path, "relative.sock");
  EXPECT_EQ(ParseOk("unix:@abstract").path, "@abstract");
  EXPECT_EQ(ParseOk("unix:/tmp/x.sock").path, "/tmp/x.sock");
}

TEST(ServerAddressTest, UserInfoIsSplitOffAndPasswordNeverPrinted) {
  ServerAddress a = ParseOk("mqtt://alice:s3cret@broker:1884");
  EXPECT_EQ(a.username, "alice");
  EXPECT_EQ(a.password, "s3cret");
  EXPECT_EQ(a.host, "broker");
  EXPECT_EQ(a.ToString(), "mqtt://alice@broker:1884");
  ServerAddress no_password = ParseOk("mqtt://bob@broker");
  EXPECT_EQ(no_password.username, "bob");
  EXPECT_FALSE(no_password.password.has_value());
}

TEST(ServerAddressTest, RejectsMalformedAddressesWithTheReason) {
  EXPECT_NE(ParseError("").find("empty"), std::string::npos);
  EXPECT_NE(ParseError("http://broker").find("unknown scheme 'http'"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://broker:0").find("out of range"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://broker:70000").find("out of range"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://broker:12ab").find("invalid port"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://broker:").find("invalid port"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://::1:1883").find("brackets"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://[::1").find("']'"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://[broker]").find("IPv6"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://:1883").find("missing host"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://bro ker").find("invalid character"), std::string::npos);
  EXPECT_NE(ParseError("mqtt://broker/path").find("only meaningful for ws"), std::string::npos);
  EXPECT_NE(ParseError("unix://").find("missing socket path"), std::string::npos);
}

TEST(ServerAddressTest, ErrorsQuoteTheAddressWithoutItsPassword) {
  EXPECT_EQ(ParseError("mqtt://alice:s3cret@broker:12ab"),
            "invalid port '12ab' in server address 'mqtt://alice:***@broker:12ab'");
  EXPECT_EQ(ParseError("alice:s3cret@bro ker"),
            "invalid character ' ' in host in server address 'alice:***@bro ker'");
  // '@' and ':' in the password itself, and a path after the authority.
  EXPECT_EQ(ParseError("mqtt://alice:s3:c@ret@broker/x"),
            "a path ('/x') is only meaningful for ws:// and wss:// in server address "
            "'mqtt://alice:***@broker/x'");
  // Nothing to hide: quoted as given.
  EXPECT_EQ(ParseError("mqtt://alice@broker:0"),
            "port 0 out of range 1..65535 in server address 'mqtt://alice@broker:0'");
}

}  // namespace
}  // namespace ouzel
