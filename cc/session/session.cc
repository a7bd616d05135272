#include "cc/session/session.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/encode.h"
#include "cc/codec/reason_codes.h"
#include "cc/topic/topic.h"

namespace ouzel {
namespace {

constexpr uint8_t kUnspecifiedError = 0x80;
constexpr uint8_t kKeepAliveTimeout = 0x8D;
constexpr uint8_t kQosNotSupported = 0x9B;
constexpr uint8_t kRetainNotSupported = 0x9A;
constexpr uint8_t kReAuthenticate = 0x19;
constexpr uint8_t kContinueAuthentication = 0x18;

std::string Hex2(uint8_t b) { return absl::StrCat("0x", absl::Hex(b, absl::kZeroPad2)); }

uint32_t StreamLimit(const SessionOptions& o) {
  if (!IsV5(o.version)) return kMaxMqttPacketSize;
  return o.connect_properties.GetInt(PropertyId::kMaximumPacketSize).value_or(kMaxMqttPacketSize);
}

// The CONNECT for these options.
ConnectPacket BuildConnect(const SessionOptions& o, const std::string& client_id,
                           bool clean_start) {
  ConnectPacket c;
  c.version = o.version;
  c.client_id = client_id;
  c.clean_start = clean_start;
  c.keep_alive = o.keep_alive_seconds;
  c.username = o.username;
  c.password = o.password;
  c.will = o.will;
  c.properties = o.connect_properties;
  return c;
}

// " (Reason String: ...)" etc. for error messages, from server properties.
std::string ServerDetails(const Properties& p) {
  std::string out;
  if (auto rs = p.GetString(PropertyId::kReasonString)) {
    absl::StrAppend(&out, "; reason string: \"", *rs, "\"");
  }
  if (auto ref = p.GetString(PropertyId::kServerReference)) {
    absl::StrAppend(&out, "; server reference: \"", *ref, "\"");
  }
  return out;
}

// The status a refused CONNACK is reported with.
absl::Status RefusalStatus(ProtocolVersion version, const ConnackPacket& c) {
  const bool v5 = IsV5(version);
  const std::string text = absl::StrCat(
      "the broker refused the connection: CONNACK ", Hex2(c.reason_code), " ",
      ReasonCodeName(v5 ? ReasonContext::kConnack : ReasonContext::kConnackV3, c.reason_code),
      ServerDetails(c.properties));
  absl::StatusCode code = absl::StatusCode::kUnavailable;
  if (v5) {
    switch (c.reason_code) {
      case 0x84:  // Unsupported Protocol Version
        code = absl::StatusCode::kFailedPrecondition;
        break;
      case 0x85:  // Client Identifier not valid
      case 0x95:  // Packet too large
      case 0x99:  // Payload format invalid
      case 0x9A:  // Retain not supported (the Will)
      case 0x9B:  // QoS not supported (the Will)
      case 0x90:  // Topic Name invalid (the Will)
        code = absl::StatusCode::kInvalidArgument;
        break;
      case 0x86:  // Bad User Name or Password
      case 0x8C:  // Bad authentication method
        code = absl::StatusCode::kUnauthenticated;
        break;
      case 0x87:  // Not authorized
      case 0x8A:  // Banned
        code = absl::StatusCode::kPermissionDenied;
        break;
      case 0x97:  // Quota exceeded
      case 0x9F:  // Connection rate exceeded
        code = absl::StatusCode::kResourceExhausted;
        break;
      default:  // Server unavailable / busy, Use another server, Server moved, ...
        break;
    }
  } else {
    switch (c.reason_code) {
      case 1:
        code = absl::StatusCode::kFailedPrecondition;
        break;
      case 2:
        code = absl::StatusCode::kInvalidArgument;
        break;
      case 4:
        code = absl::StatusCode::kUnauthenticated;
        break;
      case 5:
        code = absl::StatusCode::kPermissionDenied;
        break;
      default:
        break;
    }
  }
  return absl::Status(code, text);
}

template <typename T>
T MakeAck(uint16_t packet_id, uint8_t reason_code) {
  T ack;
  ack.packet_id = packet_id;
  ack.reason_code = reason_code;
  return ack;
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

// ---------------------------------------------------------------------------------------------
// Transport

void Session::OnTransportUp(absl::Time now) {
  if (state_ != SessionState::kDisconnected) {
    Log(LogLevel::kWarning, "OnTransportUp without OnTransportDown for the previous transport");
    OnTransportDown(now, absl::AbortedError("the transport was replaced"));
  }
  wants_close_ = false;
  end_reported_ = false;
  app_disconnect_ = false;
  app_disconnect_reason_ = 0;
  auth_awaiting_app_ = false;
  reauthenticating_ = false;
  outgoing_.Clear();
  written_total_ = appended_total_;
  decoder_.Reset();
  in_aliases_.Reset(our_topic_alias_maximum_);

  // Whether the broker kept our session is decided by the expiry in force so far, before the
  // options of an UpdateOptions are adopted.
  const bool persistent = Persistent();
  const bool adopted = pending_options_.has_value();
  if (adopted) {
    AdoptOptions(*std::move(pending_options_));
    pending_options_.reset();
  }
  if (first_connection_ && !restored_session_) {
    clean_start_sent_ = options_.clean_start;
  } else {
    clean_start_sent_ = options_.reconnect_clean_start.value_or(!persistent);
  }
  if (adopted) session_expiry_ = connect_session_expiry_;
  const size_t before = outgoing_.size();
  absl::Status s = EncodePacket(Packet(BuildConnect(options_, client_id_, clean_start_sent_)),
                                options_.version, &outgoing_);
  state_ = SessionState::kConnecting;
  if (!s.ok()) {
    Abort(absl::InvalidArgumentError(absl::StrCat("cannot build CONNECT: ", s.message())), 0,
          /*send_disconnect=*/false);
    return;
  }
  appended_total_ += outgoing_.size() - before;
  keepalive_.StartConnect(now, options_.connect_timeout);
}

void Session::OnOutputWritten(size_t n, absl::Time now) {
  n = std::min(n, outgoing_.size());
  if (n == 0) return;
  outgoing_.Consume(n);
  written_total_ += n;
  keepalive_.OnSent(now);
  outbound_.OnWritten(written_total_);
}

void Session::OnTransportDown(absl::Time now, absl::Status error) {
  if (state_ == SessionState::kDisconnected) return;
  if (!end_reported_) {
    if (state_ == SessionState::kConnecting) {
      ConnectFailedEvent e;
      e.error = error.ok() ? absl::UnavailableError("the connection closed before CONNACK")
                           : std::move(error);
      events_.emplace_back(std::move(e));
    } else if (app_disconnect_) {
      DisconnectedEvent e;
      e.reason_code = app_disconnect_reason_;
      events_.emplace_back(std::move(e));
    } else {
      DisconnectedEvent e;
      e.error = error.ok() ? absl::UnavailableError("the connection was closed") : std::move(error);
      events_.emplace_back(std::move(e));
    }
  }
  end_reported_ = true;
  state_ = SessionState::kDisconnected;
  wants_close_ = false;
  auth_awaiting_app_ = false;
  reauthenticating_ = false;
  keepalive_.Stop();
  outgoing_.Clear();
  written_total_ = appended_total_;
  inbound_.OnConnectionLost();
  outbound_.OnConnectionLost();
  // SUBSCRIBE / UNSUBSCRIBE answers will not come: the server owes none on a new connection.
  std::vector<uint16_t> ids;
  ids.reserve(pending_.size());
  for (const auto& [id, request] : pending_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (uint16_t id : ids) {
    const PendingRequest request = pending_[id];
    FailPending(id, request,
                absl::UnavailableError(absl::StrCat("the connection closed before the ",
                                                    request.subscribe ? "SUBACK" : "UNSUBACK",
                                                    " for packet identifier ", id)));
  }
  held_control_.clear();
}

void Session::FailPending(uint16_t packet_id, PendingRequest request, absl::Status error) {
  pending_.erase(packet_id);
  ids_.Release(packet_id);
  if (request.subscribe) {
    SubscribeDoneEvent e;
    e.packet_id = packet_id;
    e.error = std::move(error);
    events_.emplace_back(std::move(e));
  } else {
    UnsubscribeDoneEvent e;
    e.packet_id = packet_id;
    e.error = std::move(error);
    events_.emplace_back(std::move(e));
  }
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

void Session::OnTimer(absl::Time now) {
  outbound_.OnTimer(now);
  switch (keepalive_.Check(now)) {
    case Keepalive::Action::kNone:
      break;
    case Keepalive::Action::kSendPingreq:
      Write(Packet(PingreqPacket{}));
      break;
    case Keepalive::Action::kConnectTimedOut:
      Abort(absl::DeadlineExceededError(absl::StrCat("no CONNACK within the connect timeout (",
                                                     absl::FormatDuration(options_.connect_timeout),
                                                     ")")),
            0, /*send_disconnect=*/false);
      return;
    case Keepalive::Action::kPingTimedOut:
      Abort(absl::DeadlineExceededError(
                absl::StrCat("no PINGRESP within the ping timeout (",
                             absl::FormatDuration(options_.ping_timeout > absl::ZeroDuration()
                                                      ? options_.ping_timeout
                                                      : keepalive_.keep_alive()),
                             "): the connection is considered dead")),
            kKeepAliveTimeout, /*send_disconnect=*/false);
      return;
  }
  if (reauthenticating_ && now >= reauth_deadline_) {
    Abort(absl::DeadlineExceededError(
              absl::StrCat("re-authentication did not complete within the connect timeout (",
                           absl::FormatDuration(options_.connect_timeout), ")")),
          kUnspecifiedError, /*send_disconnect=*/true);
  }
}

// ---------------------------------------------------------------------------------------------
// Incoming packets

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

absl::Status Session::HandleConnack(ConnackPacket connack, absl::Time now) {
  if (state_ != SessionState::kConnecting) {
    return ProtocolErrorAt(v5() ? "MQTT-5.0 §3.2" : "MQTT-3.1.1 §3.2", kNoOffset,
                           "a second CONNACK on the same connection");
  }
  if (connack.reason_code != 0) {
    const uint8_t code = connack.reason_code;
    ConnectFailedEvent e;
    e.error = RefusalStatus(options_.version, connack);
    e.reason_code = code;
    e.properties = std::move(connack.properties);
    events_.emplace_back(std::move(e));
    end_reported_ = true;
    wants_close_ = true;
    state_ = SessionState::kDisconnecting;
    keepalive_.Stop();
    return absl::OkStatus();
  }
  if (clean_start_sent_ && connack.session_present) {
    return ProtocolErrorAt(v5() ? "MQTT-3.2.2-2" : "MQTT-3.2.2-1", kNoOffset,
                           "CONNACK has Session Present set although we asked for a clean start");
  }
  if (auth_method_.has_value() && v5()) {
    // Enhanced authentication ends with CONNACK; a method there must be ours.
    if (auto m = connack.properties.GetString(PropertyId::kAuthenticationMethod);
        m.has_value() && *m != *auth_method_) {
      return ProtocolErrorAt("MQTT-5.0 §4.12", kNoOffset,
                             absl::StrCat("CONNACK has Authentication Method \"", *m,
                                          "\"; CONNECT used \"", *auth_method_, "\""));
    }
  }

  ServerLimits limits;
  limits.known = true;
  absl::Duration keep_alive = absl::Seconds(options_.keep_alive_seconds);
  if (v5()) {
    const Properties& p = connack.properties;
    limits.receive_maximum =
        static_cast<uint16_t>(p.GetInt(PropertyId::kReceiveMaximum).value_or(65535));
    limits.maximum_qos = static_cast<uint8_t>(p.GetInt(PropertyId::kMaximumQos).value_or(2));
    limits.retain_available = p.GetInt(PropertyId::kRetainAvailable).value_or(1) != 0;
    limits.maximum_packet_size = p.GetInt(PropertyId::kMaximumPacketSize).value_or(0);
    limits.topic_alias_maximum =
        static_cast<uint16_t>(p.GetInt(PropertyId::kTopicAliasMaximum).value_or(0));
    limits.wildcard_available =
        p.GetInt(PropertyId::kWildcardSubscriptionAvailable).value_or(1) != 0;
    limits.subscription_identifiers_available =
        p.GetInt(PropertyId::kSubscriptionIdentifierAvailable).value_or(1) != 0;
    limits.shared_available = p.GetInt(PropertyId::kSharedSubscriptionAvailable).value_or(1) != 0;
    if (auto ka = p.GetInt(PropertyId::kServerKeepAlive)) keep_alive = absl::Seconds(*ka);
    if (auto id = p.GetString(PropertyId::kAssignedClientIdentifier)) {
      client_id_.assign(id->data(), id->size());
    }
    if (auto expiry = p.GetInt(PropertyId::kSessionExpiryInterval)) session_expiry_ = *expiry;
  }
  server_ = limits;
  // MQTT 3.1's CONNACK has no Session Present flag. A 3.1 broker keeps the session of a client
  // that connected with Clean Session 0, so that is what we assume: resending inflight messages
  // (DUP) and PUBRELs is what the protocol wants then, and is harmless if the broker did lose it
  // (a re-sent PUBLISH is a new publication; a PUBREL for an unknown id still gets a PUBCOMP).
  const bool session_present =
      connack.session_present || (options_.version == ProtocolVersion::kV31 && !clean_start_sent_);
  if (!session_present && !clean_start_sent_) {
    Log(LogLevel::kWarning,
        "the broker has no session for us (Session Present = 0 after asking to resume)");
  }

  state_ = SessionState::kConnected;
  first_connection_ = false;
  restored_session_ = false;
  auth_awaiting_app_ = false;
  keepalive_.Start(now, keep_alive, options_.ping_timeout);
  out_aliases_.Reset(server_.topic_alias_maximum);
  PersistIdentity();

  ConnectedEvent e;
  e.session_present = connack.session_present;  // what the broker said (always 0 in 3.1)
  e.properties = std::move(connack.properties);
  events_.emplace_back(std::move(e));

  inbound_.OnConnected();
  if (!session_present) inbound_.DiscardSession();
  std::vector<Packet> held = std::exchange(held_control_, {});
  for (Packet& p : held) {
    const uint16_t id = TypeOf(p) == PacketType::kSubscribe
                            ? std::get<SubscribePacket>(p).packet_id
                            : std::get<UnsubscribePacket>(p).packet_id;
    absl::Status sent = SendControl(p);
    if (!sent.ok()) FailPending(id, pending_[id], std::move(sent));
  }
  outbound_.OnConnected(session_present, server_.receive_maximum, options_.lost_session_policy,
                        now);
  return absl::OkStatus();
}

absl::Status Session::HandleSuback(SubackPacket suback) {
  auto it = pending_.find(suback.packet_id);
  if (it == pending_.end() || !it->second.subscribe) {
    return ProtocolErrorAt(v5() ? "MQTT-3.9.2" : "MQTT-3.1.1 §3.9.2", kNoOffset,
                           absl::StrCat("SUBACK for packet identifier ", suback.packet_id,
                                        ", which no SUBSCRIBE is waiting for"));
  }
  if (suback.reason_codes.size() != it->second.count) {
    return ProtocolErrorAt(
        v5() ? "MQTT-3.9.3-1" : "MQTT-3.1.1 §3.9.3", kNoOffset,
        absl::StrCat("SUBACK has ", suback.reason_codes.size(), " reason codes for a SUBSCRIBE of ",
                     it->second.count, " filters"));
  }
  pending_.erase(it);
  ids_.Release(suback.packet_id);
  SubscribeDoneEvent e;
  e.packet_id = suback.packet_id;
  e.reason_codes = std::move(suback.reason_codes);
  e.properties = std::move(suback.properties);
  events_.emplace_back(std::move(e));
  return absl::OkStatus();
}

absl::Status Session::HandleUnsuback(UnsubackPacket unsuback) {
  auto it = pending_.find(unsuback.packet_id);
  if (it == pending_.end() || it->second.subscribe) {
    return ProtocolErrorAt(v5() ? "MQTT-3.11.2" : "MQTT-3.1.1 §3.11.2", kNoOffset,
                           absl::StrCat("UNSUBACK for packet identifier ", unsuback.packet_id,
                                        ", which no UNSUBSCRIBE is waiting for"));
  }
  if (v5() && unsuback.reason_codes.size() != it->second.count) {
    return ProtocolErrorAt(
        "MQTT-3.11.3-1", kNoOffset,
        absl::StrCat("UNSUBACK has ", unsuback.reason_codes.size(),
                     " reason codes for an UNSUBSCRIBE of ", it->second.count, " filters"));
  }
  pending_.erase(it);
  ids_.Release(unsuback.packet_id);
  UnsubscribeDoneEvent e;
  e.packet_id = unsuback.packet_id;
  e.reason_codes = std::move(unsuback.reason_codes);
  e.properties = std::move(unsuback.properties);
  events_.emplace_back(std::move(e));
  return absl::OkStatus();
}

absl::Status Session::HandleDisconnect(DisconnectPacket disconnect) {
  if (!v5()) {
    return ProtocolErrorAt(
        "MQTT-3.1.1 §3.14", kNoOffset,
        "the broker sent DISCONNECT, which only a client may send before MQTT 5");
  }
  const std::string what =
      absl::StrCat("DISCONNECT ", Hex2(disconnect.reason_code), " ",
                   ReasonCodeName(ReasonContext::kDisconnect, disconnect.reason_code),
                   ServerDetails(disconnect.properties));
  if (state_ != SessionState::kConnected) {
    return ProtocolErrorAt("MQTT-3.14.0-1", kNoOffset,
                           absl::StrCat("the broker sent ", what, " before a successful CONNACK"));
  }
  DisconnectedEvent e;
  e.error = absl::UnavailableError(absl::StrCat("the broker closed the connection: ", what));
  e.by_server = true;
  e.reason_code = disconnect.reason_code;
  e.properties = std::move(disconnect.properties);
  events_.emplace_back(std::move(e));
  end_reported_ = true;
  wants_close_ = true;
  state_ = SessionState::kDisconnecting;
  keepalive_.Stop();
  reauthenticating_ = false;
  return absl::OkStatus();
}

absl::Status Session::HandleAuth(AuthPacket auth) {
  // The decoder refuses AUTH before MQTT 5.
  if (!auth_method_.has_value()) {
    return ProtocolErrorAt("MQTT-4.12.0-6", kNoOffset,
                           "the broker sent AUTH, but CONNECT had no Authentication Method");
  }
  const std::optional<absl::string_view> method =
      auth.properties.GetString(PropertyId::kAuthenticationMethod);
  if (!method.has_value() || *method != *auth_method_) {
    return ProtocolErrorAt("MQTT-4.12.0-5", kNoOffset,
                           absl::StrCat("AUTH has Authentication Method \"", method.value_or(""),
                                        "\"; CONNECT used \"", *auth_method_, "\""));
  }
  const bool continue_auth = auth.reason_code == kContinueAuthentication;
  const bool success = auth.reason_code == 0x00;
  if (state_ == SessionState::kConnecting) {
    if (!continue_auth) {
      return ProtocolErrorAt("MQTT-4.12.0-2", kNoOffset,
                             absl::StrCat("AUTH ", Hex2(auth.reason_code),
                                          " before CONNACK (only 0x18 Continue is valid there)"));
    }
  } else if (!reauthenticating_) {
    return ProtocolErrorAt("MQTT-4.12.1-1", kNoOffset,
                           absl::StrCat("AUTH ", Hex2(auth.reason_code),
                                        " while no re-authentication is in progress"));
  } else if (!continue_auth && !success) {
    return ProtocolErrorAt(
        "MQTT-3.15.2-1", kNoOffset,
        absl::StrCat("AUTH ", Hex2(auth.reason_code), " from the broker during re-authentication"));
  }
  if (success) {
    reauthenticating_ = false;
    auth_awaiting_app_ = false;
  } else {
    auth_awaiting_app_ = true;
  }
  AuthEvent e;
  e.reason_code = auth.reason_code;
  e.properties = std::move(auth.properties);
  events_.emplace_back(std::move(e));
  return absl::OkStatus();
}

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

void Session::ForgetOutgoing(MessageToken token) {
  if (store_ == nullptr) return;
  absl::Status s = store_->RemoveOutgoing(token);
  if (!s.ok()) Log(LogLevel::kError, absl::StrCat("store: RemoveOutgoing failed: ", s.ToString()));
}

// ---------------------------------------------------------------------------------------------
// Application commands

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

absl::Status Session::CheckSubscribe(const SubscribePacket& p) const {
  if (p.subscriptions.empty()) {
    return absl::InvalidArgumentError("SUBSCRIBE needs at least one filter [MQTT-3.8.3-2]");
  }
  if (!v5() && !p.properties.empty()) {
    return absl::InvalidArgumentError("SUBSCRIBE properties need MQTT 5");
  }
  if (v5()) OUZEL_RETURN_IF_ERROR(p.properties.Validate(PropertyContext::kSubscribe));
  for (const Subscription& s : p.subscriptions) {
    OUZEL_RETURN_IF_ERROR(ValidateTopicFilter(s.filter));
    if (s.qos > 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter \"", s.filter, "\": QoS ", s.qos, " is not 0, 1 or 2"));
    }
    if (s.retain_handling > 2) {
      return absl::InvalidArgumentError(absl::StrCat("filter \"", s.filter, "\": Retain Handling ",
                                                     s.retain_handling, " is not 0, 1 or 2"));
    }
    const bool shared = ParseSharedSubscription(s.filter).has_value();
    if (!v5() && (s.no_local || s.retain_as_published || s.retain_handling != 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter \"", s.filter,
                       "\": No Local, Retain As Published and Retain Handling need MQTT 5"));
    }
    if (shared && s.no_local) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter \"", s.filter, "\": No Local on a shared subscription [MQTT-3.8.3-4]"));
    }
    if (server_.known) {
      if (shared && !server_.shared_available) {
        return absl::InvalidArgumentError(
            absl::StrCat("filter \"", s.filter,
                         "\": the server does not support shared subscriptions (CONNACK)"));
      }
      if (!server_.wildcard_available && s.filter.find_first_of("+#") != std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("filter \"", s.filter,
                         "\": the server does not support wildcard subscriptions (CONNACK)"));
      }
    }
  }
  if (server_.known && !server_.subscription_identifiers_available &&
      p.properties.Has(PropertyId::kSubscriptionIdentifier)) {
    return absl::InvalidArgumentError(
        "the server does not support subscription identifiers (CONNACK)");
  }
  return absl::OkStatus();
}

