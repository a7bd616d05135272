#include "cc/base/clock.h"

#include <chrono>

namespace ouzel {

MonotonicClock* MonotonicClock::Get() {
  static MonotonicClock* clock = new MonotonicClock();
  return clock;
}

absl::Time MonotonicClock::Now() const {
  auto since_boot = std::chrono::steady_clock::now().time_since_epoch();
  return absl::UnixEpoch() +
         absl::FromChrono(std::chrono::duration_cast<std::chrono::nanoseconds>(since_boot));
}

}  // namespace ouzel
