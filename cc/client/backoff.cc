#include "cc/client/backoff.h"

#include <algorithm>

namespace ouzel {

Backoff::Backoff(absl::Duration min, absl::Duration max, double jitter, uint64_t seed)
    : random_(seed) {
  Configure(min, max, jitter);
}

void Backoff::Configure(absl::Duration min, absl::Duration max, double jitter) {
  min_ = std::max(min, absl::ZeroDuration());
  max_ = std::max(max, min_);
  jitter_ = std::clamp(jitter, 0.0, 1.0);
}

absl::Duration Backoff::Next() {
  absl::Duration d = min_;
  // Doubling stops at max (and at 62 steps, far past any sane max).
  for (int i = 0; i < attempts_ && d < max_ && i < 62; ++i) d *= 2;
  d = std::min(d, max_);
  ++attempts_;
  if (jitter_ > 0 && d > absl::ZeroDuration()) {
    double u = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    d = d * (1.0 - jitter_ * u);
  }
  return d;
}

}  // namespace ouzel
