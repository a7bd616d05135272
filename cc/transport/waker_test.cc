#include "cc/transport/waker.h"

#include <poll.h>

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace ouzel {
namespace {

bool Readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN) != 0;
}

TEST(WakerTest, WakeMakesFdReadableUntilConsumed) {
  auto waker = Waker::Create();
  ASSERT_TRUE(waker.ok()) << waker.status();
  std::shared_ptr<Waker> w = *waker;
  EXPECT_FALSE(Readable(w->fd(), 0));
  EXPECT_FALSE(w->Consume());
  w->Wake();
  w->Wake();  // coalesces
  EXPECT_TRUE(Readable(w->fd(), 0));
  EXPECT_TRUE(w->Consume());
  EXPECT_FALSE(Readable(w->fd(), 0));
  EXPECT_FALSE(w->Consume());
  w->Wake();  // re-armed after Consume
  EXPECT_TRUE(Readable(w->fd(), 0));
}

TEST(WakerTest, WakeFromAnotherThreadUnblocksPoll) {
  std::shared_ptr<Waker> w = *Waker::Create();
  std::thread t([w] { w->Wake(); });
  EXPECT_TRUE(Readable(w->fd(), 5000));
  t.join();
  EXPECT_TRUE(w->Consume());
}

// Producers publish a counter then wake; the consumer must never sleep through a wake (a lost
// wake would leave it blocked until the poll timeout and fail the assertion on elapsed polls).
TEST(WakerTest, NoWakeIsLostUnderConcurrentProducers) {
  std::shared_ptr<Waker> w = *Waker::Create();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::atomic<int> produced{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < kPerThread; ++j) {
        produced.fetch_add(1);
        w->Wake();
      }
    });
  }
  int timeouts = 0;
  int seen = 0;
  while (seen < kThreads * kPerThread && timeouts < 5) {
    if (!Readable(w->fd(), 1000)) {
      ++timeouts;
    }
    w->Consume();
    seen = produced.load();
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(seen, kThreads * kPerThread);
  EXPECT_EQ(timeouts, 0);
}

}  // namespace
}  // namespace ouzel
