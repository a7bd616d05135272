// Backoff: the delays between reconnection attempts.
//
// Exponential: min, 2·min, 4·min, ... capped at max. Each delay is then scaled by a random factor
// in [1 - jitter, 1], so many clients dropped by one broker restart do not all come back in the
// same instant, and no delay ever exceeds max. jitter = 0 gives paho's exact doubling. Reset()
// (after a successful CONNACK) starts again from min.
//
//   Backoff b(absl::Seconds(1), absl::Seconds(120), 0.2, seed);
//   absl::Duration d = b.Next();   // in [0.8s, 1s]; then [1.6s, 2s], ...
#ifndef OUZEL_CC_CLIENT_BACKOFF_H_
#define OUZEL_CC_CLIENT_BACKOFF_H_

#include <cstdint>
#include <random>

#include "absl/time/time.h"

namespace ouzel {

class Backoff {
 public:
  // min <= max; jitter in [0, 1] (clamped).
  Backoff(absl::Duration min, absl::Duration max, double jitter, uint64_t seed);

  absl::Duration Next();
  void Reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }
  void Configure(absl::Duration min, absl::Duration max, double jitter);

 private:
  absl::Duration min_;
  absl::Duration max_;
  double jitter_;
  int attempts_ = 0;
  std::mt19937_64 random_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_CLIENT_BACKOFF_H_
