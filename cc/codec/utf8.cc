#include "cc/codec/utf8.h"

#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace ouzel {
namespace {

// True when the 8 bytes at `p` are all ASCII and none is zero: the common case, checked a word
// at a time.
bool EightPlainAscii(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  if (w & kHigh) return false;
  // Classic "has zero byte" test; valid because no byte has its high bit set.
  return ((w - kOnes) & ~w & kHigh) == 0;
}

}  // namespace

std::optional<size_t> FindInvalidMqttUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n && EightPlainAscii(p + i)) {
      i += 8;
      continue;
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c == 0) return i;  // [MQTT-1.5.4-2]
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return i;  // a continuation byte or 0xF8..0xFF where a sequence must start
    }
    if (i + len > n) return i;  // truncated sequence
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = p[i + k];
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min) return i;                      // overlong form
    if (cp > 0x10FFFF) return i;                 // beyond Unicode
    if (cp >= 0xD800 && cp <= 0xDFFF) return i;  // surrogate [MQTT-1.5.4-1]
    i += len;
  }
  return std::nullopt;
}

absl::Status ValidateMqttUtf8(absl::string_view s) {
  std::optional<size_t> bad = FindInvalidMqttUtf8(s);
  if (!bad.has_value()) return absl::OkStatus();
  const char* why = s[*bad] == '\0' ? "contains U+0000 [MQTT-1.5.4-2]"
                                    : "is not well-formed UTF-8 [MQTT-1.5.4-1]";
  return absl::InvalidArgumentError(absl::StrCat("string ", why, " at byte ", *bad));
}

}  // namespace ouzel
