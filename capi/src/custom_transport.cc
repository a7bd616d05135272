// ouzel_options_set_transport, ouzel_transport_notify, ouzel_transport_set_error and the
// adapter behind them (custom_transport.h).
#include "capi/src/custom_transport.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "capi/src/handles.h"
#include "capi/src/status_mapping.h"
#include "cc/transport/websocket_transport.h"
#include "ouzel/errors.h"

namespace ouzel::capi {

VtableHolder::~VtableHolder() {
  if (armed_ && vtable_.destroy != nullptr) vtable_.destroy(user_);
}

CustomTransport::CustomTransport(std::shared_ptr<const VtableHolder> holder, ServerAddress address,
                                 std::shared_ptr<Waker> waker)
    : holder_(std::move(holder)),
      vt_(holder_->vtable()),
      address_(std::move(address)),
      uri_(address_.ToString()) {
  conn_.waker = std::move(waker);
}

CustomTransport::~CustomTransport() { Close(); }

absl::Status CustomTransport::StartConnect(absl::Time now, absl::Time deadline) {
  if (state_ != State::kIdle) {
    return absl::FailedPreconditionError("custom transport: StartConnect called twice");
  }
  deadline_ = deadline;
  conn_.error_set = false;
  void* stream = nullptr;
  const int rc = vt_.open(holder_->user(), &conn_, uri_.c_str(), address_.host.c_str(),
                          static_cast<int32_t>(address_.port), &stream);
  // EWOULDBLOCK is "started": connect does the waiting.
  if (rc != OUZEL_OK && rc != OUZEL_EWOULDBLOCK) {
    state_ = State::kClosed;  // open cleans up after itself; close is not called
    return SlotError("open", rc);
  }
  stream_ = stream;
  state_ = State::kConnecting;
  RefreshFd();
  return absl::OkStatus();
}

absl::StatusOr<bool> CustomTransport::ContinueConnect(absl::Time now) {
  switch (state_) {
    case State::kOpen:
      return true;
    case State::kIdle:
    case State::kClosed:
      return absl::FailedPreconditionError("custom transport: not connecting");
    case State::kConnecting:
      break;
  }
  if (now >= deadline_) {
    return Fail(absl::DeadlineExceededError(
        absl::StrCat("custom transport (", uri_, "): connect timed out")));
  }
  int32_t want = 0;
  conn_.error_set = false;
  const int rc = vt_.connect(stream_, &want);
  RefreshFd();
  if (rc == OUZEL_OK) {
    state_ = State::kOpen;
    want_ = IoInterest::kNone;
    return true;
  }
  if (rc != OUZEL_EWOULDBLOCK) return Fail(SlotError("connect", rc));
  const int32_t known = OUZEL_TRANSPORT_WANT_READ | OUZEL_TRANSPORT_WANT_WRITE;
  if ((want & ~known) != 0 || (fd_ >= 0 && want == 0)) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "custom transport connect (", uri_, ") returned OUZEL_EWOULDBLOCK with *want = ", want,
        "; in fd mode it must be OUZEL_TRANSPORT_WANT_READ and/or OUZEL_TRANSPORT_WANT_WRITE")));
  }
  want_ = static_cast<IoInterest>(want);
  return false;
}

absl::StatusOr<size_t> CustomTransport::Read(absl::Span<uint8_t> buffer) {
  if (state_ != State::kOpen) return absl::FailedPreconditionError("custom transport: not open");
  if (buffer.empty()) return 0;
  // Cleared before the call, so a notification arriving during it is kept.
  conn_.readable.store(false, std::memory_order_release);
  size_t n = 0;
  conn_.error_set = false;
  const int rc = vt_.read(stream_, buffer.data(), buffer.size(), &n);
  if (rc == OUZEL_EWOULDBLOCK) return 0;
  if (rc != OUZEL_OK) return SlotError("read", rc);
  if (n > buffer.size()) {
    return absl::InvalidArgumentError(absl::StrCat("custom transport read (", uri_, ") reported ",
                                                   n, " bytes for a buffer of ", buffer.size()));
  }
  if (n == 0) {
    return absl::UnavailableError(
        absl::StrCat("custom transport read (", uri_, "): connection closed by peer"));
  }
  // Without an fd nothing else says whether more is waiting: read until it would block.
  if (fd_ < 0) conn_.readable.store(true, std::memory_order_release);
  return n;
}

absl::StatusOr<size_t> CustomTransport::Write(absl::Span<const uint8_t> data) {
  if (state_ != State::kOpen) return absl::FailedPreconditionError("custom transport: not open");
  if (data.empty()) return 0;
  size_t n = 0;
  conn_.error_set = false;
  const int rc = vt_.write(stream_, data.data(), data.size(), &n);
  if (rc == OUZEL_EWOULDBLOCK) return 0;
  if (rc != OUZEL_OK) return SlotError("write", rc);
  if (n > data.size()) {
    return absl::InvalidArgumentError(absl::StrCat("custom transport write (", uri_, ") reported ",
                                                   n, " bytes written of ", data.size()));
  }
  return n;
}

bool CustomTransport::HasBufferedInput() const {
  return state_ == State::kOpen && conn_.readable.load(std::memory_order_acquire);
}

