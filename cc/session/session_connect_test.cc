// Session: CONNECT, CONNACK, keepalive, timeouts and both sides' DISCONNECT.
#include <string>
#include <vector>

#include "cc/codec/packet_test_util.h"
#include "cc/session/broker_double.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

SessionOptions Options(ProtocolVersion v = ProtocolVersion::kV311) {
  SessionOptions o;
  o.version = v;
  o.client_id = "c1";
  return o;
}

ConnackPacket Connack(uint8_t rc, bool session_present = false, Properties props = {}) {
  ConnackPacket c;
  c.reason_code = rc;
  c.session_present = session_present;
  c.properties = std::move(props);
  return c;
}

// --- CONNECT bytes --------------------------------------------------------------------------

TEST(SessionConnect, V31_ConnectGoldenBytes) {
  BrokerDouble b(Options(ProtocolVersion::kV31));
  b.Up();
  EXPECT_EQ(ToHex(b.ReadBytes()),
            ToHex(Hex("10 10 00 06 4d 51 49 73 64 70 03 02 00 3c 00 02 63 31")));
  EXPECT_EQ(b.session().state(), SessionState::kConnecting);
}

TEST(SessionConnect, V311_ConnectGoldenBytes) {
  BrokerDouble b(Options());
  b.Up();
  EXPECT_EQ(ToHex(b.ReadBytes()), ToHex(Hex("10 0e 00 04 4d 51 54 54 04 02 00 3c 00 02 63 31")));
}

TEST(SessionConnect, V311_WillAndCredentials_GoldenBytes) {
  SessionOptions o = Options();
  o.clean_start = false;
  o.keep_alive_seconds = 30;
  o.will = Will{"w", "x", 1, true, {}};
  o.username = "u";
  o.password = "p";
  BrokerDouble b(o);
  b.Up();
  EXPECT_EQ(ToHex(b.ReadBytes()),
            ToHex(Hex("10 1a 00 04 4d 51 54 54 04 ec 00 1e"  // flags: user, pass, will r q1
                      "00 02 63 31 00 01 77 00 01 78 00 01 75 00 01 70")));
}

TEST(SessionConnect, V5_ConnectWithPropertiesGoldenBytes) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 3600);
  o.connect_properties.SetInt(PropertyId::kReceiveMaximum, 10);
  BrokerDouble b(o);
  b.Up();
  EXPECT_EQ(ToHex(b.ReadBytes()), ToHex(Hex("10 17 00 04 4d 51 54 54 05 02 00 3c"
                                            "08 11 00 00 0e 10 21 00 0a"  // properties
                                            "00 02 63 31")));
}

// --- Clean start and resume -----------------------------------------------------------------

TEST(SessionConnect, V5_CleanStartFirstThenResumeWithSessionExpiry) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  BrokerDouble b(o);
  EXPECT_TRUE(b.Connect().clean_start);
  b.Down();
  EXPECT_FALSE(b.Connect(/*session_present=*/true).clean_start);
  EXPECT_EQ(b.Events(), (Lines{"Connected sp=0", "Disconnected UNAVAILABLE", "Connected sp=1"}));
}

TEST(SessionConnect, V5_NoSessionExpiry_AlwaysCleanStart) {
  BrokerDouble b(Options(ProtocolVersion::kV5));
  EXPECT_TRUE(b.Connect().clean_start);
  b.Down();
  EXPECT_TRUE(b.Connect().clean_start);
}

TEST(SessionConnect, V311_CleanSessionFalse_EveryConnectResumes) {
  SessionOptions o = Options();
  o.clean_start = false;
  BrokerDouble b(o);
  EXPECT_FALSE(b.Connect().clean_start);
  b.Down();
  EXPECT_FALSE(b.Connect(true).clean_start);
}

TEST(SessionConnect, V311_CleanSession_EveryConnectClean) {
  BrokerDouble b(Options());
  EXPECT_TRUE(b.Connect().clean_start);
  b.Down();
  EXPECT_TRUE(b.Connect().clean_start);
}

TEST(SessionConnect, FirstConnectRefused_NextAttemptStillUsesTheFirstConnectionsCleanStart) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.clean_start = true;
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  BrokerDouble b(o);
  b.Up();
  b.Read();
  b.Send(Connack(0x89));
  b.Down();
  b.Up();
  std::vector<Packet> p = b.ReadPackets();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(std::get<ConnectPacket>(p[0]).clean_start);
}

