// Client: an MQTT connection that stays up. A Session (the protocol), a Transport (the bytes) and
// one driver that moves data between them, run in any of three ways:
//   1. a library-owned thread:  LoopStart() / LoopStop();
//   2. the caller's thread:     Loop(timeout) / LoopForever();
//   3. an external event loop:  watch Socket() (read while WantRead(); write while WantWrite())
//      and WakeFd() (read),
//      call LoopRead() / LoopWrite() when ready and LoopMisc() when WakeFd() is readable or
//      NextTimeout() has passed; the on_socket_* hooks say when the socket or write interest
//      changes.
// One driver runs at a time: a second thread calling a loop function gets FailedPrecondition.
//
// Every other public call is thread-safe: it takes a short internal lock around the Session,
// queues output, and wakes the loop (one eventfd write per loop iteration at most, however many
// calls). No lock is held across I/O or while a callback runs. Callbacks run on the loop thread,
// one at a time, in protocol order; any call is allowed inside them except the blocking ones
// (Connect, WaitForPublish, LoopStop's join, the loop functions), which return FailedPrecondition
// there instead of deadlocking. Destroying the Client inside its own callback is deferred until
// the callback returns. docs/threading.md has the whole contract. With
// ClientOptions::event_queue there are no callbacks: events wait in a queue the application
// drains on its own threads (PollEvents / ReleaseEvents; docs/events.md).
//
//   ClientOptions o;
//   o.servers = {"mqtt://localhost:1883"};
//   OUZEL_ASSIGN_OR_RETURN(std::unique_ptr<Client> c, Client::Create(std::move(o)));
//   c->SetOnMessage([](const Message& m) { ... });
//   OUZEL_RETURN_IF_ERROR(c->ConnectAsync());
//   OUZEL_RETURN_IF_ERROR(c->LoopStart());
//   OUZEL_ASSIGN_OR_RETURN(MessageToken t, c->Publish("a/b", "hello", 1));
//   c->WaitForPublish(t, absl::Seconds(5));
#ifndef OUZEL_CC_CLIENT_CLIENT_H_
#define OUZEL_CC_CLIENT_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cc/client/client_options.h"
#include "cc/session/session.h"

namespace ouzel {

namespace client_internal {
class Core;
}  // namespace client_internal

class Client {
 public:
  // InvalidArgument for a server URI that does not parse or inconsistent options. No I/O.
  static absl::StatusOr<std::unique_ptr<Client>> Create(ClientOptions options);

  // Stops the loop thread, closes the connection without DISCONNECT (the broker publishes the
  // Will) and releases the callbacks. Inside one of this client's callbacks the teardown is
  // deferred until the callback returns; no further callback runs. Not to be called while other
  // threads still call into this client.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // --- Callbacks (thread-safe; a replaced callback is released outside any lock) ---------------
  void SetCallbacks(ClientCallbacks callbacks);
  void SetOnConnect(std::function<void(const ConnectedEvent&)> f);
  void SetOnConnectFailed(std::function<void(const ConnectFailedEvent&)> f);
  void SetOnDisconnect(std::function<void(const DisconnectedEvent&)> f);
  void SetOnMessage(std::function<void(const Message&)> f);
  void SetOnPublish(std::function<void(const PublishDoneEvent&)> f);
  void SetOnSubscribe(std::function<void(const SubscribeDoneEvent&)> f);
  void SetOnUnsubscribe(std::function<void(const UnsubscribeDoneEvent&)> f);
  void SetOnAuth(std::function<void(const AuthEvent&)> f);
  void SetOnLog(std::function<void(LogLevel, absl::string_view)> f);
  void SetLogLevel(LogLevel min_level);
  // Hooks (see ClientCallbacks): for external event loops.
  void SetOnPreConnect(std::function<void()> f);
  void SetOnSocketOpen(std::function<void(int fd)> f);
  void SetOnSocketClose(std::function<void(int fd)> f);
  void SetOnSocketRegisterWrite(std::function<void(int fd)> f);
  void SetOnSocketUnregisterWrite(std::function<void(int fd)> f);

