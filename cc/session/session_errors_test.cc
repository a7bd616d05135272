// Session: malformed and out-of-protocol input from the broker. Each ends the connection with
// the right reason code (a DISCONNECT in MQTT 5), a clear error event, and nothing half-decoded
// delivered.
#include <string>
#include <vector>

#include "cc/codec/encode.h"
#include "cc/codec/packet_test_util.h"
#include "cc/session/broker_double.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

SessionOptions Options(ProtocolVersion v = ProtocolVersion::kV5) {
  SessionOptions o;
  o.version = v;
  o.client_id = "c1";
  o.keep_alive_seconds = 0;
  return o;
}

// The session's single error event after a violation, checked to be a clear one.
absl::Status ErrorOf(BrokerDouble& b) {
  std::vector<SessionEvent> events = b.TakeEvents();
  if (events.size() != 1) {
    ADD_FAILURE() << "expected one event, got " << events.size();
    return absl::OkStatus();
  }
  if (const auto* d = std::get_if<DisconnectedEvent>(&events[0])) return d->error;
  if (const auto* f = std::get_if<ConnectFailedEvent>(&events[0])) return f->error;
  ADD_FAILURE() << "not an end-of-connection event: " << Brief(events[0]);
  return absl::OkStatus();
}

class SessionErrors : public ::testing::Test {
 protected:
  SessionErrors() : b_(Options()) {
    b_.Connect();
    b_.Events();
  }
  BrokerDouble b_;
};

TEST_F(SessionErrors, UndecodableBytes_Disconnect0x81MalformedPacket) {
  // PUBLISH QoS 1 whose Remaining Length (3) ends inside its Packet Identifier.
  b_.SendBytes(Hex("32 03 00 01 61"));
  EXPECT_EQ(ToHex(b_.ReadBytes()), "e0 01 81");
  absl::Status e = ErrorOf(b_);
  EXPECT_EQ(e.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(e.message().find("0x81 Malformed Packet"), absl::string_view::npos) << e;
  EXPECT_TRUE(b_.session().wants_close());
  EXPECT_EQ(b_.session().state(), SessionState::kDisconnecting);
}

TEST_F(SessionErrors, PublishWithQos3_Malformed) {
  b_.SendBytes(Hex("36 05 00 01 61 00 01"));
  EXPECT_EQ(b_.Read(), (Lines{"DISCONNECT rc=0x81"}));
  EXPECT_NE(ErrorOf(b_).message().find("QoS"), absl::string_view::npos);
}

TEST_F(SessionErrors, ConnectFromTheServer_ProtocolError) {
  ConnectPacket c;
  c.version = ProtocolVersion::kV5;
  c.client_id = "server?";
  b_.Send(c);
  EXPECT_EQ(b_.Read(), (Lines{"DISCONNECT rc=0x82"}));
  absl::Status e = ErrorOf(b_);
  EXPECT_NE(e.message().find("CONNECT, which only a client may send"), absl::string_view::npos)
      << e;
}

TEST_F(SessionErrors, SubscribeFromTheServer_ProtocolError) {
  SubscribePacket s;
  s.packet_id = 1;
  s.subscriptions.push_back({"a", 0});
  b_.Send(s);
  EXPECT_EQ(b_.Read(), (Lines{"DISCONNECT rc=0x82"}));
}

TEST_F(SessionErrors, PingreqFromTheServer_ProtocolError) {
  b_.Send(PingreqPacket{});
  EXPECT_EQ(b_.Read(), (Lines{"DISCONNECT rc=0x82"}));
}

TEST_F(SessionErrors, SecondConnack_ProtocolError) {
  b_.Send(ConnackPacket{});
  EXPECT_EQ(b_.Read(), (Lines{"DISCONNECT rc=0x82"}));
  EXPECT_NE(ErrorOf(b_).message().find("second CONNACK"), absl::string_view::npos);
}

TEST_F(SessionErrors, AuthWithoutEnhancedAuthentication_ProtocolError) {
  AuthPacket a;
  a.reason_code = 0x18;
  a.properties.SetString(PropertyId::kAuthenticationMethod, "SCRAM");
  b_.Send(a);
  EXPECT_EQ(b_.Read(), (Lines{"DISCONNECT rc=0x82"}));
}

TEST_F(SessionErrors, PacketOverOurMaximumPacketSize_Disconnect0x95) {
  SessionOptions o = Options();
  o.connect_properties.SetInt(PropertyId::kMaximumPacketSize, 20);
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  PublishPacket p;
  p.topic = "t";
  p.payload = std::string(30, 'x');
  b.Send(p);
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x95"}));
  EXPECT_TRUE(b.Events().size() == 1);
}

TEST_F(SessionErrors, ValidPacketBeforeTheBadOne_DeliveredButNothingFromTheBadOneOn) {
  PublishPacket good;
  good.topic = "good";
  ByteBuffer bytes;
  ASSERT_TRUE(EncodePacket(good, ProtocolVersion::kV5, &bytes).ok());
  const std::vector<uint8_t> bad = Hex("32 03 00 01 61");  // truncated
  bytes.Append(absl::MakeConstSpan(bad));
  PublishPacket after;
  after.topic = "after";
  ASSERT_TRUE(EncodePacket(after, ProtocolVersion::kV5, &bytes).ok());
  b_.SendBytes(bytes.span());
  EXPECT_EQ(b_.Events(), (Lines{"Message good q0 ''", "Disconnected rc=0x81 DATA_LOSS"}));
  // Anything arriving later on this connection is ignored.
  b_.Send(after);
  EXPECT_TRUE(b_.Events().empty());
  EXPECT_EQ(b_.Read(), (Lines{"DISCONNECT rc=0x81"}));
}

TEST_F(SessionErrors, TheEndIsReportedOnce) {
  b_.Send(PingreqPacket{});
  b_.Events();
  b_.Down(absl::OkStatus());
  EXPECT_TRUE(b_.Events().empty());
  EXPECT_EQ(b_.session().state(), SessionState::kDisconnected);
}

TEST(SessionErrorsBeforeConnack, PublishBeforeConnack_ProtocolErrorConnectFailed) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  PublishPacket p;
  p.topic = "early";
  b.Send(p);
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const auto& failed = std::get<ConnectFailedEvent>(events[0]);
  EXPECT_NE(failed.error.message().find("before CONNACK"), absl::string_view::npos) << failed.error;
}

