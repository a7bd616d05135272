#include "cc/client/client.h"

#include <poll.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cc/base/busy_status.h"
#include "cc/base/byte_buffer.h"
#include "cc/base/status_macros.h"
#include "cc/client/backoff.h"
#include "cc/client/server_reference.h"
#include "cc/transport/tls_transport.h"
#include "cc/transport/waker.h"

namespace ouzel {

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

namespace client_internal {
namespace {

struct LogEvent {
  LogLevel level;
  std::string text;
};

// Everything the driver hands to callbacks, in order.
using ClientEvent = std::variant<SessionEvent, LogEvent>;

// The clients the current thread is driving (a callback of one client may drive another).
struct DriveScope {
  const void* core;
  DriveScope* previous;
};
thread_local DriveScope* t_driving = nullptr;

enum class Link : uint8_t { kNone, kConnecting, kUp };

constexpr int kMaxReadsPerCall = 16;
constexpr size_t kCompactWriteBufferAt = 1 << 20;

int64_t ToNanos(absl::Time t) {
  if (t == absl::InfiniteFuture()) return INT64_MAX;
  return absl::ToUnixNanos(t);
}
absl::Time FromNanos(int64_t n) {
  return n == INT64_MAX ? absl::InfiniteFuture() : absl::FromUnixNanos(n);
}

// The session always runs in manual-ack mode; without SessionOptions::manual_ack the Core acks each
// message itself once its on_message callback has returned (see Core::AutoAck).
SessionOptions WithManualAck(SessionOptions options) {
  options.manual_ack = true;
  return options;
}

bool IsTerminal(DeliveryState s) {
  return s == DeliveryState::kAcknowledged || s == DeliveryState::kExpired ||
         s == DeliveryState::kDropped;
}

}  // namespace

class Core : public std::enable_shared_from_this<Core> {
 public:
  Core(ClientOptions options, std::vector<ServerAddress> servers, std::shared_ptr<Waker> waker);
  ~Core();

  // --- Thread-safe API ---------------------------------------------------------------------------
  void UpdateCallbacks(const std::function<void(ClientCallbacks&)>& edit);
  void SetLogLevel(LogLevel level) { log_level_.store(static_cast<uint8_t>(level)); }
  absl::Status ConnectAsync();
  absl::Status Connect();
  absl::Status Reconnect();
  absl::Status Disconnect(uint8_t reason_code, Properties properties);
  bool IsConnected() const;
  absl::Status SetServers(const std::vector<std::string>& uris);
  void SetReconnect(bool enabled, absl::Duration min_delay, absl::Duration max_delay);
  absl::Status UpdateOptions(ClientOptions options, std::vector<ServerAddress> servers,
                             bool as_first_connection);
  absl::StatusOr<MessageToken> Publish(PublishRequest request, uint16_t* packet_id);
  absl::StatusOr<uint16_t> Subscribe(SubscribeRequest request);
  absl::StatusOr<uint16_t> Unsubscribe(std::vector<std::string> filters, Properties properties);
  absl::Status Ack(uint16_t packet_id);
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
  // Without manual_ack: acknowledges a delivered QoS 1/2 message after its callback returned.
  void AutoAck(const ClientEvent& event);
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
  std::atomic<bool> driver_wants_write_{false};
  std::atomic<int64_t> driver_next_wake_ns_{INT64_MAX};
  std::atomic<uint64_t> messages_sent_{0}, messages_received_{0}, bytes_sent_{0},
      bytes_received_{0}, connect_attempts_{0}, connections_{0}, reconnects_{0};
  std::atomic<int> last_disconnect_reason_{-1};

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
  std::vector<uint16_t> acks_after_close_;
};

// ----------------------------------------------------------------------------------------------
// Construction, destruction, driver ownership
// ----------------------------------------------------------------------------------------------

Core::Core(ClientOptions options, std::vector<ServerAddress> servers, std::shared_ptr<Waker> waker)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : MonotonicClock::Get()),
      waker_(std::move(waker)),
      // Always: besides sessions (used only with session_resumption) it keeps the TLS context,
      // so reconnects do not re-read certificates and CA bundles that did not change.
      tls_sessions_(std::make_shared<TlsSessionCache>()),
      store_(options_.store != nullptr ? options_.store : options_.shared_store.get()),
      app_manual_ack_(options_.session.manual_ack),
      session_(WithManualAck(options_.session), store_),
      callbacks_(std::make_shared<ClientCallbacks>()),
      servers_(std::move(servers)),
      auto_reconnect_(options_.auto_reconnect),
      reconnect_min_(options_.reconnect_min_delay),
      reconnect_max_(options_.reconnect_max_delay),
      transport_options_(options_.transport),
      transport_factory_(options_.transport_factory),
      connect_timeout_(options_.connect_timeout),
      log_level_(static_cast<uint8_t>(options_.log_level)),
      backoff_(options_.reconnect_min_delay, options_.reconnect_max_delay,
               options_.reconnect_jitter, std::random_device{}()) {
  read_buf_.resize(std::max<size_t>(options_.read_buffer_bytes, 1024));
}

Core::~Core() {
  if (thread_.joinable()) {
    // Only reachable on the loop thread itself (deferred destruction from a callback); any
    // other thread joined it in Shutdown.
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
  if (transport_) transport_->Close();
}

bool Core::TryAcquireDriver(DriveScope* scope, bool wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (wait) {
    cv_.wait(lock, [&] { return !driver_busy_ || stop_thread_ || closing_.load(); });
    if (stop_thread_ || closing_.load()) return false;
  }
  if (driver_busy_) return false;
  driver_busy_ = true;
  lock.unlock();
  scope->core = this;
  scope->previous = t_driving;
  t_driving = scope;
  return true;
}

void Core::ReleaseDriver(DriveScope* scope) {
  t_driving = scope->previous;
  std::lock_guard<std::mutex> lock(mu_);
  driver_busy_ = false;
  cv_.notify_all();
}

bool Core::IsLoopThread() const {
  for (const DriveScope* s = t_driving; s != nullptr; s = s->previous) {
    if (s->core == this) return true;
  }
  return false;
}

absl::Status Core::RefuseInsideCallback(absl::string_view what) const {
  return BusyError(
      absl::StrCat(what,
                   " cannot be called from this client's own callback (it would wait for "
                   "the loop that runs the callback)"));
}

absl::Status Core::DriverBusyError() const {
  if (IsLoopThread()) return RefuseInsideCallback("a loop function");
  return BusyError(
      "another thread is running this client's loop (LoopStart, Loop, LoopForever or an "
      "external loop call)");
}

void Core::Shutdown() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_.store(true);
    stop_thread_ = true;
    stop_loop_forever_ = true;
    cv_.notify_all();
    if (!IsLoopThread()) thread = std::move(thread_);
  }
  waker_->Wake();
  if (IsLoopThread()) return;  // deferred: the driver tears down after the callback returns
  if (thread.joinable()) thread.join();
  DriverGuard guard(this);
  if (guard.TryAcquire()) Teardown();
  // Otherwise a caller-driven loop holds the driver; it sees closing_ and tears down.
  std::shared_ptr<const ClientCallbacks> released;
  {
    std::lock_guard<std::mutex> lock(mu_);
    released = std::move(callbacks_);
    callbacks_gen_.fetch_add(1);
  }
}

