// The event queue with threads and descriptors, through the C API against a real Mosquitto: a
// blocking poll while other threads publish, freeing a client under a waiting poll (in every
// loop mode), publish completions batched into few wake-ups, and one thread running everything
// from epoll (socket, wake descriptor, event descriptor) without spinning while the queue is full.
// Also run under --config=tsan and --config=asan.
#include <poll.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/integration/capi_harness.h"
#include "tests/integration/event_queue_harness.h"

namespace ouzel_it {
namespace {

using EventQueueThreadsTest = EventQueueBrokerTest;

// Waits for `f` up to `seconds`; a call that never returns would leave a thread using a freed
// client, so that ends the test program instead of hanging it.
template <typename T>
T WaitOrAbort(std::future<T>& f, int seconds, const char* what) {
  if (f.wait_for(std::chrono::seconds(seconds)) != std::future_status::ready) {
    ADD_FAILURE() << what << " did not return within " << seconds << " s";
    std::abort();
  }
  return f.get();
}

bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1;
}

TEST_F(EventQueueThreadsTest, BlockingPoll_WhileFourThreadsPublish_EveryCompletionAndMessageOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  constexpr int kTotal = kThreads * kPerThread;
  Options o = BaseOptions(port(), "eq-mt", OUZEL_MQTT_V5);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_MAX_INFLIGHT, 100), "max inflight");
  auto c = QueueClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->ConnectAndWait());
  ASSERT_TRUE(c->SubscribeAndWait("eq/mt", 1));

  // The poller blocks without a timeout until it has seen every completion and message.
  std::map<uint64_t, int> done;  // token -> state; the poller's until joined
  std::multiset<int> received;
  int bad_qos = 0;
  std::future<int> poller = std::async(std::launch::async, [&] {
    std::vector<ouzel_event> ev(256);
    ouzel_event_init(ev.data(), OUZEL_EVENT_VERSION);
    while (done.size() < static_cast<size_t>(kTotal) ||
           received.size() < static_cast<size_t>(kTotal)) {
      const int n = ouzel_client_poll_events(c->get(), ev.data(), ev.size(), -1);
      if (n < 0) return n;
      for (int i = 0; i < n; ++i) {
        const ouzel_event& e = ev[static_cast<size_t>(i)];
        if (e.type == OUZEL_EVENT_PUBLISH_DONE) {
          if (!done.emplace(e.token, e.state).second) done[e.token] = -100;  // twice
          if (e.qos != 1) ++bad_qos;
        } else if (e.type == OUZEL_EVENT_MESSAGE) {
          received.insert(PayloadIndex(Copy(e).payload));
        }
      }
      if (ouzel_client_release_events(c->get(), ev.data(), static_cast<size_t>(n)) != OUZEL_OK) {
        return -1000;
      }
    }
    return 0;
  });

  std::vector<std::vector<uint64_t>> tokens(kThreads);
  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t) {
    publishers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string p = NumberedPayload(t * kPerThread + i);
        uint64_t token = 0;
        if (ouzel_client_publish(c->get(), "eq/mt", 5, p.data(), p.size(), 1, 0, nullptr, &token,
                                 nullptr) == OUZEL_OK) {
          tokens[static_cast<size_t>(t)].push_back(token);
        }
      }
    });
  }
  for (std::thread& t : publishers) t.join();
  ASSERT_EQ(WaitOrAbort(poller, 120, "the poller"), 0);

  // Nothing left: a poll waiting without a timeout returns 0 when interrupted.
  std::future<int> idle = std::async(std::launch::async, [&] {
    ouzel_event e;
    ouzel_event_init(&e, OUZEL_EVENT_VERSION);
    return ouzel_client_poll_events(c->get(), &e, 1, -1);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(ouzel_client_interrupt_poll(c->get()), OUZEL_OK);
  EXPECT_EQ(WaitOrAbort(idle, 20, "the interrupted poll"), 0);

  size_t issued = 0;
  for (const std::vector<uint64_t>& list : tokens) {
    issued += list.size();
    for (uint64_t t : list) {
      auto it = done.find(t);
      ASSERT_NE(it, done.end()) << "token " << t << " never completed";
      EXPECT_EQ(it->second, OUZEL_DELIVERY_ACKNOWLEDGED) << "token " << t;
    }
  }
  EXPECT_EQ(issued, static_cast<size_t>(kTotal));
  EXPECT_EQ(done.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(bad_qos, 0);
  EXPECT_EQ(received.size(), static_cast<size_t>(kTotal));
  for (int i = 0; i < kTotal; ++i) EXPECT_EQ(received.count(i), 1u) << "#" << i;
}

class FreeWhilePollingTest : public EventQueueThreadsTest,
                             public ::testing::WithParamInterface<LoopMode> {};

// ouzel_client_free wakes every waiting poll with OUZEL_ECLOSED and returns only after they left;
// events still held are freed with the client (ASan checks both).
TEST_P(FreeWhilePollingTest, WaitingPollsReturnEclosed_HeldEventsFreed) {
  const std::string id = std::string("eq-free-") + LoopModeName(GetParam());
  Options o = BaseOptions(port(), id, OUZEL_MQTT_V5);
  auto c = QueueClient::Create(o.get(), GetParam());
  ASSERT_TRUE(c);
  ExpectOk(ouzel_client_connect(c->get()), "connect");
  // Hold the CONNECTED event (never released).
  ouzel_event held;
  ouzel_event_init(&held, OUZEL_EVENT_VERSION);
  ASSERT_EQ(ouzel_client_poll_events(c->get(), &held, 1, kTimeoutMs), 1);
  ASSERT_EQ(held.type, OUZEL_EVENT_CONNECTED);
  ouzel_client* raw = c->get();
  auto wait = [raw] {
    ouzel_event e;
    ouzel_event_init(&e, OUZEL_EVENT_VERSION);
    return ouzel_client_poll_events(raw, &e, 1, -1);
  };
  std::future<int> a = std::async(std::launch::async, wait);
  std::future<int> b = std::async(std::launch::async, wait);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // both are waiting by now
  c->StopDriver();  // the loop of kCaller / kExternal runs on a thread of ours
  std::future<void> freed = std::async(std::launch::async, [&] { c->Free(); });
  WaitOrAbort(freed, 20, "ouzel_client_free");
  EXPECT_EQ(WaitOrAbort(a, 5, "a waiting poll"), OUZEL_ECLOSED);
  EXPECT_EQ(WaitOrAbort(b, 5, "a waiting poll"), OUZEL_ECLOSED);
}

INSTANTIATE_TEST_SUITE_P(LoopModes, FreeWhilePollingTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const ::testing::TestParamInfo<LoopMode>& info) {
                           return std::string(LoopModeName(info.param));
                         });

// Publishes `count` QoS 1 messages from `c` (its window 100) and returns the tokens.
std::vector<uint64_t> PublishBurst(QueueClient* c, const std::string& topic, int count) {
  std::vector<uint64_t> tokens;
  for (int i = 0; i < count; ++i) {
    const std::string p = NumberedPayload(i);
    uint64_t token = 0;
    ExpectOk(ouzel_client_publish(c->get(), topic.data(), topic.size(), p.data(), p.size(), 1, 0,
                                  nullptr, &token, nullptr),
             "publish");
    tokens.push_back(token);
  }
  return tokens;
}

// Drains the queue without waiting; returns the PUBLISH_DONE events taken.
int DrainCompletions(QueueClient* c) {
  std::vector<ouzel_event> ev(512);
  ouzel_event_init(ev.data(), OUZEL_EVENT_VERSION);
  int completions = 0;
  while (true) {
    const int n = ouzel_client_poll_events(c->get(), ev.data(), ev.size(), 0);
    if (n <= 0) return completions;
    for (int i = 0; i < n; ++i) {
      if (ev[static_cast<size_t>(i)].type == OUZEL_EVENT_PUBLISH_DONE) ++completions;
    }
    ExpectOk(ouzel_client_release_events(c->get(), ev.data(), static_cast<size_t>(n)), "release");
  }
}

// A connected queue client on the library's thread with a window of 100 QoS 1 messages.
std::unique_ptr<QueueClient> ConnectedPublisher(int port, const std::string& id) {
  Options o = BaseOptions(port, id, OUZEL_MQTT_V5);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_MAX_INFLIGHT, 100), "max inflight");
  auto c = QueueClient::Create(o.get(), LoopMode::kThread);
  if (c && !c->ConnectAndWait()) return nullptr;
  return c;
}

