// Session: MQTT 5 enhanced authentication, at connect and re-authentication.
#include <string>
#include <vector>

#include "cc/session/broker_double.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

SessionOptions Options() {
  SessionOptions o;
  o.version = ProtocolVersion::kV5;
  o.client_id = "c1";
  o.keep_alive_seconds = 0;
  o.connect_timeout = absl::Seconds(10);
  o.connect_properties.SetString(PropertyId::kAuthenticationMethod, "SCRAM-SHA-1");
  o.connect_properties.SetString(PropertyId::kAuthenticationData, "client-first");
  return o;
}

AuthPacket Auth(uint8_t rc, absl::string_view data, absl::string_view method = "SCRAM-SHA-1") {
  AuthPacket a;
  a.reason_code = rc;
  a.properties.SetString(PropertyId::kAuthenticationMethod, method);
  if (!data.empty()) a.properties.SetString(PropertyId::kAuthenticationData, data);
  return a;
}

Properties Data(absl::string_view data) {
  Properties p;
  p.SetString(PropertyId::kAuthenticationData, data);
  return p;
}

TEST(SessionAuth, AtConnect_AuthExchangeThenConnack) {
  BrokerDouble b(Options());
  b.Up();
  std::vector<Packet> connect = b.ReadPackets();
  ASSERT_EQ(connect.size(), 1u);
  EXPECT_EQ(std::get<ConnectPacket>(connect[0])
                .properties.GetString(PropertyId::kAuthenticationMethod)
                .value_or(""),
            "SCRAM-SHA-1");
  b.Send(Auth(0x18, "server-first"));
  EXPECT_EQ(b.Events(), (Lines{"Auth 0x18 method=SCRAM-SHA-1 data=server-first"}));
  ASSERT_TRUE(b.session().ContinueAuthentication(Data("client-final"), b.now()).ok());
  EXPECT_EQ(b.Read(), (Lines{"AUTH rc=0x18 method=SCRAM-SHA-1 data=client-final"}));
  EXPECT_EQ(b.session().state(), SessionState::kConnecting);
  ConnackPacket c;
  c.properties.SetString(PropertyId::kAuthenticationMethod, "SCRAM-SHA-1");
  c.properties.SetString(PropertyId::kAuthenticationData, "server-final");
  b.Send(c);
  EXPECT_EQ(b.Events(), (Lines{"Connected sp=0"}));
  EXPECT_EQ(b.session().state(), SessionState::kConnected);
}

TEST(SessionAuth, AtConnect_NothingButAuthBeforeConnack) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  ASSERT_TRUE(b.session().Subscribe({{{"a", 0}}, {}}, b.now()).ok());
  PublishRequest r{"t", "x", 1, false, {}};
  ASSERT_TRUE(b.session().Publish(std::move(r), b.now()).ok());
  b.Send(Auth(0x18, "challenge"));
  ASSERT_TRUE(b.session().ContinueAuthentication(Data("answer"), b.now()).ok());
  EXPECT_EQ(b.Read(), (Lines{"AUTH rc=0x18 method=SCRAM-SHA-1 data=answer"}));
}

TEST(SessionAuth, AtConnect_RefusedByConnack) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  b.Send(Auth(0x18, "challenge"));
  ASSERT_TRUE(b.session().ContinueAuthentication(Data("wrong"), b.now()).ok());
  ConnackPacket c;
  c.reason_code = 0x8C;
  b.Send(c);
  EXPECT_EQ(b.Events(), (Lines{"Auth 0x18 method=SCRAM-SHA-1 data=challenge",
                               "ConnectFailed rc=0x8c UNAUTHENTICATED"}));
}

TEST(SessionAuth, AtConnect_NoAnswerInTime_ConnectTimeout) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  b.Send(Auth(0x18, "challenge"));
  b.Events();
  b.Tick(absl::Seconds(10));
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed DEADLINE_EXCEEDED"}));
}

TEST(SessionAuth, DifferentMethod_ProtocolError) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  b.Send(Auth(0x18, "x", "PLAIN"));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed DATA_LOSS"}));
}

TEST(SessionAuth, SuccessAuthBeforeConnack_ProtocolError) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  b.Send(Auth(0x00, ""));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
}

TEST(SessionAuth, ContinueWithoutAPendingAuth_FailedPrecondition) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  EXPECT_EQ(b.session().ContinueAuthentication(Data("x"), b.now()).code(),
            absl::StatusCode::kFailedPrecondition);
  b.Send(Auth(0x18, "c"));
  Properties other;
  other.SetString(PropertyId::kAuthenticationMethod, "PLAIN");
  EXPECT_EQ(b.session().ContinueAuthentication(other, b.now()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(b.Read().empty());
}

TEST(SessionAuth, Reauthenticate_AuthExchangeEndsWithSuccess) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  ASSERT_TRUE(b.session().Reauthenticate(Data("again"), b.now()).ok());
  EXPECT_EQ(b.Read(), (Lines{"AUTH rc=0x19 method=SCRAM-SHA-1 data=again"}));
  EXPECT_EQ(b.session().Reauthenticate(Data("again"), b.now()).code(),
            absl::StatusCode::kFailedPrecondition);
  b.Send(Auth(0x18, "challenge"));
  EXPECT_EQ(b.Events(), (Lines{"Auth 0x18 method=SCRAM-SHA-1 data=challenge"}));
  ASSERT_TRUE(b.session().ContinueAuthentication(Data("response"), b.now()).ok());
  EXPECT_EQ(b.Read(), (Lines{"AUTH rc=0x18 method=SCRAM-SHA-1 data=response"}));
  b.Send(Auth(0x00, "done"));
  EXPECT_EQ(b.Events(), (Lines{"Auth 0x00 method=SCRAM-SHA-1 data=done"}));
  EXPECT_EQ(b.session().state(), SessionState::kConnected);
  EXPECT_FALSE(b.session().NextDeadline().has_value());
}

TEST(SessionAuth, Reauthenticate_NoAnswerWithinConnectTimeout_Disconnected) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  ASSERT_TRUE(b.session().Reauthenticate(Data("again"), b.now()).ok());
  b.Read();
  EXPECT_EQ(b.session().NextDeadline(), b.now() + absl::Seconds(10));
  b.Tick(absl::Seconds(10));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x80"}));
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x80 DEADLINE_EXCEEDED"}));
}

TEST(SessionAuth, UnsolicitedAuthWhenConnected_ProtocolError) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  b.Send(Auth(0x18, "?"));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
}

TEST(SessionAuth, WithoutAnAuthenticationMethod_NoAuthMayBeSent) {
  SessionOptions o = Options();
  o.connect_properties = {};
  BrokerDouble b(o);
  b.Connect();
  EXPECT_EQ(b.session().Reauthenticate(Data("x"), b.now()).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(b.Read().empty());
}

}  // namespace
}  // namespace ouzel
