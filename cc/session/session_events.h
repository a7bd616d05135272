// The events a Session reports to the layer above, in protocol order.
#ifndef OUZEL_CC_SESSION_SESSION_EVENTS_H_
#define OUZEL_CC_SESSION_SESSION_EVENTS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "cc/codec/packets.h"
#include "cc/codec/properties.h"

namespace ouzel {

// Identifies one Publish call for its whole life, whatever packet ids it is sent under.
using MessageToken = uint64_t;

// Where an outgoing message is. Terminal states: kAcknowledged, kExpired, kDropped.
enum class DeliveryState : uint8_t {
  kQueued,        // accepted, not yet sent (offline, window full, or waiting for CONNACK)
  kInflight,      // PUBLISH (or PUBREL) sent, acknowledgement outstanding
  kAcknowledged,  // QoS 0: written to the transport; QoS 1: PUBACK; QoS 2: PUBCOMP
  kExpired,       // its Message Expiry Interval passed before it could be sent
  kDropped,       // see DropReason
};

enum class DropReason : uint8_t {
  kNone,
  kQueueFull,       // evicted by QueueFullPolicy::kDropOldestQos0
  kSessionLost,     // LostSessionPolicy::kFailInflight after Session Present = 0
  kTooLarge,        // over the server's Maximum Packet Size, learnt after it was queued
  kRejected,        // MQTT 5 PUBACK/PUBREC with a failure reason code (see reason_code)
  kConnectionLost,  // QoS 0 that was queued for a connection that closed before it was written
  kCancelled,       // the session was destroyed or reset with the message pending
};

// Short names for logs and test transcripts: "queued", "inflight", "acked", "expired",
// "dropped"; "", "queue-full", "session-lost", "too-large", "rejected", "connection-lost",
// "cancelled".
inline const char* DeliveryStateName(DeliveryState s) {
  switch (s) {
    case DeliveryState::kQueued:
      return "queued";
    case DeliveryState::kInflight:
      return "inflight";
    case DeliveryState::kAcknowledged:
      return "acked";
    case DeliveryState::kExpired:
      return "expired";
    case DeliveryState::kDropped:
      return "dropped";
  }
  return "?";
}

inline const char* DropReasonName(DropReason r) {
  switch (r) {
    case DropReason::kNone:
      return "";
    case DropReason::kQueueFull:
      return "queue-full";
    case DropReason::kSessionLost:
      return "session-lost";
    case DropReason::kTooLarge:
      return "too-large";
    case DropReason::kRejected:
      return "rejected";
    case DropReason::kConnectionLost:
      return "connection-lost";
    case DropReason::kCancelled:
      return "cancelled";
  }
  return "?";
}

struct MessageStatus {
  DeliveryState state = DeliveryState::kQueued;
  DropReason drop_reason = DropReason::kNone;
  uint16_t packet_id = 0;   // the current one; 0 for QoS 0 unless number_qos0_messages
  uint8_t reason_code = 0;  // from PUBACK/PUBREC/PUBCOMP (v5)
  uint8_t qos = 0;          // as published
};

// An application message as delivered (incoming) or accepted (outgoing).
struct Message {
  std::string topic;  // incoming: resolved from a Topic Alias when the broker used one
  std::string payload;
  uint8_t qos = 0;
  bool retain = false;
  bool dup = false;
  uint16_t packet_id = 0;
  Properties properties;
};

struct ConnectedEvent {
  bool session_present = false;
  uint8_t reason_code = 0;  // 0: success (3.x return code or v5 reason code)
  Properties properties;    // CONNACK properties (v5)
};

// The connection attempt ended without a successful CONNACK.
struct ConnectFailedEvent {
  absl::Status error;
  std::optional<uint8_t> reason_code;  // CONNACK refusal code, if one came
  Properties properties;
};

// An established connection ended. `reason_code` is the DISCONNECT's (ours or the server's, see
// `by_server`), or the code we disconnected with after a protocol violation. When we closed
// without a DISCONNECT because no PINGRESP came, it is 0x8D (Keep Alive timeout); when the
// transport simply failed, 0.
struct DisconnectedEvent {
  absl::Status error;  // OK for a normal disconnect the application asked for
  bool by_server = false;
  uint8_t reason_code = 0;
  Properties properties;  // the server's DISCONNECT properties (Server Reference, Reason String)
};

struct MessageEvent {
  Message message;
};

// A Publish call finished (acknowledged, expired or dropped).
struct PublishDoneEvent {
  MessageToken token = 0;
  MessageStatus status;
  Properties properties;  // PUBACK/PUBCOMP properties (v5)
};

struct SubscribeDoneEvent {
  uint16_t packet_id = 0;
  std::vector<uint8_t> reason_codes;  // 3.x: granted QoS or 0x80
  Properties properties;
  // Not OK when no SUBACK will come: the connection closed first, or a SUBSCRIBE held until
  // CONNACK was refused by the server's limits. reason_codes is empty then.
  absl::Status error;
};

struct UnsubscribeDoneEvent {
  uint16_t packet_id = 0;
  std::vector<uint8_t> reason_codes;  // empty for 3.x
  Properties properties;
  absl::Status error;  // as for SubscribeDoneEvent
};

// The server sent AUTH (v5 enhanced authentication, at connect or re-authentication). The
// application answers with Session::ContinueAuthentication, or the session times out.
struct AuthEvent {
  uint8_t reason_code = 0;  // 0x18 Continue authentication or 0x00 Success (re-auth completed)
  Properties properties;    // Authentication Method, Authentication Data, Reason String
};

// A diagnostic for the application's log (Session::TakeLogs), not an event of the protocol.
enum class LogLevel : uint8_t { kDebug, kInfo, kWarning, kError };
struct SessionLog {
  LogLevel level = LogLevel::kInfo;
  std::string message;
};

using SessionEvent =
    std::variant<ConnectedEvent, ConnectFailedEvent, DisconnectedEvent, MessageEvent,
                 PublishDoneEvent, SubscribeDoneEvent, UnsubscribeDoneEvent, AuthEvent>;

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_SESSION_EVENTS_H_
