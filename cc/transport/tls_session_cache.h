// Internal to cc/transport: what TlsSessionCache (tls_transport.h) holds. Sessions are BoringSSL
// SSL_SESSION references and the context an SSL_CTX reference (both reference-counted and safe
// to share across threads once built); the maps are guarded by a std::mutex.
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

  // The cached context if it was built under `key` (options and file identities), else null;
  // `trust` and `psk` receive what was stored with it.
  bssl::UniquePtr<SSL_CTX> FindContext(const std::string& key, std::string* trust, bool* psk);
  // Replaces the cached context (one per client: options do not change between reconnects,
  // files may).
  void StoreContext(const std::string& key, SSL_CTX* ctx, const std::string& trust, bool psk);

  std::atomic<uint64_t> offered{0};
  std::atomic<uint64_t> resumed{0};
  std::atomic<uint64_t> contexts_built{0};
  std::atomic<uint64_t> contexts_reused{0};

 private:
  struct Entry {
    bssl::UniquePtr<SSL_SESSION> session;
    uint64_t stored_at = 0;  // insertion order, for eviction
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  uint64_t clock_ = 0;
  std::string context_key_;
  bssl::UniquePtr<SSL_CTX> context_;
  std::string context_trust_;
  bool context_psk_ = false;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_TLS_SESSION_CACHE_H_