TEST(SessionErrorsBeforeConnack, ServerDisconnectBeforeConnack_ProtocolError) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  DisconnectPacket d;
  d.reason_code = 0x89;
  b.Send(d);
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed DATA_LOSS"}));
}

TEST(SessionErrorsV311, AuthPacketType_ClosedWithoutDisconnect) {
  BrokerDouble b(Options(ProtocolVersion::kV311));
  b.Connect();
  b.Events();
  b.SendBytes(Hex("f0 00"));
  EXPECT_TRUE(b.Read().empty()) << "3.x: no DISCONNECT (it would suppress the will)";
  absl::Status e = ErrorOf(b);
  EXPECT_EQ(e.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(e.message().find("reserved"), absl::string_view::npos) << e;
  EXPECT_TRUE(b.session().wants_close());
}

TEST(SessionErrorsV311, MalformedConnack_ConnectFailed) {
  BrokerDouble b(Options(ProtocolVersion::kV311));
  b.Up();
  b.Read();
  b.SendBytes(Hex("20 02 00 09"));  // return code 9 is undefined
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed DATA_LOSS"}));
}

TEST(SessionErrorsV311, SubackForAnUnknownId_ClosedWithTheError) {
  BrokerDouble b(Options(ProtocolVersion::kV311));
  b.Connect();
  b.Events();
  b.SendBytes(Hex("90 03 00 07 00"));
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x82 DATA_LOSS"}));
}

}  // namespace
}  // namespace ouzel
