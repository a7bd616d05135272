#include "cc/transport/tls_transport.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/transport/layered_transport.h"
#include "cc/transport/tls_context.h"
#include "cc/transport/tls_errors.h"
#include "cc/transport/tls_session_cache.h"
#include "cc/transport/transport_error.h"

namespace ouzel {
namespace {

using tls_internal::FailureContext;
using tls_internal::TlsClientContext;
using tls_internal::TlsPeerName;

// Ciphertext is pulled from the inner transport in chunks of one maximal TLS record (16 KiB of
// plaintext plus header and AEAD/MAC overhead), so one read system call usually completes a
// record and several small records come in one call.
constexpr size_t kReadChunk = 16 * 1024 + 512;
// Write() takes no more application bytes once this much ciphertext waits for the inner
// transport: the caller keeps its own bytes until then, and memory stays bounded.
constexpr size_t kMaxPendingOutput = 64 * 1024;
// Reads after a TLS 1.3 handshake with TCP_QUICKACK (see HandshakeStep): enough for the
// tickets, the CONNACK and a few empty reads.
constexpr int kQuickAckReads = 8;
// Largest SSL_write; partial writes return after each record anyway.
constexpr size_t kMaxWriteChunk = 16 * 1024;

class TlsTransport final : public LayeredTransport {
 public:
  TlsTransport(std::unique_ptr<Transport> inner, const ServerAddress& address,
               const TransportOptions& options, const TransportContext& context,
               TlsClientContext tls)
      : LayeredTransport(std::move(inner), options.handshake_timeout),
        address_(address),
        options_(options.tls),
        peer_(tls_internal::PeerNameFor(address, options.tls)),
        trust_(std::move(tls.trust)),
        psk_(tls.psk),
        ctx_(std::move(tls.ctx)),
        sessions_(options.tls.session_resumption ? context.tls_sessions : nullptr),
        session_key_(sessions_ ? tls_internal::SessionKeyFor(address, options.tls) : "") {}

  ~TlsTransport() override { Close(); }

  absl::Status Init();
  // Installs the context-wide callbacks on a freshly built context.
  static void ConfigureContext(SSL_CTX* ctx);

  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override;
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override;
  bool HasBufferedInput() const override;
  void Close() override;
  std::string Describe() const override;

 protected:
  absl::StatusOr<bool> HandshakeStep(absl::Time now) override;

 private:
  // The BIO under the SSL object: reads come from in_ (refilled from the inner transport when
  // empty), writes go straight to LayeredTransport's output queue. No copies through a memory
  // BIO, no memmove per record.
  static int BioWrite(BIO* bio, const char* data, int len);
  static int BioRead(BIO* bio, char* out, int len);
  static long BioCtrl(BIO* bio, int cmd, long num, void* ptr);  // NOLINT(runtime/int)
  static const BIO_METHOD kBioMethod;

  static int VerifyThunk(X509_STORE_CTX* store, void* arg);
  static unsigned PskThunk(SSL* ssl, const char* hint, char* identity, unsigned max_identity,
                           uint8_t* psk, unsigned max_psk);
  static int NewSessionThunk(SSL* ssl, SSL_SESSION* session);

  int VerifyPeer(X509_STORE_CTX* store);
  int PullCiphertext(char* out, int len);

  // The status for a failed SSL_* call (`ret` its return value); Close()s nothing itself.
  absl::Status Failure(int ret, absl::string_view during);
  FailureContext MakeFailureContext() const;

  ServerAddress address_;
  TlsOptions options_;
  TlsPeerName peer_;
  std::string trust_;
  bool psk_ = false;
  bssl::UniquePtr<SSL_CTX> ctx_;
  bssl::UniquePtr<SSL> ssl_;
  std::shared_ptr<TlsSessionCache> sessions_;
  std::string session_key_;

  std::vector<uint8_t> in_;  // ciphertext read from the inner transport
  size_t in_begin_ = 0;
  size_t in_end_ = 0;
  absl::Status inner_error_;  // what the inner transport failed with inside a BIO read

