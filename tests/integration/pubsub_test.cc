// Publish/subscribe through the C API against a real Mosquitto, for every protocol version, QoS and
// loop mode: a publisher and a subscriber (two clients, run the same way) exchange numbered
// payloads full of NUL bytes, an empty one and a 1 MiB one. Checks byte-exact payloads, order,
// exact counts, one on_publish per token with the right state and packet id,
// ouzel_client_wait_for_publish from another thread, the counters, and the callback threading
// contract.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

constexpr int kNumbered = 60;
constexpr size_t kLargeSize = 1024 * 1024;

class PubSubTest : public ::testing::TestWithParam<std::tuple<int, int, LoopMode>> {
 protected:
  static void SetUpTestSuite() {
    MosquittoBroker::Options o;
    o.extra_config = {"max_queued_messages 0"};  // never drop for a subscriber that lags
    auto b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }
  static MosquittoBroker* broker_;
};
MosquittoBroker* PubSubTest::broker_ = nullptr;

std::string ParamName(const ::testing::TestParamInfo<PubSubTest::ParamType>& info) {
  return std::string(VersionName(std::get<0>(info.param))) + "_Qos" +
         std::to_string(std::get<1>(info.param)) + "_" + LoopModeName(std::get<2>(info.param));
}

// The payloads, in publish order: numbered ones with NULs, an empty one in the middle and 1 MiB
// of patterned bytes near the end.
std::vector<std::string> Payloads() {
  std::vector<std::string> p;
  for (int i = 0; i < kNumbered; ++i) {
    if (i == kNumbered / 2) p.emplace_back();
    if (i == kNumbered - 5) p.push_back(PatternPayload(kLargeSize, 7));
    p.push_back(NumberedPayload(i));
  }
  return p;
}

