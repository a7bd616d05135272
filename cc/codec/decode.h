// Decoding one complete packet whose fixed header has already been read (the StreamDecoder does
// that framing). Every rule of the spec that a receiver can check on a single packet is enforced;
// a violation is a kDataLoss status naming the rule and the offset, carrying the reason code to
// disconnect with (see codec_error.h). Nothing half-decoded is ever returned.
//
//   OUZEL_ASSIGN_OR_RETURN(Packet p, DecodePacket(0x30, body, 2, ProtocolVersion::kV5));
#ifndef OUZEL_CC_CODEC_DECODE_H_
#define OUZEL_CC_CODEC_DECODE_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "cc/codec/packets.h"
#include "cc/codec/protocol_version.h"

namespace ouzel {

// `first_byte` is the fixed header's first byte (type and flags); `body` is exactly the Remaining
// Length bytes; `body_offset` is the size of the fixed header, so error offsets count from the
// packet's first byte. `version` is the connection's negotiated protocol level (a CONNECT carries
// its own and is decoded by what it says).
absl::StatusOr<Packet> DecodePacket(uint8_t first_byte, absl::Span<const uint8_t> body,
                                    size_t body_offset, ProtocolVersion version);

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_DECODE_H_
