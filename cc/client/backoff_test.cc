#include "cc/client/backoff.h"

#include "gtest/gtest.h"

namespace ouzel {
namespace {

TEST(BackoffTest, WithoutJitterDoublesFromMinUpToMax) {
  Backoff b(absl::Seconds(1), absl::Seconds(10), 0.0, 1);
  EXPECT_EQ(b.Next(), absl::Seconds(1));
  EXPECT_EQ(b.Next(), absl::Seconds(2));
  EXPECT_EQ(b.Next(), absl::Seconds(4));
  EXPECT_EQ(b.Next(), absl::Seconds(8));
  EXPECT_EQ(b.Next(), absl::Seconds(10));
  EXPECT_EQ(b.Next(), absl::Seconds(10));
  EXPECT_EQ(b.attempts(), 6);
}

TEST(BackoffTest, ResetStartsAgainFromMin) {
  Backoff b(absl::Milliseconds(100), absl::Seconds(10), 0.0, 1);
  b.Next();
  b.Next();
  b.Next();
  b.Reset();
  EXPECT_EQ(b.Next(), absl::Milliseconds(100));
}

TEST(BackoffTest, JitterStaysWithinItsBandAndNeverExceedsMax) {
  Backoff b(absl::Seconds(1), absl::Seconds(8), 0.5, 42);
  absl::Duration nominal = absl::Seconds(1);
  bool varied = false;
  absl::Duration first_seen;
  for (int i = 0; i < 50; ++i) {
    absl::Duration d = b.Next();
    EXPECT_LE(d, nominal) << i;
    EXPECT_GE(d, nominal * 0.5) << i;
    EXPECT_LE(d, absl::Seconds(8));
    if (i >= 3) {
      if (i == 3) first_seen = d;
      if (d != first_seen) varied = true;
    }
    nominal = std::min(nominal * 2, absl::Seconds(8));
  }
  EXPECT_TRUE(varied) << "jitter produced the same delay every time";
}

TEST(BackoffTest, ZeroMinMeansImmediateRetries) {
  Backoff b(absl::ZeroDuration(), absl::Seconds(1), 0.3, 7);
  EXPECT_EQ(b.Next(), absl::ZeroDuration());
  EXPECT_EQ(b.Next(), absl::ZeroDuration());
}

TEST(BackoffTest, MaxBelowMinIsRaisedToMin) {
  Backoff b(absl::Seconds(5), absl::Seconds(1), 0.0, 1);
  EXPECT_EQ(b.Next(), absl::Seconds(5));
  EXPECT_EQ(b.Next(), absl::Seconds(5));
}

}  // namespace
}  // namespace ouzel
