// ClientOptions, ClientCallbacks and ClientStats: the configuration, the event handlers and the
// counters of a Client (client.h).
//
//   ClientOptions o;
//   o.servers = {"mqtt://localhost:1883"};
//   o.session.client_id = "sensor-7";
//   o.reconnect_min_delay = absl::Milliseconds(500);
#ifndef OUZEL_CC_CLIENT_CLIENT_OPTIONS_H_
#define OUZEL_CC_CLIENT_CLIENT_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cc/base/clock.h"
#include "cc/client/queued_event.h"
#include "cc/session/session_events.h"
#include "cc/session/session_options.h"
#include "cc/session/session_store.h"
#include "cc/transport/resolver.h"
#include "cc/transport/transport.h"

namespace ouzel {

// Log levels are cc/session's LogLevel (session_events.h), ordered by severity: kDebug, kInfo,
// kWarning, kError. The C ABI maps them to paho's MQTT_LOG_* values.
const char* LogLevelName(LogLevel level);

struct ClientOptions {
  // The protocol: client id, version, keepalive, will, credentials, queue limits, CONNACK timeout
  // (session.connect_timeout), ... See cc/session/session_options.h.
  SessionOptions session;
  // Tried in order on each (re)connection round; see transport/address.h for the URI forms.
  std::vector<std::string> servers;

  TransportOptions transport;
  // How transports are made; empty means CreateTransport (TCP, Unix sockets, TLS).
  TransportFactory transport_factory;
  // Name resolution; null means the system resolver (transport/resolver.h).
  std::shared_ptr<Resolver> resolver;
  // Time allowed for one server: name resolution, TCP connect over every address, and transport
  // handshakes. The wait for CONNACK after that is session.connect_timeout.
  absl::Duration connect_timeout = absl::Seconds(30);

  // Reconnect after a lost connection or a failed attempt, with exponential backoff from min to
  // max, each delay reduced by up to `reconnect_jitter` (a fraction) at random; reset by a
  // successful CONNACK. Changeable later with Client::SetReconnect.
  bool auto_reconnect = true;
  absl::Duration reconnect_min_delay = absl::Seconds(1);
  absl::Duration reconnect_max_delay = absl::Seconds(120);
  double reconnect_jitter = 0.2;

  // MQTT 5: on CONNACK or DISCONNECT with 0x9C (Use another server) / 0x9D (Server moved) and a
  // Server Reference, connect there next (at once, no backoff). Off by default: a broker could
  // otherwise send the client anywhere. At most `max_redirects` in a row.
  bool follow_server_reference = false;
  int max_redirects = 5;

  // Durable session state (may be null: nothing survives the process), e.g. a FileStore or a
  // MemoryStore (cc/persistence). Not owned; must outlive the client. The client calls the
  // store's Flush before it writes the bytes the store's records protect, and at destruction; a
  // Flush failure closes the connection with that error (and is logged), since sending what
  // could not be recorded would break what the store promises.
  SessionStore* store = nullptr;
  // Or a store the client shares, used when `store` is null. The client keeps it until its
  // internals are gone, which is after ~Client returns when the Client is destroyed from inside
  // its own callback (its loop thread finishes first); a raw `store` would have to be kept that
  // long by the caller, who cannot know when. The C ABI hands its stores over this way.
  std::shared_ptr<SessionStore> shared_store;
  // Time source (may be null: the monotonic clock). Not owned.
  const Clock* clock = nullptr;

