// Outgoing publish flows: Publish (checks, limits, queueing through OutboundFlow) and the
// OutboundSink side: each PUBLISH in its wire form (aliases, expiry, size), PUBREL, completion.
#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/encode.h"
#include "cc/session/internal/session_helpers.h"
#include "cc/session/session.h"
#include "cc/topic/topic.h"

namespace ouzel {

using session_internal::MakeAck;

namespace {

constexpr uint8_t kQosNotSupported = 0x9B;
constexpr uint8_t kRetainNotSupported = 0x9A;

}  // namespace

// ---------------------------------------------------------------------------------------------
// Outgoing PUBLISH

template <typename F>
auto Session::WithWireForm(OutgoingMessage& m, AliasChoice alias, bool keep_manual_alias,
                           std::optional<uint32_t> expiry, F&& f) {
  PublishPacket& w = std::get<PublishPacket>(scratch_);
  if (alias.omit_topic) {
    w.topic.clear();
  } else {
    w.topic.assign(m.publish.topic);
  }
  w.payload.swap(m.publish.payload);
  w.qos = m.publish.qos;
  w.retain = m.publish.retain;
  w.dup = m.publish.dup;
  w.packet_id = m.publish.qos > 0 ? std::max<uint16_t>(m.publish.packet_id, 1) : 0;
  w.properties = m.publish.properties;  // reuses the scratch capacity
  if (!keep_manual_alias) w.properties.Remove(PropertyId::kTopicAlias);
  if (alias.alias != 0) w.properties.SetInt(PropertyId::kTopicAlias, alias.alias);
  if (expiry.has_value()) w.properties.SetInt(PropertyId::kMessageExpiryInterval, *expiry);
  auto result = f(static_cast<const Packet&>(scratch_));
  w.payload.swap(m.publish.payload);
  return result;
}

OutboundSink::WriteResult Session::WritePublish(OutgoingMessage& m, bool resend, absl::Time now) {
  WriteResult r;
  // The limits of this connection (they may be stricter than when the message was accepted).
  if (m.publish.qos > server_.maximum_qos) {
    Log(LogLevel::kWarning,
        absl::StrCat("message #", m.token, " dropped: QoS ", m.publish.qos,
                     " is above the server's Maximum QoS ", server_.maximum_qos));
    r.drop = DropReason::kRejected;
    r.reason_code = kQosNotSupported;
    return r;
  }
  if (m.publish.retain && !server_.retain_available) {
    Log(LogLevel::kWarning,
        absl::StrCat("message #", m.token, " dropped: retained, and the server has no retain"));
    r.drop = DropReason::kRejected;
    r.reason_code = kRetainNotSupported;
    return r;
  }
  std::optional<uint32_t> expiry;
  if (m.expires_at.has_value()) {
    // The time left (as a server forwards it, MQTT-5.0 §3.3.2.3.3), rounded up so a message
    // still valid never says 0.
    const double left = absl::ToDoubleSeconds(*m.expires_at - now);
    expiry = static_cast<uint32_t>(std::max(1.0, std::ceil(left)));
  }
  std::optional<uint32_t> manual;
  if (v5() && !resend) manual = m.publish.properties.GetInt(PropertyId::kTopicAlias);
  const bool may_alias = v5() && !resend && (manual.has_value() || options_.auto_topic_alias) &&
                         server_.topic_alias_maximum > 0;

  // Size first, in the largest form (full topic, with an alias if one may be added), so an
  // alias is only bound for a packet that is really sent.
  if (server_.maximum_packet_size != 0) {
    AliasChoice worst;
    worst.alias = may_alias ? 1 : 0;
    absl::StatusOr<size_t> size =
        WithWireForm(m, worst, /*keep_manual_alias=*/false, expiry,
                     [&](const Packet& p) { return EncodedPacketSize(p, options_.version); });
    if (!size.ok() || *size > server_.maximum_packet_size) {
      Log(LogLevel::kWarning,
          absl::StrCat("message #", m.token, " dropped: ",
                       size.ok() ? absl::StrCat(*size,
                                                " bytes exceed the server's Maximum "
                                                "Packet Size ",
                                                server_.maximum_packet_size)
                                 : size.status().ToString()));
      r.drop = DropReason::kTooLarge;
      return r;
    }
  }

  AliasChoice alias;
  if (may_alias) {
    if (manual.has_value()) {
      const auto wanted = static_cast<uint16_t>(*manual);
      if (out_aliases_.CheckManual(wanted).ok()) {
        alias = out_aliases_.Manual(wanted, m.publish.topic, m.topic_given);
      } else {
        Log(LogLevel::kWarning,
            absl::StrCat("message #", m.token, ": Topic Alias ", wanted,
                         " is above this server's Topic Alias Maximum ",
                         server_.topic_alias_maximum, "; sent with its topic only"));
      }
    } else {
      alias = out_aliases_.Auto(m.publish.topic);
    }
  }
  const size_t before = outgoing_.size();
  absl::Status s =
      WithWireForm(m, alias, /*keep_manual_alias=*/false, expiry,
                   [&](const Packet& p) { return EncodePacket(p, options_.version, &outgoing_); });
  if (!s.ok()) {
    Log(LogLevel::kError,
        absl::StrCat("message #", m.token, " dropped: cannot encode: ", s.ToString()));
    r.drop = DropReason::kRejected;
    return r;
  }
  appended_total_ += outgoing_.size() - before;
  r.end_offset = appended_total_;
  return r;
}

void Session::WritePubrel(uint16_t packet_id, uint8_t reason_code) {
  Write(Packet(MakeAck<PubrelPacket>(packet_id, reason_code)));
}

void Session::Done(MessageToken token, const MessageStatus& status, Properties properties) {
  PublishDoneEvent e;
  e.token = token;
  e.status = status;
  e.properties = std::move(properties);
  events_.emplace_back(std::move(e));
}

absl::Status Session::PersistOutgoing(OutgoingMessage& m) {
  if (store_ == nullptr) return absl::OkStatus();
  // Moved into the record and back: the store sees the message without a copy of the payload.
  StoredOutgoing record;
  record.token = m.token;
  record.stage = m.stage;
  record.publish = std::move(m.publish);
  absl::Status s = store_->PutOutgoing(record);
  m.publish = std::move(record.publish);
  if (!s.ok()) Log(LogLevel::kError, absl::StrCat("store: PutOutgoing failed: ", s.ToString()));
  return s;
}

absl::Status Session::ReserveTokens(uint64_t end) {
  if (store_ == nullptr) return absl::OkStatus();
  absl::Status s = store_->ReserveTokens(end);
  if (!s.ok()) Log(LogLevel::kError, absl::StrCat("store: ReserveTokens failed: ", s.ToString()));
  return s;
}

void Session::ForgetOutgoing(MessageToken token) {
  if (store_ == nullptr) return;
  absl::Status s = store_->RemoveOutgoing(token);
  if (!s.ok()) Log(LogLevel::kError, absl::StrCat("store: RemoveOutgoing failed: ", s.ToString()));
}

absl::Status Session::CheckPublishLimits(const PublishRequest& request) const {
  if (!server_.known) return absl::OkStatus();
  if (request.qos > server_.maximum_qos) {
    return absl::InvalidArgumentError(
        absl::StrCat("QoS ", request.qos, " exceeds the server's Maximum QoS ", server_.maximum_qos,
                     " (CONNACK) [MQTT-3.2.2-11]"));
  }
  if (request.retain && !server_.retain_available) {
    return absl::InvalidArgumentError(
        "the server does not support retained messages (CONNACK Retain Available = 0) "
        "[MQTT-3.2.2-14]");
  }
  return absl::OkStatus();
}

absl::StatusOr<MessageToken> Session::Publish(PublishRequest request, absl::Time now) {
  if (request.qos > 2) {
    return absl::InvalidArgumentError(absl::StrCat("QoS ", request.qos, " is not 0, 1 or 2"));
  }
  std::optional<uint32_t> alias;
  if (!v5()) {
    if (!request.properties.empty()) {
      return absl::InvalidArgumentError("PUBLISH properties need MQTT 5");
    }
  } else {
    OUZEL_RETURN_IF_ERROR(request.properties.Validate(PropertyContext::kPublish));
    if (request.properties.Has(PropertyId::kSubscriptionIdentifier)) {
      return absl::InvalidArgumentError(
          "a client must not send a Subscription Identifier in PUBLISH [MQTT-3.3.4-6]");
    }
    alias = request.properties.GetInt(PropertyId::kTopicAlias);
    if (alias.has_value() && options_.auto_topic_alias) {
      return absl::InvalidArgumentError(
          "a Topic Alias in the PUBLISH properties (manual aliasing) while auto_topic_alias is "
          "on");
    }
    if (alias.has_value() && state_ == SessionState::kConnected) {
      OUZEL_RETURN_IF_ERROR(out_aliases_.CheckManual(static_cast<uint16_t>(*alias)));
    }
  }
  const bool topic_given = !request.topic.empty();
  if (topic_given) {
    OUZEL_RETURN_IF_ERROR(ValidateTopicName(request.topic));
  } else {
    if (!alias.has_value()) {
      return absl::InvalidArgumentError("the topic is empty (and there is no Topic Alias)");
    }
    std::optional<absl::string_view> bound =
        state_ == SessionState::kConnected ? out_aliases_.Lookup(static_cast<uint16_t>(*alias))
                                           : std::nullopt;
    if (!bound.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the topic is empty and Topic Alias ", *alias,
                       " is not bound to a topic on the current connection; give the topic"));
    }
    request.topic.assign(bound->data(), bound->size());
  }
  OUZEL_RETURN_IF_ERROR(CheckPublishLimits(request));
  const bool offline =
      state_ == SessionState::kDisconnected || state_ == SessionState::kDisconnecting;
  if (request.qos == 0 && offline && !options_.queue_qos0_while_offline) {
    return absl::FailedPreconditionError(
        "not connected: QoS 0 messages are not queued while offline "
        "(SessionOptions::queue_qos0_while_offline)");
  }

  OutgoingMessage m;
  m.publish.topic = std::move(request.topic);
  m.publish.payload = std::move(request.payload);
  m.publish.qos = request.qos;
  m.publish.retain = request.retain;
  m.publish.properties = std::move(request.properties);
  m.topic_given = topic_given;
  if (auto interval = m.publish.properties.GetInt(PropertyId::kMessageExpiryInterval)) {
    m.expires_at = now + absl::Seconds(*interval);
  }
  // Encodable at all, and within the server's Maximum Packet Size in its largest form.
  const bool may_alias = v5() && (alias.has_value() || options_.auto_topic_alias);
  AliasChoice worst;
  worst.alias = may_alias ? 1 : 0;
  absl::StatusOr<size_t> size =
      WithWireForm(m, worst, /*keep_manual_alias=*/false, std::nullopt,
                   [&](const Packet& p) { return EncodedPacketSize(p, options_.version); });
  if (!size.ok()) return size.status();
  if (server_.known && server_.maximum_packet_size != 0 && *size > server_.maximum_packet_size) {
    return absl::OutOfRangeError(absl::StrCat(
        "the PUBLISH would be ", *size, " bytes, over the server's Maximum Packet Size of ",
        server_.maximum_packet_size, " bytes (CONNACK) [MQTT-3.2.2-15]"));
  }
  return outbound_.Accept(std::move(m), now);
}

