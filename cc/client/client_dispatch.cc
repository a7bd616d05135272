// Event dispatch: the session's events taken with their bookkeeping (counters, redirects), then
// handed to the callbacks in order with no lock held; automatic acks; external-loop socket hooks.
#include <algorithm>
#include <utility>

#include "cc/client/client_core.h"
#include "cc/client/server_reference.h"

namespace ouzel {
namespace client_internal {

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
    if (event_queue_) event_queue_->NoteTakenLocked(e, session_.session_resumed());
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
        ++connections_unseen_;
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
  if (event_queue_) {
    // The whole batch in one go: one wake-up for the poller however many events.
    if (!closing_.load()) event_queue_->Push(pending_events_);
    pending_events_.clear();
    // A Loop() caller that polls the queue between iterations gets them now, not after the
    // iteration's wait.
    skip_poll_ = true;
    return;
  }
  for (size_t i = 0; i < pending_events_.size(); ++i) {
    if (closing_.load()) break;
    ClientEvent event = std::move(pending_events_[i]);
    const ClientCallbacks* cb = CurrentCallbacks();
    if (cb != nullptr) Invoke(*cb, event);
    if (!app_manual_ack_) AutoAck(event);
    withhold_delivering_ = false;
    if (auto* e = std::get_if<SessionEvent>(&event); e != nullptr) {
      if (std::holds_alternative<DisconnectedEvent>(*e)) {
        // Withheld messages of the connection that ended are the server's to send again.
        std::lock_guard<std::mutex> lock(mu_);
        withheld_.clear();
      } else if (auto* c = std::get_if<ConnectedEvent>(e); c != nullptr && c->reason_code == 0) {
        std::lock_guard<std::mutex> lock(mu_);
        ConnectionSeenLocked(1);
        TakeSessionEventsLocked(Now());  // what the release ended (a message now too large)
      }
    }
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

void Core::ConnectionSeenLocked(size_t count) {
  // Output held since CONNACK (SessionOptions::hold_output_until_released) goes once the
  // application has seen every connection reported so far: a stale event of a connection that
  // has since been replaced must not release the new one's.
  connections_unseen_ -= std::min(count, connections_unseen_);
  if (connections_unseen_ == 0) session_.ReleaseHeldOutput(Now());
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
    if (cb.on_message) {
      delivering_ = &m->message;
      withhold_delivering_ = false;
      cb.on_message(m->message);
      delivering_ = nullptr;
    }
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
  if (withhold_delivering_) {  // WithholdAck inside on_message: Ack may send it later
    if (session_.state() != SessionState::kDisconnecting) {
      withheld_.push_back(m->message.packet_id);
    }
    return;
  }
  // Messages are dispatched in arrival order, so the acks keep that order [MQTT-4.6.0-2/3]; the
  // bytes go out with the FlushOutput that follows every Dispatch in DoMisc.
  AckLocked(m->message.packet_id);
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
}  // namespace ouzel