// ----------------------------------------------------------------------------------------------
// Thread-safe API
// ----------------------------------------------------------------------------------------------

void Core::UpdateCallbacks(const std::function<void(ClientCallbacks&)>& edit) {
  std::shared_ptr<const ClientCallbacks> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return;
    auto next = std::make_shared<ClientCallbacks>(callbacks_ ? *callbacks_ : ClientCallbacks{});
    edit(*next);
    has_log_callback_.store(static_cast<bool>(next->on_log));
    old = std::move(callbacks_);
    callbacks_ = std::move(next);
    callbacks_gen_.fetch_add(1);
  }
  // `old` is released here, outside the lock (a C release hook may call back into the client).
}

absl::Status Core::ConnectAsync() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    if (servers_.empty()) return absl::InvalidArgumentError("no server URI configured");
    if (want_connected_) {
      return BusyError("already connected or connecting");
    }
    want_connected_ = true;
    user_disconnected_ = false;
    ++connect_request_;
  }
  WakeLoop();
  return absl::OkStatus();
}

absl::Status Core::Connect() {
  if (IsLoopThread()) return RefuseInsideCallback("Connect (blocking)");
  uint64_t request;
  size_t server_count;
  absl::Duration connect_timeout;
  {
    std::lock_guard<std::mutex> lock(mu_);
    server_count = servers_.size();
    connect_timeout = connect_timeout_;
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    if (servers_.empty()) return absl::InvalidArgumentError("no server URI configured");
    if (want_connected_) return BusyError("already connected or connecting");
    want_connected_ = true;
    user_disconnected_ = false;
    request = ++connect_request_;
    sync_request_ = request;
  }
  waker_->Wake();
  auto done = [&] { return result_request_ >= request || !want_connected_ || closing_.load(); };
  // Every server once, each with its connect timeout, plus slack for the loop to notice.
  absl::Duration budget =
      connect_timeout * static_cast<int64_t>(std::max<size_t>(server_count, 1)) + absl::Seconds(2);
  absl::Time deadline = Now() + budget;

  DriverGuard guard(this);
  if (guard.TryAcquire()) {
    // No loop thread: do the work here. Events wait for the next loop call.
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (done()) break;
      }
      absl::Time now = Now();
      if (now >= deadline) break;
      Iterate(deadline - now, /*dispatch=*/false);
    }
  } else {
    std::unique_lock<std::mutex> lock(mu_);
    ++waiters_;
    cv_.wait_for(lock, absl::ToChronoNanoseconds(budget), done);
    --waiters_;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (result_request_ >= request) return result_status_;
  if (closing_.load()) return absl::CancelledError("the client is being destroyed");
  if (!want_connected_) return absl::CancelledError("connection attempt cancelled (Disconnect)");
  return absl::DeadlineExceededError("Connect: no result within the connect timeout");
}

absl::Status Core::Reconnect() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    if (servers_.empty()) return absl::InvalidArgumentError("no server URI configured");
    want_connected_ = true;
    user_disconnected_ = false;
    ++connect_request_;
    ++reconnect_request_;
  }
  WakeLoop();
  return absl::OkStatus();
}

absl::Status Core::Disconnect(uint8_t reason_code, Properties properties) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    bool had_something = want_connected_ || link_mirror_ != Link::kNone;
    if (!had_something) return absl::FailedPreconditionError("not connected");
    want_connected_ = false;
    user_disconnected_ = true;
    SessionState state = session_.state();
    bool told_session = false;
    if (link_mirror_ == Link::kUp &&
        (state == SessionState::kConnected || state == SessionState::kConnecting)) {
      told_session = session_.Disconnect(reason_code, std::move(properties), Now()).ok();
    }
    if (!told_session) ++abort_request_;
  }
  WakeLoop();
  return absl::OkStatus();
}

bool Core::IsConnected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return link_mirror_ == Link::kUp && session_.state() == SessionState::kConnected;
}

absl::Status Core::SetServers(const std::vector<std::string>& uris) {
  std::vector<ServerAddress> parsed;
  for (const std::string& uri : uris) {
    absl::StatusOr<ServerAddress> a = ServerAddress::Parse(uri);
    if (!a.ok()) return a.status();
    parsed.push_back(std::move(*a));
  }
  std::lock_guard<std::mutex> lock(mu_);
  servers_ = std::move(parsed);
  return absl::OkStatus();
}

void Core::SetReconnect(bool enabled, absl::Duration min_delay, absl::Duration max_delay) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto_reconnect_ = enabled;
    reconnect_min_ = min_delay;
    reconnect_max_ = max_delay;
    ++reconnect_config_gen_;
  }
  WakeLoop();
}

absl::Status Core::UpdateOptions(ClientOptions options, std::vector<ServerAddress> servers,
                                 bool as_first_connection) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    if (options.session.manual_ack != app_manual_ack_) {
      OUZEL_RETURN_IF_ERROR(Session::ValidateOptions(options.session));
      return absl::InvalidArgumentError(
          "manual acknowledgement cannot change on an existing session (create a new client)");
    }
    OUZEL_RETURN_IF_ERROR(session_.UpdateOptions(WithManualAck(std::move(options.session)),
                                                 as_first_connection, Now()));
    servers_ = std::move(servers);
    auto_reconnect_ = options.auto_reconnect;
    reconnect_min_ = options.reconnect_min_delay;
    reconnect_max_ = options.reconnect_max_delay;
    ++reconnect_config_gen_;
    transport_options_ = std::move(options.transport);
    transport_factory_ = std::move(options.transport_factory);
    connect_timeout_ = options.connect_timeout;
  }
  WakeLoop();
  return absl::OkStatus();
}

absl::StatusOr<MessageToken> Core::Publish(PublishRequest request, uint16_t* packet_id) {
  absl::StatusOr<MessageToken> token;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    token = session_.Publish(std::move(request), Now());
    if (packet_id != nullptr) {
      *packet_id = 0;
      if (token.ok()) {
        if (std::optional<MessageStatus> s = session_.StatusOf(*token)) *packet_id = s->packet_id;
      }
    }
  }
  if (token.ok()) WakeLoop();
  return token;
}

absl::StatusOr<uint16_t> Core::Subscribe(SubscribeRequest request) {
  absl::StatusOr<uint16_t> id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    id = session_.Subscribe(std::move(request), Now());
  }
  if (id.ok()) WakeLoop();
  return id;
}

absl::StatusOr<uint16_t> Core::Unsubscribe(std::vector<std::string> filters,
                                           Properties properties) {
  absl::StatusOr<uint16_t> id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    id = session_.Unsubscribe(std::move(filters), std::move(properties), Now());
  }
  if (id.ok()) WakeLoop();
  return id;
}

absl::Status Core::Ack(uint16_t packet_id) {
  if (!app_manual_ack_) {
    return absl::FailedPreconditionError("Ack needs SessionOptions::manual_ack");
  }
  absl::Status s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    s = session_.Ack(packet_id, Now());
  }
  if (s.ok()) WakeLoop();
  return s;
}

absl::Status Core::ContinueAuthentication(Properties properties) {
  absl::Status s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    s = session_.ContinueAuthentication(std::move(properties), Now());
  }
  if (s.ok()) WakeLoop();
  return s;
}

