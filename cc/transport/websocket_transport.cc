#include "cc/transport/websocket_transport.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "cc/base/byte_buffer.h"
#include "cc/base/status_macros.h"
#include "cc/transport/layered_transport.h"
#include "cc/transport/transport_error.h"
#include "cc/transport/websocket_frame.h"
#include "cc/transport/websocket_handshake.h"

namespace ouzel {
namespace {

using websocket::FrameDecoder;
using websocket::FrameEvent;
using websocket::Opcode;

// Bytes read from the inner transport at a time.
constexpr size_t kReadChunk = 64 * 1024;
// Inner reads per Read call at most, so a peer that keeps the socket full of control frames
// cannot keep the loop thread here; the socket stays readable and the driver comes back.
constexpr int kMaxInnerReads = 8;
// Write() takes no more MQTT bytes while this many framed bytes wait for the inner transport
// (or max_frame_bytes, when larger): the driver keeps the rest and polls for write.
constexpr size_t kMinHighWater = 64 * 1024;

absl::Status Mark(absl::Status status) {
  return TransportError(TransportLayer::kWebSocket, std::move(status));
}

absl::Status WithContext(const absl::Status& status, absl::string_view context) {
  absl::Status out(status.code(), absl::StrCat(context, ": ", status.message()));
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

class WebSocketTransport final : public LayeredTransport {
 public:
  WebSocketTransport(std::unique_ptr<Transport> inner, ServerAddress address,
                     const TransportOptions& options)
      : LayeredTransport(std::move(inner), options.handshake_timeout),
        address_(std::move(address)),
        options_(options.websocket),
        decoder_(
            FrameDecoder::Options{/*expect_masked=*/false, options.websocket.max_message_bytes}),
        high_water_(std::max(kMinHighWater, options.websocket.max_frame_bytes)),
        scratch_(kReadChunk) {}

  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  bool HasBufferedInput() const override {
    return open() && (!payload_.empty() || !terminal_.ok() || inner().HasBufferedInput());
  }
  void Close() override;
  std::string Describe() const override {
    return absl::StrCat(address_.ToString(), " over ", inner().Describe());
  }

 protected:
  absl::StatusOr<bool> HandshakeStep(absl::Time now) override;

 private:
  // Decodes `bytes`, writing data payload into `out` first (when nothing is buffered ahead of
  // it) and the rest into payload_; answers pings and close frames; records a close or a
  // protocol error in terminal_. Returns the bytes written to `out`.
  size_t Decode(absl::Span<uint8_t> bytes, absl::Span<uint8_t> out);
  void QueueFrame(Opcode opcode, absl::Span<const uint8_t> payload);
  void QueueClose(uint16_t code, absl::string_view reason);
  // Ends the stream for a protocol violation: a close frame with `code` goes out (best effort)
  // and every later Read/Write returns `status`.
  void FailProtocol(absl::Status status, uint16_t code);
  absl::Status InContext(const absl::Status& status) const {
    return WithContext(status, address_.ToString());
  }

  ServerAddress address_;
  WebSocketOptions options_;
  std::string key_;
  bool request_queued_ = false;
  websocket::UpgradeResponseParser parser_;
  FrameDecoder decoder_;
  size_t high_water_;
  std::vector<uint8_t> scratch_;  // inner reads land here, and are decoded in place
  ByteBuffer payload_;            // decoded MQTT bytes not yet Read
  absl::Status terminal_;         // why the stream ended (close frame, protocol error)
  bool close_sent_ = false;
};

absl::StatusOr<bool> WebSocketTransport::HandshakeStep(absl::Time now) {
  if (!request_queued_) {
    key_ = websocket::NewWebSocketKey();
    std::string request = websocket::BuildUpgradeRequest(address_, options_, key_);
    QueueOutput(
        absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(request.data()), request.size()));
    request_queued_ = true;
    return false;  // the base flushes it; the reply comes with the next readiness
  }
  while (true) {
    absl::StatusOr<size_t> n = inner().Read(absl::MakeSpan(scratch_));
    if (!n.ok()) {
      if (FailedTransportLayer(n.status()).has_value()) return n.status();
      // The server hung up before the reply was whole: say how far it got. (A status other than
      // 101 has failed the upgrade already, below.)
      return InContext(
          Mark(absl::Status(n.status().code(),
                            absl::StrCat("connection lost during the WebSocket upgrade after ",
                                         parser_.DescribeProgress(), ": ", n.status().message()))));
    }
    if (*n == 0) return false;
    absl::Span<const uint8_t> in = absl::MakeConstSpan(scratch_.data(), *n);
    absl::StatusOr<bool> done = parser_.Feed(&in);
    if (!done.ok()) return InContext(Mark(done.status()));
    // A refusal is final as soon as its status line is in; its headers add nothing.
    if (parser_.has_status() && parser_.response().status != 101) {
      return InContext(Mark(websocket::UpgradeRefused(parser_.response())));
    }
    if (!*done) continue;
    absl::Status accepted = websocket::CheckUpgradeResponse(parser_.response(), key_, options_);
    if (!accepted.ok()) return InContext(Mark(accepted));
    // Frames that came with the reply: decoded now, so HasBufferedInput reports them.
    const size_t offset = static_cast<size_t>(in.data() - scratch_.data());
    Decode(absl::MakeSpan(scratch_.data() + offset, in.size()), absl::Span<uint8_t>());
    return true;
  }
}

void WebSocketTransport::QueueFrame(Opcode opcode, absl::Span<const uint8_t> payload) {
  if (close_sent_) return;  // nothing may follow a close frame (RFC 6455 5.5.1)
  websocket::MaskKey key;
  // Unpredictable keys are the point of masking (RFC 6455 10.3): BoringSSL's CSPRNG.
  RAND_bytes(key.data(), key.size());
  websocket::AppendFrame(opcode, /*fin=*/true, payload, key, mutable_output());
  if (opcode == Opcode::kClose) close_sent_ = true;
}

void WebSocketTransport::QueueClose(uint16_t code, absl::string_view reason) {
  std::string body = websocket::EncodeCloseBody(code, reason);
  QueueFrame(Opcode::kClose,
             absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
}

void WebSocketTransport::FailProtocol(absl::Status status, uint16_t code) {
  if (!terminal_.ok()) return;
  terminal_ = InContext(Mark(std::move(status)));
  QueueClose(code, "");
  (void)FlushOutput();  // best effort: the stream is over either way
}

size_t WebSocketTransport::Decode(absl::Span<uint8_t> bytes, absl::Span<uint8_t> out) {
  size_t written = 0;
  while (terminal_.ok()) {
    absl::StatusOr<std::optional<FrameEvent>> next = decoder_.Next(&bytes);
    if (!next.ok()) {
      FailProtocol(next.status(), decoder_.close_code());
      break;
    }
    if (!next->has_value()) break;
    const FrameEvent& e = **next;
    if (e.kind == FrameEvent::Kind::kData) {
      if (e.message_opcode != Opcode::kBinary) {
        FailProtocol(absl::DataLossError("bad WebSocket frame: a text frame; MQTT travels in "
                                         "binary frames only (MQTT-6.0.0-1)"),
                     websocket::kCloseUnsupportedData);
        break;
      }
      absl::Span<const uint8_t> piece = e.payload;
      if (payload_.empty() && written < out.size()) {
        const size_t direct = std::min(piece.size(), out.size() - written);
        std::memcpy(out.data() + written, piece.data(), direct);
        written += direct;
        piece.remove_prefix(direct);
      }
      payload_.Append(piece);
      continue;
    }
    switch (e.opcode) {
      case Opcode::kPing:
        // A peer that pings faster than the socket drains gets one pong for several pings,
        // which RFC 6455 5.5.3 allows; the output stays bounded.
        if (pending_output_bytes() < high_water_) QueueFrame(Opcode::kPong, e.payload);
        break;
      case Opcode::kClose: {
        absl::StatusOr<websocket::CloseBody> body = websocket::ParseCloseBody(e.payload);
        // The decoder has checked the body already.
        websocket::CloseBody close = body.ok() ? *body : websocket::CloseBody{};
        // Answer with the peer's own code (RFC 6455 5.5.1), then report the end of the stream.
        QueueClose(close.code.value_or(websocket::kCloseNormal), "");
        terminal_ = absl::UnavailableError(
            absl::StrCat("peer closed the WebSocket: ", websocket::DescribeClose(close)));
        break;
      }
      default:  // pong: nothing to do, we send no pings of our own
        break;
    }
  }
  absl::Status flushed = FlushOutput();
  if (!flushed.ok() && terminal_.ok()) terminal_ = flushed;
  return written;
}

absl::StatusOr<size_t> WebSocketTransport::Read(absl::Span<uint8_t> buffer) {
  if (!open()) return absl::FailedPreconditionError(absl::StrCat(Describe(), ": not open"));
  if (!payload_.empty()) {
    const size_t n = std::min(buffer.size(), payload_.size());
    std::memcpy(buffer.data(), payload_.data(), n);
    payload_.Consume(n);
    return n;
  }
  if (!terminal_.ok()) return terminal_;
  if (buffer.empty()) return 0;
  for (int i = 0; i < kMaxInnerReads; ++i) {
    OUZEL_ASSIGN_OR_RETURN(size_t n, inner().Read(absl::MakeSpan(scratch_)));
    if (n == 0) return 0;
    const size_t written = Decode(absl::MakeSpan(scratch_.data(), n), buffer);
    if (written > 0) return written;
    if (!terminal_.ok()) return terminal_;
  }
  return 0;
}

absl::StatusOr<size_t> WebSocketTransport::Write(absl::Span<const uint8_t> data) {
  if (!open()) return absl::FailedPreconditionError(absl::StrCat(Describe(), ": not open"));
  if (!terminal_.ok()) return terminal_;
  OUZEL_RETURN_IF_ERROR(FlushOutput());
  if (pending_output_bytes() >= high_water_) return 0;
  const size_t take = std::min(data.size(), high_water_);
  for (size_t offset = 0; offset < take; offset += options_.max_frame_bytes) {
    QueueFrame(Opcode::kBinary,
               data.subspan(offset, std::min(options_.max_frame_bytes, take - offset)));
  }
  OUZEL_RETURN_IF_ERROR(FlushOutput());
  return take;
}

void WebSocketTransport::Close() {
  if (open() && !close_sent_) {
    QueueClose(websocket::kCloseNormal, "");
    (void)FlushOutput();  // best effort: whatever the socket takes now
  }
  LayeredTransport::Close();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> CreateWebSocketTransport(
    std::unique_ptr<Transport> inner, const ServerAddress& address,
    const TransportOptions& options) {
  OUZEL_RETURN_IF_ERROR(websocket::ValidateWebSocketOptions(address, options.websocket));
  return std::unique_ptr<Transport>(new WebSocketTransport(std::move(inner), address, options));
}

}  // namespace ouzel