// Completions that pile up while the queue is not empty make the descriptor readable once: a
// whole burst of PUBACKs is one wake-up, and the descriptor is quiet again once drained.
TEST_F(EventQueueThreadsTest, PublishCompletions_BurstWhileUnpolled_OneWakeUp) {
  constexpr int kCount = 2000;
  auto c = ConnectedPublisher(port(), "eq-batch-1");
  ASSERT_TRUE(c);
  const int fd = ouzel_client_event_fd(c->get());
  ASSERT_GE(fd, 0);
  EXPECT_FALSE(Readable(fd));
  PublishBurst(c.get(), "eq/batch", kCount);
  int64_t sent = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (sent < kCount && std::chrono::steady_clock::now() < deadline) {
    ouzel_client_stat(c->get(), OUZEL_STAT_MESSAGES_SENT, &sent);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(sent, kCount);
  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, kTimeoutMs), 1);
  int completions = 0;
  int wakeups = 0;
  while (completions < kCount && poll(&p, 1, kTimeoutMs) == 1) {
    ++wakeups;
    completions += DrainCompletions(c.get());
  }
  EXPECT_EQ(completions, kCount);
  // The counter moves when the loop takes the acknowledgements, a moment before it queues them:
  // the last ones may come after the first drain, as a second wake-up.
  EXPECT_LE(wakeups, 2) << kCount << " completions took " << wakeups << " wake-ups";
  EXPECT_FALSE(Readable(fd)) << "still readable with nothing waiting";
}

