// The WebSocket frame codec (cc/transport/websocket_frame.h), two ways; any mismatch aborts.
//
// Byte 0, bit 0 picks the mode.
// - Decoding arbitrary bytes (bit 0 clear). Bit 1: decode as a server would (frames must be
//   masked); bit 2: a message limit of byte 1 * 8 bytes. Byte 2 seeds the chunk sizes; the rest is
//   the stream. It is decoded whole and in chunks: the frames, messages and error must agree, the
//   decoder must consume every byte it is given, and no rule may be broken by what it hands out
//   (control payloads <= 125 bytes, messages within the limit). When unmasked, re-encoding the
//   decoded frames must give back exactly the bytes they came from (lengths are minimal, so the
//   encoding is unique).
// - Encode, then decode (bit 0 set). The rest of the input describes a valid sequence: messages
//   of text or binary fragments with control frames between them, maybe a close frame at the
//   end, masked with input-chosen keys or not. Decoding the encoding in input-chosen chunks must
//   give exactly that sequence, without error.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "cc/base/byte_buffer.h"
#include "cc/transport/websocket_frame.h"
#include "tests/fuzz/fuzz_input.h"

namespace ouzel {
namespace websocket {
namespace {

struct Frame {
  Opcode opcode;
  bool fin;
  std::string payload;
  bool operator==(const Frame& o) const {
    return opcode == o.opcode && fin == o.fin && payload == o.payload;
  }
};

struct Outcome {
  std::vector<Frame> frames;
  std::vector<std::string> messages;
  // Stream offset just past each complete frame, for the re-encoding check.
  std::vector<size_t> frame_ends;
  absl::Status error;
};

// Feeds `stream` in chunks drawn from `seed` (0: all at once).
Outcome DecodeAll(FrameDecoder::Options options, std::string stream, uint8_t seed) {
  FrameDecoder decoder(options);
  Outcome out;
  std::string message;
  bool frame_open = false;
  uint32_t lcg = seed;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t chunk = stream.size() - pos;
    if (seed != 0) {
      // Seeds with the top bit set cut into pieces of up to 4 KiB, the others up to 23 bytes;
      // long streams into at most about 128 pieces, so big frames do not slow the fuzzer down.
      size_t max_chunk = (seed & 0x80) != 0 ? 4096 : 23;
      max_chunk = std::max(max_chunk, stream.size() / 128);
      lcg = lcg * 1103515245u + 12345u;
      chunk = std::min(chunk, size_t{1} + (lcg >> 16) % max_chunk);
    }
    absl::Span<uint8_t> in(reinterpret_cast<uint8_t*>(&stream[pos]), chunk);
    const size_t chunk_start = pos;
    pos += chunk;
    while (true) {
      absl::StatusOr<std::optional<FrameEvent>> e = decoder.Next(&in);
      if (!e.ok()) {
        out.error = e.status();
        if (decoder.Next(&in).status() != out.error) std::abort();  // errors are sticky
        return out;
      }
      if (!e->has_value()) {
        if (!in.empty()) std::abort();  // nullopt means the chunk was used up
        break;
      }
      const FrameEvent& ev = **e;
      const size_t offset = chunk_start + (chunk - in.size());
      const absl::string_view piece(reinterpret_cast<const char*>(ev.payload.data()),
                                    ev.payload.size());
      if (ev.kind == FrameEvent::Kind::kControl) {
        if (!IsControl(ev.opcode) || !ev.fin || ev.payload.size() > kMaxControlPayload ||
            frame_open) {
          std::abort();
        }
        out.frames.push_back({ev.opcode, ev.fin, std::string(piece)});
        out.frame_ends.push_back(offset);
        continue;
      }
      if (IsControl(ev.opcode)) std::abort();
      if (ev.message_opcode != Opcode::kText && ev.message_opcode != Opcode::kBinary) std::abort();
      if (ev.frame_start == frame_open) std::abort();  // starts exactly when no frame is open
      if (ev.frame_start) out.frames.push_back({ev.opcode, ev.fin, ""});
      out.frames.back().payload.append(piece.data(), piece.size());
      message.append(piece.data(), piece.size());
      frame_open = !ev.frame_end;
      if (ev.frame_end) out.frame_ends.push_back(offset);
      if (options.max_message_bytes != 0 && message.size() > options.max_message_bytes) {
        std::abort();
      }
      if (ev.message_end()) {
        out.messages.push_back(message);
        message.clear();
      }
    }
  }
  return out;
}

void DecodeArbitrary(FuzzInput& in, uint8_t mode) {
  FrameDecoder::Options options;
  options.expect_masked = (mode & 2) != 0;
  const uint8_t limit = in.U8();
  if ((mode & 4) != 0) options.max_message_bytes = uint64_t{limit} * 8;
  const uint8_t seed = in.U8();
  const std::string stream(reinterpret_cast<const char*>(in.rest()), in.rest_size());

  const Outcome whole = DecodeAll(options, stream, 0);
  const Outcome split = DecodeAll(options, stream, seed | 1);
  if (!(whole.frames == split.frames) || whole.messages != split.messages ||
      whole.error != split.error || whole.frame_ends != split.frame_ends) {
    std::abort();
  }
  if (!whole.error.ok() && whole.error.code() != absl::StatusCode::kDataLoss) std::abort();

  if (!options.expect_masked && !whole.frame_ends.empty()) {
    ByteBuffer again;
    // The complete frames only: a last one cut off by the end of the input is left out.
    for (size_t i = 0; i < whole.frame_ends.size(); ++i) {
      const Frame& f = whole.frames[i];
      AppendFrame(
          f.opcode, f.fin,
          absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(f.payload.data()), f.payload.size()),
          std::nullopt, &again);
    }
    if (again.view() != absl::string_view(stream).substr(0, whole.frame_ends.back())) std::abort();
  }
}

std::string Payload(FuzzInput& in, size_t max, bool ascii) {
  std::string s = in.String(max);
  // Sometimes long: past the 7-bit and 16-bit length forms. (Not on 0: a used-up input reads
  // as zeros, and must stay cheap.)
  if (max > kMaxControlPayload && in.Below(64) == 63) {
    s.append(in.Bool() ? 126 + in.Below(200) : 65536 + in.Below(300), static_cast<char>(in.U8()));
  }
  if (ascii) {
    for (char& c : s) c = static_cast<char>(c & 0x7F);
  }
  return s;
}

void RoundTrip(FuzzInput& in, uint8_t mode) {
  const bool masked = (mode & 2) != 0;
  std::vector<Frame> frames;
  std::vector<MaskKey> keys;
  const uint32_t messages = in.Below(6);
  auto control = [&] {
    static constexpr Opcode kControls[] = {Opcode::kPing, Opcode::kPong};
    frames.push_back({kControls[in.Below(2)], true, Payload(in, kMaxControlPayload, false)});
  };
  for (uint32_t m = 0; m < messages; ++m) {
    const Opcode opcode = in.Bool() ? Opcode::kBinary : Opcode::kText;
    const uint32_t fragments = 1 + in.Below(4);
    for (uint32_t f = 0; f < fragments; ++f) {
      if (in.Below(4) == 0) control();
      frames.push_back(
          {f == 0 ? opcode : Opcode::kContinuation, f + 1 == fragments, Payload(in, 300, false)});
    }
  }
  if (in.Bool()) control();
  if (in.Bool()) {
    static constexpr uint16_t kCodes[] = {1000, 1001, 1002, 1003, 1007, 1008,
                                          1009, 1010, 1011, 1014, 3000, 4999};
    frames.push_back({Opcode::kClose, true,
                      in.Below(4) == 0 ? std::string()
                                       : EncodeCloseBody(kCodes[in.Below(12)],
                                                         Payload(in, kMaxControlPayload, true))});
  }
  ByteBuffer wire;
  for (const Frame& f : frames) {
    const MaskKey key = {in.U8(), in.U8(), in.U8(), in.U8()};
    AppendFrame(
        f.opcode, f.fin,
        absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(f.payload.data()), f.payload.size()),
        masked ? std::optional<MaskKey>(key) : std::nullopt, &wire);
  }
  FrameDecoder::Options options;
  options.expect_masked = masked;
  const Outcome out = DecodeAll(options, std::string(wire.view()), in.U8());
  if (!out.error.ok() || !(out.frames == frames)) std::abort();
}

}  // namespace
}  // namespace websocket
}  // namespace ouzel

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ouzel::FuzzInput in(data, size);
  const uint8_t mode = in.U8();
  if ((mode & 1) == 0) {
    ouzel::websocket::DecodeArbitrary(in, mode);
  } else {
    ouzel::websocket::RoundTrip(in, mode);
  }
  return 0;
}
