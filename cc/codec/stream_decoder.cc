#include "cc/codec/stream_decoder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/decode.h"

namespace ouzel {

void StreamDecoder::Reset() {
  state_ = State::kFirstByte;
  length_.Reset();
  remaining_length_ = 0;
  body_.clear();
  body_.shrink_to_fit();
  error_ = absl::OkStatus();
}

absl::Status StreamDecoder::Fail(absl::Status s) {
  error_ = s;
  return s;
}

// Called once the Remaining Length is known: everything that can be refused without the body.
absl::Status StreamDecoder::HeaderComplete() {
  const size_t total = 1 + length_.bytes() + remaining_length_;
  if (total > options_.maximum_packet_size) {
    return Fail(PacketTooLargeError(total, options_.maximum_packet_size));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StreamDecoder::Frame>> StreamDecoder::NextFrame(
    absl::Span<const uint8_t>* input) {
  if (!error_.ok()) return error_;
  while (!input->empty()) {
    switch (state_) {
      case State::kFirstByte: {
        first_byte_ = input->front();
        input->remove_prefix(1);
        const uint8_t type = first_byte_ >> 4;
        if (type == 0) {
          return Fail(MalformedPacketError("MQTT-5.0 §2.1.2", 0, "packet type 0 is reserved"));
        }
        if (type == 15 && !IsV5(options_.version)) {
          return Fail(MalformedPacketError("MQTT-3.1.1 §2.2.1", 0,
                                           "packet type 15 is reserved before MQTT 5"));
        }
        length_.Reset();
        state_ = State::kLength;
        break;
      }
      case State::kLength: {
        VarIntDecoder::State s = length_.Feed(input->front());
        input->remove_prefix(1);
        if (s == VarIntDecoder::State::kNeedMore) break;
        if (s == VarIntDecoder::State::kTooLong) {
          return Fail(MalformedPacketError("MQTT-5.0 §2.1.4", 1,
                                           "Remaining Length is longer than 4 bytes"));
        }
        if (s == VarIntDecoder::State::kNotMinimal && IsV5(options_.version)) {
          return Fail(MalformedPacketError("MQTT-1.5.5-1", 1,
                                           "Remaining Length does not use the minimum bytes"));
        }
        remaining_length_ = length_.value();
        OUZEL_RETURN_IF_ERROR(HeaderComplete());
        state_ = State::kBody;
        body_.clear();
        // A body that is wholly inside the input (including an empty one) is handed out in place,
        // uncopied.
        if (input->size() >= remaining_length_) {
          Frame frame{first_byte_, 1 + length_.bytes(), input->subspan(0, remaining_length_)};
          input->remove_prefix(remaining_length_);
          state_ = State::kFirstByte;
          return frame;
        }
        break;
      }
      case State::kBody: {
        const size_t want = remaining_length_ - body_.size();
        const size_t take = std::min(want, input->size());
        body_.insert(body_.end(), input->begin(), input->begin() + take);
        input->remove_prefix(take);
        if (body_.size() == remaining_length_) {
          state_ = State::kFirstByte;
          return Frame{first_byte_, 1 + length_.bytes(), absl::MakeConstSpan(body_)};
        }
        break;
      }
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<Packet>> StreamDecoder::Next(absl::Span<const uint8_t>* input) {
  OUZEL_ASSIGN_OR_RETURN(std::optional<Frame> frame, NextFrame(input));
  if (!frame.has_value()) return std::nullopt;
  absl::StatusOr<Packet> packet =
      DecodePacket(frame->first_byte, frame->body, frame->header_size, options_.version);
  if (!packet.ok()) return Fail(packet.status());
  return std::optional<Packet>(*std::move(packet));
}

}  // namespace ouzel
