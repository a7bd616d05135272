// Checks FindInvalidMqttUtf8 against a deliberately simple reference decoder (code point by code
// point, no fast paths) and aborts on any disagreement.
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "cc/codec/utf8.h"

namespace {

// The reference: decode one code point with the textbook RFC 3629 ranges.
std::optional<size_t> ReferenceFindInvalid(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    size_t len;
    uint32_t cp;
    if (c <= 0x7F) {
      len = 1, cp = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (len == 3 && cp < 0x800) return i;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return i;
    if (cp >= 0xD800 && cp <= 0xDFFF) return i;
    if (cp == 0) return i;
    i += len;
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view s(reinterpret_cast<const char*>(data), size);
  if (ouzel::FindInvalidMqttUtf8(s) != ReferenceFindInvalid(data, size)) std::abort();
  if (ouzel::ValidateMqttUtf8(s).ok() != !ReferenceFindInvalid(data, size).has_value())
    std::abort();
  return 0;
}
