// Several threads publishing through one client while its loop thread runs, other threads
// reading counters and delivery states and swapping callbacks. Run under --config=tsan too.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "cc/client/client.h"
#include "cc/client/client_test_util.h"
#include "gtest/gtest.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

using fixtures::MosquittoBroker;
using testing::WaitFor;

constexpr int kThreads = 4;
constexpr int kPerThread = 2000;
constexpr absl::Duration kTimeout = absl::Seconds(60);

std::unique_ptr<Client> MakeClient(int port, std::string id) {
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", port)};
  o.session.client_id = std::move(id);
  o.session.max_inflight = 100;
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(*c) : nullptr;
}

TEST(ClientThreadingTest, FourPublisherThreadsOneClientEveryMessageOnceInThreadOrder) {
  MosquittoBroker::Options bo;
  bo.extra_config = {"max_queued_messages 0", "max_inflight_messages 100"};
  absl::StatusOr<std::unique_ptr<MosquittoBroker>> broker = MosquittoBroker::Start(bo);
  ASSERT_TRUE(broker.ok()) << broker.status();

  // The subscriber: its own client and loop thread, recording payloads "thread:seq".
  auto subscriber = MakeClient((*broker)->port(), "threading-sub");
  std::mutex mu;
  std::map<int, std::vector<int>> received;  // thread -> sequence numbers in arrival order
  std::atomic<int> received_count{0};
  std::atomic<bool> subscribed{false};
  subscriber->SetOnMessage([&](const Message& m) {
    std::vector<std::string> parts = absl::StrSplit(m.payload, ':');
    int t = -1, seq = -1;
    if (parts.size() == 2 && absl::SimpleAtoi(parts[0], &t) && absl::SimpleAtoi(parts[1], &seq)) {
      std::lock_guard<std::mutex> lock(mu);
      received[t].push_back(seq);
    }
    received_count.fetch_add(1);
  });
  subscriber->SetOnSubscribe([&](const SubscribeDoneEvent&) { subscribed = true; });
  subscriber->SetOnConnect(
      [&](const ConnectedEvent&) { EXPECT_TRUE(subscriber->Subscribe("ouzel/threads", 1).ok()); });
  ASSERT_TRUE(subscriber->ConnectAsync().ok());
  ASSERT_TRUE(subscriber->LoopStart().ok());
  ASSERT_TRUE(WaitFor([&] { return subscribed.load(); }, kTimeout)) << (*broker)->Log();

  auto publisher = MakeClient((*broker)->port(), "threading-pub");
  std::atomic<int> done_callbacks{0};
  publisher->SetOnPublish([&](const PublishDoneEvent&) { done_callbacks.fetch_add(1); });
  ASSERT_TRUE(publisher->ConnectAsync().ok());
  ASSERT_TRUE(publisher->LoopStart().ok());

  std::atomic<bool> stop_observers{false};
  std::vector<std::thread> observers;
  // Counters, states and callback swaps from other threads while everything runs.
  observers.emplace_back([&] {
    while (!stop_observers.load()) {
      ClientStats s = publisher->Stats();
      EXPECT_LE(s.messages_sent, static_cast<uint64_t>(kThreads * kPerThread));
      publisher->DeliveryStatus(1);
      publisher->WantWrite();
      publisher->NextTimeout();
      absl::SleepFor(absl::Microseconds(200));
    }
  });
  observers.emplace_back([&] {
    int i = 0;
    while (!stop_observers.load()) {
      publisher->SetOnLog([i](LogLevel, absl::string_view) { (void)i; });
      publisher->SetLogLevel(i % 2 ? LogLevel::kDebug : LogLevel::kError);
      ++i;
      absl::SleepFor(absl::Microseconds(500));
    }
  });

  std::vector<std::vector<MessageToken>> tokens(kThreads);
  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t) {
    publishers.emplace_back([&, t] {
      for (int seq = 0; seq < kPerThread; ++seq) {
        absl::StatusOr<MessageToken> token =
            publisher->Publish("ouzel/threads", absl::StrCat(t, ":", seq), 1);
        ASSERT_TRUE(token.ok()) << token.status();
        tokens[t].push_back(*token);
      }
    });
  }
  for (std::thread& p : publishers) p.join();

  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(tokens[t].size(), static_cast<size_t>(kPerThread));
    absl::StatusOr<MessageStatus> last = publisher->WaitForPublish(tokens[t].back(), kTimeout);
    ASSERT_TRUE(last.ok()) << last.status();
    EXPECT_EQ(last->state, DeliveryState::kAcknowledged);
  }
  ASSERT_TRUE(WaitFor([&] { return received_count.load() >= kThreads * kPerThread; }, kTimeout))
      << received_count.load() << " of " << kThreads * kPerThread;
  absl::SleepFor(absl::Milliseconds(100));  // a duplicate would arrive now
  stop_observers = true;
  for (std::thread& o : observers) o.join();

  EXPECT_EQ(received_count.load(), kThreads * kPerThread);
  {
    std::lock_guard<std::mutex> lock(mu);
    for (int t = 0; t < kThreads; ++t) {
      const std::vector<int>& seqs = received[t];
      ASSERT_EQ(seqs.size(), static_cast<size_t>(kPerThread)) << "thread " << t;
      for (int i = 0; i < kPerThread; ++i) {
        ASSERT_EQ(seqs[i], i) << "thread " << t << ": out of order or duplicated";
      }
    }
  }
  EXPECT_TRUE(WaitFor([&] { return done_callbacks.load() == kThreads * kPerThread; }, kTimeout));
  ClientStats stats = publisher->Stats();
  EXPECT_EQ(stats.messages_sent, static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(stats.inflight, 0u);
  EXPECT_EQ(stats.queued, 0u);
  ASSERT_TRUE(publisher->Disconnect().ok());
  ASSERT_TRUE(subscriber->Disconnect().ok());
  ASSERT_TRUE(publisher->LoopStop().ok());
  ASSERT_TRUE(subscriber->LoopStop().ok());
}

}  // namespace
}  // namespace ouzel
