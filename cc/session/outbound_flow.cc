#include "cc/session/outbound_flow.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/reason_codes.h"

namespace ouzel {
namespace {

constexpr uint8_t kPacketIdentifierNotFound = 0x92;

bool Fits(size_t limit, size_t value) { return limit == 0 || value <= limit; }

}  // namespace

// ---------------------------------------------------------------------------------------------
// History

OutboundFlow::History::History(size_t capacity) : capacity_(capacity) {}

void OutboundFlow::History::Add(MessageToken token, const MessageStatus& status) {
  if (capacity_ == 0) return;
  if (ring_.size() < capacity_) {
    ring_.push_back(token);
  } else {
    by_token_.erase(ring_[next_]);
    ring_[next_] = token;
    next_ = (next_ + 1) % capacity_;
  }
  by_token_[token] = status;
}

const MessageStatus* OutboundFlow::History::Find(MessageToken token) const {
  auto it = by_token_.find(token);
  return it == by_token_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------------

OutboundFlow::OutboundFlow(Limits limits, PacketIdAllocator* ids, OutboundSink* sink)
    : limits_(limits), ids_(ids), sink_(sink), history_(limits.history) {}

bool OutboundFlow::WindowOpen() const {
  if (limits_.max_inflight != 0 && window_used_ >= limits_.max_inflight) return false;
  return window_used_ < server_receive_maximum_;
}

absl::StatusOr<std::vector<OutboundFlow::List::iterator>> OutboundFlow::PlanRoom(
    const OutgoingMessage& m) {
  const size_t max_messages = limits_.max_queued_messages;
  const size_t max_bytes = limits_.max_queued_bytes;
  size_t count = queue_.size() + 1;
  size_t bytes = queued_bytes_ + m.queued_bytes();
  std::vector<List::iterator> victims;
  if (Fits(max_messages, count) && Fits(max_bytes, bytes)) return victims;
  if (!Fits(max_bytes, m.queued_bytes())) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the message's topic and payload (", m.queued_bytes(),
                     " bytes) exceed max_queued_bytes (", max_bytes, ")"));
  }
  const auto full = [&](absl::string_view what) {
    return absl::ResourceExhaustedError(
        absl::StrCat("outgoing queue full: ", queue_.size(), " messages, ", queued_bytes_,
                     " bytes queued (max_queued_messages ", max_messages, ", max_queued_bytes ",
                     max_bytes, ")", what));
  };
  if (limits_.queue_full_policy == QueueFullPolicy::kRefuseNew) return full("");
  // kDropOldestQos0: the oldest QoS 0 messages whose removal makes room.
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->publish.qos != 0) continue;
    victims.push_back(it);
    --count;
    bytes -= it->queued_bytes();
    if (Fits(max_messages, count) && Fits(max_bytes, bytes)) return victims;
  }
  return full("; not enough queued QoS 0 messages to drop");
}

