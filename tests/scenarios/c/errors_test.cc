// S15 an invalid topic, S16 a message over the server's Maximum Packet Size, S17 publishing on a
// closed client: each fails at once, with its own error code and message, and sends nothing.
#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "scenario.h"

namespace scen {
namespace {

TEST(Errors, S15_PublishToAWildcardTopicFailsWithEinval) {
  std::unique_ptr<TestClient> c = Client(Unique("s15"));
  ASSERT_TRUE(c && ConnectAll({c.get()}));
  const int64_t sent_before = c->Stat(OUZEL_STAT_BYTES_SENT);

  EXPECT_EQ(
      ouzel_client_publish(c->get(), "a/+/b", SIZE_MAX, "x", 1, 1, 0, nullptr, nullptr, nullptr),
      OUZEL_EINVAL);
  const std::string why = ouzel_last_error_message();
  EXPECT_NE(why.find("wildcard"), std::string::npos) << why;
  EXPECT_EQ(c->Stat(OUZEL_STAT_BYTES_SENT), sent_before) << "something was sent";
  // The client is unharmed: a valid publish still goes through.
  EXPECT_EQ(PublishAndWait(c.get(), Unique("scen/s15"), "ok", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
}

TEST(Errors, S16_PayloadOverTheMaximumPacketSizeFailsBeforeSending) {
  const int limit = std::stoi(Env("MAX_PACKET_SIZE"));
  const std::string topic = Unique("scen/s16");
  // MQTT 5: the broker announces its Maximum Packet Size in the CONNACK.
  Options o = BaseOptions(Port("LIMIT"), Unique("s16"), OUZEL_MQTT_V5);
  std::unique_ptr<TestClient> c = Client(o.get());
  ASSERT_TRUE(c && ConnectAll({c.get()}));
  EXPECT_EQ(c->events().connects()[0].maximum_packet_size, static_cast<uint32_t>(limit));
  ASSERT_TRUE(SubscribeAndWait(c.get(), topic, 1));
  const int64_t sent_before = c->Stat(OUZEL_STAT_BYTES_SENT);

  const std::string big(limit + 1, 'x');
  EXPECT_EQ(ouzel_client_publish(c->get(), topic.data(), topic.size(), big.data(), big.size(), 1, 0,
                                 nullptr, nullptr, nullptr),
            OUZEL_ETOOLARGE)
      << ouzel_last_error_message();
  EXPECT_EQ(c->Stat(OUZEL_STAT_BYTES_SENT), sent_before) << "the oversized message was sent";
  // Still connected (the broker would have disconnected it), and a message that fits arrives.
  ASSERT_EQ(PublishAndWait(c.get(), topic, "fits", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return c->events().message_count() == 1; }));
  EXPECT_EQ(c->events().messages()[0].payload, "fits");
  EXPECT_EQ(ouzel_client_is_connected(c->get()), 1);
}

TEST(Errors, S17_PublishOnAClosedClientFailsClearly) {
  std::unique_ptr<TestClient> c = Client(Unique("s17"));
  ASSERT_TRUE(c && ConnectAll({c.get()}));
  ASSERT_TRUE(DisconnectAndWait(c.get()));
  ASSERT_EQ(ouzel_client_loop_stop(c->get()), OUZEL_OK);

  const auto start = std::chrono::steady_clock::now();
  const std::string topic = Unique("scen/s17");
  EXPECT_EQ(ouzel_client_publish(c->get(), topic.data(), topic.size(), "late", 4, 0, 0, nullptr,
                                 nullptr, nullptr),
            OUZEL_ENOTCONN);
  EXPECT_STRNE(ouzel_last_error_message(), "");
  EXPECT_EQ(ouzel_client_disconnect(c->get(), 0, nullptr), OUZEL_ENOTCONN);
  // Returned at once (no hang), and nothing was called back.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(c->events().publish_count(), 0);
}

}  // namespace
}  // namespace scen
