// Session: outgoing messages — QoS flows, the window, the queue, expiry, limits from CONNACK,
// topic aliases, resend after reconnect and the lost-session policies.
#include <string>
#include <vector>

#include "cc/session/broker_double.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

SessionOptions Options(ProtocolVersion v = ProtocolVersion::kV5) {
  SessionOptions o;
  o.version = v;
  o.client_id = "c1";
  o.keep_alive_seconds = 0;  // no PINGREQs in the way
  if (IsV5(v)) o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 3600);
  o.clean_start = IsV5(v);  // 3.x: persistent session, so reconnects resume
  return o;
}

PublishRequest Req(absl::string_view topic, uint8_t qos, absl::string_view payload = "x",
                   bool retain = false) {
  return PublishRequest{std::string(topic.data(), topic.size()),
                        std::string(payload.data(), payload.size()),
                        qos,
                        retain,
                        {}};
}

template <typename Ack>
Ack A(uint16_t id, uint8_t rc = 0) {
  Ack a;
  a.packet_id = id;
  a.reason_code = rc;
  return a;
}

MessageToken Publish(BrokerDouble& b, PublishRequest r) {
  absl::StatusOr<MessageToken> t = b.session().Publish(std::move(r), b.now());
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : 0;
}

MessageStatus Status(BrokerDouble& b, MessageToken t) {
  std::optional<MessageStatus> s = b.session().StatusOf(t);
  EXPECT_TRUE(s.has_value()) << "#" << t;
  return s.value_or(MessageStatus{});
}

Properties Connack(std::initializer_list<std::pair<PropertyId, uint32_t>> ints) {
  Properties p;
  for (const auto& [id, v] : ints) p.SetInt(id, v);
  return p;
}

// --- QoS flows ------------------------------------------------------------------------------

TEST(SessionPublish, Qos0_WrittenThenAcknowledgedWhenTheBytesAreWritten) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  MessageToken t = Publish(b, Req("a", 0));
  EXPECT_EQ(Status(b, t).state, DeliveryState::kInflight);
  EXPECT_TRUE(b.Events().empty());
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0"}));  // reports the bytes written
  EXPECT_EQ(b.Events(), (Lines{"PublishDone #1 acked"}));
  EXPECT_EQ(Status(b, t).state, DeliveryState::kAcknowledged);
}

TEST(SessionPublish, Qos0_PartialWrite_CompletesOnlyWhenItsLastByteIsWritten) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  MessageToken t = Publish(b, Req("a", 0, "payload"));
  const size_t n = b.session().PendingOutput().size();
  b.session().OnOutputWritten(n - 1, b.now());
  EXPECT_EQ(Status(b, t).state, DeliveryState::kInflight);
  b.session().OnOutputWritten(1, b.now());
  EXPECT_EQ(Status(b, t).state, DeliveryState::kAcknowledged);
}

TEST(SessionPublish, Qos0_TransportDiesBeforeWrite_DroppedConnectionLost) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  MessageToken t = Publish(b, Req("a", 0));
  b.Down();
  EXPECT_EQ(b.Events(),
            (Lines{"Disconnected UNAVAILABLE", "PublishDone #1 dropped/connection-lost"}));
  EXPECT_EQ(Status(b, t).drop_reason, DropReason::kConnectionLost);
}

