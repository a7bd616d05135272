// ouzel_message_get_fields (every accessor in one call, for bindings) against a real Mosquitto:
// for each received message it returns exactly what the single accessors return.
#include <mutex>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

TEST(MessageFields, MatchTheSingleAccessors) {
  auto broker = MosquittoBroker::Start({});
  ASSERT_TRUE(broker.ok()) << broker.status();
  Options o = BaseOptions((*broker)->port(), "fields", OUZEL_MQTT_V5);
  std::mutex mu;
  std::vector<std::string> problems;
  int checked = 0;
  auto hook = [&](ouzel_client*, const ouzel_message* msg) {
    ouzel_message_fields f;
    std::lock_guard<std::mutex> lock(mu);
    if (ouzel_message_fields_init(&f, OUZEL_MESSAGE_FIELDS_VERSION) != OUZEL_OK ||
        ouzel_message_get_fields(msg, &f) != OUZEL_OK) {
      problems.push_back(ouzel_last_error_message());
      return;
    }
    size_t topic_len = 0, payload_len = 0;
    const char* topic = ouzel_message_topic(msg, &topic_len);
    const void* payload = ouzel_message_payload(msg, &payload_len);
    if (f.topic != topic || f.topic_len != topic_len) problems.push_back("topic");
    if (f.payload != payload || f.payload_len != payload_len) problems.push_back("payload");
    if (f.qos != ouzel_message_qos(msg)) problems.push_back("qos");
    if (f.retain != ouzel_message_retain(msg)) problems.push_back("retain");
    if (f.dup != ouzel_message_dup(msg)) problems.push_back("dup");
    if (f.mid != ouzel_message_mid(msg)) problems.push_back("mid");
    if (f.properties != ouzel_message_properties(msg)) problems.push_back("properties");
    ++checked;
  };
  auto c = TestClient::Create(o.get(), LoopMode::kThread, hook);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()}));
  ASSERT_TRUE(SubscribeAndWait(c.get(), "fields/#", 2));
  for (int qos = 0; qos <= 2; ++qos) {
    PublishAndWait(c.get(), "fields/" + std::to_string(qos), NumberedPayload(qos), qos, qos == 1);
  }
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().message_count() == 3; }));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(checked, 3);
  EXPECT_TRUE(problems.empty()) << problems.front();
}

TEST(MessageFields, RefusesNullAndUnknownVersions) {
  ouzel_message_fields f;
  EXPECT_EQ(ouzel_message_fields_init(nullptr, OUZEL_MESSAGE_FIELDS_VERSION), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_message_fields_init(&f, 99), OUZEL_EVERSION);
  ASSERT_EQ(ouzel_message_fields_init(&f, OUZEL_MESSAGE_FIELDS_VERSION), OUZEL_OK);
  EXPECT_EQ(f.version, OUZEL_MESSAGE_FIELDS_VERSION);
  EXPECT_EQ(ouzel_message_get_fields(nullptr, &f), OUZEL_EINVAL);
}

}  // namespace
}  // namespace ouzel_it
