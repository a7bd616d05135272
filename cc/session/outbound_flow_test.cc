#include "cc/session/outbound_flow.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/codec/codec_error.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

const absl::Time kT0 = absl::UnixEpoch() + absl::Hours(1);

std::string DropName(DropReason r) {
  return r == DropReason::kNone ? "" : absl::StrCat("/", DropReasonName(r));
}

// Records the flow's requests as strings: "PUBLISH a id=1 dup=0", "PUBREL 1", "done #1 acked",
// "put #1 queued", "forget #1". Each written packet advances the stream offset by 10.
class RecordingSink : public OutboundSink {
 public:
  WriteResult WritePublish(OutgoingMessage& m, bool resend, absl::Time) override {
    if (m.publish.payload.size() > too_large_above) {
      return {DropReason::kTooLarge, 0, offset};
    }
    offset += 10;
    log.push_back(absl::StrCat("PUBLISH ", m.publish.topic, " id=", m.publish.packet_id,
                               " dup=", m.publish.dup ? 1 : 0, resend ? " resend" : ""));
    return {DropReason::kNone, 0, offset};
  }
  void WritePubrel(uint16_t id, uint8_t rc) override {
    offset += 10;
    log.push_back(rc == 0 ? absl::StrCat("PUBREL ", id)
                          : absl::StrCat("PUBREL ", id, " rc=0x", absl::Hex(rc)));
  }
  void Done(MessageToken token, const MessageStatus& s, Properties) override {
    std::string line =
        absl::StrCat("done #", token, " ", DeliveryStateName(s.state), DropName(s.drop_reason));
    if (s.reason_code != 0) absl::StrAppend(&line, " rc=0x", absl::Hex(s.reason_code));
    log.push_back(line);
    done_qos_.push_back(s.qos);
  }
  const std::vector<uint8_t>& done_qos() const { return done_qos_; }
  absl::Status PersistOutgoing(OutgoingMessage& m) override {
    if (!store_error.ok()) return store_error;
    const char* stage = m.stage == OutgoingMessage::Stage::kQueued        ? "queued"
                        : m.stage == OutgoingMessage::Stage::kPublishSent ? "publish-sent"
                                                                          : "pubrel-sent";
    store.push_back(absl::StrCat("put #", m.token, " ", stage, " id=", m.publish.packet_id));
    return absl::OkStatus();
  }
  void ForgetOutgoing(MessageToken token) override {
    store.push_back(absl::StrCat("forget #", token));
  }

  std::vector<std::string> Take() { return std::exchange(log, {}); }
  std::vector<std::string> TakeStore() { return std::exchange(store, {}); }

  std::vector<std::string> log;
  std::vector<std::string> store;
  uint64_t offset = 0;
  size_t too_large_above = 1 << 20;
  absl::Status store_error;

 private:
  std::vector<uint8_t> done_qos_;
};

using Log = std::vector<std::string>;

OutgoingMessage Msg(absl::string_view topic, uint8_t qos, absl::string_view payload = "p") {
  OutgoingMessage m;
  m.publish.topic = std::string(topic.data(), topic.size());
  m.publish.payload = std::string(payload.data(), payload.size());
  m.publish.qos = qos;
  return m;
}

PublishAck Ack(uint16_t id, uint8_t rc = 0) {
  PublishAck a;
  a.packet_id = id;
  a.reason_code = rc;
  return a;
}

class OutboundFlowTest : public ::testing::Test {
 protected:
  void Make(OutboundFlow::Limits limits = {}) { flow_.emplace(limits, &ids_, &sink_); }
  OutboundFlow& f() { return *flow_; }
  MessageToken Accept(OutgoingMessage m, absl::Time now = kT0) {
    absl::StatusOr<MessageToken> t = f().Accept(std::move(m), now);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : 0;
  }
  DeliveryState StateOf(MessageToken t) {
    std::optional<MessageStatus> s = f().StatusOf(t);
    EXPECT_TRUE(s.has_value()) << "#" << t;
    return s ? s->state : DeliveryState::kQueued;
  }
  void Connect(bool session_present = true, uint16_t receive_maximum = 65535,
               LostSessionPolicy policy = LostSessionPolicy::kFailInflight) {
    f().OnConnected(session_present, receive_maximum, policy, /*hold=*/false, kT0);
  }

