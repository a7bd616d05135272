#include "cc/transport/websocket_frame.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace ouzel {
namespace websocket {
namespace {

bool KnownOpcode(uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

// Status codes a peer may put in a close frame (RFC 6455 7.4.1 and 7.4.2, IANA registry):
// 1004, 1005, 1006 and 1015 are reserved for reporting and must never be sent; 1016-2999 are
// for future RFCs; 3000-4999 belong to libraries and applications.
bool SendableCloseCode(uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  if (code < 1000 || code > 1014) return false;
  return code != 1004 && code != 1005 && code != 1006;
}

const char* CloseCodeName(uint16_t code) {
  switch (code) {
    case 1000:
      return "normal closure";
    case 1001:
      return "going away";
    case 1002:
      return "protocol error";
    case 1003:
      return "unsupported data";
    case 1007:
      return "invalid payload data";
    case 1008:
      return "policy violation";
    case 1009:
      return "message too big";
    case 1010:
      return "mandatory extension";
    case 1011:
      return "internal error";
    case 1012:
      return "service restart";
    case 1013:
      return "try again later";
    case 1014:
      return "bad gateway";
  }
  return nullptr;
}

// Length of the longest prefix of `s` that is whole UTF-8 sequences (a structural check: lead
// and continuation bytes; overlong forms and surrogates are caught by Utf8Valid below).
size_t Utf8SafeCut(absl::string_view s, size_t max) {
  if (s.size() <= max) return s.size();
  size_t cut = max;
  // Step back over continuation bytes so the cut lands on a sequence start.
  while (cut > 0 && (static_cast<uint8_t>(s[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool Utf8Valid(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t b = static_cast<uint8_t>(s[i]);
    size_t n;
    uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      n = 1;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // the sequence runs past the end
    for (size_t k = 1; k <= n; ++k) {
      const uint8_t c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

const char* OpcodeName(Opcode opcode) {
  switch (opcode) {
    case Opcode::kContinuation:
      return "continuation";
    case Opcode::kText:
      return "text";
    case Opcode::kBinary:
      return "binary";
    case Opcode::kClose:
      return "close";
    case Opcode::kPing:
      return "ping";
    case Opcode::kPong:
      return "pong";
  }
  return "unknown";
}

size_t FrameHeaderSize(uint64_t payload_size, bool masked) {
  size_t n = 2;
  if (payload_size > 0xFFFF) {
    n += 8;
  } else if (payload_size >= 126) {
    n += 2;
  }
  return masked ? n + 4 : n;
}

void ApplyMask(const MaskKey& key, uint64_t offset, absl::Span<uint8_t> bytes) {
  uint8_t* p = bytes.data();
  size_t n = bytes.size();
  size_t k = offset % 4;
  // Byte by byte up to a key boundary, then eight bytes at a time with the key repeated.
  while (n > 0 && k != 0) {
    *p++ ^= key[k];
    k = (k + 1) % 4;
    --n;
  }
  if (n >= 8) {
    uint8_t wide_bytes[8];
    for (int i = 0; i < 8; ++i) wide_bytes[i] = key[i % 4];
    uint64_t wide;
    std::memcpy(&wide, wide_bytes, 8);
    while (n >= 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      v ^= wide;
      std::memcpy(p, &v, 8);
      p += 8;
      n -= 8;
    }
  }
  for (size_t i = 0; i < n; ++i) p[i] ^= key[i % 4];
}

namespace {

// Copies `src` to `dst` masked with `key` from offset 0, in one pass, eight bytes at a time.
void MaskInto(const MaskKey& key, absl::Span<const uint8_t> src, uint8_t* dst) {
  uint8_t wide_bytes[8];
  for (int i = 0; i < 8; ++i) wide_bytes[i] = key[i % 4];
  uint64_t wide;
  std::memcpy(&wide, wide_bytes, 8);
  const uint8_t* p = src.data();
  size_t n = src.size();
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    v ^= wide;
    std::memcpy(dst, &v, 8);
    p += 8;
    dst += 8;
    n -= 8;
  }
  // 8 is a multiple of 4, so the key phase is back at 0 here.
  for (size_t i = 0; i < n; ++i) dst[i] = p[i] ^ key[i % 4];
}

}  // namespace

void AppendFrame(Opcode opcode, bool fin, absl::Span<const uint8_t> payload,
                 std::optional<MaskKey> mask, ByteBuffer* out) {
  const uint64_t size = payload.size();
  out->Reserve(FrameHeaderSize(size, mask.has_value()) + payload.size());
  out->AppendU8(static_cast<uint8_t>((fin ? 0x80 : 0x00) | static_cast<uint8_t>(opcode)));
  const uint8_t mask_bit = mask.has_value() ? 0x80 : 0x00;
  if (size > 0xFFFF) {
    out->AppendU8(mask_bit | 127);
    out->AppendU32(static_cast<uint32_t>(size >> 32));
    out->AppendU32(static_cast<uint32_t>(size));
  } else if (size >= 126) {
    out->AppendU8(mask_bit | 126);
    out->AppendU16(static_cast<uint16_t>(size));
  } else {
    out->AppendU8(static_cast<uint8_t>(mask_bit | size));
  }
  if (!mask.has_value()) {
    out->Append(payload);
    return;
  }
  out->Append(mask->data(), mask->size());
  if (payload.empty()) return;
  MaskInto(*mask, payload, out->AppendUninitialized(payload.size()));
}

std::string EncodeCloseBody(uint16_t code, absl::string_view reason) {
  std::string body;
  body.push_back(static_cast<char>(code >> 8));
  body.push_back(static_cast<char>(code & 0xFF));
  const size_t keep = Utf8SafeCut(reason, kMaxControlPayload - 2);
  body.append(reason.data(), keep);
  return body;
}

absl::StatusOr<CloseBody> ParseCloseBody(absl::Span<const uint8_t> payload) {
  CloseBody body;
  if (payload.empty()) return body;
  if (payload.size() == 1) {
    return absl::DataLossError(
        "close frame with a 1-byte body (a status code needs 2; RFC 6455 5.5.1)");
  }
  const uint16_t code = static_cast<uint16_t>((payload[0] << 8) | payload[1]);
  if (!SendableCloseCode(code)) {
    return absl::DataLossError(absl::StrCat("close frame with status code ", code,
                                            ", which no endpoint may send (RFC 6455 7.4)"));
  }
  body.code = code;
  body.reason.assign(reinterpret_cast<const char*>(payload.data()) + 2, payload.size() - 2);
  if (!Utf8Valid(body.reason)) {
    return absl::DataLossError(absl::StrCat("close frame reason is not UTF-8: \"",
                                            absl::CHexEscape(body.reason), "\" (RFC 6455 5.5.1)"));
  }
  return body;
}

std::string DescribeClose(const CloseBody& body) {
  if (!body.code.has_value()) return "no status code";
  std::string out = absl::StrCat("code ", *body.code);
  if (const char* name = CloseCodeName(*body.code)) absl::StrAppend(&out, " (", name, ")");
  if (!body.reason.empty()) {
    absl::StrAppend(&out, " reason \"", absl::CHexEscape(body.reason), "\"");
  }
  return out;
}

absl::Status FrameDecoder::Fail(std::string rule, uint16_t close_code) {
  close_code_ = close_code;
  error_ = absl::DataLossError(absl::StrCat("bad WebSocket frame: ", rule));
  return error_;
}

absl::Status FrameDecoder::CheckFirstBytes() {
  const uint8_t b0 = header_[0];
  const uint8_t b1 = header_[1];
  if ((b0 & 0x70) != 0) {
    return Fail(absl::StrCat("reserved bits set (0x", absl::Hex(b0 & 0x70),
                             "), but no extension was negotiated (RFC 6455 5.2)"));
  }
  const uint8_t op = b0 & 0x0F;
  if (!KnownOpcode(op)) {
    return Fail(absl::StrCat("reserved opcode 0x", absl::Hex(op), " (RFC 6455 5.2)"));
  }
  const auto opcode = static_cast<Opcode>(op);
  const bool fin = (b0 & 0x80) != 0;
  const bool masked = (b1 & 0x80) != 0;
  const uint8_t len7 = b1 & 0x7F;
  if (masked && !options_.expect_masked) {
    return Fail(absl::StrCat("masked ", OpcodeName(opcode),
                             " frame from the server (servers must not mask; RFC 6455 5.1)"));
  }
  if (!masked && options_.expect_masked) {
    return Fail(absl::StrCat("unmasked ", OpcodeName(opcode),
                             " frame from the client (clients must mask; RFC 6455 5.1)"));
  }
  if (IsControl(opcode)) {
    if (!fin) {
      return Fail(absl::StrCat("fragmented ", OpcodeName(opcode),
                               " frame (control frames must not be fragmented; RFC 6455 5.5)"));
    }
    if (len7 > kMaxControlPayload) {
      // 126 and 127 announce an extended length: at least 126 bytes either way.
      return Fail(absl::StrCat(OpcodeName(opcode),
                               " frame with a payload of more than 125 bytes (control frames "
                               "carry at most 125; RFC 6455 5.5)"));
    }
  } else if (opcode == Opcode::kContinuation) {
    if (!message_opcode_.has_value()) {
      return Fail("continuation frame without a fragmented message to continue (RFC 6455 5.4)");
    }
  } else if (message_opcode_.has_value()) {
    return Fail(absl::StrCat(OpcodeName(opcode), " frame while a fragmented ",
                             OpcodeName(*message_opcode_),
                             " message is unfinished (expected a continuation; RFC 6455 5.4)"));
  }
  header_need_ = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
  return absl::OkStatus();
}

absl::Status FrameDecoder::CheckHeader() {
  opcode_ = static_cast<Opcode>(header_[0] & 0x0F);
  fin_ = (header_[0] & 0x80) != 0;
  masked_ = (header_[1] & 0x80) != 0;
  const uint8_t len7 = header_[1] & 0x7F;
  size_t pos = 2;
  uint64_t size = len7;
  if (len7 == 126) {
    size = (uint64_t{header_[2]} << 8) | header_[3];
    pos = 4;
    if (size < 126) {
      return Fail(absl::StrCat("length ", size,
                               " sent in the 16-bit form (the minimal form must be used; "
                               "RFC 6455 5.2)"));
    }
  } else if (len7 == 127) {
    size = 0;
    for (int i = 0; i < 8; ++i) size = (size << 8) | header_[2 + i];
    pos = 10;
    if ((size >> 63) != 0) {
      return Fail("64-bit length with the most significant bit set (RFC 6455 5.2)");
    }
    if (size <= 0xFFFF) {
      return Fail(absl::StrCat("length ", size,
                               " sent in the 64-bit form (the minimal form must be used; "
                               "RFC 6455 5.2)"));
    }
  }
  if (masked_) std::memcpy(mask_.data(), header_.data() + pos, 4);
  payload_size_ = size;
  payload_done_ = 0;
  if (!IsControl(opcode_)) {
    const uint64_t so_far = opcode_ == Opcode::kContinuation ? message_bytes_ : 0;
    const uint64_t limit = options_.max_message_bytes;
    if (limit != 0 && (size > limit || so_far > limit - size)) {
      return Fail(absl::StrCat("message of at least ", so_far + size,
                               " bytes exceeds the limit of ", limit, " bytes"),
                  kCloseTooBig);
    }
    message_bytes_ = so_far + size;
    if (opcode_ != Opcode::kContinuation) message_opcode_ = opcode_;
  }
  stage_ = Stage::kPayload;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FrameEvent>> FrameDecoder::Next(absl::Span<uint8_t>* input) {
  if (!error_.ok()) return error_;
  if (stage_ == Stage::kHeader) {
    if (input->empty()) return std::nullopt;
    if (closed_) return Fail("data after the close frame (RFC 6455 5.5.1)");
    while (header_size_ < header_need_ && !input->empty()) {
      header_[header_size_++] = input->front();
      input->remove_prefix(1);
      if (header_size_ == 2) {
        absl::Status s = CheckFirstBytes();
        if (!s.ok()) return s;
      }
    }
    if (header_size_ < header_need_) return std::nullopt;
    absl::Status s = CheckHeader();
    if (!s.ok()) return s;
    header_size_ = 0;
    header_need_ = 2;
  }

  const uint64_t left = payload_size_ - payload_done_;
  const size_t take = static_cast<size_t>(std::min<uint64_t>(left, input->size()));
  absl::Span<uint8_t> piece = input->subspan(0, take);
  input->remove_prefix(take);
  if (masked_) ApplyMask(mask_, payload_done_, piece);

  FrameEvent event;
  event.opcode = opcode_;
  event.fin = fin_;
  if (IsControl(opcode_)) {
    if (!piece.empty()) std::memcpy(control_.data() + payload_done_, piece.data(), piece.size());
    payload_done_ += take;
    if (payload_done_ < payload_size_) return std::nullopt;
    stage_ = Stage::kHeader;
    event.kind = FrameEvent::Kind::kControl;
    event.message_opcode = opcode_;
    event.frame_start = true;
    event.frame_end = true;
    event.payload = absl::MakeConstSpan(control_.data(), payload_size_);
    if (opcode_ == Opcode::kClose) {
      absl::StatusOr<CloseBody> body = ParseCloseBody(event.payload);
      if (!body.ok()) {
        // The code was fine when only the reason's UTF-8 is at fault: 1007, else 1002.
        const bool code_ok =
            payload_size_ >= 2 &&
            SendableCloseCode(static_cast<uint16_t>((control_[0] << 8) | control_[1]));
        return Fail(std::string(body.status().message()),
                    code_ok ? kCloseInvalidData : kCloseProtocolError);
      }
      closed_ = true;
    }
    return event;
  }

  // A data frame: hand out what arrived, or the frame's empty payload once.
  if (take == 0 && left > 0) return std::nullopt;
  event.kind = FrameEvent::Kind::kData;
  event.message_opcode = *message_opcode_;
  event.frame_start = payload_done_ == 0;
  payload_done_ += take;
  event.frame_end = payload_done_ == payload_size_;
  event.payload = piece;
  if (event.frame_end) {
    stage_ = Stage::kHeader;
    if (fin_) {
      message_opcode_.reset();
      message_bytes_ = 0;
    }
  }
  return event;
}

}  // namespace websocket
}  // namespace ouzel
