// Session: incoming messages (acks, exactly-once, Receive Maximum, manual ack, aliases) and
// SUBSCRIBE / UNSUBSCRIBE.
#include <string>
#include <vector>

#include "cc/codec/encode.h"
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
  if (IsV5(v)) o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 3600);
  o.clean_start = IsV5(v);
  return o;
}

PublishPacket Pub(absl::string_view topic, uint8_t qos, uint16_t id = 0,
                  absl::string_view payload = "m", bool dup = false) {
  PublishPacket p;
  p.topic = std::string(topic.data(), topic.size());
  p.payload = std::string(payload.data(), payload.size());
  p.qos = qos;
  p.packet_id = id;
  p.dup = dup;
  return p;
}

PubrelPacket Rel(uint16_t id) {
  PubrelPacket r;
  r.packet_id = id;
  return r;
}

// --- Incoming QoS flows ---------------------------------------------------------------------

TEST(SessionReceive, Qos0Qos1Qos2_DeliveredAndAcknowledged) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  b.Send(Pub("a", 0, 0, "zero"));
  b.Send(Pub("b", 1, 5, "one"));
  b.Send(Pub("c", 2, 6, "two"));
  EXPECT_EQ(b.Events(),
            (Lines{"Message a q0 'zero'", "Message b q1 id=5 'one'", "Message c q2 id=6 'two'"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBACK 5", "PUBREC 6"}));
  b.Send(Rel(6));
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 6"}));
  EXPECT_TRUE(b.Events().empty());
}

TEST(SessionReceive, MessagePropertiesAndFlagsPassedUp) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  PublishPacket p = Pub("a", 1, 3);
  p.retain = true;
  p.properties.SetString(PropertyId::kResponseTopic, "reply/here");
  p.properties.SetString(PropertyId::kCorrelationData, "42");
  p.properties.AddSubscriptionIdentifier(7);
  b.Send(p);
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const Message& m = std::get<MessageEvent>(events[0]).message;
  EXPECT_TRUE(m.retain);
  EXPECT_EQ(m.properties, p.properties);
}

TEST(SessionReceive, PublishQos2OnPublish_DuplicateBeforePubrel_DeliveredOnce) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  b.Send(Pub("a", 2, 9));
  b.Send(Pub("a", 2, 9, "m", /*dup=*/true));
  EXPECT_EQ(b.Events(), (Lines{"Message a q2 id=9 'm'"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBREC 9", "PUBREC 9"}));
  // Across a reconnect with the session resumed, too.
  b.Down();
  b.Connect(/*session_present=*/true);
  b.Send(Pub("a", 2, 9, "m", true));
  EXPECT_EQ(b.Read(), (Lines{"PUBREC 9"}));
  b.Send(Rel(9));
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 9"}));
  EXPECT_EQ(b.Events(), (Lines{"Disconnected UNAVAILABLE", "Connected sp=1"}));
}

TEST(SessionReceive, PublishQos2OnPubrel_DuplicateBeforePubrel_DeliveredOnceAtPubrel) {
  SessionOptions o = Options();
  o.qos2_delivery = Qos2Delivery::kOnPubrel;
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  b.Send(Pub("a", 2, 9, "first"));
  b.Send(Pub("a", 2, 9, "again", true));
  EXPECT_EQ(b.Read(), (Lines{"PUBREC 9", "PUBREC 9"}));
  EXPECT_TRUE(b.Events().empty());
  b.Send(Rel(9));
  EXPECT_EQ(b.Events(), (Lines{"Message a q2 id=9 'first'"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 9"}));
  b.Send(Rel(9));  // our PUBCOMP was lost: answered, not delivered again
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 9 rc=0x92"}));
  EXPECT_TRUE(b.Events().empty());
}

TEST(SessionReceive, CleanSessionOnReconnect_Qos2IdsForgotten) {
  BrokerDouble b(Options());
  b.Connect();
  b.Send(Pub("a", 2, 9));
  b.Down();
  b.Connect(/*session_present=*/false);
  b.Events();
  b.Read();
  b.Send(Pub("b", 2, 9));  // a new message under the same id
  EXPECT_EQ(b.Events(), (Lines{"Message b q2 id=9 'm'"}));
}

TEST(SessionReceive, PubrelUnknownIdV311_PlainPubcomp) {
  BrokerDouble b(Options(ProtocolVersion::kV311));
  b.Connect();
  b.Send(Rel(4));
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 4"}));
}

TEST(SessionReceive, ReceiveMaximumExceeded_Disconnect0x93AndNothingDelivered) {
  SessionOptions o = Options();
  o.manual_ack = true;
  o.connect_properties.SetInt(PropertyId::kReceiveMaximum, 2);
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  b.Send(Pub("a", 1, 1));
  b.Send(Pub("b", 2, 2));
  b.Send(Pub("c", 1, 3, "over"));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x93"}));
  EXPECT_EQ(b.Events(), (Lines{"Message a q1 id=1 'm'", "Message b q2 id=2 'm'",
                               "Disconnected rc=0x93 DATA_LOSS"}));
  EXPECT_TRUE(b.session().wants_close());
}

// Bytes for `packets`, as the broker would write them in one go.
std::vector<uint8_t> Wire(const std::vector<Packet>& packets) {
  ByteBuffer out;
  for (const Packet& p : packets) EXPECT_TRUE(EncodePacket(p, ProtocolVersion::kV5, &out).ok());
  return std::vector<uint8_t>(out.span().begin(), out.span().end());
}

TEST(SessionReceive, InboundLimit_StopsBeforeThePublishOverTheLimitAndResumes) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  const std::vector<uint8_t> wire =
      Wire({Packet(Pub("a", 1, 1)), Packet(Pub("b", 1, 2)), Packet(PingrespPacket{}),
            Packet(Pub("c", 0, 0)), Packet(Rel(9))});
  absl::Span<const uint8_t> rest(wire);
  size_t used = b.session().OnBytesReceived(rest, b.now(), InboundLimit{1, SIZE_MAX});
  EXPECT_EQ(b.Events(), (Lines{"Message a q1 id=1 'm'"}));
  ASSERT_LT(used, rest.size());
  rest.remove_prefix(used);
  // Nothing may be delivered: not even the PUBLISH at the front is started.
  EXPECT_EQ(b.session().OnBytesReceived(rest, b.now(), InboundLimit{0, SIZE_MAX}), 0u);
  // The PINGRESP after the second PUBLISH is handled before stopping at the third.
  used = b.session().OnBytesReceived(rest, b.now(), InboundLimit{1, SIZE_MAX});
  EXPECT_EQ(b.Events(), (Lines{"Message b q1 id=2 'm'"}));
  rest.remove_prefix(used);
  // The byte bound counts topic + payload ("c" + "m" = 2): reached, so the PUBREL waits too.
  used = b.session().OnBytesReceived(rest, b.now(), InboundLimit{10, 2});
  EXPECT_EQ(b.Events(), (Lines{"Message c q0 'm'"}));
  rest.remove_prefix(used);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(b.session().OnBytesReceived(rest, b.now(), InboundLimit()), rest.size());
  EXPECT_EQ(b.Read(), (Lines{"PUBACK 1", "PUBACK 2", "PUBCOMP 9 rc=0x92"}));
}

TEST(SessionReceive, InboundLimit_APublishSplitAcrossReadsIsFinished) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  const std::vector<uint8_t> wire = Wire({Packet(Pub("a", 0, 0, "payload"))});
  absl::Span<const uint8_t> all(wire);
  // Started with room for one message; the rest of it arrives when there is none left.
  EXPECT_EQ(b.session().OnBytesReceived(all.subspan(0, 4), b.now(), InboundLimit{1, SIZE_MAX}), 4u);
  EXPECT_EQ(b.session().OnBytesReceived(all.subspan(4), b.now(), InboundLimit{0, 0}),
            all.size() - 4);
  EXPECT_EQ(b.Events(), (Lines{"Message a q0 'payload'"}));
}

TEST(SessionReceive, ManualAckReverseOrder_PubacksInArrivalOrder) {
  SessionOptions o = Options();
  o.manual_ack = true;
  BrokerDouble b(o);
  b.Connect();
  for (uint16_t id = 1; id <= 3; ++id) b.Send(Pub("t", 1, id));
  EXPECT_TRUE(b.Read().empty());
  ASSERT_TRUE(b.session().Ack(3, b.now()).ok());
  ASSERT_TRUE(b.session().Ack(2, b.now()).ok());
  EXPECT_TRUE(b.Read().empty());
  ASSERT_TRUE(b.session().Ack(1, b.now()).ok());
  EXPECT_EQ(b.Read(), (Lines{"PUBACK 1", "PUBACK 2", "PUBACK 3"}));
  EXPECT_EQ(b.session().Ack(1, b.now()).code(), absl::StatusCode::kNotFound);
}

TEST(SessionReceive, ManualAckQos2_PubrecAtAckThenPubcompAtPubrel) {
  SessionOptions o = Options();
  o.manual_ack = true;
  BrokerDouble b(o);
  b.Connect();
  b.Send(Pub("t", 2, 8));
  EXPECT_TRUE(b.Read().empty());
  ASSERT_TRUE(b.session().Ack(8, b.now()).ok());
  EXPECT_EQ(b.Read(), (Lines{"PUBREC 8"}));
  b.Send(Rel(8));
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 8"}));
}

TEST(SessionReceive, AckWithoutManualAck_FailedPrecondition) {
  BrokerDouble b(Options());
  b.Connect();
  EXPECT_EQ(b.session().Ack(1, b.now()).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SessionReceive, IncomingTopicAliases_ResolvedAndErrors) {
  SessionOptions o = Options();
  o.connect_properties.SetInt(PropertyId::kTopicAliasMaximum, 4);
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  PublishPacket bind = Pub("long/topic", 0);
  bind.properties.SetInt(PropertyId::kTopicAlias, 4);
  b.Send(bind);
  PublishPacket use = Pub("", 0, 0, "second");
  use.properties.SetInt(PropertyId::kTopicAlias, 4);
  b.Send(use);
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<MessageEvent>(events[1]).message.topic, "long/topic");
  EXPECT_FALSE(std::get<MessageEvent>(events[1]).message.properties.Has(PropertyId::kTopicAlias));
}

TEST(SessionReceive, IncomingTopicAliasAboveOurMaximum_Disconnect0x94) {
  SessionOptions o = Options();
  o.connect_properties.SetInt(PropertyId::kTopicAliasMaximum, 4);
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  PublishPacket p = Pub("t", 0);
  p.properties.SetInt(PropertyId::kTopicAlias, 5);
  b.Send(p);
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x94"}));
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x94 DATA_LOSS"}));
}

TEST(SessionReceive, IncomingUnknownTopicAlias_Disconnect0x82) {
  SessionOptions o = Options();
  o.connect_properties.SetInt(PropertyId::kTopicAliasMaximum, 4);
  BrokerDouble b(o);
  b.Connect();
  b.Events();
  PublishPacket p = Pub("", 0);
  p.properties.SetInt(PropertyId::kTopicAlias, 2);
  b.Send(p);
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x82 DATA_LOSS"}));
}

TEST(SessionReceive, IncomingTopicAliasesForgottenOnReconnect) {
  SessionOptions o = Options();
  o.connect_properties.SetInt(PropertyId::kTopicAliasMaximum, 4);
  BrokerDouble b(o);
  b.Connect();
  PublishPacket bind = Pub("t", 0);
  bind.properties.SetInt(PropertyId::kTopicAlias, 1);
  b.Send(bind);
  b.Down();
  b.Connect(true);
  b.Events();
  PublishPacket use = Pub("", 0);
  use.properties.SetInt(PropertyId::kTopicAlias, 1);
  b.Send(use);
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
}

// --- SUBSCRIBE / UNSUBSCRIBE ----------------------------------------------------------------

SubscribeRequest Sub(const std::vector<std::pair<std::string, uint8_t>>& filters) {
  SubscribeRequest r;
  for (const auto& [f, q] : filters) {
    Subscription s;
    s.filter = f;
    s.qos = q;
    r.subscriptions.push_back(s);
  }
  return r;
}

SubackPacket Suback(uint16_t id, std::vector<uint8_t> codes) {
  SubackPacket s;
  s.packet_id = id;
  s.reason_codes = std::move(codes);
  return s;
}

TEST(SessionSubscribe, Suback_EveryReasonCodePassedUp) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  absl::StatusOr<uint16_t> id =
      b.session().Subscribe(Sub({{"a/+", 1}, {"b/#", 2}, {"c", 0}, {"d", 1}}), b.now());
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(b.Read(), (Lines{"SUBSCRIBE 1 a/+ q1, b/# q2, c q0, d q1"}));
  SubackPacket ack = Suback(*id, {0x01, 0x02, 0x00, 0x87});
  ack.properties.SetString(PropertyId::kReasonString, "d is private");
  b.Send(ack);
  std::vector<SessionEvent> events = b.TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  const auto& done = std::get<SubscribeDoneEvent>(events[0]);
  EXPECT_EQ(done.packet_id, 1);
  EXPECT_EQ(done.reason_codes, (std::vector<uint8_t>{0x01, 0x02, 0x00, 0x87}));
  EXPECT_EQ(done.properties, ack.properties);
  EXPECT_TRUE(done.error.ok());
}

TEST(SessionSubscribe, V311Suback_GrantedQosAndFailure) {
  BrokerDouble b(Options(ProtocolVersion::kV311));
  b.Connect();
  b.Events();
  ASSERT_TRUE(b.session().Subscribe(Sub({{"a", 2}, {"b", 1}}), b.now()).ok());
  b.Read();
  b.Send(Suback(1, {0x01, 0x80}));
  EXPECT_EQ(b.Events(), (Lines{"Suback 1 [0x01,0x80]"}));
}

TEST(SessionSubscribe, V5SubscriptionOptionsAndIdentifierWritten) {
  BrokerDouble b(Options());
  b.Connect();
  SubscribeRequest r = Sub({{"a", 1}});
  r.subscriptions[0].no_local = true;
  r.subscriptions[0].retain_as_published = true;
  r.subscriptions[0].retain_handling = 2;
  r.properties.AddSubscriptionIdentifier(42);
  ASSERT_TRUE(b.session().Subscribe(r, b.now()).ok());
  std::vector<Packet> packets = b.ReadPackets();
  ASSERT_EQ(packets.size(), 1u);
  const auto& s = std::get<SubscribePacket>(packets[0]);
  EXPECT_EQ(s.subscriptions, r.subscriptions);
  EXPECT_EQ(s.properties.GetSubscriptionIdentifiers(), (std::vector<uint32_t>{42}));
}

TEST(SessionSubscribe, Unsuback_ReasonCodesV5AndNoneV311) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  absl::StatusOr<uint16_t> id = b.session().Unsubscribe({"a", "b"}, {}, b.now());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(b.Read(), (Lines{"UNSUBSCRIBE 1 a, b"}));
  UnsubackPacket u;
  u.packet_id = *id;
  u.reason_codes = {0x00, 0x11};
  b.Send(u);
  EXPECT_EQ(b.Events(), (Lines{"Unsuback 1 [0x00,0x11]"}));

  BrokerDouble v3(Options(ProtocolVersion::kV311));
  v3.Connect();
  v3.Events();
  ASSERT_TRUE(v3.session().Unsubscribe({"a"}, {}, v3.now()).ok());
  UnsubackPacket u3;
  u3.packet_id = 1;
  v3.Send(u3);
  EXPECT_EQ(v3.Events(), (Lines{"Unsuback 1 []"}));
}

TEST(SessionSubscribe, InvalidFiltersAndOptions_Refused) {
  BrokerDouble b(Options());
  b.Connect();
  const auto code = [&](SubscribeRequest r) {
    return b.session().Subscribe(std::move(r), b.now()).status().code();
  };
  EXPECT_EQ(code(Sub({{"a/#/b", 0}})), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Sub({{"a", 3}})), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(SubscribeRequest{}), absl::StatusCode::kInvalidArgument);
  SubscribeRequest shared_no_local = Sub({{"$share/g/a", 0}});
  shared_no_local.subscriptions[0].no_local = true;
  EXPECT_EQ(code(shared_no_local), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b.session().Unsubscribe({"a/#/b"}, {}, b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b.session().Unsubscribe({}, {}, b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  BrokerDouble v3(Options(ProtocolVersion::kV311));
  v3.Connect();
  SubscribeRequest v5_only = Sub({{"a", 0}});
  v5_only.subscriptions[0].retain_handling = 1;
  EXPECT_EQ(v3.session().Subscribe(v5_only, v3.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(b.Read().empty());
}

TEST(SessionSubscribe, ServerWithoutWildcardsSharedOrIdentifiers_Refused) {
  BrokerDouble b(Options());
  Properties limits;
  limits.SetInt(PropertyId::kWildcardSubscriptionAvailable, 0);
  limits.SetInt(PropertyId::kSharedSubscriptionAvailable, 0);
  limits.SetInt(PropertyId::kSubscriptionIdentifierAvailable, 0);
  b.Connect(false, limits);
  absl::StatusOr<uint16_t> wildcard = b.session().Subscribe(Sub({{"a/+", 0}}), b.now());
  EXPECT_EQ(wildcard.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wildcard.status().message().find("wildcard"), absl::string_view::npos);
  EXPECT_EQ(b.session().Subscribe(Sub({{"$share/g/a", 0}}), b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  SubscribeRequest with_id = Sub({{"a", 0}});
  with_id.properties.AddSubscriptionIdentifier(1);
  EXPECT_EQ(b.session().Subscribe(with_id, b.now()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(b.session().Subscribe(Sub({{"a", 0}}), b.now()).ok());
}

TEST(SessionSubscribe, WhileDisconnected_FailedPrecondition) {
  BrokerDouble b(Options());
  EXPECT_EQ(b.session().Subscribe(Sub({{"a", 0}}), b.now()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(b.session().Unsubscribe({"a"}, {}, b.now()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SessionSubscribe, WhileConnecting_HeldAndSentAfterConnack) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  ASSERT_TRUE(b.session().Subscribe(Sub({{"a", 1}}), b.now()).ok());
  EXPECT_TRUE(b.Read().empty());
  b.Send(ConnackPacket{});
  EXPECT_EQ(b.Read(), (Lines{"SUBSCRIBE 1 a q1"}));
}

TEST(SessionSubscribe, HeldUntilConnackThenRefusedByServerLimits_DoneWithError) {
  BrokerDouble b(Options());
  b.Up();
  b.Read();
  ASSERT_TRUE(b.session().Subscribe(Sub({{"a/+", 1}}), b.now()).ok());
  ConnackPacket c;
  c.properties.SetInt(PropertyId::kWildcardSubscriptionAvailable, 0);
  b.Send(c);
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.Events(), (Lines{"Connected sp=0", "Suback 1 [] INVALID_ARGUMENT"}));
}

TEST(SessionSubscribe, ConnectionLostBeforeSuback_DoneWithErrorAndIdFreed) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  ASSERT_TRUE(b.session().Subscribe(Sub({{"a", 1}}), b.now()).ok());
  ASSERT_TRUE(b.session().Unsubscribe({"b"}, {}, b.now()).ok());
  b.Down();
  EXPECT_EQ(b.Events(), (Lines{"Disconnected UNAVAILABLE", "Suback 1 [] UNAVAILABLE",
                               "Unsuback 2 [] UNAVAILABLE"}));
}

TEST(SessionSubscribe, SubackForUnknownId_ProtocolError) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  b.Send(Suback(5, {0x00}));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
  EXPECT_EQ(b.Events(), (Lines{"Disconnected rc=0x82 DATA_LOSS"}));
}

TEST(SessionSubscribe, SubackWithTheWrongNumberOfCodes_ProtocolError) {
  BrokerDouble b(Options());
  b.Connect();
  b.Events();
  ASSERT_TRUE(b.session().Subscribe(Sub({{"a", 0}, {"b", 0}}), b.now()).ok());
  b.Read();
  b.Send(Suback(1, {0x00}));
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
}

TEST(SessionSubscribe, UnsubackForASubscribe_ProtocolError) {
  BrokerDouble b(Options());
  b.Connect();
  ASSERT_TRUE(b.session().Subscribe(Sub({{"a", 0}}), b.now()).ok());
  b.Read();
  UnsubackPacket u;
  u.packet_id = 1;
  u.reason_codes = {0};
  b.Send(u);
  EXPECT_EQ(b.Read(), (Lines{"DISCONNECT rc=0x82"}));
}

}  // namespace
}  // namespace ouzel
