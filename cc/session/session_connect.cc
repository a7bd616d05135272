// Connection and CONNACK: CONNECT on transport up, CONNACK (accepted or refused, server limits),
// DISCONNECT both ways and the end of a transport (what cannot outlive the connection).
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/encode.h"
#include "cc/codec/reason_codes.h"
#include "cc/session/internal/session_helpers.h"
#include "cc/session/session.h"

namespace ouzel {

using session_internal::BuildConnect;
using session_internal::Hex2;

namespace {

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

}  // namespace

// The CONNECT for these options.
ConnectPacket session_internal::BuildConnect(const SessionOptions& o, const std::string& client_id,
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
  session_resumed_ = session_present;
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
                        options_.hold_output_until_released, now);
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

}  // namespace ouzel
