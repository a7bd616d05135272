#include "cc/transport/waker.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ouzel {

absl::StatusOr<std::shared_ptr<Waker>> Waker::Create() {
  int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("eventfd: ", std::strerror(errno)));
  }
  return std::shared_ptr<Waker>(new Waker(fd));
}

Waker::~Waker() { close(fd_); }

void Waker::Wake() {
  // acq_rel: the work enqueued before Wake() happens-before the loop's Consume() that sees it.
  if (pending_.exchange(true, std::memory_order_acq_rel)) return;
  uint64_t one = 1;
  // EAGAIN means the counter is saturated, i.e. already readable; nothing else can fail here.
  ssize_t n = write(fd_, &one, sizeof(one));
  (void)n;
}

bool Waker::Consume() {
  if (!pending_.load(std::memory_order_acquire)) return false;
  // Drain first, then re-arm: a Wake() that lands in between sees `pending_` still set and skips
  // its write, but its work was published before it, so the caller (who looks at shared state
  // after Consume) sees it. Re-arming first would let that write be drained while `pending_`
  // stays set, and every later Wake() would be lost.
  uint64_t value = 0;
  ssize_t n = read(fd_, &value, sizeof(value));
  (void)n;
  pending_.store(false, std::memory_order_release);
  return true;
}

}  // namespace ouzel
