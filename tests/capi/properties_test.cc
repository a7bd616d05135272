// The C API's properties, messages and error reporting, called exactly as a C program would.
#include <cstdint>
#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "ouzel.h"

namespace {

std::string Str(const char* p, size_t n) { return std::string(p, n); }

TEST(CapiErrors, StrerrorCoversEveryCodeAndUnknown) {
  for (int code = 0; code >= OUZEL_ESTORE; --code) {
    EXPECT_STRNE(ouzel_strerror(code), "unknown error") << code;
  }
  EXPECT_STREQ(ouzel_strerror(-1000), "unknown error");
  EXPECT_STREQ(ouzel_strerror(OUZEL_EINVAL), "invalid argument");
}

TEST(CapiVersion, RuntimeMatchesHeader) {
  EXPECT_EQ(ouzel_version(), OUZEL_VERSION_NUMBER);
  EXPECT_STREQ(ouzel_version_string(), "0.1.0");
}

TEST(CapiProperties, IntegerStringBinaryAndUserPropertiesRoundTrip) {
  ouzel_properties* p = nullptr;
  ASSERT_EQ(ouzel_properties_new(&p), OUZEL_OK);
  EXPECT_EQ(ouzel_properties_set_int(p, OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL, 60), OUZEL_OK);
  EXPECT_EQ(ouzel_properties_set_string(p, OUZEL_PROP_CONTENT_TYPE, "text/plain", SIZE_MAX),
            OUZEL_OK);
  const char corr[] = {0x00, 0x01, 0x02};
  EXPECT_EQ(ouzel_properties_set_binary(p, OUZEL_PROP_CORRELATION_DATA, corr, sizeof(corr)),
            OUZEL_OK);
  EXPECT_EQ(ouzel_properties_add_user(p, "k", 1, "v1", 2), OUZEL_OK);
  EXPECT_EQ(ouzel_properties_add_user(p, "k", 1, "v2", 2), OUZEL_OK);  // duplicates kept
  ASSERT_EQ(ouzel_properties_count(p), 5u);

  uint32_t expiry = 0;
  EXPECT_EQ(ouzel_properties_get_int(p, OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL, &expiry), OUZEL_OK);
  EXPECT_EQ(expiry, 60u);
  const char* s = nullptr;
  size_t n = 0;
  EXPECT_EQ(ouzel_properties_get_bytes(p, OUZEL_PROP_CORRELATION_DATA, &s, &n), OUZEL_OK);
  EXPECT_EQ(Str(s, n), std::string(corr, sizeof(corr)));
  const char *name, *value;
  size_t name_len, value_len;
  EXPECT_EQ(ouzel_properties_user_at(p, 4, &name, &name_len, &value, &value_len), OUZEL_OK);
  EXPECT_EQ(Str(name, name_len), "k");
  EXPECT_EQ(Str(value, value_len), "v2");
  EXPECT_EQ(ouzel_properties_id_at(p, 3), OUZEL_PROP_USER_PROPERTY);
  EXPECT_EQ(ouzel_properties_id_at(p, 5), -1);

  ouzel_properties* copy = nullptr;
  ASSERT_EQ(ouzel_properties_clone(&copy, p), OUZEL_OK);
  EXPECT_EQ(ouzel_properties_remove(p, OUZEL_PROP_USER_PROPERTY), 2);
  EXPECT_EQ(ouzel_properties_count(p), 3u);
  EXPECT_EQ(ouzel_properties_count(copy), 5u);  // the clone is independent
  ouzel_properties_free(copy);
  ouzel_properties_free(p);
  ouzel_properties_free(nullptr);  // a no-op
}

TEST(CapiProperties, WrongTypeOrUnknownIdIsEinvalWithDetail) {
  ouzel_properties* p = nullptr;
  ASSERT_EQ(ouzel_properties_new(&p), OUZEL_OK);
  EXPECT_EQ(ouzel_properties_set_int(p, OUZEL_PROP_CONTENT_TYPE, 1), OUZEL_EINVAL);
  EXPECT_NE(std::strstr(ouzel_last_error_message(), "Content Type"), nullptr);
  EXPECT_EQ(ouzel_properties_set_string(p, OUZEL_PROP_RECEIVE_MAXIMUM, "x", 1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_properties_set_int(p, 0x7F, 1), OUZEL_EINVAL);
  EXPECT_NE(std::strstr(ouzel_last_error_message(), "unknown"), nullptr);
  EXPECT_EQ(ouzel_properties_set_string(p, OUZEL_PROP_CONTENT_TYPE, "a\0b", 3), OUZEL_EINVAL);
  EXPECT_NE(std::strstr(ouzel_last_error_message(), "U+0000"), nullptr);
  std::string big(70000, 'x');
  EXPECT_EQ(ouzel_properties_set_string(p, OUZEL_PROP_CONTENT_TYPE, big.data(), big.size()),
            OUZEL_EINVAL);
  EXPECT_EQ(ouzel_properties_count(p), 0u);  // failed calls change nothing
  uint32_t v;
  EXPECT_EQ(ouzel_properties_get_int(p, OUZEL_PROP_RECEIVE_MAXIMUM, &v), OUZEL_ENOTFOUND);
  ouzel_properties_free(p);
}

TEST(CapiProperties, NullArgumentsAreRefusedNotCrashed) {
  EXPECT_EQ(ouzel_properties_new(nullptr), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_properties_set_int(nullptr, OUZEL_PROP_TOPIC_ALIAS, 1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_properties_count(nullptr), 0u);
  EXPECT_EQ(ouzel_properties_id_at(nullptr, 0), -1);
}

}  // namespace