TEST(SessionPublish, Qos0Offline_RefusedUnlessQueueingIsOn) {
  BrokerDouble b(Options());
  EXPECT_EQ(b.session().Publish(Req("a", 0), b.now()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  SessionOptions o = Options();
  o.queue_qos0_while_offline = true;
  BrokerDouble q(o);
  MessageToken t = Publish(q, Req("a", 0));
  EXPECT_EQ(Status(q, t).state, DeliveryState::kQueued);
  q.Connect();
  EXPECT_EQ(q.Read(), (Lines{"PUBLISH a q0"}));
}

TEST(SessionPublish, Qos0WhileConnecting_SentAfterConnack) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  MessageToken t = Publish(b, Req("a", 0));
  EXPECT_TRUE(b.Read().empty()) << "nothing but CONNECT before CONNACK";
  ConnackPacket c;
  b.Send(c);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0"}));
  EXPECT_EQ(Status(b, t).state, DeliveryState::kAcknowledged);
}

TEST(SessionPublish, Qos1_PubackAcknowledgesWithReasonAndProperties) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  MessageToken t = Publish(b, Req("a", 1));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1"}));
  auto ack = A<PubackPacket>(1, 0x10);
  ack.properties.SetString(PropertyId::kReasonString, "nobody listens");
  b.Send(ack);
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const auto& done = std::get<PublishDoneEvent>(events[0]);
  EXPECT_EQ(done.token, t);
  EXPECT_EQ(done.status.state, DeliveryState::kAcknowledged);
  EXPECT_EQ(done.status.reason_code, 0x10);
  EXPECT_EQ(done.properties.GetString(PropertyId::kReasonString).value_or(""), "nobody listens");
}

TEST(SessionPublish, Qos2_FullFlow) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  MessageToken t = Publish(b, Req("a", 2));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q2 id=1"}));
  b.Send(A<PubrecPacket>(1));
  EXPECT_EQ(b.Read(), (Lines{"PUBREL 1"}));
  EXPECT_EQ(Status(b, t).state, DeliveryState::kInflight);
  b.Send(A<PubcompPacket>(1));
  EXPECT_EQ(b.Events(), (Lines{"PublishDone #1 acked"}));
}

TEST(SessionPublish, PubackFailureCode_DroppedRejected) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  MessageToken t = Publish(b, Req("a", 1));
  b.Read();
  b.Send(A<PubackPacket>(1, 0x87));
  EXPECT_EQ(b.Events(), (Lines{"PublishDone #1 dropped/rejected rc=0x87"}));
  EXPECT_EQ(Status(b, t).reason_code, 0x87);
}

TEST(SessionPublish, PubrecFailureCode_DroppedRejectedAndNoPubrel) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  Publish(b, Req("a", 2));
  b.Read();
  b.Send(A<PubrecPacket>(1, 0x97));
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.Events(), (Lines{"PublishDone #1 dropped/rejected rc=0x97"}));
}

TEST(SessionPublish, UnknownPuback_IgnoredAndLogged) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  b.Send(A<PubackPacket>(77));
  EXPECT_TRUE(b.Events().empty());
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.session().state(), SessionState::kConnected);
  std::vector<SessionLog> logs = b.session().TakeLogs();
  ASSERT_FALSE(logs.empty());
  EXPECT_NE(logs.back().message.find("PUBACK ignored"), std::string::npos);
}

TEST(SessionPublish, UnknownPubrecV5_PubrelPacketIdentifierNotFound) {
  BrokerDouble b(Options());
  b.Connect();
  b.Send(A<PubrecPacket>(77));
  EXPECT_EQ(b.Read(), (Lines{"PUBREL 77 rc=0x92"}));
  EXPECT_EQ(b.session().state(), SessionState::kConnected);
}

TEST(SessionPublish, UnknownPubrecV311_Ignored) {
  BrokerDouble b(Options(ProtocolVersion::kV311));
  b.Connect();
  b.Send(A<PubrecPacket>(77));
  b.Send(A<PubcompPacket>(78));
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.session().state(), SessionState::kConnected);
}

TEST(SessionPublish, PubackForAQos2Message_ProtocolError) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  Publish(b, Req("a", 2));
  b.Read();
  b.Send(A<PubackPacket>(1));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x82 DATA_LOSS"}));
}

// --- Window and queue ----------------------------------------------------------------------

TEST(SessionPublish, ReceiveMaximumFromConnack_LimitsTheWindowAndAcksRefillIt) {
  BrokerDouble b(Options());
  b.Connect(false, Connack({{PropertyId::kReceiveMaximum, 2}}));
  b.Events();
  for (int i = 0; i < 4; ++i) Publish(b, Req("t", 1));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=1", "PUBLISH t q1 id=2"}));
  EXPECT_EQ(b.session().inflight_count(), 2u);
  EXPECT_EQ(b.session().queued_count(), 2u);
  b.Send(A<PubackPacket>(2));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=3"}));
  b.Send(A<PubackPacket>(1));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=4"}));
}