  PacketIdAllocator ids_;
  RecordingSink sink_;
  std::optional<OutboundFlow> flow_;
};

TEST_F(OutboundFlowTest, Qos1Connected_SentAtOnceThenAcknowledgedOnPuback) {
  Make();
  Connect();
  MessageToken t = Accept(Msg("a", 1));
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=1 dup=0"}));
  EXPECT_EQ(StateOf(t), DeliveryState::kInflight);
  EXPECT_EQ(f().StatusOf(t)->packet_id, 1);
  ASSERT_TRUE(f().OnPuback(Ack(1), kT0).ok());
  EXPECT_EQ(sink_.Take(), (Log{"done #1 acked"}));
  EXPECT_EQ(StateOf(t), DeliveryState::kAcknowledged);
  EXPECT_FALSE(ids_.InUse(1));
}

TEST_F(OutboundFlowTest, Qos2_PubrecThenPubrelThenPubcompAcknowledges) {
  Make();
  Connect();
  MessageToken t = Accept(Msg("a", 2));
  ASSERT_TRUE(f().OnPubrec(Ack(1), true, kT0).ok());
  EXPECT_EQ(StateOf(t), DeliveryState::kInflight);
  ASSERT_TRUE(f().OnPubcomp(Ack(1), kT0).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=1 dup=0", "PUBREL 1", "done #1 acked"}));
  EXPECT_EQ(sink_.TakeStore(),
            (Log{"put #1 publish-sent id=1", "put #1 pubrel-sent id=1", "forget #1"}));
}

TEST_F(OutboundFlowTest, Status_CarriesTheQosPublishedWhileLiveAndAfterTheEnd) {
  Make();
  Connect();
  MessageToken one = Accept(Msg("a", 1));
  MessageToken two = Accept(Msg("b", 2));
  MessageToken zero = Accept(Msg("c", 0));
  EXPECT_EQ(f().StatusOf(one)->qos, 1);
  EXPECT_EQ(f().StatusOf(two)->qos, 2);
  EXPECT_EQ(f().StatusOf(zero)->qos, 0);
  ASSERT_TRUE(f().OnPuback(Ack(1), kT0).ok());
  ASSERT_TRUE(f().OnPubrec(Ack(2), true, kT0).ok());
  ASSERT_TRUE(f().OnPubcomp(Ack(2), kT0).ok());
  EXPECT_EQ(f().StatusOf(one)->qos, 1);
  EXPECT_EQ(f().StatusOf(two)->qos, 2);
  EXPECT_EQ(sink_.done_qos(), (std::vector<uint8_t>{1, 2}));
}

TEST_F(OutboundFlowTest, Offline_QueuedThenSentInOrderOnConnect) {
  Make();
  MessageToken a = Accept(Msg("a", 1));
  MessageToken b = Accept(Msg("b", 0));
  MessageToken c = Accept(Msg("c", 2));
  EXPECT_TRUE(sink_.Take().empty());
  EXPECT_EQ(StateOf(a), DeliveryState::kQueued);
  EXPECT_EQ(StateOf(b), DeliveryState::kQueued);
  EXPECT_EQ(f().queued_count(), 3u);
  Connect();
  EXPECT_EQ(sink_.Take(),
            (Log{"PUBLISH a id=1 dup=0", "PUBLISH b id=0 dup=0", "PUBLISH c id=2 dup=0"}));
  EXPECT_EQ(StateOf(c), DeliveryState::kInflight);
  EXPECT_EQ(f().queued_count(), 0u);
}

TEST_F(OutboundFlowTest, MaxInflight_LimitsWindowAndAckRefillsIt) {
  Make({.max_inflight = 2});
  Connect();
  Accept(Msg("a", 1));
  Accept(Msg("b", 1));
  MessageToken c = Accept(Msg("c", 1));
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=1 dup=0", "PUBLISH b id=2 dup=0"}));
  EXPECT_EQ(StateOf(c), DeliveryState::kQueued);
  ASSERT_TRUE(f().OnPuback(Ack(2), kT0).ok());
  EXPECT_EQ(sink_.Take(), (Log{"done #2 acked", "PUBLISH c id=3 dup=0"}));
}

TEST_F(OutboundFlowTest, ServerReceiveMaximum_LimitsWindowBelowMaxInflight) {
  Make({.max_inflight = 20});
  Connect(true, /*receive_maximum=*/1);
  Accept(Msg("a", 2));
  Accept(Msg("b", 1));
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=1 dup=0"}));
  ASSERT_TRUE(f().OnPubrec(Ack(1), true, kT0).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBREL 1"}));  // QoS 2 holds its slot until PUBCOMP
  ASSERT_TRUE(f().OnPubcomp(Ack(1), kT0).ok());
  EXPECT_EQ(sink_.Take(), (Log{"done #1 acked", "PUBLISH b id=2 dup=0"}));
}

TEST_F(OutboundFlowTest, Qos0BehindAFullWindow_WaitsItsTurn) {
  Make({.max_inflight = 1});
  Connect();
  Accept(Msg("a", 1));
  Accept(Msg("b", 1));
  Accept(Msg("c", 0));
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=1 dup=0"}));
  ASSERT_TRUE(f().OnPuback(Ack(1), kT0).ok());
  EXPECT_EQ(sink_.Take(), (Log{"done #1 acked", "PUBLISH b id=2 dup=0", "PUBLISH c id=0 dup=0"}));
}

TEST_F(OutboundFlowTest, QueueFullRefuseNew_ResourceExhaustedAndNothingChanges) {
  Make({.max_queued_messages = 2});
  Accept(Msg("a", 1));
  Accept(Msg("b", 0));
  absl::StatusOr<MessageToken> refused = f().Accept(Msg("c", 1), kT0);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted) << refused.status();
  EXPECT_EQ(f().queued_count(), 2u);
  EXPECT_EQ(ids_.in_use_count(), 1u);  // no packet id consumed
  EXPECT_TRUE(sink_.Take().empty());
  EXPECT_EQ(f().Accept(Msg("d", 0), kT0).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(OutboundFlowTest, QueueFullByBytes_Refused) {
  Make({.max_queued_bytes = 10});
  Accept(Msg("a", 1, "12345"));  // 6 bytes
  absl::StatusOr<MessageToken> refused = f().Accept(Msg("b", 1, "12345"), kT0);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  absl::StatusOr<MessageToken> huge = f().Accept(Msg("b", 1, std::string(20, 'x')), kT0);
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(huge.status().message().find("max_queued_bytes"), absl::string_view::npos);
  EXPECT_EQ(f().queued_bytes(), 6u);
}

TEST_F(OutboundFlowTest, QueueFullDropOldestQos0_EvictsOldestQos0) {
  Make({.max_queued_messages = 2, .queue_full_policy = QueueFullPolicy::kDropOldestQos0});
  MessageToken a = Accept(Msg("a", 1));
  MessageToken b = Accept(Msg("b", 0));
  MessageToken c = Accept(Msg("c", 0));
  EXPECT_EQ(sink_.Take(), (Log{"done #2 dropped/queue-full"}));
  EXPECT_EQ(f().StatusOf(b)->drop_reason, DropReason::kQueueFull);
  EXPECT_EQ(StateOf(a), DeliveryState::kQueued);
  EXPECT_EQ(StateOf(c), DeliveryState::kQueued);
  EXPECT_EQ(f().queued_count(), 2u);
}

TEST_F(OutboundFlowTest, QueueFullDropOldestQos0_NoQos0Queued_RefusedNothingDropped) {
  Make({.max_queued_messages = 1, .queue_full_policy = QueueFullPolicy::kDropOldestQos0});
  Accept(Msg("a", 1));
  absl::StatusOr<MessageToken> refused = f().Accept(Msg("b", 0), kT0);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(sink_.Take().empty());
}

TEST_F(OutboundFlowTest, QueueLimits_DoNotApplyToMessagesSentAtOnce) {
  Make({.max_queued_messages = 1});
  Connect();
  Accept(Msg("a", 1));
  Accept(Msg("b", 1));
  Accept(Msg("c", 0));
  EXPECT_EQ(f().queued_count(), 0u);
  EXPECT_EQ(f().inflight_count(), 3u);
}

TEST_F(OutboundFlowTest, MessageExpiry_QueuedMessageExpiresOnTimerAndIsNeverSent) {
  Make();
  OutgoingMessage m = Msg("a", 1);
  m.expires_at = kT0 + absl::Seconds(5);
  MessageToken t = Accept(std::move(m));
  EXPECT_EQ(f().NextExpiry(), kT0 + absl::Seconds(5));
  f().OnTimer(kT0 + absl::Seconds(4));
  EXPECT_EQ(StateOf(t), DeliveryState::kQueued);
  f().OnTimer(kT0 + absl::Seconds(5));
  EXPECT_EQ(sink_.Take(), (Log{"done #1 expired"}));
  EXPECT_EQ(StateOf(t), DeliveryState::kExpired);
  EXPECT_FALSE(ids_.InUse(1));
  Connect();
  EXPECT_TRUE(sink_.Take().empty());
}

TEST_F(OutboundFlowTest, MessageExpiry_ExpiredWhenTheConnectionComes_NotSent) {
  Make();
  OutgoingMessage m = Msg("a", 0);
  m.expires_at = kT0 + absl::Seconds(5);
  Accept(std::move(m));
  Accept(Msg("b", 0));
  f().OnConnected(true, 65535, LostSessionPolicy::kFailInflight, /*hold=*/false,
                  kT0 + absl::Seconds(6));
  EXPECT_EQ(sink_.Take(), (Log{"done #1 expired", "PUBLISH b id=0 dup=0"}));
}

TEST_F(OutboundFlowTest, ResendAfterReconnect_SessionPresent_DupPublishAndPubrelInOrder) {
  Make();
  Connect();
  Accept(Msg("a", 1));
  Accept(Msg("b", 2));
  Accept(Msg("c", 2));
  ASSERT_TRUE(f().OnPubrec(Ack(2), true, kT0).ok());
  sink_.Take();
  f().OnConnectionLost();
  Accept(Msg("d", 1));  // queued while offline: after the resends
  Connect(/*session_present=*/true);
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=1 dup=1 resend", "PUBREL 2",
                               "PUBLISH c id=3 dup=1 resend", "PUBLISH d id=4 dup=0"}));
}