absl::StatusOr<MessageToken> OutboundFlow::Accept(OutgoingMessage message, absl::Time now) {
  StartRestoredClocks(now);
  const uint8_t qos = message.publish.qos;
  const bool send_now =
      connected_ && !held_ && queue_.empty() && !HasPendingResends() && (qos == 0 || WindowOpen());
  // Everything that can fail comes before anything changes: room, packet id, store.
  std::vector<List::iterator> victims;
  if (!send_now) {
    OUZEL_ASSIGN_OR_RETURN(victims, PlanRoom(message));
  }
  if (next_token_ >= token_reserved_end_) {
    // A block of tokens at a time: one small store record per kTokenBlock messages.
    constexpr uint64_t kTokenBlock = 4096;
    OUZEL_RETURN_IF_ERROR(sink_->ReserveTokens(next_token_ + kTokenBlock));
    token_reserved_end_ = next_token_ + kTokenBlock;
  }
  uint16_t id = 0;
  if (qos > 0) {
    OUZEL_ASSIGN_OR_RETURN(id, ids_->Allocate());
  }
  message.token = next_token_;
  message.publish.packet_id = id;
  message.publish.dup = false;
  message.sent_this_connection = false;
  message.stage =
      send_now && qos > 0 ? OutgoingMessage::Stage::kPublishSent : OutgoingMessage::Stage::kQueued;
  // A QoS 0 message that waits in the queue with keep_qos0_offline would survive a disconnection,
  // so it is stored too: the offline queue then survives a restart as well.
  message.stored = qos == 0 && !send_now && limits_.keep_qos0_offline;
  if (qos > 0 || message.stored) {
    absl::Status stored = sink_->PersistOutgoing(message);
    if (!stored.ok()) {
      if (id != 0) ids_->Release(id);
      return stored;
    }
  }
  const MessageToken token = next_token_++;
  if (qos == 0 && limits_.number_qos0) message.qos0_number = ids_->NextNumber();
  for (List::iterator v : victims) {
    Finish(queue_, v, DeliveryState::kDropped, DropReason::kQueueFull, 0, {});
  }

  if (send_now && qos == 0) {
    // The common QoS 0 case: straight to the output, never stored in a list.
    OutboundSink::WriteResult r = sink_->WritePublish(message, /*resend=*/false, now);
    if (r.drop != DropReason::kNone) {
      MessageStatus status{DeliveryState::kDropped, r.drop, message.qos0_number, r.reason_code};
      history_.Add(token, status);
      sink_->Done(token, status, {});
    } else {
      qos0_unwritten_.push_back({r.end_offset, token, message.qos0_number});
    }
    return token;
  }
  if (send_now) {
    OutboundSink::WriteResult r = sink_->WritePublish(message, /*resend=*/false, now);
    inflight_.push_back(std::move(message));
    auto it = std::prev(inflight_.end());
    it->sent_this_connection = true;
    ++window_used_;
    by_token_[token] = it;
    inflight_by_id_[id] = it;
    if (r.drop != DropReason::kNone) {
      Finish(inflight_, it, DeliveryState::kDropped, r.drop, r.reason_code, {});
    }
    return token;
  }
  queued_bytes_ += message.queued_bytes();
  queue_.push_back(std::move(message));
  auto it = std::prev(queue_.end());
  by_token_[token] = it;
  Pump(now);
  if (auto f = by_token_.find(token);
      f != by_token_.end() && f->second->stage == OutgoingMessage::Stage::kQueued) {
    WatchExpiry(*f->second);
  }
  return token;
}

void OutboundFlow::WatchExpiry(const OutgoingMessage& m) {
  if (!m.expires_at.has_value()) return;
  expiry_.push({*m.expires_at, m.token});
  if (expiry_.size() > 2 * queue_.size() + 64) {
    decltype(expiry_) rebuilt;
    for (const OutgoingMessage& q : queue_) {
      if (q.expires_at.has_value()) rebuilt.push({*q.expires_at, q.token});
    }
    expiry_ = std::move(rebuilt);
  }
}

void OutboundFlow::Finish(List& list, List::iterator it, DeliveryState state, DropReason reason,
                          uint8_t reason_code, Properties properties) {
  OutgoingMessage& m = *it;
  const MessageToken token = m.token;
  const uint16_t id = m.publish.qos > 0 ? m.publish.packet_id : 0;
  const MessageStatus status{state, reason, id != 0 ? id : m.qos0_number, reason_code,
                             m.publish.qos};
  if (&list == &queue_) {
    queued_bytes_ -= m.queued_bytes();
  } else {
    inflight_by_id_.erase(id);
    if (m.sent_this_connection) {
      --window_used_;
    } else {
      --pending_resends_;
    }
  }
  if (id != 0) {
    ids_->Release(id);
    sink_->ForgetOutgoing(token);
  } else if (m.stored) {
    sink_->ForgetOutgoing(token);
  }
  by_token_.erase(token);
  list.erase(it);
  history_.Add(token, status);
  sink_->Done(token, status, std::move(properties));
}

void OutboundFlow::FinishQos0(MessageToken token, uint16_t number, DeliveryState state,
                              DropReason reason) {
  const MessageStatus status{state, reason, number, 0};
  history_.Add(token, status);
  sink_->Done(token, status, {});
}

void OutboundFlow::OnConnectionLost() {
  connected_ = false;
  held_ = false;
  for (OutgoingMessage& m : inflight_) {
    if (m.sent_this_connection) {
      m.sent_this_connection = false;
      ++pending_resends_;
    }
  }
  window_used_ = 0;
  // QoS 0 bytes handed to the transport but not reported written may or may not have gone out;
  // they are not sent again (at most once), so they end here.
  std::vector<Qos0Written> unwritten = std::move(qos0_unwritten_);
  const size_t head = std::exchange(qos0_head_, 0);
  qos0_unwritten_.clear();
  for (size_t i = head; i < unwritten.size(); ++i) {
    FinishQos0(unwritten[i].token, unwritten[i].number, DeliveryState::kDropped,
               DropReason::kConnectionLost);
  }
  if (!limits_.keep_qos0_offline) {
    for (auto it = queue_.begin(); it != queue_.end();) {
      auto next = std::next(it);
      if (it->publish.qos == 0) {
        Finish(queue_, it, DeliveryState::kDropped, DropReason::kConnectionLost, 0, {});
      }
      it = next;
    }
  }
}

