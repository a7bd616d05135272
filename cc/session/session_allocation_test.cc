// The publish path allocates nothing per message beyond the message itself once warm: buffers,
// scratch packets, indexes and the finished-token history are reused.
#include <string>
#include <vector>

#include "cc/codec/encode.h"
#include "cc/session/internal/allocation_counter.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using session_internal::AllocationCount;

class Loop {
 public:
  explicit Loop(SessionOptions o) : session_(std::move(o)) {
    session_.OnTransportUp(now_);
    Drain();
    ByteBuffer connack;
    EXPECT_TRUE(EncodePacket(ConnackPacket{}, ProtocolVersion::kV5, &connack).ok());
    session_.OnBytesReceived(connack.span(), now_);
    Drain();
  }

  // One message: Publish (the request built before, as the caller owns it), written, acked.
  void Cycle(PublishRequest request, uint8_t ack_type) {
    absl::StatusOr<MessageToken> t = session_.Publish(std::move(request), now_);
    ASSERT_TRUE(t.ok()) << t.status();
    const uint16_t id = session_.StatusOf(*t)->packet_id;
    Drain();
    if (id == 0) return;  // QoS 0: nothing to acknowledge
    ack_[0] = ack_type;
    ack_[2] = static_cast<uint8_t>(id >> 8);
    ack_[3] = static_cast<uint8_t>(id);
    session_.OnBytesReceived(absl::MakeConstSpan(ack_, 4), now_);
    Drain();
  }

  Session& session() { return session_; }

 private:
  void Drain() {
    session_.OnOutputWritten(session_.PendingOutput().size(), now_);
    session_.TakeEvents(events_);
  }

  absl::Time now_ = absl::UnixEpoch();
  Session session_;
  std::vector<SessionEvent> events_;
  uint8_t ack_[4] = {0x40, 0x02, 0, 0};
};

PublishRequest Request(uint8_t qos) {
  return PublishRequest{
      "sensors/building-7/floor-3/temperature", std::string(100, 'p'), qos, false, {}};
}

SessionOptions Options() {
  SessionOptions o;
  o.version = ProtocolVersion::kV5;
  o.client_id = "bench";
  return o;
}

TEST(SessionAllocation, Qos1PublishAndPuback_OneAllocationPerMessage) {
  Loop loop(Options());
  // Warm up past the finished-token history so its index is at its steady size.
  for (int i = 0; i < 12000; ++i) loop.Cycle(Request(1), 0x40);
  constexpr int kMessages = 2000;
  std::vector<PublishRequest> requests;
  requests.reserve(kMessages);
  for (int i = 0; i < kMessages; ++i) requests.push_back(Request(1));
  const size_t before = AllocationCount();
  for (PublishRequest& r : requests) loop.Cycle(std::move(r), 0x40);
  const size_t per_message_x100 = (AllocationCount() - before) * 100 / kMessages;
  // The one allocation is the message's node in the inflight list (it must outlive the call).
  EXPECT_LE(per_message_x100, 105u) << "allocations per 100 messages";
  RecordProperty("allocations_per_100_messages", static_cast<int>(per_message_x100));
}

TEST(SessionAllocation, Qos0Publish_NoAllocation) {
  Loop loop(Options());
  for (int i = 0; i < 12000; ++i) loop.Cycle(Request(0), 0x40);
  constexpr int kMessages = 2000;
  std::vector<PublishRequest> requests;
  requests.reserve(kMessages);
  for (int i = 0; i < kMessages; ++i) requests.push_back(Request(0));
  const size_t before = AllocationCount();
  for (PublishRequest& r : requests) {
    absl::StatusOr<MessageToken> t = loop.session().Publish(std::move(r), absl::UnixEpoch());
    ASSERT_TRUE(t.ok());
    loop.session().OnOutputWritten(loop.session().PendingOutput().size(), absl::UnixEpoch());
  }
  // Freeing the request's payload is not an allocation; events accumulate in one vector that
  // grows geometrically (a few allocations for 2000).
  EXPECT_LE(AllocationCount() - before, 32u);
}

}  // namespace
}  // namespace ouzel
