#include "capi/src/status_mapping.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "capi/src/store_status.h"
#include "cc/base/busy_status.h"
#include "cc/codec/codec_error.h"
#include "cc/transport/transport_error.h"
#include "ouzel/errors.h"

namespace ouzel::capi {
namespace {

thread_local std::string last_error;

int CodeFor(const absl::Status& status) {
  // A session store's failure: the store decided what the application sees (store_status.h).
  if (std::optional<int> code = StoreErrorCode(status); code.has_value()) return *code;
  // Statuses from decoding the server's bytes carry a disconnect reason: the server broke the
  // protocol, whatever generic code they use.
  if (DisconnectReasonOf(status).has_value()) return OUZEL_EPROTOCOL;
  // "Not here, not now" (inside a callback, another driver, already connecting) versus a state of
  // the connection: both FailedPrecondition in the engine.
  if (IsBusy(status)) return OUZEL_EBUSY;
  // A failed TLS handshake, WebSocket upgrade or proxy tunnel: the layer decides the code.
  if (std::optional<TransportLayer> layer = FailedTransportLayer(status); layer.has_value()) {
    switch (*layer) {
      case TransportLayer::kTls:
        return OUZEL_ETLS;
      case TransportLayer::kWebSocket:
        return OUZEL_EPROTOCOL;
      case TransportLayer::kProxy:
        return OUZEL_EREFUSED;
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return OUZEL_OK;
    case absl::StatusCode::kInvalidArgument:
      return OUZEL_EINVAL;
    case absl::StatusCode::kResourceExhausted:
      return OUZEL_EQUEUEFULL;
    case absl::StatusCode::kFailedPrecondition:
      return OUZEL_ENOTCONN;
    case absl::StatusCode::kDeadlineExceeded:
      return OUZEL_ETIMEDOUT;
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kAborted:
      return OUZEL_ECLOSED;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return OUZEL_EREFUSED;
    case absl::StatusCode::kDataLoss:
      return OUZEL_EPROTOCOL;
    case absl::StatusCode::kOutOfRange:
      return OUZEL_ETOOLARGE;
    case absl::StatusCode::kUnavailable:
      return OUZEL_EIO;
    case absl::StatusCode::kUnimplemented:
      return OUZEL_ENOTSUP;
    case absl::StatusCode::kNotFound:
      return OUZEL_ENOTFOUND;
    case absl::StatusCode::kAlreadyExists:
      return OUZEL_EBUSY;
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    default:
      return OUZEL_EINTERNAL;
  }
}

}  // namespace

int FromStatus(const absl::Status& status) {
  if (status.ok()) return OUZEL_OK;
  last_error.assign(status.message().data(), status.message().size());
  return CodeFor(status);
}

int CodeOf(const absl::Status& status) { return status.ok() ? OUZEL_OK : CodeFor(status); }

absl::Status StatusFromCode(int code, absl::string_view message) {
  std::string text(message);
  switch (code) {
    case OUZEL_EIO:
      return absl::UnavailableError(text);
    case OUZEL_ETLS:
      return TransportError(TransportLayer::kTls, absl::UnavailableError(text));
    case OUZEL_EREFUSED:
      return absl::PermissionDeniedError(text);
    case OUZEL_ETIMEDOUT:
      return absl::DeadlineExceededError(text);
    case OUZEL_EPROTOCOL:
      return absl::DataLossError(text);
    case OUZEL_ENOTFOUND:
      return absl::NotFoundError(text);
    case OUZEL_ENOTSUP:
      return absl::UnimplementedError(text);
    case OUZEL_EINVAL:
      return absl::InvalidArgumentError(text);
    default:
      return absl::UnavailableError(absl::StrCat(text, " (error code ", code, ")"));
  }
}

int Fail(int code, absl::string_view detail) {
  last_error.assign(detail.data(), detail.size());
  return code;
}

void ClearLastError() { last_error.clear(); }

const char* LastErrorMessage() { return last_error.c_str(); }

absl::string_view StringArg(const char* s, size_t len) {
  if (s == nullptr) return absl::string_view();
  if (len == SIZE_MAX) return absl::string_view(s);
  return absl::string_view(s, len);
}

}  // namespace ouzel::capi
