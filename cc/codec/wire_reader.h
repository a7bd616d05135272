// WireReader: bounds-checked reads of MQTT's data types from one packet's bytes.
//
// Every read either succeeds or returns a Malformed Packet error naming the rule and the offset
// (counted from the start of the packet, so errors point at the byte a person would look at in a
// capture). Strings and binary data are returned as views into the input: nothing is copied until
// the caller decides to keep it.
//
//   WireReader r(body, /*base_offset=*/fixed_header_size, ProtocolVersion::kV5);
//   OUZEL_ASSIGN_OR_RETURN(absl::string_view topic, r.ReadUtf8String());
//   OUZEL_ASSIGN_OR_RETURN(uint16_t packet_id, r.ReadU16());
#ifndef OUZEL_CC_CODEC_WIRE_READER_H_
#define OUZEL_CC_CODEC_WIRE_READER_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cc/codec/protocol_version.h"

namespace ouzel {

class WireReader {
 public:
  WireReader(absl::Span<const uint8_t> data, size_t base_offset, ProtocolVersion version)
      : data_(data), base_offset_(base_offset), version_(version) {}

  absl::StatusOr<uint8_t> ReadU8();
  absl::StatusOr<uint16_t> ReadU16();
  absl::StatusOr<uint32_t> ReadU32();
  // Variable Byte Integer; non-minimal encodings are rejected under MQTT 5 [MQTT-1.5.5-1].
  absl::StatusOr<uint32_t> ReadVarInt();
  // Two-byte length then bytes (MQTT 5.0 §1.5.6).
  absl::StatusOr<absl::string_view> ReadBinary();
  // Two-byte length then UTF-8 checked against MQTT's rules (§1.5.4).
  absl::StatusOr<absl::string_view> ReadUtf8String();
  // The next `n` raw bytes.
  absl::StatusOr<absl::string_view> ReadBytes(size_t n);
  // Everything left (e.g. a PUBLISH payload).
  absl::string_view ReadRest();

  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return pos_ == data_.size(); }
  // Offset of the next byte from the start of the packet.
  size_t offset() const { return base_offset_ + pos_; }
  ProtocolVersion version() const { return version_; }

  // A reader over the next `n` bytes, which this reader skips (e.g. a property block).
  absl::StatusOr<WireReader> Sub(size_t n);

 private:
  absl::Status Truncated(size_t need, const char* what) const;

  absl::Span<const uint8_t> data_;
  size_t pos_ = 0;
  size_t base_offset_;
  ProtocolVersion version_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_WIRE_READER_H_
