#include "cc/client/server_reference.h"

#include "gtest/gtest.h"

namespace ouzel {
namespace {

ServerAddress Current(absl::string_view uri) { return *ServerAddress::Parse(uri); }

TEST(ServerReferenceTest, HostAndPortKeepTheCurrentScheme) {
  auto a = ParseServerReference("other.example:1884", Current("mqtts://first:8883"));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->ToString(), "mqtts://other.example:1884");
}

TEST(ServerReferenceTest, HostAloneGetsTheSchemeDefaultPort) {
  auto a = ParseServerReference("other", Current("mqtt://first:2000"));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->ToString(), "mqtt://other:1883");
}

TEST(ServerReferenceTest, FirstOfSeveralIsUsedAndIpv6Works) {
  auto a = ParseServerReference("  [::1]:1999 other:1 ", Current("mqtt://first"));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->ToString(), "mqtt://[::1]:1999");
}

TEST(ServerReferenceTest, FullUriWinsAndWebSocketPathIsKept) {
  auto uri = ParseServerReference("mqtt://plain:1", Current("wss://first/ws"));
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->ToString(), "mqtt://plain:1");
  auto ws = ParseServerReference("second:9001", Current("ws://first:9001/custom"));
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ(ws->ToString(), "ws://second:9001/custom");
}

TEST(ServerReferenceTest, EmptyOrMalformedIsRejected) {
  EXPECT_FALSE(ParseServerReference("", Current("mqtt://a")).ok());
  EXPECT_FALSE(ParseServerReference("   ", Current("mqtt://a")).ok());
  EXPECT_FALSE(ParseServerReference("host:99999", Current("mqtt://a")).ok());
  EXPECT_FALSE(ParseServerReference("host", Current("unix:///s")).ok());
}

TEST(ServerReferenceTest, OnlyUseAnotherServerAndServerMovedRedirect) {
  EXPECT_TRUE(IsRedirectReason(0x9C));
  EXPECT_TRUE(IsRedirectReason(0x9D));
  EXPECT_FALSE(IsRedirectReason(0x00));
  EXPECT_FALSE(IsRedirectReason(0x8B));
}

}  // namespace
}  // namespace ouzel