  std::string verify_failure_;    // why our verification rejected the peer, for the message
  absl::Status callback_status_;  // the verify_callback's rejection, returned as is
  bool handshake_done_ = false;
  bool failed_ = false;
  absl::Status deferred_error_;  // an error met after returning data; reported by the next Read
  bool offered_session_ = false;
  // Reads left during which the socket is asked to acknowledge at once (see HandshakeStep).
  int quickack_reads_ = 0;
};

const BIO_METHOD TlsTransport::kBioMethod = {
    BIO_TYPE_SOURCE_SINK,  // type
    "ouzel transport",     // name
    &TlsTransport::BioWrite,
    &TlsTransport::BioRead,
    nullptr,  // puts
    nullptr,  // gets
    &TlsTransport::BioCtrl,
    nullptr,  // create
    nullptr,  // destroy
    nullptr,  // callback_ctrl
};

int TlsTransport::BioWrite(BIO* bio, const char* data, int len) {
  auto* self = static_cast<TlsTransport*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (len <= 0) return 0;
  self->QueueOutput(
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(len)));
  return len;
}

int TlsTransport::BioRead(BIO* bio, char* out, int len) {
  auto* self = static_cast<TlsTransport*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  int n = self->PullCiphertext(out, len);
  if (n == 0) {
    BIO_set_retry_read(bio);
    return -1;
  }
  return n;  // > 0, or -1 (inner_error_ set; no retry flag: SSL_ERROR_SYSCALL)
}

long TlsTransport::BioCtrl(BIO* bio, int cmd, long num, void* ptr) {  // NOLINT(runtime/int)
  auto* self = static_cast<TlsTransport*>(BIO_get_data(bio));
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;  // output is flushed by the transport after each SSL call
    case BIO_CTRL_PENDING:
      return static_cast<long>(self->in_end_ - self->in_begin_);  // NOLINT(runtime/int)
    case BIO_CTRL_WPENDING:
      return 0;
    default:
      return 0;
  }
}

int TlsTransport::PullCiphertext(char* out, int len) {
  if (in_begin_ == in_end_) {
    if (!inner_error_.ok()) return -1;
    in_begin_ = in_end_ = 0;
    if (in_.empty()) in_.resize(kReadChunk);
    if (quickack_reads_ > 0) {
      --quickack_reads_;
      // Fails harmlessly (ENOTSOCK, EOPNOTSUPP) when the inner transport is not a TCP socket.
      int one = 1;
      if (inner().fd() >= 0) setsockopt(inner().fd(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
    }
    absl::StatusOr<size_t> n = inner().Read(absl::MakeSpan(in_));
    if (!n.ok()) {
      inner_error_ = n.status();
      return -1;
    }
    if (*n == 0) return 0;
    in_end_ = *n;
  }
  size_t take = std::min(static_cast<size_t>(len), in_end_ - in_begin_);
  std::memcpy(out, in_.data() + in_begin_, take);
  in_begin_ += take;
  return static_cast<int>(take);
}

absl::Status TlsTransport::Init() {
  ssl_.reset(SSL_new(ctx_.get()));
  if (ssl_ == nullptr) return absl::ResourceExhaustedError("SSL_new failed");
  SSL* ssl = ssl_.get();
  SSL_set_app_data(ssl, this);
  SSL_set_connect_state(ssl);

  BIO* bio = BIO_new(&kBioMethod);
  if (bio == nullptr) return absl::ResourceExhaustedError("BIO_new failed");
  BIO_set_data(bio, this);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl, bio, bio);  // one reference, taken by the SSL for both directions

  // The name goes into the verify parameters so the check happens while the chain is verified
  // (an IP literal is matched against IP SANs only); VerifyPeer applies the rest.
  if (options_.verify_hostname && !peer_.name.empty()) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    int ok = peer_.is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, peer_.name.c_str())
                         : X509_VERIFY_PARAM_set1_host(param, peer_.name.data(), peer_.name.size());
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot check the server's name against '", peer_.name, "'"));
    }
  }
  // SNI carries host names only (RFC 6066 §3).
  if (!peer_.is_ip && !peer_.name.empty() && !SSL_set_tlsext_host_name(ssl, peer_.name.c_str())) {
    return absl::InvalidArgumentError(absl::StrCat("'", peer_.name, "' cannot be sent as SNI"));
  }
  if (!options_.alpn.empty()) {
    std::string wire;
    for (const std::string& p : options_.alpn) {
      wire.push_back(static_cast<char>(p.size()));
      wire += p;
    }
    // Unlike most of BoringSSL, SSL_set_alpn_protos returns 0 on success.
    if (SSL_set_alpn_protos(ssl, reinterpret_cast<const uint8_t*>(wire.data()), wire.size()) != 0) {
      return absl::ResourceExhaustedError("SSL_set_alpn_protos failed");
    }
  }
  if (psk_) SSL_set_psk_client_callback(ssl, &TlsTransport::PskThunk);
  if (sessions_ != nullptr) {
    bssl::UniquePtr<SSL_SESSION> session = sessions_->impl().Take(session_key_);
    if (session != nullptr && SSL_set_session(ssl, session.get())) {
      offered_session_ = true;
      sessions_->impl().offered.fetch_add(1, std::memory_order_relaxed);
    }
  }
  ERR_clear_error();
  return absl::OkStatus();
}