TEST_P(PubSubTest, PayloadsArriveByteExactInOrder_OnPublishOncePerToken) {
  ASSERT_NE(broker_, nullptr);
  const auto [version, qos, mode] = GetParam();
  const std::string name = ParamName({GetParam(), 0});
  const std::string topic = "it/pubsub/" + name;

  Options po = BaseOptions(broker_->port(), "pub-" + name, version);
  Options so = BaseOptions(broker_->port(), "sub-" + name, version);
  auto pub = TestClient::Create(po.get(), mode);
  auto sub = TestClient::Create(so.get(), mode);
  ASSERT_TRUE(pub && sub);
  ASSERT_TRUE(ConnectAll({pub.get(), sub.get()})) << broker_->Log();
  std::vector<uint8_t> granted;
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, 2, &granted, nullptr, {pub.get()}));
  ASSERT_EQ(granted, std::vector<uint8_t>{2});

  const std::vector<std::string> payloads = Payloads();
  const int n = static_cast<int>(payloads.size());
  std::vector<uint64_t> tokens;
  std::vector<int32_t> mids;
  for (const std::string& p : payloads) {
    uint64_t token = 0;
    int32_t mid = -1;
    ASSERT_EQ(ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(), qos,
                                   0, nullptr, &token, &mid),
              OUZEL_OK)
        << ouzel_last_error_message();
    tokens.push_back(token);
    mids.push_back(mid);
  }
  // A waiter on another thread, whatever runs the loop (the API requires the loop elsewhere).
  std::atomic<int> wait_rc{1};
  std::thread waiter(
      [&] { wait_rc = ouzel_client_wait_for_publish(pub->get(), tokens.back(), kTimeoutMs); });
  const bool all = RunUntil({pub.get(), sub.get()}, [&] {
    return sub->events().message_count() >= n && pub->events().publish_count() >= n && wait_rc != 1;
  });
  waiter.join();
  ASSERT_TRUE(all) << sub->events().message_count() << " of " << n << " received, "
                   << pub->events().publish_count() << " on_publish, wait rc " << wait_rc;
  EXPECT_EQ(wait_rc, OUZEL_OK) << ouzel_strerror(wait_rc);
  // Counts are exact: nothing more turns up a little later (a duplicate, a second on_publish).
  RunFor({pub.get(), sub.get()}, 150);

  const std::vector<ReceivedMessage> got = sub->events().messages();
  ASSERT_EQ(static_cast<int>(got.size()), n);
  for (int i = 0; i < n; ++i) {
    SCOPED_TRACE("message " + std::to_string(i));
    EXPECT_EQ(got[i].topic, topic);
    EXPECT_EQ(got[i].payload.size(), payloads[i].size());
    EXPECT_TRUE(got[i].payload == payloads[i]) << "payload bytes differ";
    EXPECT_EQ(got[i].qos, qos);
    EXPECT_EQ(got[i].retain, 0);
    EXPECT_EQ(got[i].dup, 0);
    if (qos == 0) {
      EXPECT_EQ(got[i].mid, 0);
    } else {
      EXPECT_GE(got[i].mid, 1);
      EXPECT_LE(got[i].mid, 65535);
    }
  }

  // One on_publish per token, acknowledged, with the packet id publish reported.
  const std::vector<PublishRecord> done = pub->events().published();
  ASSERT_EQ(static_cast<int>(done.size()), n);
  for (int i = 0; i < n; ++i) {
    SCOPED_TRACE("token " + std::to_string(tokens[i]));
    int seen = 0;
    for (const PublishRecord& r : done) {
      if (r.token != tokens[i]) continue;
      ++seen;
      EXPECT_EQ(r.state, OUZEL_DELIVERY_ACKNOWLEDGED);
      EXPECT_EQ(r.drop_reason, OUZEL_DROP_NONE);
      EXPECT_EQ(r.mid, mids[i]);
      EXPECT_EQ(r.reason_code, 0);
      EXPECT_EQ(r.version, OUZEL_DELIVERY_STATUS_VERSION);
      EXPECT_EQ(r.qos, qos);
    }
    EXPECT_EQ(seen, 1);
    if (qos == 0) {
      EXPECT_EQ(mids[i], 0);
    } else {
      EXPECT_GE(mids[i], 1);
    }
    ouzel_delivery_status st;
    ASSERT_EQ(ouzel_delivery_status_init(&st, OUZEL_DELIVERY_STATUS_VERSION), OUZEL_OK);
    ASSERT_EQ(ouzel_client_delivery_status(pub->get(), tokens[i], &st), OUZEL_OK);
    EXPECT_EQ(st.state, OUZEL_DELIVERY_ACKNOWLEDGED);
    EXPECT_EQ(st.qos, qos);
    // Already finished: a wait returns at once, whoever runs the loop.
    EXPECT_EQ(ouzel_client_wait_for_publish(pub->get(), tokens[i], 0), OUZEL_OK);
  }
  for (size_t i = 1; i < tokens.size(); ++i) EXPECT_NE(tokens[i], tokens[i - 1]);

  EXPECT_EQ(pub->Stat(OUZEL_STAT_MESSAGES_SENT), n);
  EXPECT_EQ(sub->Stat(OUZEL_STAT_MESSAGES_RECEIVED), n);
  EXPECT_EQ(pub->Stat(OUZEL_STAT_INFLIGHT), 0);
  EXPECT_EQ(pub->Stat(OUZEL_STAT_QUEUED), 0);
  EXPECT_GT(pub->Stat(OUZEL_STAT_BYTES_SENT), static_cast<int64_t>(kLargeSize));
  EXPECT_GT(sub->Stat(OUZEL_STAT_BYTES_RECEIVED), static_cast<int64_t>(kLargeSize));

  ASSERT_TRUE(DisconnectAndWait(pub.get()));
  ASSERT_TRUE(DisconnectAndWait(sub.get()));
  for (TestClient* c : {pub.get(), sub.get()}) {
    const std::vector<DisconnectRecord> d = c->events().disconnects();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].error, OUZEL_OK);
    EXPECT_EQ(d[0].by_server, 0);
    EXPECT_EQ(ouzel_client_is_connected(c->get()), 0);
    // Callbacks: one at a time, on one thread (the test's own unless the library runs the loop).
    EXPECT_FALSE(c->events().overlapped());
    ASSERT_EQ(c->events().thread_count(), 1u);
    if (mode != LoopMode::kThread) {
      EXPECT_EQ(*c->events().threads().begin(), std::this_thread::get_id());
    } else {
      EXPECT_NE(*c->events().threads().begin(), std::this_thread::get_id());
    }
    EXPECT_TRUE(c->loop_errors().empty()) << c->loop_errors()[0];
  }
}

INSTANTIATE_TEST_SUITE_P(VersionsQosLoopModes, PubSubTest,
                         ::testing::Combine(::testing::Values(OUZEL_MQTT_V31, OUZEL_MQTT_V311,
                                                              OUZEL_MQTT_V5),
                                            ::testing::Values(0, 1, 2),
                                            ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                                              LoopMode::kExternal)),
                         ParamName);

}  // namespace
}  // namespace ouzel_it