absl::Status Core::Reauthenticate(Properties properties) {
  absl::Status s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    s = session_.Reauthenticate(std::move(properties), Now());
  }
  if (s.ok()) WakeLoop();
  return s;
}

std::optional<MessageStatus> Core::DeliveryStatus(MessageToken token) const {
  std::lock_guard<std::mutex> lock(mu_);
  return session_.StatusOf(token);
}

absl::StatusOr<MessageStatus> Core::WaitForPublish(MessageToken token, absl::Duration timeout) {
  if (IsLoopThread()) return RefuseInsideCallback("WaitForPublish");
  std::unique_lock<std::mutex> lock(mu_);
  auto status = [&] { return session_.StatusOf(token); };
  std::optional<MessageStatus> s = status();
  if (!s) return absl::NotFoundError(absl::StrCat("unknown message token ", token));
  auto deadline = std::chrono::steady_clock::now() +
                  absl::ToChronoNanoseconds(std::max(timeout, absl::ZeroDuration()));
  ++waiters_;
  while (!IsTerminal(s->state) && !closing_.load()) {
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      s = status();
      break;
    }
    s = status();
    if (!s) break;
  }
  --waiters_;
  if (closing_.load()) return absl::CancelledError("the client is being destroyed");
  if (!s) return absl::NotFoundError(absl::StrCat("message token ", token, " was forgotten"));
  if (!IsTerminal(s->state)) {
    return absl::DeadlineExceededError(
        absl::StrCat("message ", token, " not finished after ", absl::FormatDuration(timeout)));
  }
  return *s;
}

bool Core::WantWrite() const {
  if (driver_wants_write_.load(std::memory_order_acquire)) return true;
  std::lock_guard<std::mutex> lock(mu_);
  return link_mirror_ == Link::kUp && !session_.PendingOutput().empty();
}

std::optional<absl::Duration> Core::NextTimeout() const {
  absl::Time t = FromNanos(driver_next_wake_ns_.load(std::memory_order_acquire));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (std::optional<absl::Time> d = session_.NextDeadline()) t = std::min(t, *d);
  }
  if (t == absl::InfiniteFuture()) return std::nullopt;
  return std::max(t - Now(), absl::ZeroDuration());
}

ClientStats Core::Stats() const {
  ClientStats s;
  s.messages_sent = messages_sent_.load();
  s.messages_received = messages_received_.load();
  s.bytes_sent = bytes_sent_.load();
  s.bytes_received = bytes_received_.load();
  s.connect_attempts = connect_attempts_.load();
  s.connections = connections_.load();
  s.reconnects = reconnects_.load();
  int reason = last_disconnect_reason_.load();
  if (reason >= 0) s.last_disconnect_reason = static_cast<uint8_t>(reason);
  std::lock_guard<std::mutex> lock(mu_);
  s.inflight = session_.inflight_count();
  s.queued = session_.queued_count();
  s.last_disconnect_error = last_error_;
  return s;
}

std::string Core::ClientId() const {
  std::lock_guard<std::mutex> lock(mu_);
  return session_.client_id();
}

SessionState Core::session_state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return session_.state();
}

absl::Status Core::LinkStatusLocked() const {
  if (closing_.load()) return absl::CancelledError("the client is being destroyed");
  if (link_mirror_ != Link::kNone) return absl::OkStatus();
  if (!last_error_.ok()) return last_error_;
  return absl::FailedPreconditionError("not connected");
}

// ----------------------------------------------------------------------------------------------
// Loop entry points
// ----------------------------------------------------------------------------------------------

absl::Status Core::LoopStart() {
  std::thread old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    if (thread_running_) return BusyError("the loop thread is already running");
    old = std::move(thread_);  // a thread that ended after a LoopStop from its own callback
  }
  if (old.joinable()) old.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_running_) return BusyError("the loop thread is already running");
  thread_running_ = true;
  stop_thread_ = false;
  std::shared_ptr<Core> self = shared_from_this();
  try {
    thread_ = std::thread([self] {
      std::string name = self->options_.thread_name.substr(0, 15);
      pthread_setname_np(pthread_self(), name.c_str());
      {
        DriverGuard guard(self.get());
        if (guard.AcquireOrStop()) {
          while (true) {
            {
              std::lock_guard<std::mutex> lock(self->mu_);
              if (self->stop_thread_ || self->closing_.load()) break;
            }
            self->Iterate(absl::InfiniteDuration(), /*dispatch=*/true);
          }
          if (self->closing_.load()) {
            self->Teardown();
          } else {
            self->FlushOutput(self->Now());
            self->UpdateExternalState();
          }
        }
      }
      std::lock_guard<std::mutex> lock(self->mu_);
      self->thread_running_ = false;
      self->cv_.notify_all();
    });
  } catch (const std::system_error& e) {
    thread_running_ = false;
    return absl::ResourceExhaustedError(absl::StrCat("cannot start the loop thread: ", e.what()));
  }
  return absl::OkStatus();
}

absl::Status Core::LoopStop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!thread_running_ && !loop_forever_running_) {
      return absl::NotFoundError("neither the loop thread nor LoopForever is running");
    }
    stop_thread_ = true;
    stop_loop_forever_ = true;
    cv_.notify_all();
    if (!IsLoopThread()) thread = std::move(thread_);
  }
  waker_->Wake();
  if (thread.joinable()) thread.join();
  return absl::OkStatus();
}

absl::Status Core::Loop(absl::Duration timeout) {
  DriverGuard guard(this);
  if (!guard.TryAcquire()) return DriverBusyError();
  Iterate(std::max(timeout, absl::ZeroDuration()), /*dispatch=*/true);
  if (closing_.load()) {
    Teardown();
    return absl::CancelledError("the client was destroyed inside a callback");
  }
  std::lock_guard<std::mutex> lock(mu_);
  return LinkStatusLocked();
}

absl::Status Core::LoopForever(bool retry_first_connection) {
  DriverGuard guard(this);
  if (!guard.TryAcquire()) return DriverBusyError();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!want_connected_ && link_mirror_ == Link::kNone) {
      return absl::FailedPreconditionError(
          "not connected: call Connect or ConnectAsync before LoopForever");
    }
    loop_forever_running_ = true;
    stop_loop_forever_ = false;
  }
  give_up_after_first_round_ = !retry_first_connection && !ever_connected_;
  absl::Status result;
  while (true) {
    Iterate(absl::InfiniteDuration(), /*dispatch=*/true);
    if (closing_.load()) {
      Teardown();
      result = absl::CancelledError("the client was destroyed inside a callback");
      break;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_loop_forever_) break;
    if (!want_connected_ && link_ == Link::kNone) {
      if (!user_disconnected_)
        result = last_error_.ok() ? absl::UnknownError("gave up") : last_error_;
      break;
    }
  }
  give_up_after_first_round_ = false;
  std::lock_guard<std::mutex> lock(mu_);
  loop_forever_running_ = false;
  stop_loop_forever_ = false;
  return result;
}

absl::StatusOr<size_t> Core::LoopRead() { return ExternalIo(&Core::ReadAvailable); }

absl::StatusOr<size_t> Core::LoopWrite() { return ExternalIo(&Core::FlushOutput); }

