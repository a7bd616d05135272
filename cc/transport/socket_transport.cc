#include "cc/transport/socket_transport.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ouzel {
namespace {

constexpr absl::Duration kMinAddressSlice = absl::Seconds(2);

std::string ErrnoText(int err) { return std::strerror(err); }

bool IsRetryable(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == EINTR; }

absl::Status ConnectionError(absl::string_view what, int err) {
  return absl::UnavailableError(absl::StrCat(what, ": ", ErrnoText(err)));
}

}  // namespace

SocketTransport::SocketTransport(ServerAddress address, TransportOptions options,
                                 TransportContext context)
    : address_(std::move(address)), options_(std::move(options)), context_(std::move(context)) {
  current_ = address_.HostPort();
}

SocketTransport::~SocketTransport() { CloseSocket(); }

void SocketTransport::CloseSocket() {
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
}

void SocketTransport::Close() {
  CloseSocket();
  resolve_job_.reset();
  phase_ = Phase::kClosed;
}

absl::Status SocketTransport::Fail(absl::Status status) {
  Close();
  return status;
}

IoInterest SocketTransport::interest() const {
  switch (phase_) {
    case Phase::kConnecting:
      return IoInterest::kWrite;
    case Phase::kOpen:
      return IoInterest::kRead;
    default:
      return IoInterest::kNone;
  }
}

std::optional<absl::Time> SocketTransport::NextTimeout() const {
  switch (phase_) {
    case Phase::kResolving:
      return deadline_;
    case Phase::kConnecting:
      return std::min(deadline_, attempt_deadline_);
    default:
      return std::nullopt;
  }
}

std::string SocketTransport::Describe() const {
  return absl::StrCat(address_.scheme == Scheme::kUnix ? "unix " : "tcp ", current_);
}

absl::Status SocketTransport::StartConnect(absl::Time now, absl::Time deadline) {
  if (phase_ != Phase::kIdle) {
    return absl::FailedPreconditionError("StartConnect called twice on one transport");
  }
  deadline_ = deadline;
  if (address_.scheme == Scheme::kUnix) {
    ResolvedAddress a;
    auto* un = reinterpret_cast<sockaddr_un*>(&a.storage);
    un->sun_family = AF_UNIX;
    const std::string& path = address_.path;
    if (path.size() >= sizeof(un->sun_path)) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "unix socket path is longer than ", sizeof(un->sun_path) - 1, " bytes: ", path)));
    }
    std::memcpy(un->sun_path, path.data(), path.size());
    if (path[0] == '@') un->sun_path[0] = '\0';  // Linux abstract namespace
    a.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                      (path[0] == '@' ? 0 : 1));
    addresses_.push_back(a);
    phase_ = Phase::kConnecting;
    absl::StatusOr<bool> r = TryNextAddress(now);
    return r.ok() ? absl::OkStatus() : r.status();
  }
  if (address_.scheme != Scheme::kMqtt) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("SocketTransport cannot speak ", SchemeName(address_.scheme), "://")));
  }
  std::shared_ptr<Resolver> resolver = context_.resolver ? context_.resolver : SystemResolver();
  absl::StatusOr<std::shared_ptr<ResolveJob>> job =
      resolver->Start(address_.host, address_.port, context_.waker);
  if (!job.ok()) return Fail(job.status());
  resolve_job_ = std::move(*job);
  phase_ = Phase::kResolving;
  // Literal and localhost answers are ready now; go straight on to connect.
  absl::StatusOr<bool> r = ContinueConnect(now);
  return r.ok() ? absl::OkStatus() : r.status();
}

absl::Status SocketTransport::ConfigureSocket(int fd, int family) {
  if (family == AF_INET || family == AF_INET6) {
    if (options_.tcp_nodelay) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    if (!options_.bind_address.empty() || options_.bind_port != 0) {
      std::optional<ResolvedAddress> local = ResolvedAddress::FromLiteral(
          options_.bind_address.empty() ? (family == AF_INET6 ? "::" : "0.0.0.0")
                                        : options_.bind_address,
          options_.bind_port);
      if (!local) {
        return absl::InvalidArgumentError(
            absl::StrCat("bind address '", options_.bind_address, "' is not an IP address"));
      }
      if (local->family() != family) {
        return absl::UnavailableError(
            absl::StrCat("bind address ", options_.bind_address, " is of another family"));
      }
      int one = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      if (bind(fd, reinterpret_cast<const sockaddr*>(&local->storage), local->length) != 0) {
        return ConnectionError(absl::StrCat("bind ", local->ToString()), errno);
      }
    }
  }
  if (options_.send_buffer_bytes > 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &options_.send_buffer_bytes,
               sizeof(options_.send_buffer_bytes));
  }
  if (options_.receive_buffer_bytes > 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options_.receive_buffer_bytes,
               sizeof(options_.receive_buffer_bytes));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> SocketTransport::TryNextAddress(absl::Time now) {
  while (next_ < addresses_.size()) {
    if (now >= deadline_) break;
    const ResolvedAddress& a = addresses_[next_++];
    current_ = a.family() == AF_UNIX ? address_.path : a.ToString();
    int fd = socket(a.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      failures_.push_back(absl::StrCat(current_, ": ", ErrnoText(errno)));
      continue;
    }
    tcp_ = a.family() == AF_INET || a.family() == AF_INET6;
    absl::Status configured = ConfigureSocket(fd, a.family());
    if (!configured.ok()) {
      close(fd);
      failures_.push_back(absl::StrCat(current_, ": ", configured.message()));
      continue;
    }
    int rc;
    do {
      rc = connect(fd, reinterpret_cast<const sockaddr*>(&a.storage), a.length);
    } while (rc != 0 && errno == EINTR);
    if (rc == 0) {
      fd_ = fd;
      phase_ = Phase::kOpen;
      return true;
    }
    // EAGAIN: a Unix socket whose listener's backlog is full; wait for writability like TCP.
    if (errno == EINPROGRESS || errno == EAGAIN) {
      fd_ = fd;
      phase_ = Phase::kConnecting;
      absl::Duration left = deadline_ - now;
      size_t remaining = addresses_.size() - next_ + 1;
      absl::Duration slice = left / static_cast<int64_t>(remaining);
      slice = std::max(slice, std::min(left, kMinAddressSlice));
      attempt_deadline_ = now + slice;
      attempt_slice_ = slice;
      return false;
    }
    failures_.push_back(absl::StrCat(current_, ": ", ErrnoText(errno)));
    close(fd);
  }
  if (now >= deadline_ && next_ < addresses_.size()) {
    failures_.push_back(
        absl::StrCat(addresses_.size() - next_, " more address(es) not tried: out of time"));
  }
  return AllFailed();
}

