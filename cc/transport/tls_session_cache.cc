#include "cc/transport/tls_session_cache.h"

#include <algorithm>
#include <utility>

namespace ouzel {

TlsSessionCache::TlsSessionCache() : impl_(std::make_unique<Impl>()) {}
TlsSessionCache::~TlsSessionCache() = default;
uint64_t TlsSessionCache::offered() const { return impl_->offered.load(); }
uint64_t TlsSessionCache::resumed() const { return impl_->resumed.load(); }
uint64_t TlsSessionCache::contexts_built() const { return impl_->contexts_built.load(); }
uint64_t TlsSessionCache::contexts_reused() const { return impl_->contexts_reused.load(); }

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

bssl::UniquePtr<SSL_CTX> TlsSessionCache::Impl::FindContext(const std::string& key,
                                                            std::string* trust, bool* psk) {
  std::lock_guard<std::mutex> lock(mu_);
  if (context_ == nullptr || key != context_key_) return nullptr;
  *trust = context_trust_;
  *psk = context_psk_;
  SSL_CTX_up_ref(context_.get());
  return bssl::UniquePtr<SSL_CTX>(context_.get());
}

void TlsSessionCache::Impl::StoreContext(const std::string& key, SSL_CTX* ctx,
                                         const std::string& trust, bool psk) {
  SSL_CTX_up_ref(ctx);
  bssl::UniquePtr<SSL_CTX> fresh(ctx);
  std::lock_guard<std::mutex> lock(mu_);
  context_.swap(fresh);  // the old one is released after the lock (fresh is declared first)
  context_key_ = key;
  context_trust_ = trust;
  context_psk_ = psk;
}

size_t TlsSessionCache::Impl::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace ouzel
