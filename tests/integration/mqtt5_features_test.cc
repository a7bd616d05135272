// MQTT 5 features through the C API against a real Mosquitto (max_topic_alias 10):
// - topic aliases set by hand with the Topic Alias property (bind, use with an empty topic,
//   rebind), and assigned by the client with OUZEL_OPT_AUTO_TOPIC_ALIAS, including more topics
//   than the broker's Topic Alias Maximum: the subscriber must see the right topic every time,
//   and the aliased stream must really be smaller on the wire;
// - request/response: Response Topic and Correlation Data carried to a responder, which answers
//   from inside its on_message callback, and back.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

constexpr uint32_t kBrokerAliasMax = 10;

class Mqtt5FeaturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    MosquittoBroker::Options o;
    o.extra_config = {"max_queued_messages 0",
                      "max_topic_alias " + std::to_string(kBrokerAliasMax)};
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }

  std::unique_ptr<TestClient> Client(const std::string& id, LoopMode mode, bool auto_alias = false,
                                     Recorder::MessageHook hook = nullptr) {
    Options o = BaseOptions(broker_->port(), id, OUZEL_MQTT_V5);
    if (auto_alias) ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_AUTO_TOPIC_ALIAS, 1), "auto");
    return TestClient::Create(o.get(), mode, std::move(hook));
  }

  void RunAutoAlias(const std::string& tag, int topic_count, int rounds, int64_t* aliased_bytes,
                    int64_t* plain_bytes);

  static MosquittoBroker* broker_;
};
MosquittoBroker* Mqtt5FeaturesTest::broker_ = nullptr;

int PublishWithAlias(TestClient* c, const std::string& topic, uint32_t alias,
                     const std::string& payload) {
  Properties p = NewProperties();
  ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_TOPIC_ALIAS, alias), "alias");
  return ouzel_client_publish(c->get(), topic.data(), topic.size(), payload.data(), payload.size(),
                              1, 0, p.get(), nullptr, nullptr);
}

TEST_F(Mqtt5FeaturesTest, ManualTopicAlias_BindUseRebind_SubscriberSeesTheRightTopics) {
  ASSERT_NE(broker_, nullptr);
  const std::string a = "it/alias/manual/" + std::string(120, 'a');
  const std::string b = "it/alias/manual/" + std::string(120, 'b');
  auto pub = Client("alias-manual-pub", LoopMode::kThread);
  auto sub = Client("alias-manual-sub", LoopMode::kThread);
  ASSERT_TRUE(pub && sub);
  ASSERT_TRUE(ConnectAll({pub.get(), sub.get()})) << broker_->Log();
  ASSERT_EQ(pub->events().connects()[0].topic_alias_maximum, kBrokerAliasMax);
  ASSERT_TRUE(SubscribeAndWait(sub.get(), "it/alias/manual/#", 1));

  // alias 1 -> a (bound by a publish carrying both), then used alone with an empty topic; then
  // rebound to b and used again.
  std::vector<std::string> expected_topics;
  ASSERT_EQ(PublishWithAlias(pub.get(), a, 1, NumberedPayload(0)), OUZEL_OK)
      << ouzel_last_error_message();
  expected_topics.push_back(a);
  for (int i = 1; i <= 4; ++i) {
    ASSERT_EQ(PublishWithAlias(pub.get(), "", 1, NumberedPayload(i)), OUZEL_OK)
        << ouzel_last_error_message();
    expected_topics.push_back(a);
  }
  ASSERT_EQ(PublishWithAlias(pub.get(), b, 1, NumberedPayload(5)), OUZEL_OK);
  expected_topics.push_back(b);
  for (int i = 6; i <= 8; ++i) {
    ASSERT_EQ(PublishWithAlias(pub.get(), "", 1, NumberedPayload(i)), OUZEL_OK);
    expected_topics.push_back(b);
  }
  const int n = static_cast<int>(expected_topics.size());
  ASSERT_TRUE(RunUntil({pub.get(), sub.get()}, [&] {
    return sub->events().message_count() >= n && pub->events().publish_count() >= n;
  })) << Describe(sub->events().messages());
  const std::vector<ReceivedMessage> got = sub->events().messages();
  ASSERT_EQ(static_cast<int>(got.size()), n);
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(got[i].topic, expected_topics[i]) << "message " << i;
    EXPECT_EQ(PayloadIndex(got[i].payload), i);
  }
  for (const PublishRecord& r : pub->events().published()) {
    EXPECT_EQ(r.state, OUZEL_DELIVERY_ACKNOWLEDGED);
  }
  // Refused locally, nothing queued: a topic-less publish on an alias above the broker's maximum,
  // and on an alias that was never bound.
  EXPECT_EQ(PublishWithAlias(pub.get(), "", kBrokerAliasMax + 1, "x"), OUZEL_EINVAL);
  EXPECT_EQ(PublishWithAlias(pub.get(), "", 7, "x"), OUZEL_EINVAL);
  EXPECT_EQ(pub->Stat(OUZEL_STAT_QUEUED), 0);
}

