#include "cc/codec/varint.h"

namespace ouzel {

void AppendVarInt(uint32_t v, ByteBuffer* out) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out->AppendU8(b);
  } while (v != 0);
}

VarIntDecoder::State VarIntDecoder::Feed(uint8_t byte) {
  if (count_ == 4) return State::kTooLong;
  value_ |= static_cast<uint32_t>(byte & 0x7F) << (7 * count_);
  ++count_;
  if (byte & 0x80) return count_ == 4 ? State::kTooLong : State::kNeedMore;
  // A last byte of 0 after the first means a shorter encoding existed.
  if (byte == 0 && count_ > 1) return State::kNotMinimal;
  return State::kDone;
}

}  // namespace ouzel
