// Helpers shared by the packet codec tests: hex byte vectors, whole-packet decoding, readable
// printing of packets, decode-error matchers and a generator of random valid packets.
#ifndef OUZEL_CC_CODEC_PACKET_TEST_UTIL_H_
#define OUZEL_CC_CODEC_PACKET_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cc/codec/packets.h"
#include "cc/codec/properties.h"
#include "cc/codec/protocol_version.h"
#include "gtest/gtest.h"

namespace ouzel {

// "10 0c 00 04" -> {0x10, 0x0c, 0x00, 0x04}. Whitespace is ignored; anything else but hex digits
// aborts the test binary (a typo in a golden must not pass silently).
std::vector<uint8_t> Hex(absl::string_view hex);
std::string ToHex(absl::Span<const uint8_t> bytes);

std::string Describe(const Properties& props);
std::string Describe(const Packet& packet);
// GoogleTest prints Packets with this (found by argument-dependent lookup).
void PrintTo(const Packet& packet, std::ostream* os);

// Decodes a whole packet, fixed header included, the way the StreamDecoder frames it.
// InvalidArgument when the bytes are not exactly one framed packet (a test bug, not a decode
// error).
absl::StatusOr<Packet> DecodeWhole(absl::Span<const uint8_t> bytes, ProtocolVersion version);

// EncodePacket into a fresh buffer.
absl::StatusOr<std::vector<uint8_t>> EncodeToBytes(const Packet& packet, ProtocolVersion version);

// Succeeds when `status` is a decode failure calling for DISCONNECT `reason`, citing `rule` and
// reporting `offset`.
::testing::AssertionResult IsDecodeError(const absl::Status& status, uint8_t reason,
                                         absl::string_view rule, size_t offset);

// Random packets that every check accepts, for round trips. Deterministic for a given engine state.
Properties RandomProperties(std::mt19937& rng, PropertyContext context);
Packet RandomPacket(std::mt19937& rng, PacketType type, ProtocolVersion version);

// The packet types a version has (AUTH is MQTT 5 only).
std::vector<PacketType> PacketTypesOf(ProtocolVersion version);
const char* VersionName(ProtocolVersion version);

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_PACKET_TEST_UTIL_H_