// Two publishers, one with OUZEL_OPT_AUTO_TOPIC_ALIAS and one without, publish the same stream
// (`topics` cycled `rounds` times, one round at a time) to one subscriber. Checks that every
// message arrives with the topic it was published to; returns the bytes each publisher sent.
void Mqtt5FeaturesTest::RunAutoAlias(const std::string& tag, int topic_count, int rounds,
                                     int64_t* aliased_bytes, int64_t* plain_bytes) {
  std::vector<std::string> topics;
  for (int t = 0; t < topic_count; ++t) {
    topics.push_back("it/alias/" + tag + "/" + std::to_string(t) + "/" + std::string(200, 'x'));
  }
  auto aliased = Client("alias-auto-pub-" + tag, LoopMode::kCaller, /*auto_alias=*/true);
  auto plain = Client("alias-plain-pub-" + tag, LoopMode::kCaller);
  auto sub = Client("alias-sub-" + tag, LoopMode::kCaller);
  ASSERT_TRUE(aliased && plain && sub);
  ASSERT_TRUE(ConnectAll({aliased.get(), plain.get(), sub.get()})) << broker_->Log();
  ASSERT_TRUE(SubscribeAndWait(sub.get(), "it/alias/" + tag + "/#", 1, nullptr, nullptr,
                               {aliased.get(), plain.get()}));
  const int64_t aliased_before = aliased->Stat(OUZEL_STAT_BYTES_SENT);
  const int64_t plain_before = plain->Stat(OUZEL_STAT_BYTES_SENT);

  std::vector<std::string> expected;  // the topic of message i
  int i = 0;
  for (int r = 0; r < rounds; ++r) {
    for (int t = 0; t < topic_count; ++t, ++i) {
      const std::string p = NumberedPayload(i);
      for (TestClient* c : {aliased.get(), plain.get()}) {
        ASSERT_EQ(ouzel_client_publish(c->get(), topics[t].data(), topics[t].size(), p.data(),
                                       p.size(), 1, 0, nullptr, nullptr, nullptr),
                  OUZEL_OK)
            << ouzel_last_error_message();
      }
      expected.push_back(topics[t]);
    }
    // Each round goes out before the next, so aliases are reused across rounds.
    ASSERT_TRUE(RunUntil({aliased.get(), plain.get(), sub.get()}, [&] {
      return aliased->events().publish_count() == i && plain->events().publish_count() == i;
    }));
  }
  const int n = topic_count * rounds;
  ASSERT_TRUE(RunUntil({aliased.get(), plain.get(), sub.get()}, [&] {
    return sub->events().message_count() >= 2 * n;
  })) << sub->events().message_count();
  RunFor({aliased.get(), plain.get(), sub.get()}, 100);

  // Both publishers' copies of message i arrive with topic i.
  std::map<int, std::vector<std::string>> topics_by_index;
  for (const ReceivedMessage& m : sub->events().messages()) {
    const int index = PayloadIndex(m.payload);
    ASSERT_GE(index, 0);
    ASSERT_LT(index, n);
    topics_by_index[index].push_back(m.topic);
  }
  ASSERT_EQ(static_cast<int>(topics_by_index.size()), n);
  for (const auto& [index, seen] : topics_by_index) {
    ASSERT_EQ(seen.size(), 2u) << "message " << index;
    EXPECT_EQ(seen[0], expected[index]) << "message " << index;
    EXPECT_EQ(seen[1], expected[index]) << "message " << index;
  }
  for (const PublishRecord& r : aliased->events().published()) {
    EXPECT_EQ(r.state, OUZEL_DELIVERY_ACKNOWLEDGED);
  }
  *aliased_bytes = aliased->Stat(OUZEL_STAT_BYTES_SENT) - aliased_before;
  *plain_bytes = plain->Stat(OUZEL_STAT_BYTES_SENT) - plain_before;
  RecordProperty("bytes_sent_aliased", std::to_string(*aliased_bytes));
  RecordProperty("bytes_sent_plain", std::to_string(*plain_bytes));
}

TEST_F(Mqtt5FeaturesTest, AutoTopicAlias_RepeatedTopics_SentAsAliases_FewerBytes) {
  ASSERT_NE(broker_, nullptr);
  constexpr int kTopics = 3, kRounds = 10;  // the topics fit in the broker's 10 aliases
  int64_t aliased = 0, plain = 0;
  ASSERT_NO_FATAL_FAILURE(RunAutoAlias("hot", kTopics, kRounds, &aliased, &plain));
  // After the first round every PUBLISH goes out without its 200-byte topic (plus a 3-byte
  // Topic Alias property): aliases really were on the wire.
  EXPECT_LT(aliased, plain - kTopics * (kRounds - 1) * 150)
      << "aliased " << aliased << " bytes, plain " << plain;
}

