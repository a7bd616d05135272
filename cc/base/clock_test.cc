#include "cc/base/clock.h"

#include "gtest/gtest.h"

namespace ouzel {
namespace {

TEST(FakeClock, MovesOnlyWhenAdvanced) {
  FakeClock clock;
  absl::Time t0 = clock.Now();
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(absl::Seconds(30));
  EXPECT_EQ(clock.Now() - t0, absl::Seconds(30));
}

TEST(MonotonicClock, NeverGoesBackwards) {
  Clock* clock = MonotonicClock::Get();
  absl::Time prev = clock->Now();
  for (int i = 0; i < 1000; ++i) {
    absl::Time now = clock->Now();
    EXPECT_GE(now, prev);
    prev = now;
  }
}

}  // namespace
}  // namespace ouzel