TEST(SessionPublish, MaxInflight_LimitsTheWindowIn3x) {
  SessionOptions o = Options(ProtocolVersion::kV311);
  o.max_inflight = 1;
  BrokerDouble b(o);
  b.Connect();
  Publish(b, Req("t", 2));
  Publish(b, Req("t", 1));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q2 id=1"}));
  b.Send(A<PubrecPacket>(1));
  EXPECT_EQ(b.Read(), (Lines{"PUBREL 1"}));
  b.Send(A<PubcompPacket>(1));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=2"}));
}

TEST(SessionPublish, QueueFullRefuseNew_ResourceExhausted) {
  SessionOptions o = Options();
  o.max_queued_messages = 2;
  BrokerDouble b(o);
  Publish(b, Req("a", 1));
  Publish(b, Req("b", 1));
  absl::StatusOr<MessageToken> t = b.session().Publish(Req("c", 1), b.now());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kResourceExhausted) << t.status();
  EXPECT_EQ(b.session().queued_count(), 2u);
}

TEST(SessionPublish, QueueFullByBytes_ResourceExhausted) {
  SessionOptions o = Options();
  o.max_queued_bytes = 8;
  BrokerDouble b(o);
  Publish(b, Req("a", 1, "1234"));
  EXPECT_EQ(b.session().Publish(Req("b", 1, "1234"), b.now()).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(SessionPublish, QueueFullDropOldestQos0_OldestQos0Dropped) {
  SessionOptions o = Options();
  o.max_queued_messages = 2;
  o.queue_qos0_while_offline = true;
  o.queue_full_policy = QueueFullPolicy::kDropOldestQos0;
  BrokerDouble b(o);
  MessageToken first = Publish(b, Req("a", 0));
  Publish(b, Req("b", 0));
  Publish(b, Req("c", 1));
  EXPECT_EQ(b.Events(), (Lines{"PublishDone #1 dropped/queue-full"}));
  EXPECT_EQ(Status(b, first).drop_reason, DropReason::kQueueFull);
  b.Connect();
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH b q0", "PUBLISH c q1 id=1"}));
}

TEST(SessionPublish, OfflineQueue_FlushedInOrderAfterConnect) {
  BrokerDouble b(Options());
  Publish(b, Req("a", 1));
  Publish(b, Req("b", 2));
  Publish(b, Req("c", 1));
  EXPECT_EQ(b.session().queued_count(), 3u);
  b.Connect();
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1", "PUBLISH b q2 id=2", "PUBLISH c q1 id=3"}));
}

// --- Expiry ---------------------------------------------------------------------------------

TEST(SessionPublish, MessageExpiry_ExpiresWhileQueuedAndIsNeverSent) {
  BrokerDouble b(Options());
  PublishRequest r = Req("a", 1);
  r.properties.SetInt(PropertyId::kMessageExpiryInterval, 10);
  MessageToken t = Publish(b, std::move(r));
  EXPECT_EQ(b.session().NextDeadline(), b.now() + absl::Seconds(10));
  b.Tick(absl::Seconds(10));
  EXPECT_EQ(b.Events(), (Lines{"PublishDone #1 expired"}));
  EXPECT_EQ(Status(b, t).state, DeliveryState::kExpired);
  b.Connect();
  EXPECT_TRUE(b.Read().empty());
}

TEST(SessionPublish, MessageExpiry_SentLateCarriesTheRemainingInterval) {
  BrokerDouble b(Options());
  PublishRequest r = Req("a", 1);
  r.properties.SetInt(PropertyId::kMessageExpiryInterval, 10);
  Publish(b, std::move(r));
  b.Advance(absl::Seconds(7));
  b.Connect();
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 expiry=3"}));
}

TEST(SessionPublish, MessageExpiry_SentAtOnceCarriesTheFullInterval) {
  BrokerDouble b(Options());
  b.Connect();
  PublishRequest r = Req("a", 0);
  r.properties.SetInt(PropertyId::kMessageExpiryInterval, 10);
  Publish(b, std::move(r));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0 expiry=10"}));
}

// --- Limits from CONNACK --------------------------------------------------------------------

TEST(SessionPublish, MaximumPacketSize_OversizedPublishRefusedOutOfRange) {
  BrokerDouble b(Options());
  b.Connect(false, Connack({{PropertyId::kMaximumPacketSize, 50}}));
  absl::StatusOr<MessageToken> t = b.session().Publish(Req("a", 1, std::string(60, 'x')), b.now());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(t.status().message().find("Maximum Packet Size"), absl::string_view::npos);
  EXPECT_TRUE(b.session().Publish(Req("a", 1, std::string(30, 'x')), b.now()).ok());
}

TEST(SessionPublish, MaximumPacketSize_QueuedBeforeItWasKnown_DroppedTooLargeAtSend) {
  BrokerDouble b(Options());
  MessageToken big = Publish(b, Req("a", 1, std::string(60, 'x')));
  MessageToken small = Publish(b, Req("b", 1));
  b.Connect(false, Connack({{PropertyId::kMaximumPacketSize, 50}}));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH b q1 id=2"}));
  EXPECT_EQ(b.Events(), (Lines{"Connected sp=0", "PublishDone #1 dropped/too-large"}));
  EXPECT_EQ(Status(b, big).drop_reason, DropReason::kTooLarge);
  EXPECT_EQ(Status(b, small).state, DeliveryState::kInflight);
}

TEST(SessionPublish, MaximumQos_HigherQosRefusedAndQueuedOnesRejectedAtSend) {
  BrokerDouble b(Options());
  MessageToken queued = Publish(b, Req("a", 2));
  b.Connect(false, Connack({{PropertyId::kMaximumQos, 1}}));
  EXPECT_EQ(Status(b, queued).drop_reason, DropReason::kRejected);
  EXPECT_EQ(Status(b, queued).reason_code, 0x9B);
  absl::StatusOr<MessageToken> t = b.session().Publish(Req("a", 2), b.now());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("Maximum QoS 1"), absl::string_view::npos) << t.status();
  EXPECT_TRUE(b.session().Publish(Req("a", 1), b.now()).ok());
}

TEST(SessionPublish, RetainNotAvailable_RetainedPublishRefused) {
  BrokerDouble b(Options());
  b.Connect(false, Connack({{PropertyId::kRetainAvailable, 0}}));
  absl::StatusOr<MessageToken> t = b.session().Publish(Req("a", 0, "x", true), b.now());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("retain"), absl::string_view::npos) << t.status();
}