// LoopRead and LoopWrite: continue a connection attempt, or move bytes one way once connected,
// then the misc work; the result is the bytes moved or why the link is down.
absl::StatusOr<size_t> Core::ExternalIo(size_t (Core::*io)(absl::Time)) {
  DriverGuard guard(this);
  if (!guard.TryAcquire()) return DriverBusyError();
  absl::Time now = Now();
  size_t n = 0;
  if (link_ == Link::kConnecting) {
    ContinueAttempt(now);
  } else if (link_ == Link::kUp) {
    n = (this->*io)(now);
  }
  DoMisc(Now(), /*dispatch=*/true);
  if (closing_.load()) {
    Teardown();
    return absl::CancelledError("the client was destroyed inside a callback");
  }
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status s = LinkStatusLocked();
  if (!s.ok()) return s;
  return n;
}

absl::Status Core::LoopMisc() {
  DriverGuard guard(this);
  if (!guard.TryAcquire()) return DriverBusyError();
  waker_->Consume();
  DoMisc(Now(), /*dispatch=*/true);
  if (closing_.load()) {
    Teardown();
    return absl::CancelledError("the client was destroyed inside a callback");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (want_connected_) return absl::OkStatus();  // connecting or waiting to reconnect
  return LinkStatusLocked();
}

// ----------------------------------------------------------------------------------------------
// The driver
// ----------------------------------------------------------------------------------------------

void Core::Iterate(absl::Duration max_wait, bool dispatch) {
  absl::Time now = Now();
  waker_->Consume();
  DoMisc(now, dispatch);
  if (closing_.load()) return;
  if (skip_poll_) {
    skip_poll_ = false;
    return;
  }

  pollfd fds[2];
  nfds_t nfds = 1;
  fds[0] = {waker_->fd(), POLLIN, 0};
  int fd = transport_ ? transport_->fd() : -1;
  if (fd >= 0) {
    short events = 0;
    IoInterest interest = transport_->interest();
    if (link_ == Link::kUp || WantsRead(interest)) events |= POLLIN;
    if (WantsWrite(interest) || (link_ == Link::kUp && write_off_ < write_buf_.size())) {
      events |= POLLOUT;
    }
    fds[1] = {fd, events, 0};
    nfds = 2;
  }
  absl::Duration wait = std::min(max_wait, NextWakeTime() - Now());
  if (transport_ && link_ == Link::kUp && transport_->HasBufferedInput()) {
    wait = absl::ZeroDuration();
  }
  wait = std::max(wait, absl::ZeroDuration());
  timespec ts;
  timespec* tsp = nullptr;
  if (wait != absl::InfiniteDuration()) {
    ts = absl::ToTimespec(wait);
    tsp = &ts;
  }
  int ready = ppoll(fds, nfds, tsp, nullptr);
  now = Now();
  if (ready > 0 && nfds == 2 && fds[1].revents != 0 && transport_ && transport_->fd() == fd) {
    short re = fds[1].revents;
    if (link_ == Link::kConnecting) {
      ContinueAttempt(now);
    } else if (link_ == Link::kUp) {
      if (re & (POLLIN | POLLERR | POLLHUP)) ReadAvailable(now);
      if (link_ == Link::kUp && (re & POLLOUT)) FlushOutput(now);
    }
  }
  if (transport_ && link_ == Link::kUp && transport_->HasBufferedInput()) ReadAvailable(now);
  waker_->Consume();
  DoMisc(Now(), dispatch);
}

void Core::DoMisc(absl::Time now, bool dispatch) {
  // Callbacks may publish, subscribe or disconnect, and what that causes (a close, its
  // DisconnectedEvent) is dispatched in the same call: an external loop may have nothing left to
  // wake it for. After a few rounds the rest waits for the next call, which WakeFd asks for.
  constexpr int kMaxRounds = 4;
  for (int round = 0;; ++round) {
    ProcessRequests(now);
    if (closing_.load()) return;
    RunTimers(now);
    // Bytes a transport holds decoded (TLS records) never make its socket readable again.
    if (link_ == Link::kUp && transport_->HasBufferedInput()) ReadAvailable(now);
    FlushOutput(now);
    MaybeClose(now);
    if (!dispatch || pending_events_.empty()) break;
    if (round == kMaxRounds) {
      waker_->Wake();
      break;
    }
    Dispatch();
    if (closing_.load()) return;
    now = Now();
  }
  // Still buffered after a full batch of reads: ask for another call (external loops watch
  // WakeFd; the other modes see the waker in their next poll).
  if (link_ == Link::kUp && transport_->HasBufferedInput()) waker_->Wake();
  UpdateExternalState();
}

void Core::ProcessRequests(absl::Time now) {
  bool new_connect, new_reconnect, new_abort, want;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) {
      // Teardown happens at the loop entry points, after the current callback returned.
      return;
    }
    new_connect = connect_request_ != seen_connect_request_;
    new_reconnect = reconnect_request_ != seen_reconnect_request_;
    new_abort = abort_request_ != seen_abort_request_;
    seen_connect_request_ = connect_request_;
    seen_reconnect_request_ = reconnect_request_;
    seen_abort_request_ = abort_request_;
    want = want_connected_;
    if (reconnect_config_gen_ != backoff_config_seen_) {
      backoff_config_seen_ = reconnect_config_gen_;
      backoff_.Configure(reconnect_min_, reconnect_max_, options_.reconnect_jitter);
    }
  }
  if (new_abort || new_reconnect) {
    if (link_ == Link::kConnecting) {
      CloseTransport();
      link_ = Link::kNone;
      absl::Status why = new_reconnect
                             ? absl::AbortedError("attempt replaced by Reconnect")
                             : absl::CancelledError("connection attempt cancelled (Disconnect)");
      std::lock_guard<std::mutex> lock(mu_);
      link_mirror_ = Link::kNone;
      last_error_ = why;
      pending_events_.emplace_back(SessionEvent(ConnectFailedEvent{why, std::nullopt, {}}));
    } else if (link_ == Link::kUp) {
      DropLink(
          now,
          new_reconnect ? absl::AbortedError("connection dropped by Reconnect") : absl::OkStatus(),
          /*schedule=*/false);
    }
  }
  if (new_connect) {
    backoff_.Reset();
    server_index_ = 0;
    redirect_.reset();
    redirects_in_a_row_ = 0;
    connect_now_ = true;
    {
      std::lock_guard<std::mutex> lock(mu_);
      attempt_request_ = connect_request_;
    }
    if (link_ == Link::kNone) {
      attempt_scheduled_ = true;
      next_attempt_at_ = now;
    }
  }
  if (!want && link_ == Link::kNone) {
    attempt_scheduled_ = false;
    next_attempt_at_ = absl::InfiniteFuture();
  }
}

void Core::RunTimers(absl::Time now) {
  if (link_ == Link::kConnecting && transport_) {
    // Without an fd the transport waits for the Waker (a name lookup on a helper thread): it may
    // have fired, and asking costs no system call.
    std::optional<absl::Time> t = transport_->NextTimeout();
    if (transport_->fd() < 0 || (t && now >= *t)) ContinueAttempt(now);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<absl::Time> d = session_.NextDeadline();
    if (d && now >= *d) {
      session_.OnTimer(now);
      TakeSessionEventsLocked(now);
      d = session_.NextDeadline();
    }
    session_deadline_cache_ = d.value_or(absl::InfiniteFuture());
  }
  if (link_ == Link::kNone && attempt_scheduled_ && now >= next_attempt_at_) {
    bool want;
    {
      std::lock_guard<std::mutex> lock(mu_);
      want = want_connected_;
    }
    if (want) {
      StartAttempt(now);
    } else {
      attempt_scheduled_ = false;
    }
  }
}