TEST(SessionConnect, V5_AssignedClientIdentifier_UsedOnReconnect) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.client_id = "";
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  BrokerDouble b(o);
  Properties props;
  props.SetString(PropertyId::kAssignedClientIdentifier, "auto-42");
  EXPECT_EQ(b.Connect(false, props).client_id, "");
  EXPECT_EQ(b.session().client_id(), "auto-42");
  b.Down();
  ConnectPacket again = b.Connect(true);
  EXPECT_EQ(again.client_id, "auto-42");
  EXPECT_FALSE(again.clean_start);
}

// --- CONNACK --------------------------------------------------------------------------------

TEST(SessionConnect, Connack_Success_ConnectedWithPropertiesPassedUp) {
  BrokerDouble b(Options(ProtocolVersion::kV5));
  Properties props;
  props.SetString(PropertyId::kResponseInformation, "resp/");
  props.SetString(PropertyId::kReasonString, "welcome");
  props.AddUserProperty("k", "v");
  props.SetString(PropertyId::kServerReference, "other:1883");
  b.Connect(false, props);
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const auto& e = std::get<ConnectedEvent>(events[0]);
  EXPECT_EQ(e.properties, props);
  EXPECT_EQ(b.session().state(), SessionState::kConnected);
  EXPECT_FALSE(b.session().wants_close());
}

struct RefusalCase {
  ProtocolVersion version;
  uint8_t code;
  absl::StatusCode status;
};

class SessionConnackRefusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(SessionConnackRefusal, ConnectFailedWithTheCodeAndWantsClose) {
  const RefusalCase& c = GetParam();
  BrokerDouble b(Options(c.version));
  b.Up();
  b.Read();
  Properties props;
  if (c.version == ProtocolVersion::kV5) props.SetString(PropertyId::kReasonString, "no");
  b.Send(Connack(c.code, false, props));
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const auto* failed = std::get_if<ConnectFailedEvent>(&events[0]);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->reason_code, std::optional<uint8_t>(c.code));
  EXPECT_EQ(failed->error.code(), c.status) << failed->error;
  EXPECT_EQ(failed->properties, props);
  EXPECT_TRUE(b.session().wants_close());
  EXPECT_EQ(b.session().state(), SessionState::kDisconnecting);
  b.Down(absl::OkStatus());
  EXPECT_TRUE(b.Events().empty()) << "the failure is reported once";
  EXPECT_EQ(b.session().state(), SessionState::kDisconnected);
}

INSTANTIATE_TEST_SUITE_P(
    AllCodes, SessionConnackRefusal,
    ::testing::Values(
        RefusalCase{ProtocolVersion::kV31, 1, absl::StatusCode::kFailedPrecondition},
        RefusalCase{ProtocolVersion::kV311, 1, absl::StatusCode::kFailedPrecondition},
        RefusalCase{ProtocolVersion::kV311, 2, absl::StatusCode::kInvalidArgument},
        RefusalCase{ProtocolVersion::kV311, 3, absl::StatusCode::kUnavailable},
        RefusalCase{ProtocolVersion::kV311, 4, absl::StatusCode::kUnauthenticated},
        RefusalCase{ProtocolVersion::kV311, 5, absl::StatusCode::kPermissionDenied},
        RefusalCase{ProtocolVersion::kV5, 0x80, absl::StatusCode::kUnavailable},
        RefusalCase{ProtocolVersion::kV5, 0x84, absl::StatusCode::kFailedPrecondition},
        RefusalCase{ProtocolVersion::kV5, 0x85, absl::StatusCode::kInvalidArgument},
        RefusalCase{ProtocolVersion::kV5, 0x86, absl::StatusCode::kUnauthenticated},
        RefusalCase{ProtocolVersion::kV5, 0x87, absl::StatusCode::kPermissionDenied},
        RefusalCase{ProtocolVersion::kV5, 0x88, absl::StatusCode::kUnavailable},
        RefusalCase{ProtocolVersion::kV5, 0x89, absl::StatusCode::kUnavailable},
        RefusalCase{ProtocolVersion::kV5, 0x8A, absl::StatusCode::kPermissionDenied},
        RefusalCase{ProtocolVersion::kV5, 0x8C, absl::StatusCode::kUnauthenticated},
        RefusalCase{ProtocolVersion::kV5, 0x97, absl::StatusCode::kResourceExhausted},
        RefusalCase{ProtocolVersion::kV5, 0x9C, absl::StatusCode::kUnavailable},
        RefusalCase{ProtocolVersion::kV5, 0x9D, absl::StatusCode::kUnavailable},
        RefusalCase{ProtocolVersion::kV5, 0x9F, absl::StatusCode::kResourceExhausted}));

