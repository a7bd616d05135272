// Session core: construction and restore, options, logs and events, the bytes-in entry point and
// packet dispatch (HandlePacket), ending a connection from our side. Flows live in session_*.cc.
#include "cc/session/session.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/encode.h"
#include "cc/codec/reason_codes.h"
#include "cc/session/internal/session_helpers.h"
#include "cc/topic/topic.h"

namespace ouzel {

using session_internal::BuildConnect;
using session_internal::Hex2;

namespace {

uint32_t StreamLimit(const SessionOptions& o) {
  if (!IsV5(o.version)) return kMaxMqttPacketSize;
  return o.connect_properties.GetInt(PropertyId::kMaximumPacketSize).value_or(kMaxMqttPacketSize);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Construction and restore

Session::Session(SessionOptions options, SessionStore* store)
    : options_(std::move(options)),
      store_(store),
      client_id_(options_.client_id),
      decoder_(StreamDecoder::Options{options_.version, StreamLimit(options_)}),
      inbound_(
          InboundTracker::Options{
              options_.manual_ack, options_.qos2_delivery, IsV5(options_.version),
              static_cast<uint16_t>(
                  IsV5(options_.version)
                      ? options_.connect_properties.GetInt(PropertyId::kReceiveMaximum)
                            .value_or(65535)
                      : 65535)},
          this),
      outbound_(
          OutboundFlow::Limits{options_.max_inflight, options_.max_queued_messages,
                               options_.max_queued_bytes, options_.queue_full_policy,
                               options_.queue_qos0_while_offline, options_.number_qos0_messages,
                               options_.finished_status_history},
          &ids_, this) {
  AdoptOptions(options_);
  session_expiry_ = connect_session_expiry_;
  if (store_ != nullptr) Restore();
}

void Session::AdoptOptions(SessionOptions options) {
  options_ = std::move(options);
  connect_session_expiry_ = 0;
  our_topic_alias_maximum_ = 0;
  auth_method_.reset();
  uint16_t receive_maximum = 65535;
  if (v5()) {
    const Properties& p = options_.connect_properties;
    connect_session_expiry_ = p.GetInt(PropertyId::kSessionExpiryInterval).value_or(0);
    our_topic_alias_maximum_ =
        static_cast<uint16_t>(p.GetInt(PropertyId::kTopicAliasMaximum).value_or(0));
    if (auto method = p.GetString(PropertyId::kAuthenticationMethod)) {
      auth_method_.emplace(method->data(), method->size());
    }
    receive_maximum = static_cast<uint16_t>(p.GetInt(PropertyId::kReceiveMaximum).value_or(65535));
  }
  inbound_.SetReceiveMaximum(receive_maximum);
}

absl::Status Session::UpdateOptions(SessionOptions o, bool as_first_connection, absl::Time now) {
  OUZEL_RETURN_IF_ERROR(ValidateOptions(o));
  const auto fixed = [](absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " cannot change on an existing session (create a new client)"));
  };
  if (o.version != options_.version) return fixed("the protocol version");
  if (o.client_id != options_.client_id) return fixed("the client id");
  if (o.manual_ack != options_.manual_ack) return fixed("manual acknowledgement");
  if (o.qos2_delivery != options_.qos2_delivery) return fixed("the QoS 2 delivery point");
  if (o.number_qos0_messages != options_.number_qos0_messages) {
    return fixed("numbering QoS 0 messages");
  }
  if (o.finished_status_history != options_.finished_status_history) {
    return fixed("the finished status history");
  }
  outbound_.SetLimits(OutboundFlow::Limits{
      o.max_inflight, o.max_queued_messages, o.max_queued_bytes, o.queue_full_policy,
      o.queue_qos0_while_offline, o.number_qos0_messages, o.finished_status_history});
  if (state_ == SessionState::kConnected) outbound_.Pump(now);
  if (as_first_connection) first_connection_ = true;
  if (state_ == SessionState::kDisconnected) {
    pending_options_.reset();
    AdoptOptions(std::move(o));
  } else {
    pending_options_ = std::move(o);
  }
  return absl::OkStatus();
}

void Session::Restore() {
  absl::StatusOr<StoredSession> loaded = store_->Load();
  if (!loaded.ok()) {
    restore_status_ = loaded.status();
    Log(LogLevel::kError, absl::StrCat("store: Load failed, starting without the stored session: ",
                                       loaded.status().ToString()));
    return;
  }
  StoredSession& s = *loaded;
  const bool empty =
      s.outgoing.empty() && s.incoming_awaiting_pubrel.empty() && s.incoming_held.empty();
  if (!options_.client_id.empty() && !s.client_id.empty() && s.client_id != options_.client_id) {
    Log(LogLevel::kWarning,
        absl::StrCat("store: the stored session belongs to client id \"", s.client_id, "\", not \"",
                     options_.client_id, "\"; it is discarded"));
    absl::Status cleared = store_->Clear();
    if (!cleared.ok()) {
      Log(LogLevel::kError, absl::StrCat("store: Clear failed: ", cleared.ToString()));
    }
    return;
  }
  if (client_id_.empty()) client_id_ = s.client_id;
  if (!s.client_id.empty()) stored_identity_.emplace(s.client_id, s.session_expiry_interval);
  const size_t repaired = outbound_.Restore(std::move(s.outgoing), s.next_token);
  if (repaired > 0) {
    Log(LogLevel::kWarning,
        absl::StrCat("store: ", repaired,
                     " stored outgoing messages were invalid or had a packet id already in use; "
                     "they were skipped or queued again under a new id"));
  }
  for (PublishPacket& held : s.incoming_held) {
    const uint16_t id = held.packet_id;
    absl::Status r = inbound_.Restore(id, std::move(held));
    if (!r.ok()) Log(LogLevel::kWarning, absl::StrCat("store: ", r.message()));
  }
  for (uint16_t id : s.incoming_awaiting_pubrel) {
    if (inbound_.IsQos2Known(id)) continue;  // also held
    absl::Status r = inbound_.Restore(id, std::nullopt);
    if (!r.ok()) Log(LogLevel::kWarning, absl::StrCat("store: ", r.message()));
  }
  restored_session_ = !empty;
}

absl::Status Session::ValidateOptions(const SessionOptions& o) {
  if (o.version != ProtocolVersion::kV31 && o.version != ProtocolVersion::kV311 &&
      o.version != ProtocolVersion::kV5) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown protocol version ", static_cast<int>(o.version)));
  }
  if (o.client_id.empty()) {
    if (o.version == ProtocolVersion::kV31) {
      return absl::InvalidArgumentError(
          "MQTT 3.1 needs a client id of 1 to 23 characters (MQTT-3.1 §3.1)");
    }
    if (o.version == ProtocolVersion::kV311 && !o.clean_start) {
      return absl::InvalidArgumentError(
          "an empty client id needs Clean Session in MQTT 3.1.1 [MQTT-3.1.3-7]");
    }
  }
  if (!IsV5(o.version) && o.password.has_value() && !o.username.has_value()) {
    return absl::InvalidArgumentError("a password needs a user name before MQTT 5 [MQTT-3.1.2-22]");
  }
  if (o.will.has_value()) {
    OUZEL_RETURN_IF_ERROR(ValidateTopicName(o.will->topic));
    if (o.will->qos > 2) return absl::InvalidArgumentError("Will QoS must be 0, 1 or 2");
  }
  if (!IsV5(o.version) && !o.connect_properties.empty()) {
    return absl::InvalidArgumentError("CONNECT properties need MQTT 5");
  }
  return EncodedPacketSize(Packet(BuildConnect(o, o.client_id, o.clean_start)), o.version).status();
}

