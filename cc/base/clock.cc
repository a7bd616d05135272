#include "cc/base/clock.h"

#include <chrono>

namespace ouzel {

MonotonicClock* MonotonicClock::Get() {
  // A static object rather than a leaked heap one: libouzel.so can be dlclose()d, and a heap
  // singleton would then be a real leak (LeakSanitizer reports it). It has no state to destroy.
  static MonotonicClock clock;
  return &clock;
}

absl::Time MonotonicClock::Now() const {
  auto since_boot = std::chrono::steady_clock::now().time_since_epoch();
  return absl::UnixEpoch() +
         absl::FromChrono(std::chrono::duration_cast<std::chrono::nanoseconds>(since_boot));
}

}  // namespace ouzel
