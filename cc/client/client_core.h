// Core: the state and driver behind Client (client.h), shared by the client_*.cc files; each of
// those owns one job of it (see README.md). Internal to cc/client: not a public header.
#ifndef OUZEL_CC_CLIENT_CLIENT_CORE_H_
#define OUZEL_CC_CLIENT_CLIENT_CORE_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cc/base/byte_buffer.h"
#include "cc/base/clock.h"
#include "cc/client/backoff.h"
#include "cc/client/client.h"
#include "cc/client/client_options.h"
#include "cc/client/event_queue.h"
#include "cc/session/session.h"
#include "cc/transport/address.h"
#include "cc/transport/tls_transport.h"
#include "cc/transport/transport.h"
#include "cc/transport/waker.h"

namespace ouzel {
namespace client_internal {

// One entry of the stack of clients the current thread is driving (a callback of one client may
// drive another); see Core::IsLoopThread.
struct DriveScope {
  const void* core;
  DriveScope* previous;
};

enum class Link : uint8_t { kNone, kConnecting, kUp };

inline constexpr int kMaxReadsPerCall = 16;
inline constexpr size_t kCompactWriteBufferAt = 1 << 20;

inline int64_t ToNanos(absl::Time t) {
  if (t == absl::InfiniteFuture()) return INT64_MAX;
  return absl::ToUnixNanos(t);
}
inline absl::Time FromNanos(int64_t n) {
  return n == INT64_MAX ? absl::InfiniteFuture() : absl::FromUnixNanos(n);
}

// The session always runs in manual-ack mode; without SessionOptions::manual_ack the Core acks each
// message itself once its on_message callback has returned (see Core::AutoAck).
inline SessionOptions WithManualAck(SessionOptions options) {
  options.manual_ack = true;
  return options;
}

inline bool IsTerminal(DeliveryState s) {
  return s == DeliveryState::kAcknowledged || s == DeliveryState::kExpired ||
         s == DeliveryState::kDropped;
}

class Core : public std::enable_shared_from_this<Core> {
 public:
  // `event_queue`: made by Client::Create when options.event_queue.enabled, else null.
  Core(ClientOptions options, std::vector<ServerAddress> servers, std::shared_ptr<Waker> waker,
       std::unique_ptr<EventQueue> event_queue);
  ~Core();

  // --- Thread-safe API ---------------------------------------------------------------------------
  void UpdateCallbacks(const std::function<void(ClientCallbacks&)>& edit);
  void SetLogLevel(LogLevel level) { log_level_.store(static_cast<uint8_t>(level)); }
  absl::Status ConnectAsync();
  absl::Status Connect();
  absl::Status Reconnect();
  absl::Status Disconnect(uint8_t reason_code, Properties properties);
  bool IsConnected() const;
  // Session::CheckPublishSize under the lock.
  absl::Status CheckPublishSize(size_t topic_len, size_t payload_len, uint8_t qos,
                                size_t properties_len) const;
  ConnectionState connection_state() const;
  absl::Status SetServers(const std::vector<std::string>& uris);
  void SetReconnect(bool enabled, absl::Duration min_delay, absl::Duration max_delay);
  absl::Status UpdateOptions(ClientOptions options, std::vector<ServerAddress> servers,
                             bool as_first_connection);
  absl::StatusOr<MessageToken> Publish(PublishRequest request, uint16_t* packet_id);
  absl::StatusOr<uint16_t> Subscribe(SubscribeRequest request);
  absl::StatusOr<uint16_t> Unsubscribe(std::vector<std::string> filters, Properties properties);
  absl::Status Ack(uint16_t packet_id);
  absl::Status WithholdAck();
  absl::Status ContinueAuthentication(Properties properties);
  absl::Status Reauthenticate(Properties properties);
  std::optional<MessageStatus> DeliveryStatus(MessageToken token) const;
  absl::StatusOr<MessageStatus> WaitForPublish(MessageToken token, absl::Duration timeout);
  absl::Status LoopStart();
  absl::Status LoopStop();
  absl::Status Loop(absl::Duration timeout);
  absl::Status LoopForever(bool retry_first_connection);
  int Socket() const { return reported_fd_.load(std::memory_order_acquire); }
  int WakeFd() const { return waker_->fd(); }
  bool WantWrite() const;
  absl::StatusOr<size_t> LoopRead();
  absl::StatusOr<size_t> LoopWrite();
  absl::StatusOr<size_t> ExternalIo(size_t (Core::*io)(absl::Time));
  absl::Status LoopMisc();
  std::optional<absl::Duration> NextTimeout() const;
  ClientStats Stats() const;
  std::string ClientId() const;
  SessionState session_state() const;
  // ~Client: stop, join, tear down (or defer when called from a callback).
  void Shutdown();

