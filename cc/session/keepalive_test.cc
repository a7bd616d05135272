#include "cc/session/keepalive.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

const absl::Time kT0 = absl::UnixEpoch() + absl::Hours(1);

TEST(Keepalive, Off_NoDeadlineNoAction) {
  Keepalive k;
  EXPECT_FALSE(k.NextDeadline().has_value());
  EXPECT_EQ(k.Check(kT0 + absl::Hours(5)), Keepalive::Action::kNone);
}

TEST(Keepalive, Connecting_TimesOutAtTheConnectDeadline) {
  Keepalive k;
  k.StartConnect(kT0, absl::Seconds(30));
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(30));
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(29)), Keepalive::Action::kNone);
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(30)), Keepalive::Action::kConnectTimedOut);
}

TEST(Keepalive, Connecting_ZeroTimeout_NoLimit) {
  Keepalive k;
  k.StartConnect(kT0, absl::ZeroDuration());
  EXPECT_FALSE(k.NextDeadline().has_value());
  EXPECT_EQ(k.Check(kT0 + absl::Hours(100)), Keepalive::Action::kNone);
}

TEST(Keepalive, Idle_PingreqAfterKeepAliveSinceLastSend) {
  Keepalive k;
  k.StartConnect(kT0, absl::Seconds(30));
  k.OnSent(kT0);  // CONNECT
  k.Start(kT0 + absl::Seconds(1), absl::Seconds(10), absl::ZeroDuration());
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(10));
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(9)), Keepalive::Action::kNone);
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(10)), Keepalive::Action::kSendPingreq);
  EXPECT_TRUE(k.ping_outstanding());
}

TEST(Keepalive, Sending_PushesThePingBack) {
  Keepalive k;
  k.Start(kT0, absl::Seconds(10), absl::ZeroDuration());
  k.OnSent(kT0 + absl::Seconds(8));
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(10)), Keepalive::Action::kNone);
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(18));
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(18)), Keepalive::Action::kSendPingreq);
}

TEST(Keepalive, NoPingresp_DeadAfterPingTimeoutDefaultingToKeepAlive) {
  Keepalive k;
  k.Start(kT0, absl::Seconds(10), absl::ZeroDuration());
  ASSERT_EQ(k.Check(kT0 + absl::Seconds(10)), Keepalive::Action::kSendPingreq);
  k.OnSent(kT0 + absl::Seconds(10));  // the PINGREQ itself
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(20));
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(19)), Keepalive::Action::kNone);
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(20)), Keepalive::Action::kPingTimedOut);
}

TEST(Keepalive, Pingresp_ClearsTheTimeout) {
  Keepalive k;
  k.Start(kT0, absl::Seconds(10), absl::Seconds(3));
  ASSERT_EQ(k.Check(kT0 + absl::Seconds(10)), Keepalive::Action::kSendPingreq);
  k.OnSent(kT0 + absl::Seconds(10));
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(13));
  k.OnPingresp();
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(13)), Keepalive::Action::kNone);
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(20));
}

TEST(Keepalive, KeepAliveZero_Disabled) {
  Keepalive k;
  k.Start(kT0, absl::ZeroDuration(), absl::ZeroDuration());
  EXPECT_FALSE(k.NextDeadline().has_value());
  EXPECT_EQ(k.Check(kT0 + absl::Hours(10)), Keepalive::Action::kNone);
}

TEST(Keepalive, Stop_ClearsDeadlines) {
  Keepalive k;
  k.Start(kT0, absl::Seconds(10), absl::ZeroDuration());
  k.Stop();
  EXPECT_FALSE(k.NextDeadline().has_value());
}

TEST(Keepalive, ReadPaused_PingsContinueAndNoPingTimeout) {
  Keepalive k;
  k.Start(kT0, absl::Seconds(10), absl::Seconds(3));
  ASSERT_EQ(k.Check(kT0 + absl::Seconds(10)), Keepalive::Action::kSendPingreq);
  k.OnSent(kT0 + absl::Seconds(10));
  k.SetReadPaused(true, kT0 + absl::Seconds(11));
  // The PINGRESP cannot be read: no timeout, but the next PINGREQ is still due on time.
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(20));
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(19)), Keepalive::Action::kNone);
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(20)), Keepalive::Action::kSendPingreq);
  k.OnSent(kT0 + absl::Seconds(20));
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(29)), Keepalive::Action::kNone);
}

TEST(Keepalive, ReadResumed_PingTimeoutCountsFromTheResume) {
  Keepalive k;
  k.Start(kT0, absl::Seconds(10), absl::Seconds(3));
  ASSERT_EQ(k.Check(kT0 + absl::Seconds(10)), Keepalive::Action::kSendPingreq);
  k.OnSent(kT0 + absl::Seconds(10));
  k.SetReadPaused(true, kT0 + absl::Seconds(11));
  k.SetReadPaused(false, kT0 + absl::Seconds(15));
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(18));
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(17)), Keepalive::Action::kNone);
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(18)), Keepalive::Action::kPingTimedOut);
}

TEST(Keepalive, ReadResumed_PingrespClearsTheWait) {
  Keepalive k;
  k.Start(kT0, absl::Seconds(10), absl::Seconds(3));
  ASSERT_EQ(k.Check(kT0 + absl::Seconds(10)), Keepalive::Action::kSendPingreq);
  k.OnSent(kT0 + absl::Seconds(10));
  k.SetReadPaused(true, kT0 + absl::Seconds(11));
  k.SetReadPaused(false, kT0 + absl::Seconds(12));
  k.OnPingresp();
  EXPECT_EQ(k.Check(kT0 + absl::Seconds(15)), Keepalive::Action::kNone);
  EXPECT_EQ(k.NextDeadline(), kT0 + absl::Seconds(20));
}

TEST(Keepalive, Start_EndsAPause) {
  Keepalive k;
  k.Start(kT0, absl::Seconds(10), absl::Seconds(3));
  k.SetReadPaused(true, kT0);
  k.Stop();
  k.Start(kT0 + absl::Seconds(1), absl::Seconds(10), absl::Seconds(3));
  EXPECT_FALSE(k.read_paused());
}

}  // namespace
}  // namespace ouzel
