// S03 every QoS byte for byte, S04 retained messages, S06 unsubscribe, S22 shared subscriptions.
#include <atomic>
#include <set>

#include "gtest/gtest.h"
#include "scenario.h"

namespace scen {
namespace {

constexpr int kPerQos = 100;

// Binary payloads with NUL bytes in them, of varying length; the first is empty.
std::string Payload(int qos, int i) {
  if (i == 0) return "";
  std::string p{static_cast<char>(qos), '\0', static_cast<char>(i % 256), '\0'};
  for (int k = 0; k < i % 37; ++k) p += static_cast<char>((i * k) % 256);
  return p;
}

std::vector<ReceivedMessage> On(const std::vector<ReceivedMessage>& all, const std::string& t) {
  std::vector<ReceivedMessage> out;
  for (const ReceivedMessage& m : all) {
    if (m.topic == t) out.push_back(m);
  }
  return out;
}

TEST(PubSub, S03_HundredMessagesAtEachQosArriveInOrderByteForByte) {
  const std::string base = Unique("scen/s03");
  std::unique_ptr<TestClient> sub = Client(Unique("s03-sub"));
  std::unique_ptr<TestClient> pub = Client(Unique("s03-pub"));
  ASSERT_TRUE(sub && pub);
  ASSERT_TRUE(ConnectAll({sub.get(), pub.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), base + "/#", 2));

  for (int qos = 0; qos <= 2; ++qos) {
    const std::string topic = base + "/" + std::to_string(qos);
    for (int i = 0; i < kPerQos; ++i) {
      const std::string p = Payload(qos, i);
      ASSERT_EQ(ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(),
                                     qos, 0, nullptr, nullptr, nullptr),
                OUZEL_OK)
          << ouzel_last_error_message();
    }
  }
  ASSERT_TRUE(WaitFor([&] { return pub->events().publish_count() == 3 * kPerQos; }));
  for (const ouzel_it::PublishRecord& r : pub->events().published()) {
    EXPECT_EQ(r.state, OUZEL_DELIVERY_ACKNOWLEDGED);
  }
  ASSERT_TRUE(WaitFor([&] { return sub->events().message_count() >= 3 * kPerQos; }))
      << sub->events().message_count() << " received";

  const std::vector<ReceivedMessage> got = sub->events().messages();
  for (int qos = 0; qos <= 2; ++qos) {
    const std::vector<ReceivedMessage> mine = On(got, base + "/" + std::to_string(qos));
    ASSERT_EQ(mine.size(), static_cast<size_t>(kPerQos)) << "QoS " << qos;
    for (int i = 0; i < kPerQos; ++i) {
      EXPECT_EQ(mine[i].qos, qos);
      EXPECT_EQ(mine[i].payload, Payload(qos, i)) << "QoS " << qos << " message " << i;
    }
  }
}

TEST(PubSub, S04_RetainedMessageReachesALaterSubscriberAndIsCleared) {
  const std::string topic = Unique("scen/s04");
  std::unique_ptr<TestClient> pub = Client(Unique("s04-pub"));
  ASSERT_TRUE(pub && ConnectAll({pub.get()}));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "21.5", 1, /*retain=*/1), OUZEL_DELIVERY_ACKNOWLEDGED);

  std::unique_ptr<TestClient> late = Client(Unique("s04-late"));
  ASSERT_TRUE(late && ConnectAll({late.get()}));
  ASSERT_TRUE(SubscribeAndWait(late.get(), topic, 1));
  ASSERT_TRUE(WaitFor([&] { return late->events().message_count() == 1; }));
  EXPECT_EQ(late->events().messages()[0].payload, "21.5");
  EXPECT_EQ(late->events().messages()[0].retain, 1);

  // An empty retained publish clears it: a subscriber after that gets only what comes next.
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "", 1, 1), OUZEL_DELIVERY_ACKNOWLEDGED);
  std::unique_ptr<TestClient> later = Client(Unique("s04-later"));
  ASSERT_TRUE(later && ConnectAll({later.get()}));
  ASSERT_TRUE(SubscribeAndWait(later.get(), topic, 1));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "live", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return later->events().message_count() >= 1; }));
  const std::vector<ReceivedMessage> got = later->events().messages();
  ASSERT_EQ(got.size(), 1u) << ouzel_it::Describe(got);
  EXPECT_EQ(got[0].payload, "live");
  EXPECT_EQ(got[0].retain, 0);
}

