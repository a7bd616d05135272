// MQTT 5: S12 user properties, S13 request/response, S14 automatic topic aliases.
#include <mutex>
#include <utility>

#include "gtest/gtest.h"
#include "scenario.h"

namespace scen {
namespace {

using UserProperties = std::vector<std::pair<std::string, std::string>>;

// The User Properties of `props`, in order, repeated names included.
UserProperties UserPropertiesOf(const ouzel_properties* props) {
  UserProperties out;
  for (size_t i = 0; i < ouzel_properties_count(props); ++i) {
    const char *name, *value;
    size_t name_len, value_len;
    if (ouzel_properties_id_at(props, i) == OUZEL_PROP_USER_PROPERTY &&
        ouzel_properties_user_at(props, i, &name, &name_len, &value, &value_len) == OUZEL_OK) {
      out.emplace_back(std::string(name, name_len), std::string(value, value_len));
    }
  }
  return out;
}

TEST(Mqtt5, S12_UserPropertiesKeepOrderAndRepeatedKeys) {
  const std::string topic = Unique("scen/s12");
  std::mutex mu;
  UserProperties received;
  std::unique_ptr<TestClient> sub =
      TestClient::Create(BaseOptions(Port(""), Unique("s12-sub"), OUZEL_MQTT_V5).get(),
                         LoopMode::kThread, [&](ouzel_client*, const ouzel_message* msg) {
                           std::lock_guard<std::mutex> lock(mu);
                           received = UserPropertiesOf(ouzel_message_properties(msg));
                         });
  std::unique_ptr<TestClient> pub = Client(Unique("s12-pub"));
  ASSERT_TRUE(sub && pub && ConnectAll({sub.get(), pub.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 1));

  const UserProperties sent = {
      {"unit", "celsius"}, {"tag", "b"}, {"tag", "a"}, {"unit", "kelvin"}, {"", ""}};
  Properties props = NewProperties();
  for (const auto& [name, value] : sent) {
    ASSERT_EQ(ouzel_properties_add_user(props.get(), name.data(), name.size(), value.data(),
                                        value.size()),
              OUZEL_OK);
  }
  ASSERT_EQ(PublishAndWait(pub.get(), topic, "21.5", 1, 0, props.get()),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return sub->events().message_count() == 1; }));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(received, sent);
}

TEST(Mqtt5, S13_RequestResponseWithResponseTopicAndCorrelationData) {
  const std::string requests = Unique("scen/s13/requests"),
                    responses = Unique("scen/s13/responses");
  const std::string correlation("\0req-42", 7);
  // The responder answers from inside on_message, copying the correlation data to the reply.
  std::unique_ptr<TestClient> responder = TestClient::Create(
      BaseOptions(Port(""), Unique("s13-responder"), OUZEL_MQTT_V5).get(), LoopMode::kThread,
      [](ouzel_client* c, const ouzel_message* request) {
        const ouzel_properties* in = ouzel_message_properties(request);
        const char *reply_to, *data;
        size_t reply_to_len, data_len, payload_len;
        if (ouzel_properties_get_bytes(in, OUZEL_PROP_RESPONSE_TOPIC, &reply_to, &reply_to_len) !=
                OUZEL_OK ||
            ouzel_properties_get_bytes(in, OUZEL_PROP_CORRELATION_DATA, &data, &data_len) !=
                OUZEL_OK) {
          return;  // not a request
        }
        const char* payload =
            static_cast<const char*>(ouzel_message_payload(request, &payload_len));
        const std::string answer = "re: " + std::string(payload, payload_len);
        ouzel_properties* out = nullptr;
        ouzel_properties_new(&out);
        ouzel_properties_set_binary(out, OUZEL_PROP_CORRELATION_DATA, data, data_len);
        ouzel_client_publish(c, reply_to, reply_to_len, answer.data(), answer.size(), 1, 0, out,
                             nullptr, nullptr);
        ouzel_properties_free(out);
      });
  std::unique_ptr<TestClient> requester = Client(Unique("s13-requester"));
  ASSERT_TRUE(responder && requester && ConnectAll({responder.get(), requester.get()}));
  ASSERT_TRUE(SubscribeAndWait(responder.get(), requests, 1));
  ASSERT_TRUE(SubscribeAndWait(requester.get(), responses, 1));

  Properties request = NewProperties();
  ASSERT_EQ(ouzel_properties_set_string(request.get(), OUZEL_PROP_RESPONSE_TOPIC, responses.data(),
                                        responses.size()),
            OUZEL_OK);
  ASSERT_EQ(ouzel_properties_set_binary(request.get(), OUZEL_PROP_CORRELATION_DATA,
                                        correlation.data(), correlation.size()),
            OUZEL_OK);
  ASSERT_EQ(PublishAndWait(requester.get(), requests, "ping", 1, 0, request.get()),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return requester->events().message_count() == 1; }));
  const ReceivedMessage response = requester->events().messages()[0];
  EXPECT_EQ(response.payload, "re: ping");
  EXPECT_EQ(response.correlation_data, correlation);
}

TEST(Mqtt5, S14_AutomaticTopicAliasesDeliverHundredMessagesIntact) {
  std::string topic = "scen/s14";
  for (int i = 0; i < 6; ++i) topic += "/long-topic-name";
  topic = Unique(topic);
  std::unique_ptr<TestClient> sub = Client(Unique("s14-sub"));
  Options o = BaseOptions(Port(""), Unique("s14-pub"), OUZEL_MQTT_V5);
  ASSERT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_AUTO_TOPIC_ALIAS, 1), OUZEL_OK);
  std::unique_ptr<TestClient> pub = Client(o.get());
  ASSERT_TRUE(sub && pub && ConnectAll({sub.get(), pub.get()}));
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 1));

  const int64_t sent_before = pub->Stat(OUZEL_STAT_BYTES_SENT);
  for (int i = 0; i < 100; ++i) {
    const std::string p = "m" + std::to_string(i);
    ASSERT_EQ(ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(), 1, 0,
                                   nullptr, nullptr, nullptr),
              OUZEL_OK);
  }
  ASSERT_TRUE(WaitFor([&] { return sub->events().message_count() >= 100; }));
  const std::vector<ReceivedMessage> got = sub->events().messages();
  ASSERT_EQ(got.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(got[i].topic, topic);
    EXPECT_EQ(got[i].payload, "m" + std::to_string(i));
  }
  ASSERT_TRUE(WaitFor([&] { return pub->events().publish_count() == 100; }));
  // The aliases were really used: 100 topics would take more bytes than were sent.
  EXPECT_LT(pub->Stat(OUZEL_STAT_BYTES_SENT) - sent_before,
            static_cast<int64_t>(100 * topic.size()));
}

}  // namespace
}  // namespace scen