void TlsTransport::ConfigureContext(SSL_CTX* ctx) {
  // Connection-independent: the callbacks find their transport through the SSL's app data, so
  // one context can serve every reconnect of a client.
  SSL_CTX_set_cert_verify_callback(ctx, &TlsTransport::VerifyThunk, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
  SSL_CTX_sess_set_new_cb(ctx, &TlsTransport::NewSessionThunk);
}

int TlsTransport::VerifyThunk(X509_STORE_CTX* store, void* /*arg*/) {
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  return static_cast<TlsTransport*>(SSL_get_app_data(ssl))->VerifyPeer(store);
}

int TlsTransport::VerifyPeer(X509_STORE_CTX* store) {
  // BoringSSL's own verification with the parameters set in Init (chain, validity, name).
  const bool verified = X509_verify_cert(store) == 1;
  const long err = X509_STORE_CTX_get_error(store);  // NOLINT(runtime/int)
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  std::string why;
  if (!verified) {
    why = tls_internal::DescribeVerifyError(err, X509_STORE_CTX_get_current_cert(store), leaf,
                                            peer_, trust_);
  }
  ERR_clear_error();

  if (options_.verify_callback) {
    TlsVerifyInfo info;
    info.host = peer_.name;
    info.preverified = verified;
    info.error = why;
    // The chain as the server sent it, leaf first (BoringSSL passes it, leaf included, as the
    // untrusted certificates).
    STACK_OF(X509)* sent = X509_STORE_CTX_get0_untrusted(store);
    auto add = [&info](X509* cert) {
      uint8_t* der = nullptr;
      int len = i2d_X509(cert, &der);
      if (len > 0) info.chain_der.emplace_back(reinterpret_cast<char*>(der), len);
      OPENSSL_free(der);
    };
    if (sent == nullptr || sk_X509_num(sent) == 0) {
      if (leaf != nullptr) add(leaf);
    } else {
      for (size_t i = 0; i < sk_X509_num(sent); ++i) add(sk_X509_value(sent, i));
    }
    absl::Status decision = options_.verify_callback(info);
    if (decision.ok()) {
      X509_STORE_CTX_set_error(store, X509_V_OK);
      return 1;
    }
    callback_status_ = decision;
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  if (!options_.verify_peer) {
    // The explicit insecure opt-out: any certificate, any name.
    X509_STORE_CTX_set_error(store, X509_V_OK);
    return 1;
  }
  if (!verified) {
    verify_failure_ = why;
    return 0;
  }
  return 1;
}

unsigned TlsTransport::PskThunk(SSL* ssl, const char* hint, char* identity, unsigned max_identity,
                                uint8_t* psk, unsigned max_psk) {
  auto* self = static_cast<TlsTransport*>(SSL_get_app_data(ssl));
  const std::string& id = self->options_.psk_identity;
  const SecretString& key = self->options_.psk_key;
  // Lengths were checked when the context was made; BoringSSL's limits are the same.
  if (id.size() + 1 > max_identity || key.size() > max_psk) return 0;
  std::memcpy(identity, id.c_str(), id.size() + 1);
  std::memcpy(psk, key.data(), key.size());
  return static_cast<unsigned>(key.size());
}

int TlsTransport::NewSessionThunk(SSL* ssl, SSL_SESSION* session) {
  auto* self = static_cast<TlsTransport*>(SSL_get_app_data(ssl));
  if (self->sessions_ == nullptr) return 0;
  // Returning 1 hands our reference over to the cache.
  self->sessions_->impl().Store(self->session_key_, bssl::UniquePtr<SSL_SESSION>(session));
  return 1;
}

FailureContext TlsTransport::MakeFailureContext() const {
  FailureContext c;
  c.psk = psk_;
  c.psk_identity = options_.psk_identity;
  c.has_client_cert = !options_.cert_file.empty();
  c.min_version = SSL_CTX_get_min_proto_version(ctx_.get());
  c.max_version = SSL_CTX_get_max_proto_version(ctx_.get());
  c.versions_set = options_.min_version != 0 || options_.max_version != 0;
  c.cipher_list_set = !options_.cipher_list.empty();
  c.alpn = !options_.alpn.empty();
  c.server_name = peer_.name;
  return c;
}

absl::Status TlsTransport::Failure(int ret, absl::string_view during) {
  const int code = SSL_get_error(ssl_.get(), ret);
  const uint32_t packed = ERR_peek_error();
  ERR_clear_error();
  const std::string where = absl::StrCat("TLS ", during, " with ", address_.HostPort());
  if (code == SSL_ERROR_SYSCALL || (code == SSL_ERROR_SSL && packed == 0)) {
    // The inner transport failed or reached its end without a close_notify.
    absl::Status inner =
        inner_error_.ok() ? absl::UnavailableError("connection closed by peer") : inner_error_;
    if (!handshake_done_) {
      return TransportError(
          TransportLayer::kTls,
          absl::Status(inner.code(),
                       absl::StrCat(where,
                                    " failed: the broker closed the connection during "
                                    "the handshake (",
                                    inner.message(), "); is this port a TLS listener?")));
    }
    return inner;
  }
  if (code == SSL_ERROR_ZERO_RETURN) {
    return absl::UnavailableError("connection closed by peer (TLS close_notify)");
  }
  if (!callback_status_.ok()) {
    return TransportError(
        TransportLayer::kTls,
        absl::Status(callback_status_.code(), absl::StrCat(where,
                                                           " failed: verify_callback rejected "
                                                           "the certificate: ",
                                                           callback_status_.message())));
  }
  if (ERR_GET_LIB(packed) == ERR_LIB_SSL &&
      ERR_GET_REASON(packed) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    std::string why = verify_failure_.empty()
                          ? X509_verify_cert_error_string(SSL_get_verify_result(ssl_.get()))
                          : verify_failure_;
    return TransportError(TransportLayer::kTls,
                          absl::UnavailableError(absl::StrCat(
                              where, " failed: certificate verification failed: ", why)));
  }
  return TransportError(
      TransportLayer::kTls,
      absl::UnavailableError(absl::StrCat(
          where, " failed: ", tls_internal::DescribeSslFailure(packed, MakeFailureContext()))));
}

absl::StatusOr<bool> TlsTransport::HandshakeStep(absl::Time now) {
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_.get());
  if (r == 1) {
    handshake_done_ = true;
    // A TLS 1.3 server writes its session tickets after the handshake, in small records. A
    // broker with Nagle's algorithm on (Mosquitto's default) then holds the CONNACK until those
    // are acknowledged, and Linux delays that ACK by up to 40 ms because we have nothing to send:
    // every TLS 1.3 connect took ~45 ms instead of ~1 ms (tls_benchmark). Quick ACKs for the
    // first reads after the handshake avoid the stall; Linux leaves quick-ACK mode on its own,
    // so it is asked again before each of those reads, until application data has arrived.
    if (SSL_version(ssl_.get()) >= TLS1_3_VERSION) quickack_reads_ = kQuickAckReads;
    if (sessions_ != nullptr && SSL_session_reused(ssl_.get())) {
      sessions_->impl().resumed.fetch_add(1, std::memory_order_relaxed);
    }
    return true;
  }
  const int code = SSL_get_error(ssl_.get(), r);
  if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) return false;
  failed_ = true;
  return Failure(r, "handshake");
}

