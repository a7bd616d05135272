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
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/packets.h"
#include "cc/codec/stream_decoder.h"
#include "cc/session/inbound_tracker.h"
#include "cc/session/keepalive.h"
#include "cc/session/outbound_flow.h"
#include "cc/session/packet_id_allocator.h"
#include "cc/session/session_events.h"
#include "cc/session/session_options.h"
#include "cc/session/session_store.h"
#include "cc/session/topic_aliases.h"

namespace ouzel {

enum class SessionState : uint8_t {
  kDisconnected,   // no transport
  kConnecting,     // transport up, CONNECT sent, waiting for CONNACK (or in an AUTH exchange)
  kConnected,      // CONNACK 0 received
  kDisconnecting,  // closing: DISCONNECT written (ours or after a protocol violation), the server
                   // disconnected, CONNACK refused or a timeout; waiting for OnTransportDown
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

// How many more messages a caller can take from one OnBytesReceived (an event queue near its
// bound): message count, and their topic + payload bytes.
struct InboundLimit {
  size_t messages = SIZE_MAX;
  size_t bytes = SIZE_MAX;
};

class Session : private InboundSink, private OutboundSink {
 public:
  // `store` (may be null: nothing persists) is told every change of session state that must
  // survive a restart; see session_store.h. A session the store holds (Load) is restored here:
  // its packet ids are reserved, its messages queued for resend, and the first connection
  // resumes it when the session is persistent (see SessionOptions::clean_start). A Load failure
  // leaves the session empty; restore_status() says why.
  explicit Session(SessionOptions options, SessionStore* store = nullptr);
  ~Session() override = default;
  // The components keep pointers back into the session.
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Checks what OnTransportUp would otherwise only find out then: the CONNECT can be built
  // (client id, will, credentials, properties valid for the protocol version). InvalidArgument
  // naming the problem.
  static absl::Status ValidateOptions(const SessionOptions& options);

  // Changes the options of an existing session. The outgoing limits (max_inflight,
  // max_queued_*, queue_full_policy, queue_qos0_while_offline) apply at once; everything else
  // from the next CONNECT (at once when disconnected). With `as_first_connection` that CONNECT
  // uses `clean_start` as the first one does. InvalidArgument, with nothing changed, for invalid
  // options or a change to what the session state is built on: version, client_id, manual_ack,
  // qos2_delivery, number_qos0_messages, finished_status_history.
  absl::Status UpdateOptions(SessionOptions options, bool as_first_connection, absl::Time now);

  // --- Transport ---------------------------------------------------------------------------------
  // A transport is connected: writes CONNECT (clean start per options on the first connection, then
  // resume when the session is persistent) and starts the connect timeout.
  void OnTransportUp(absl::Time now);
  // Bytes arrived. Protocol violations by the server end the connection: a v5 DISCONNECT with 0x81,
  // 0x82, 0x93, 0x94 or 0x95 is written, wants_close() becomes true, and a DisconnectedEvent (or
  // ConnectFailedEvent before CONNACK) carries the error. Nothing half-decoded is delivered.
  void OnBytesReceived(absl::Span<const uint8_t> bytes, absl::Time now);
  // The same, but it stops before a PUBLISH or PUBREL (either may deliver a message) once the
  // messages delivered by this call reach `limit`, and returns how many bytes it consumed; the
  // caller hands the rest again when it has room. Other packets (CONNACK, acks, PINGRESP) are
  // handled up to that point. The last message may take the bytes past `limit.bytes`.
  size_t OnBytesReceived(absl::Span<const uint8_t> bytes, absl::Time now, InboundLimit limit);
  // The caller stopped (true) or resumed (false) reading from the transport: PINGREQs are still
  // sent but their PINGRESP is not awaited meanwhile (see Keepalive::SetReadPaused).
  void SetReadPaused(bool paused, absl::Time now) { keepalive_.SetReadPaused(paused, now); }
  // The transport closed or failed (`error` says why; OK when we closed it after DISCONNECT).
  // Reports the end of the connection unless it was already reported (a DisconnectedEvent with
  // an OK error after Disconnect()), and ends what cannot outlive it: unwritten QoS 0 messages
  // (kConnectionLost) and SUBSCRIBE/UNSUBSCRIBE without their ack (done events with an error).
  void OnTransportDown(absl::Time now, absl::Status error);
  // Time passed: keepalive, connect/ping/auth timeouts, message expiry.
  void OnTimer(absl::Time now);