void Core::StartAttempt(absl::Time now) {
  attempt_scheduled_ = false;
  next_attempt_at_ = absl::InfiniteFuture();
  connect_now_ = false;
  ServerAddress address;
  TransportOptions transport_options;
  TransportFactory transport_factory;
  absl::Duration connect_timeout;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!want_connected_ || closing_.load() || servers_.empty()) return;
    if (server_index_ >= servers_.size()) server_index_ = 0;
    address = redirect_ ? *redirect_ : servers_[server_index_];
    transport_options = transport_options_;
    transport_factory = transport_factory_;
    connect_timeout = connect_timeout_;
  }
  if (const ClientCallbacks* cb = CurrentCallbacks(); cb && cb->on_pre_connect) {
    cb->on_pre_connect();
    if (closing_.load()) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (!want_connected_) return;
  }
  connect_attempts_.fetch_add(1, std::memory_order_relaxed);
  current_address_ = address;
  Log(LogLevel::kInfo, "connecting to ", address.ToString());
  TransportContext context{waker_, options_.resolver, tls_sessions_};
  absl::StatusOr<std::unique_ptr<Transport>> t =
      transport_factory ? transport_factory(address, transport_options, context)
                        : CreateTransport(address, transport_options, context);
  if (!t.ok()) {
    AttemptFailed(now, t.status());
    return;
  }
  if (*t == nullptr) {
    AttemptFailed(now, absl::InternalError("the transport factory returned no transport"));
    return;
  }
  transport_ = std::move(*t);
  link_ = Link::kConnecting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    link_mirror_ = Link::kConnecting;
  }
  absl::Status started = transport_->StartConnect(now, now + connect_timeout);
  SyncSocketHooks();
  if (!started.ok()) {
    AttemptFailed(now, started);
    return;
  }
  ContinueAttempt(now);
}

void Core::ContinueAttempt(absl::Time now) {
  if (link_ != Link::kConnecting || !transport_) return;
  absl::StatusOr<bool> r = transport_->ContinueConnect(now);
  SyncSocketHooks();
  if (!r.ok()) {
    AttemptFailed(now, r.status());
  } else if (*r) {
    TransportUp(now);
  }
}

void Core::AttemptFailed(absl::Time now, absl::Status status) {
  CloseTransport();
  link_ = Link::kNone;
  Log(LogLevel::kWarning, "connection to ", current_address_.ToString(),
      " failed: ", status.ToString());
  {
    std::lock_guard<std::mutex> lock(mu_);
    link_mirror_ = Link::kNone;
    last_error_ = status;
  }
  pending_events_.emplace_back(SessionEvent(ConnectFailedEvent{status, std::nullopt, {}}));
  redirect_.reset();
  ScheduleNext(now, /*failed_attempt=*/true, status);
}

void Core::TransportUp(absl::Time now) {
  link_ = Link::kUp;
  link_accepted_ = false;
  close_deadline_ = absl::InfiniteFuture();
  write_buf_.Clear();
  write_off_ = 0;
  copied_ = 0;
  Log(LogLevel::kInfo, "transport up: ", transport_->Describe());
  {
    std::lock_guard<std::mutex> lock(mu_);
    link_mirror_ = Link::kUp;
    session_.OnTransportUp(now);
    TakeSessionEventsLocked(now);
    if (sync_request_ == attempt_request_ && result_request_ < attempt_request_) {
      result_request_ = attempt_request_;
      result_status_ = absl::OkStatus();
      skip_poll_ = true;
      cv_.notify_all();
    }
  }
  FlushOutput(now);
}

void Core::DropLink(absl::Time now, absl::Status status, bool schedule) {
  if (link_ != Link::kUp) return;
  CloseTransport();
  link_ = Link::kNone;
  write_buf_.Clear();
  write_off_ = 0;
  copied_ = 0;
  close_deadline_ = absl::InfiniteFuture();
  bool accepted = link_accepted_;
  link_accepted_ = false;
  if (!status.ok()) {
    Log(LogLevel::kWarning, "connection to ", current_address_.ToString(),
        " lost: ", status.ToString());
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    link_mirror_ = Link::kNone;
    if (!status.ok() || last_error_.ok()) last_error_ = status;
    session_.OnTransportDown(now, status);
    for (uint16_t id : acks_after_close_) session_.Ack(id, now).IgnoreError();
    acks_after_close_.clear();
    TakeSessionEventsLocked(now);
  }
  if (schedule) ScheduleNext(now, /*failed_attempt=*/!accepted, status);
}

void Core::ScheduleNext(absl::Time now, bool failed_attempt, const absl::Status& status) {
  bool want, retry, sync;
  size_t server_count;
  {
    std::lock_guard<std::mutex> lock(mu_);
    want = want_connected_;
    retry = auto_reconnect_;
    sync = sync_request_ == attempt_request_ && result_request_ < attempt_request_;
    server_count = servers_.size();
  }
  if (!want) {
    attempt_scheduled_ = false;
    skip_poll_ = true;  // now idle: LoopForever and Loop callers should see it at once
    return;
  }
  if (connect_now_ || (redirect_ && redirects_in_a_row_ <= options_.max_redirects)) {
    attempt_scheduled_ = true;
    next_attempt_at_ = now;
    return;
  }
  redirect_.reset();
  if (failed_attempt && server_index_ + 1 < server_count) {
    ++server_index_;
    attempt_scheduled_ = true;
    next_attempt_at_ = now;
    return;
  }
  server_index_ = 0;
  bool give_up = !retry || (failed_attempt && (sync || give_up_after_first_round_));
  if (give_up) {
    std::lock_guard<std::mutex> lock(mu_);
    want_connected_ = false;
    if (sync) {
      result_request_ = attempt_request_;
      result_status_ = status.ok() ? absl::UnavailableError("connection failed") : status;
      skip_poll_ = true;
    }
    cv_.notify_all();
    attempt_scheduled_ = false;
    skip_poll_ = true;
    return;
  }
  absl::Duration delay = backoff_.Next();
  attempt_scheduled_ = true;
  next_attempt_at_ = now + delay;
  Log(LogLevel::kInfo, "reconnecting in ", absl::FormatDuration(delay));
}

void Core::CloseTransport() {
  if (!transport_) return;
  if (hooked_fd_ >= 0) {
    int fd = hooked_fd_;
    bool registered = write_registered_;
    hooked_fd_ = -1;
    write_registered_ = false;
    reported_fd_.store(-1, std::memory_order_release);
    if (const ClientCallbacks* cb = CurrentCallbacks()) {
      if (registered && cb->on_socket_unregister_write) cb->on_socket_unregister_write(fd);
      if (cb->on_socket_close) cb->on_socket_close(fd);
    }
  }
  if (transport_) {
    transport_->Close();
    transport_.reset();
  }
  driver_wants_write_.store(false, std::memory_order_release);
}