TEST(SessionPublish, InvalidInput_Refused) {
  BrokerDouble b(Options());
  b.Connect();
  EXPECT_EQ(b.session().Publish(Req("a/#", 0), b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b.session().Publish(Req("", 0), b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b.session().Publish(Req("a", 3), b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  PublishRequest subid = Req("a", 0);
  subid.properties.AddSubscriptionIdentifier(4);
  EXPECT_EQ(b.session().Publish(std::move(subid), b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  BrokerDouble v3(Options(ProtocolVersion::kV311));
  PublishRequest props = Req("a", 1);
  props.properties.SetInt(PropertyId::kMessageExpiryInterval, 1);
  EXPECT_EQ(v3.session().Publish(std::move(props), v3.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(b.Read().empty());
}

// --- Topic aliases --------------------------------------------------------------------------

TEST(SessionTopicAlias, Auto_LeastRecentlyUsedUpToTheServersMaximum) {
  SessionOptions o = Options();
  o.auto_topic_alias = true;
  BrokerDouble b(o);
  b.Connect(false, Connack({{PropertyId::kTopicAliasMaximum, 2}}));
  for (const char* t : {"a", "a", "b", "a", "c", "b"}) Publish(b, Req(t, 0));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0 alias=1", "PUBLISH '' q0 alias=1",
                             "PUBLISH b q0 alias=2", "PUBLISH '' q0 alias=1",
                             "PUBLISH c q0 alias=2",  // b was least recently used
                             "PUBLISH b q0 alias=1"}));
}

TEST(SessionTopicAlias, Auto_ServerAllowsNone_NoAlias) {
  SessionOptions o = Options();
  o.auto_topic_alias = true;
  BrokerDouble b(o);
  b.Connect();
  Publish(b, Req("a", 0));
  Publish(b, Req("a", 0));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0", "PUBLISH a q0"}));
}

TEST(SessionTopicAlias, Auto_ResetOnReconnectAndResendCarriesTheFullTopic) {
  SessionOptions o = Options();
  o.auto_topic_alias = true;
  BrokerDouble b(o);
  const Properties aliases = Connack({{PropertyId::kTopicAliasMaximum, 5}});
  b.Connect(false, aliases);
  Publish(b, Req("a", 0));
  Publish(b, Req("a", 1));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0 alias=1", "PUBLISH '' q1 id=1 alias=1"}));
  b.Down();
  b.Connect(/*session_present=*/true, aliases);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 dup"}));  // full topic, no alias
  Publish(b, Req("a", 0));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0 alias=1"}));  // the mapping starts afresh
}

TEST(SessionTopicAlias, Manual_UsedAsGivenAndValidatedAgainstTheMaximum) {
  BrokerDouble b(Options());
  b.Connect(false, Connack({{PropertyId::kTopicAliasMaximum, 3}}));
  PublishRequest r = Req("a", 0);
  r.properties.SetInt(PropertyId::kTopicAlias, 3);
  Publish(b, std::move(r));
  PublishRequest alias_only = Req("", 0);
  alias_only.properties.SetInt(PropertyId::kTopicAlias, 3);
  MessageToken t = Publish(b, std::move(alias_only));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0 alias=3", "PUBLISH '' q0 alias=3"}));
  EXPECT_NE(t, 0u);
  PublishRequest too_big = Req("a", 0);
  too_big.properties.SetInt(PropertyId::kTopicAlias, 4);
  absl::StatusOr<MessageToken> refused = b.session().Publish(std::move(too_big), b.now());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("Topic Alias Maximum"), absl::string_view::npos);
  PublishRequest unbound = Req("", 0);
  unbound.properties.SetInt(PropertyId::kTopicAlias, 2);
  EXPECT_EQ(b.session().Publish(std::move(unbound), b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SessionTopicAlias, Manual_AliasOnlyPublishResentAfterReconnectWithItsTopic) {
  BrokerDouble b(Options());
  const Properties aliases = Connack({{PropertyId::kTopicAliasMaximum, 3}});
  b.Connect(false, aliases);
  PublishRequest r = Req("a", 0);
  r.properties.SetInt(PropertyId::kTopicAlias, 1);
  Publish(b, std::move(r));
  PublishRequest alias_only = Req("", 1);
  alias_only.properties.SetInt(PropertyId::kTopicAlias, 1);
  Publish(b, std::move(alias_only));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0 alias=1", "PUBLISH '' q1 id=1 alias=1"}));
  b.Down();
  b.Connect(true, aliases);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 dup"}));
}

TEST(SessionTopicAlias, ManualWithAutoOn_Refused) {
  SessionOptions o = Options();
  o.auto_topic_alias = true;
  BrokerDouble b(o);
  b.Connect(false, Connack({{PropertyId::kTopicAliasMaximum, 3}}));
  PublishRequest r = Req("a", 0);
  r.properties.SetInt(PropertyId::kTopicAlias, 1);
  EXPECT_EQ(b.session().Publish(std::move(r), b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// --- Reconnect ------------------------------------------------------------------------------

TEST(SessionResend, SessionResumed_DupPublishAndPubrelInOriginalOrder) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  Publish(b, Req("a", 1));
  Publish(b, Req("b", 2));
  Publish(b, Req("c", 2));
  b.Read();
  b.Send(A<PubrecPacket>(2));
  EXPECT_EQ(b.Read(), (Lines{"PUBREL 2"}));
  b.Down();
  Publish(b, Req("d", 1));
  ConnectPacket c = b.Connect(/*session_present=*/true);
  EXPECT_FALSE(c.clean_start);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 dup", "PUBREL 2", "PUBLISH c q2 id=3 dup",
                             "PUBLISH d q1 id=4"}));
  b.Send(A<PubackPacket>(1));
  b.Send(A<PubcompPacket>(2));
  b.Send(A<PubrecPacket>(3));
  b.Send(A<PubcompPacket>(3));
  b.Send(A<PubackPacket>(4));
  EXPECT_EQ(b.Events(),
            (Lines{"Disconnected UNAVAILABLE", "Connected sp=1", "PublishDone #1 acked",
                   "PublishDone #2 acked", "PublishDone #3 acked", "PublishDone #4 acked"}));
}

TEST(SessionResend, SessionResumed_ResendRespectsTheNewWindow) {
  BrokerDouble b(Options());
  b.Connect();
  for (int i = 0; i < 3; ++i) Publish(b, Req("t", 1));
  b.Read();
  b.Down();
  b.Connect(true, Connack({{PropertyId::kReceiveMaximum, 2}}));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=1 dup", "PUBLISH t q1 id=2 dup"}));
  b.Send(A<PubackPacket>(1));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=3 dup"}));
}

TEST(SessionResend, V311SessionResumed_DupResend) {
  BrokerDouble b(Options(ProtocolVersion::kV311));
  b.Connect();
  Publish(b, Req("a", 1));
  b.Read();
  b.Down();
  EXPECT_FALSE(b.Connect(true).clean_start);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 dup"}));
}

// MQTT 3.1's CONNACK has no Session Present flag: after Clean Session 0 the session is assumed
// kept, so inflight messages are resent rather than dropped as "session lost".
TEST(SessionResend, V31CleanSessionFalse_ResumesWithoutSessionPresentFlag_DupResend) {
  BrokerDouble b(Options(ProtocolVersion::kV31));
  b.Connect();
  Publish(b, Req("a", 1));
  Publish(b, Req("b", 2));
  b.Read();
  b.Send(A<PubrecPacket>(2));
  EXPECT_EQ(b.Read(), (Lines{"PUBREL 2"}));
  b.Down();
  b.Events();
  EXPECT_FALSE(b.Connect(/*session_present=*/false).clean_start);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 dup", "PUBREL 2"}));
  EXPECT_EQ(b.Events(), (Lines{"Connected sp=0"}));  // the wire's flag, not our assumption
}

TEST(SessionResend, LostSessionFailInflight_InflightDroppedSessionLostQueuedSent) {
  SessionOptions o = Options();
  o.max_inflight = 1;
  BrokerDouble b(o);
  b.Connect();
  MessageToken sent = Publish(b, Req("a", 1));
  MessageToken queued = Publish(b, Req("b", 1));
  b.Read();
  b.Down();
  b.Events();
  b.Connect(/*session_present=*/false);
  EXPECT_EQ(b.Events(), (Lines{"Connected sp=0", "PublishDone #1 dropped/session-lost"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH b q1 id=2"}));
  EXPECT_EQ(Status(b, sent).drop_reason, DropReason::kSessionLost);
  EXPECT_EQ(Status(b, queued).state, DeliveryState::kInflight);
  EXPECT_FALSE(b.session().TakeLogs().empty()) << "the lost session is logged";
}

TEST(SessionResend, LostSessionResendAsNew_SentAgainWithNewIdsWithoutDup) {
  SessionOptions o = Options();
  o.lost_session_policy = LostSessionPolicy::kResendAsNew;
  BrokerDouble b(o);
  b.Connect();
  MessageToken a = Publish(b, Req("a", 1));
  Publish(b, Req("b", 2));
  b.Read();
  b.Send(A<PubrecPacket>(2));
  b.Read();
  b.Down();
  b.Events();
  b.Connect(/*session_present=*/false);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=3", "PUBLISH b q2 id=4"}));
  EXPECT_EQ(b.Events(), (Lines{"Connected sp=0"}));
  EXPECT_EQ(Status(b, a).packet_id, 3);
}

TEST(SessionResend, CleanSession3x_InflightFailedOnReconnect) {
  SessionOptions o = Options(ProtocolVersion::kV311);
  o.clean_start = true;
  BrokerDouble b(o);
  b.Connect();
  MessageToken t = Publish(b, Req("a", 1));
  b.Read();
  b.Down();
  EXPECT_TRUE(b.Connect().clean_start);
  EXPECT_EQ(Status(b, t).drop_reason, DropReason::kSessionLost);
  EXPECT_TRUE(b.Read().empty());
}

// --- Delivery states and packet ids ---------------------------------------------------------

TEST(SessionPublish, StatusOf_EveryTerminalState) {
  SessionOptions o = Options();
  o.max_queued_messages = 1;
  o.queue_full_policy = QueueFullPolicy::kDropOldestQos0;
  o.queue_qos0_while_offline = true;
  BrokerDouble b(o);
  PublishRequest expiring = Req("e", 1);
  expiring.properties.SetInt(PropertyId::kMessageExpiryInterval, 1);
  MessageToken expired = Publish(b, std::move(expiring));
  b.Tick(absl::Seconds(1));
  MessageToken evicted = Publish(b, Req("q", 0));
  Publish(b, Req("r", 0));  // evicts q
  b.Connect(false, Connack({{PropertyId::kMaximumPacketSize, 40}}));
  MessageToken acked = Publish(b, Req("a", 1));
  MessageToken rejected = Publish(b, Req("b", 1));
  b.Read();
  b.Send(A<PubackPacket>(Status(b, acked).packet_id));
  b.Send(A<PubackPacket>(Status(b, rejected).packet_id, 0x80));
  MessageToken lost = Publish(b, Req("c", 1));
  b.Down();
  b.Connect(/*session_present=*/false);

  EXPECT_EQ(Status(b, expired).state, DeliveryState::kExpired);
  EXPECT_EQ(Status(b, evicted).drop_reason, DropReason::kQueueFull);
  EXPECT_EQ(Status(b, acked).state, DeliveryState::kAcknowledged);
  EXPECT_EQ(Status(b, rejected).drop_reason, DropReason::kRejected);
  EXPECT_EQ(Status(b, rejected).reason_code, 0x80);
  EXPECT_EQ(Status(b, lost).drop_reason, DropReason::kSessionLost);
  EXPECT_FALSE(b.session().StatusOf(12345).has_value());
}

TEST(SessionPublish, PacketIds_FillAll65535ThenRelease_NeverReusedWhileInUse) {
  SessionOptions o = Options();
  o.max_inflight = 0;
  BrokerDouble b(o);
  b.Connect();
  for (int i = 1; i <= 65535; ++i) {
    absl::StatusOr<MessageToken> t = b.session().Publish(Req("t", 1, ""), b.now());
    ASSERT_TRUE(t.ok()) << i << ": " << t.status();
  }
  b.ReadBytes();
  absl::StatusOr<MessageToken> full = b.session().Publish(Req("t", 1), b.now());
  EXPECT_EQ(full.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(b.session().Subscribe({{{"s", 0}}, {}}, b.now()).status().code(),
            absl::StatusCode::kResourceExhausted);
  b.Send(A<PubackPacket>(30000));
  EXPECT_EQ(Status(b, 30000).state, DeliveryState::kAcknowledged);
  MessageToken next = Publish(b, Req("t", 1));
  EXPECT_EQ(Status(b, next).packet_id, 30000);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=30000"}));
}

TEST(SessionPublish, NumberQos0Messages_PahoMidSequence) {
  SessionOptions o = Options(ProtocolVersion::kV311);
  o.number_qos0_messages = true;
  BrokerDouble b(o);
  b.Connect();
  absl::StatusOr<uint16_t> sub = b.session().Subscribe({{{"s", 0}}, {}}, b.now());
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(*sub, 1);
  MessageToken t = Publish(b, Req("a", 0));
  EXPECT_EQ(Status(b, t).packet_id, 2);
  absl::StatusOr<uint16_t> unsub = b.session().Unsubscribe({"s"}, {}, b.now());
  ASSERT_TRUE(unsub.ok());
  EXPECT_EQ(*unsub, 3);
}

}  // namespace
}  // namespace ouzel
