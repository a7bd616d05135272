#include "cc/codec/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace ouzel {
namespace {

using std::string_literals::operator""s;

TEST(MqttUtf8, AcceptsAsciiAndMultiByte) {
  EXPECT_EQ(FindInvalidMqttUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidMqttUtf8("sensors/temperature/kitchen-01"), std::nullopt);
  EXPECT_EQ(FindInvalidMqttUtf8("caf\xC3\xA9"), std::nullopt);       // U+00E9
  EXPECT_EQ(FindInvalidMqttUtf8("\xE2\x82\xAC"), std::nullopt);      // U+20AC
  EXPECT_EQ(FindInvalidMqttUtf8("\xF0\x9F\x90\xA6"), std::nullopt);  // U+1F426
  EXPECT_EQ(FindInvalidMqttUtf8("\xEF\xBB\xBF"), std::nullopt);  // U+FEFF is allowed [MQTT-1.5.4-3]
  EXPECT_EQ(FindInvalidMqttUtf8("\xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF
  EXPECT_EQ(FindInvalidMqttUtf8("\x01\x1F\x7F\xC2\x80"),
            std::nullopt);  // controls: SHOULD NOT only
}

TEST(MqttUtf8, RejectsNulWithOffset_MQTT_1_5_4_2) {
  EXPECT_EQ(FindInvalidMqttUtf8("abc\0def"s), 3u);
  EXPECT_EQ(FindInvalidMqttUtf8("0123456789abcdef\0"s), 16u);  // past the 8-byte fast path
  absl::Status s = ValidateMqttUtf8("ab\0"s);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("MQTT-1.5.4-2"), absl::string_view::npos);
  EXPECT_NE(s.message().find("byte 2"), absl::string_view::npos);
}

TEST(MqttUtf8, RejectsSurrogates_MQTT_1_5_4_1) {
  EXPECT_EQ(FindInvalidMqttUtf8("x\xED\xA0\x80"), 1u);           // U+D800
  EXPECT_EQ(FindInvalidMqttUtf8("x\xED\xBF\xBF"), 1u);           // U+DFFF
  EXPECT_EQ(FindInvalidMqttUtf8("\xED\x9F\xBF"), std::nullopt);  // U+D7FF is fine
}

TEST(MqttUtf8, RejectsOverlongForms) {
  EXPECT_EQ(FindInvalidMqttUtf8("\xC0\x80"), 0u);          // overlong U+0000
  EXPECT_EQ(FindInvalidMqttUtf8("\xC1\xBF"), 0u);          // overlong U+007F
  EXPECT_EQ(FindInvalidMqttUtf8("\xE0\x80\xAF"), 0u);      // overlong '/'
  EXPECT_EQ(FindInvalidMqttUtf8("\xF0\x80\x80\xAF"), 0u);  // overlong '/'
}

TEST(MqttUtf8, RejectsBrokenSequences) {
  EXPECT_EQ(FindInvalidMqttUtf8("ab\x80"), 2u);            // lone continuation
  EXPECT_EQ(FindInvalidMqttUtf8("ab\xC3"), 2u);            // truncated at end
  EXPECT_EQ(FindInvalidMqttUtf8("\xE2\x82x"), 0u);         // bad continuation
  EXPECT_EQ(FindInvalidMqttUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidMqttUtf8("\xF8\x88\x80\x80\x80"), 0u);
  EXPECT_EQ(FindInvalidMqttUtf8("\xFF"), 0u);
  EXPECT_EQ(FindInvalidMqttUtf8("12345678\xFE"), 8u);
}

}  // namespace
}  // namespace ouzel