absl::Status Session::CheckUnsubscribe(const UnsubscribePacket& p) const {
  if (p.filters.empty()) {
    return absl::InvalidArgumentError("UNSUBSCRIBE needs at least one filter [MQTT-3.10.3-2]");
  }
  if (!v5() && !p.properties.empty()) {
    return absl::InvalidArgumentError("UNSUBSCRIBE properties need MQTT 5");
  }
  if (v5()) OUZEL_RETURN_IF_ERROR(p.properties.Validate(PropertyContext::kUnsubscribe));
  for (const std::string& f : p.filters) OUZEL_RETURN_IF_ERROR(ValidateTopicFilter(f));
  return absl::OkStatus();
}

absl::Status Session::SendControl(const Packet& packet) {
  if (TypeOf(packet) == PacketType::kSubscribe) {
    OUZEL_RETURN_IF_ERROR(CheckSubscribe(std::get<SubscribePacket>(packet)));
  } else {
    OUZEL_RETURN_IF_ERROR(CheckUnsubscribe(std::get<UnsubscribePacket>(packet)));
  }
  OUZEL_ASSIGN_OR_RETURN(size_t size, EncodedPacketSize(packet, options_.version));
  if (server_.maximum_packet_size != 0 && size > server_.maximum_packet_size) {
    return absl::OutOfRangeError(absl::StrCat("the ", PacketTypeName(TypeOf(packet)), " would be ",
                                              size,
                                              " bytes, over the server's Maximum Packet Size of ",
                                              server_.maximum_packet_size, " bytes (CONNACK)"));
  }
  Write(packet);
  return absl::OkStatus();
}

