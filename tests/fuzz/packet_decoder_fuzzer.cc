// Feeds arbitrary bytes to the StreamDecoder as one chunk and again in fuzzer-chosen chunk sizes,
// and aborts unless both give the same packets and the same error. Every packet decoded must
// re-encode, and decode again to the same packet.
//
// Input: byte 0 picks the protocol version (bits 0-1) and the maximum packet size (bit 2 caps it at
// 256 bytes); byte 1 seeds the chunk sizes; the rest is the stream.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "cc/codec/decode.h"
#include "cc/codec/encode.h"
#include "cc/codec/stream_decoder.h"

namespace ouzel {
namespace {

struct Outcome {
  std::vector<Packet> packets;
  absl::Status error;
};

Outcome DecodeAll(StreamDecoder::Options options, absl::Span<const uint8_t> stream,
                  uint8_t chunk_seed) {
  StreamDecoder decoder(options);
  Outcome out;
  uint32_t lcg = chunk_seed;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t chunk = stream.size();
    if (chunk_seed != 0) {
      lcg = lcg * 1103515245u + 12345u;
      chunk = 1 + (lcg >> 16) % 17;
    }
    chunk = std::min(chunk, stream.size() - pos);
    absl::Span<const uint8_t> in = stream.subspan(pos, chunk);
    pos += chunk;
    while (!in.empty()) {
      const size_t before = in.size();
      absl::StatusOr<std::optional<Packet>> p = decoder.Next(&in);
      if (!p.ok()) {
        out.error = p.status();
        return out;
      }
      if (p->has_value()) out.packets.push_back(**p);
      if (in.size() == before) std::abort();  // no progress: would hang a caller
    }
  }
  return out;
}

ProtocolVersion VersionOf(const Packet& p, ProtocolVersion stream_version) {
  if (const auto* c = std::get_if<ConnectPacket>(&p)) return c->version;
  return stream_version;
}

}  // namespace
}  // namespace ouzel

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ouzel;  // NOLINT(google-build-using-namespace): fuzz entry point
  if (size < 2) return 0;
  static constexpr ProtocolVersion kVersions[] = {ProtocolVersion::kV31, ProtocolVersion::kV311,
                                                  ProtocolVersion::kV5, ProtocolVersion::kV5};
  StreamDecoder::Options options;
  options.version = kVersions[data[0] & 3];
  if (data[0] & 4) options.maximum_packet_size = 256;
  absl::Span<const uint8_t> stream(data + 2, size - 2);

  Outcome whole = DecodeAll(options, stream, 0);
  Outcome chunked = DecodeAll(options, stream, data[1] | 1);
  if (whole.packets != chunked.packets) std::abort();
  if (whole.error != chunked.error) std::abort();

  for (const Packet& p : whole.packets) {
    const ProtocolVersion v = VersionOf(p, options.version);
    ByteBuffer encoded;
    if (!EncodePacket(p, v, &encoded).ok()) std::abort();  // decoded, so it must be expressible
    absl::StatusOr<size_t> predicted = EncodedPacketSize(p, v);
    if (!predicted.ok() || *predicted != encoded.size()) std::abort();
    StreamDecoder again({v});
    absl::Span<const uint8_t> in = encoded.span();
    absl::StatusOr<std::optional<Packet>> back = again.Next(&in);
    if (!back.ok() || !back->has_value() || **back != p || !in.empty()) std::abort();
  }
  return 0;
}