// ---------------------------------------------------------------------------------------------
// Small helpers

void Session::Log(LogLevel level, std::string message) {
  if (logs_.size() >= kMaxLogs) {
    logs_.erase(logs_.begin());
    ++logs_dropped_;
  }
  logs_.push_back({level, std::move(message)});
}

std::vector<SessionLog> Session::TakeLogs() { return std::exchange(logs_, {}); }

std::vector<SessionEvent> Session::TakeEvents() { return std::exchange(events_, {}); }

void Session::TakeEvents(std::vector<SessionEvent>& out) {
  out.clear();
  out.swap(events_);
}

void Session::Write(const Packet& packet) {
  const size_t before = outgoing_.size();
  absl::Status s = EncodePacket(packet, options_.version, &outgoing_);
  if (!s.ok()) {
    // Only packets we built from checked input get here; a failure is a bug, not bad input.
    Log(LogLevel::kError,
        absl::StrCat("cannot encode ", PacketTypeName(TypeOf(packet)), ": ", s.ToString()));
    return;
  }
  appended_total_ += outgoing_.size() - before;
}

bool Session::Persistent() const { return v5() ? session_expiry_ > 0 : !options_.clean_start; }

void Session::PersistIdentity() {
  if (store_ == nullptr) return;
  if (stored_identity_.has_value() && stored_identity_->first == client_id_ &&
      stored_identity_->second == session_expiry_) {
    return;
  }
  absl::Status s = store_->PutClientId(client_id_, session_expiry_);
  if (!s.ok()) {
    Log(LogLevel::kError, absl::StrCat("store: PutClientId failed: ", s.ToString()));
    return;
  }
  stored_identity_.emplace(client_id_, session_expiry_);
}

