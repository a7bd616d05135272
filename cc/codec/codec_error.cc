#include "cc/codec/codec_error.h"

#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace ouzel {
namespace {

constexpr char kReasonPayloadUrl[] = "ouzel.dev/mqtt-disconnect-reason";

absl::Status DecodeError(uint8_t reason, absl::string_view kind, absl::string_view rule,
                         size_t offset, absl::string_view detail) {
  std::string message = absl::StrCat(kind, ": ", detail, " [", rule, "]");
  if (offset != kNoOffset) absl::StrAppend(&message, " at offset ", offset);
  absl::Status s(absl::StatusCode::kDataLoss, std::move(message));
  s.SetPayload(kReasonPayloadUrl, absl::Cord(std::string(1, static_cast<char>(reason))));
  return s;
}

}  // namespace

absl::Status MalformedPacketError(absl::string_view rule, size_t offset, absl::string_view detail) {
  return DecodeError(kReasonMalformedPacket, "malformed packet", rule, offset, detail);
}

absl::Status ProtocolErrorAt(absl::string_view rule, size_t offset, absl::string_view detail) {
  return DecodeError(kReasonProtocolError, "protocol error", rule, offset, detail);
}

absl::Status DecodeErrorWithReason(uint8_t reason, absl::string_view rule, size_t offset,
                                   absl::string_view detail) {
  switch (reason) {
    case kReasonMalformedPacket:
      return MalformedPacketError(rule, offset, detail);
    case kReasonProtocolError:
      return ProtocolErrorAt(rule, offset, detail);
    default:
      return DecodeError(reason, "invalid packet", rule, offset, detail);
  }
}

absl::Status PacketTooLargeError(size_t size, size_t limit) {
  absl::Status s(absl::StatusCode::kDataLoss,
                 absl::StrCat("packet too large: ", size, " bytes exceeds the maximum packet size ",
                              limit, " [MQTT-3.1.2-24]"));
  s.SetPayload(kReasonPayloadUrl,
               absl::Cord(std::string(1, static_cast<char>(kReasonPacketTooLarge))));
  return s;
}

std::optional<uint8_t> DisconnectReasonOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kReasonPayloadUrl);
  if (!payload.has_value() || payload->size() != 1) return std::nullopt;
  return static_cast<uint8_t>(std::string(*payload)[0]);
}

absl::Status EncodeError(absl::string_view detail) {
  return absl::InvalidArgumentError(absl::StrCat("cannot encode: ", detail));
}

}  // namespace ouzel
