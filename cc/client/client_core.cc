// Core's lifetime and who may drive it: construction, destruction (Shutdown for ~Client), the
// one-driver-at-a-time guard and the thread-local stack that tells a callback's thread apart.
#include "cc/client/client_core.h"

#include <random>
#include <thread>
#include <utility>

#include "cc/base/busy_status.h"

namespace ouzel {
namespace client_internal {
namespace {
// The clients the current thread is driving, innermost first.
thread_local DriveScope* t_driving = nullptr;
}  // namespace

Core::Core(ClientOptions options, std::vector<ServerAddress> servers, std::shared_ptr<Waker> waker,
           std::unique_ptr<EventQueue> event_queue)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : MonotonicClock::Get()),
      waker_(std::move(waker)),
      // Always: besides sessions (used only with session_resumption) it keeps the TLS context,
      // so reconnects do not re-read certificates and CA bundles that did not change.
      tls_sessions_(std::make_shared<TlsSessionCache>()),
      store_(options_.store != nullptr ? options_.store : options_.shared_store.get()),
      app_manual_ack_(options_.session.manual_ack),
      event_queue_(std::move(event_queue)),
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
      loop_interrupt_fd_(options_.loop_interrupt_fd),
      backoff_(options_.reconnect_min_delay, options_.reconnect_max_delay,
               options_.reconnect_jitter, std::random_device{}()) {
  read_buf_.resize(std::max<size_t>(options_.read_buffer_bytes, 1024));
  if (event_queue_) {
    // LogEvents are queued from the queue's own threshold, as a registered on_log would be.
    const std::optional<LogLevel>& level = event_queue_->options().log_level;
    has_log_callback_.store(level.has_value());
    if (level.has_value()) log_level_.store(static_cast<uint8_t>(*level));
  }
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

}  // namespace client_internal
}  // namespace ouzel