absl::StatusOr<uint16_t> Session::Subscribe(SubscribeRequest request, absl::Time now) {
  if (state_ != SessionState::kConnected && state_ != SessionState::kConnecting) {
    return absl::FailedPreconditionError("not connected: SUBSCRIBE needs a connection");
  }
  SubscribePacket p;
  p.subscriptions = std::move(request.subscriptions);
  p.properties = std::move(request.properties);
  OUZEL_RETURN_IF_ERROR(CheckSubscribe(p));
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ids_.Allocate());
  const size_t count = p.subscriptions.size();
  return SendOrHoldRequest(std::move(p), PendingRequest{true, count});
}

absl::StatusOr<uint16_t> Session::Unsubscribe(std::vector<std::string> filters,
                                              Properties properties, absl::Time now) {
  if (state_ != SessionState::kConnected && state_ != SessionState::kConnecting) {
    return absl::FailedPreconditionError("not connected: UNSUBSCRIBE needs a connection");
  }
  UnsubscribePacket p;
  p.filters = std::move(filters);
  p.properties = std::move(properties);
  OUZEL_RETURN_IF_ERROR(CheckUnsubscribe(p));
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ids_.Allocate());
  const size_t count = p.filters.size();
  return SendOrHoldRequest(std::move(p), PendingRequest{false, count});
}