TEST_F(OutboundFlowTest, ResendAfterReconnect_RespectsTheNewWindow) {
  Make();
  Connect();
  Accept(Msg("a", 1));
  Accept(Msg("b", 1));
  Accept(Msg("c", 1));
  sink_.Take();
  f().OnConnectionLost();
  Connect(true, /*receive_maximum=*/2);
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=1 dup=1 resend", "PUBLISH b id=2 dup=1 resend"}));
  ASSERT_TRUE(f().OnPuback(Ack(1), kT0).ok());
  EXPECT_EQ(sink_.Take(), (Log{"done #1 acked", "PUBLISH c id=3 dup=1 resend"}));
}

TEST_F(OutboundFlowTest, LostSessionFailInflight_InflightDroppedQueuedStillSent) {
  Make({.max_inflight = 1});
  Connect();
  MessageToken a = Accept(Msg("a", 1));
  MessageToken b = Accept(Msg("b", 1));  // queued behind the window
  sink_.Take();
  f().OnConnectionLost();
  Connect(/*session_present=*/false, 65535, LostSessionPolicy::kFailInflight);
  EXPECT_EQ(sink_.Take(), (Log{"done #1 dropped/session-lost", "PUBLISH b id=2 dup=0"}));
  EXPECT_EQ(f().StatusOf(a)->drop_reason, DropReason::kSessionLost);
  EXPECT_EQ(StateOf(b), DeliveryState::kInflight);
}