void OnUnsubscribe(ouzel_client*, int32_t, const uint8_t*, size_t, const ouzel_properties*,
                   void* user_data) {
  static_cast<std::atomic<int>*>(user_data)->fetch_add(1);
}

TEST(PubSub, S06_NoMessageArrivesAfterTheUnsuback) {
  const std::string topic = Unique("scen/s06"), marker = Unique("scen/s06-marker");
  std::atomic<int> unsubacks{0};  // outlives the clients, whose callback counts into it
  std::unique_ptr<TestClient> sub = Client(Unique("s06-sub"));
  std::unique_ptr<TestClient> pub = Client(Unique("s06-pub"));
  ASSERT_TRUE(sub && pub);
  ouzel_client_set_on_unsubscribe(sub->get(), OnUnsubscribe, &unsubacks, nullptr);
  ASSERT_TRUE(ConnectAll({sub.get(), pub.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 1));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), marker, 1));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "before", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return sub->events().message_count() == 1; }));

  const char* filters[] = {topic.c_str()};
  ASSERT_EQ(ouzel_client_unsubscribe(sub->get(), filters, nullptr, 1, nullptr, nullptr), OUZEL_OK);
  ASSERT_TRUE(WaitFor([&] { return unsubacks.load() == 1; })) << "no UNSUBACK";
  // The broker handles one publisher's messages in order: once the marker (sent after) has
  // arrived, a message on the unsubscribed topic would have arrived before it.
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "after", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_EQ(PublishAndWait(pub.get(), marker, "marker", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return sub->events().message_count() >= 2; }));
  const std::vector<ReceivedMessage> got = sub->events().messages();
  ASSERT_EQ(got.size(), 2u) << ouzel_it::Describe(got);
  EXPECT_EQ(got[0].payload, "before");
  EXPECT_EQ(got[1].payload, "marker");
}

TEST(PubSub, S22_SharedSubscriptionGivesEachMessageToOneMember) {
  const std::string topic = Unique("scen/s22");
  std::unique_ptr<TestClient> a = Client(Unique("s22-a"));
  std::unique_ptr<TestClient> b = Client(Unique("s22-b"));
  std::unique_ptr<TestClient> pub = Client(Unique("s22-pub"));
  ASSERT_TRUE(a && b && pub);
  ASSERT_TRUE(ConnectAll({a.get(), b.get(), pub.get()}));
  ASSERT_TRUE(SubscribeAndWait(a.get(), "$share/g/" + topic, 1));
  ASSERT_TRUE(SubscribeAndWait(b.get(), "$share/g/" + topic, 1));

  std::multiset<std::string> sent;
  for (int i = 0; i < 100; ++i) {
    const std::string p = "job " + std::to_string(i);
    sent.insert(p);
    ASSERT_EQ(ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(), 1, 0,
                                   nullptr, nullptr, nullptr),
              OUZEL_OK);
  }
  ASSERT_TRUE(WaitFor([&] { return pub->events().publish_count() == 100; }));
  ASSERT_TRUE(
      WaitFor([&] { return a->events().message_count() + b->events().message_count() >= 100; }));
  std::multiset<std::string> got;
  std::set<std::string> in_a;
  for (const ReceivedMessage& m : a->events().messages()) {
    got.insert(m.payload);
    in_a.insert(m.payload);
  }
  for (const ReceivedMessage& m : b->events().messages()) {
    got.insert(m.payload);
    EXPECT_EQ(in_a.count(m.payload), 0u) << m.payload << " went to both members";
  }
  EXPECT_EQ(got, sent) << "a message was lost or delivered twice";
  EXPECT_GT(a->events().message_count(), 0);
  EXPECT_GT(b->events().message_count(), 0);
}

}  // namespace
}  // namespace scen