  // --- Event queue (client_events.cc; thread-safe) -----------------------------------------------
  absl::StatusOr<size_t> PollEvents(std::vector<QueuedEvent*>& out, size_t max,
                                    absl::Duration timeout);
  absl::Status ReleaseEvents(absl::Span<const EventRelease> releases);
  int EventFd() const { return event_queue_ ? event_queue_->fd() : -1; }
  absl::Status InterruptPoll();
  // ~Client, first: polls return Cancelled, and none is left inside when this returns.
  void CloseEventQueue() {
    if (event_queue_) event_queue_->Close();
  }
  // A socket to read, and reading not paused for lack of room in the event queue.
  bool WantRead() const { return Socket() >= 0 && !read_paused_mirror_.load(); }

 private:
  // RAII ownership of the driver. At most one thread drives at a time.
  class DriverGuard {
   public:
    explicit DriverGuard(Core* core) : core_(core) {}
    ~DriverGuard() {
      if (owned_) core_->ReleaseDriver(&scope_);
    }
    bool TryAcquire() { return owned_ = core_->TryAcquireDriver(&scope_, /*wait=*/false); }
    bool AcquireOrStop() { return owned_ = core_->TryAcquireDriver(&scope_, /*wait=*/true); }

   private:
    Core* core_;
    DriveScope scope_{nullptr, nullptr};
    bool owned_ = false;
  };

  bool TryAcquireDriver(DriveScope* scope, bool wait);
  void ReleaseDriver(DriveScope* scope);
  bool IsLoopThread() const;
  absl::Status RefuseInsideCallback(absl::string_view what) const;
  absl::Time Now() const { return clock_->Now(); }
  void WakeLoop() {
    if (!IsLoopThread()) waker_->Wake();
  }
  absl::Status DriverBusyError() const;
  absl::Status LinkStatusLocked() const;

  // --- Driver (the thread holding the driver only) ----------------------------------------------
  // One full iteration: work, then wait up to `max_wait` for I/O or a wake, then work again.
  void Iterate(absl::Duration max_wait, bool dispatch);
  // The work that needs no readiness: requests, timers, writes, closing, callbacks.
  void DoMisc(absl::Time now, bool dispatch);
  void ProcessRequests(absl::Time now);
  void RunTimers(absl::Time now);
  void StartAttempt(absl::Time now);
  void ContinueAttempt(absl::Time now);
  void AttemptFailed(absl::Time now, absl::Status status);
  void TransportUp(absl::Time now);
  // An open link ended: closes the transport, tells the session, schedules what comes next.
  void DropLink(absl::Time now, absl::Status status, bool schedule);
  void ScheduleNext(absl::Time now, bool failed_attempt, const absl::Status& status);
  void CloseTransport();
  void Teardown();
  size_t ReadAvailable(absl::Time now);
  size_t FlushOutput(absl::Time now);
  // SessionStore::Flush: the records of everything the session produced so far reach the store
  // before the bytes they protect are written. False when it failed (the link, if up, is dropped
  // with the error and nothing is written).
  bool FlushStore(absl::Time now);
  void MaybeClose(absl::Time now);
  void Dispatch();
  void Invoke(const ClientCallbacks& callbacks, ClientEvent& event);
  // The application has seen `count` accepted connections (ConnectedEvent callbacks returned,
  // CONNECTED events released): output held since CONNACK is released once it has seen them all.
  // mu_ held.
  void ConnectionSeenLocked(size_t count);
  // Without manual_ack: acknowledges a delivered QoS 1/2 message after its callback returned.
  void AutoAck(const ClientEvent& event);
  // Acknowledges a received QoS 1/2 message now, or once the transport is down while the session
  // is closing (acks_after_close_). mu_ held.
  void AckLocked(uint16_t packet_id);
  // Received bytes to the session. With an event queue, only as far as it has room: the rest is
  // held back in unread_ and reading pauses. mu_ held.
  void FeedSessionLocked(absl::Span<const uint8_t> bytes, absl::Time now);
  // Reading paused: hands held-back bytes to the session as room allows. True when none are left
  // (reading resumed), false while still paused.
  bool ResumeReading(absl::Time now);
  // Forgets held-back bytes with the link they came on.
  void ClearPausedReading();
  // Moves the session's events into pending_events_ and does the bookkeeping. mu_ held.
  void TakeSessionEventsLocked(absl::Time now);
  absl::Time NextWakeTime() const;
  void SyncSocketHooks();
  void UpdateExternalState();
  const ClientCallbacks* CurrentCallbacks();
  template <typename... Args>
  void Log(LogLevel level, const Args&... args) {
    if (static_cast<uint8_t>(level) < log_level_.load(std::memory_order_relaxed)) return;
    if (!has_log_callback_.load(std::memory_order_relaxed)) return;
    pending_events_.emplace_back(LogEvent{level, absl::StrCat(args...)});
  }

