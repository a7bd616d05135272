#include "cc/codec/wire_reader.h"

#include "absl/strings/str_cat.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/utf8.h"
#include "cc/codec/varint.h"

namespace ouzel {

absl::Status WireReader::Truncated(size_t need, const char* what) const {
  return MalformedPacketError(
      "MQTT-5.0 §1.5 data representation", offset(),
      absl::StrCat(what, " needs ", need, " bytes but the packet has ", remaining(), " left"));
}

absl::StatusOr<uint8_t> WireReader::ReadU8() {
  if (remaining() < 1) return Truncated(1, "byte");
  return data_[pos_++];
}

absl::StatusOr<uint16_t> WireReader::ReadU16() {
  if (remaining() < 2) return Truncated(2, "two byte integer");
  uint16_t v = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

absl::StatusOr<uint32_t> WireReader::ReadU32() {
  if (remaining() < 4) return Truncated(4, "four byte integer");
  uint32_t v = (uint32_t{data_[pos_]} << 24) | (uint32_t{data_[pos_ + 1]} << 16) |
               (uint32_t{data_[pos_ + 2]} << 8) | uint32_t{data_[pos_ + 3]};
  pos_ += 4;
  return v;
}

absl::StatusOr<uint32_t> WireReader::ReadVarInt() {
  const size_t start = offset();
  VarIntDecoder dec;
  while (true) {
    if (empty()) {
      return MalformedPacketError("MQTT-5.0 §1.5.5", start, "variable byte integer is truncated");
    }
    switch (dec.Feed(data_[pos_++])) {
      case VarIntDecoder::State::kNeedMore:
        continue;
      case VarIntDecoder::State::kDone:
        return dec.value();
      case VarIntDecoder::State::kNotMinimal:
        if (IsV5(version_)) {
          return MalformedPacketError("MQTT-1.5.5-1", start,
                                      "variable byte integer does not use the minimum bytes");
        }
        return dec.value();
      case VarIntDecoder::State::kTooLong:
        return MalformedPacketError("MQTT-5.0 §1.5.5", start,
                                    "variable byte integer is longer than 4 bytes");
    }
  }
}

absl::StatusOr<absl::string_view> WireReader::ReadBytes(size_t n) {
  if (remaining() < n) return Truncated(n, "data");
  absl::string_view v(reinterpret_cast<const char*>(data_.data()) + pos_, n);
  pos_ += n;
  return v;
}

absl::StatusOr<absl::string_view> WireReader::ReadBinary() {
  const size_t start = offset();
  absl::StatusOr<uint16_t> len = ReadU16();
  if (!len.ok()) return len.status();
  if (remaining() < *len) {
    return MalformedPacketError(
        "MQTT-5.0 §1.5.6", start,
        absl::StrCat("length prefix ", *len, " exceeds the ", remaining(), " bytes left"));
  }
  return ReadBytes(*len);
}

absl::StatusOr<absl::string_view> WireReader::ReadUtf8String() {
  const size_t start = offset();
  absl::StatusOr<uint16_t> len = ReadU16();
  if (!len.ok()) return len.status();
  if (remaining() < *len) {
    return MalformedPacketError(
        "MQTT-5.0 §1.5.4", start,
        absl::StrCat("string length ", *len, " exceeds the ", remaining(), " bytes left"));
  }
  const size_t text_offset = offset();
  absl::StatusOr<absl::string_view> s = ReadBytes(*len);
  if (std::optional<size_t> bad = FindInvalidMqttUtf8(*s)) {
    const bool nul = (*s)[*bad] == '\0';
    return MalformedPacketError(nul ? "MQTT-1.5.4-2" : "MQTT-1.5.4-1", text_offset + *bad,
                                nul ? "string contains U+0000" : "string is not well-formed UTF-8");
  }
  return s;
}

absl::string_view WireReader::ReadRest() {
  absl::string_view v(reinterpret_cast<const char*>(data_.data()) + pos_, remaining());
  pos_ = data_.size();
  return v;
}

absl::StatusOr<WireReader> WireReader::Sub(size_t n) {
  if (remaining() < n) return Truncated(n, "block");
  WireReader sub(data_.subspan(pos_, n), offset(), version_);
  pos_ += n;
  return sub;
}

}  // namespace ouzel