// The same with a live consumer: it waits on the descriptor and takes whatever arrived by then.
TEST_F(EventQueueThreadsTest, PublishCompletions_LiveConsumer_FewerWakeUpsThanCompletions) {
  constexpr int kCount = 5000;
  auto c = ConnectedPublisher(port(), "eq-batch-2");
  ASSERT_TRUE(c);
  const int fd = ouzel_client_event_fd(c->get());
  std::future<std::pair<int, int>> consumer = std::async(std::launch::async, [&] {
    int completions = 0;
    int wakeups = 0;
    pollfd p{fd, POLLIN, 0};
    while (completions < kCount && poll(&p, 1, kTimeoutMs) == 1) {
      ++wakeups;
      // A consumer with work of its own between wake-ups: what came meanwhile is one batch.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      completions += DrainCompletions(c.get());
    }
    return std::make_pair(completions, wakeups);
  });
  PublishBurst(c.get(), "eq/batch", kCount);
  const auto [completions, wakeups] = WaitOrAbort(consumer, 120, "the consumer");
  EXPECT_EQ(completions, kCount);
  EXPECT_LE(wakeups * 2, completions) << completions << " completions, " << wakeups << " wake-ups";
  std::printf("%d completions in %d wake-ups\n", completions, wakeups);
}