void Core::Teardown() {
  if (tearing_down_) return;
  tearing_down_ = true;
  // What the session recorded since the last iteration (e.g. a Publish just before the client is
  // destroyed) reaches the store, which may outlive this client.
  if (store_ != nullptr) {
    absl::Status s = store_->Flush();
    if (!s.ok()) Log(LogLevel::kError, "session store: ", s.ToString());
  }
  CloseTransport();
  link_ = Link::kNone;
  pending_events_.clear();
  callbacks_snapshot_.reset();
  {
    std::lock_guard<std::mutex> lock(mu_);
    link_mirror_ = Link::kNone;
    cv_.notify_all();
  }
}

size_t Core::ReadAvailable(absl::Time now) {
  size_t total = 0;
  for (int i = 0; i < kMaxReadsPerCall && link_ == Link::kUp; ++i) {
    absl::StatusOr<size_t> r = transport_->Read(absl::MakeSpan(read_buf_));
    if (!r.ok()) {
      DropLink(now, r.status(), /*schedule=*/true);
      break;
    }
    size_t n = *r;
    if (n > 0) {
      total += n;
      bytes_received_.fetch_add(n, std::memory_order_relaxed);
      std::lock_guard<std::mutex> lock(mu_);
      session_.OnBytesReceived(absl::MakeConstSpan(read_buf_.data(), n), now);
      TakeSessionEventsLocked(now);
      if (session_.wants_close()) break;  // nothing more is read from a connection being closed
    }
    // Level-triggered: a short read means the socket is drained (no extra EAGAIN syscall).
    if (n < read_buf_.size() && !transport_->HasBufferedInput()) break;
  }
  return total;
}

bool Core::FlushStore(absl::Time now) {
  if (store_ == nullptr) return true;
  absl::Status s = store_->Flush();
  if (s.ok()) {
    store_error_ = absl::OkStatus();
    return true;
  }
  s = absl::Status(s.code(), absl::StrCat("session store: ", s.message()));
  if (s != store_error_) Log(LogLevel::kError, s.ToString());
  store_error_ = s;
  // Sending what the store could not record would break what it promises after a restart.
  DropLink(now, s, /*schedule=*/true);
  return false;
}

size_t Core::FlushOutput(absl::Time now) {
  if (link_ != Link::kUp || !transport_) {
    // Offline: the offline queue's records reach the store within one iteration. While a link
    // is up the store is flushed only before bytes are written (below), so records that protect
    // no packet (e.g. a removal after PUBACK: losing it means at most a resend after a crash)
    // share the next write and sync instead of costing one each.
    FlushStore(now);
    return 0;
  }
  if (WantsWrite(transport_->interest())) {
    absl::Status flushed = transport_->Flush();
    if (!flushed.ok()) {
      DropLink(now, flushed, /*schedule=*/true);
      return 0;
    }
  }
  // Take everything the session has (from every thread's calls since the last flush) and write
  // it in as few system calls as the socket allows.
  // Returns whether new bytes were taken: their store records must then be flushed first.
  auto take_more = [&]() -> bool {
    absl::Span<const uint8_t> pending = session_.PendingOutput();
    if (pending.size() < copied_) {
      // The session dropped output we had copied; it never does while a link is up.
      write_buf_.Clear();
      write_off_ = 0;
      copied_ = 0;
    }
    if (pending.size() > copied_) {
      if (write_off_ == write_buf_.size()) {
        write_buf_.Clear();
        write_off_ = 0;
      }
      write_buf_.Append(pending.subspan(copied_));
      copied_ = pending.size();
      return true;
    }
    return false;
  };
  bool taken;
  {
    std::lock_guard<std::mutex> lock(mu_);
    taken = take_more();
  }
  // Another thread's Publish may have stored records since the flush above.
  if (taken && !FlushStore(now)) return 0;
  size_t total = 0;
  while (write_off_ < write_buf_.size() && link_ == Link::kUp) {
    absl::StatusOr<size_t> r = transport_->Write(
        absl::MakeConstSpan(write_buf_.data() + write_off_, write_buf_.size() - write_off_));
    if (!r.ok()) {
      DropLink(now, r.status(), /*schedule=*/true);
      return total;
    }
    size_t n = *r;
    if (n == 0) break;
    write_off_ += n;
    total += n;
    {
      std::lock_guard<std::mutex> lock(mu_);
      copied_ -= n;
      session_.OnOutputWritten(n, now);
      TakeSessionEventsLocked(now);
      taken = take_more();
    }
    if (taken && !FlushStore(now)) break;
  }
  if (write_off_ == write_buf_.size()) {
    write_buf_.Clear();
    write_off_ = 0;
  } else if (write_off_ >= kCompactWriteBufferAt) {
    write_buf_.Consume(write_off_);
    write_off_ = 0;
  }
  if (total > 0) bytes_sent_.fetch_add(total, std::memory_order_relaxed);
  return total;
}

void Core::MaybeClose(absl::Time now) {
  if (link_ != Link::kUp) return;
  bool wants_close, drained;
  {
    std::lock_guard<std::mutex> lock(mu_);
    wants_close = session_.wants_close();
    drained = session_.PendingOutput().empty();
  }
  if (!wants_close) return;
  if (close_deadline_ == absl::InfiniteFuture()) close_deadline_ = now + options_.close_linger;
  if (!drained && now < close_deadline_) return;
  DropLink(now, absl::OkStatus(), /*schedule=*/true);
}

void Core::TakeSessionEventsLocked(absl::Time now) {
  if (has_log_callback_.load(std::memory_order_relaxed)) {
    for (SessionLog& log : session_.TakeLogs()) {
      if (static_cast<uint8_t>(log.level) >= log_level_.load(std::memory_order_relaxed)) {
        pending_events_.emplace_back(LogEvent{log.level, std::move(log.message)});
      }
    }
  }
  if (!session_.has_events()) return;
  std::vector<SessionEvent> events = session_.TakeEvents();
  bool notify = false;
  for (SessionEvent& e : events) {
    if (auto* done = std::get_if<PublishDoneEvent>(&e)) {
      if (done->status.state == DeliveryState::kAcknowledged) {
        messages_sent_.fetch_add(1, std::memory_order_relaxed);
      }
      notify = true;
    } else if (std::holds_alternative<MessageEvent>(e)) {
      messages_received_.fetch_add(1, std::memory_order_relaxed);
    } else if (auto* c = std::get_if<ConnectedEvent>(&e)) {
      if (c->reason_code == 0) {
        link_accepted_ = true;
        backoff_.Reset();
        redirects_in_a_row_ = 0;
        redirect_.reset();
        connections_.fetch_add(1, std::memory_order_relaxed);
        if (ever_connected_) reconnects_.fetch_add(1, std::memory_order_relaxed);
        ever_connected_ = true;
        last_error_ = absl::OkStatus();
      }
    } else if (auto* f = std::get_if<ConnectFailedEvent>(&e)) {
      last_error_ = f->error;
      if (options_.follow_server_reference && f->reason_code && IsRedirectReason(*f->reason_code)) {
        if (auto ref = f->properties.GetString(PropertyId::kServerReference)) {
          absl::StatusOr<ServerAddress> a = ParseServerReference(*ref, current_address_);
          if (a.ok()) {
            redirect_ = *a;
            ++redirects_in_a_row_;
          }
        }
      }
    } else if (auto* d = std::get_if<DisconnectedEvent>(&e)) {
      last_disconnect_reason_.store(d->reason_code, std::memory_order_relaxed);
      if (!d->error.ok()) last_error_ = d->error;
      if (options_.follow_server_reference && d->by_server && IsRedirectReason(d->reason_code)) {
        if (auto ref = d->properties.GetString(PropertyId::kServerReference)) {
          absl::StatusOr<ServerAddress> a = ParseServerReference(*ref, current_address_);
          if (a.ok()) {
            redirect_ = *a;
            ++redirects_in_a_row_;
          }
        }
      }
    }
    pending_events_.emplace_back(std::move(e));
  }
  (void)now;
  if (notify && waiters_ > 0) cv_.notify_all();
}

