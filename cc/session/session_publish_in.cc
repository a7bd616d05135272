// Incoming publish flows: the InboundSink side of InboundTracker (delivery as MessageEvent,
// PUBACK/PUBREC/PUBCOMP, store records) and the application's Ack.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/session/internal/session_helpers.h"
#include "cc/session/session.h"

namespace ouzel {

using session_internal::MakeAck;

// ---------------------------------------------------------------------------------------------
// InboundSink

void Session::Deliver(Message message) {
  ++delivered_messages_;
  delivered_bytes_ += message.topic.size() + message.payload.size();
  events_.emplace_back(MessageEvent{std::move(message)});
}

void Session::SendAck(PacketType type, uint16_t packet_id, uint8_t reason_code) {
  switch (type) {
    case PacketType::kPuback:
      Write(Packet(MakeAck<PubackPacket>(packet_id, reason_code)));
      break;
    case PacketType::kPubrec:
      Write(Packet(MakeAck<PubrecPacket>(packet_id, reason_code)));
      break;
    case PacketType::kPubcomp:
      Write(Packet(MakeAck<PubcompPacket>(packet_id, reason_code)));
      break;
    default:
      break;
  }
}

void Session::PersistIncoming(uint16_t packet_id, const PublishPacket* held) {
  if (store_ == nullptr) return;
  absl::Status s = store_->PutIncoming(packet_id, held);
  if (!s.ok()) Log(LogLevel::kError, absl::StrCat("store: PutIncoming failed: ", s.ToString()));
}

void Session::ForgetIncoming(uint16_t packet_id) {
  if (store_ == nullptr) return;
  absl::Status s = store_->RemoveIncoming(packet_id);
  if (!s.ok()) Log(LogLevel::kError, absl::StrCat("store: RemoveIncoming failed: ", s.ToString()));
}

absl::Status Session::Ack(uint16_t packet_id, absl::Time now) { return inbound_.Ack(packet_id); }

}  // namespace ouzel