  // Bytes read per read call; one buffer of this size is allocated per client.
  size_t read_buffer_bytes = 64 * 1024;
  // How long a DISCONNECT (or the last bytes before a close the session asked for) may take to be
  // written before the connection is closed regardless.
  absl::Duration close_linger = absl::Seconds(5);
  // A descriptor the loop also watches (-1: none), never read or closed by the client: while it
  // is readable, LoopForever returns OK (the connection untouched; calling it again carries on).
  // The self-pipe trick for signals: a handler writes a byte into a pipe whose read end this is,
  // and the loop returns however late in its iteration the signal came. The Python binding gives
  // Python's signal wakeup descriptor, so that Ctrl-C raises KeyboardInterrupt out of
  // loop_forever(). Changeable with UpdateOptions.
  int loop_interrupt_fd = -1;
  // Name of the LoopStart thread (Linux truncates to 15 bytes).
  std::string thread_name = "ouzel-loop";
  // Messages below this level are not even formatted. Changeable with Client::SetLogLevel.
  LogLevel log_level = LogLevel::kWarning;
  // Events through a queue the application polls (Client::PollEvents) instead of callbacks;
  // see queued_event.h. Fixed at creation.
  EventQueueOptions event_queue;
};

// Event handlers. Every one is optional. They run on the loop thread, one at a time per client,
// in protocol order, with no internal lock held (see docs/threading.md). Event objects are valid
// for the duration of the call only.
struct ClientCallbacks {
  // CONNACK accepted.
  std::function<void(const ConnectedEvent&)> on_connect;
  // A connection attempt ended without an accepted CONNACK: resolution, TCP or handshake failure
  // (no reason_code), a CONNACK refusal (reason_code set), or a CONNACK timeout.
  std::function<void(const ConnectFailedEvent&)> on_connect_failed;
  // A connection that had been accepted ended (error OK: the application's Disconnect).
  std::function<void(const DisconnectedEvent&)> on_disconnect;
  std::function<void(const Message&)> on_message;
  // A Publish finished: acknowledged (QoS 0: written), expired or dropped.
  std::function<void(const PublishDoneEvent&)> on_publish;
  std::function<void(const SubscribeDoneEvent&)> on_subscribe;
  std::function<void(const UnsubscribeDoneEvent&)> on_unsubscribe;
  std::function<void(const AuthEvent&)> on_auth;
  // The client's own diagnostics and the session's (Session::TakeLogs), at or above the level
  // set with Client::SetLogLevel.
  std::function<void(LogLevel, absl::string_view)> on_log;

  // Hooks, called at the moment things happen rather than queued with the events, so that an
  // external event loop always watches the right descriptor. They may also run inside a blocking
  // Connect() on the caller's thread. paho: on_pre_connect, on_socket_open, on_socket_close,
  // on_socket_register_write, on_socket_unregister_write.
  std::function<void()> on_pre_connect;  // before each connection attempt creates a socket
  std::function<void(int fd)> on_socket_open;
  // The client stopped using `fd`. Called before the client closes it; a descriptor abandoned by
  // the transport while trying the next resolved address may already be closed.
  std::function<void(int fd)> on_socket_close;
  std::function<void(int fd)> on_socket_register_write;    // watch fd for writability
  std::function<void(int fd)> on_socket_unregister_write;  // stop watching for writability
};

// Where the client's connection stands (Client::connection_state), from the driver's own
// bookkeeping: what the application asked for and what the link and session are doing.
enum class ConnectionState : uint8_t {
  kDisconnected,    // no connection and none wanted: never connected, or after Disconnect
  kConnectPending,  // one is wanted but no attempt runs yet: waiting for a loop, or back-off
  kConnecting,      // an attempt: resolution, TCP, proxy/TLS/WebSocket handshakes, CONNECT sent
                    // and no CONNACK yet (or an AUTH exchange)
  kConnected,       // a CONNACK accepted the current connection
  kDisconnecting,   // the link is closing: DISCONNECT written (ours or the server's), a refusal
                    // or timeout being handled, or Disconnect stopping an attempt
  kConnectionLost,  // no connection and none will be attempted, though the application did
                    // not ask for that: it ended (or the attempts failed) with reconnection off
};
const char* ConnectionStateName(ConnectionState state);

struct ClientStats {
  uint64_t messages_sent = 0;                     // publishes acknowledged (QoS 0: fully written)
  uint64_t messages_received = 0;                 // messages delivered to on_message
  uint64_t bytes_sent = 0;                        // to the transport
  uint64_t bytes_received = 0;                    // from the transport
  size_t inflight = 0;                            // QoS 1/2 messages awaiting acknowledgement
  size_t queued = 0;                              // accepted, not yet sent
  uint64_t connect_attempts = 0;                  // transports started
  uint64_t connections = 0;                       // CONNACKs accepted
  uint64_t reconnects = 0;                        // CONNACKs accepted after the first
  std::optional<uint8_t> last_disconnect_reason;  // DISCONNECT reason code (ours or the server's)
  absl::Status last_disconnect_error;             // why the last connection ended
};

}  // namespace ouzel

#endif  // OUZEL_CC_CLIENT_CLIENT_OPTIONS_H_
