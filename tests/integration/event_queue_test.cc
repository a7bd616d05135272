// The event queue through the C API against a real Mosquitto: delivery in bulk and in order,
// back-pressure that makes the broker hold messages instead of the client dropping them (every
// loop mode, keepalive kept up while reading is paused), and acknowledgements that leave only
// when the application released a message with ack_on_release set.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/integration/capi_harness.h"
#include "tests/integration/event_queue_harness.h"

namespace ouzel_it {
namespace {

using EventQueueTest = EventQueueBrokerTest;

// A persistent session (v5: Session Expiry Interval 300 s).
Options PersistentOptions(int port, const std::string& id) {
  Options o = BaseOptions(port, id, OUZEL_MQTT_V5);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 0), "clean start");
  Properties p = NewProperties();
  ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 300), "expiry");
  ExpectOk(ouzel_options_set_connect_properties(o.get(), p.get()), "connect properties");
  return o;
}

TEST_F(EventQueueTest, HundredThousandQos1_CompleteAndInOrder_ConsumerTakingAThousandAtATime) {
  constexpr int kCount = 100000;
  Options o = BaseOptions(port(), "eq-bulk-sub", OUZEL_MQTT_V5);
  auto sub = QueueClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(sub);
  ASSERT_TRUE(sub->ConnectAndWait());
  ASSERT_TRUE(sub->SubscribeAndWait("eq/bulk", 1));
  std::thread publisher([&] { PublishNumbered(port(), "eq-bulk-pub", "eq/bulk", 0, kCount, 1); });

  std::vector<ouzel_event> batch(1000);
  ouzel_event_init(batch.data(), OUZEL_EVENT_VERSION);
  int next = 0;
  int largest_batch = 0;
  std::string failure;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (next < kCount && failure.empty() && std::chrono::steady_clock::now() < deadline) {
    const int n = ouzel_client_poll_events(sub->get(), batch.data(), batch.size(), 500);
    ASSERT_GE(n, 0) << ouzel_strerror(n);
    largest_batch = std::max(largest_batch, n);
    for (int i = 0; i < n && failure.empty(); ++i) {
      const ouzel_event& e = batch[static_cast<size_t>(i)];
      if (e.type != OUZEL_EVENT_MESSAGE) continue;
      const SeenEvent seen = Copy(e);
      if (PayloadIndex(seen.payload) != next || seen.qos != 1) {
        failure = "expected #" + std::to_string(next) + ", got " + Describe(seen);
      }
      ++next;
    }
    ASSERT_EQ(ouzel_client_release_events(sub->get(), batch.data(), static_cast<size_t>(n)),
              OUZEL_OK);
  }
  publisher.join();
  EXPECT_EQ(failure, "");
  EXPECT_EQ(next, kCount);
  EXPECT_LE(largest_batch, 1000);
  EXPECT_GT(largest_batch, 1) << "the consumer was never handed more than one event at a time";
  // Nothing more: every message came exactly once.
  std::vector<SeenEvent> rest;
  sub->PollAndRelease(1000, 300, &rest);
  EXPECT_EQ(CountOf(rest, OUZEL_EVENT_MESSAGE), 0u);
}

