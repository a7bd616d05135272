#include "cc/session/inbound_tracker.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/codec/codec_error.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

// Records what the tracker asks for, as short strings: "deliver t/1", "PUBACK 3", "PUBREC 4",
// "PUBCOMP 5 rc=0x92", "put 4", "put 4 held", "forget 4".
class RecordingSink : public InboundSink {
 public:
  void Deliver(Message m) override {
    log.push_back(absl::StrCat("deliver ", m.topic));
    delivered.push_back(std::move(m));
  }
  void SendAck(PacketType type, uint16_t id, uint8_t rc) override {
    std::string s = absl::StrCat(PacketTypeName(type), " ", id);
    if (rc != 0) absl::StrAppend(&s, " rc=0x", absl::Hex(rc));
    log.push_back(s);
  }
  void PersistIncoming(uint16_t id, const PublishPacket* held) override {
    log.push_back(absl::StrCat("put ", id, held ? " held" : ""));
  }
  void ForgetIncoming(uint16_t id) override { log.push_back(absl::StrCat("forget ", id)); }

  std::vector<std::string> Take() { return std::exchange(log, {}); }

  std::vector<std::string> log;
  std::vector<Message> delivered;
};

PublishPacket Pub(uint16_t id, uint8_t qos, absl::string_view topic = "t", bool dup = false) {
  PublishPacket p;
  p.topic = std::string(topic.data(), topic.size());
  p.payload = "p";
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

using Log = std::vector<std::string>;

class InboundTrackerTest : public ::testing::Test {
 protected:
  void Make(InboundTracker::Options o) {
    tracker_.emplace(o, &sink_);
    tracker_->OnConnected();
  }
  InboundTracker& t() { return *tracker_; }
  RecordingSink sink_;
  std::optional<InboundTracker> tracker_;
};

TEST_F(InboundTrackerTest, Qos0_DeliveredNoAck) {
  Make({});
  ASSERT_TRUE(t().OnPublish(Pub(0, 0)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"deliver t"}));
}

TEST_F(InboundTrackerTest, Qos1_DeliveredThenPuback) {
  Make({});
  ASSERT_TRUE(t().OnPublish(Pub(7, 1)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"deliver t", "PUBACK 7"}));
  EXPECT_EQ(t().unacknowledged_count(), 0u);
}

TEST_F(InboundTrackerTest, Qos2OnPublish_DeliveredAtPublishPubcompAtPubrel) {
  Make({});
  ASSERT_TRUE(t().OnPublish(Pub(3, 2)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"deliver t", "put 3", "PUBREC 3"}));
  ASSERT_TRUE(t().OnPubrel(Rel(3)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"forget 3", "PUBCOMP 3"}));
  EXPECT_EQ(t().qos2_count(), 0u);
}