TEST_F(Mqtt5FeaturesTest, AutoTopicAlias_MoreTopicsThanAliases_SubscriberSeesTheRightTopics) {
  ASSERT_NE(broker_, nullptr);
  // 15 topics cycled over the broker's 10 aliases: aliases are rebound all the time. (No byte
  // check: with an LRU choice a cycle longer than the table never hits, see the README.)
  int64_t aliased = 0, plain = 0;
  ASSERT_NO_FATAL_FAILURE(RunAutoAlias("cycle", 15, 3, &aliased, &plain));
}

TEST_F(Mqtt5FeaturesTest, RequestResponse_ResponseTopicAndCorrelationDataRoundTrip) {
  ASSERT_NE(broker_, nullptr);
  const std::string requests = "it/rr/requests";
  const std::string replies = "it/rr/replies/requester-1";
  // The responder answers inside on_message (any API call is allowed in a callback), to the
  // Response Topic, echoing the Correlation Data.
  auto responder = Client(
      "rr-responder", LoopMode::kThread, false, [](ouzel_client* c, const ouzel_message* msg) {
        const ouzel_properties* in = ouzel_message_properties(msg);
        const char* rt = nullptr;
        size_t rt_len = 0;
        if (ouzel_properties_get_bytes(in, OUZEL_PROP_RESPONSE_TOPIC, &rt, &rt_len) != OUZEL_OK) {
          return;
        }
        Properties out = NewProperties();
        const char* cd = nullptr;
        size_t cd_len = 0;
        if (ouzel_properties_get_bytes(in, OUZEL_PROP_CORRELATION_DATA, &cd, &cd_len) == OUZEL_OK) {
          ExpectOk(ouzel_properties_set_binary(out.get(), OUZEL_PROP_CORRELATION_DATA, cd, cd_len),
                   "correlation");
        }
        size_t n = 0;
        const char* p = static_cast<const char*>(ouzel_message_payload(msg, &n));
        const std::string reply = "re:" + std::string(p, n);
        ExpectOk(ouzel_client_publish(c, rt, rt_len, reply.data(), reply.size(), 1, 0, out.get(),
                                      nullptr, nullptr),
                 "reply from inside on_message");
      });
  auto requester = Client("rr-requester", LoopMode::kExternal);
  ASSERT_TRUE(responder && requester);
  ASSERT_TRUE(ConnectAll({responder.get(), requester.get()})) << broker_->Log();
  ASSERT_TRUE(SubscribeAndWait(responder.get(), requests, 1));
  ASSERT_TRUE(SubscribeAndWait(requester.get(), replies, 1));

  constexpr int kRequests = 5;
  std::map<std::string, std::string> want;  // correlation data -> reply payload
  for (int i = 0; i < kRequests; ++i) {
    std::string corr("corr\0", 5);
    corr.push_back(static_cast<char>(i));
    corr.push_back('\xfe');
    const std::string payload = "question " + std::to_string(i);
    Properties p = NewProperties();
    ExpectOk(ouzel_properties_set_string(p.get(), OUZEL_PROP_RESPONSE_TOPIC, replies.data(),
                                         replies.size()),
             "response topic");
    ExpectOk(
        ouzel_properties_set_binary(p.get(), OUZEL_PROP_CORRELATION_DATA, corr.data(), corr.size()),
        "correlation data");
    ASSERT_EQ(ouzel_client_publish(requester->get(), requests.data(), requests.size(),
                                   payload.data(), payload.size(), 1, 0, p.get(), nullptr, nullptr),
              OUZEL_OK);
    want[corr] = "re:" + payload;
  }
  ASSERT_TRUE(RunUntil({requester.get()}, [&] {
    return requester->events().message_count() >= kRequests;
  })) << Describe(requester->events().messages());
  RunFor({requester.get()}, 100);

  // The responder saw the request properties as sent.
  const std::vector<ReceivedMessage> asked = responder->events().messages();
  ASSERT_EQ(static_cast<int>(asked.size()), kRequests);
  for (const ReceivedMessage& m : asked) {
    EXPECT_EQ(m.response_topic, replies);
    ASSERT_TRUE(m.correlation_data.has_value());
    EXPECT_EQ(want.count(*m.correlation_data), 1u);
  }
  // Every reply matches its request by Correlation Data, byte for byte.
  const std::vector<ReceivedMessage> answers = requester->events().messages();
  ASSERT_EQ(static_cast<int>(answers.size()), kRequests) << Describe(answers);
  std::set<std::string> answered;
  for (const ReceivedMessage& m : answers) {
    EXPECT_EQ(m.topic, replies);
    ASSERT_TRUE(m.correlation_data.has_value());
    ASSERT_EQ(want.count(*m.correlation_data), 1u) << "unknown correlation data";
    EXPECT_EQ(m.payload, want[*m.correlation_data]);
    answered.insert(*m.correlation_data);
    EXPECT_FALSE(m.response_topic.has_value());
  }
  EXPECT_EQ(static_cast<int>(answered.size()), kRequests);
}

}  // namespace
}  // namespace ouzel_it