const ClientCallbacks* Core::CurrentCallbacks() {
  uint64_t gen = callbacks_gen_.load(std::memory_order_acquire);
  if (gen != callbacks_snapshot_gen_) {
    std::shared_ptr<const ClientCallbacks> fresh;
    {
      std::lock_guard<std::mutex> lock(mu_);
      fresh = callbacks_;
      gen = callbacks_gen_.load();
    }
    callbacks_snapshot_.swap(fresh);
    callbacks_snapshot_gen_ = gen;
    // `fresh` (the old snapshot) is released here, with no lock held.
  }
  return callbacks_snapshot_.get();
}

void Core::Dispatch() {
  for (size_t i = 0; i < pending_events_.size(); ++i) {
    if (closing_.load()) break;
    ClientEvent event = std::move(pending_events_[i]);
    const ClientCallbacks* cb = CurrentCallbacks();
    if (cb != nullptr) Invoke(*cb, event);
    if (!app_manual_ack_) AutoAck(event);
    // A slow callback must not starve keepalive: timers run between callbacks.
    if (link_ == Link::kUp && i + 1 < pending_events_.size()) {
      absl::Time now = Now();
      if (now >= session_deadline_cache_) {
        RunTimers(now);
        FlushOutput(now);
      }
    }
  }
  pending_events_.clear();
}

void Core::Invoke(const ClientCallbacks& cb, ClientEvent& event) {
  if (auto* log = std::get_if<LogEvent>(&event)) {
    if (cb.on_log) cb.on_log(log->level, log->text);
    return;
  }
  SessionEvent& e = std::get<SessionEvent>(event);
  if (auto* c = std::get_if<ConnectedEvent>(&e)) {
    if (cb.on_connect) cb.on_connect(*c);
  } else if (auto* f = std::get_if<ConnectFailedEvent>(&e)) {
    if (cb.on_connect_failed) cb.on_connect_failed(*f);
  } else if (auto* d = std::get_if<DisconnectedEvent>(&e)) {
    if (cb.on_disconnect) cb.on_disconnect(*d);
  } else if (auto* m = std::get_if<MessageEvent>(&e)) {
    if (cb.on_message) cb.on_message(m->message);
  } else if (auto* p = std::get_if<PublishDoneEvent>(&e)) {
    if (cb.on_publish) cb.on_publish(*p);
  } else if (auto* s = std::get_if<SubscribeDoneEvent>(&e)) {
    if (cb.on_subscribe) cb.on_subscribe(*s);
  } else if (auto* u = std::get_if<UnsubscribeDoneEvent>(&e)) {
    if (cb.on_unsubscribe) cb.on_unsubscribe(*u);
  } else if (auto* a = std::get_if<AuthEvent>(&e)) {
    if (cb.on_auth) cb.on_auth(*a);
  }
}

void Core::AutoAck(const ClientEvent& event) {
  const auto* e = std::get_if<SessionEvent>(&event);
  const auto* m = e != nullptr ? std::get_if<MessageEvent>(e) : nullptr;
  if (m == nullptr || m->message.qos == 0) return;
  // Destroyed inside the callback: no ack, the server sends the message again.
  if (closing_.load()) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (session_.state() == SessionState::kDisconnecting) {
    acks_after_close_.push_back(m->message.packet_id);
    return;
  }
  // Messages are dispatched in arrival order, so the acks keep that order [MQTT-4.6.0-2/3]; the
  // bytes go out with the FlushOutput that follows every Dispatch in DoMisc. NotFound (a QoS 1
  // message of a connection that has closed, a held QoS 2 message of a lost session) needs no
  // ack: the server sends it again or has forgotten it.
  session_.Ack(m->message.packet_id, Now()).IgnoreError();
}

absl::Time Core::NextWakeTime() const {
  absl::Time t = absl::InfiniteFuture();
  if (link_ == Link::kConnecting && transport_) {
    if (std::optional<absl::Time> x = transport_->NextTimeout()) t = std::min(t, *x);
  }
  if (link_ == Link::kNone && attempt_scheduled_) t = std::min(t, next_attempt_at_);
  if (link_ == Link::kUp) t = std::min(t, close_deadline_);
  std::lock_guard<std::mutex> lock(mu_);
  if (std::optional<absl::Time> d = session_.NextDeadline()) t = std::min(t, *d);
  return t;
}

void Core::SyncSocketHooks() {
  int fd = transport_ ? transport_->fd() : -1;
  if (fd == hooked_fd_) return;
  int old = hooked_fd_;
  bool registered = write_registered_;
  hooked_fd_ = fd;
  write_registered_ = false;
  reported_fd_.store(fd, std::memory_order_release);
  const ClientCallbacks* cb = CurrentCallbacks();
  if (cb == nullptr) return;
  if (old >= 0) {
    if (registered && cb->on_socket_unregister_write) cb->on_socket_unregister_write(old);
    if (cb->on_socket_close) cb->on_socket_close(old);
  }
  if (fd >= 0 && cb->on_socket_open) cb->on_socket_open(fd);
}

void Core::UpdateExternalState() {
  SyncSocketHooks();
  bool want_write = false;
  absl::Time wake = absl::InfiniteFuture();
  if (transport_) {
    IoInterest interest = transport_->interest();
    want_write = WantsWrite(interest) || (link_ == Link::kUp && write_off_ < write_buf_.size());
    if (link_ == Link::kConnecting) {
      if (std::optional<absl::Time> x = transport_->NextTimeout()) wake = *x;
    }
    if (link_ == Link::kUp) wake = close_deadline_;
  } else if (attempt_scheduled_) {
    wake = next_attempt_at_;
  }
  driver_next_wake_ns_.store(ToNanos(wake), std::memory_order_release);
  driver_wants_write_.store(want_write, std::memory_order_release);
  if (hooked_fd_ >= 0 && want_write != write_registered_) {
    write_registered_ = want_write;
    if (const ClientCallbacks* cb = CurrentCallbacks()) {
      if (want_write && cb->on_socket_register_write) cb->on_socket_register_write(hooked_fd_);
      if (!want_write && cb->on_socket_unregister_write) cb->on_socket_unregister_write(hooked_fd_);
    }
  }
}

}  // namespace client_internal

// ----------------------------------------------------------------------------------------------
// Client: a handle on the shared core, so a callback can destroy it safely.
// ----------------------------------------------------------------------------------------------

