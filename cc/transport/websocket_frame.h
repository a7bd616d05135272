// WebSocket frames (RFC 6455 section 5): a pure codec, no I/O and no randomness, so it is tested
// and fuzzed on its own. websocket_transport.cc drives it; the masking key comes from the caller.
//
// Encoding appends one whole frame (header, then the payload, masked when a key is given):
//
//   ByteBuffer out;
//   AppendFrame(Opcode::kBinary, /*fin=*/true, payload, key, &out);  // a client frame
//
// Decoding is incremental: bytes may arrive in any chunks, and a data frame's payload is handed
// out piece by piece as it arrives (a frame is never buffered whole), so large frames cost no
// extra memory. Control frames (at most 125 bytes) are collected and returned whole:
//
//   FrameDecoder decoder({});  // frames from a server: unmasked
//   absl::Span<uint8_t> in = ...;  // masked payloads are unmasked in place, hence mutable
//   while (true) {
//     OUZEL_ASSIGN_OR_RETURN(std::optional<FrameEvent> e, decoder.Next(&in));
//     if (!e) break;  // `in` is used up; partial headers are kept inside the decoder
//     ...
//   }
//
// Every violation is a DataLoss error naming the rule ("masked frame from the server (RFC 6455
// 5.1)"), and the decoder then stays failed. Rules enforced: reserved bits clear (no extension
// is ever negotiated), known opcodes, masking by role, control frames unfragmented and at most
// 125 bytes, continuation frames only inside a fragmented message and data frames only outside
// one, minimal length encodings (RFC 6455 5.2 says "the minimal number of bytes MUST be used";
// we enforce it), the 64-bit length's top bit clear, the message size limit, well-formed close
// payloads (no 1-byte body, a code that may be sent, a UTF-8 reason), nothing after a close
// frame. Text payloads are not checked for UTF-8: MQTT travels in binary frames only, and the
// transport rejects text frames outright.
#ifndef OUZEL_CC_TRANSPORT_WEBSOCKET_FRAME_H_
#define OUZEL_CC_TRANSPORT_WEBSOCKET_FRAME_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cc/base/byte_buffer.h"

namespace ouzel {
namespace websocket {

enum class Opcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// "continuation", "text", "binary", "close", "ping", "pong".
const char* OpcodeName(Opcode opcode);
inline bool IsControl(Opcode opcode) { return (static_cast<uint8_t>(opcode) & 0x8) != 0; }

using MaskKey = std::array<uint8_t, 4>;

// Control frames carry at most this many payload bytes (5.5).
inline constexpr size_t kMaxControlPayload = 125;
// The longest frame header: 2 bytes, a 64-bit length, a masking key.
inline constexpr size_t kMaxFrameHeader = 14;

// Bytes of header for a payload of `payload_size` bytes.
size_t FrameHeaderSize(uint64_t payload_size, bool masked);

// Appends one frame to `out`. With `mask` the payload is masked (frames a client sends must be);
// without, it is copied as is (frames a server sends; tests and the test peer use this).
void AppendFrame(Opcode opcode, bool fin, absl::Span<const uint8_t> payload,
                 std::optional<MaskKey> mask, ByteBuffer* out);

// XORs `bytes` with `key`, starting at key byte `offset % 4` (the offset of bytes[0] within the
// frame's payload). Masking and unmasking are the same operation.
void ApplyMask(const MaskKey& key, uint64_t offset, absl::Span<uint8_t> bytes);

// A close frame's body (5.5.1): an optional status code, then an optional UTF-8 reason.
struct CloseBody {
  std::optional<uint16_t> code;  // absent: the peer gave none (reported as 1005 by others)
  std::string reason;
};
// The payload for a close frame with `code` and `reason` (reason cut to fit in 123 bytes, never
// inside a UTF-8 sequence).
std::string EncodeCloseBody(uint16_t code, absl::string_view reason);
// DataLoss for a 1-byte body, a code that must not be sent (7.4: below 1000, 1004-1006, 1015,
// unassigned 1016-2999, 5000 and up) or a reason that is not UTF-8.
absl::StatusOr<CloseBody> ParseCloseBody(absl::Span<const uint8_t> payload);
// "code 1000 (normal closure) reason \"bye\"", "no status code".
std::string DescribeClose(const CloseBody& body);

// Status codes we send (7.4.1).
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseProtocolError = 1002;
inline constexpr uint16_t kCloseUnsupportedData = 1003;
inline constexpr uint16_t kCloseInvalidData = 1007;
inline constexpr uint16_t kCloseTooBig = 1009;

// What FrameDecoder::Next hands out.
struct FrameEvent {
  enum class Kind : uint8_t {
    kData,     // a piece of a text/binary/continuation frame's payload (possibly empty)
    kControl,  // a whole close, ping or pong frame
  };
  Kind kind = Kind::kData;
  Opcode opcode = Opcode::kBinary;          // the frame's own opcode
  Opcode message_opcode = Opcode::kBinary;  // kData: the message's (kText or kBinary)
  bool fin = false;                         // the frame's FIN bit
  bool frame_start = false;  // kData: the first piece of this frame (always true for kControl)
  bool frame_end = false;    // kData: the last piece of this frame (always true for kControl)
  // kData: these bytes of the frame's payload, pointing into the caller's input. kControl: the
  // whole payload, pointing into the decoder (valid until the next call).
  absl::Span<const uint8_t> payload;
  bool message_end() const { return kind == Kind::kData && fin && frame_end; }
};

class FrameDecoder {
 public:
  struct Options {
    // False: frames from a server, which must not be masked (a client's decoder). True: frames
    // from a client, which must be (tests and the round-trip fuzzer decode what we encode).
    bool expect_masked = false;
    // Largest message (the sum of its frames' payloads) accepted; 0 means no limit. A frame
    // whose length would go past it fails as soon as its header is read.
    uint64_t max_message_bytes = 0;
  };

