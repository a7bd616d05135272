#include "cc/transport/transport.h"

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cc/transport/socket_transport.h"

namespace ouzel {

absl::StatusOr<std::unique_ptr<Transport>> CreateTransport(const ServerAddress& address,
                                                           const TransportOptions& options,
                                                           TransportContext context) {
  const char* what = "";
  switch (address.scheme) {
    case Scheme::kMqtt:
    case Scheme::kUnix:
      return std::unique_ptr<Transport>(new SocketTransport(address, options, std::move(context)));
    case Scheme::kMqtts:
      what = "TLS";
      break;
    case Scheme::kWs:
      what = "WebSockets";
      break;
    case Scheme::kWss:
      what = "WebSockets over TLS";
      break;
  }
  return absl::UnimplementedError(
      absl::StrCat(SchemeName(address.scheme), ":// (", what,
                   ") is not implemented yet (issue 4); use mqtt://, tcp:// or unix://, or "
                   "supply a TransportFactory"));
}

}  // namespace ouzel
