#include "cc/transport/tls_context.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "cc/base/status_macros.h"
#include "cc/transport/tls_errors.h"

namespace ouzel {
namespace tls_internal {
namespace {

// Debian's system trust store (ca-certificates): the bundle, and the hashed directory beside it.
constexpr char kSystemCaFile[] = "/etc/ssl/certs/ca-certificates.crt";
constexpr char kSystemCaDir[] = "/etc/ssl/certs";

// TLS 1.2 PSK suites BoringSSL implements, strongest first; OpenSSL 3 (mosquitto's) has them all.
// BoringSSL has no external PSK for TLS 1.3, so PSK connections are TLS 1.2.
constexpr char kPskCiphers[] =
    "ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES256-CBC-SHA:ECDHE-PSK-AES128-CBC-SHA:"
    "PSK-AES256-CBC-SHA:PSK-AES128-CBC-SHA";

constexpr size_t kMaxPskIdentity = 128;  // PSK_MAX_IDENTITY_LEN

absl::Status Invalid(absl::string_view what) { return absl::InvalidArgumentError(what); }

// A file we are about to hand to BoringSSL must exist and be readable; its own errors for a
// missing file are vague ("system library"), ours name the option and errno.
absl::Status CheckReadableFile(absl::string_view option, const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Invalid(absl::StrCat("cannot read ", option, " '", path, "': ", std::strerror(errno)));
  }
  struct stat st;
  bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  close(fd);
  if (!regular) return Invalid(absl::StrCat(option, " '", path, "' is not a regular file"));
  return absl::OkStatus();
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool KnownVersion(uint16_t v) {
  return v == TLS1_VERSION || v == TLS1_1_VERSION || v == TLS1_2_VERSION || v == TLS1_3_VERSION;
}

absl::Status CheckOptions(const TlsOptions& o) {
  for (auto [name, v] : {std::pair<const char*, uint16_t>{"min_version", o.min_version},
                         std::pair<const char*, uint16_t>{"max_version", o.max_version}}) {
    if (v != 0 && !KnownVersion(v)) {
      return Invalid(absl::StrCat(name, " ", TlsVersionName(v),
                                  " is not a TLS version (0x0301..0x0304, or 0 for the default)"));
    }
  }
  if (o.min_version != 0 && o.max_version != 0 && o.min_version > o.max_version) {
    return Invalid(absl::StrCat("min_version ", TlsVersionName(o.min_version),
                                " is above max_version ", TlsVersionName(o.max_version)));
  }
  const bool psk = !o.psk_identity.empty() || !o.psk_key.empty();
  if (psk) {
    if (o.psk_identity.empty()) return Invalid("psk_key is set but psk_identity is empty");
    if (o.psk_key.empty()) return Invalid("psk_identity is set but psk_key is empty");
    if (o.psk_identity.size() > kMaxPskIdentity) {
      return Invalid(absl::StrCat("psk_identity is ", o.psk_identity.size(), " bytes; at most ",
                                  kMaxPskIdentity, " are allowed"));
    }
    if (o.psk_identity.find('\0') != std::string::npos) {
      return Invalid("psk_identity contains a NUL byte");
    }
    if (o.psk_key.size() > PSK_MAX_PSK_LEN) {
      return Invalid(absl::StrCat("psk_key is ", o.psk_key.size(), " bytes; at most ",
                                  PSK_MAX_PSK_LEN, " are allowed"));
    }
    if (!o.cert_file.empty() || !o.key_file.empty()) {
      return Invalid(
          "TLS-PSK (psk_identity) and a client certificate (cert_file/key_file) are "
          "mutually exclusive");
    }
    if (o.min_version == TLS1_3_VERSION || o.max_version == TLS1_3_VERSION) {
      return Invalid(
          "TLS-PSK needs TLS 1.2 (BoringSSL has no external PSK for TLS 1.3): leave "
          "min_version/max_version at 0 or at most 0x0303");
    }
  }
  if (!o.key_file.empty() && o.cert_file.empty()) {
    return Invalid("key_file is set but cert_file is empty");
  }
  for (const std::string& p : o.alpn) {
    if (p.empty() || p.size() > 255) {
      return Invalid(absl::StrCat("ALPN protocol '", p, "' must be 1 to 255 bytes"));
    }
  }
  for (const std::string* s : {&o.ca_file, &o.ca_path, &o.cert_file, &o.key_file}) {
    if (s->find('\0') != std::string::npos) return Invalid("a file name contains a NUL byte");
  }
  return absl::OkStatus();
}

// pem_password_cb state: which password to give, and whether the file asked for one at all
// (that is how an encrypted key without key_password is told from a file that is no key).
struct PasswordRequest {
  absl::string_view password;
  bool asked = false;
};

int ProvidePassword(char* buf, int size, int /*rwflag*/, void* userdata) {
  auto* request = static_cast<PasswordRequest*>(userdata);
  request->asked = true;
  const absl::string_view p = request->password;
  if (p.empty() || p.size() > static_cast<size_t>(size)) return -1;
  std::memcpy(buf, p.data(), p.size());
  return static_cast<int>(p.size());
}

absl::StatusOr<bssl::UniquePtr<EVP_PKEY>> LoadPrivateKey(const std::string& option,
                                                         const std::string& path,
                                                         absl::string_view password) {
  OUZEL_RETURN_IF_ERROR(CheckReadableFile(option, path));
  bssl::UniquePtr<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (bio == nullptr) {
    return Invalid(absl::StrCat("cannot read ", option, " '", path, "': ", TakeSslErrorReason()));
  }
  // BoringSSL zeroes the buffer it hands ProvidePassword once the key is decrypted.
  PasswordRequest request{password};
  ERR_clear_error();
  bssl::UniquePtr<EVP_PKEY> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, &ProvidePassword, &request));
  if (key != nullptr) {
    ERR_clear_error();
    return key;
  }
  std::string reason = TakeSslErrorReason();
  if (request.asked && password.empty()) {
    return Invalid(absl::StrCat(option, " '", path, "' is encrypted: set key_password"));
  }
  if (request.asked) {
    return Invalid(absl::StrCat("wrong key_password for ", option, " '", path,
                                "': it does not decrypt the key (", reason, ")"));
  }
  return Invalid(absl::StrCat(option, " '", path, "' holds no PEM private key (", reason, ")"));
}

absl::Status LoadTrust(SSL_CTX* ctx, const TlsOptions& o, std::string* trust) {
  std::vector<std::string> sources;
  if (!o.ca_file.empty()) {
    OUZEL_RETURN_IF_ERROR(CheckReadableFile("ca_file", o.ca_file));
    ERR_clear_error();
    if (!SSL_CTX_load_verify_locations(ctx, o.ca_file.c_str(), nullptr)) {
      return Invalid(absl::StrCat("ca_file '", o.ca_file, "' holds no PEM certificate (",
                                  TakeSslErrorReason(), ")"));
    }
    sources.push_back(absl::StrCat("ca_file '", o.ca_file, "'"));
  }
  if (!o.ca_path.empty()) {
    if (!IsDirectory(o.ca_path)) {
      return Invalid(absl::StrCat("ca_path '", o.ca_path,
                                  "' is not a readable directory: ", std::strerror(errno)));
    }
    ERR_clear_error();
    if (!SSL_CTX_load_verify_locations(ctx, nullptr, o.ca_path.c_str())) {
      return Invalid(absl::StrCat("cannot use ca_path '", o.ca_path, "': ", TakeSslErrorReason()));
    }
    sources.push_back(absl::StrCat("ca_path '", o.ca_path, "'"));
  }
  if (sources.empty() && o.use_system_cas) {
    // Missing system stores are not an error here: a PSK or verify_callback user may not need
    // them, and a verification failure will say that nothing was trusted.
    const bool file = IsFile(kSystemCaFile);
    const bool dir = IsDirectory(kSystemCaDir);
    ERR_clear_error();
    if ((file || dir) && !SSL_CTX_load_verify_locations(ctx, file ? kSystemCaFile : nullptr,
                                                        dir ? kSystemCaDir : nullptr)) {
      return Invalid(
          absl::StrCat("cannot load the system CAs (", kSystemCaFile, "): ", TakeSslErrorReason()));
    }
    std::vector<std::string> found;
    if (file) found.emplace_back(kSystemCaFile);
    if (dir) found.emplace_back(kSystemCaDir);
    sources.push_back(found.empty() ? "no CA (use_system_cas, but no system CA store found at " +
                                          std::string(kSystemCaFile) + ")"
                                    : "the system CAs (" + absl::StrJoin(found, ", ") + ")");
  }
  *trust = sources.empty() ? "no CA (ca_file, ca_path and use_system_cas all unset)"
                           : absl::StrJoin(sources, " and ");
  return absl::OkStatus();
}

absl::Status LoadClientIdentity(SSL_CTX* ctx, const TlsOptions& o) {
  if (o.cert_file.empty()) return absl::OkStatus();
  OUZEL_RETURN_IF_ERROR(CheckReadableFile("cert_file", o.cert_file));
  ERR_clear_error();
  if (!SSL_CTX_use_certificate_chain_file(ctx, o.cert_file.c_str())) {
    return Invalid(absl::StrCat("cert_file '", o.cert_file, "' holds no PEM certificate (",
                                TakeSslErrorReason(), ")"));
  }
  // Without key_file the key is expected in cert_file, after the certificates.
  const bool separate = !o.key_file.empty();
  const std::string& key_path = separate ? o.key_file : o.cert_file;
  OUZEL_ASSIGN_OR_RETURN(bssl::UniquePtr<EVP_PKEY> key,
                         LoadPrivateKey(separate ? "key_file" : "cert_file (no key_file given)",
                                        key_path, o.key_password));
  ERR_clear_error();
  if (!SSL_CTX_use_PrivateKey(ctx, key.get()) || !SSL_CTX_check_private_key(ctx)) {
    return Invalid(absl::StrCat("the private key in '", key_path,
                                "' does not belong to the certificate in cert_file '", o.cert_file,
                                "' (", TakeSslErrorReason(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string TlsVersionName(int version) {
  switch (version) {
    case TLS1_VERSION:
      return "TLS 1.0";
    case TLS1_1_VERSION:
      return "TLS 1.1";
    case TLS1_2_VERSION:
      return "TLS 1.2";
    case TLS1_3_VERSION:
      return "TLS 1.3";
    default: {
      char hex[8];
      snprintf(hex, sizeof(hex), "0x%04x", version & 0xffff);
      return hex;
    }
  }
}

absl::StatusOr<TlsClientContext> NewTlsClientContext(const TlsOptions& options) {
  OUZEL_RETURN_IF_ERROR(CheckOptions(options));
  TlsClientContext out;
  out.psk = !options.psk_identity.empty();
  out.ctx.reset(SSL_CTX_new(TLS_method()));
  if (out.ctx == nullptr) return absl::ResourceExhaustedError("SSL_CTX_new failed");
  SSL_CTX* ctx = out.ctx.get();

  const uint16_t min = options.min_version != 0 ? options.min_version : TLS1_2_VERSION;
  uint16_t max = options.max_version != 0 ? options.max_version : TLS1_3_VERSION;
  if (out.psk && options.max_version == 0) max = TLS1_2_VERSION;
  if (out.psk && min > TLS1_2_VERSION) {
    return Invalid("TLS-PSK needs TLS 1.2, but min_version is above it");
  }
  if (min > max) {
    return Invalid(absl::StrCat("min_version ", TlsVersionName(min), " is above max_version ",
                                TlsVersionName(max)));
  }
  if (!SSL_CTX_set_min_proto_version(ctx, min) || !SSL_CTX_set_max_proto_version(ctx, max)) {
    return Invalid(absl::StrCat("TLS versions ", TlsVersionName(min), " to ", TlsVersionName(max),
                                " are not supported"));
  }

  const std::string ciphers = !options.cipher_list.empty() ? options.cipher_list
                              : out.psk                    ? kPskCiphers
                                                           : "";
  if (!ciphers.empty()) {
    ERR_clear_error();
    if (!SSL_CTX_set_strict_cipher_list(ctx, ciphers.c_str())) {
      return Invalid(absl::StrCat("cipher_list '", ciphers,
                                  "' is not a cipher string BoringSSL accepts (",
                                  TakeSslErrorReason(), ")"));
    }
  }

  if (!out.psk) {
    OUZEL_RETURN_IF_ERROR(LoadTrust(ctx, options, &out.trust));
    OUZEL_RETURN_IF_ERROR(LoadClientIdentity(ctx, options));
  }
  // The transport's certificate verification callback decides (it implements verify_peer,
  // verify_hostname and verify_callback), so BoringSSL is always asked to verify.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  // Transport::Write may report a short write and see the rest again later, maybe from a moved
  // buffer; partial writes also keep each SSL_write to one record.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  ERR_clear_error();
  return out;
}

TlsPeerName PeerNameFor(const ServerAddress& address, const TlsOptions& options) {
  TlsPeerName out;
  out.name = options.server_name.empty() ? address.host : options.server_name;
  if (out.name.size() >= 2 && out.name.front() == '[' && out.name.back() == ']') {
    out.name = out.name.substr(1, out.name.size() - 2);
  }
  std::string literal = out.name.substr(0, out.name.find('%'));  // fe80::1%eth0
  unsigned char buf[sizeof(in6_addr)];
  if (inet_pton(AF_INET, literal.c_str(), buf) == 1 ||
      inet_pton(AF_INET6, literal.c_str(), buf) == 1) {
    out.name = literal;
    out.is_ip = true;
  }
  return out;
}

namespace {

std::string FileIdentity(const std::string& path) {
  if (path.empty()) return "-";
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return absl::StrCat(path, ":missing");
  return absl::StrCat(path, ":", st.st_dev, ":", st.st_ino, ":", st.st_size, ":", st.st_mtim.tv_sec,
                      ".", st.st_mtim.tv_nsec);
}

}  // namespace

namespace {

// Tells two secrets apart without keeping them: SHA-256 over a random salt drawn once per
// process, then the secret (a fast unsalted hash of a short password would be easy to invert).
std::string SecretDigest(absl::string_view secret) {
  static uint8_t salt[16];
  static const bool salted = RAND_bytes(salt, sizeof(salt)) == 1;
  (void)salted;  // without randomness the salt stays zero: still a one-way digest
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, salt, sizeof(salt));
  SHA256_Update(&ctx, secret.data(), secret.size());
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256_Final(digest, &ctx);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace

std::string ContextKeyFor(const TlsOptions& o) {
  const bool system = o.ca_file.empty() && o.ca_path.empty() && o.use_system_cas;
  // Secrets enter the key as a salted digest: it is compared, never shown, and a cache entry
  // outliving the options must not keep the secret either.
  const std::string secrets =
      absl::StrCat(SecretDigest(o.key_password), ",", SecretDigest(o.psk_key));
  return absl::StrJoin(
      {FileIdentity(o.ca_file), FileIdentity(o.ca_path), FileIdentity(o.cert_file),
       FileIdentity(o.key_file), system ? FileIdentity(kSystemCaFile) : std::string("-"),
       system ? FileIdentity(kSystemCaDir) : std::string("-"), o.psk_identity,
       absl::StrCat(o.min_version, "-", o.max_version), o.cipher_list,
       absl::StrCat(o.use_system_cas, o.verify_peer, o.verify_hostname, ":", secrets)},
      "\n");
}

std::string SessionKeyFor(const ServerAddress& address, const TlsOptions& o) {
  // '\n' never occurs in these fields in a way that could make two configurations collide
  // ambiguously enough to matter; a collision would at worst offer a session the server rejects.
  return absl::StrJoin(
      {address.HostPort(), PeerNameFor(address, o).name, o.ca_file, o.ca_path,
       std::string(o.use_system_cas ? "sys" : "nosys"), o.cert_file, o.key_file,
       std::string(o.verify_peer ? "vp" : "novp"), std::string(o.verify_hostname ? "vh" : "novh"),
       std::string(o.verify_callback ? "cb" : "nocb"), o.psk_identity,
       absl::StrCat(o.min_version, "-", o.max_version), o.cipher_list, absl::StrJoin(o.alpn, ",")},
      "\n");
}

}  // namespace tls_internal
}  // namespace ouzel