TEST_F(InboundTrackerTest, PublishQos2OnPublish_DuplicateBeforePubrel_DeliveredOnce) {
  Make({});
  ASSERT_TRUE(t().OnPublish(Pub(3, 2)).ok());
  sink_.Take();
  ASSERT_TRUE(t().OnPublish(Pub(3, 2, "t", /*dup=*/true)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBREC 3"}));
  // Even after the connection is lost and the server re-sends it on the next one.
  t().OnConnectionLost();
  t().OnConnected();
  ASSERT_TRUE(t().OnPublish(Pub(3, 2, "t", /*dup=*/true)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBREC 3"}));
  EXPECT_EQ(sink_.delivered.size(), 1u);
}

TEST_F(InboundTrackerTest, PublishQos2OnPubrel_HeldUntilPubrelThenDeliveredOnce) {
  Make({.qos2_delivery = Qos2Delivery::kOnPubrel});
  ASSERT_TRUE(t().OnPublish(Pub(4, 2, "x")).ok());
  EXPECT_EQ(sink_.Take(), (Log{"put 4 held", "PUBREC 4"}));
  ASSERT_TRUE(t().OnPublish(Pub(4, 2, "x", true)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBREC 4"}));
  ASSERT_TRUE(t().OnPubrel(Rel(4)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"deliver x", "forget 4", "PUBCOMP 4"}));
  // A PUBREL again (our PUBCOMP lost): PUBCOMP, no delivery.
  ASSERT_TRUE(t().OnPubrel(Rel(4)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBCOMP 4"}));
  EXPECT_EQ(sink_.delivered.size(), 1u);
}

TEST_F(InboundTrackerTest, PubrelUnknownId_V5_PubcompPacketIdentifierNotFound) {
  Make({.v5 = true});
  ASSERT_TRUE(t().OnPubrel(Rel(9)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBCOMP 9 rc=0x92"}));
}

TEST_F(InboundTrackerTest, PubrelUnknownId_V311_PlainPubcomp) {
  Make({.v5 = false});
  ASSERT_TRUE(t().OnPubrel(Rel(9)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBCOMP 9"}));
}

TEST_F(InboundTrackerTest, PubrelBeforeOurPubrec_ProtocolError) {
  Make({.manual_ack = true});
  ASSERT_TRUE(t().OnPublish(Pub(5, 2)).ok());  // delivered, PUBREC waits for Ack
  absl::Status s = t().OnPubrel(Rel(5));
  EXPECT_EQ(DisconnectReasonOf(s), std::optional<uint8_t>(0x82)) << s;
}

TEST_F(InboundTrackerTest, ManualAck_ReverseOrder_AcksGoOutInArrivalOrder) {
  Make({.manual_ack = true});
  ASSERT_TRUE(t().OnPublish(Pub(1, 1, "a")).ok());
  ASSERT_TRUE(t().OnPublish(Pub(2, 2, "b")).ok());
  ASSERT_TRUE(t().OnPublish(Pub(3, 1, "c")).ok());
  EXPECT_EQ(sink_.Take(), (Log{"deliver a", "deliver b", "deliver c"}));
  ASSERT_TRUE(t().Ack(3).ok());
  EXPECT_TRUE(sink_.Take().empty());
  ASSERT_TRUE(t().Ack(2).ok());
  EXPECT_TRUE(sink_.Take().empty());
  ASSERT_TRUE(t().Ack(1).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBACK 1", "put 2", "PUBREC 2", "PUBACK 3"}));
}

TEST_F(InboundTrackerTest, ManualAck_Errors) {
  Make({.manual_ack = true});
  EXPECT_EQ(t().Ack(0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(t().Ack(44).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(t().OnPublish(Pub(1, 1)).ok());
  ASSERT_TRUE(t().Ack(1).ok());
  EXPECT_EQ(t().Ack(1).code(), absl::StatusCode::kNotFound);
}

TEST_F(InboundTrackerTest, Ack_WithoutManualAck_FailedPrecondition) {
  Make({});
  EXPECT_EQ(t().Ack(1).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(InboundTrackerTest, ManualAckOnPubrel_PubrecAtOncePubcompAtAck) {
  Make({.manual_ack = true, .qos2_delivery = Qos2Delivery::kOnPubrel});
  ASSERT_TRUE(t().OnPublish(Pub(6, 2, "m")).ok());
  EXPECT_EQ(sink_.Take(), (Log{"put 6 held", "PUBREC 6"}));
  EXPECT_EQ(t().Ack(6).code(), absl::StatusCode::kNotFound);  // not delivered yet
  ASSERT_TRUE(t().OnPubrel(Rel(6)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"deliver m"}));
  ASSERT_TRUE(t().OnPubrel(Rel(6)).ok());  // PUBREL again: still waiting for the app
  EXPECT_TRUE(sink_.Take().empty());
  ASSERT_TRUE(t().Ack(6).ok());
  EXPECT_EQ(sink_.Take(), (Log{"forget 6", "PUBCOMP 6"}));
  EXPECT_EQ(t().Ack(6).code(), absl::StatusCode::kNotFound);
}

TEST_F(InboundTrackerTest, ManualAckOnPublish_AckedWhileOffline_PubrecWhenResent) {
  Make({.manual_ack = true});
  ASSERT_TRUE(t().OnPublish(Pub(8, 2, "m")).ok());
  sink_.Take();
  t().OnConnectionLost();
  ASSERT_TRUE(t().Ack(8).ok());
  EXPECT_TRUE(sink_.Take().empty());
  t().OnConnected();
  ASSERT_TRUE(t().OnPublish(Pub(8, 2, "m", true)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"put 8", "PUBREC 8"}));
  EXPECT_EQ(sink_.delivered.size(), 1u);
}

TEST_F(InboundTrackerTest, ManualAckOnPublish_NotAckedWhenResent_PubrecWaitsForAck) {
  Make({.manual_ack = true});
  ASSERT_TRUE(t().OnPublish(Pub(8, 2, "m")).ok());
  t().OnConnectionLost();
  t().OnConnected();
  sink_.Take();
  ASSERT_TRUE(t().OnPublish(Pub(8, 2, "m", true)).ok());
  EXPECT_TRUE(sink_.Take().empty());
  ASSERT_TRUE(t().Ack(8).ok());
  EXPECT_EQ(sink_.Take(), (Log{"put 8", "PUBREC 8"}));
}

TEST_F(InboundTrackerTest, ReceiveMaximumExceeded_V5_Disconnect0x93) {
  Make({.manual_ack = true, .v5 = true, .receive_maximum = 2});
  ASSERT_TRUE(t().OnPublish(Pub(1, 1)).ok());
  ASSERT_TRUE(t().OnPublish(Pub(2, 2)).ok());
  absl::Status s = t().OnPublish(Pub(3, 1, "third"));
  EXPECT_EQ(DisconnectReasonOf(s), std::optional<uint8_t>(0x93)) << s;
  EXPECT_EQ(sink_.delivered.size(), 2u);
}

TEST_F(InboundTrackerTest, ReceiveMaximum_AckFreesASlot) {
  Make({.manual_ack = true, .v5 = true, .receive_maximum = 1});
  ASSERT_TRUE(t().OnPublish(Pub(1, 1)).ok());
  ASSERT_TRUE(t().Ack(1).ok());
  EXPECT_TRUE(t().OnPublish(Pub(2, 1)).ok());
}

TEST_F(InboundTrackerTest, ReceiveMaximum_Qos2CountsUntilPubcomp) {
  Make({.v5 = true, .receive_maximum = 1});
  ASSERT_TRUE(t().OnPublish(Pub(1, 2)).ok());  // PUBREC sent, still unacknowledged
  EXPECT_EQ(DisconnectReasonOf(t().OnPublish(Pub(2, 1))), std::optional<uint8_t>(0x93));
  ASSERT_TRUE(t().OnPubrel(Rel(1)).ok());
  EXPECT_TRUE(t().OnPublish(Pub(3, 1)).ok());
}

TEST_F(InboundTrackerTest, ReceiveMaximum_NotEnforcedFor3x) {
  Make({.manual_ack = true, .v5 = false, .receive_maximum = 1});
  ASSERT_TRUE(t().OnPublish(Pub(1, 1)).ok());
  EXPECT_TRUE(t().OnPublish(Pub(2, 1)).ok());
}

TEST_F(InboundTrackerTest, Qos1DuplicateWhilePending_NotDeliveredAgain) {
  Make({.manual_ack = true});
  ASSERT_TRUE(t().OnPublish(Pub(1, 1)).ok());
  ASSERT_TRUE(t().OnPublish(Pub(1, 1, "t", true)).ok());
  EXPECT_EQ(sink_.delivered.size(), 1u);
  ASSERT_TRUE(t().Ack(1).ok());
  EXPECT_EQ(sink_.Take(), (Log{"deliver t", "PUBACK 1"}));
}

TEST_F(InboundTrackerTest, DiscardSession_ForgetsIdsAndDeliversHeld) {
  Make({.qos2_delivery = Qos2Delivery::kOnPubrel});
  ASSERT_TRUE(t().OnPublish(Pub(2, 2, "held")).ok());
  sink_.Take();
  t().OnConnectionLost();
  t().DiscardSession();
  EXPECT_EQ(sink_.Take(), (Log{"forget 2", "deliver held"}));
  EXPECT_EQ(t().qos2_count(), 0u);
  // The id is new again.
  t().OnConnected();
  ASSERT_TRUE(t().OnPublish(Pub(2, 2, "new")).ok());
  EXPECT_EQ(sink_.Take(), (Log{"put 2 held", "PUBREC 2"}));
}

TEST_F(InboundTrackerTest, Restore_ResentPublishNotDeliveredPubrelDeliversHeld) {
  tracker_.emplace(InboundTracker::Options{.qos2_delivery = Qos2Delivery::kOnPubrel}, &sink_);
  ASSERT_TRUE(t().Restore(10, std::nullopt).ok());
  ASSERT_TRUE(t().Restore(11, Pub(11, 2, "kept")).ok());
  EXPECT_EQ(t().Restore(10, std::nullopt).code(), absl::StatusCode::kAlreadyExists);
  t().OnConnected();
  ASSERT_TRUE(t().OnPublish(Pub(10, 2, "again", true)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"PUBREC 10"}));
  ASSERT_TRUE(t().OnPubrel(Rel(11)).ok());
  EXPECT_EQ(sink_.Take(), (Log{"deliver kept", "forget 11", "PUBCOMP 11"}));
}

TEST_F(InboundTrackerTest, ConnectionLost_PendingQos1AckDroppedNothingWritten) {
  Make({.manual_ack = true, .v5 = true, .receive_maximum = 1});
  ASSERT_TRUE(t().OnPublish(Pub(1, 1)).ok());
  t().OnConnectionLost();
  sink_.Take();
  EXPECT_EQ(t().unacknowledged_count(), 0u);
  EXPECT_EQ(t().Ack(1).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(sink_.Take().empty());
  // The count restarts with the connection: the server re-sends and it fits again.
  t().OnConnected();
  EXPECT_TRUE(t().OnPublish(Pub(1, 1, "t", true)).ok());
}

}  // namespace
}  // namespace ouzel
