#include "cc/transport/tls_session_cache.h"

#include <algorithm>
#include <utility>

namespace ouzel {

TlsSessionCache::TlsSessionCache() : impl_(std::make_unique<Impl>()) {}
TlsSessionCache::~TlsSessionCache() = default;
uint64_t TlsSessionCache::offered() const { return impl_->offered.load(); }
uint64_t TlsSessionCache::resumed() const { return impl_->resumed.load(); }

bssl::UniquePtr<SSL_SESSION> TlsSessionCache::Impl::Take(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (SSL_SESSION_get_protocol_version(it->second.session.get()) >= TLS1_3_VERSION) {
    bssl::UniquePtr<SSL_SESSION> s = std::move(it->second.session);
    entries_.erase(it);
    return s;
  }
  SSL_SESSION_up_ref(it->second.session.get());
  return bssl::UniquePtr<SSL_SESSION>(it->second.session.get());
}

void TlsSessionCache::Impl::Store(const std::string& key, bssl::UniquePtr<SSL_SESSION> session) {
  if (session == nullptr || !SSL_SESSION_is_resumable(session.get())) return;
  bssl::UniquePtr<SSL_SESSION> old;  // declared before the lock: released after it
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() && entries_.size() >= kMaxEntries) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
      return a.second.stored_at < b.second.stored_at;
    });
    old = std::move(oldest->second.session);
    entries_.erase(oldest);
  }
  Entry& e = entries_[key];
  if (e.session != nullptr) old = std::move(e.session);
  e.session = std::move(session);
  e.stored_at = ++clock_;
}

size_t TlsSessionCache::Impl::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace ouzel
