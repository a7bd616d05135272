#include "cc/client/client_test_util.h"

#include <poll.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace ouzel {
namespace testing {

const char* LoopModeName(LoopMode mode) {
  switch (mode) {
    case LoopMode::kThread:
      return "Thread";
    case LoopMode::kCaller:
      return "Caller";
    case LoopMode::kExternal:
      return "External";
  }
  return "?";
}

bool WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() >= deadline) return done();
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

LoopRunner::LoopRunner(Client* client, LoopMode mode) : client_(client), mode_(mode) {
  if (mode_ == LoopMode::kThread) {
    absl::Status s = client_->LoopStart();
    if (!s.ok()) hook_errors_.push_back(absl::StrCat("LoopStart: ", s.ToString()));
  }
  if (mode_ == LoopMode::kExternal) {
    client_->SetOnSocketOpen([this](int fd) {
      std::lock_guard<std::mutex> lock(mu_);
      if (hooked_fd_ >= 0) hook_errors_.push_back(absl::StrCat("open ", fd, " while ", hooked_fd_));
      hooked_fd_ = fd;
      ++sockets_opened_;
    });
    client_->SetOnSocketClose([this](int fd) {
      std::lock_guard<std::mutex> lock(mu_);
      if (fd != hooked_fd_) hook_errors_.push_back(absl::StrCat("close ", fd, " not ", hooked_fd_));
      if (write_watched_) hook_errors_.push_back("close while write still registered");
      hooked_fd_ = -1;
    });
    client_->SetOnSocketRegisterWrite([this](int fd) {
      std::lock_guard<std::mutex> lock(mu_);
      if (fd != hooked_fd_) hook_errors_.push_back(absl::StrCat("register_write on ", fd));
      if (write_watched_) hook_errors_.push_back("register_write twice");
      write_watched_ = true;
    });
    client_->SetOnSocketUnregisterWrite([this](int fd) {
      std::lock_guard<std::mutex> lock(mu_);
      if (fd != hooked_fd_) hook_errors_.push_back(absl::StrCat("unregister_write on ", fd));
      if (!write_watched_) hook_errors_.push_back("unregister_write without register");
      write_watched_ = false;
    });
  }
}

LoopRunner::~LoopRunner() {
  if (mode_ == LoopMode::kThread) client_->LoopStop().IgnoreError();
}

std::vector<std::string> LoopRunner::hook_errors() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hook_errors_;
}

int LoopRunner::sockets_opened() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sockets_opened_;
}

void LoopRunner::ExternalStep(absl::Duration max_wait) {
  int fd;
  bool want_write;
  {
    std::lock_guard<std::mutex> lock(mu_);
    fd = hooked_fd_;
    want_write = write_watched_;
  }
  if (fd != client_->Socket()) {
    std::lock_guard<std::mutex> lock(mu_);
    hook_errors_.push_back(
        absl::StrCat("hooks say fd ", fd, ", Socket() says ", client_->Socket()));
  }
  pollfd fds[2] = {{client_->WakeFd(), POLLIN, 0}, {fd, POLLIN, 0}};
  if (want_write) fds[1].events |= POLLOUT;
  absl::Duration wait = max_wait;
  if (std::optional<absl::Duration> t = client_->NextTimeout()) wait = std::min(wait, *t);
  int ms = static_cast<int>(absl::ToInt64Milliseconds(wait + absl::Microseconds(999)));
  int n = poll(fds, fd >= 0 ? 2 : 1, std::max(ms, 0));
  if (n > 0 && fd >= 0 && fds[1].revents != 0) {
    if (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) client_->LoopRead().IgnoreError();
    if (fds[1].revents & POLLOUT) client_->LoopWrite().IgnoreError();
  }
  // WakeFd readable, or a timer due (NextTimeout passed): LoopMisc.
  std::optional<absl::Duration> t = client_->NextTimeout();
  if ((n > 0 && fds[0].revents != 0) || (t && *t <= absl::ZeroDuration())) {
    client_->LoopMisc().IgnoreError();
  }
}