  // --- Application commands (valid in any state unless noted) ------------------------------------
  // Accepts a message: validates it (topic, QoS, payload size against the server's Maximum Packet
  // Size once known), assigns a token, and sends it now or queues it. InvalidArgument for bad
  // input, ResourceExhausted when the queue is full, FailedPrecondition for QoS 0 while
  // disconnected without queue_qos0_while_offline, OutOfRange when it exceeds the server's Maximum
  // Packet Size. The server's limits are those of the latest CONNACK (none before the first):
  // InvalidArgument for a QoS above its Maximum QoS or a retained message when Retain Available is
  // 0. A message queued before a limit was known ends as kDropped (kTooLarge, or kRejected with
  // 0x9B / 0x9A) when it would be sent.
  absl::StatusOr<MessageToken> Publish(PublishRequest request, absl::Time now);
  // Sends SUBSCRIBE; returns its packet id. FailedPrecondition when not connected. While waiting
  // for CONNACK the SUBSCRIBE is held and sent after it (checked then against the server's
  // limits; a failure is reported in its SubscribeDoneEvent). InvalidArgument for an invalid
  // filter or option, or one the server said it does not support (wildcards, shared
  // subscriptions, subscription identifiers); OutOfRange over its Maximum Packet Size.
  absl::StatusOr<uint16_t> Subscribe(SubscribeRequest request, absl::Time now);
  absl::StatusOr<uint16_t> Unsubscribe(std::vector<std::string> filters, Properties properties,
                                       absl::Time now);
  // Writes DISCONNECT (reason and properties ignored for 3.x); wants_close() becomes true.
  // FailedPrecondition without a connection; InvalidArgument for a reason code or property not
  // allowed in DISCONNECT, or a non-zero Session Expiry Interval when CONNECT sent zero
  // (MQTT-5.0 §3.14.2.2.2).
  absl::Status Disconnect(uint8_t reason_code, Properties properties, absl::Time now);
  // Sends the PUBLISH and PUBREL packets held since CONNACK (hold_output_until_released); nothing
  // when none are held (not connected, or released already).
  void ReleaseHeldOutput(absl::Time now) { outbound_.Release(now); }
  // Manual acknowledgement of a received QoS 1/2 message (SessionOptions::manual_ack). Acks may
  // come in any order; PUBACK/PUBREC go out in the order the PUBLISHes arrived [MQTT-4.6.0-2/3].
  absl::Status Ack(uint16_t packet_id, absl::Time now);
  // Enhanced authentication: answer the server's AUTH (0x18 Continue) or start re-authentication
  // (0x19) when connected. `properties` carries Authentication Method and Data. FailedPrecondition
  // when no AUTH is waiting for an answer / CONNECT had no Authentication Method; InvalidArgument
  // for a different method. Re-authentication must complete within connect_timeout.
  absl::Status ContinueAuthentication(Properties properties, absl::Time now);
  absl::Status Reauthenticate(Properties properties, absl::Time now);

