// LayeredTransport: a protocol spoken over another transport (a proxy handshake over a socket,
// TLS over that, WebSockets over TLS). The base owns the inner transport and what every layer
// needs the same way:
//   - connecting in two stages: the inner transport first (ContinueConnect is passed down until
//     it reports ready), then this layer's own handshake (HandshakeStep);
//   - an output buffer for bytes this layer produced (handshake messages, TLS records,
//     WebSocket frames) that the inner transport has not taken yet, flushed by FlushOutput();
//   - fd() is the inner one; interest() adds write while output is pending;
//   - a handshake deadline: min(connect deadline, start of the handshake + handshake_timeout).
// A layer implements HandshakeStep, Read, Write, HasBufferedInput and Describe.
#ifndef OUZEL_CC_TRANSPORT_LAYERED_TRANSPORT_H_
#define OUZEL_CC_TRANSPORT_LAYERED_TRANSPORT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cc/base/byte_buffer.h"
#include "cc/transport/transport.h"

namespace ouzel {

class LayeredTransport : public Transport {
 public:
  ~LayeredTransport() override = default;

  absl::Status StartConnect(absl::Time now, absl::Time deadline) override;
  absl::StatusOr<bool> ContinueConnect(absl::Time now) final;
  absl::Status Flush() override { return FlushOutput(); }
  void Close() override;
  int fd() const override { return inner_->fd(); }
  // The ACK is the socket's business: whatever a layer writes goes through its inner transport.
  void AcknowledgeNow() override { inner_->AcknowledgeNow(); }
  IoInterest interest() const override;
  std::optional<absl::Time> NextTimeout() const override;

 protected:
  LayeredTransport(std::unique_ptr<Transport> inner, absl::Duration handshake_timeout);

  // Called once the inner transport is ready, then on every readiness/timeout until it returns
  // true (handshake done). It reads from / writes to the inner transport itself (queue bytes
  // with QueueOutput; they are flushed before and after each step). Errors end the connection.
  virtual absl::StatusOr<bool> HandshakeStep(absl::Time now) = 0;
  // What this layer waits for during its handshake besides pending output (usually read).
  virtual IoInterest HandshakeInterest() const { return IoInterest::kRead; }
  // What the inner transport's connect failure means for this layer (a proxy layer says that
  // the proxy, not the broker, could not be reached). The default returns it unchanged.
  virtual absl::Status InnerConnectFailed(absl::Status status) { return status; }

  // Appends bytes for the inner transport; FlushOutput writes what it will take now.
  void QueueOutput(absl::Span<const uint8_t> bytes);
  absl::Status FlushOutput();
  bool HasPendingOutput() const { return !output_.empty(); }
  size_t pending_output_bytes() const { return output_.size(); }
  // The queue itself, for a layer that builds its output in place (WebSocket frames are encoded
  // straight into it rather than copied in from a scratch buffer).
  ByteBuffer* mutable_output() { return &output_; }
  // Zeroes the output bytes already sent (and the buffer's spare room): after a handshake that
  // carried credentials.
  void WipeSentOutput() { output_.WipeSpare(); }

  Transport& inner() { return *inner_; }
  const Transport& inner() const { return *inner_; }
  bool open() const { return stage_ == Stage::kOpen; }
  absl::Time handshake_deadline() const { return handshake_deadline_; }

 private:
  enum class Stage { kIdle, kInner, kHandshake, kOpen, kClosed };

  std::unique_ptr<Transport> inner_;
  absl::Duration handshake_timeout_;
  Stage stage_ = Stage::kIdle;
  absl::Time deadline_ = absl::InfiniteFuture();
  absl::Time handshake_deadline_ = absl::InfiniteFuture();
  ByteBuffer output_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_LAYERED_TRANSPORT_H_
