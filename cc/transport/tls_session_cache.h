// Internal to cc/transport: what TlsSessionCache (tls_transport.h) holds. Sessions are BoringSSL
// SSL_SESSION references (immutable and reference-counted, so sharing them across threads is
// safe); the map is guarded by a std::mutex.
#ifndef OUZEL_CC_TRANSPORT_TLS_SESSION_CACHE_H_
#define OUZEL_CC_TRANSPORT_TLS_SESSION_CACHE_H_

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "cc/transport/tls_transport.h"

namespace ouzel {

struct TlsSessionCache::Impl {
  // Few servers per client; beyond this the oldest entry goes.
  static constexpr size_t kMaxEntries = 32;

  // The session to offer for `key`, or null. A TLS 1.3 session is taken out of the cache: its
  // ticket is meant to be used once (RFC 8446 C.4), and the server sends fresh ones on every
  // connection. TLS 1.2 sessions stay until replaced.
  bssl::UniquePtr<SSL_SESSION> Take(const std::string& key);
  // Keeps `session` (the cache takes over the reference) as the newest for `key`.
  void Store(const std::string& key, bssl::UniquePtr<SSL_SESSION> session);
  size_t size() const;

  std::atomic<uint64_t> offered{0};
  std::atomic<uint64_t> resumed{0};

 private:
  struct Entry {
    bssl::UniquePtr<SSL_SESSION> session;
    uint64_t stored_at = 0;  // insertion order, for eviction
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  uint64_t clock_ = 0;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_TLS_SESSION_CACHE_H_