// ouzel_client_loop on the caller's thread returns as soon as an iteration queued events before
// its wait, so a thread that alternates loop and poll (the Python binding) is not held up.
TEST_F(EventQueueTest, CallerLoop_ReturnsWithoutWaitingWhenItQueuedEvents) {
  Options o = BaseOptions(port(), "eq-caller", OUZEL_MQTT_V311);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_EVENT_QUEUE, 1), "queue");
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  ASSERT_EQ(ouzel_client_connect(c), OUZEL_OK);
  ouzel_event ev[8];
  ouzel_event_init(ev, OUZEL_EVENT_VERSION);
  bool connected = false;
  for (int i = 0; i < 400 && !connected; ++i) {
    ouzel_client_loop(c, 50);
    const int n = ouzel_client_poll_events(c, ev, 8, 0);
    for (int k = 0; k < n; ++k) connected |= ev[k].type == OUZEL_EVENT_CONNECTED;
    ouzel_client_release_events(c, ev, static_cast<size_t>(std::max(n, 0)));
  }
  ASSERT_TRUE(connected);
  // The QoS 0 message is written, and completed, by the iteration's work before its wait.
  ASSERT_EQ(ouzel_client_publish(c, "eq/caller", 9, "x", 1, 0, 0, nullptr, nullptr, nullptr),
            OUZEL_OK);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(ouzel_client_loop(c, 10000), OUZEL_OK);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(ouzel_client_poll_events(c, ev, 8, 0), 1);
  EXPECT_EQ(ev[0].type, OUZEL_EVENT_PUBLISH_DONE);
  EXPECT_EQ(ev[0].state, OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_EQ(ouzel_client_release_events(c, ev, 1), OUZEL_OK);
  ouzel_client_free(c);
}

class StalledConsumerTest : public EventQueueTest,
                            public ::testing::WithParamInterface<std::tuple<LoopMode, int>> {};

// The consumer takes events but releases none: once the bound is reached the client stops
// reading, the broker holds the rest (the publisher still gets every acknowledgement), the
// connection stays up across several keepalive intervals, and after the release everything
// arrives, once and in order.
TEST_P(StalledConsumerTest, BrokerHoldsMessagesMemoryBounded_AllArriveOnceReleased) {
  const auto [mode, qos] = GetParam();
  constexpr int kCount = 3000;
  constexpr int kBound = 100;
  const std::string name = std::string("eq-stall-") + LoopModeName(mode) + std::to_string(qos);
  const std::string topic = "eq/stall/" + name;
  Options o = BaseOptions(port(), name, OUZEL_MQTT_V5);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, kBound), "bound");
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_KEEPALIVE_SECONDS, 1), "keepalive");
  auto sub = QueueClient::Create(o.get(), mode);
  ASSERT_TRUE(sub);
  ASSERT_TRUE(sub->ConnectAndWait());
  ASSERT_TRUE(sub->SubscribeAndWait(topic, qos));
  ASSERT_TRUE(PublishNumbered(port(), name + "-pub", topic, 0, kCount, qos));

  // Take without releasing for 4 s: four keepalive intervals, past the broker's 1.5 x keepalive.
  std::vector<std::vector<ouzel_event>> held;
  std::vector<SeenEvent> seen;
  size_t messages_held = 0;
  int disconnects = 0;
  bool saw_paused = false;
  const auto stall_end = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (std::chrono::steady_clock::now() < stall_end) {
    std::vector<ouzel_event> batch(256);
    ouzel_event_init(batch.data(), OUZEL_EVENT_VERSION);
    const int n = ouzel_client_poll_events(sub->get(), batch.data(), batch.size(), 100);
    ASSERT_GE(n, 0) << ouzel_strerror(n);
    for (int i = 0; i < n; ++i) {
      seen.push_back(Copy(batch[static_cast<size_t>(i)]));
      if (seen.back().type == OUZEL_EVENT_MESSAGE) ++messages_held;
      if (seen.back().type == OUZEL_EVENT_DISCONNECTED) ++disconnects;
    }
    batch.resize(static_cast<size_t>(n));
    if (n > 0) held.push_back(std::move(batch));
    ASSERT_LE(messages_held, static_cast<size_t>(kBound));
    int64_t received = -1;
    ASSERT_EQ(ouzel_client_stat(sub->get(), OUZEL_STAT_MESSAGES_RECEIVED, &received), OUZEL_OK);
    ASSERT_LE(received, kBound) << "the client took more messages off the wire than its bound";
    if (messages_held == kBound && ouzel_client_want_read(sub->get()) == 0) saw_paused = true;
  }
  EXPECT_EQ(messages_held, static_cast<size_t>(kBound));
  EXPECT_TRUE(saw_paused) << "ouzel_client_want_read stayed 1 with the queue full";
  EXPECT_EQ(disconnects, 0) << "the connection dropped while reading was paused";
  EXPECT_EQ(ouzel_client_is_connected(sub->get()), 1);

  for (std::vector<ouzel_event>& batch : held) {
    ASSERT_EQ(ouzel_client_release_events(sub->get(), batch.data(), batch.size()), OUZEL_OK);
  }
  ASSERT_TRUE(sub->PollUntil(
      [&](const std::vector<SeenEvent>& s) { return CountOf(s, OUZEL_EVENT_MESSAGE) >= kCount; },
      &seen, 4 * kTimeoutMs));
  const std::vector<SeenEvent> messages = MessagesOf(seen);
  ASSERT_EQ(messages.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(PayloadIndex(messages[static_cast<size_t>(i)].payload), i)
        << Describe(messages[static_cast<size_t>(i)]);
  }
  EXPECT_EQ(CountOf(seen, OUZEL_EVENT_DISCONNECTED), 0u);
}