TEST_F(OutboundFlowTest, LostSessionResendAsNew_NewIdsNoDupBeforeQueued) {
  Make();
  Connect();
  Accept(Msg("a", 1));
  Accept(Msg("b", 2));
  ASSERT_TRUE(f().OnPubrec(Ack(2), true, kT0).ok());
  sink_.Take();
  f().OnConnectionLost();
  Accept(Msg("c", 1));  // id 3
  sink_.TakeStore();
  Connect(/*session_present=*/false, 65535, LostSessionPolicy::kResendAsNew);
  EXPECT_EQ(sink_.Take(),
            (Log{"PUBLISH a id=4 dup=0", "PUBLISH b id=5 dup=0", "PUBLISH c id=3 dup=0"}));
  EXPECT_EQ(sink_.TakeStore(),
            (Log{"put #1 queued id=4", "put #2 queued id=5", "put #1 publish-sent id=4",
                 "put #2 publish-sent id=5", "put #3 publish-sent id=3"}));
}

TEST_F(OutboundFlowTest, PubackFailureCode_DroppedRejectedWithCode) {
  Make();
  Connect();
  MessageToken t = Accept(Msg("a", 1));
  ASSERT_TRUE(f().OnPuback(Ack(1, 0x87), kT0).ok());
  std::optional<MessageStatus> s = f().StatusOf(t);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->state, DeliveryState::kDropped);
  EXPECT_EQ(s->drop_reason, DropReason::kRejected);
  EXPECT_EQ(s->reason_code, 0x87);
}