void OutboundFlow::OnConnected(bool session_present, uint16_t receive_maximum,
                               LostSessionPolicy policy, bool hold, absl::Time now) {
  StartRestoredClocks(now);
  connected_ = true;
  held_ = hold;
  server_receive_maximum_ = receive_maximum == 0 ? 65535 : receive_maximum;
  window_used_ = 0;
  if (!session_present && !inflight_.empty()) {
    if (policy == LostSessionPolicy::kFailInflight) {
      while (!inflight_.empty()) {
        Finish(inflight_, inflight_.begin(), DeliveryState::kDropped, DropReason::kSessionLost, 0,
               {});
      }
    } else {
      // New publications: new packet ids, DUP 0, ahead of everything queued (they are older).
      for (OutgoingMessage& m : inflight_) {
        inflight_by_id_.erase(m.publish.packet_id);
        ids_->Release(m.publish.packet_id);
      }
      for (OutgoingMessage& m : inflight_) {
        // Cannot fail: as many ids were just released.
        m.publish.packet_id = ids_->Allocate().value_or(0);
        m.publish.dup = false;
        m.stage = OutgoingMessage::Stage::kQueued;
        m.sent_this_connection = false;
        queued_bytes_ += m.queued_bytes();
        sink_->PersistOutgoing(m).IgnoreError();  // the sink reports store failures
      }
      pending_resends_ = 0;
      const size_t requeued = inflight_.size();
      queue_.splice(queue_.begin(), inflight_);
      auto it = queue_.begin();
      for (size_t i = 0; i < requeued; ++i, ++it) WatchExpiry(*it);
    }
  }
  Pump(now);
}

void OutboundFlow::Pump(absl::Time now) {
  if (!connected_ || held_) return;
  StartRestoredClocks(now);
  if (pending_resends_ > 0) Resend(now);
  if (pending_resends_ > 0) return;  // older messages first
  SendQueued(now);
}

void OutboundFlow::Resend(absl::Time now) {
  for (auto it = inflight_.begin(); it != inflight_.end() && pending_resends_ > 0;) {
    auto next = std::next(it);
    OutgoingMessage& m = *it;
    if (m.sent_this_connection) {
      it = next;
      continue;
    }
    if (!WindowOpen()) break;
    m.sent_this_connection = true;
    --pending_resends_;
    ++window_used_;
    if (m.awaiting_pubcomp()) {
      sink_->WritePubrel(m.publish.packet_id, 0);
    } else {
      m.publish.dup = true;
      OutboundSink::WriteResult r = sink_->WritePublish(m, /*resend=*/true, now);
      if (r.drop != DropReason::kNone) {
        Finish(inflight_, it, DeliveryState::kDropped, r.drop, r.reason_code, {});
      }
    }
    it = next;
  }
}

void OutboundFlow::SendQueued(absl::Time now) {
  while (!queue_.empty()) {
    auto it = queue_.begin();
    OutgoingMessage& m = *it;
    if (Expired(m, now)) {
      Finish(queue_, it, DeliveryState::kExpired, DropReason::kNone, 0, {});
      continue;
    }
    if (m.publish.qos > 0 && !WindowOpen()) break;
    if (m.publish.qos == 0) {
      OutboundSink::WriteResult r = sink_->WritePublish(m, /*resend=*/false, now);
      if (r.drop != DropReason::kNone) {
        Finish(queue_, it, DeliveryState::kDropped, r.drop, r.reason_code, {});
        continue;
      }
      queued_bytes_ -= m.queued_bytes();
      qos0_unwritten_.push_back({r.end_offset, m.token, m.qos0_number});
      // Handed to the output: from here on it is at most once, not a queued message to restore.
      if (m.stored) sink_->ForgetOutgoing(m.token);
      by_token_.erase(m.token);
      queue_.erase(it);
      continue;
    }
    m.stage = OutgoingMessage::Stage::kPublishSent;
    m.publish.dup = false;
    sink_->PersistOutgoing(m).IgnoreError();
    OutboundSink::WriteResult r = sink_->WritePublish(m, /*resend=*/false, now);
    queued_bytes_ -= m.queued_bytes();
    inflight_.splice(inflight_.end(), queue_, it);
    m.sent_this_connection = true;
    ++window_used_;
    inflight_by_id_[m.publish.packet_id] = it;
    if (r.drop != DropReason::kNone) {
      Finish(inflight_, it, DeliveryState::kDropped, r.drop, r.reason_code, {});
    }
  }
}