bool LoopRunner::RunUntil(const std::function<bool()>& done, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    absl::Time now = absl::Now();
    if (now >= deadline) return done();
    absl::Duration slice = std::min(absl::Milliseconds(20), deadline - now);
    switch (mode_) {
      case LoopMode::kThread:
        absl::SleepFor(std::min(absl::Milliseconds(1), slice));
        break;
      case LoopMode::kCaller:
        client_->Loop(slice).IgnoreError();
        break;
      case LoopMode::kExternal:
        ExternalStep(slice);
        break;
    }
  }
  return true;
}

void LoopRunner::RunFor(absl::Duration d) {
  RunUntil([] { return false; }, d);
}

struct EventRecorder::Scope {
  Scope(EventRecorder* r, const std::string& what) : r(r) { r->Enter(what); }
  ~Scope() { r->Leave(); }
  EventRecorder* r;
};

void EventRecorder::Enter(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  if (active_ > 0) overlapped_ = true;
  ++active_;
  threads_.insert(std::this_thread::get_id());
  order_.push_back(what);
}

void EventRecorder::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  --active_;
}

void EventRecorder::Attach(Client* client) {
  client->SetOnConnect([this](const ConnectedEvent& e) {
    Scope s(this, "connect");
    std::lock_guard<std::mutex> lock(mu_);
    connected_.push_back(e);
  });
  client->SetOnConnectFailed([this](const ConnectFailedEvent& e) {
    Scope s(this, "connect_failed");
    std::lock_guard<std::mutex> lock(mu_);
    connect_failed_.push_back(e);
  });
  client->SetOnDisconnect([this](const DisconnectedEvent& e) {
    Scope s(this, "disconnect");
    std::lock_guard<std::mutex> lock(mu_);
    disconnected_.push_back(e);
  });
  client->SetOnMessage([this](const Message& m) {
    Scope s(this, absl::StrCat("message ", m.topic));
    std::lock_guard<std::mutex> lock(mu_);
    messages_.push_back(m);
  });
  client->SetOnPublish([this](const PublishDoneEvent& e) {
    Scope s(this, "publish");
    std::lock_guard<std::mutex> lock(mu_);
    published_.push_back(e);
  });
  client->SetOnSubscribe([this](const SubscribeDoneEvent& e) {
    Scope s(this, "subscribe");
    std::lock_guard<std::mutex> lock(mu_);
    subscribed_.push_back(e);
  });
  client->SetOnUnsubscribe([this](const UnsubscribeDoneEvent& e) {
    Scope s(this, "unsubscribe");
    std::lock_guard<std::mutex> lock(mu_);
    unsubscribed_.push_back(e);
  });
  client->SetLogLevel(LogLevel::kDebug);
  client->SetOnLog([this](LogLevel level, absl::string_view text) {
    std::lock_guard<std::mutex> lock(mu_);
    logs_.push_back(absl::StrCat(LogLevelName(level), ": ", text));
  });
}

int EventRecorder::connects() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(connected_.size());
}
int EventRecorder::connect_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(connect_failed_.size());
}
int EventRecorder::disconnects() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(disconnected_.size());
}
std::vector<ConnectedEvent> EventRecorder::connected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connected_;
}
std::vector<ConnectFailedEvent> EventRecorder::connect_failed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connect_failed_;
}
std::vector<DisconnectedEvent> EventRecorder::disconnected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return disconnected_;
}
std::vector<Message> EventRecorder::messages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}
std::vector<PublishDoneEvent> EventRecorder::published() const {
  std::lock_guard<std::mutex> lock(mu_);
  return published_;
}
std::vector<SubscribeDoneEvent> EventRecorder::subscribed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return subscribed_;
}
std::vector<UnsubscribeDoneEvent> EventRecorder::unsubscribed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unsubscribed_;
}
std::vector<std::string> EventRecorder::logs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return logs_;
}
std::vector<std::string> EventRecorder::order() const {
  std::lock_guard<std::mutex> lock(mu_);
  return order_;
}
size_t EventRecorder::callback_threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_.size();
}
bool EventRecorder::overlapped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return overlapped_;
}

}  // namespace testing
}  // namespace ouzel