namespace {

// Parses the server URIs and checks what Create and UpdateOptions both need; credentials in the
// first URI fill in a user name (and password) the options lack.
absl::StatusOr<std::vector<ServerAddress>> PrepareOptions(ClientOptions& options) {
  std::vector<ServerAddress> servers;
  for (const std::string& uri : options.servers) {
    absl::StatusOr<ServerAddress> a = ServerAddress::Parse(uri);
    if (!a.ok()) return a.status();
    servers.push_back(std::move(*a));
  }
  if (!servers.empty() && !options.session.username && servers[0].username) {
    options.session.username = servers[0].username;
    if (!options.session.password) options.session.password = servers[0].password;
  }
  if (options.reconnect_min_delay < absl::ZeroDuration() ||
      options.reconnect_max_delay < options.reconnect_min_delay) {
    return absl::InvalidArgumentError("reconnect delays: need 0 <= min <= max");
  }
  if (options.connect_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("connect_timeout must be positive");
  }
  if (absl::Status valid = Session::ValidateOptions(options.session); !valid.ok()) return valid;
  return servers;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  absl::StatusOr<std::vector<ServerAddress>> servers = PrepareOptions(options);
  if (!servers.ok()) return servers.status();
  absl::StatusOr<std::shared_ptr<Waker>> waker = Waker::Create();
  if (!waker.ok()) return waker.status();
  auto core = std::make_shared<client_internal::Core>(std::move(options), *std::move(servers),
                                                      std::move(*waker));
  return std::unique_ptr<Client>(new Client(std::move(core)));
}

Client::Client(std::shared_ptr<client_internal::Core> core) : core_(std::move(core)) {}

Client::~Client() {
  std::shared_ptr<client_internal::Core> core = std::move(core_);
  core->Shutdown();
}

void Client::SetCallbacks(ClientCallbacks callbacks) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c = std::move(callbacks); });
}
void Client::SetOnConnect(std::function<void(const ConnectedEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_connect = std::move(f); });
}
void Client::SetOnConnectFailed(std::function<void(const ConnectFailedEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_connect_failed = std::move(f); });
}
void Client::SetOnDisconnect(std::function<void(const DisconnectedEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_disconnect = std::move(f); });
}
void Client::SetOnMessage(std::function<void(const Message&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_message = std::move(f); });
}
void Client::SetOnPublish(std::function<void(const PublishDoneEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_publish = std::move(f); });
}
void Client::SetOnSubscribe(std::function<void(const SubscribeDoneEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_subscribe = std::move(f); });
}
void Client::SetOnUnsubscribe(std::function<void(const UnsubscribeDoneEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_unsubscribe = std::move(f); });
}
void Client::SetOnAuth(std::function<void(const AuthEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_auth = std::move(f); });
}
void Client::SetOnLog(std::function<void(LogLevel, absl::string_view)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_log = std::move(f); });
}
void Client::SetLogLevel(LogLevel min_level) { core_->SetLogLevel(min_level); }
void Client::SetOnPreConnect(std::function<void()> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_pre_connect = std::move(f); });
}
void Client::SetOnSocketOpen(std::function<void(int fd)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_socket_open = std::move(f); });
}
void Client::SetOnSocketClose(std::function<void(int fd)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_socket_close = std::move(f); });
}
void Client::SetOnSocketRegisterWrite(std::function<void(int fd)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_socket_register_write = std::move(f); });
}
void Client::SetOnSocketUnregisterWrite(std::function<void(int fd)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_socket_unregister_write = std::move(f); });
}

// Entry points copy the core pointer first: if a callback destroys this Client meanwhile, the
// core stays alive until the call returns and `this` is never touched again.
absl::Status Client::ConnectAsync() { return core_->ConnectAsync(); }
absl::Status Client::Connect() {
  auto core = core_;
  return core->Connect();
}
absl::Status Client::Reconnect() { return core_->Reconnect(); }
absl::Status Client::Disconnect(uint8_t reason_code, Properties properties) {
  return core_->Disconnect(reason_code, std::move(properties));
}
bool Client::IsConnected() const { return core_->IsConnected(); }
absl::Status Client::SetServers(const std::vector<std::string>& uris) {
  return core_->SetServers(uris);
}
void Client::SetReconnect(bool enabled, absl::Duration min_delay, absl::Duration max_delay) {
  core_->SetReconnect(enabled, min_delay, max_delay);
}
absl::Status Client::UpdateOptions(ClientOptions options, bool as_first_connection) {
  absl::StatusOr<std::vector<ServerAddress>> servers = PrepareOptions(options);
  if (!servers.ok()) return servers.status();
  return core_->UpdateOptions(std::move(options), *std::move(servers), as_first_connection);
}

absl::StatusOr<MessageToken> Client::Publish(PublishRequest request, uint16_t* packet_id) {
  return core_->Publish(std::move(request), packet_id);
}
absl::StatusOr<MessageToken> Client::Publish(absl::string_view topic, absl::string_view payload,
                                             uint8_t qos, bool retain) {
  PublishRequest r;
  r.topic = std::string(topic);
  r.payload = std::string(payload);
  r.qos = qos;
  r.retain = retain;
  return core_->Publish(std::move(r), nullptr);
}
absl::StatusOr<uint16_t> Client::Subscribe(SubscribeRequest request) {
  return core_->Subscribe(std::move(request));
}
absl::StatusOr<uint16_t> Client::Subscribe(absl::string_view filter, uint8_t qos) {
  SubscribeRequest r;
  Subscription s;
  s.filter = std::string(filter);
  s.qos = qos;
  r.subscriptions.push_back(std::move(s));
  return core_->Subscribe(std::move(r));
}
absl::StatusOr<uint16_t> Client::Unsubscribe(std::vector<std::string> filters,
                                             Properties properties) {
  return core_->Unsubscribe(std::move(filters), std::move(properties));
}
absl::Status Client::Ack(uint16_t packet_id) { return core_->Ack(packet_id); }
absl::Status Client::ContinueAuthentication(Properties properties) {
  return core_->ContinueAuthentication(std::move(properties));
}
absl::Status Client::Reauthenticate(Properties properties) {
  return core_->Reauthenticate(std::move(properties));
}
std::optional<MessageStatus> Client::DeliveryStatus(MessageToken token) const {
  return core_->DeliveryStatus(token);
}
absl::StatusOr<MessageStatus> Client::WaitForPublish(MessageToken token, absl::Duration timeout) {
  auto core = core_;
  return core->WaitForPublish(token, timeout);
}

absl::Status Client::LoopStart() { return core_->LoopStart(); }
absl::Status Client::LoopStop() {
  auto core = core_;
  return core->LoopStop();
}
absl::Status Client::Loop(absl::Duration timeout) {
  auto core = core_;
  return core->Loop(timeout);
}
absl::Status Client::LoopForever(bool retry_first_connection) {
  auto core = core_;
  return core->LoopForever(retry_first_connection);
}
int Client::Socket() const { return core_->Socket(); }
int Client::WakeFd() const { return core_->WakeFd(); }
bool Client::WantWrite() const { return core_->WantWrite(); }
absl::StatusOr<size_t> Client::LoopRead() {
  auto core = core_;
  return core->LoopRead();
}
absl::StatusOr<size_t> Client::LoopWrite() {
  auto core = core_;
  return core->LoopWrite();
}
absl::Status Client::LoopMisc() {
  auto core = core_;
  return core->LoopMisc();
}
std::optional<absl::Duration> Client::NextTimeout() const { return core_->NextTimeout(); }
ClientStats Client::Stats() const { return core_->Stats(); }
std::string Client::ClientId() const { return core_->ClientId(); }
SessionState Client::session_state() const { return core_->session_state(); }

}  // namespace ouzel
