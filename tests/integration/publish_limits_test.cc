// Lengths checked before anything is copied (issue 17): ouzel_client_publish refuses a payload
// over MQTT's largest packet, or over the server's Maximum Packet Size, with OUZEL_ETOOLARGE and
// without reading a byte of it. The tests claim lengths far larger than the buffers they pass: a
// library that copied first would read out of bounds (ASan reports it) or fail with ENOMEM or
// EINTERNAL, as the old code did for 2^40 and SIZE_MAX.
#include <cstdint>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

constexpr char kSmallBuffer[16] = "0123456789abcde";

int PublishClaiming(ouzel_client* c, size_t claimed_len, int qos) {
  uint64_t token = 0;
  return ouzel_client_publish(c, "it/limits", SIZE_MAX, kSmallBuffer, claimed_len, qos, 0, nullptr,
                              &token, nullptr);
}

TEST(PublishLimits, ClaimedLengthsOverMqttsLimit_TooLargeBeforeAnyCopy_NothingQueued) {
  Options o = BaseOptions(1, "limits-offline", OUZEL_MQTT_V5);  // never connects
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  for (int qos = 0; qos <= 2; ++qos) {
    for (size_t len : {size_t{268435456} /* 256 MiB */, size_t{1} << 40, SIZE_MAX, SIZE_MAX - 1}) {
      EXPECT_EQ(PublishClaiming(c, len, qos), OUZEL_ETOOLARGE)
          << "qos " << qos << " length " << len << ": " << ouzel_last_error_message();
      EXPECT_NE(std::string(ouzel_last_error_message()).find("largest packet"), std::string::npos)
          << ouzel_last_error_message();
    }
  }
  // Just under the limit by itself, but not with the topic and header: still refused.
  EXPECT_EQ(PublishClaiming(c, 268435455 - 4, 1), OUZEL_ETOOLARGE);
  // A topic over 65535 bytes is an invalid argument, also before any copy.
  const std::string long_topic(70000, 'a');
  EXPECT_EQ(ouzel_client_publish(c, long_topic.data(), long_topic.size(), kSmallBuffer, 4, 1, 0,
                                 nullptr, nullptr, nullptr),
            OUZEL_EINVAL);
  int64_t queued = -1;
  ASSERT_EQ(ouzel_client_stat(c, OUZEL_STAT_QUEUED, &queued), OUZEL_OK);
  EXPECT_EQ(queued, 0) << "a refused publish queued something";
  // A legal message still works (queued while offline).
  EXPECT_EQ(PublishClaiming(c, sizeof(kSmallBuffer), 1), OUZEL_OK);
  ouzel_client_free(c);
}

TEST(PublishLimits, OverTheServersMaximumPacketSize_TooLargeBeforeAnyCopy) {
  MosquittoBroker::Options bo;
  bo.extra_config = {"max_packet_size 2048"};  // Mosquitto announces it in its v5 CONNACK
  auto broker = MosquittoBroker::Start(bo);
  ASSERT_TRUE(broker.ok()) << broker.status();
  Options o = BaseOptions((*broker)->port(), "limits-server", OUZEL_MQTT_V5);
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()})) << (*broker)->Log();
  // 64 KiB claimed on a 16-byte buffer: refused from the CONNACK's limit, bytes untouched.
  EXPECT_EQ(PublishClaiming(c->get(), 64 * 1024, 1), OUZEL_ETOOLARGE);
  EXPECT_NE(std::string(ouzel_last_error_message()).find("Maximum Packet Size of 2048"),
            std::string::npos)
      << ouzel_last_error_message();
  EXPECT_EQ(c->Stat(OUZEL_STAT_QUEUED) + c->Stat(OUZEL_STAT_INFLIGHT), 0);
  // Under the limit: published and acknowledged.
  const std::string payload(1500, 'x');
  EXPECT_EQ(PublishAndWait(c.get(), "it/limits", payload, 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
}

}  // namespace
}  // namespace ouzel_it
