#include "cc/session/inbound_tracker.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"

namespace ouzel {
namespace {

constexpr uint8_t kReceiveMaximumExceeded = 0x93;
constexpr uint8_t kPacketIdentifierNotFound = 0x92;

}  // namespace

Message InboundTracker::ToMessage(PublishPacket&& p) {
  Message m;
  m.topic = std::move(p.topic);
  m.payload = std::move(p.payload);
  m.qos = p.qos;
  m.retain = p.retain;
  m.dup = p.dup;
  m.packet_id = p.packet_id;
  m.properties = std::move(p.properties);
  return m;
}

void InboundTracker::OnConnectionLost() {
  connected_ = false;
  ack_queue_.clear();
  for (auto& [id, state] : qos2_) state.in_ack_queue = false;
  unacked_.reset();
  unacked_count_ = 0;
}

void InboundTracker::DiscardSession() {
  // Arrival order is not kept for held messages; packet id order is deterministic, and this path
  // is rare.
  std::vector<uint16_t> held_ids;
  for (auto& [id, state] : qos2_) {
    if (state.held.has_value()) held_ids.push_back(id);
    if (state.pubrec_sent) sink_->ForgetIncoming(id);
  }
  std::sort(held_ids.begin(), held_ids.end());
  for (uint16_t id : held_ids) sink_->Deliver(ToMessage(*std::move(qos2_[id].held)));
  qos2_.clear();
  ack_queue_.clear();
  unacked_.reset();
  unacked_count_ = 0;
}

absl::Status InboundTracker::CountUnacked(uint16_t packet_id) {
  if (unacked_[packet_id]) return absl::OkStatus();
  if (options_.v5 && unacked_count_ >= options_.receive_maximum) {
    return DecodeErrorWithReason(
        kReceiveMaximumExceeded, "MQTT-3.3.4-9", kNoOffset,
        absl::StrCat("QoS > 0 PUBLISH with packet identifier ", packet_id, " arrived while ",
                     unacked_count_, " were unacknowledged; our Receive Maximum is ",
                     options_.receive_maximum));
  }
  unacked_[packet_id] = true;
  ++unacked_count_;
  return absl::OkStatus();
}

void InboundTracker::Uncount(uint16_t packet_id) {
  if (!unacked_[packet_id]) return;
  unacked_[packet_id] = false;
  --unacked_count_;
}

absl::Status InboundTracker::OnPublish(PublishPacket publish) {
  const uint16_t id = publish.packet_id;
  switch (publish.qos) {
    case 0:
      sink_->Deliver(ToMessage(std::move(publish)));
      return absl::OkStatus();
    case 1: {
      // A second PUBLISH for an identifier whose PUBACK is still pending adds nothing: the
      // application has the message and the pending PUBACK answers both.
      if (unacked_[id]) return absl::OkStatus();
      OUZEL_RETURN_IF_ERROR(CountUnacked(id));
      sink_->Deliver(ToMessage(std::move(publish)));
      ack_queue_.push_back({id, 1, !options_.manual_ack});
      Release();
      return absl::OkStatus();
    }
    default:
      break;
  }
  if (auto it = qos2_.find(id); it != qos2_.end()) {
    // Sent again (DUP, after a reconnect): not delivered again; PUBREC again once it is due.
    OUZEL_RETURN_IF_ERROR(CountUnacked(id));
    Qos2State& state = it->second;
    if (!state.in_ack_queue) {
      state.in_ack_queue = true;
      ack_queue_.push_back({id, 2, state.held.has_value() || state.pubrec_sent || state.app_acked});
      Release();
    }
    return absl::OkStatus();
  }
  OUZEL_RETURN_IF_ERROR(CountUnacked(id));
  Qos2State& state = qos2_[id];
  state.in_ack_queue = true;
  if (options_.qos2_delivery == Qos2Delivery::kOnPubrel) {
    state.held = std::move(publish);
    ack_queue_.push_back({id, 2, true});
  } else {
    state.app_acked = !options_.manual_ack;
    ack_queue_.push_back({id, 2, state.app_acked});
    sink_->Deliver(ToMessage(std::move(publish)));
  }
  Release();
  return absl::OkStatus();
}

void InboundTracker::Release() {
  if (!connected_) return;
  while (!ack_queue_.empty() && ack_queue_.front().acked) {
    const PendingAck ack = ack_queue_.front();
    ack_queue_.pop_front();
    if (ack.qos == 1) {
      Uncount(ack.packet_id);
      sink_->SendAck(PacketType::kPuback, ack.packet_id, 0);
      continue;
    }
    auto it = qos2_.find(ack.packet_id);
    if (it == qos2_.end()) continue;
    Qos2State& state = it->second;
    state.in_ack_queue = false;
    if (!state.pubrec_sent) {
      state.pubrec_sent = true;
      sink_->PersistIncoming(ack.packet_id, state.held ? &*state.held : nullptr);
    }
    sink_->SendAck(PacketType::kPubrec, ack.packet_id, 0);
  }
}

void InboundTracker::Complete(uint16_t packet_id) {
  auto it = qos2_.find(packet_id);
  if (it != qos2_.end()) {
    if (it->second.pubrec_sent) sink_->ForgetIncoming(packet_id);
    qos2_.erase(it);
  }
  Uncount(packet_id);
  sink_->SendAck(PacketType::kPubcomp, packet_id, 0);
}

absl::Status InboundTracker::OnPubrel(const PubrelPacket& pubrel) {
  const uint16_t id = pubrel.packet_id;
  auto it = qos2_.find(id);
  if (it == qos2_.end()) {
    // Already completed (our PUBCOMP was lost), or never known: PUBCOMP all the same [MQTT-4.3.3-11
    // (5.0)], saying so in MQTT 5.
    sink_->SendAck(PacketType::kPubcomp, id, options_.v5 ? kPacketIdentifierNotFound : 0);
    return absl::OkStatus();
  }
  Qos2State& state = it->second;
  if (!state.pubrec_sent) {
    return ProtocolErrorAt(
        "MQTT-4.3.3", kNoOffset,
        absl::StrCat("PUBREL for packet identifier ", id, " before we sent its PUBREC"));
  }
  if (state.held.has_value()) {
    PublishPacket held = *std::move(state.held);
    state.held.reset();
    state.pubrel_seen = true;
    state.app_acked = !options_.manual_ack;
    const bool complete_now = state.app_acked;
    sink_->Deliver(ToMessage(std::move(held)));
    if (complete_now) Complete(id);
    return absl::OkStatus();
  }
  if (state.pubrel_seen && !state.app_acked) return absl::OkStatus();  // waiting for Ack
  Complete(id);
  return absl::OkStatus();
}

absl::Status InboundTracker::Ack(uint16_t packet_id) {
  if (!options_.manual_ack) {
    return absl::FailedPreconditionError("Ack needs SessionOptions::manual_ack");
  }
  if (packet_id == 0) {
    return absl::InvalidArgumentError("packet identifier 0: QoS 0 messages are not acknowledged");
  }
  for (PendingAck& ack : ack_queue_) {
    if (ack.packet_id != packet_id) continue;
    if (ack.acked) break;
    ack.acked = true;
    if (ack.qos == 2) {
      if (auto it = qos2_.find(packet_id); it != qos2_.end()) it->second.app_acked = true;
    }
    Release();
    return absl::OkStatus();
  }
  auto it = qos2_.find(packet_id);
  if (it == qos2_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "no delivered, unacknowledged message has packet identifier ", packet_id,
        " (a QoS 1 message from a connection that has closed is sent again by the server)"));
  }
  Qos2State& state = it->second;
  if (state.held.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("the QoS 2 message with packet identifier ", packet_id,
                     " has not been delivered yet (it is held until PUBREL)"));
  }
  if (state.app_acked) {
    return absl::FailedPreconditionError(absl::StrCat("the message with packet identifier ",
                                                      packet_id, " was already acknowledged"));
  }
  state.app_acked = true;
  // Delivered at PUBREL: PUBCOMP now, or when the server sends PUBREL again after a reconnect.
  // Delivered at PUBLISH on a closed connection: PUBREC when the server sends it again.
  if (state.pubrel_seen && connected_) Complete(packet_id);
  return absl::OkStatus();
}

absl::Status InboundTracker::Restore(uint16_t packet_id, std::optional<PublishPacket> held) {
  if (packet_id == 0) return absl::InvalidArgumentError("packet identifier 0");
  if (qos2_.contains(packet_id)) {
    return absl::AlreadyExistsError(
        absl::StrCat("incoming packet identifier ", packet_id, " restored twice"));
  }
  Qos2State& state = qos2_[packet_id];
  state.held = std::move(held);
  state.pubrec_sent = true;
  state.app_acked = true;
  return absl::OkStatus();
}

}  // namespace ouzel
