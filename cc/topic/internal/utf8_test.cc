#include "cc/topic/internal/utf8.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace ouzel {
namespace topic_internal {
namespace {

TEST(CheckMqttUtf8, WellFormedText_HasNoProblem) {
  size_t offset = 99;
  EXPECT_EQ(CheckMqttUtf8("", &offset), Utf8Problem::kNone);
  EXPECT_EQ(CheckMqttUtf8("plain/ascii", &offset), Utf8Problem::kNone);
  EXPECT_EQ(CheckMqttUtf8("\xC2\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", &offset),
            Utf8Problem::kNone);
  EXPECT_EQ(offset, 99u);
}

TEST(CheckMqttUtf8, ReportsKindAndOffsetOfFirstProblem) {
  size_t offset = 0;
  EXPECT_EQ(CheckMqttUtf8(std::string("ab\0\xFF", 4), &offset),
            Utf8Problem::kNullCharacter);
  EXPECT_EQ(offset, 2u);
  EXPECT_EQ(CheckMqttUtf8("\xC2\xA9x\xED\xB0\x80", &offset),
            Utf8Problem::kSurrogate);
  EXPECT_EQ(offset, 3u);
  EXPECT_EQ(CheckMqttUtf8("abc\xF5\x80\x80\x80", &offset),
            Utf8Problem::kIllFormed);
  EXPECT_EQ(offset, 3u);
}

TEST(CheckMqttUtf8, SurrogateLeadWithBadTail_IsIllFormed) {
  EXPECT_EQ(CheckMqttUtf8("\xED\xA0", nullptr), Utf8Problem::kIllFormed);
  EXPECT_EQ(CheckMqttUtf8("\xED\xA0x", nullptr), Utf8Problem::kIllFormed);
  EXPECT_EQ(CheckMqttUtf8("\xED\xC0\x80", nullptr), Utf8Problem::kIllFormed);
}

TEST(CheckMqttUtf8, AgreesWithReferenceDecoderOnEveryTwoAndThreeByteSequence) {
  // Reference: decode by arithmetic, then apply the range rules of Unicode
  // Table 3-7.
  auto reference = [](const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
      const unsigned char b = s[i];
      int n;
      uint32_t cp;
      if (b < 0x80) {
        n = 1;
        cp = b;
      } else if ((b & 0xE0) == 0xC0) {
        n = 2;
        cp = b & 0x1F;
      } else if ((b & 0xF0) == 0xE0) {
        n = 3;
        cp = b & 0x0F;
      } else if ((b & 0xF8) == 0xF0) {
        n = 4;
        cp = b & 0x07;
      } else
        return Utf8Problem::kIllFormed;
      if (s.size() - i < static_cast<size_t>(n)) return Utf8Problem::kIllFormed;
      for (int k = 1; k < n; ++k) {
        const unsigned char c = s[i + k];
        if ((c & 0xC0) != 0x80) return Utf8Problem::kIllFormed;
        cp = (cp << 6) | (c & 0x3F);
      }
      const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < min[n] || cp > 0x10FFFF) return Utf8Problem::kIllFormed;
      if (cp >= 0xD800 && cp <= 0xDFFF) return Utf8Problem::kSurrogate;
      if (cp == 0) return Utf8Problem::kNullCharacter;
      i += n;
    }
    return Utf8Problem::kNone;
  };
  int mismatches = 0;
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      std::string two = {static_cast<char>(a), static_cast<char>(b)};
      mismatches += CheckMqttUtf8(two, nullptr) != reference(two);
      for (int c : {0x00, 0x41, 0x80, 0xBF, 0xC0}) {
        std::string three = two + static_cast<char>(c);
        mismatches += CheckMqttUtf8(three, nullptr) != reference(three);
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace topic_internal
}  // namespace ouzel
