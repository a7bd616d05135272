// Connection attempts and back-off: starting and continuing a transport, its success or failure,
// dropping a link, choosing the next server (redirects, the server list, backoff) and teardown.
#include <utility>

#include "cc/client/client_core.h"

namespace ouzel {
namespace client_internal {

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
  // Bytes held back for room in the event queue go with their connection: the server sends its
  // QoS 1/2 messages again on a resumed session (none was acknowledged).
  ClearPausedReading();
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

}  // namespace client_internal
}  // namespace ouzel