std::optional<MessageStatus> Session::StatusOf(MessageToken token) const {
  return outbound_.StatusOf(token);
}
size_t Session::queued_count() const { return outbound_.queued_count(); }
size_t Session::inflight_count() const { return outbound_.inflight_count(); }
const std::string& Session::client_id() const { return client_id_; }

std::optional<absl::Time> Session::NextDeadline() const {
  std::optional<absl::Time> d = keepalive_.NextDeadline();
  const auto consider = [&d](std::optional<absl::Time> t) {
    if (t.has_value() && (!d.has_value() || *t < *d)) d = t;
  };
  consider(outbound_.NextExpiry());
  if (reauthenticating_) consider(reauth_deadline_);
  return d;
}

void Session::OnOutputWritten(size_t n, absl::Time now) {
  n = std::min(n, outgoing_.size());
  if (n == 0) return;
  outgoing_.Consume(n);
  written_total_ += n;
  keepalive_.OnSent(now);
  outbound_.OnWritten(written_total_);
}

void Session::Abort(absl::Status event_error, uint8_t reason_code, bool send_disconnect) {
  if (send_disconnect && v5()) {
    DisconnectPacket d;
    d.reason_code = reason_code;
    Write(Packet(std::move(d)));
  }
  if (!end_reported_) {
    if (state_ == SessionState::kConnecting) {
      ConnectFailedEvent e;
      e.error = std::move(event_error);
      events_.emplace_back(std::move(e));
    } else {
      DisconnectedEvent e;
      e.error = std::move(event_error);
      e.reason_code = reason_code;
      events_.emplace_back(std::move(e));
    }
  }
  end_reported_ = true;
  wants_close_ = true;
  state_ = SessionState::kDisconnecting;
  keepalive_.Stop();
  reauthenticating_ = false;
  auth_awaiting_app_ = false;
}

void Session::ProtocolViolation(const absl::Status& error) {
  const uint8_t reason = DisconnectReasonOf(error).value_or(kReasonProtocolError);
  Abort(
      absl::Status(
          error.code() == absl::StatusCode::kOk ? absl::StatusCode::kDataLoss : error.code(),
          absl::StrCat("the broker broke the protocol (disconnecting with ", Hex2(reason), " ",
                       ReasonCodeName(ReasonContext::kDisconnect, reason), "): ", error.message())),
      reason, /*send_disconnect=*/true);
}

void Session::OnBytesReceived(absl::Span<const uint8_t> bytes, absl::Time now) {
  OnBytesReceived(bytes, now, InboundLimit());
}

