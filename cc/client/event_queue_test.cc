// EventQueue on its own: order, the level-triggered descriptor, blocking polls, interrupts,
// closing under a waiting poller, release validation, back-pressure accounting and which
// acknowledgements a release may still send.
#include "cc/client/event_queue.h"

#include <poll.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace ouzel {
namespace client_internal {
namespace {

std::unique_ptr<EventQueue> MakeQueue(EventQueueOptions o = {}, bool manual_ack = false) {
  o.enabled = true;
  absl::StatusOr<std::unique_ptr<EventQueue>> q = EventQueue::Create(std::move(o), manual_ack);
  EXPECT_TRUE(q.ok()) << q.status();
  return q.ok() ? *std::move(q) : nullptr;
}

SessionEvent MessageOf(const std::string& topic, const std::string& payload, uint8_t qos,
                       uint16_t id) {
  MessageEvent m;
  m.message.topic = topic;
  m.message.payload = payload;
  m.message.qos = qos;
  m.message.packet_id = id;
  return m;
}

SessionEvent Connected(bool session_present = false) {
  ConnectedEvent c;
  c.session_present = session_present;
  return c;
}

// Takes `events` as the driver does: noted under the client's lock, then pushed.
void Deliver(EventQueue& q, std::vector<SessionEvent> events, bool resumed = false) {
  std::vector<ClientEvent> batch;
  for (SessionEvent& e : events) {
    q.NoteTakenLocked(e, resumed);
    batch.emplace_back(std::move(e));
  }
  q.Push(batch);
  EXPECT_TRUE(batch.empty());
}

bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

std::string TopicOf(const QueuedEvent* e) {
  return std::get<MessageEvent>(std::get<SessionEvent>(e->event)).message.topic;
}

std::vector<EventRelease> ReleasesOf(const std::vector<QueuedEvent*>& events) {
  std::vector<EventRelease> r;
  for (const QueuedEvent* e : events) r.push_back({e->id(), e->ack_on_release});
  return r;
}

TEST(EventQueue, EventsComeOutInOrder_InBatchesOfAtMostMax) {
  auto q = MakeQueue();
  Deliver(*q, {Connected(), MessageOf("a", "1", 0, 0), MessageOf("b", "2", 1, 7),
               MessageOf("c", "3", 2, 8)});
  std::vector<QueuedEvent*> got;
  ASSERT_EQ(q->Poll(got, 2, absl::ZeroDuration()).value(), 2u);
  ASSERT_EQ(q->Poll(got, 10, absl::ZeroDuration()).value(), 2u);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<ConnectedEvent>(std::get<SessionEvent>(got[0]->event)));
  EXPECT_EQ(TopicOf(got[1]), "a");
  EXPECT_EQ(TopicOf(got[2]), "b");
  EXPECT_EQ(TopicOf(got[3]), "c");
  EXPECT_FALSE(got[1]->ack_on_release);  // QoS 0 has nothing to acknowledge
  EXPECT_TRUE(got[2]->ack_on_release);
  EXPECT_TRUE(got[3]->ack_on_release);
  EXPECT_EQ(q->outstanding(), 4u);
  std::vector<EventQueue::PendingAck> acks;
  bool wake = false;
  ASSERT_TRUE(q->Release(ReleasesOf(got), &acks, &wake).ok());
  EXPECT_EQ(q->outstanding(), 0u);
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[0].packet_id, 7);
  EXPECT_EQ(acks[1].packet_id, 8);
}

TEST(EventQueue, ManualAck_MessagesStartWithoutAckOnRelease) {
  auto q = MakeQueue({}, /*manual_ack=*/true);
  Deliver(*q, {Connected(), MessageOf("a", "1", 1, 3)});
  std::vector<QueuedEvent*> got;
  ASSERT_EQ(q->Poll(got, 10, absl::ZeroDuration()).value(), 2u);
  EXPECT_FALSE(got[1]->ack_on_release);
}

TEST(EventQueue, Descriptor_ReadableExactlyWhileEventsWait) {
  auto q = MakeQueue();
  EXPECT_FALSE(Readable(q->fd()));
  Deliver(*q, {MessageOf("a", "", 0, 0)});
  EXPECT_TRUE(Readable(q->fd()));
  // More events while it is readable: still one readable state, not a count to drain.
  Deliver(*q, {MessageOf("b", "", 0, 0), MessageOf("c", "", 0, 0)});
  std::vector<QueuedEvent*> got;
  ASSERT_EQ(q->Poll(got, 2, absl::ZeroDuration()).value(), 2u);
  EXPECT_TRUE(Readable(q->fd()));  // one still waits
  ASSERT_EQ(q->Poll(got, 2, absl::ZeroDuration()).value(), 1u);
  EXPECT_FALSE(Readable(q->fd()));
  std::vector<EventQueue::PendingAck> acks;
  bool wake;
  ASSERT_TRUE(q->Release(ReleasesOf(got), &acks, &wake).ok());
}