TEST(SessionConnect, ConnackRefusal_ErrorNamesTheCodeAndServerReference) {
  BrokerDouble b(Options(ProtocolVersion::kV5));
  b.Up();
  b.Read();
  Properties props;
  props.SetString(PropertyId::kServerReference, "other.example:1883");
  b.Send(Connack(0x9C, false, props));
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const std::string message(std::get<ConnectFailedEvent>(events[0]).error.message());
  EXPECT_NE(message.find("0x9c Use another server"), std::string::npos) << message;
  EXPECT_NE(message.find("other.example:1883"), std::string::npos) << message;
}

TEST(SessionConnect, ConnackSessionPresentAfterCleanStart_ProtocolError) {
  BrokerDouble b(Options(ProtocolVersion::kV5));
  b.Up();
  b.Read();
  b.Send(Connack(0, /*session_present=*/true));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed DATA_LOSS"}));
  EXPECT_TRUE(b.session().wants_close());
}

// --- Timeouts and keepalive -----------------------------------------------------------------

TEST(SessionConnect, NoConnackWithinConnectTimeout_ConnectFailedDeadlineExceeded) {
  SessionOptions o = Options();
  o.connect_timeout = absl::Seconds(5);
  BrokerDouble b(o);
  b.Up();
  b.Read();
  EXPECT_EQ(b.session().NextDeadline(), b.now() + absl::Seconds(5));
  b.Tick(absl::Seconds(4));
  EXPECT_TRUE(b.Events().empty());
  b.Tick(absl::Seconds(1));
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed DEADLINE_EXCEEDED"}));
  EXPECT_TRUE(b.session().wants_close());
}

TEST(SessionKeepalive, Idle_PingreqAfterKeepAliveAndPingrespKeepsTheConnection) {
  SessionOptions o = Options();
  o.keep_alive_seconds = 10;
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  EXPECT_EQ(b.session().NextDeadline(), b.now() + absl::Seconds(10));
  b.Tick(absl::Seconds(9));
  EXPECT_TRUE(b.Read().empty());
  b.Tick(absl::Seconds(1));
  EXPECT_EQ(b.Read(), (Lines{"PINGREQ"}));
  b.Advance(absl::Seconds(1));
  b.Send(PingrespPacket{});
  b.Tick(absl::Seconds(9));
  EXPECT_EQ(b.Read(), (Lines{"PINGREQ"}));  // 10 s after the last PINGREQ was written
  EXPECT_TRUE(b.Events().empty());
}

TEST(SessionKeepalive, SendingPostponesThePing) {
  SessionOptions o = Options();
  o.keep_alive_seconds = 10;
  BrokerDouble b(o);
  b.Connect();
  b.Advance(absl::Seconds(8));
  ASSERT_TRUE(b.session().Publish({"t", "x", 1, false, {}}, b.now()).ok());
  b.Read();
  b.Tick(absl::Seconds(2));
  EXPECT_TRUE(b.Read().empty());
  b.Tick(absl::Seconds(8));
  EXPECT_EQ(b.Read(), (Lines{"PINGREQ"}));
}

TEST(SessionKeepalive, ReceivingDoesNotPostponeThePing) {
  SessionOptions o = Options();
  o.keep_alive_seconds = 10;
  BrokerDouble b(o);
  b.Connect();
  b.Advance(absl::Seconds(8));
  PublishPacket p;
  p.topic = "t";
  b.Send(p);
  b.Tick(absl::Seconds(2));
  EXPECT_EQ(b.Read(), (Lines{"PINGREQ"}));
}

