#include "cc/topic/internal/utf8.h"

#include <cstdint>

namespace ouzel {
namespace topic_internal {
namespace {

bool IsContinuation(uint8_t b) { return (b & 0xC0) == 0x80; }

// Decodes the sequence starting at s[i], following Unicode Table 3-7
// (well-formed byte sequences), so overlong forms and values above U+10FFFF
// fail here rather than in a later range check. On success sets *length and
// returns kNone.
Utf8Problem DecodeOne(std::string_view s, size_t i, size_t* length) {
  const uint8_t b0 = static_cast<uint8_t>(s[i]);
  if (b0 < 0x80) {
    *length = 1;
    return b0 == 0 ? Utf8Problem::kNullCharacter : Utf8Problem::kNone;
  }
  // The allowed range of the second byte depends on the lead byte; later bytes
  // are always 0x80..0xBF.
  uint8_t lo = 0x80;
  uint8_t hi = 0xBF;
  size_t n;
  bool surrogate_lead = false;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 == 0xE0) {
    n = 3;
    lo = 0xA0;
  } else if (b0 == 0xED) {
    // 0xED 0xA0..0xBF encodes U+D800..U+DFFF: report it as a surrogate, the
    // more useful message.
    n = 3;
    surrogate_lead = true;
  } else if (b0 >= 0xE1 && b0 <= 0xEF) {
    n = 3;
  } else if (b0 == 0xF0) {
    n = 4;
    lo = 0x90;
  } else if (b0 >= 0xF1 && b0 <= 0xF3) {
    n = 4;
  } else if (b0 == 0xF4) {
    n = 4;
    hi = 0x8F;
  } else {
    return Utf8Problem::kIllFormed;
  }
  if (s.size() - i < n) return Utf8Problem::kIllFormed;
  const uint8_t b1 = static_cast<uint8_t>(s[i + 1]);
  if (surrogate_lead && b1 >= 0xA0 && b1 <= 0xBF) {
    if (!IsContinuation(static_cast<uint8_t>(s[i + 2]))) {
      return Utf8Problem::kIllFormed;
    }
    return Utf8Problem::kSurrogate;
  }
  if (b1 < lo || b1 > hi) return Utf8Problem::kIllFormed;
  for (size_t k = 2; k < n; ++k) {
    if (!IsContinuation(static_cast<uint8_t>(s[i + k]))) {
      return Utf8Problem::kIllFormed;
    }
  }
  *length = n;
  return Utf8Problem::kNone;
}

}  // namespace

Utf8Problem CheckMqttUtf8(std::string_view s, size_t* offset) {
  size_t i = 0;
  while (i < s.size()) {
    // Topics are mostly ASCII: skip it without the general decoder.
    const uint8_t b = static_cast<uint8_t>(s[i]);
    if (b != 0 && b < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    const Utf8Problem problem = DecodeOne(s, i, &length);
    if (problem != Utf8Problem::kNone) {
      if (offset != nullptr) *offset = i;
      return problem;
    }
    i += length;
  }
  return Utf8Problem::kNone;
}

}  // namespace topic_internal
}  // namespace ouzel