absl::StatusOr<OutboundFlow::List::iterator> OutboundFlow::FindInflight(uint16_t packet_id) {
  auto it = inflight_by_id_.find(packet_id);
  if (it == inflight_by_id_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "no outgoing message is awaiting an acknowledgement for packet identifier ", packet_id));
  }
  return it->second;
}

absl::Status OutboundFlow::OnPuback(const PublishAck& ack, absl::Time now) {
  OUZEL_ASSIGN_OR_RETURN(List::iterator it, FindInflight(ack.packet_id));
  if (!it->awaiting_puback()) {
    return ProtocolErrorAt("MQTT-4.3.2", kNoOffset,
                           absl::StrCat("PUBACK for packet identifier ", ack.packet_id,
                                        ", a QoS 2 message (it expects PUBREC or PUBCOMP)"));
  }
  if (IsFailureReasonCode(ack.reason_code)) {
    Finish(inflight_, it, DeliveryState::kDropped, DropReason::kRejected, ack.reason_code,
           ack.properties);
  } else {
    Finish(inflight_, it, DeliveryState::kAcknowledged, DropReason::kNone, ack.reason_code,
           ack.properties);
  }
  Pump(now);
  return absl::OkStatus();
}

absl::Status OutboundFlow::OnPubrec(const PublishAck& ack, bool v5, absl::Time now) {
  absl::StatusOr<List::iterator> found = FindInflight(ack.packet_id);
  if (!found.ok()) {
    // Answer so the server can end its state for that identifier [MQTT-4.3.3 (5.0)].
    if (v5) sink_->WritePubrel(ack.packet_id, kPacketIdentifierNotFound);
    return found.status();
  }
  List::iterator it = *found;
  OutgoingMessage& m = *it;
  if (m.awaiting_pubcomp()) {  // PUBREC again: our PUBREL may have been lost
    sink_->WritePubrel(ack.packet_id, 0);
    return absl::OkStatus();
  }
  if (!m.awaiting_pubrec()) {
    return ProtocolErrorAt("MQTT-4.3.3", kNoOffset,
                           absl::StrCat("PUBREC for packet identifier ", ack.packet_id,
                                        ", a QoS 1 message (it expects PUBACK)"));
  }
  if (IsFailureReasonCode(ack.reason_code)) {
    // The flow ends here: no PUBREL [MQTT-4.3.3 (5.0)].
    Finish(inflight_, it, DeliveryState::kDropped, DropReason::kRejected, ack.reason_code,
           ack.properties);
    Pump(now);
    return absl::OkStatus();
  }
  m.stage = OutgoingMessage::Stage::kPubrelSent;
  sink_->PersistOutgoing(m).IgnoreError();
  sink_->WritePubrel(ack.packet_id, 0);
  return absl::OkStatus();
}

absl::Status OutboundFlow::OnPubcomp(const PublishAck& ack, absl::Time now) {
  OUZEL_ASSIGN_OR_RETURN(List::iterator it, FindInflight(ack.packet_id));
  if (!it->awaiting_pubcomp()) {
    return ProtocolErrorAt(
        "MQTT-4.3.3", kNoOffset,
        absl::StrCat("PUBCOMP for packet identifier ", ack.packet_id, ", which is awaiting ",
                     it->publish.qos == 1 ? "PUBACK" : "PUBREC"));
  }
  // 0x92 (the server had lost the identifier) still ends the flow: PUBREC had accepted it.
  Finish(inflight_, it, DeliveryState::kAcknowledged, DropReason::kNone, ack.reason_code,
         ack.properties);
  Pump(now);
  return absl::OkStatus();
}

void OutboundFlow::OnWritten(uint64_t written_offset) {
  while (qos0_head_ < qos0_unwritten_.size() &&
         qos0_unwritten_[qos0_head_].end_offset <= written_offset) {
    const Qos0Written q = qos0_unwritten_[qos0_head_++];
    FinishQos0(q.token, q.number, DeliveryState::kAcknowledged, DropReason::kNone);
  }
  if (qos0_head_ == qos0_unwritten_.size()) {
    qos0_unwritten_.clear();  // keeps the capacity
    qos0_head_ = 0;
  } else if (qos0_head_ >= 1024 && qos0_head_ * 2 >= qos0_unwritten_.size()) {
    qos0_unwritten_.erase(qos0_unwritten_.begin(),
                          qos0_unwritten_.begin() + static_cast<ptrdiff_t>(qos0_head_));
    qos0_head_ = 0;
  }
}