  // --- Outputs -----------------------------------------------------------------------------------
  // Bytes to write, in order. The caller writes what it can, then reports it with OnOutputWritten.
  absl::Span<const uint8_t> PendingOutput() const { return outgoing_.span(); }
  // The first `n` bytes of PendingOutput() reached the transport. This is also when QoS 0 messages
  // complete (they have no acknowledgement).
  void OnOutputWritten(size_t n, absl::Time now);
  std::vector<SessionEvent> TakeEvents();
  // The same, into `out` (cleared first), keeping the capacity of both vectors so a loop that
  // reuses `out` allocates nothing per event.
  void TakeEvents(std::vector<SessionEvent>& out);
  bool has_events() const { return !events_.empty(); }
  // Diagnostics the application may log (unknown acks ignored, store failures, ...), oldest
  // first. At most kMaxLogs are kept between calls; older ones are counted in logs_dropped().
  std::vector<SessionLog> TakeLogs();
  static constexpr size_t kMaxLogs = 256;
  size_t logs_dropped() const { return logs_dropped_; }
  // The earliest time OnTimer must be called, if any.
  std::optional<absl::Time> NextDeadline() const;
  // The session wants the transport closed (after writing what is in outgoing()).
  bool wants_close() const { return wants_close_; }

  // --- Queries -----------------------------------------------------------------------------------
  SessionState state() const { return state_; }
  // Whether the latest accepted CONNACK continued the session state we had (Session Present; for
  // 3.1, which cannot say, whether we asked to resume). False: a new session (QoS 2 state reset).
  bool session_resumed() const { return session_resumed_; }
  // Live messages, and the last SessionOptions::finished_status_history finished ones.
  std::optional<MessageStatus> StatusOf(MessageToken token) const;
  size_t queued_count() const;
  size_t inflight_count() const;
  // The client id in use: the configured one, or the server's Assigned Client Identifier (v5).
  const std::string& client_id() const;
  // A check made before a PUBLISH is built, so an oversized payload is refused before anything is
  // copied (issue 17): OutOfRange when the smallest PUBLISH with these sizes (no properties
  // counted beyond `properties_len`) is over MQTT's own limit or the server's Maximum Packet Size.
  // Publish checks the exact size again.
  absl::Status CheckPublishSize(size_t topic_len, size_t payload_len, uint8_t qos,
                                size_t properties_len) const;
  // Why restoring from the store failed, if it did.
  const absl::Status& restore_status() const { return restore_status_; }

 private:
  // What the latest CONNACK said (MQTT 5 properties; 3.x: the defaults).
  struct ServerLimits {
    bool known = false;
    uint16_t receive_maximum = 65535;
    uint8_t maximum_qos = 2;
    bool retain_available = true;
    uint32_t maximum_packet_size = 0;  // 0: no limit beyond MQTT's own
    uint16_t topic_alias_maximum = 0;
    bool wildcard_available = true;
    bool subscription_identifiers_available = true;
    bool shared_available = true;
  };
  // A SUBSCRIBE or UNSUBSCRIBE awaiting its ack.
  struct PendingRequest {
    bool subscribe = true;
    size_t count = 0;  // filters, for the ack's reason codes
  };

  // InboundSink
  void Deliver(Message message) override;
  void SendAck(PacketType type, uint16_t packet_id, uint8_t reason_code) override;
  void PersistIncoming(uint16_t packet_id, const PublishPacket* held) override;
  void ForgetIncoming(uint16_t packet_id) override;
  // OutboundSink
  WriteResult WritePublish(OutgoingMessage& m, bool resend, absl::Time now) override;
  void WritePubrel(uint16_t packet_id, uint8_t reason_code) override;
  void Done(MessageToken token, const MessageStatus& status, Properties properties) override;
  absl::Status PersistOutgoing(OutgoingMessage& m) override;
  void ForgetOutgoing(MessageToken token) override;
  absl::Status ReserveTokens(uint64_t end) override;

