// Encoding packets to bytes. Every input is checked before a byte is written: a packet that cannot
// be expressed (QoS 3, a string over 65,535 bytes, a total over the 268,435,455-byte Remaining
// Length, a property not allowed in that packet, an MQTT 5 field in a 3.x packet, a missing packet
// identifier, an empty SUBSCRIBE) yields InvalidArgument saying what is wrong, and `out` is left
// exactly as it was.
//
//   ByteBuffer out;
//   OUZEL_RETURN_IF_ERROR(EncodePacket(packet, ProtocolVersion::kV311, &out));
#ifndef OUZEL_CC_CODEC_ENCODE_H_
#define OUZEL_CC_CODEC_ENCODE_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/packets.h"
#include "cc/codec/protocol_version.h"

namespace ouzel {

// Appends the whole packet (fixed header included) to `out`. For CONNECT, `version` must equal
// packet.version.
absl::Status EncodePacket(const Packet& packet, ProtocolVersion version, ByteBuffer* out);

// The total size EncodePacket would append, after the same checks. The session uses it to refuse
// a PUBLISH over the server's Maximum Packet Size before encoding anything.
absl::StatusOr<size_t> EncodedPacketSize(const Packet& packet, ProtocolVersion version);

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_ENCODE_H_
