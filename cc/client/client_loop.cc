// The driver loop and its timers: the loop entry points of the three modes (library thread,
// caller's thread, external loop), one iteration (Iterate, DoMisc), timers and the next wake-up.
#include <poll.h>
#include <pthread.h>

#include <system_error>
#include <utility>

#include "cc/base/busy_status.h"
#include "cc/client/client_core.h"

namespace ouzel {
namespace client_internal {

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
      // A Loop() waiting on another thread returns all the same, so whoever calls Loop in its
      // own loop can be told to look at its stop condition (the Python binding's loop_forever).
      waker_->Wake();
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
  interrupted_ = false;
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
    if (std::exchange(interrupted_, false)) break;  // loop_interrupt_fd is readable
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

  pollfd fds[3];
  nfds_t nfds = 1;
  fds[0] = {waker_->fd(), POLLIN, 0};
  nfds_t transport_index = 0;  // 0: not polled
  int fd = transport_ ? transport_->fd() : -1;
  if (fd >= 0) {
    short events = 0;
    IoInterest interest = transport_->interest();
    // Paused reading (event queue full) leaves the socket unwatched for input: the waker says
    // when releases made room.
    if ((link_ == Link::kUp && !read_paused_) || WantsRead(interest)) events |= POLLIN;
    if (WantsWrite(interest) || (link_ == Link::kUp && write_off_ < write_buf_.size())) {
      events |= POLLOUT;
    }
    // Without interest the descriptor is left out: a hang-up would otherwise be reported at
    // once, again and again, while nothing is read.
    if (events != 0) {
      transport_index = nfds;
      fds[nfds++] = {fd, events, 0};
    }
  }
  nfds_t interrupt_index = 0;
  if (int interrupt_fd = loop_interrupt_fd_.load(std::memory_order_relaxed); interrupt_fd >= 0) {
    interrupt_index = nfds;
    fds[nfds++] = {interrupt_fd, POLLIN, 0};
  }
  absl::Duration wait = std::min(max_wait, NextWakeTime() - Now());
  if (transport_ && link_ == Link::kUp && !read_paused_ && transport_->HasBufferedInput()) {
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
  if (ready > 0 && interrupt_index != 0 && fds[interrupt_index].revents != 0) interrupted_ = true;
  if (ready > 0 && transport_index != 0 && fds[transport_index].revents != 0 && transport_ &&
      transport_->fd() == fd) {
    short re = fds[transport_index].revents;
    if (link_ == Link::kConnecting) {
      ContinueAttempt(now);
    } else if (link_ == Link::kUp) {
      if (read_paused_ && (re & (POLLERR | POLLHUP))) {
        DropLink(now,
                 absl::UnavailableError(
                     "the connection failed while reading was paused (event queue full)"),
                 /*schedule=*/true);
      } else if (re & (POLLIN | POLLERR | POLLHUP)) {
        ReadAvailable(now);
      }
      if (link_ == Link::kUp && (re & POLLOUT)) FlushOutput(now);
    }
  }
  if (transport_ && link_ == Link::kUp && !read_paused_ && transport_->HasBufferedInput()) {
    ReadAvailable(now);
  }
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
    // Releases made room in the event queue (they wake the loop): held-back bytes go first.
    if (read_paused_ && link_ == Link::kUp) ResumeReading(now);
    // Bytes a transport holds decoded (TLS records) never make its socket readable again.
    if (link_ == Link::kUp && !read_paused_ && transport_->HasBufferedInput()) ReadAvailable(now);
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
  if (link_ == Link::kUp && !read_paused_ && transport_->HasBufferedInput()) waker_->Wake();
  // The driver waits (or returns to an external loop) next. Bytes read that nothing written has
  // answered are acknowledged now: a broker with Nagle on holds its next packet for that ACK,
  // which the kernel would otherwise delay by up to 40 ms (docs/performance.md).
  if (link_ == Link::kUp) transport_->AcknowledgeNow();
  UpdateExternalState();
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

}  // namespace client_internal
}  // namespace ouzel