absl::Status Session::CheckPublishSize(size_t topic_len, size_t payload_len, uint8_t qos,
                                       size_t properties_len) const {
  // Each term is checked alone first, so the sum cannot overflow whatever the caller claims.
  constexpr size_t kMax = kMaxMqttPacketSize;
  if (topic_len > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("the topic is ", topic_len, " bytes; MQTT allows at most 65535"));
  }
  if (payload_len > kMax || properties_len > kMax) {
    return absl::OutOfRangeError(absl::StrCat(
        "a payload of ", payload_len, " bytes is over MQTT's largest packet (", kMax, " bytes)"));
  }
  const size_t smallest =
      2 + 2 + topic_len + (qos > 0 ? 2 : 0) + (v5() ? 1 + properties_len : 0) + payload_len;
  if (smallest > kMax) {
    return absl::OutOfRangeError(absl::StrCat("the PUBLISH would be at least ", smallest,
                                              " bytes, over MQTT's largest packet (", kMax,
                                              " bytes)"));
  }
  if (server_.known && server_.maximum_packet_size != 0 && smallest > server_.maximum_packet_size) {
    return absl::OutOfRangeError(absl::StrCat(
        "the PUBLISH would be at least ", smallest, " bytes, over the server's Maximum Packet ",
        "Size of ", server_.maximum_packet_size, " bytes (CONNACK) [MQTT-3.2.2-15]"));
  }
  return absl::OkStatus();
}

}  // namespace ouzel