TEST(EventQueue, Poll_TimesOutWithZero) {
  auto q = MakeQueue();
  std::vector<QueuedEvent*> got;
  const absl::Time start = absl::Now();
  EXPECT_EQ(q->Poll(got, 4, absl::Milliseconds(30)).value(), 0u);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(25));
}

TEST(EventQueue, Poll_BlockedPollerGetsEventsPushedFromAnotherThread) {
  auto q = MakeQueue();
  std::vector<QueuedEvent*> got;
  std::thread pusher([&] {
    absl::SleepFor(absl::Milliseconds(20));
    Deliver(*q, {MessageOf("late", "", 0, 0)});
  });
  absl::StatusOr<size_t> n = q->Poll(got, 4, absl::Seconds(20));
  pusher.join();
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(*n, 1u);
  EXPECT_EQ(TopicOf(got[0]), "late");
}

TEST(EventQueue, Interrupt_WakesOneBlockedPollOrTheNextCall) {
  auto q = MakeQueue();
  std::vector<QueuedEvent*> got;
  std::thread waker([&] {
    absl::SleepFor(absl::Milliseconds(20));
    q->Interrupt();
  });
  EXPECT_EQ(q->Poll(got, 4, absl::InfiniteDuration()).value(), 0u);
  waker.join();
  q->Interrupt();
  Deliver(*q, {MessageOf("a", "", 0, 0)});
  EXPECT_EQ(q->Poll(got, 4, absl::Seconds(5)).value(), 0u);  // the pending interrupt
  EXPECT_EQ(q->Poll(got, 4, absl::Seconds(5)).value(), 1u);
}

TEST(EventQueue, Close_WakesEveryBlockedPollerAndWaitsForThemToLeave) {
  auto q = MakeQueue();
  std::atomic<int> cancelled{0};
  std::vector<std::thread> pollers;
  for (int i = 0; i < 3; ++i) {
    pollers.emplace_back([&] {
      std::vector<QueuedEvent*> got;
      absl::StatusOr<size_t> n = q->Poll(got, 4, absl::InfiniteDuration());
      if (n.status().code() == absl::StatusCode::kCancelled) cancelled.fetch_add(1);
    });
  }
  absl::SleepFor(absl::Milliseconds(30));
  q->Close();
  for (std::thread& t : pollers) t.join();
  EXPECT_EQ(cancelled.load(), 3);
  std::vector<QueuedEvent*> got;
  EXPECT_EQ(q->Poll(got, 4, absl::ZeroDuration()).status().code(), absl::StatusCode::kCancelled);
}

TEST(EventQueue, Release_UnknownOrRepeatedIds_RefusedAndNothingReleased) {
  auto q = MakeQueue();
  Deliver(*q, {MessageOf("a", "xx", 1, 1), MessageOf("b", "yy", 1, 2)});
  std::vector<QueuedEvent*> got;
  ASSERT_EQ(q->Poll(got, 10, absl::ZeroDuration()).value(), 2u);
  std::vector<EventQueue::PendingAck> acks;
  bool wake;
  std::vector<EventRelease> twice = {{got[0]->id(), true}, {got[0]->id(), true}};
  EXPECT_EQ(q->Release(twice, &acks, &wake).code(), absl::StatusCode::kInvalidArgument);
  std::vector<EventRelease> foreign = {{got[1]->id(), true}, {12345, true}};
  EXPECT_EQ(q->Release(foreign, &acks, &wake).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(q->outstanding(), 2u);
  EXPECT_EQ(q->messages_held(), 2u);
  EXPECT_TRUE(acks.empty());
  // Any subset, any order.
  const uint64_t first = got[0]->id();
  ASSERT_TRUE(q->Release({{got[1]->id(), true}}, &acks, &wake).ok());
  ASSERT_TRUE(q->Release({{first, false}}, &acks, &wake).ok());
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].packet_id, 2);
  EXPECT_EQ(q->Release({{first, true}}, &acks, &wake).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(q->messages_held(), 0u);
}