  // --- Connection (thread-safe) ----------------------------------------------------------------
  // Starts connecting to the servers in order; returns at once. The outcome arrives as
  // on_connect / on_connect_failed while a loop runs; failed attempts are retried with backoff
  // while auto reconnection is on. FailedPrecondition when already connected or connecting.
  absl::Status ConnectAsync();
  // Connects the transport (resolution, TCP, handshakes; every server in order, no backoff) and
  // hands CONNECT to it, then returns: the CONNACK arrives later through a loop, as in paho's
  // connect(). Without a running loop thread the work is done on the caller's thread (the
  // on_pre_connect and on_socket_* hooks run there); otherwise the loop thread does it and this
  // waits. Returns the transport's error (Unavailable, DeadlineExceeded, NotFound, ...).
  // FailedPrecondition inside a callback.
  absl::Status Connect();
  // Drops the current connection without DISCONNECT (if there is one) and connects again now,
  // resuming the session when it is persistent.
  absl::Status Reconnect();
  // Sends DISCONNECT (reason and properties used with MQTT 5 only) then closes; no automatic
  // reconnection follows. Cancels a connection attempt or a pending reconnection.
  // FailedPrecondition when there is neither a connection nor an attempt to stop.
  absl::Status Disconnect(uint8_t reason_code = 0, Properties properties = {});
  // True between an accepted CONNACK and the end of that connection.
  bool IsConnected() const;
  // Refuses (OutOfRange) a PUBLISH of these sizes before its payload is copied: over MQTT's
  // largest packet or the server's Maximum Packet Size. Publish checks the exact size again.
  absl::Status CheckPublishSize(size_t topic_len, size_t payload_len, uint8_t qos,
                                size_t properties_len = 0) const;
  // See ConnectionState. kConnected exactly when IsConnected().
  ConnectionState connection_state() const;
  // Replaces the server list (used from the next connection attempt). InvalidArgument if a URI
  // does not parse; nothing changes then.
  absl::Status SetServers(const std::vector<std::string>& uris);
  void SetReconnect(bool enabled, absl::Duration min_delay, absl::Duration max_delay);
  // Reconfigures the client for the connections that follow, as if created with `options`: the
  // servers, reconnection settings, transport options and connect timeout apply from the next
  // attempt; the session options as Session::UpdateOptions says (limits at once, the rest from the
  // next CONNECT, which with `as_first_connection` uses session.clean_start as a first one does).
  // Fixed at creation, and left as they were: the store, clock, resolver, thread name,
  // follow_server_reference and the buffer sizes (the transport factory does change).
  // InvalidArgument (nothing changes) as for Create, or when the session could not keep its state
  // (Session::UpdateOptions). The current connection is left alone. Thread-safe.
  absl::Status UpdateOptions(ClientOptions options, bool as_first_connection);

  // --- Messages (thread-safe) ------------------------------------------------------------------
  // Sends or queues one message; see Session::Publish for every error. `packet_id` (may be
  // null) receives the packet identifier first assigned, 0 if none yet.
  absl::StatusOr<MessageToken> Publish(PublishRequest request, uint16_t* packet_id = nullptr);
  absl::StatusOr<MessageToken> Publish(absl::string_view topic, absl::string_view payload,
                                       uint8_t qos = 0, bool retain = false);
  // Returns the SUBSCRIBE / UNSUBSCRIBE packet identifier (the mid in on_subscribe).
  absl::StatusOr<uint16_t> Subscribe(SubscribeRequest request);
  absl::StatusOr<uint16_t> Subscribe(absl::string_view filter, uint8_t qos);
  absl::StatusOr<uint16_t> Unsubscribe(std::vector<std::string> filters,
                                       Properties properties = {});
  // Manual acknowledgement (SessionOptions::manual_ack), or, in automatic mode, of a message
  // whose acknowledgement WithholdAck kept back on this connection. InvalidArgument in automatic
  // mode for any other packet id; NotFound for an id not awaiting an ack.
  absl::Status Ack(uint16_t packet_id);
  // Inside on_message, in automatic acknowledgement mode, for a QoS 1/2 message: do not
  // acknowledge this message when the callback returns (the handler failed). It keeps one slot of
  // the server's send window until Ack(its packet id) or the end of the connection, and the acks
  // of later messages wait behind it (arrival order, [MQTT-4.6.0-2]); the server sends it again
  // when a kept session resumes. BusyError when not called from inside on_message
  // of this client; InvalidArgument with manual_ack or for a QoS 0 message.
  absl::Status WithholdAck();
  absl::Status ContinueAuthentication(Properties properties);
  absl::Status Reauthenticate(Properties properties);

  // Where a published message is; nullopt for a token never issued or finished and forgotten
  // (SessionOptions::finished_status_history finished ones are remembered).
  std::optional<MessageStatus> DeliveryStatus(MessageToken token) const;
  // Blocks until the message reaches a terminal state (returned, whatever it is: check .state)
  // or `timeout` passes (DeadlineExceeded). Needs a loop running on another thread. NotFound
  // for an unknown token; FailedPrecondition inside a callback; Cancelled when the client is
  // being destroyed.
  absl::StatusOr<MessageStatus> WaitForPublish(MessageToken token, absl::Duration timeout);