  bool v5() const { return options_.version == ProtocolVersion::kV5; }
  bool Persistent() const;
  void Restore();
  // Makes `options` (already checked by UpdateOptions) the ones in force, with what derives
  // from them.
  void AdoptOptions(SessionOptions options);
  void Log(LogLevel level, std::string message);
  void Write(const Packet& packet);
  void PersistIdentity();
  // Ends the connection from our side: `event_error` reported (ConnectFailedEvent before CONNACK,
  // else DisconnectedEvent with `reason_code`), a v5 DISCONNECT written when `send_disconnect`.
  void Abort(absl::Status event_error, uint8_t reason_code, bool send_disconnect);
  void ProtocolViolation(const absl::Status& error);
  absl::Status HandlePacket(Packet packet, absl::Time now);
  absl::Status HandleConnack(ConnackPacket connack, absl::Time now);
  absl::Status HandleSuback(SubackPacket suback);
  absl::Status HandleUnsuback(UnsubackPacket unsuback);
  absl::Status HandleDisconnect(DisconnectPacket disconnect);
  absl::Status HandleAuth(AuthPacket auth);
  absl::Status CheckPublishLimits(const PublishRequest& request) const;
  absl::Status CheckSubscribe(const SubscribePacket& packet) const;
  absl::Status CheckUnsubscribe(const UnsubscribePacket& packet) const;
  absl::Status CheckAuthMethod(Properties& properties) const;
  // Writes a held or new SUBSCRIBE/UNSUBSCRIBE after checking it against the server's limits.
  absl::Status SendControl(const Packet& packet);
  template <typename RequestPacket>
  absl::StatusOr<uint16_t> SendOrHoldRequest(RequestPacket p, PendingRequest pending);
  void FailPending(uint16_t packet_id, PendingRequest request, absl::Status error);
  // The PUBLISH as it goes on the wire, built in scratch_ (the payload is swapped in, not
  // copied). `f` sees it; then the message gets its payload back.
  template <typename F>
  auto WithWireForm(OutgoingMessage& m, AliasChoice alias, bool keep_manual_alias,
                    std::optional<uint32_t> expiry, F&& f);

  SessionOptions options_;
  // From UpdateOptions while a connection is up: adopted by the next OnTransportUp.
  std::optional<SessionOptions> pending_options_;
  SessionStore* store_;
  SessionState state_ = SessionState::kDisconnected;
  ByteBuffer outgoing_;
  std::vector<SessionEvent> events_;
  bool wants_close_ = false;
  // Messages delivered so far and their topic + payload bytes (for InboundLimit).
  size_t delivered_messages_ = 0;
  size_t delivered_bytes_ = 0;

  std::string client_id_;
  absl::Status restore_status_;
  std::vector<SessionLog> logs_;
  size_t logs_dropped_ = 0;

  // Session-level state.
  bool first_connection_ = true;         // until the first accepted CONNACK
  bool session_resumed_ = false;         // see session_resumed()
  bool restored_session_ = false;        // the store held a session not yet resumed
  uint32_t connect_session_expiry_ = 0;  // Session Expiry Interval CONNECT sends (v5)
  uint32_t session_expiry_ = 0;          // in force (CONNACK or DISCONNECT may change it)
  std::optional<std::pair<std::string, uint32_t>> stored_identity_;
  std::optional<std::string> auth_method_;  // CONNECT's Authentication Method (v5)
  uint16_t our_topic_alias_maximum_ = 0;
  ServerLimits server_;

  // Connection-level state.
  bool clean_start_sent_ = false;
  bool end_reported_ = false;    // the connection's end event has been queued
  bool app_disconnect_ = false;  // Disconnect() was called on this connection
  uint8_t app_disconnect_reason_ = 0;
  bool auth_awaiting_app_ = false;  // a server AUTH 0x18 waits for ContinueAuthentication
  bool reauthenticating_ = false;
  absl::Time reauth_deadline_ = absl::InfiniteFuture();
  uint64_t appended_total_ = 0;  // bytes ever appended to outgoing_
  uint64_t written_total_ = 0;   // bytes ever reported written

  StreamDecoder decoder_;
  PacketIdAllocator ids_;
  OutgoingTopicAliases out_aliases_;
  IncomingTopicAliases in_aliases_;
  Keepalive keepalive_;
  InboundTracker inbound_;
  OutboundFlow outbound_;
  absl::flat_hash_map<uint16_t, PendingRequest> pending_;
  std::vector<Packet> held_control_;  // SUBSCRIBE/UNSUBSCRIBE made before CONNACK, in order
  Packet scratch_{PublishPacket{}};
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_SESSION_H_
