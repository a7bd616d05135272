#include "capi/src/store_records.h"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <variant>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "cc/base/byte_buffer.h"
#include "cc/codec/decode.h"
#include "cc/codec/encode.h"
#include "cc/codec/varint.h"

namespace ouzel::capi {
namespace {

constexpr absl::string_view kOutgoingPrefix = "out/";
constexpr absl::string_view kIncomingPrefix = "in/";

// Exactly `digits` hex digits (either case), nothing else.
bool ParseHex(absl::string_view s, size_t digits, uint64_t* out) {
  if (s.size() != digits) return false;
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

// Every field and property survives in the MQTT 5 form, whatever the session's protocol.
absl::Status AppendPublish(const PublishPacket& publish, std::string* out) {
  ByteBuffer buf;
  absl::Status s = EncodePacket(Packet(publish), ProtocolVersion::kV5, &buf);
  if (!s.ok()) return s;
  const absl::string_view bytes = buf.view();
  out->append(bytes.data(), bytes.size());
  return absl::OkStatus();
}

absl::StatusOr<PublishPacket> ParsePublish(absl::string_view bytes) {
  if (bytes.empty()) return absl::InvalidArgumentError("the message is missing");
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  VarIntDecoder length;
  size_t i = 1;
  VarIntDecoder::State state = VarIntDecoder::State::kNeedMore;
  while (state == VarIntDecoder::State::kNeedMore && i < bytes.size()) state = length.Feed(p[i++]);
  if (state != VarIntDecoder::State::kDone) {
    return absl::InvalidArgumentError("the message's length field is damaged");
  }
  if (bytes.size() - i != length.value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the message is ", bytes.size() - i, " bytes long but says ", length.value()));
  }
  if ((p[0] >> 4) != 3) return absl::InvalidArgumentError("the record does not hold a PUBLISH");
  absl::StatusOr<Packet> packet =
      DecodePacket(p[0], absl::MakeConstSpan(p + i, bytes.size() - i), i, ProtocolVersion::kV5);
  if (!packet.ok()) return absl::InvalidArgumentError(packet.status().message());
  PublishPacket* publish = std::get_if<PublishPacket>(&*packet);
  if (publish == nullptr) return absl::InvalidArgumentError("the record does not hold a PUBLISH");
  return std::move(*publish);
}

absl::Status Bad(absl::string_view key, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("store record \"", absl::CHexEscape(key), "\" does not decode: ", why));
}

}  // namespace

std::string OutgoingKey(uint64_t token) {
  return absl::StrFormat("%s%016x", kOutgoingPrefix, token);
}

std::string IncomingKey(uint16_t packet_id) {
  return absl::StrFormat("%s%04x", kIncomingPrefix, packet_id);
}

absl::StatusOr<std::string> EncodeOutgoing(const StoredOutgoing& message) {
  std::string out;
  out.reserve(2 + 16 + message.publish.topic.size() + message.publish.payload.size());
  out.push_back(static_cast<char>(kRecordFormat));
  out.push_back(static_cast<char>(message.stage));
  if (absl::Status s = AppendPublish(message.publish, &out); !s.ok()) return s;
  return out;
}

absl::StatusOr<std::string> EncodeIncoming(const PublishPacket* held) {
  std::string out;
  out.push_back(static_cast<char>(kRecordFormat));
  out.push_back(held != nullptr ? 1 : 0);
  if (held != nullptr) {
    if (absl::Status s = AppendPublish(*held, &out); !s.ok()) return s;
  }
  return out;
}

std::string EncodeSessionRecord(absl::string_view client_id, uint32_t session_expiry) {
  std::string out;
  out.push_back(static_cast<char>(kRecordFormat));
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((session_expiry >> shift) & 0xff));
  }
  out.append(client_id.data(), client_id.size());
  return out;
}

std::string EncodeNextToken(uint64_t next_token) {
  std::string out;
  out.push_back(static_cast<char>(kRecordFormat));
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((next_token >> shift) & 0xff));
  }
  return out;
}

absl::Status SessionRecords::Add(absl::string_view key, absl::string_view value) {
  if (value.empty() || static_cast<uint8_t>(value[0]) != kRecordFormat) {
    return Bad(key, value.empty() ? "the value is empty"
                                  : absl::StrCat("unknown record format ",
                                                 static_cast<int>(static_cast<uint8_t>(value[0]))));
  }
  const absl::string_view body = value.substr(1);
  uint64_t number = 0;
  if (key == kSessionRecordKey) {
    if (body.size() < 4) return Bad(key, "the value is too short");
    const auto* b = reinterpret_cast<const uint8_t*>(body.data());
    session_expiry_ =
        (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    client_id_.assign(body.data() + 4, body.size() - 4);
    has_session_ = true;
  } else if (key == kNextTokenRecordKey) {
    if (body.size() != 8) return Bad(key, "the value is not 8 bytes");
    uint64_t next = 0;
    for (char c : body) next = (next << 8) | static_cast<uint8_t>(c);
    next_token_ = std::max(next_token_, next);
  } else if (absl::StartsWith(key, kOutgoingPrefix) &&
             ParseHex(key.substr(kOutgoingPrefix.size()), 16, &number)) {
    if (number == 0) return Bad(key, "token 0 is never used");
    if (body.empty() || static_cast<uint8_t>(body[0]) > 2) return Bad(key, "unknown stage");
    StoredOutgoing m;
    m.token = number;
    m.stage = static_cast<StoredOutgoing::Stage>(body[0]);
    absl::StatusOr<PublishPacket> publish = ParsePublish(body.substr(1));
    if (!publish.ok()) return Bad(key, publish.status().message());
    m.publish = *std::move(publish);
    if (m.publish.qos == 0) return Bad(key, "a QoS 0 message");
    outgoing_[number] = std::move(m);
  } else if (absl::StartsWith(key, kIncomingPrefix) &&
             ParseHex(key.substr(kIncomingPrefix.size()), 4, &number)) {
    if (number == 0) return Bad(key, "packet id 0 is never used");
    if (body.empty() || static_cast<uint8_t>(body[0]) > 1) return Bad(key, "unknown kind");
    std::optional<PublishPacket> held;
    if (body[0] == 1) {
      absl::StatusOr<PublishPacket> publish = ParsePublish(body.substr(1));
      if (!publish.ok()) return Bad(key, publish.status().message());
      if (publish->packet_id != number) return Bad(key, "the message has another packet id");
      held = *std::move(publish);
    } else if (body.size() != 1) {
      return Bad(key, "unexpected bytes after the packet id record");
    }
    incoming_[static_cast<uint16_t>(number)] = std::move(held);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown store record key \"", absl::CHexEscape(key),
                     "\" (written by a newer library, or not by Ouzel)"));
  }
  ++count_;
  return absl::OkStatus();
}

StoredSession SessionRecords::Finish() && {
  StoredSession s;
  if (has_session_) {
    s.client_id = std::move(client_id_);
    s.session_expiry_interval = session_expiry_;
  }
  s.next_token = next_token_;
  s.outgoing.reserve(outgoing_.size());
  for (auto& [token, m] : outgoing_) {
    s.next_token = std::max(s.next_token, token + 1);
    s.outgoing.push_back(std::move(m));
  }
  for (auto& [id, held] : incoming_) {
    if (held.has_value()) {
      s.incoming_held.push_back(std::move(*held));
    } else {
      s.incoming_awaiting_pubrel.push_back(id);
    }
  }
  return s;
}

}  // namespace ouzel::capi
