#include "cc/transport/tls_transport.h"

#include <utility>

namespace ouzel {

struct TlsSessionCache::Impl {};
TlsSessionCache::TlsSessionCache() : impl_(std::make_unique<Impl>()) {}
TlsSessionCache::~TlsSessionCache() = default;
uint64_t TlsSessionCache::offered() const { return 0; }
uint64_t TlsSessionCache::resumed() const { return 0; }

absl::StatusOr<std::unique_ptr<Transport>> CreateTlsTransport(std::unique_ptr<Transport> inner,
                                                              const ServerAddress& address,
                                                              const TransportOptions& options,
                                                              const TransportContext& context) {
  (void)inner;
  (void)address;
  (void)options;
  (void)context;
  return absl::UnimplementedError("mqtts:// (TLS) is not implemented yet (issue 4)");
}

}  // namespace ouzel