  // --- Mode 1: library-owned thread ------------------------------------------------------------
  // FailedPrecondition when the thread is already running.
  absl::Status LoopStart();
  // Stops the thread and joins it; the connection stays as it is (a later Loop or LoopStart
  // carries on). Also makes a running LoopForever return. Inside a callback it only requests
  // the stop (the thread ends after the callback returns). NotFound when neither runs (a Loop
  // waiting on another thread is still woken).
  absl::Status LoopStop();

  // --- Mode 2: the caller's thread -------------------------------------------------------------
  // One iteration: waits up to `timeout` for the network or a wake, then reads, writes, runs
  // timers, starts due (re)connection attempts and runs callbacks (with an event queue: queues
  // the events, and returns without waiting when the iteration queued some before its wait). OK
  // while connected or connecting; otherwise the error that ended the last connection (or
  // FailedPrecondition "not connected"). FailedPrecondition when another thread drives this client
  // or inside a callback.
  absl::Status Loop(absl::Duration timeout);
  // Loops, reconnecting per the options, until Disconnect (then OK), LoopStop, or an error with
  // reconnection off. With `retry_first_connection` false a failing first connection ends it
  // with that error. Needs Connect/ConnectAsync first (FailedPrecondition otherwise).
  absl::Status LoopForever(bool retry_first_connection = false);

  // --- Mode 3: external event loop (Socket, WakeFd, WantWrite, NextTimeout: thread-safe) -------
  // The descriptor to watch, or -1 (none yet, e.g. while resolving: watch WakeFd()).
  int Socket() const;
  // Readable when another thread (an API call, a name lookup) needs the loop: call LoopMisc().
  int WakeFd() const;
  // True while there is output for Socket() (or a transport handshake needs to write).
  bool WantWrite() const;
  // Bytes read and handled (0: nothing was there); the connection's error if it ended.
  absl::StatusOr<size_t> LoopRead();
  // Bytes written; continues a connection in progress.
  absl::StatusOr<size_t> LoopWrite();
  // Wakes, timers (keepalive, timeouts, expiry), (re)connection attempts, closing.
  absl::Status LoopMisc();
  // Time until LoopMisc must run (zero: now); nullopt when nothing is scheduled.
  std::optional<absl::Duration> NextTimeout() const;
  // True while Socket() is to be watched for reading: false without a socket, and while reading
  // is paused because the event queue is at its bounds (WakeFd() becomes readable once releases
  // made room; ask again after each loop call).
  bool WantRead() const;

  // --- Event queue (ClientOptions::event_queue.enabled; thread-safe) ---------------------------
  // Moves up to `max` waiting events into `out` (appended), in order, waiting up to `timeout` for
  // the first (zero: no wait; InfiniteDuration: until one arrives), and returns how many. Needs a
  // loop running elsewhere. 0 after the timeout or InterruptPoll. Cancelled once the Client is
  // being destroyed (a blocked poll returns then, and ~Client waits for it); FailedPrecondition
  // without the queue, or inside one of this client's hooks.
  absl::StatusOr<size_t> PollEvents(std::vector<QueuedEvent*>& out, size_t max,
                                    absl::Duration timeout);
  // Hands polled events back, any subset in any order: frees them, sends the acknowledgements of
  // released QoS 1/2 messages whose `ack` is set (in arrival order), and resumes reading when it
  // was paused for room. InvalidArgument, with nothing released, for an id not polled from this
  // client, already released or given twice.
  absl::Status ReleaseEvents(absl::Span<const EventRelease> releases);
  // The same for polled events, each acknowledged per its ack_on_release.
  absl::Status ReleaseEvents(absl::Span<QueuedEvent* const> events);
  // Readable while events wait to be polled (level-triggered); -1 without the queue.
  int EventFd() const;
  // Makes one blocked PollEvents (or the next call) return 0. FailedPrecondition without the queue.
  absl::Status InterruptPoll();

  // --- Queries (thread-safe) ---------------------------------------------------------------------
  ClientStats Stats() const;
  // The configured id, or the one the server assigned (MQTT 5).
  std::string ClientId() const;
  SessionState session_state() const;

 private:
  explicit Client(std::shared_ptr<client_internal::Core> core);
  std::shared_ptr<client_internal::Core> core_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_CLIENT_CLIENT_H_