absl::Status SocketTransport::AllFailed() {
  std::string detail = absl::StrJoin(failures_, "; ");
  // DeadlineExceeded only when time, not the peers, was the problem everywhere.
  bool all_timed_out = !failures_.empty();
  for (const std::string& f : failures_) {
    if (f.find("timed out") == std::string::npos && f.find("out of time") == std::string::npos) {
      all_timed_out = false;
    }
  }
  if (failures_.empty()) detail = "no address to try";
  std::string message = absl::StrCat("connect to ", address_.HostPort(), " failed: ", detail);
  return Fail(all_timed_out ? absl::DeadlineExceededError(message)
                            : absl::UnavailableError(message));
}

absl::StatusOr<bool> SocketTransport::ContinueConnect(absl::Time now) {
  switch (phase_) {
    case Phase::kOpen:
      return true;
    case Phase::kIdle:
      return absl::FailedPreconditionError("ContinueConnect before StartConnect");
    case Phase::kClosed:
      return absl::FailedPreconditionError("transport is closed");
    case Phase::kResolving: {
      std::optional<absl::StatusOr<std::vector<ResolvedAddress>>> r = resolve_job_->TakeResult();
      if (!r) {
        if (now >= deadline_) {
          return Fail(absl::DeadlineExceededError(absl::StrCat(
              "connect to ", address_.HostPort(), " timed out resolving '", address_.host, "'")));
        }
        return false;
      }
      resolve_job_.reset();
      if (!r->ok()) return Fail(r->status());
      addresses_ = std::move(**r);
      phase_ = Phase::kConnecting;
      return TryNextAddress(now);
    }
    case Phase::kConnecting: {
      pollfd p{fd_, POLLOUT, 0};
      int n = poll(&p, 1, 0);
      if (n > 0) {
        int err = 0;
        socklen_t len = sizeof(err);
        if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
        if (err == 0) {
          phase_ = Phase::kOpen;
          attempt_deadline_ = absl::InfiniteFuture();
          return true;
        }
        failures_.push_back(absl::StrCat(current_, ": ", ErrnoText(err)));
      } else if (now >= attempt_deadline_ || now >= deadline_) {
        failures_.push_back(
            absl::StrCat(current_, ": timed out after ", absl::FormatDuration(attempt_slice_)));
      } else {
        return false;
      }
      // The failed socket stays open until the next address's socket exists, so the new one
      // gets another descriptor number. A driver on epoll tells sockets apart by number only:
      // closing first let the kernel hand back the same number, whose epoll registration went
      // with the closed socket, and the connection then waited for readiness it never saw.
      int failed = fd_;
      fd_ = -1;
      absl::StatusOr<bool> next = TryNextAddress(now);
      close(failed);
      return next;
    }
  }
  return absl::InternalError("unreachable");
}

absl::StatusOr<size_t> SocketTransport::Read(absl::Span<uint8_t> buffer) {
  if (phase_ != Phase::kOpen) return absl::FailedPreconditionError("transport is not open");
  while (true) {
    ssize_t n = recv(fd_, buffer.data(), buffer.size(), 0);
    if (n > 0) {
      unacknowledged_read_ = tcp_;
      return static_cast<size_t>(n);
    }
    if (n == 0) return absl::UnavailableError("connection closed by peer");
    if (errno == EINTR) continue;
    if (IsRetryable(errno)) return 0;
    return ConnectionError("read failed", errno);
  }
}

absl::StatusOr<size_t> SocketTransport::Write(absl::Span<const uint8_t> data) {
  if (phase_ != Phase::kOpen) return absl::FailedPreconditionError("transport is not open");
  if (data.empty()) return 0;
  while (true) {
    ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      // With Nagle off the segment leaves now and carries the ACK of everything read so far.
      if (n > 0 && options_.tcp_nodelay) unacknowledged_read_ = false;
      return static_cast<size_t>(n);
    }
    if (errno == EINTR) continue;
    if (IsRetryable(errno)) return 0;
    return ConnectionError("write failed", errno);
  }
}

void SocketTransport::AcknowledgeNow() {
  if (!unacknowledged_read_ || phase_ != Phase::kOpen) return;
  unacknowledged_read_ = false;
  // Setting TCP_QUICKACK sends an ACK the kernel has scheduled but is delaying, and leaves
  // delayed-ACK ("ping-pong") mode until the kernel's own heuristics enter it again.
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
  ++quick_acks_;
}

}  // namespace ouzel