// A SUBSCRIBE or UNSUBSCRIBE with its packet id allocated: held until CONNACK while connecting,
// written otherwise (the id is released if it cannot be), and remembered until its ack.
template <typename RequestPacket>
absl::StatusOr<uint16_t> Session::SendOrHoldRequest(RequestPacket p, PendingRequest pending) {
  const uint16_t id = p.packet_id;
  Packet packet(std::move(p));
  if (state_ == SessionState::kConnecting) {
    held_control_.push_back(std::move(packet));
  } else {
    absl::Status sent = SendControl(packet);
    if (!sent.ok()) {
      ids_.Release(id);
      return sent;
    }
  }
  pending_[id] = pending;
  return id;
}

absl::Status Session::Disconnect(uint8_t reason_code, Properties properties, absl::Time now) {
  if (state_ == SessionState::kDisconnected) {
    return absl::FailedPreconditionError("not connected");
  }
  if (state_ == SessionState::kDisconnecting) {
    return absl::FailedPreconditionError("the connection is already closing");
  }
  DisconnectPacket d;
  if (v5()) {
    if (!IsValidReasonCode(ReasonContext::kDisconnect, reason_code)) {
      return absl::InvalidArgumentError(
          absl::StrCat(Hex2(reason_code), " is not a DISCONNECT reason code"));
    }
    OUZEL_RETURN_IF_ERROR(properties.Validate(PropertyContext::kDisconnect));
    if (auto expiry = properties.GetInt(PropertyId::kSessionExpiryInterval)) {
      if (connect_session_expiry_ == 0 && *expiry != 0) {
        return absl::InvalidArgumentError(
            "a non-zero Session Expiry Interval in DISCONNECT after CONNECT sent zero "
            "(MQTT-5.0 §3.14.2.2.2)");
      }
      session_expiry_ = *expiry;
      if (state_ == SessionState::kConnected) PersistIdentity();
    }
    d.reason_code = reason_code;
    d.properties = std::move(properties);
  }
  Write(Packet(std::move(d)));
  if (state_ == SessionState::kConnecting) {
    ConnectFailedEvent e;
    e.error = absl::CancelledError("Disconnect was called before CONNACK");
    events_.emplace_back(std::move(e));
    end_reported_ = true;
  } else {
    app_disconnect_ = true;
    app_disconnect_reason_ = v5() ? reason_code : 0;
  }
  wants_close_ = true;
  state_ = SessionState::kDisconnecting;
  keepalive_.Stop();
  reauthenticating_ = false;
  auth_awaiting_app_ = false;
  return absl::OkStatus();
}