  // --- Immutable after construction --------------------------------------------------------------
  const ClientOptions options_;
  const Clock* const clock_;
  const std::shared_ptr<Waker> waker_;
  // TLS sessions resumed across this client's reconnects (transport/tls_transport.h).
  const std::shared_ptr<TlsSessionCache> tls_sessions_;
  // options_.store or options_.shared_store (may be null).
  SessionStore* const store_;
  // The application acknowledges (Ack) itself; otherwise AutoAck does, after on_message.
  const bool app_manual_ack_;
  // ClientOptions::event_queue: events go here instead of to callbacks (null without).
  const std::unique_ptr<EventQueue> event_queue_;

  // --- Shared state, guarded by mu_
  // ---------------------------------------------------------------
  mutable std::mutex mu_;
  std::condition_variable cv_;  // driver ownership, attempt results, deliveries, thread exit
  Session session_;
  std::shared_ptr<const ClientCallbacks> callbacks_;
  std::vector<ServerAddress> servers_;
  bool want_connected_ = false;     // the application wants a connection
  bool user_disconnected_ = false;  // the last end of wanting was the application's Disconnect
  uint64_t connect_request_ = 0;    // ConnectAsync/Connect: start a fresh round now
  uint64_t reconnect_request_ = 0;  // Reconnect: drop the link, then a fresh round
  uint64_t abort_request_ = 0;      // Disconnect without a session to tell: drop what is there
  uint64_t sync_request_ = 0;       // the connect_request_ a blocking Connect waits on
  uint64_t result_request_ = 0;     // the request the last attempt result answers
  absl::Status result_status_;
  bool auto_reconnect_;
  absl::Duration reconnect_min_;
  absl::Duration reconnect_max_;
  uint64_t reconnect_config_gen_ = 0;
  // Automatic mode: packet ids of this connection's messages whose ack WithholdAck kept back, which
  // Ack may still acknowledge. Cleared when the connection ends (the server resends them).
  std::vector<uint16_t> withheld_;
  // Accepted connections taken from the session whose event the application has not seen yet (a
  // callback returned, a queued CONNECTED event released); see ConnectionSeenLocked.
  size_t connections_unseen_ = 0;
  // What UpdateOptions may change for the next attempt (options_ holds the originals).
  TransportOptions transport_options_;
  TransportFactory transport_factory_;
  absl::Duration connect_timeout_;
  bool driver_busy_ = false;
  bool thread_running_ = false;
  bool stop_thread_ = false;
  bool loop_forever_running_ = false;
  bool stop_loop_forever_ = false;
  std::thread thread_;
  Link link_mirror_ = Link::kNone;
  absl::Status last_error_;  // why the last link or attempt ended
  int waiters_ = 0;

