// Request intake: the thread-safe calls API threads make (each a short lock around the Session,
// then a wake), and ProcessRequests, where the driver picks up connect/reconnect/abort requests.
#include <algorithm>
#include <chrono>
#include <utility>

#include "cc/base/busy_status.h"
#include "cc/base/status_macros.h"
#include "cc/client/client_core.h"

namespace ouzel {
namespace client_internal {

void Core::UpdateCallbacks(const std::function<void(ClientCallbacks&)>& edit) {
  std::shared_ptr<const ClientCallbacks> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return;
    auto next = std::make_shared<ClientCallbacks>(callbacks_ ? *callbacks_ : ClientCallbacks{});
    edit(*next);
    // With an event queue LogEvents are queued per its options, whatever the callbacks.
    if (!event_queue_) has_log_callback_.store(static_cast<bool>(next->on_log));
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
    if (link_mirror_ == Link::kUp && state == SessionState::kDisconnecting) {
      // An earlier call's DISCONNECT is queued or on the wire. Aborting now would drop it with
      // the output and make the broker publish the Will (issue 17): a repeat call changes nothing.
      return absl::OkStatus();
    }
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

absl::Status Core::CheckPublishSize(size_t topic_len, size_t payload_len, uint8_t qos,
                                    size_t properties_len) const {
  std::lock_guard<std::mutex> lock(mu_);
  return session_.CheckPublishSize(topic_len, payload_len, qos, properties_len);
}

bool Core::IsConnected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return link_mirror_ == Link::kUp && session_.state() == SessionState::kConnected;
}

ConnectionState Core::connection_state() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (closing_.load()) return ConnectionState::kDisconnected;
  if (link_mirror_ == Link::kNone) {
    if (want_connected_) return ConnectionState::kConnectPending;
    // Not wanted: asked for (Disconnect), never asked, or given up without being asked.
    return user_disconnected_ || connect_request_ == 0 ? ConnectionState::kDisconnected
                                                       : ConnectionState::kConnectionLost;
  }
  // A link exists. Without want_connected_, Disconnect is taking it down.
  if (!want_connected_) return ConnectionState::kDisconnecting;
  if (link_mirror_ == Link::kConnecting) return ConnectionState::kConnecting;
  switch (session_.state()) {
    case SessionState::kConnecting:
      return ConnectionState::kConnecting;
    case SessionState::kConnected:
      return ConnectionState::kConnected;
    case SessionState::kDisconnecting:
    case SessionState::kDisconnected:  // the transport is down, the driver not yet told
      break;
  }
  return ConnectionState::kDisconnecting;
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
    if (!options.event_queue.SameQueue(options_.event_queue)) {
      return absl::InvalidArgumentError(
          "the event queue options cannot change on an existing client (create a new client)");
    }
    OUZEL_RETURN_IF_ERROR(session_.UpdateOptions(WithManualAck(std::move(options.session)),
                                                 as_first_connection, Now()));
    servers_ = std::move(servers);
    auto_reconnect_ = options.auto_reconnect;
    loop_interrupt_fd_.store(options.loop_interrupt_fd, std::memory_order_relaxed);
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
  absl::Status s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_.load()) return absl::CancelledError("the client is being destroyed");
    auto withheld = std::find(withheld_.begin(), withheld_.end(), packet_id);
    // With an event queue, a message released with its acknowledgement withheld is acked here.
    if (!app_manual_ack_ && !event_queue_ && withheld == withheld_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Ack needs SessionOptions::manual_ack, or a message whose acknowledgement WithholdAck "
          "kept back on this connection (packet id ",
          packet_id, " is not one)"));
    }
    s = session_.Ack(packet_id, Now());
    if (withheld != withheld_.end() && (s.ok() || absl::IsNotFound(s))) withheld_.erase(withheld);
  }
  if (s.ok()) WakeLoop();
  return s;
}

absl::Status Core::WithholdAck() {
  // delivering_ belongs to the driver: only the loop thread, inside Dispatch, may look at it.
  if (!IsLoopThread() || delivering_ == nullptr) {
    return BusyError("WithholdAck works only inside on_message, for the message being delivered");
  }
  if (app_manual_ack_) {
    return absl::InvalidArgumentError(
        "WithholdAck is for automatic acknowledgement; with manual_ack nothing is acknowledged "
        "until Ack");
  }
  if (delivering_->qos == 0) {
    return absl::InvalidArgumentError("a QoS 0 message has no acknowledgement to withhold");
  }
  withhold_delivering_ = true;
  return absl::OkStatus();
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

}  // namespace client_internal
}  // namespace ouzel