void OutboundFlow::OnTimer(absl::Time now) {
  StartRestoredClocks(now);
  while (!expiry_.empty() && expiry_.top().first <= now) {
    const MessageToken token = expiry_.top().second;
    expiry_.pop();
    auto f = by_token_.find(token);
    if (f == by_token_.end()) continue;
    List::iterator it = f->second;
    if (it->stage != OutgoingMessage::Stage::kQueued || !Expired(*it, now)) continue;
    Finish(queue_, it, DeliveryState::kExpired, DropReason::kNone, 0, {});
  }
}

std::optional<absl::Time> OutboundFlow::NextExpiry() const {
  if (expiry_.empty()) return std::nullopt;
  return expiry_.top().first;
}

void OutboundFlow::StartRestoredClocks(absl::Time now) {
  if (!restored_clocks_pending_) return;
  restored_clocks_pending_ = false;
  for (List* list : {&queue_, &inflight_}) {
    for (OutgoingMessage& m : *list) {
      if (!m.expiry_clock_pending) continue;
      m.expiry_clock_pending = false;
      std::optional<uint32_t> interval =
          m.publish.properties.GetInt(PropertyId::kMessageExpiryInterval);
      if (interval.has_value()) m.expires_at = now + absl::Seconds(*interval);
      if (list == &queue_) WatchExpiry(m);
    }
  }
}

size_t OutboundFlow::Restore(std::vector<StoredOutgoing> stored, uint64_t next_token) {
  size_t repaired = 0;
  for (StoredOutgoing& s : stored) {
    const bool qos0 = s.publish.qos == 0;
    if ((qos0 && s.stage != OutgoingMessage::Stage::kQueued) || s.publish.qos > 2 || s.token == 0 ||
        by_token_.contains(s.token)) {
      ++repaired;  // not something we store: skipped
      continue;
    }
    OutgoingMessage m;
    m.token = s.token;
    m.publish = std::move(s.publish);
    m.stage = s.stage;
    m.stored = qos0;
    if (qos0) {
      m.publish.packet_id = 0;
    } else if (m.publish.packet_id == 0 || !ids_->MarkInUse(m.publish.packet_id).ok()) {
      absl::StatusOr<uint16_t> id = ids_->Allocate();
      if (!id.ok()) {
        ++repaired;
        continue;
      }
      ++repaired;
      m.publish.packet_id = *id;
      m.stage = OutgoingMessage::Stage::kQueued;
    }
    if (m.publish.properties.Has(PropertyId::kMessageExpiryInterval)) {
      m.expiry_clock_pending = true;
      restored_clocks_pending_ = true;
    }
    next_token_ = std::max(next_token_, m.token + 1);
    const MessageToken token = m.token;
    const uint16_t id = m.publish.packet_id;
    if (m.stage == OutgoingMessage::Stage::kQueued) {
      m.publish.dup = false;
      queued_bytes_ += m.queued_bytes();
      queue_.push_back(std::move(m));
      by_token_[token] = std::prev(queue_.end());
    } else {
      inflight_.push_back(std::move(m));
      by_token_[token] = std::prev(inflight_.end());
      inflight_by_id_[id] = std::prev(inflight_.end());
      ++pending_resends_;
    }
  }
  next_token_ = std::max(next_token_, next_token);
  return repaired;
}

std::optional<MessageStatus> OutboundFlow::StatusOf(MessageToken token) const {
  if (auto it = by_token_.find(token); it != by_token_.end()) {
    const OutgoingMessage& m = *it->second;
    MessageStatus s;
    s.state = m.stage == OutgoingMessage::Stage::kQueued ? DeliveryState::kQueued
                                                         : DeliveryState::kInflight;
    s.packet_id = m.publish.qos > 0 ? m.publish.packet_id : m.qos0_number;
    s.qos = m.publish.qos;
    return s;
  }
  auto q = std::lower_bound(qos0_unwritten_.begin() + static_cast<ptrdiff_t>(qos0_head_),
                            qos0_unwritten_.end(), token,
                            [](const Qos0Written& w, MessageToken t) { return w.token < t; });
  if (q != qos0_unwritten_.end() && q->token == token) {
    MessageStatus s;
    s.state = DeliveryState::kInflight;
    s.packet_id = q->number;
    return s;
  }
  if (const MessageStatus* h = history_.Find(token)) return *h;
  return std::nullopt;
}

}  // namespace ouzel