INSTANTIATE_TEST_SUITE_P(LoopModesAndQos, StalledConsumerTest,
                         ::testing::Combine(::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                                              LoopMode::kExternal),
                                            ::testing::Values(0, 1)),
                         [](const ::testing::TestParamInfo<std::tuple<LoopMode, int>>& info) {
                           return std::string(LoopModeName(std::get<0>(info.param))) + "Qos" +
                                  std::to_string(std::get<1>(info.param));
                         });

// Polls until `count` events are held in `events` (none released).
size_t TakeWithoutRelease(QueueClient* c, std::vector<ouzel_event>* events, size_t count) {
  size_t got = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (got < count && std::chrono::steady_clock::now() < deadline) {
    // The first element of the array passed names the layout.
    ouzel_event_init(events->data() + got, OUZEL_EVENT_VERSION);
    const int n = ouzel_client_poll_events(c->get(), events->data() + got, count - got, 200);
    if (n < 0) break;
    got += static_cast<size_t>(n);
  }
  return got;
}

class CrashSafetyTest : public EventQueueTest, public ::testing::WithParamInterface<int> {};

// A process that took messages but died before releasing them acknowledged none: its successor
// on the same persistent session is sent every one of them again.
TEST_P(CrashSafetyTest, MessagesNotReleased_NotAcknowledged_SentAgainToTheNextProcess) {
  const int qos = GetParam();
  const std::string id = "eq-crash-" + std::to_string(qos);
  const std::string topic = "eq/crash/" + std::to_string(qos);
  constexpr int kCount = 10;
  {
    Options o = PersistentOptions(port(), id);
    auto first = QueueClient::Create(o.get(), LoopMode::kThread);
    ASSERT_TRUE(first);
    ASSERT_TRUE(first->ConnectAndWait());
    ASSERT_TRUE(first->SubscribeAndWait(topic, qos));
    ASSERT_TRUE(PublishNumbered(port(), id + "-pub", topic, 0, kCount, qos));
    std::vector<ouzel_event> taken(kCount);
    ASSERT_EQ(TakeWithoutRelease(first.get(), &taken, kCount), static_cast<size_t>(kCount));
    // "Crash": freed with the events still held (ouzel_client_free frees them, acks nothing).
    first->Free();
  }
  std::vector<SeenEvent> seen;
  {
    Options o = PersistentOptions(port(), id);
    auto second = QueueClient::Create(o.get(), LoopMode::kThread);
    ASSERT_TRUE(second);
    ASSERT_TRUE(second->ConnectAndWait(&seen));
    ASSERT_EQ(seen[0].type, OUZEL_EVENT_CONNECTED);
    EXPECT_EQ(seen[0].session_present, 1);
    ASSERT_TRUE(second->PollUntil(
        [&](const std::vector<SeenEvent>& s) { return CountOf(s, OUZEL_EVENT_MESSAGE) >= kCount; },
        &seen));
    const std::vector<SeenEvent> messages = MessagesOf(seen);
    for (int i = 0; i < kCount; ++i) {
      EXPECT_EQ(PayloadIndex(messages[static_cast<size_t>(i)].payload), i);
      EXPECT_EQ(messages[static_cast<size_t>(i)].dup, 1) << "not a redelivery";
    }
    // Released (and acknowledged) this time; gone once the broker has read the acks.
    ASSERT_TRUE(second->SyncWithBroker(&seen));
  }
  Options o = PersistentOptions(port(), id);
  auto third = QueueClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(third);
  std::vector<SeenEvent> later;
  ASSERT_TRUE(third->ConnectAndWait(&later));
  third->PollAndRelease(64, 500, &later);
  EXPECT_EQ(CountOf(later, OUZEL_EVENT_MESSAGE), 0u) << Describe(MessagesOf(later).front());
}

