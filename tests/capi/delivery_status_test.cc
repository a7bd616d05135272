// ouzel_delivery_status across its versions: version 2 carries the QoS a message was published
// with; a caller built against version 1 (a shorter struct) keeps working and nothing past its
// struct is written. Messages published while offline stay queued, so no broker is needed.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "gtest/gtest.h"
#include "ouzel.h"

namespace {

// ouzel_delivery_status as a program compiled against version 1 of the header declares it, with
// a guard after it to catch a write past its end.
struct StatusV1WithGuard {
  uint32_t version;
  int32_t state;
  int32_t drop_reason;
  int32_t mid;
  int32_t reason_code;
  int32_t guard;
};
static_assert(offsetof(StatusV1WithGuard, guard) == offsetof(ouzel_delivery_status, qos),
              "version 2 appends qos right after version 1's last field");

constexpr int32_t kGuard = 0x5A5A5A5A;

class DeliveryStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ouzel_options* o = nullptr;
    ASSERT_EQ(ouzel_options_new(&o), OUZEL_OK);
    ASSERT_EQ(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, "mqtt://127.0.0.1:1", SIZE_MAX),
              OUZEL_OK);
    ASSERT_EQ(ouzel_client_new(&client_, o), OUZEL_OK);
    ouzel_options_free(o);
    for (int32_t qos = 1; qos <= 2; ++qos) {
      ASSERT_EQ(ouzel_client_publish(client_, "t", SIZE_MAX, "x", 1, qos, 0, nullptr, &tokens_[qos],
                                     nullptr),
                OUZEL_OK);
    }
  }
  void TearDown() override { ouzel_client_free(client_); }

  ouzel_client* client_ = nullptr;
  uint64_t tokens_[3] = {0, 0, 0};
};

TEST_F(DeliveryStatusTest, Version2_CarriesThePublishedQos) {
  EXPECT_EQ(OUZEL_DELIVERY_STATUS_VERSION, 2);
  for (int32_t qos = 1; qos <= 2; ++qos) {
    ouzel_delivery_status st;
    std::memset(&st, 0x7F, sizeof(st));
    ASSERT_EQ(ouzel_delivery_status_init(&st, 2), OUZEL_OK);
    EXPECT_EQ(st.version, 2u);
    EXPECT_EQ(st.qos, 0);  // init zeroes every version 2 field
    ASSERT_EQ(ouzel_client_delivery_status(client_, tokens_[qos], &st), OUZEL_OK);
    EXPECT_EQ(st.state, OUZEL_DELIVERY_QUEUED);
    EXPECT_EQ(st.qos, qos);
  }
}

TEST_F(DeliveryStatusTest, Version1Caller_GetsItsFieldsAndNothingPastItsStruct) {
  StatusV1WithGuard st;
  std::memset(&st, 0x7F, sizeof(st));
  st.guard = kGuard;
  auto* as_status = reinterpret_cast<ouzel_delivery_status*>(&st);
  ASSERT_EQ(ouzel_delivery_status_init(as_status, 1), OUZEL_OK);
  EXPECT_EQ(st.version, 1u);
  EXPECT_EQ(st.state, 0);
  EXPECT_EQ(st.reason_code, 0);
  EXPECT_EQ(st.guard, kGuard);
  st.state = -1;
  ASSERT_EQ(ouzel_client_delivery_status(client_, tokens_[2], as_status), OUZEL_OK);
  EXPECT_EQ(st.state, OUZEL_DELIVERY_QUEUED);
  EXPECT_EQ(st.drop_reason, OUZEL_DROP_NONE);
  EXPECT_EQ(st.guard, kGuard);
}

TEST_F(DeliveryStatusTest, UnknownVersions_AreRefused) {
  ouzel_delivery_status st;
  EXPECT_EQ(ouzel_delivery_status_init(&st, 0), OUZEL_EVERSION);
  EXPECT_EQ(ouzel_delivery_status_init(&st, 3), OUZEL_EVERSION);
  EXPECT_EQ(ouzel_delivery_status_init(nullptr, 2), OUZEL_EINVAL);
  ASSERT_EQ(ouzel_delivery_status_init(&st, 2), OUZEL_OK);
  st.version = 3;
  EXPECT_EQ(ouzel_client_delivery_status(client_, tokens_[1], &st), OUZEL_EVERSION);
}

}  // namespace
