// S19 four threads publishing on one client, S20 publishing from inside on_message.
#include <map>
#include <thread>

#include "gtest/gtest.h"
#include "scenario.h"

namespace scen {
namespace {

constexpr int kThreads = 4;
constexpr int kPerThread = 1000;

TEST(Concurrency, S19_FourThreadsPublishAThousandQos1Each) {
  const std::string topic = Unique("scen/s19");
  std::unique_ptr<TestClient> sub = Client(Unique("s19-sub"));
  std::unique_ptr<TestClient> pub = Client(Unique("s19-pub"));
  ASSERT_TRUE(sub && pub && ConnectAll({sub.get(), pub.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 1));

  // ouzel_client_publish is thread-safe: four threads share one client.
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int n = 0; n < kThreads; ++n) {
    threads.emplace_back([&, n] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string p = std::to_string(n) + ":" + std::to_string(i);
        if (ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(), 1, 0,
                                 nullptr, nullptr, nullptr) != OUZEL_OK) {
          ++failures[n];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int n = 0; n < kThreads; ++n) EXPECT_EQ(failures[n], 0) << "thread " << n;

  ASSERT_TRUE(WaitFor([&] { return pub->events().publish_count() >= kThreads * kPerThread; }))
      << pub->events().publish_count() << " acknowledged";
  for (const ouzel_it::PublishRecord& r : pub->events().published()) {
    EXPECT_EQ(r.state, OUZEL_DELIVERY_ACKNOWLEDGED);
  }
  ASSERT_TRUE(WaitFor([&] { return sub->events().message_count() >= kThreads * kPerThread; }))
      << sub->events().message_count() << " received";
  // Every message once, and each thread's messages in that thread's order.
  std::map<int, int> next;  // thread -> next index expected
  for (const ReceivedMessage& m : sub->events().messages()) {
    const int n = std::stoi(m.payload.substr(0, m.payload.find(':')));
    const int i = std::stoi(m.payload.substr(m.payload.find(':') + 1));
    EXPECT_EQ(i, next[n]) << "thread " << n;
    next[n] = i + 1;
  }
  for (int n = 0; n < kThreads; ++n) EXPECT_EQ(next[n], kPerThread) << "thread " << n;
}

TEST(Concurrency, S20_PublishFromInsideOnMessage) {
  const std::string requests = Unique("scen/s20/in"), echoes = Unique("scen/s20/out");
  std::unique_ptr<TestClient> echo = TestClient::Create(
      BaseOptions(Port(""), Unique("s20-echo"), OUZEL_MQTT_V5).get(), LoopMode::kThread,
      [&](ouzel_client* c, const ouzel_message* msg) {  // on the client's loop thread
        size_t len = 0;
        const char* payload = static_cast<const char*>(ouzel_message_payload(msg, &len));
        const std::string reply = "echo " + std::string(payload, len);
        EXPECT_EQ(ouzel_client_publish(c, echoes.data(), echoes.size(), reply.data(), reply.size(),
                                       1, 0, nullptr, nullptr, nullptr),
                  OUZEL_OK);
      });
  std::unique_ptr<TestClient> asker = Client(Unique("s20-asker"));
  ASSERT_TRUE(echo && asker && ConnectAll({echo.get(), asker.get()}));
  ASSERT_TRUE(SubscribeAndWait(echo.get(), requests, 1));
  ASSERT_TRUE(SubscribeAndWait(asker.get(), echoes, 1));

  for (int i = 0; i < 10; ++i) {
    const std::string p = std::to_string(i);
    ASSERT_EQ(ouzel_client_publish(asker->get(), requests.data(), requests.size(), p.data(),
                                   p.size(), 1, 0, nullptr, nullptr, nullptr),
              OUZEL_OK);
  }
  ASSERT_TRUE(WaitFor([&] { return asker->events().message_count() >= 10; }));
  const std::vector<ReceivedMessage> got = asker->events().messages();
  ASSERT_EQ(got.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(got[i].payload, "echo " + std::to_string(i));
}

}  // namespace
}  // namespace scen
