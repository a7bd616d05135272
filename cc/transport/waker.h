// Waker: wakes a thread blocked in poll(2) from any other thread (an eventfd).
//
// The loop polls fd() for reading; other threads call Wake(). Wakes coalesce: while one is
// pending, further Wake() calls cost an atomic read and no system call, so a burst of publishes
// from other threads costs one eventfd write per loop iteration. The loop calls Consume() before
// it looks at shared state, which re-arms it.
//
//   OUZEL_ASSIGN_OR_RETURN(std::shared_ptr<Waker> waker, Waker::Create());
//   // other thread: enqueue work under a lock, then waker->Wake();
//   // loop thread: poll({waker->fd(), POLLIN}, ...); waker->Consume(); then take the work.
#ifndef OUZEL_CC_TRANSPORT_WAKER_H_
#define OUZEL_CC_TRANSPORT_WAKER_H_

#include <atomic>
#include <memory>

#include "absl/status/statusor.h"

namespace ouzel {

class Waker {
 public:
  // Internal on failure to create the eventfd (out of file descriptors).
  static absl::StatusOr<std::shared_ptr<Waker>> Create();
  ~Waker();
  Waker(const Waker&) = delete;
  Waker& operator=(const Waker&) = delete;

  // Thread-safe. Makes fd() readable unless a wake is already pending.
  void Wake();
  // Loop thread. Clears a pending wake (fd() no longer readable); true if one was pending.
  bool Consume();
  // Readable while a wake is pending. Owned by the Waker.
  int fd() const { return fd_; }

 private:
  explicit Waker(int fd) : fd_(fd) {}
  const int fd_;
  std::atomic<bool> pending_{false};
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_WAKER_H_
