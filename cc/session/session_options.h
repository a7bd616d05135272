// SessionOptions: everything the protocol state machine needs to know before it connects.
//
// Plain data, copied into the Session. The client layer fills it from the C ABI's ouzel_options.
#ifndef OUZEL_CC_SESSION_SESSION_OPTIONS_H_
#define OUZEL_CC_SESSION_SESSION_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "cc/base/secret.h"
#include "cc/codec/packets.h"
#include "cc/codec/properties.h"
#include "cc/codec/protocol_version.h"

namespace ouzel {

// What to do with messages whose PUBLISH was already sent when the broker reports, in CONNACK, that
// it has no session for us (Session Present = 0 after we asked to resume). The spec requires the
// client to discard its session state [MQTT-3.2.2-4 (3.1.1), MQTT-3.2.2-5 (5.0)]; re-sending is
// then a new publication, which may duplicate a message the old session had already delivered.
enum class LostSessionPolicy : uint8_t {
  kFailInflight,  // default: inflight messages end as kDropped(kSessionLost); queued ones are sent
  kResendAsNew,   // inflight messages are sent again as new publications (new packet ids, DUP=0)
};

// When an incoming QoS 2 message reaches the application.
enum class Qos2Delivery : uint8_t {
  kOnPublish,  // on PUBLISH receipt (one round trip sooner); duplicates suppressed by packet id
  kOnPubrel,   // on PUBREL, as paho-mqtt and libmosquitto do; the message is held until then
};

// What Publish does when the outgoing queue is at its limit.
enum class QueueFullPolicy : uint8_t {
  kRefuseNew,       // Publish fails with ResourceExhausted; nothing already queued is touched
  kDropOldestQos0,  // drop the oldest queued QoS 0 message to make room; refuse if there is none
};

struct SessionOptions {
  ProtocolVersion version = ProtocolVersion::kV311;
  std::string client_id;
  // 3.x Clean Session / 5.0 Clean Start, for the first connection. Reconnections resume the session
  // (clean_start = false) when session_expiry_interval > 0 (v5) or clean_start was false (3.x).
  // A non-empty session restored from a SessionStore counts as already established: the first
  // connection resumes it too when the session is persistent.
  bool clean_start = true;
  // Clean Start on the connections after the first (and after an UpdateOptions that asked for a
  // first connection). nullopt: resume when the session is persistent, clean otherwise (the
  // default). A value sends exactly that flag every time, as paho-mqtt does (its v5
  // MQTT_CLEAN_START_FIRST_ONLY is clean_start = true with this false).
  std::optional<bool> reconnect_clean_start;
  uint16_t keep_alive_seconds = 60;
  std::optional<std::string> username;
  std::optional<SecretString> password;
  std::optional<Will> will;
  // MQTT 5 CONNECT properties set by the application (Session Expiry Interval, Receive Maximum,
  // Maximum Packet Size, Topic Alias Maximum, Request Response/Problem Information, User Property,
  // Authentication Method/Data). The session reads the ones it must honour from here.
  Properties connect_properties;

  // Outgoing flow control. 0 = no local limit (the server's Receive Maximum still applies in v5).
  uint16_t max_inflight = 20;
  size_t max_queued_messages = 0;  // 0 = unbounded
  size_t max_queued_bytes = 0;     // 0 = unbounded
  QueueFullPolicy queue_full_policy = QueueFullPolicy::kRefuseNew;
  // QoS 0 messages published while disconnected: queued (true) or refused with FailedPrecondition
  // (false, paho's behaviour). QoS 0 messages published while a connection is up but before they
  // are written end as kDropped(kConnectionLost) if it closes, unless this is true and they were
  // still queued.
  bool queue_qos0_while_offline = false;
  LostSessionPolicy lost_session_policy = LostSessionPolicy::kFailInflight;
  // After an accepted CONNACK, PUBLISH and PUBREL packets (resent ones and the queue) wait for
  // ReleaseHeldOutput, which the client calls once the application has seen the connection (its
  // connect callback returned): what the application sends meanwhile (a re-subscribe) goes first,
  // as paho-mqtt orders it. Off: they follow the CONNACK at once.
  bool hold_output_until_released = false;

  // Automatic outgoing topic aliases (v5), up to the server's Topic Alias Maximum.
  bool auto_topic_alias = false;

  // Incoming.
  bool manual_ack = false;
  Qos2Delivery qos2_delivery = Qos2Delivery::kOnPublish;

  // Every PUBLISH (QoS 0 included), SUBSCRIBE and UNSUBSCRIBE takes the next identifier from one
  // counter, as paho-mqtt numbers its "mid"s; QoS 0 messages then report that number without it
  // being sent. Off: QoS 0 messages take none.
  bool number_qos0_messages = false;

  // Time allowed from transport up to CONNACK.
  absl::Duration connect_timeout = absl::Seconds(30);
  // How long to wait for PINGRESP before declaring the connection dead. Zero: the keep alive
  // interval itself (what paho does).
  absl::Duration ping_timeout = absl::ZeroDuration();

  // How many finished messages Session::StatusOf still answers for (the most recent ones); older
  // finished tokens give nullopt. 0 keeps none.
  size_t finished_status_history = 10000;
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_SESSION_OPTIONS_H_
