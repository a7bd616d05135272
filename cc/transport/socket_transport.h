// SocketTransport: plain TCP (mqtt://, tcp://) and Unix domain sockets (unix://).
//
// Connecting is a small state machine, never blocking:
//   resolving  (TCP names only; fd() == -1, the context's Waker fires when the answer is in)
//   connecting (non-blocking connect(2) to one address; fd() is that socket, interest() is write)
//   open       (interest() is read)
// Every resolved address is tried in order. Each gets a slice of the time left before the
// deadline (the time left divided by the addresses left, but at least two seconds when that
// much remains), so one black-holed address cannot eat the whole budget; a refused address moves
// on at once. When all fail, the error lists each address with its reason:
//   Unavailable: connect to localhost:1884 failed: [::1]:1884: Connection refused;
//                127.0.0.1:1884: Connection refused
//
// Sockets are SOCK_NONBLOCK | SOCK_CLOEXEC; writes use MSG_NOSIGNAL (no SIGPIPE).
#ifndef OUZEL_CC_TRANSPORT_SOCKET_TRANSPORT_H_
#define OUZEL_CC_TRANSPORT_SOCKET_TRANSPORT_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cc/transport/address.h"
#include "cc/transport/resolver.h"
#include "cc/transport/transport.h"

namespace ouzel {

class SocketTransport final : public Transport {
 public:
  // `address.scheme` must be kMqtt or kUnix.
  SocketTransport(ServerAddress address, TransportOptions options, TransportContext context);
  ~SocketTransport() override;

  absl::Status StartConnect(absl::Time now, absl::Time deadline) override;
  absl::StatusOr<bool> ContinueConnect(absl::Time now) override;
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  void Close() override;
  // TCP_QUICKACK when bytes were read since the last write that carried an ACK (any write with
  // TCP_NODELAY; none with Nagle on, which may hold the write back).
  void AcknowledgeNow() override;
  int fd() const override { return fd_; }
  IoInterest interest() const override;
  std::optional<absl::Time> NextTimeout() const override;
  std::string Describe() const override;

  // How many times AcknowledgeNow asked the kernel for an immediate ACK (for tests).
  uint64_t quick_acks() const { return quick_acks_; }

 private:
  enum class Phase { kIdle, kResolving, kConnecting, kOpen, kClosed };

  // Starts connect(2) on addresses_[next_] and onwards until one is in progress or connected.
  // Returns true when connected.
  absl::StatusOr<bool> TryNextAddress(absl::Time now);
  absl::Status Fail(absl::Status status);
  absl::Status AllFailed();
  void CloseSocket();
  absl::Status ConfigureSocket(int fd, int family);

  ServerAddress address_;
  TransportOptions options_;
  TransportContext context_;
  Phase phase_ = Phase::kIdle;
  int fd_ = -1;
  absl::Time deadline_ = absl::InfiniteFuture();
  absl::Time attempt_deadline_ = absl::InfiniteFuture();
  absl::Duration attempt_slice_;
  std::shared_ptr<ResolveJob> resolve_job_;
  // For Unix sockets: one sockaddr_un in `storage`.
  std::vector<ResolvedAddress> addresses_;
  size_t next_ = 0;
  std::string current_;                // the address being tried or connected, for Describe()
  std::vector<std::string> failures_;  // "addr: reason" per address tried
  bool tcp_ = false;                   // the socket is TCP (ACKs and Nagle apply)
  bool unacknowledged_read_ = false;   // bytes read since the last write that carried an ACK
  uint64_t quick_acks_ = 0;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_SOCKET_TRANSPORT_H_
