// MQTT's Variable Byte Integer (MQTT 5.0 §1.5.5, 3.1.1 §2.2.3 "Remaining Length"): 7 bits a byte,
// least significant group first, high bit = "more follows", at most 4 bytes (max 268,435,455).
#ifndef OUZEL_CC_CODEC_VARINT_H_
#define OUZEL_CC_CODEC_VARINT_H_

#include <cstddef>
#include <cstdint>

#include "cc/base/byte_buffer.h"

namespace ouzel {

inline constexpr uint32_t kMaxVarInt = 268'435'455;

// Bytes needed to encode `v` (v <= kMaxVarInt).
constexpr size_t VarIntSize(uint32_t v) {
  return v < 128u ? 1 : v < 16'384u ? 2 : v < 2'097'152u ? 3 : 4;
}

// Appends the encoding of `v` (v <= kMaxVarInt; callers check first).
void AppendVarInt(uint32_t v, ByteBuffer* out);

// Incremental decoder for input that arrives a byte at a time.
class VarIntDecoder {
 public:
  enum class State { kNeedMore, kDone, kTooLong, kNotMinimal };

  // Feeds one byte. After kDone or kNotMinimal, value() holds the result. kTooLong: a fifth byte
  // would be needed (always malformed). kNotMinimal: complete, but with more bytes than the value
  // needs, which MQTT 5 forbids [MQTT-1.5.5-1] and MQTT 3.1.1 does not; the caller decides.
  State Feed(uint8_t byte);
  uint32_t value() const { return value_; }
  size_t bytes() const { return count_; }
  void Reset() { value_ = 0, count_ = 0; }

 private:
  uint32_t value_ = 0;
  size_t count_ = 0;
};

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_VARINT_H_