  explicit FrameDecoder(Options options) : options_(options) {}

  // Consumes bytes from the front of `*input` and returns the next event, or nullopt once
  // `*input` is used up without completing one (partial headers and control payloads are kept
  // inside). Masked payloads are unmasked in place. After an error every call returns it again.
  absl::StatusOr<std::optional<FrameEvent>> Next(absl::Span<uint8_t>* input);

  // A fragmented message has begun and not ended.
  bool in_message() const { return message_opcode_.has_value(); }
  // A close frame was decoded; any further byte is an error.
  bool closed() const { return closed_; }
  // Nothing partial is held: between frames.
  bool at_frame_boundary() const { return stage_ == Stage::kHeader && header_size_ == 0; }
  // After an error: the status code to close the connection with (1002 protocol error, 1009
  // message too big, 1007 for a close reason that is not UTF-8).
  uint16_t close_code() const { return close_code_; }

 private:
  enum class Stage : uint8_t { kHeader, kPayload };

  absl::Status Fail(std::string rule, uint16_t close_code = kCloseProtocolError);
  // Checks the first two header bytes; sets header_need_.
  absl::Status CheckFirstBytes();
  // Checks the whole header; sets the frame fields and enters kPayload.
  absl::Status CheckHeader();

  Options options_;
  absl::Status error_;
  uint16_t close_code_ = kCloseProtocolError;
  bool closed_ = false;
  Stage stage_ = Stage::kHeader;
  std::array<uint8_t, kMaxFrameHeader> header_{};
  size_t header_size_ = 0;  // bytes of header_ filled
  size_t header_need_ = 2;  // bytes the current header has in all (known after two)
  // The frame being read.
  Opcode opcode_ = Opcode::kBinary;
  bool fin_ = false;
  bool masked_ = false;
  MaskKey mask_{};
  uint64_t payload_size_ = 0;
  uint64_t payload_done_ = 0;
  std::array<uint8_t, kMaxControlPayload> control_{};
  // The fragmented message in progress: its opcode and size so far.
  std::optional<Opcode> message_opcode_;
  uint64_t message_bytes_ = 0;
};

}  // namespace websocket
}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_WEBSOCKET_FRAME_H_