absl::Status Session::Ack(uint16_t packet_id, absl::Time now) { return inbound_.Ack(packet_id); }

absl::Status Session::CheckAuthMethod(Properties& properties) const {
  if (!v5()) return absl::FailedPreconditionError("enhanced authentication needs MQTT 5");
  if (!auth_method_.has_value()) {
    return absl::FailedPreconditionError(
        "CONNECT had no Authentication Method, so AUTH may not be sent [MQTT-4.12.0-7]");
  }
  if (auto method = properties.GetString(PropertyId::kAuthenticationMethod)) {
    if (*method != *auth_method_) {
      return absl::InvalidArgumentError(absl::StrCat("Authentication Method \"", *method,
                                                     "\" differs from CONNECT's \"", *auth_method_,
                                                     "\" [MQTT-4.12.0-5]"));
    }
  } else {
    properties.SetString(PropertyId::kAuthenticationMethod, *auth_method_);
  }
  return properties.Validate(PropertyContext::kAuth);
}

absl::Status Session::ContinueAuthentication(Properties properties, absl::Time now) {
  OUZEL_RETURN_IF_ERROR(CheckAuthMethod(properties));
  if (!auth_awaiting_app_ ||
      (state_ != SessionState::kConnecting && state_ != SessionState::kConnected)) {
    return absl::FailedPreconditionError("no AUTH from the broker is waiting for an answer");
  }
  AuthPacket a;
  a.reason_code = kContinueAuthentication;
  a.properties = std::move(properties);
  Write(Packet(std::move(a)));
  auth_awaiting_app_ = false;
  return absl::OkStatus();
}

absl::Status Session::Reauthenticate(Properties properties, absl::Time now) {
  OUZEL_RETURN_IF_ERROR(CheckAuthMethod(properties));
  if (state_ != SessionState::kConnected) {
    return absl::FailedPreconditionError("re-authentication needs an established connection");
  }
  if (reauthenticating_) {
    return absl::FailedPreconditionError("a re-authentication is already in progress");
  }
  AuthPacket a;
  a.reason_code = kReAuthenticate;
  a.properties = std::move(properties);
  Write(Packet(std::move(a)));
  reauthenticating_ = true;
  auth_awaiting_app_ = false;
  reauth_deadline_ = options_.connect_timeout > absl::ZeroDuration()
                         ? now + options_.connect_timeout
                         : absl::InfiniteFuture();
  return absl::OkStatus();
}

}  // namespace ouzel
