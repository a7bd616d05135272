// Clock: where the engine gets "now", so the session can be driven by a fake clock in tests.
//
// Times are monotonic (they never jump with the wall clock), expressed as absl::Time on an
// arbitrary epoch; only differences between them mean anything.
//
//   FakeClock clock;
//   Session session(&clock, ...);
//   clock.Advance(absl::Seconds(30));  // the session now sees a keepalive deadline pass
#ifndef OUZEL_CC_BASE_CLOCK_H_
#define OUZEL_CC_BASE_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ouzel {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// Reads std::chrono::steady_clock. Thread-safe; a process-wide instance is returned by Get().
class MonotonicClock final : public Clock {
 public:
  static MonotonicClock* Get();
  absl::Time Now() const override;
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::UnixEpoch() + absl::Hours(1)) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_BASE_CLOCK_H_
