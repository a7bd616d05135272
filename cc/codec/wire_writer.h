// Appending MQTT's data types to a ByteBuffer. Callers validate lengths first (encoders check
// every input before writing a byte), so these never fail.
#ifndef OUZEL_CC_CODEC_WIRE_WRITER_H_
#define OUZEL_CC_CODEC_WIRE_WRITER_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/varint.h"

namespace ouzel {

inline constexpr size_t kMaxTwoByteLength = 65535;

// Two-byte length prefix then the bytes: UTF-8 strings and binary data alike (s.size() <= 65535).
inline void AppendLengthPrefixed(absl::string_view s, ByteBuffer* out) {
  out->AppendU16(static_cast<uint16_t>(s.size()));
  out->Append(s);
}

inline size_t LengthPrefixedSize(absl::string_view s) { return 2 + s.size(); }

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_WIRE_WRITER_H_