TEST(EventQueue, IdsOfTwoQueuesNeverMix) {
  auto a = MakeQueue();
  auto b = MakeQueue();
  Deliver(*a, {MessageOf("a", "", 0, 0)});
  std::vector<QueuedEvent*> got;
  ASSERT_EQ(a->Poll(got, 1, absl::ZeroDuration()).value(), 1u);
  std::vector<EventQueue::PendingAck> acks;
  bool wake;
  EXPECT_EQ(b->Release(ReleasesOf(got), &acks, &wake).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(a->Release(ReleasesOf(got), &acks, &wake).ok());
}

TEST(EventQueue, Room_CountsMessagesFromTakenUntilReleased) {
  EventQueueOptions o;
  o.max_messages = 3;
  o.max_bytes = 100;
  auto q = MakeQueue(o);
  EXPECT_EQ(q->Room().messages, 3u);
  EXPECT_EQ(q->Room().bytes, 100u);
  q->NoteTakenLocked(MessageOf("ab", "cdef", 0, 0), false);  // taken, not yet pushed
  EXPECT_EQ(q->Room().messages, 2u);
  EXPECT_EQ(q->Room().bytes, 94u);
  std::vector<ClientEvent> batch;
  batch.emplace_back(MessageOf("ab", "cdef", 0, 0));
  q->Push(batch);
  Deliver(*q, {MessageOf("x", std::string(200, 'p'), 0, 0), Connected()});
  EXPECT_EQ(q->Room().messages, 1u);
  EXPECT_EQ(q->Room().bytes, 0u);  // past the bound: reading pauses
  std::vector<QueuedEvent*> got;
  ASSERT_EQ(q->Poll(got, 10, absl::ZeroDuration()).value(), 3u);
  EXPECT_EQ(q->Room().messages, 1u);  // polled but not released still counts
  std::vector<EventQueue::PendingAck> acks;
  bool wake = true;
  ASSERT_TRUE(q->Release({{got[2]->id(), false}}, &acks, &wake).ok());  // the CONNACK
  EXPECT_FALSE(wake);
  q->SetReadPaused(true);
  ASSERT_TRUE(q->Release({{got[1]->id(), false}}, &acks, &wake).ok());
  EXPECT_TRUE(wake);  // paused and room freed: the driver must look again
  EXPECT_EQ(q->Room().bytes, 94u);
  q->SetReadPaused(false);
  ASSERT_TRUE(q->Release({{got[0]->id(), false}}, &acks, &wake).ok());
  EXPECT_FALSE(wake);
  EXPECT_EQ(q->Room().messages, 3u);
}

TEST(EventQueue, AckStillValid_Qos1ForItsConnection_Qos2ForItsSession) {
  auto q = MakeQueue();
  Deliver(*q, {Connected(false), MessageOf("a", "", 1, 1), MessageOf("b", "", 2, 2)});
  std::vector<QueuedEvent*> got;
  ASSERT_EQ(q->Poll(got, 10, absl::ZeroDuration()).value(), 3u);
  std::vector<EventQueue::PendingAck> acks;
  bool wake;
  ASSERT_TRUE(q->Release(ReleasesOf({got[1], got[2]}), &acks, &wake).ok());
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_TRUE(q->AckStillValidLocked(acks[0]));
  EXPECT_TRUE(q->AckStillValidLocked(acks[1]));
  // A new connection resuming the session: QoS 1 ids may now name other messages, QoS 2 ones
  // still name the same (the server cannot reuse them before the exchange completes).
  Deliver(*q, {Connected(true)}, /*resumed=*/true);
  EXPECT_FALSE(q->AckStillValidLocked(acks[0]));
  EXPECT_TRUE(q->AckStillValidLocked(acks[1]));
  // A new session: nothing from before.
  Deliver(*q, {Connected(false)}, /*resumed=*/false);
  EXPECT_FALSE(q->AckStillValidLocked(acks[1]));
}

TEST(EventQueue, MakeEvent_SubclassesHoldTheEvents) {
  struct Tagged : QueuedEvent {
    int tag = 42;
  };
  EventQueueOptions o;
  o.make_event = [] { return std::make_unique<Tagged>(); };
  auto q = MakeQueue(o);
  Deliver(*q, {MessageOf("a", "", 0, 0)});
  std::vector<QueuedEvent*> got;
  ASSERT_EQ(q->Poll(got, 1, absl::ZeroDuration()).value(), 1u);
  EXPECT_EQ(static_cast<Tagged*>(got[0])->tag, 42);
}

}  // namespace
}  // namespace client_internal
}  // namespace ouzel