// One thread, one epoll set: the client's socket (read only while ouzel_client_want_read, write
// while ouzel_client_want_write), its wake descriptor and its event descriptor. Level-triggered:
// the event descriptor is quiet right after a drain. While the queue is full and the
// application holds it so, the loop sleeps instead of spinning on a socket it must not read.
TEST_F(EventQueueThreadsTest, Epoll_OneThreadRunsTheLoopAndTheEvents_NoSpinWhileFull) {
  constexpr int kCount = 600;
  constexpr int kBound = 50;
  Options o = BaseOptions(port(), "eq-epoll", OUZEL_MQTT_V5);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_EVENT_QUEUE, 1), "queue");
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, kBound), "bound");
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  ASSERT_GE(ep, 0);
  const int wake_fd = ouzel_client_wake_fd(c);
  const int event_fd = ouzel_client_event_fd(c);
  for (int fd : {wake_fd, event_fd}) {
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.fd = fd;
    ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e), 0);
  }
  int sock = -1;
  uint32_t sock_interest = 0;
  std::vector<ouzel_event> held;  // polled, not yet released
  std::vector<SeenEvent> seen;
  int not_quiet_after_drain = 0;
  int64_t wakeups = 0;
  // One turn of the application's loop; returns false on a poll error.
  auto turn = [&](int timeout_ms) {
    const int now_sock = ouzel_client_socket(c);
    if (now_sock != sock) {
      if (sock >= 0) epoll_ctl(ep, EPOLL_CTL_DEL, sock, nullptr);
      sock = now_sock;
      sock_interest = 0;
      if (sock >= 0) {
        epoll_event e{};
        e.data.fd = sock;
        epoll_ctl(ep, EPOLL_CTL_ADD, sock, &e);
      }
    }
    if (sock >= 0) {
      const uint32_t want =
          (ouzel_client_want_read(c) ? EPOLLIN : 0u) | (ouzel_client_want_write(c) ? EPOLLOUT : 0u);
      if (want != sock_interest) {
        epoll_event e{};
        e.events = want;
        e.data.fd = sock;
        epoll_ctl(ep, EPOLL_CTL_MOD, sock, &e);
        sock_interest = want;
      }
    }
    int timeout = ouzel_client_next_timeout_ms(c);
    if (timeout < 0 || timeout > timeout_ms) timeout = timeout_ms;
    epoll_event ready[4];
    const int n = epoll_wait(ep, ready, 4, timeout);
    ++wakeups;
    bool events_ready = false;
    for (int i = 0; i < n; ++i) {
      if (ready[i].data.fd == sock) {
        if (ready[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) ouzel_client_loop_read(c);
        if (ready[i].events & EPOLLOUT) ouzel_client_loop_write(c);
      } else if (ready[i].data.fd == event_fd) {
        events_ready = true;
      }
    }
    ouzel_client_loop_misc(c);
    if (!events_ready) return true;
    std::vector<ouzel_event> batch(64);
    ouzel_event_init(batch.data(), OUZEL_EVENT_VERSION);
    int got;
    while ((got = ouzel_client_poll_events(c, batch.data(), batch.size(), 0)) > 0) {
      for (int i = 0; i < got; ++i) {
        seen.push_back(Copy(batch[static_cast<size_t>(i)]));
        held.push_back(batch[static_cast<size_t>(i)]);
      }
    }
    if (got < 0) return false;
    // Nothing ran the loop since the drain: nothing can have arrived, so it must be quiet.
    epoll_event quiet[4];
    const int again = epoll_wait(ep, quiet, 4, 0);
    for (int i = 0; i < again; ++i) {
      if (quiet[i].data.fd == event_fd) ++not_quiet_after_drain;
    }
    return true;
  };
  auto release_all = [&] {
    ExpectOk(ouzel_client_release_events(c, held.data(), held.size()), "release");
    held.clear();
  };
  // Turns until `done`; with `release`, the events taken are released after every turn.
  auto run_until = [&](const std::function<bool()>& done, bool release) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (!turn(100)) return false;
      if (release) release_all();
    }
    return done();
  };

  ExpectOk(ouzel_client_connect(c), "connect");
  ASSERT_TRUE(run_until([&] { return CountOf(seen, OUZEL_EVENT_CONNECTED) == 1; }, true));
  ouzel_subscription sub;
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = "eq/epoll";
  sub.qos = 1;
  ASSERT_EQ(ouzel_client_subscribe(c, &sub, 1, nullptr, nullptr), OUZEL_OK);
  ASSERT_TRUE(run_until([&] { return CountOf(seen, OUZEL_EVENT_SUBSCRIBE_DONE) == 1; }, true));
  ASSERT_TRUE(PublishNumbered(port(), "eq-epoll-pub", "eq/epoll", 0, kCount, 1));

  // Take messages until the queue is full, then hold them for 500 ms: the loop must sleep.
  ASSERT_TRUE(run_until([&] { return held.size() >= static_cast<size_t>(kBound); }, false));
  EXPECT_EQ(held.size(), static_cast<size_t>(kBound));
  const int64_t before = wakeups;
  const auto stall_end = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (std::chrono::steady_clock::now() < stall_end) ASSERT_TRUE(turn(100));
  EXPECT_EQ(ouzel_client_want_read(c), 0);
  EXPECT_LE(wakeups - before, 20) << "the loop spun while reading was paused";
  EXPECT_EQ(held.size(), static_cast<size_t>(kBound));

  release_all();
  ASSERT_TRUE(run_until([&] { return CountOf(seen, OUZEL_EVENT_MESSAGE) >= kCount; }, true));
  release_all();
  const std::vector<SeenEvent> messages = MessagesOf(seen);
  ASSERT_EQ(messages.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(PayloadIndex(messages[static_cast<size_t>(i)].payload), i);
  }
  EXPECT_EQ(not_quiet_after_drain, 0);
  ouzel_client_free(c);
  close(ep);
}

}  // namespace
}  // namespace ouzel_it