size_t Session::OnBytesReceived(absl::Span<const uint8_t> bytes, absl::Time now,
                                InboundLimit limit) {
  const size_t messages_before = delivered_messages_;
  const size_t bytes_before = delivered_bytes_;
  absl::Span<const uint8_t> input = bytes;
  while (!input.empty() &&
         (state_ == SessionState::kConnecting || state_ == SessionState::kConnected)) {
    if (!decoder_.mid_packet()) {
      const uint8_t type = input[0] >> 4;
      const bool may_deliver = type == static_cast<uint8_t>(PacketType::kPublish) ||
                               type == static_cast<uint8_t>(PacketType::kPubrel);
      if (may_deliver && (delivered_messages_ - messages_before >= limit.messages ||
                          delivered_bytes_ - bytes_before >= limit.bytes)) {
        return bytes.size() - input.size();
      }
    }
    absl::StatusOr<std::optional<Packet>> next = decoder_.Next(&input);
    if (!next.ok()) {
      ProtocolViolation(next.status());
      break;
    }
    if (!next->has_value()) break;
    absl::Status handled = HandlePacket(**std::move(next), now);
    if (!handled.ok()) {
      ProtocolViolation(handled);
      break;
    }
  }
  // Bytes after a packet that ended the connection are dropped with it.
  return bytes.size();
}

// ---------------------------------------------------------------------------------------------
// Incoming packets: each goes to the file that owns its flow.

absl::Status Session::HandlePacket(Packet packet, absl::Time now) {
  const PacketType type = TypeOf(packet);
  switch (type) {
    case PacketType::kConnect:
    case PacketType::kSubscribe:
    case PacketType::kUnsubscribe:
    case PacketType::kPingreq:
      return ProtocolErrorAt(
          v5() ? "MQTT-5.0 §2.1.2" : "MQTT-3.1.1 §2.2.1", kNoOffset,
          absl::StrCat("the broker sent ", PacketTypeName(type), ", which only a client may send"));
    case PacketType::kConnack:
      return HandleConnack(std::get<ConnackPacket>(std::move(packet)), now);
    case PacketType::kDisconnect:
      return HandleDisconnect(std::get<DisconnectPacket>(std::move(packet)));
    case PacketType::kAuth:
      return HandleAuth(std::get<AuthPacket>(std::move(packet)));
    default:
      break;
  }
  if (state_ != SessionState::kConnected) {
    return ProtocolErrorAt(
        "MQTT-3.2.0-1", kNoOffset,
        absl::StrCat("the broker sent ", PacketTypeName(type), " before CONNACK"));
  }
  switch (type) {
    case PacketType::kPublish: {
      PublishPacket& p = std::get<PublishPacket>(packet);
      if (v5()) OUZEL_RETURN_IF_ERROR(in_aliases_.Resolve(p));
      return inbound_.OnPublish(std::move(p));
    }
    case PacketType::kPuback: {
      absl::Status s = outbound_.OnPuback(std::get<PubackPacket>(packet), now);
      if (absl::IsNotFound(s)) {
        Log(LogLevel::kWarning, absl::StrCat("PUBACK ignored: ", s.message()));
        return absl::OkStatus();
      }
      return s;
    }
    case PacketType::kPubrec: {
      absl::Status s = outbound_.OnPubrec(std::get<PubrecPacket>(packet), v5(), now);
      if (absl::IsNotFound(s)) {
        Log(LogLevel::kWarning, absl::StrCat("PUBREC ignored: ", s.message()));
        return absl::OkStatus();
      }
      return s;
    }
    case PacketType::kPubcomp: {
      absl::Status s = outbound_.OnPubcomp(std::get<PubcompPacket>(packet), now);
      if (absl::IsNotFound(s)) {
        Log(LogLevel::kWarning, absl::StrCat("PUBCOMP ignored: ", s.message()));
        return absl::OkStatus();
      }
      return s;
    }
    case PacketType::kPubrel:
      return inbound_.OnPubrel(std::get<PubrelPacket>(packet));
    case PacketType::kSuback:
      return HandleSuback(std::get<SubackPacket>(std::move(packet)));
    case PacketType::kUnsuback:
      return HandleUnsuback(std::get<UnsubackPacket>(std::move(packet)));
    case PacketType::kPingresp:
      keepalive_.OnPingresp();
      return absl::OkStatus();
    default:
      return absl::InternalError("unhandled packet type");
  }
}

}  // namespace ouzel
