// The adapter from an application's ouzel_transport_vtable (ouzel/sys/transport.h) to the
// engine's Transport interface, installed through ClientOptions::transport_factory.
//
// One VtableHolder per ouzel_options_set_transport call, shared by every copy of the options,
// every client made from them and every transport those clients open; its destructor calls the
// vtable's destroy, so that runs once, after the last close. One CustomTransport per connection
// attempt; it owns the ouzel_transport_conn handed to the application and calls `close` exactly
// once (on Close or destruction) for an `open` that succeeded.
#ifndef OUZEL_CAPI_SRC_CUSTOM_TRANSPORT_H_
#define OUZEL_CAPI_SRC_CUSTOM_TRANSPORT_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cc/transport/address.h"
#include "cc/transport/transport.h"
#include "cc/transport/waker.h"
#include "ouzel/sys/transport.h"

// The engine's side of one connection, as the application sees it.
struct ouzel_transport_conn {
  std::shared_ptr<ouzel::Waker> waker;
  // Set by ouzel_transport_notify(READABLE) on any thread; cleared before each read.
  std::atomic<bool> readable{false};
  // ouzel_transport_set_error, on the thread running a slot; cleared before each slot call.
  std::string error;
  bool error_set = false;
};

namespace ouzel::capi {

class VtableHolder {
 public:
  VtableHolder(const ouzel_transport_vtable& vtable, void* user) : vtable_(vtable), user_(user) {}
  ~VtableHolder();
  VtableHolder(const VtableHolder&) = delete;
  VtableHolder& operator=(const VtableHolder&) = delete;

  // Until armed, destruction does not call destroy: a failed ouzel_options_set_transport keeps
  // nothing, the caller's `user` included.
  void Arm() { armed_ = true; }

  const ouzel_transport_vtable& vtable() const { return vtable_; }
  void* user() const { return user_; }

 private:
  const ouzel_transport_vtable vtable_;
  void* const user_;
  bool armed_ = false;
};

class CustomTransport : public Transport {
 public:
  CustomTransport(std::shared_ptr<const VtableHolder> holder, ServerAddress address,
                  std::shared_ptr<Waker> waker);
  ~CustomTransport() override;

  absl::Status StartConnect(absl::Time now, absl::Time deadline) override;
  absl::StatusOr<bool> ContinueConnect(absl::Time now) override;
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  bool HasBufferedInput() const override;
  void Close() override;
  int fd() const override { return fd_; }
  IoInterest interest() const override;
  std::optional<absl::Time> NextTimeout() const override;
  std::string Describe() const override;

 private:
  enum class State { kIdle, kConnecting, kOpen, kClosed };

  // The error a slot returned, with the application's message (or the code's description).
  absl::Status SlotError(const char* slot, int code);
  // Closes and returns `status` (every error ends the stream, as Transport requires).
  absl::Status Fail(absl::Status status);
  void RefreshFd();

  const std::shared_ptr<const VtableHolder> holder_;
  const ouzel_transport_vtable& vt_;
  const ServerAddress address_;
  const std::string uri_;
  ouzel_transport_conn conn_;
  State state_ = State::kIdle;
  void* stream_ = nullptr;
  int fd_ = -1;
  IoInterest want_ = IoInterest::kNone;
  absl::Time deadline_ = absl::InfiniteFuture();
};

// The transport factory for ClientOptions: a CustomTransport per attempt over `holder`.
TransportFactory MakeCustomTransportFactory(std::shared_ptr<const VtableHolder> holder);

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_CUSTOM_TRANSPORT_H_