TEST(SessionKeepalive, NoPingresp_DisconnectedAfterPingTimeout) {
  SessionOptions o = Options();
  o.keep_alive_seconds = 10;
  o.ping_timeout = absl::Seconds(3);
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  b.Tick(absl::Seconds(10));
  EXPECT_EQ(b.Read(), (Lines{"PINGREQ"}));
  b.Tick(absl::Seconds(2));
  EXPECT_TRUE(b.Events().empty());
  b.Tick(absl::Seconds(1));
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const auto& e = std::get<DisconnectedEvent>(events[0]);
  EXPECT_EQ(e.error.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(e.error.message().find("PINGRESP"), absl::string_view::npos) << e.error;
  EXPECT_EQ(e.reason_code, 0x8D);
  EXPECT_TRUE(b.session().wants_close());
  EXPECT_TRUE(b.Read().empty()) << "a dead connection gets no DISCONNECT";
}

TEST(SessionKeepalive, PingTimeoutDefaultsToKeepAlive) {
  SessionOptions o = Options();
  o.keep_alive_seconds = 10;
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  b.Tick(absl::Seconds(10));
  b.Read();
  b.Tick(absl::Seconds(9));
  EXPECT_TRUE(b.Events().empty());
  b.Tick(absl::Seconds(1));
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x8d DEADLINE_EXCEEDED"}));
}

TEST(SessionKeepalive, ServerKeepAlive_ReplacesOurs) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.keep_alive_seconds = 60;
  BrokerDouble b(o);
  Properties props;
  props.SetInt(PropertyId::kServerKeepAlive, 5);
  b.Connect(false, props);
  b.Tick(absl::Seconds(5));
  EXPECT_EQ(b.Read(), (Lines{"PINGREQ"}));
}

TEST(SessionKeepalive, KeepAliveZero_NoPingsNoDeadline) {
  SessionOptions o = Options();
  o.keep_alive_seconds = 0;
  BrokerDouble b(o);
  b.Connect();
  EXPECT_FALSE(b.session().NextDeadline().has_value());
  b.Tick(absl::Hours(2));
  EXPECT_TRUE(b.Read().empty());
}

TEST(SessionKeepalive, ServerKeepAliveZero_DisablesPings) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  BrokerDouble b(o);
  Properties props;
  props.SetInt(PropertyId::kServerKeepAlive, 0);
  b.Connect(false, props);
  b.Tick(absl::Hours(2));
  EXPECT_TRUE(b.Read().empty());
}

// --- Ends of a connection -------------------------------------------------------------------

TEST(SessionDisconnect, TransportDownBeforeConnack_ConnectFailed) {
  BrokerDouble b(Options());
  b.Up();
  b.Down(absl::UnavailableError("refused"));
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed UNAVAILABLE"}));
  EXPECT_EQ(b.session().state(), SessionState::kDisconnected);
}

TEST(SessionDisconnect, TransportDownWhenConnected_DisconnectedWithTheError) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  b.Down(absl::UnavailableError("reset by peer"));
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<DisconnectedEvent>(events[0]).error.message(), "reset by peer");
}

TEST(SessionDisconnect, ApplicationDisconnectV311_DisconnectWrittenThenOkEvent) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  ASSERT_TRUE(b.session().Disconnect(0, {}, b.now()).ok());
  EXPECT_EQ(ToHex(b.ReadBytes()), "e0 00");
  EXPECT_TRUE(b.session().wants_close());
  EXPECT_EQ(b.session().state(), SessionState::kDisconnecting);
  b.Down(absl::OkStatus());
  EXPECT_EQ(b.Events(), (Lines{"Disconnected OK"}));
  EXPECT_EQ(b.session().Disconnect(0, {}, b.now()).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SessionDisconnect, ApplicationDisconnectV5_ReasonAndPropertiesWritten) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  Properties props;
  props.SetInt(PropertyId::kSessionExpiryInterval, 0);
  ASSERT_TRUE(b.session().Disconnect(0x04, props, b.now()).ok());
  EXPECT_EQ(ToHex(b.ReadBytes()), "e0 07 04 05 11 00 00 00 00");
  b.Down(absl::OkStatus());
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x04 OK"}));
  // Session Expiry 0 ended the session: the next connection starts clean.
  EXPECT_TRUE(b.Connect().clean_start);
}

