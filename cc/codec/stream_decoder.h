// StreamDecoder: turns a byte stream, delivered in chunks of any size, into packets.
//
// It reads the fixed header a byte at a time, refuses a packet larger than the configured maximum
// as soon as its Remaining Length is known (before any of the body arrives), and buffers only the
// bytes actually received: a header announcing 256 MB allocates nothing until 256 MB come. When a
// whole packet is already inside the caller's chunk, it is decoded in place without copying.
// After an error the decoder stays failed and returns the same error.
//
//   StreamDecoder decoder({.version = ProtocolVersion::kV5, .maximum_packet_size = 1 << 20});
//   absl::Span<const uint8_t> input = Received();
//   while (!input.empty()) {
//     OUZEL_ASSIGN_OR_RETURN(std::optional<Packet> packet, decoder.Next(&input));
//     if (packet) Handle(*packet);
//   }
#ifndef OUZEL_CC_CODEC_STREAM_DECODER_H_
#define OUZEL_CC_CODEC_STREAM_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "cc/codec/packets.h"
#include "cc/codec/protocol_version.h"
#include "cc/codec/varint.h"

namespace ouzel {

// The largest packet MQTT can express: 1 type byte + 4 length bytes + 268,435,455.
inline constexpr uint32_t kMaxMqttPacketSize = 1 + 4 + kMaxVarInt;

class StreamDecoder {
 public:
  struct Options {
    ProtocolVersion version = ProtocolVersion::kV311;
    // Packets whose total size (fixed header included) exceeds this fail with Packet Too Large
    // (MQTT 5 Maximum Packet Size, §3.1.2.11.4).
    uint32_t maximum_packet_size = kMaxMqttPacketSize;
  };

  // One framed packet: its first byte, the fixed header's size and its body. `body` points into the
  // caller's input or the decoder's buffer and is valid until the next call.
  struct Frame {
    uint8_t first_byte;
    size_t header_size;
    absl::Span<const uint8_t> body;
  };

  StreamDecoder() : StreamDecoder(Options()) {}
  explicit StreamDecoder(Options options) : options_(options) {}

  // Consumes bytes from the front of `*input` (advancing it) up to the end of the first packet that
  // completes, and returns that packet; nullopt when `*input` ran out first (all of it consumed).
  absl::StatusOr<std::optional<Packet>> Next(absl::Span<const uint8_t>* input);

  // The same framing without decoding the body, for tools that relay or inspect raw packets.
  absl::StatusOr<std::optional<Frame>> NextFrame(absl::Span<const uint8_t>* input);

  void set_version(ProtocolVersion v) { options_.version = v; }
  void set_maximum_packet_size(uint32_t max) { options_.maximum_packet_size = max; }
  const Options& options() const { return options_; }

  // Capacity of the buffer holding a partly received packet: it grows with the bytes that arrive,
  // never with the length a header announces.
  size_t buffer_capacity() const { return body_.capacity(); }

  // True when a packet is partly received.
  bool mid_packet() const { return state_ != State::kFirstByte; }
  // Forgets any partial packet and a sticky error (e.g. for a new connection).
  void Reset();

 private:
  enum class State { kFirstByte, kLength, kBody };

  absl::Status Fail(absl::Status s);
  absl::Status HeaderComplete();

  Options options_;
  State state_ = State::kFirstByte;
  uint8_t first_byte_ = 0;
  VarIntDecoder length_;
  uint32_t remaining_length_ = 0;
  std::vector<uint8_t> body_;  // holds only bytes received so far
  absl::Status error_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_STREAM_DECODER_H_