void CustomTransport::Close() {
  const bool opened = state_ == State::kConnecting || state_ == State::kOpen;
  state_ = State::kClosed;
  fd_ = -1;
  want_ = IoInterest::kNone;
  if (opened) vt_.close(stream_);
}

IoInterest CustomTransport::interest() const {
  switch (state_) {
    case State::kConnecting:
      return want_;
    case State::kOpen:
      return IoInterest::kRead;
    default:
      return IoInterest::kNone;
  }
}

std::optional<absl::Time> CustomTransport::NextTimeout() const {
  if (state_ == State::kConnecting) return deadline_;
  return std::nullopt;
}

std::string CustomTransport::Describe() const {
  return absl::StrCat("custom transport to ", uri_,
                      fd_ >= 0 ? absl::StrCat(" (fd ", fd_, ")") : std::string(" (notify mode)"));
}

absl::Status CustomTransport::SlotError(const char* slot, int code) {
  std::string message = conn_.error_set ? std::move(conn_.error) : ouzel_strerror(code);
  conn_.error.clear();
  conn_.error_set = false;
  return StatusFromCode(code, absl::StrCat("custom transport ", slot, " (", uri_, "): ", message));
}

absl::Status CustomTransport::Fail(absl::Status status) {
  Close();
  return status;
}

void CustomTransport::RefreshFd() {
  if (vt_.fd == nullptr || state_ != State::kConnecting) return;
  const int32_t fd = vt_.fd(stream_);
  fd_ = fd >= 0 ? fd : -1;
}

TransportFactory MakeCustomTransportFactory(std::shared_ptr<const VtableHolder> holder) {
  return [holder = std::move(holder)](
             const ServerAddress& address, const TransportOptions& options,
             TransportContext context) -> absl::StatusOr<std::unique_ptr<Transport>> {
    std::unique_ptr<Transport> stream(
        new CustomTransport(holder, address, std::move(context.waker)));
    // The application's stream stands for TCP (and TLS, for wss://, e.g. Python's own
    // ssl.SSLContext); the engine still speaks WebSocket over it for ws:// and wss://.
    if (address.scheme == Scheme::kWs || address.scheme == Scheme::kWss) {
      return CreateWebSocketTransport(std::move(stream), address, options);
    }
    return stream;
  };
}

}  // namespace ouzel::capi

extern "C" {

OUZEL_EXTERN int ouzel_options_set_transport(ouzel_options* opts,
                                             const ouzel_transport_vtable* vtable, void* user) {
  using ouzel::capi::Fail;
  return ouzel::capi::Guarded([&] {
    if (opts == nullptr) return Fail(OUZEL_EINVAL, "opts must not be NULL");
    if (vtable == nullptr) {
      opts->options.transport_factory = nullptr;
      return OUZEL_OK;
    }
    if (vtable->version != OUZEL_TRANSPORT_VTABLE_VERSION) {
      return Fail(OUZEL_EVERSION, absl::StrCat("ouzel_transport_vtable version ", vtable->version,
                                               " is not known to this library (it knows ",
                                               OUZEL_TRANSPORT_VTABLE_VERSION, ")"));
    }
    const char* missing = vtable->open == nullptr      ? "open"
                          : vtable->connect == nullptr ? "connect"
                          : vtable->read == nullptr    ? "read"
                          : vtable->write == nullptr   ? "write"
                          : vtable->close == nullptr   ? "close"
                                                       : nullptr;
    if (missing != nullptr) {
      return Fail(OUZEL_EINVAL, absl::StrCat("ouzel_transport_vtable: the required slot '", missing,
                                             "' is NULL"));
    }
    auto holder = std::make_shared<ouzel::capi::VtableHolder>(*vtable, user);
    ouzel::TransportFactory factory = ouzel::capi::MakeCustomTransportFactory(holder);
    // From here nothing can fail, so `user` now belongs to the library.
    holder->Arm();
    opts->options.transport_factory = std::move(factory);
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_transport_notify(ouzel_transport_conn* conn, int32_t events) {
  using ouzel::capi::Fail;
  return ouzel::capi::Guarded([&] {
    if (conn == nullptr) return Fail(OUZEL_EINVAL, "conn must not be NULL");
    if ((events & ~(OUZEL_TRANSPORT_READABLE | OUZEL_TRANSPORT_WRITABLE)) != 0) {
      return Fail(OUZEL_EINVAL,
                  absl::StrCat("events ", events,
                               " is not a set of OUZEL_TRANSPORT_READABLE and _WRITABLE"));
    }
    if ((events & OUZEL_TRANSPORT_READABLE) != 0) {
      conn->readable.store(true, std::memory_order_release);
    }
    if (conn->waker != nullptr) conn->waker->Wake();
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_transport_set_error(ouzel_transport_conn* conn, const char* message,
                                           size_t len) {
  return ouzel::capi::Guarded([&] {
    if (conn == nullptr) return ouzel::capi::Fail(OUZEL_EINVAL, "conn must not be NULL");
    conn->error = std::string(ouzel::capi::StringArg(message, len));
    conn->error_set = true;
    return OUZEL_OK;
  });
}

}  // extern "C"