  // --- Atomics readable from any thread
  // -----------------------------------------------------------
  std::atomic<bool> closing_{false};
  std::atomic<uint64_t> callbacks_gen_{1};
  std::atomic<bool> has_log_callback_{false};
  std::atomic<uint8_t> log_level_;
  std::atomic<int> reported_fd_{-1};
  std::atomic<int> loop_interrupt_fd_;  // ClientOptions::loop_interrupt_fd
  std::atomic<bool> driver_wants_write_{false};
  std::atomic<int64_t> driver_next_wake_ns_{INT64_MAX};
  std::atomic<uint64_t> messages_sent_{0}, messages_received_{0}, bytes_sent_{0},
      bytes_received_{0}, connect_attempts_{0}, connections_{0}, reconnects_{0};
  std::atomic<int> last_disconnect_reason_{-1};
  std::atomic<bool> read_paused_mirror_{false};  // read_paused_, for WantRead

  // --- Driver-only state
  // --------------------------------------------------------------------------
  std::unique_ptr<Transport> transport_;
  Link link_ = Link::kNone;
  bool link_accepted_ = false;  // CONNACK accepted on the current link
  bool ever_connected_ = false;
  ServerAddress current_address_;
  int hooked_fd_ = -1;
  bool write_registered_ = false;
  // Bytes copied out of the session's output: write_buf_[write_off_..] is the first `copied_`
  // bytes of Session::PendingOutput(), not yet reported written.
  ByteBuffer write_buf_;
  size_t write_off_ = 0;
  size_t copied_ = 0;
  std::vector<uint8_t> read_buf_;
  // Event queue at its bounds: reading is paused, and these bytes (read, not yet handed to the
  // session) wait for room. At most one read's worth.
  bool read_paused_ = false;
  ByteBuffer unread_;
  std::vector<ClientEvent> pending_events_;
  std::shared_ptr<const ClientCallbacks> callbacks_snapshot_;
  uint64_t callbacks_snapshot_gen_ = 0;
  Backoff backoff_;
  uint64_t backoff_config_seen_ = 0;
  size_t server_index_ = 0;
  std::optional<ServerAddress> redirect_;
  int redirects_in_a_row_ = 0;
  bool attempt_scheduled_ = false;
  absl::Time next_attempt_at_ = absl::InfiniteFuture();
  bool connect_now_ = false;  // a connect request arrived: no backoff before the next attempt
  uint64_t seen_connect_request_ = 0;
  uint64_t seen_reconnect_request_ = 0;
  uint64_t seen_abort_request_ = 0;
  uint64_t attempt_request_ = 0;  // the connect request the current round serves
  bool give_up_after_first_round_ = false;
  // Iterate found loop_interrupt_fd readable: LoopForever returns.
  bool interrupted_ = false;
  absl::Time close_deadline_ = absl::InfiniteFuture();
  absl::Time session_deadline_cache_ = absl::InfiniteFuture();
  bool tearing_down_ = false;
  // The driver became idle, or a blocking Connect's answer was published, in the first half of
  // an iteration: return without waiting, so the caller sees it.
  bool skip_poll_ = false;
  // The last store failure reported, so a failed store is logged once, not every iteration.
  absl::Status store_error_;
  // Automatic acks of messages handled while the session was closing (DISCONNECT written): no
  // packet may follow DISCONNECT, so they are applied once the transport is down, where they
  // write nothing but still mark QoS 2 messages handled (PUBREC/PUBCOMP when the server resends).
  // Guarded by mu_ (ReleaseEvents adds to it from the application's threads).
  std::vector<uint16_t> acks_after_close_;
  // The message whose on_message runs now (null otherwise), and whether WithholdAck was called.
  const Message* delivering_ = nullptr;
  bool withhold_delivering_ = false;
};

}  // namespace client_internal
}  // namespace ouzel

#endif  // OUZEL_CC_CLIENT_CLIENT_CORE_H_
