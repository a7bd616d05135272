// Internal to cc/transport: words for what BoringSSL reports as numbers. Each TLS failure gets a
// sentence that says what went wrong and, where one exists, what to change:
//   "certificate verification failed: certificate has expired (CN=localhost, valid until ...)"
//   "host name mismatch: the certificate is for DNS:wrong-host.invalid, not localhost"
//   "the broker requires a client certificate (alert: certificate required): set cert_file ..."
#ifndef OUZEL_CC_TRANSPORT_TLS_ERRORS_H_
#define OUZEL_CC_TRANSPORT_TLS_ERRORS_H_

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>

#include "cc/transport/tls_context.h"

namespace ouzel {
namespace tls_internal {

// The reason of the oldest error in this thread's BoringSSL queue, in words ("no start line",
// "bad decrypt"), and clears the queue. "unknown error" when it is empty.
std::string TakeSslErrorReason();

// "CN=localhost" (the subject, one line).
std::string SubjectOf(X509* cert);
std::string IssuerOf(X509* cert);
// "DNS:localhost, IP:127.0.0.1" (subjectAltName), or "CN=..." when there is none.
std::string NamesOf(X509* cert);

// Why chain/host verification failed. `err` is the X509_V_ERR_* code, `cert` the certificate it
// is about (may be null), `leaf` the server's own certificate.
std::string DescribeVerifyError(long err, X509* cert, X509* leaf, const TlsPeerName& peer,
                                const std::string& trust);

// What the connection knows when a handshake or record fails, to make the message precise.
struct FailureContext {
  bool psk = false;
  std::string psk_identity;
  bool has_client_cert = false;
  int min_version = 0;  // the range in effect
  int max_version = 0;
  bool versions_set = false;  // min_version/max_version given in TlsOptions
  bool cipher_list_set = false;
  bool alpn = false;
  std::string server_name;
};

// The message for a failed SSL_* call whose error was SSL_ERROR_SSL; `packed` is the first
// ERR_get_error() value. Alerts from the broker are named and explained.
std::string DescribeSslFailure(uint32_t packed, const FailureContext& context);

}  // namespace tls_internal
}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_TLS_ERRORS_H_
