// Session: the MQTT protocol as a pure state machine (sans-I/O).
//
// It never touches a socket, a thread or a clock. Inputs are the transport going up or down, bytes
// received, the current time, and application commands; outputs are bytes to send, events, the next
// deadline it needs and whether the transport should be closed. Everything about QoS flows, packet
// identifiers, inflight windows, Receive Maximum, topic aliases, keepalive, enhanced authentication
// and session resumption is decided here, so it is tested deterministically without a network.
//
// A Session outlives connections: it is created once per client and sees many transports come and
// go, keeping its session state (inflight messages, QoS 2 ids awaiting PUBREL) across them.
//
//   Session s(options);
//   s.OnTransportUp(now);                  // CONNECT is now in s.PendingOutput()
//   s.OnOutputWritten(Send(s.PendingOutput()), now);
//   s.OnBytesReceived(bytes, now);         // CONNACK: a ConnectedEvent, queued PUBLISHes written
//   for (SessionEvent& e : s.TakeEvents()) Dispatch(e);
//   if (auto d = s.NextDeadline()) ArmTimer(*d);   // then s.OnTimer(now) when it fires
//   if (s.wants_close()) CloseTransport();
//
// Thread-compatible: one thread at a time (the client layer serializes calls).
#ifndef OUZEL_CC_SESSION_SESSION_H_
#define OUZEL_CC_SESSION_SESSION_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/packets.h"
#include "cc/session/session_events.h"
#include "cc/session/session_options.h"
#include "cc/session/session_store.h"

namespace ouzel {

enum class SessionState : uint8_t {
  kDisconnected,   // no transport
  kConnecting,     // transport up, CONNECT sent, waiting for CONNACK (or in an AUTH exchange)
  kConnected,      // CONNACK 0 received
  kDisconnecting,  // DISCONNECT written; waiting for the transport to close
};

struct PublishRequest {
  std::string topic;
  std::string payload;
  uint8_t qos = 0;
  bool retain = false;
  // v5 PUBLISH properties. A Topic Alias set here is used as given (manual aliasing); with
  // SessionOptions::auto_topic_alias the session assigns aliases itself.
  Properties properties;
};

struct SubscribeRequest {
  std::vector<Subscription> subscriptions;
  Properties properties;  // Subscription Identifier, User Property (v5)
};

class Session {
 public:
  // `store` (may be null: nothing persists) is told every change of session state that must
  // survive a restart; see session_store.h.
  explicit Session(SessionOptions options, SessionStore* store = nullptr);

  // --- Transport ---------------------------------------------------------------------------------
  // A transport is connected: writes CONNECT (clean start per options on the first connection, then
  // resume when the session is persistent) and starts the connect timeout.
  void OnTransportUp(absl::Time now);
  // Bytes arrived. Protocol violations by the server end the connection: a v5 DISCONNECT with 0x81,
  // 0x82, 0x93, 0x94 or 0x95 is written, wants_close() becomes true, and a DisconnectedEvent (or
  // ConnectFailedEvent before CONNACK) carries the error. Nothing half-decoded is delivered.
  void OnBytesReceived(absl::Span<const uint8_t> bytes, absl::Time now);
  // The transport closed or failed (`error` says why; OK when we closed it after DISCONNECT).
  void OnTransportDown(absl::Time now, absl::Status error);
  // Time passed: keepalive, connect/ping/auth timeouts, message expiry.
  void OnTimer(absl::Time now);

  // --- Application commands (valid in any state unless noted) ------------------------------------
  // Accepts a message: validates it (topic, QoS, payload size against the server's Maximum Packet
  // Size once known), assigns a token, and sends it now or queues it. InvalidArgument for bad
  // input, ResourceExhausted when the queue is full, FailedPrecondition for QoS 0 while
  // disconnected without queue_qos0_while_offline, OutOfRange when it exceeds the server's Maximum
  // Packet Size.
  absl::StatusOr<MessageToken> Publish(PublishRequest request, absl::Time now);
  // Sends SUBSCRIBE; returns its packet id. FailedPrecondition when not connected.
  absl::StatusOr<uint16_t> Subscribe(SubscribeRequest request, absl::Time now);
  absl::StatusOr<uint16_t> Unsubscribe(std::vector<std::string> filters, Properties properties,
                                       absl::Time now);
  // Writes DISCONNECT (reason and properties ignored for 3.x); wants_close() becomes true.
  absl::Status Disconnect(uint8_t reason_code, Properties properties, absl::Time now);
  // Manual acknowledgement of a received QoS 1/2 message (SessionOptions::manual_ack). Acks may
  // come in any order; PUBACK/PUBREC go out in the order the PUBLISHes arrived [MQTT-4.6.0-2/3].
  absl::Status Ack(uint16_t packet_id, absl::Time now);
  // Enhanced authentication: answer the server's AUTH (0x18 Continue) or start re-authentication
  // (0x19) when connected. `properties` carries Authentication Method and Data.
  absl::Status ContinueAuthentication(Properties properties, absl::Time now);
  absl::Status Reauthenticate(Properties properties, absl::Time now);

  // --- Outputs -----------------------------------------------------------------------------------
  // Bytes to write, in order. The caller writes what it can, then reports it with OnOutputWritten.
  absl::Span<const uint8_t> PendingOutput() const { return outgoing_.span(); }
  // The first `n` bytes of PendingOutput() reached the transport. This is also when QoS 0 messages
  // complete (they have no acknowledgement).
  void OnOutputWritten(size_t n, absl::Time now);
  std::vector<SessionEvent> TakeEvents();
  bool has_events() const { return !events_.empty(); }
  // The earliest time OnTimer must be called, if any.
  std::optional<absl::Time> NextDeadline() const;
  // The session wants the transport closed (after writing what is in outgoing()).
  bool wants_close() const { return wants_close_; }

  // --- Queries -----------------------------------------------------------------------------------
  SessionState state() const { return state_; }
  std::optional<MessageStatus> StatusOf(MessageToken token) const;
  size_t queued_count() const;
  size_t inflight_count() const;
  // The client id in use: the configured one, or the server's Assigned Client Identifier (v5).
  const std::string& client_id() const;

 private:
  // Implementation in session.cc and the component classes beside it.
  SessionOptions options_;
  SessionState state_ = SessionState::kDisconnected;
  ByteBuffer outgoing_;
  std::vector<SessionEvent> events_;
  bool wants_close_ = false;
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_SESSION_H_