absl::StatusOr<size_t> TlsTransport::Read(absl::Span<uint8_t> buffer) {
  if (!open()) return absl::FailedPreconditionError(absl::StrCat(Describe(), ": not open"));
  if (!deferred_error_.ok()) return deferred_error_;
  size_t total = 0;
  while (total < buffer.size()) {
    const int want = static_cast<int>(std::min<size_t>(buffer.size() - total, INT_MAX));
    ERR_clear_error();
    const int n = SSL_read(ssl_.get(), buffer.data() + total, want);
    if (n > 0) {
      quickack_reads_ = 0;
      total += static_cast<size_t>(n);
      // Stop before a read that could only go to the inner transport: the caller polls first.
      if (SSL_pending(ssl_.get()) == 0 && in_begin_ == in_end_) break;
      continue;
    }
    const int code = SSL_get_error(ssl_.get(), n);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) break;
    absl::Status error = Failure(n, "connection");
    if (code != SSL_ERROR_ZERO_RETURN) failed_ = true;
    if (total > 0) {
      deferred_error_ = error;
      break;
    }
    // SSL_read may have queued an alert or close_notify reply; best effort.
    FlushOutput().IgnoreError();
    return error;
  }
  // Post-handshake messages (TLS 1.3 KeyUpdate) can make SSL_read produce output.
  OUZEL_RETURN_IF_ERROR(FlushOutput());
  return total;
}

