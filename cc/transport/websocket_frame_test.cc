#include "cc/transport/websocket_frame.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace websocket {
namespace {

using ::testing::HasSubstr;

// The masking key of RFC 6455's examples (5.7).
constexpr MaskKey kRfcKey = {0x37, 0xfa, 0x21, 0x3d};

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

absl::Span<const uint8_t> Span(absl::string_view s) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string Encode(Opcode opcode, bool fin, absl::string_view payload,
                   std::optional<MaskKey> mask = std::nullopt) {
  ByteBuffer out;
  AppendFrame(opcode, fin, Span(payload), mask, &out);
  return std::string(out.view());
}

struct Frame {
  Opcode opcode;
  bool fin;
  std::string payload;
  bool operator==(const Frame& o) const {
    return opcode == o.opcode && fin == o.fin && payload == o.payload;
  }
};

std::ostream& operator<<(std::ostream& os, const Frame& f) {
  return os << OpcodeName(f.opcode) << (f.fin ? " fin " : " ") << '"' << f.payload << '"';
}

struct Decoded {
  std::vector<Frame> frames;
  std::vector<std::string> messages;  // whole data messages
  absl::Status status;
};

// Feeds `bytes` to a decoder `chunk` bytes at a time and reassembles frames and messages.
Decoded DecodeAll(std::string bytes, size_t chunk, FrameDecoder::Options options = {}) {
  FrameDecoder decoder(options);
  Decoded out;
  std::string message;
  for (size_t pos = 0; pos < bytes.size() && out.status.ok(); pos += chunk) {
    absl::Span<uint8_t> in(reinterpret_cast<uint8_t*>(&bytes[pos]),
                           std::min(chunk, bytes.size() - pos));
    while (true) {
      absl::StatusOr<std::optional<FrameEvent>> e = decoder.Next(&in);
      if (!e.ok()) {
        out.status = e.status();
        break;
      }
      if (!e->has_value()) break;
      const FrameEvent& ev = **e;
      std::string piece(reinterpret_cast<const char*>(ev.payload.data()), ev.payload.size());
      if (ev.kind == FrameEvent::Kind::kControl) {
        EXPECT_TRUE(ev.frame_start && ev.frame_end);
        out.frames.push_back({ev.opcode, ev.fin, piece});
        continue;
      }
      if (ev.frame_start) out.frames.push_back({ev.opcode, ev.fin, ""});
      out.frames.back().payload += piece;
      message += piece;
      if (ev.message_end()) {
        out.messages.push_back(message);
        message.clear();
      }
    }
    EXPECT_TRUE(in.empty() || !out.status.ok()) << "the decoder left input unconsumed";
  }
  return out;
}

// Decodes whole, in 3-byte pieces and byte by byte; all three must agree.
Decoded DecodeEveryWay(const std::string& bytes, FrameDecoder::Options options = {}) {
  Decoded whole = DecodeAll(bytes, bytes.size() + 1, options);
  for (size_t chunk : {1, 3}) {
    Decoded split = DecodeAll(bytes, chunk, options);
    EXPECT_EQ(split.frames, whole.frames) << "chunk " << chunk;
    EXPECT_EQ(split.messages, whole.messages) << "chunk " << chunk;
    EXPECT_EQ(split.status, whole.status) << "chunk " << chunk;
  }
  return whole;
}

absl::Status DecodeError(const std::string& bytes, FrameDecoder::Options options = {}) {
  return DecodeEveryWay(bytes, options).status;
}

// ---- RFC 6455 section 5.7 examples ----

TEST(WebSocketFrameTest, Rfc6455UnmaskedHello) {
  const std::string wire = Bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
  EXPECT_EQ(Encode(Opcode::kText, true, "Hello"), wire);
  Decoded d = DecodeEveryWay(wire);
  ASSERT_TRUE(d.status.ok()) << d.status;
  EXPECT_EQ(d.frames, (std::vector<Frame>{{Opcode::kText, true, "Hello"}}));
  EXPECT_EQ(d.messages, std::vector<std::string>{"Hello"});
}

TEST(WebSocketFrameTest, Rfc6455MaskedHello) {
  const std::string wire =
      Bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  EXPECT_EQ(Encode(Opcode::kText, true, "Hello", kRfcKey), wire);
  Decoded d = DecodeEveryWay(wire, {/*expect_masked=*/true});
  ASSERT_TRUE(d.status.ok()) << d.status;
  EXPECT_EQ(d.frames, (std::vector<Frame>{{Opcode::kText, true, "Hello"}}));
}

TEST(WebSocketFrameTest, Rfc6455FragmentedUnmaskedText) {
  const std::string wire = Bytes({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f});
  EXPECT_EQ(Encode(Opcode::kText, false, "Hel") + Encode(Opcode::kContinuation, true, "lo"), wire);
  Decoded d = DecodeEveryWay(wire);
  ASSERT_TRUE(d.status.ok()) << d.status;
  EXPECT_EQ(d.frames, (std::vector<Frame>{{Opcode::kText, false, "Hel"},
                                          {Opcode::kContinuation, true, "lo"}}));
  EXPECT_EQ(d.messages, std::vector<std::string>{"Hello"});
}

TEST(WebSocketFrameTest, Rfc6455PingAndMaskedPong) {
  const std::string ping = Bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
  const std::string pong =
      Bytes({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  EXPECT_EQ(Encode(Opcode::kPing, true, "Hello"), ping);
  EXPECT_EQ(Encode(Opcode::kPong, true, "Hello", kRfcKey), pong);
  EXPECT_EQ(DecodeEveryWay(ping).frames, (std::vector<Frame>{{Opcode::kPing, true, "Hello"}}));
  EXPECT_EQ(DecodeEveryWay(pong, {true}).frames,
            (std::vector<Frame>{{Opcode::kPong, true, "Hello"}}));
}

TEST(WebSocketFrameTest, Rfc6455BinaryWith16BitLength) {
  const std::string payload(256, 'x');
  const std::string wire = Encode(Opcode::kBinary, true, payload);
  EXPECT_EQ(wire.substr(0, 4), Bytes({0x82, 0x7E, 0x01, 0x00}));
  EXPECT_EQ(wire.size(), 4u + 256u);
  EXPECT_EQ(DecodeEveryWay(wire).messages, std::vector<std::string>{payload});
}

TEST(WebSocketFrameTest, Rfc6455BinaryWith64BitLength) {
  std::string payload(65536, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7);
  const std::string wire = Encode(Opcode::kBinary, true, payload);
  EXPECT_EQ(wire.substr(0, 10), Bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(wire.size(), 10u + 65536u);
  Decoded d = DecodeAll(wire, 1000);
  ASSERT_TRUE(d.status.ok()) << d.status;
  EXPECT_EQ(d.messages, std::vector<std::string>{payload});
}

// ---- Encoding ----

TEST(WebSocketFrameTest, LengthFormsAtTheirBoundaries) {
  for (size_t size : {0, 1, 125, 126, 127, 65535, 65536, 70000}) {
    SCOPED_TRACE(size);
    std::string payload(size, 'p');
    std::string wire = Encode(Opcode::kBinary, true, payload, kRfcKey);
    EXPECT_EQ(wire.size(), FrameHeaderSize(size, true) + size);
    const size_t expected_header = size < 126 ? 6 : size <= 65535 ? 8 : 14;
    EXPECT_EQ(FrameHeaderSize(size, true), expected_header);
    Decoded d = DecodeAll(wire, 4096, {true});
    ASSERT_TRUE(d.status.ok()) << d.status;
    EXPECT_EQ(d.messages, std::vector<std::string>{payload});
  }
}

TEST(WebSocketFrameTest, MaskingInPiecesEqualsMaskingWhole) {
  std::string whole(37, '\0');
  for (size_t i = 0; i < whole.size(); ++i) whole[i] = static_cast<char>(i);
  std::string pieces = whole;
  ApplyMask(kRfcKey, 0, absl::MakeSpan(reinterpret_cast<uint8_t*>(&whole[0]), whole.size()));
  for (size_t at : {0, 3, 5, 16, 29}) {
    size_t end = at == 29 ? pieces.size() : (at == 0 ? 3 : at == 3 ? 5 : at == 5 ? 16 : 29);
    ApplyMask(kRfcKey, at, absl::MakeSpan(reinterpret_cast<uint8_t*>(&pieces[at]), end - at));
  }
  EXPECT_EQ(pieces, whole);
  EXPECT_NE(whole[0], 0);  // the key's first byte is not zero: masking changed something
}

// ---- Decoding ----

TEST(WebSocketFrameTest, ControlFramesMayInterleaveAFragmentedMessage) {
  const std::string wire = Encode(Opcode::kBinary, false, "ab") + Encode(Opcode::kPing, true, "") +
                           Encode(Opcode::kContinuation, false, "") +
                           Encode(Opcode::kPong, true, "z") +
                           Encode(Opcode::kContinuation, true, "cd");
  Decoded d = DecodeEveryWay(wire);
  ASSERT_TRUE(d.status.ok()) << d.status;
  EXPECT_EQ(d.frames, (std::vector<Frame>{{Opcode::kBinary, false, "ab"},
                                          {Opcode::kPing, true, ""},
                                          {Opcode::kContinuation, false, ""},
                                          {Opcode::kPong, true, "z"},
                                          {Opcode::kContinuation, true, "cd"}}));
  EXPECT_EQ(d.messages, std::vector<std::string>{"abcd"});
}

TEST(WebSocketFrameTest, EmptyDataFramesProduceOneEmptyEvent) {
  Decoded d = DecodeEveryWay(Encode(Opcode::kBinary, true, "") + Encode(Opcode::kBinary, true, ""));
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.messages, (std::vector<std::string>{"", ""}));
}

TEST(WebSocketFrameTest, DataPayloadIsHandedOutAsItArrives) {
  const std::string wire = Encode(Opcode::kBinary, true, "0123456789");
  std::string bytes = wire.substr(0, 6);  // header and 4 bytes of payload
  FrameDecoder decoder({});
  absl::Span<uint8_t> in(reinterpret_cast<uint8_t*>(&bytes[0]), bytes.size());
  absl::StatusOr<std::optional<FrameEvent>> e = decoder.Next(&in);
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>((*e)->payload.data()), (*e)->payload.size()),
            "0123");
  EXPECT_TRUE((*e)->frame_start);
  EXPECT_FALSE((*e)->frame_end);
  EXPECT_FALSE(decoder.at_frame_boundary());
}

TEST(WebSocketFrameTest, MessageLimitCountsEveryFragment) {
  FrameDecoder::Options limited;
  limited.max_message_bytes = 10;
  EXPECT_TRUE(DecodeError(Encode(Opcode::kBinary, true, std::string(10, 'a')), limited).ok());
  absl::Status one_over = DecodeError(Encode(Opcode::kBinary, true, std::string(11, 'a')), limited);
  EXPECT_EQ(one_over.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(one_over.message()),
              HasSubstr("message of at least 11 bytes exceeds the limit of 10 bytes"));
  const std::string fragmented = Encode(Opcode::kBinary, false, std::string(6, 'a')) +
                                 Encode(Opcode::kContinuation, true, std::string(5, 'b'));
  EXPECT_THAT(std::string(DecodeError(fragmented, limited).message()),
              HasSubstr("message of at least 11 bytes"));
  // The count starts again with each message.
  EXPECT_TRUE(DecodeError(Encode(Opcode::kBinary, true, std::string(6, 'a')) +
                              Encode(Opcode::kBinary, true, std::string(6, 'a')),
                          limited)
                  .ok());
  FrameDecoder decoder(limited);
  std::string bytes = Encode(Opcode::kBinary, true, std::string(11, 'a'));
  absl::Span<uint8_t> in(reinterpret_cast<uint8_t*>(&bytes[0]), bytes.size());
  EXPECT_FALSE(decoder.Next(&in).ok());
  EXPECT_EQ(decoder.close_code(), kCloseTooBig);
}

// ---- Every rule, each a clear error ----

struct RuleCase {
  const char* name;
  std::string bytes;
  bool expect_masked;
  const char* message;
  uint16_t close_code;
};

std::vector<RuleCase> RuleCases() {
  const std::string ping_masked = Encode(Opcode::kPing, true, "x", kRfcKey);
  return {
      {"Rsv1", Bytes({0xC2, 0x00}), false, "reserved bits set (0x40)", kCloseProtocolError},
      {"Rsv3", Bytes({0x92, 0x00}), false, "reserved bits set (0x10)", kCloseProtocolError},
      {"ReservedDataOpcode", Bytes({0x83, 0x00}), false, "reserved opcode 0x3",
       kCloseProtocolError},
      {"ReservedControlOpcode", Bytes({0x8B, 0x00}), false, "reserved opcode 0xb",
       kCloseProtocolError},
      {"MaskedFromServer", Encode(Opcode::kBinary, true, "abc", kRfcKey), false,
       "masked binary frame from the server (servers must not mask", kCloseProtocolError},
      {"UnmaskedFromClient", Encode(Opcode::kBinary, true, "abc"), true,
       "unmasked binary frame from the client", kCloseProtocolError},
      {"FragmentedPing", Bytes({0x09, 0x00}), false,
       "fragmented ping frame (control frames must not be fragmented", kCloseProtocolError},
      {"FragmentedClose", Bytes({0x08, 0x00}), false, "fragmented close frame",
       kCloseProtocolError},
      {"LongPing", Encode(Opcode::kPing, true, std::string(126, 'x')), false,
       "ping frame with a payload of more than 125 bytes", kCloseProtocolError},
      {"LongPongIn64BitForm", Bytes({0x8A, 0x7F}), false,
       "pong frame with a payload of more than 125 bytes", kCloseProtocolError},
      {"ContinuationFirst", Encode(Opcode::kContinuation, true, "x"), false,
       "continuation frame without a fragmented message to continue", kCloseProtocolError},
      {"ContinuationAfterFinishedMessage",
       Encode(Opcode::kBinary, true, "x") + Encode(Opcode::kContinuation, true, "y"), false,
       "continuation frame without a fragmented message", kCloseProtocolError},
      {"NewMessageInsideFragmented",
       Encode(Opcode::kText, false, "x") + Encode(Opcode::kBinary, true, "y"), false,
       "binary frame while a fragmented text message is unfinished", kCloseProtocolError},
      {"NonMinimal16", Bytes({0x82, 0x7E, 0x00, 0x7D}), false, "length 125 sent in the 16-bit form",
       kCloseProtocolError},
      {"NonMinimal64", Bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}), false,
       "length 65535 sent in the 64-bit form", kCloseProtocolError},
      {"TopBitOf64BitLength", Bytes({0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0}), false,
       "64-bit length with the most significant bit set", kCloseProtocolError},
      {"CloseWithOneByte", Bytes({0x88, 0x01, 0x03}), false, "close frame with a 1-byte body",
       kCloseProtocolError},
      {"CloseWithReservedCode1005", Encode(Opcode::kClose, true, Bytes({0x03, 0xED})), false,
       "close frame with status code 1005, which no endpoint may send", kCloseProtocolError},
      {"CloseWithCode999", Encode(Opcode::kClose, true, Bytes({0x03, 0xE7})), false,
       "status code 999", kCloseProtocolError},
      {"CloseWithUnassignedCode2000", Encode(Opcode::kClose, true, Bytes({0x07, 0xD0})), false,
       "status code 2000", kCloseProtocolError},
      {"CloseWithCode5000", Encode(Opcode::kClose, true, Bytes({0x13, 0x88})), false,
       "status code 5000", kCloseProtocolError},
      {"CloseReasonNotUtf8", Encode(Opcode::kClose, true, Bytes({0x03, 0xE8, 0xC3, 0x28})), false,
       "close frame reason is not UTF-8", kCloseInvalidData},
      {"CloseReasonSurrogate", Encode(Opcode::kClose, true, Bytes({0x03, 0xE8, 0xED, 0xA0, 0x80})),
       false, "not UTF-8", kCloseInvalidData},
      {"CloseReasonOverlong", Encode(Opcode::kClose, true, Bytes({0x03, 0xE8, 0xC0, 0xAF})), false,
       "not UTF-8", kCloseInvalidData},
      {"CloseReasonTruncatedSequence",
       Encode(Opcode::kClose, true, Bytes({0x03, 0xE8, 'o', 'k', 0xE2, 0x82})), false, "not UTF-8",
       kCloseInvalidData},
      {"DataAfterClose", Encode(Opcode::kClose, true, "") + Encode(Opcode::kPing, true, ""), false,
       "data after the close frame", kCloseProtocolError},
  };
}

class WebSocketFrameRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(WebSocketFrameRuleTest, IsAClearDataLossErrorNamingTheRule) {
  const RuleCase& c = GetParam();
  absl::Status s = DecodeError(c.bytes, {c.expect_masked});
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr(c.message));
  EXPECT_THAT(std::string(s.message()), HasSubstr("bad WebSocket frame: "));

  FrameDecoder decoder({c.expect_masked});
  std::string bytes = c.bytes + Encode(Opcode::kBinary, true, "more", kRfcKey);
  absl::Span<uint8_t> in(reinterpret_cast<uint8_t*>(&bytes[0]), bytes.size());
  absl::Status first;
  for (int i = 0; i < 10 && first.ok(); ++i) {
    absl::StatusOr<std::optional<FrameEvent>> e = decoder.Next(&in);
    if (!e.ok()) first = e.status();
  }
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(decoder.close_code(), c.close_code);
  // Failed stays failed, even on good input.
  std::string good = Encode(Opcode::kPing, true, "");
  absl::Span<uint8_t> more(reinterpret_cast<uint8_t*>(&good[0]), good.size());
  EXPECT_EQ(decoder.Next(&more).status(), first);
}

INSTANTIATE_TEST_SUITE_P(Rules, WebSocketFrameRuleTest, ::testing::ValuesIn(RuleCases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(WebSocketFrameTest, HeaderErrorsAreFoundBeforeThePayloadArrives) {
  // Two bytes suffice to see a masked server frame, whatever follows.
  FrameDecoder decoder({});
  std::string bytes = Bytes({0x82, 0xFF});
  absl::Span<uint8_t> in(reinterpret_cast<uint8_t*>(&bytes[0]), bytes.size());
  EXPECT_EQ(decoder.Next(&in).status().code(), absl::StatusCode::kDataLoss);
}

TEST(WebSocketFrameTest, ControlFrameOf125BytesIsAccepted) {
  Decoded d = DecodeEveryWay(Encode(Opcode::kPing, true, std::string(125, 'x')));
  ASSERT_TRUE(d.status.ok()) << d.status;
  EXPECT_EQ(d.frames[0].payload.size(), 125u);
}

// ---- Close bodies ----

TEST(WebSocketFrameTest, CloseBodyRoundTripAndDescription) {
  std::string body = EncodeCloseBody(1000, "bye");
  EXPECT_EQ(body, Bytes({0x03, 0xE8, 'b', 'y', 'e'}));
  absl::StatusOr<CloseBody> parsed = ParseCloseBody(Span(body));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->code, 1000);
  EXPECT_EQ(parsed->reason, "bye");
  EXPECT_EQ(DescribeClose(*parsed), "code 1000 (normal closure) reason \"bye\"");
  EXPECT_EQ(DescribeClose(CloseBody{}), "no status code");
  EXPECT_EQ(DescribeClose(CloseBody{4001, ""}), "code 4001");
  absl::StatusOr<CloseBody> empty = ParseCloseBody({});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->code.has_value());
  EXPECT_TRUE(ParseCloseBody(Span(Bytes({0x0B, 0xB8}))).ok());  // 3000: application range
}

TEST(WebSocketFrameTest, LongCloseReasonIsCutOnACharacterBoundary) {
  std::string reason;
  for (int i = 0; i < 70; ++i) reason += "\xC3\xA9";  // 140 bytes of 'é'
  std::string body = EncodeCloseBody(1001, reason);
  EXPECT_LE(body.size(), kMaxControlPayload);
  EXPECT_EQ(body.size(), 2u + 122u);  // 61 whole characters; 123 would split one
  EXPECT_TRUE(ParseCloseBody(Span(body)).ok());
}

}  // namespace
}  // namespace websocket
}  // namespace ouzel