INSTANTIATE_TEST_SUITE_P(Qos, CrashSafetyTest, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return "Qos" + std::to_string(info.param);
                         });

// A new connection on the same session, once the broker has read every acknowledgement
// released so far.
bool Reconnect(QueueClient* c, std::vector<SeenEvent>* seen) {
  if (!c->SyncWithBroker(seen)) return false;
  ExpectOk(ouzel_client_disconnect(c->get(), 0, nullptr), "disconnect");
  if (!c->PollUntil(
          [](const std::vector<SeenEvent>& s) { return CountOf(s, OUZEL_EVENT_DISCONNECTED) > 0; },
          seen)) {
    return false;
  }
  return c->ConnectAndWait(seen);
}

// ack_on_release = 0 withholds the acknowledgement (and, acks leaving in arrival order, those of
// the messages after it): a new connection on the session gets them again. ouzel_client_ack then
// sends it.
TEST_F(EventQueueTest, AckOnReleaseZero_WithholdsTheAck_UntilOuzelClientAck) {
  const std::string id = "eq-withhold";
  const std::string topic = "eq/withhold";
  Options o = PersistentOptions(port(), id);
  auto sub = QueueClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(sub);
  ASSERT_TRUE(sub->ConnectAndWait());
  ASSERT_TRUE(sub->SubscribeAndWait(topic, 1));
  ASSERT_TRUE(PublishNumbered(port(), id + "-pub", topic, 0, 5, 1));

  std::vector<ouzel_event> events(5);
  ASSERT_EQ(TakeWithoutRelease(sub.get(), &events, 5), 5u);
  for (const ouzel_event& e : events) ASSERT_EQ(e.ack_on_release, 1);
  events[2].ack_on_release = 0;  // the handler of #2 failed
  ASSERT_EQ(ouzel_client_release_events(sub->get(), events.data(), events.size()), OUZEL_OK);

  std::vector<SeenEvent> seen;
  ASSERT_TRUE(Reconnect(sub.get(), &seen));
  ASSERT_TRUE(sub->PollUntil(
      [](const std::vector<SeenEvent>& s) { return CountOf(s, OUZEL_EVENT_MESSAGE) >= 3; }, &seen));
  std::vector<SeenEvent> again = MessagesOf(seen);
  ASSERT_EQ(again.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(PayloadIndex(again[static_cast<size_t>(i)].payload), 2 + i);
    EXPECT_EQ(again[static_cast<size_t>(i)].dup, 1);
  }

  // Withheld again, then acknowledged with ouzel_client_ack: nothing comes back.
  ASSERT_TRUE(PublishNumbered(port(), id + "-pub", topic, 5, 2, 1));
  std::vector<ouzel_event> two(2);
  ASSERT_EQ(TakeWithoutRelease(sub.get(), &two, 2), 2u);
  two[0].ack_on_release = 0;
  const int32_t mid = two[0].mid;
  ASSERT_EQ(ouzel_client_release_events(sub->get(), two.data(), two.size()), OUZEL_OK);
  ASSERT_EQ(ouzel_client_ack(sub->get(), mid), OUZEL_OK);
  seen.clear();
  ASSERT_TRUE(Reconnect(sub.get(), &seen));
  sub->PollAndRelease(16, 500, &seen);
  EXPECT_EQ(CountOf(seen, OUZEL_EVENT_MESSAGE), 0u);
}

}  // namespace
}  // namespace ouzel_it