TEST(SessionDisconnect, V5_NonZeroSessionExpiryAfterZeroInConnect_Refused) {
  BrokerDouble b(Options(ProtocolVersion::kV5));
  b.Connect();
  Properties props;
  props.SetInt(PropertyId::kSessionExpiryInterval, 30);
  EXPECT_EQ(b.session().Disconnect(0, props, b.now()).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.session().state(), SessionState::kConnected);
}

TEST(SessionDisconnect, V5_InvalidReasonCode_Refused) {
  BrokerDouble b(Options(ProtocolVersion::kV5));
  b.Connect();
  EXPECT_EQ(b.session().Disconnect(0x05, {}, b.now()).code(), absl::StatusCode::kInvalidArgument);
}

TEST(SessionDisconnect, DisconnectWhileConnecting_ConnectFailedCancelled) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  ASSERT_TRUE(b.session().Disconnect(0, {}, b.now()).ok());
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT"}));
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed CANCELLED"}));
}

TEST(SessionDisconnect, ServerDisconnectV5_DisconnectedByServerWithServerReference) {
  BrokerDouble b(Options(ProtocolVersion::kV5));
  b.Connect();
  b.Events();
  DisconnectPacket d;
  d.reason_code = 0x9C;
  d.properties.SetString(PropertyId::kServerReference, "mqtt2.example:1883");
  d.properties.SetString(PropertyId::kReasonString, "moving you");
  b.Send(d);
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const auto& e = std::get<DisconnectedEvent>(events[0]);
  EXPECT_TRUE(e.by_server);
  EXPECT_EQ(e.reason_code, 0x9C);
  EXPECT_EQ(e.properties.GetString(PropertyId::kServerReference).value_or(""),
            "mqtt2.example:1883");
  EXPECT_NE(e.error.message().find("mqtt2.example:1883"), absl::string_view::npos) << e.error;
  EXPECT_TRUE(b.session().wants_close());
  EXPECT_TRUE(b.Read().empty());
  b.Down(absl::OkStatus());
  EXPECT_TRUE(b.Events().empty());
}

TEST(SessionDisconnect, ServerDisconnectV311_ProtocolErrorClosedWithoutDisconnect) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  b.Send(DisconnectPacket{});
  EXPECT_TRUE(b.Read().empty())
      << "3.x has no DISCONNECT reason to send (and one would drop the will)";
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x82 DATA_LOSS"}));
  EXPECT_TRUE(b.session().wants_close());
}

// --- ValidateOptions ------------------------------------------------------------------------

TEST(SessionValidateOptions, AcceptsDefaultsRefusesWhatCannotConnect) {
  EXPECT_TRUE(Session::ValidateOptions(Options()).ok());
  SessionOptions o = Options();
  o.client_id = "";
  o.clean_start = false;
  EXPECT_EQ(Session::ValidateOptions(o).code(), absl::StatusCode::kInvalidArgument);
  o = Options();
  o.connect_properties.SetInt(PropertyId::kReceiveMaximum, 5);
  EXPECT_EQ(Session::ValidateOptions(o).code(), absl::StatusCode::kInvalidArgument);
  o = Options();
  o.will = Will{"bad/#", "x", 0, false, {}};
  EXPECT_EQ(Session::ValidateOptions(o).code(), absl::StatusCode::kInvalidArgument);
  o = Options();
  o.password = "p";
  EXPECT_EQ(Session::ValidateOptions(o).code(), absl::StatusCode::kInvalidArgument);
  o = Options(ProtocolVersion::kV5);
  o.password = "p";
  EXPECT_TRUE(Session::ValidateOptions(o).ok());
  o.connect_properties.SetInt(PropertyId::kReceiveMaximum, 0);
  EXPECT_EQ(Session::ValidateOptions(o).code(), absl::StatusCode::kInvalidArgument);
}

TEST(SessionConnect, UnencodableConnect_ConnectFailedInvalidArgument) {
  SessionOptions o = Options();
  o.connect_properties.SetInt(PropertyId::kReceiveMaximum, 5);  // not in 3.1.1
  BrokerDouble b(o);
  b.Up();
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.Events(), (Lines{"ConnectFailed INVALID_ARGUMENT"}));
  EXPECT_TRUE(b.session().wants_close());
}

}  // namespace
}  // namespace ouzel
