// Messages that must survive something: S05 the Will on an abrupt loss, S07 publishing before
// connecting, S11 a message the application did not acknowledge, S21 a process killed with
// messages queued in its durable session.
#include "gtest/gtest.h"
#include "scenario.h"

namespace scen {
namespace {

TEST(Delivery, S05_WillIsPublishedWhenTheConnectionIsLost) {
  const std::string topic = Unique("scen/s05");
  std::unique_ptr<TestClient> watcher = Client(Unique("s05-watcher"));
  ASSERT_TRUE(watcher && ConnectAll({watcher.get()}));
  ASSERT_TRUE(SubscribeAndWait(watcher.get(), topic, 1));

  Child child({"will", Uri("mqtt", ""), topic});  // connects with a Will, prints "ready"
  ASSERT_TRUE(child.ready());
  EXPECT_EQ(watcher->events().message_count(), 0) << "the Will came while the client was alive";
  child.Kill();  // SIGKILL: no DISCONNECT, the broker sees the connection drop

  ASSERT_TRUE(WaitFor([&] { return watcher->events().message_count() == 1; }))
      << "the Will never arrived";
  EXPECT_EQ(watcher->events().messages()[0].payload, "lost without a goodbye");
}

TEST(Delivery, S07_MessagesPublishedBeforeConnectingArriveOnceConnected) {
  const std::string topic = Unique("scen/s07");
  std::unique_ptr<TestClient> watcher = Client(Unique("s07-watcher"));
  ASSERT_TRUE(watcher && ConnectAll({watcher.get()}));
  ASSERT_TRUE(SubscribeAndWait(watcher.get(), topic, 1));

  std::unique_ptr<TestClient> client = Client(Unique("s07"));
  ASSERT_TRUE(client);
  for (int i = 0; i < 10; ++i) {
    const std::string p = "early " + std::to_string(i);
    // Not connected yet: QoS 1 is queued (QoS 0 would be OUZEL_ENOTCONN).
    ASSERT_EQ(ouzel_client_publish(client->get(), topic.data(), topic.size(), p.data(), p.size(), 1,
                                   0, nullptr, nullptr, nullptr),
              OUZEL_OK);
  }
  ASSERT_TRUE(ConnectAll({client.get()}));
  ASSERT_TRUE(WaitFor([&] { return watcher->events().message_count() >= 10; }));
  const std::vector<ReceivedMessage> got = watcher->events().messages();
  ASSERT_EQ(got.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(got[i].payload, "early " + std::to_string(i));
  ASSERT_TRUE(WaitFor([&] { return client->events().publish_count() == 10; }));
}

TEST(Delivery, S11_UnacknowledgedMessageIsDeliveredAgainAfterReconnecting) {
  const std::string topic = Unique("scen/s11"), id = Unique("s11");
  // Manual acknowledgement, and a session the broker keeps across connections.
  Options o = BaseOptions(Port(""), id, OUZEL_MQTT_V311);
  ASSERT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_MANUAL_ACK, 1), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 0), OUZEL_OK);

  std::unique_ptr<TestClient> first = Client(o.get());
  std::unique_ptr<TestClient> pub = Client(Unique("s11-pub"));
  ASSERT_TRUE(first && pub && ConnectAll({first.get(), pub.get()}));
  ASSERT_TRUE(SubscribeAndWait(first.get(), topic, 1));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "handle me", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return first->events().message_count() == 1; }));
  EXPECT_EQ(first->events().messages()[0].dup, 0);
  ASSERT_TRUE(DisconnectAndWait(first.get()));  // without ouzel_client_ack
  first->Free();

  std::unique_ptr<TestClient> second = Client(o.get());
  ASSERT_TRUE(second && ConnectAll({second.get()}));
  ASSERT_TRUE(WaitFor([&] { return second->events().message_count() == 1; }))
      << "the unacknowledged message was not delivered again";
  const ReceivedMessage again = second->events().messages()[0];
  EXPECT_EQ(again.payload, "handle me");
  EXPECT_EQ(again.dup, 1);
  ASSERT_EQ(ouzel_client_ack(second->get(), again.mid), OUZEL_OK);  // the PUBACK goes out now
  ASSERT_TRUE(DisconnectAndWait(second.get()));
  second->Free();

  // Acknowledged: the next connection gets only what is published next.
  std::unique_ptr<TestClient> third = Client(o.get());
  ASSERT_TRUE(third && ConnectAll({third.get()}));
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "next", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return third->events().message_count() >= 1; }));
  const std::vector<ReceivedMessage> got = third->events().messages();
  ASSERT_EQ(got.size(), 1u) << ouzel_it::Describe(got);
  EXPECT_EQ(got[0].payload, "next");
}

TEST(Delivery, S21_MessagesQueuedByAKilledProcessAreSentByItsSuccessor) {
  const std::string topic = Unique("scen/s21"), id = Unique("s21");
  const std::string dir = Env("WORK") + "/" + id;
  std::unique_ptr<TestClient> watcher = Client(Unique("s21-watcher"));
  ASSERT_TRUE(watcher && ConnectAll({watcher.get()}));
  ASSERT_TRUE(SubscribeAndWait(watcher.get(), topic, 1));

  {
    Child child({"queue", Uri("mqtt", ""), id, dir, topic, "20"});  // queues 20, never connects
    ASSERT_TRUE(child.ready());
    child.Kill();
  }

  // The successor: same client id, same persistence directory.
  Options o = BaseOptions(Port(""), id, OUZEL_MQTT_V311);
  ASSERT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 0), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_PERSISTENCE_DIR, dir.c_str(), SIZE_MAX),
            OUZEL_OK);
  std::unique_ptr<TestClient> successor = Client(o.get());
  ASSERT_TRUE(successor);
  ouzel_persistence_report report;
  ASSERT_EQ(ouzel_persistence_report_init(&report, OUZEL_PERSISTENCE_REPORT_VERSION), OUZEL_OK);
  ASSERT_EQ(ouzel_client_persistence_report(successor->get(), &report), OUZEL_OK);
  EXPECT_EQ(report.outgoing, 20u) << report.summary;

  ASSERT_TRUE(ConnectAll({successor.get()}));
  ASSERT_TRUE(WaitFor([&] { return watcher->events().message_count() >= 20; }));
  const std::vector<ReceivedMessage> got = watcher->events().messages();
  ASSERT_EQ(got.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(got[i].payload, "durable " + std::to_string(i));
}

}  // namespace
}  // namespace scen