absl::StatusOr<size_t> TlsTransport::Write(absl::Span<const uint8_t> data) {
  if (!open()) return absl::FailedPreconditionError(absl::StrCat(Describe(), ": not open"));
  if (failed_) return deferred_error_.ok() ? absl::UnavailableError("TLS failed") : deferred_error_;
  OUZEL_RETURN_IF_ERROR(FlushOutput());
  size_t total = 0;
  while (total < data.size() && pending_output_bytes() < kMaxPendingOutput) {
    const int want = static_cast<int>(std::min(data.size() - total, kMaxWriteChunk));
    ERR_clear_error();
    const int n = SSL_write(ssl_.get(), data.data() + total, want);
    if (n <= 0) {
      const int code = SSL_get_error(ssl_.get(), n);
      if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) break;
      failed_ = true;
      return Failure(n, "connection");
    }
    total += static_cast<size_t>(n);
    OUZEL_RETURN_IF_ERROR(FlushOutput());
  }
  return total;
}

bool TlsTransport::HasBufferedInput() const {
  if (!open()) return false;
  if (!deferred_error_.ok()) return true;  // Read reports it without I/O
  return SSL_pending(ssl_.get()) > 0 || in_begin_ < in_end_ || inner().HasBufferedInput();
}

void TlsTransport::Close() {
  if (open() && handshake_done_ && !failed_ && ssl_ != nullptr) {
    // close_notify, so the broker sees an orderly end rather than a truncation; best effort,
    // non-blocking (what the socket takes now).
    ERR_clear_error();
    SSL_shutdown(ssl_.get());
    ERR_clear_error();
    FlushOutput().IgnoreError();
  }
  LayeredTransport::Close();
}

std::string TlsTransport::Describe() const {
  std::string inner_text = inner().Describe();
  if (!handshake_done_ || ssl_ == nullptr) return absl::StrCat("tls over ", inner_text);
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get());
  const uint8_t* alpn = nullptr;
  unsigned alpn_len = 0;
  SSL_get0_alpn_selected(ssl_.get(), &alpn, &alpn_len);
  return absl::StrCat(
      "tls (", SSL_get_version(ssl_.get()), " ", cipher ? SSL_CIPHER_standard_name(cipher) : "?",
      SSL_session_reused(ssl_.get()) ? ", resumed" : "",
      alpn_len > 0 ? absl::StrCat(", alpn ",
                                  absl::string_view(reinterpret_cast<const char*>(alpn), alpn_len))
                   : "",
      ") over ", inner_text);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> CreateTlsTransport(std::unique_ptr<Transport> inner,
                                                              const ServerAddress& address,
                                                              const TransportOptions& options,
                                                              const TransportContext& context) {
  // A client's reconnects reuse the context while nothing it was built from changed.
  TlsSessionCache* cache = context.tls_sessions.get();
  TlsClientContext tls;
  std::string key;
  if (cache != nullptr) {
    key = tls_internal::ContextKeyFor(options.tls);
    tls.ctx = cache->impl().FindContext(key, &tls.trust, &tls.psk);
  }
  if (tls.ctx != nullptr) {
    cache->impl().contexts_reused.fetch_add(1, std::memory_order_relaxed);
  } else {
    OUZEL_ASSIGN_OR_RETURN(tls, tls_internal::NewTlsClientContext(options.tls));
    TlsTransport::ConfigureContext(tls.ctx.get());
    if (cache != nullptr) {
      cache->impl().StoreContext(key, tls.ctx.get(), tls.trust, tls.psk);
      cache->impl().contexts_built.fetch_add(1, std::memory_order_relaxed);
    }
  }
  auto t =
      std::make_unique<TlsTransport>(std::move(inner), address, options, context, std::move(tls));
  OUZEL_RETURN_IF_ERROR(t->Init());
  return std::unique_ptr<Transport>(std::move(t));
}

}  // namespace ouzel
