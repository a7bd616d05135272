#include "tools/ouzel/bench/client_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tools/ouzel/cli_client.h"

namespace ouzel_cli {
namespace {

// epoll data: the client's index and which of its descriptors.
constexpr uint64_t kWake = 1;
uint64_t Tag(uint32_t index, uint64_t kind) { return (uint64_t{index} << 1) | kind; }

}  // namespace

ClientLoop::~ClientLoop() {
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

bool ClientLoop::Init(std::string* error) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    *error = std::string("epoll_create1: ") + std::strerror(errno);
    return false;
  }
  return true;
}

ClientLoop::Slot* ClientLoop::SlotAt(uint32_t index) {
  return index < slots_.size() ? slots_[index].get() : nullptr;
}

bool ClientLoop::Add(ouzel_client* client, uint32_t index, std::string* error) {
  if (index >= slots_.size()) slots_.resize(index + 1);
  slots_[index] = std::make_unique<Slot>();
  Slot* s = slots_[index].get();
  s->loop = this;
  s->client = client;
  s->index = index;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = Tag(index, kWake);
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, ouzel_client_wake_fd(client), &ev) != 0) {
    *error = std::string("epoll_ctl(wake descriptor): ") + std::strerror(errno);
    slots_[index].reset();
    return false;
  }
  ouzel_client_set_on_socket_open(client, OnSocketOpen, s, nullptr);
  ouzel_client_set_on_socket_close(client, OnSocketClose, s, nullptr);
  ouzel_client_set_on_socket_register_write(client, OnRegisterWrite, s, nullptr);
  ouzel_client_set_on_socket_unregister_write(client, OnUnregisterWrite, s, nullptr);
  return true;
}

void ClientLoop::Forget(uint32_t index) {
  if (index < slots_.size()) slots_[index].reset();
}

void ClientLoop::Watch(Slot* s, int op) {
  epoll_event ev{};
  ev.events = s->want_write ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
  ev.data.u64 = Tag(s->index, 0);
  epoll_ctl(epoll_fd_, op, s->fd, &ev);
}

void ClientLoop::OnSocketOpen(ouzel_client*, int32_t fd, void* slot) {
  Slot* s = static_cast<Slot*>(slot);
  s->fd = fd;
  s->want_write = false;
  s->loop->Watch(s, EPOLL_CTL_ADD);
}

void ClientLoop::OnSocketClose(ouzel_client*, int32_t fd, void* slot) {
  Slot* s = static_cast<Slot*>(slot);
  epoll_ctl(s->loop->epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  s->fd = -1;
  s->want_write = false;
}

void ClientLoop::OnRegisterWrite(ouzel_client*, int32_t, void* slot) {
  Slot* s = static_cast<Slot*>(slot);
  if (s->want_write) return;
  s->want_write = true;
  if (s->fd >= 0) s->loop->Watch(s, EPOLL_CTL_MOD);
}

void ClientLoop::OnUnregisterWrite(ouzel_client*, int32_t, void* slot) {
  Slot* s = static_cast<Slot*>(slot);
  if (!s->want_write) return;
  s->want_write = false;
  if (s->fd >= 0) s->loop->Watch(s, EPOLL_CTL_MOD);
}

void ClientLoop::Schedule(Slot* s) {
  int32_t ms = ouzel_client_next_timeout_ms(s->client);
  if (ms < 0) return;
  int64_t due = NowMs() + ms;
  // Only an earlier deadline is pushed: an entry that comes due early just runs loop_misc once
  // more and schedules again, which keeps the heap at a few entries per client however often the
  // deadline moves (every packet moves the keepalive one).
  if (due < s->scheduled) {
    s->scheduled = due;
    timers_.push({due, s->index});
  }
}

void ClientLoop::Touch(uint32_t index) {
  Slot* s = SlotAt(index);
  if (s != nullptr) Schedule(s);
}

void ClientLoop::Wait(int timeout_ms) {
  epoll_event events[512];
  int n = epoll_wait(epoll_fd_, events, 512, timeout_ms);
  for (int i = 0; i < n; ++i) {
    uint32_t index = static_cast<uint32_t>(events[i].data.u64 >> 1);
    Slot* s = SlotAt(index);
    if (s == nullptr) continue;
    if ((events[i].data.u64 & kWake) != 0) {
      ouzel_client_loop_misc(s->client);
    } else if (s->fd >= 0) {
      // Errors end the connection inside these calls; the client's on_disconnect reports them.
      if ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) {
        ouzel_client_loop_read(s->client);
      }
      if (s->fd >= 0 && (events[i].events & EPOLLOUT) != 0) ouzel_client_loop_write(s->client);
    }
    Schedule(s);
  }
}

void ClientLoop::RunTimers() {
  int64_t now = NowMs();
  while (!timers_.empty() && timers_.top().first <= now) {
    Entry e = timers_.top();
    timers_.pop();
    Slot* s = SlotAt(e.second);
    if (s == nullptr || s->scheduled != e.first) continue;  // superseded by an earlier entry
    s->scheduled = INT64_MAX;
    ouzel_client_loop_misc(s->client);
    Schedule(s);
  }
}

int ClientLoop::MillisUntilNextTimer(int cap) {
  // Drop stale entries so a superseded one does not cut the wait short.
  while (!timers_.empty()) {
    Slot* s = SlotAt(timers_.top().second);
    if (s != nullptr && s->scheduled == timers_.top().first) break;
    timers_.pop();
  }
  if (timers_.empty()) return cap;
  int64_t wait = timers_.top().first - NowMs();
  if (wait < 0) return 0;
  return wait < cap ? static_cast<int>(wait) : cap;
}

}  // namespace ouzel_cli