TEST_F(OutboundFlowTest, PubackNoMatchingSubscribers_StillAcknowledged) {
  Make();
  Connect();
  MessageToken t = Accept(Msg("a", 1));
  ASSERT_TRUE(f().OnPuback(Ack(1, 0x10), kT0).ok());
  EXPECT_EQ(StateOf(t), DeliveryState::kAcknowledged);
  EXPECT_EQ(f().StatusOf(t)->reason_code, 0x10);
}

TEST_F(OutboundFlowTest, PubrecFailureCode_RejectedAndNoPubrel) {
  Make();
  Connect();
  MessageToken t = Accept(Msg("a", 2));
  ASSERT_TRUE(f().OnPubrec(Ack(1, 0x97), true, kT0).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=1 dup=0", "done #1 dropped/rejected rc=0x97"}));
  EXPECT_EQ(f().StatusOf(t)->reason_code, 0x97);
}

TEST_F(OutboundFlowTest, PubrecUnknownIdV5_PubrelPacketIdentifierNotFound) {
  Make();
  Connect();
  EXPECT_EQ(f().OnPubrec(Ack(9), true, kT0).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(sink_.Take(), (Log{"PUBREL 9 rc=0x92"}));
}

TEST_F(OutboundFlowTest, UnknownAcks_V311_IgnoredNothingWritten) {
  Make();
  Connect();
  EXPECT_EQ(f().OnPubrec(Ack(9), false, kT0).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(f().OnPuback(Ack(9), kT0).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(f().OnPubcomp(Ack(9), kT0).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(sink_.Take().empty());
}

TEST_F(OutboundFlowTest, AckOfTheWrongKind_ProtocolError) {
  Make();
  Connect();
  Accept(Msg("a", 2));
  Accept(Msg("b", 1));
  EXPECT_EQ(DisconnectReasonOf(f().OnPuback(Ack(1), kT0)), std::optional<uint8_t>(0x82));
  EXPECT_EQ(DisconnectReasonOf(f().OnPubrec(Ack(2), true, kT0)), std::optional<uint8_t>(0x82));
  EXPECT_EQ(DisconnectReasonOf(f().OnPubcomp(Ack(1), kT0)), std::optional<uint8_t>(0x82));
}

TEST_F(OutboundFlowTest, Qos0_AcknowledgedWhenItsBytesAreWritten) {
  Make();
  Connect();
  MessageToken a = Accept(Msg("a", 0));  // ends at offset 10
  MessageToken b = Accept(Msg("b", 0));  // ends at offset 20
  EXPECT_EQ(StateOf(a), DeliveryState::kInflight);
  f().OnWritten(15);
  EXPECT_EQ(StateOf(a), DeliveryState::kAcknowledged);
  EXPECT_EQ(StateOf(b), DeliveryState::kInflight);
  f().OnWritten(20);
  EXPECT_EQ(StateOf(b), DeliveryState::kAcknowledged);
}

TEST_F(OutboundFlowTest, Qos0_TransportDiesBeforeWrite_ConnectionLost) {
  Make();
  Connect();
  MessageToken a = Accept(Msg("a", 0));
  f().OnConnectionLost();
  EXPECT_EQ(f().StatusOf(a)->drop_reason, DropReason::kConnectionLost);
}

TEST_F(OutboundFlowTest, Qos0QueuedForAConnection_ConnectionLostUnlessKeptOffline) {
  Make();
  MessageToken a = Accept(Msg("a", 0));  // e.g. accepted while waiting for CONNACK
  f().OnConnectionLost();
  EXPECT_EQ(f().StatusOf(a)->drop_reason, DropReason::kConnectionLost);

  Make({.keep_qos0_offline = true});
  MessageToken b = Accept(Msg("b", 0));
  f().OnConnectionLost();
  EXPECT_EQ(StateOf(b), DeliveryState::kQueued);
}

TEST_F(OutboundFlowTest, TooLargeAtSendTime_DroppedTooLarge) {
  Make();
  sink_.too_large_above = 3;
  MessageToken big = Accept(Msg("a", 1, "12345"));
  MessageToken ok = Accept(Msg("b", 1, "1"));
  Connect();
  EXPECT_EQ(sink_.Take(), (Log{"done #1 dropped/too-large", "PUBLISH b id=2 dup=0"}));
  EXPECT_EQ(f().StatusOf(big)->drop_reason, DropReason::kTooLarge);
  EXPECT_EQ(StateOf(ok), DeliveryState::kInflight);
  EXPECT_FALSE(ids_.InUse(1));
  EXPECT_EQ(f().window_used(), 1u);
}

TEST_F(OutboundFlowTest, StoreFailureOnAccept_ReturnedAndNothingChanges) {
  Make();
  sink_.store_error = absl::UnavailableError("disk full");
  absl::StatusOr<MessageToken> t = f().Accept(Msg("a", 1), kT0);
  EXPECT_EQ(t.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ids_.in_use_count(), 0u);
  EXPECT_EQ(f().queued_count(), 0u);
}

TEST_F(OutboundFlowTest, History_RemembersTheLastNFinishedTokens) {
  Make({.history = 2});
  Connect();
  MessageToken a = Accept(Msg("a", 1));
  MessageToken b = Accept(Msg("b", 1));
  MessageToken c = Accept(Msg("c", 1));
  for (uint16_t id = 1; id <= 3; ++id) ASSERT_TRUE(f().OnPuback(Ack(id), kT0).ok());
  EXPECT_FALSE(f().StatusOf(a).has_value());
  EXPECT_EQ(StateOf(b), DeliveryState::kAcknowledged);
  EXPECT_EQ(StateOf(c), DeliveryState::kAcknowledged);
  EXPECT_FALSE(f().StatusOf(999).has_value());
}

TEST_F(OutboundFlowTest, NumberQos0_Qos0TakesTheNextNumber) {
  Make({.number_qos0 = true});
  Connect();
  MessageToken a = Accept(Msg("a", 1));
  MessageToken b = Accept(Msg("b", 0));
  MessageToken c = Accept(Msg("c", 1));
  EXPECT_EQ(f().StatusOf(a)->packet_id, 1);
  EXPECT_EQ(f().StatusOf(b)->packet_id, 2);
  EXPECT_EQ(f().StatusOf(c)->packet_id, 3);
  f().OnWritten(1000);
  EXPECT_EQ(f().StatusOf(b)->packet_id, 2);
}

TEST_F(OutboundFlowTest, Restore_InflightResentWithDupQueuedSentAfterIdsReserved) {
  Make();
  std::vector<StoredOutgoing> stored(3);
  stored[0].token = 5;
  stored[0].publish = Msg("a", 1).publish;
  stored[0].publish.packet_id = 7;
  stored[0].stage = StoredOutgoing::Stage::kPublishSent;
  stored[1].token = 6;
  stored[1].publish = Msg("b", 2).publish;
  stored[1].publish.packet_id = 8;
  stored[1].stage = StoredOutgoing::Stage::kPubrelSent;
  stored[2].token = 9;
  stored[2].publish = Msg("c", 1).publish;
  stored[2].publish.packet_id = 1;
  stored[2].stage = StoredOutgoing::Stage::kQueued;
  EXPECT_EQ(f().Restore(std::move(stored), 10), 0u);
  EXPECT_TRUE(ids_.InUse(7));
  EXPECT_TRUE(ids_.InUse(8));
  EXPECT_TRUE(ids_.InUse(1));
  EXPECT_EQ(StateOf(5), DeliveryState::kInflight);
  EXPECT_EQ(StateOf(9), DeliveryState::kQueued);
  Connect(true);
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH a id=7 dup=1 resend", "PUBREL 8", "PUBLISH c id=1 dup=0"}));
  EXPECT_EQ(Accept(Msg("d", 1)), 10u);
  EXPECT_EQ(sink_.Take(), (Log{"PUBLISH d id=2 dup=0"}));
}

TEST_F(OutboundFlowTest, Restore_DuplicateIdRequeuedUnderANewId) {
  Make();
  std::vector<StoredOutgoing> stored(2);
  stored[0].token = 1;
  stored[0].publish = Msg("a", 1).publish;
  stored[0].publish.packet_id = 4;
  stored[0].stage = StoredOutgoing::Stage::kPublishSent;
  stored[1].token = 2;
  stored[1].publish = Msg("b", 1).publish;
  stored[1].publish.packet_id = 4;
  stored[1].stage = StoredOutgoing::Stage::kPublishSent;
  EXPECT_EQ(f().Restore(std::move(stored), 1), 1u);
  EXPECT_EQ(StateOf(2), DeliveryState::kQueued);
  EXPECT_EQ(f().StatusOf(2)->packet_id, 1);
}

TEST_F(OutboundFlowTest, Restore_ExpiryClockStartsAtFirstTime) {
  Make();
  std::vector<StoredOutgoing> stored(1);
  stored[0].token = 1;
  stored[0].publish = Msg("a", 1).publish;
  stored[0].publish.packet_id = 1;
  stored[0].publish.properties.SetInt(PropertyId::kMessageExpiryInterval, 10);
  f().Restore(std::move(stored), 1);
  f().OnTimer(kT0);
  EXPECT_EQ(f().NextExpiry(), kT0 + absl::Seconds(10));
  f().OnTimer(kT0 + absl::Seconds(10));
  EXPECT_EQ(StateOf(1), DeliveryState::kExpired);
}

}  // namespace
}  // namespace ouzel
