#include "cc/transport/tls_errors.h"

#include <arpa/inet.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace ouzel {
namespace tls_internal {
namespace {

// BoringSSL's reason strings are constant names ("CERTIFICATE_VERIFY_FAILED"); as words they read
// better in a sentence.
std::string ReasonWords(uint32_t packed) {
  const char* r = ERR_reason_error_string(packed);
  if (r == nullptr) return absl::StrCat("error ", ERR_GET_LIB(packed), ":", ERR_GET_REASON(packed));
  return absl::AsciiStrToLower(absl::StrReplaceAll(r, {{"_", " "}}));
}

std::string TimeText(const ASN1_TIME* t) {
  if (t == nullptr) return "?";
  bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || !ASN1_TIME_print(bio.get(), t)) return "?";
  const uint8_t* data;
  size_t len;
  if (!BIO_mem_contents(bio.get(), &data, &len)) return "?";
  return std::string(reinterpret_cast<const char*>(data), len);
}

std::string IpText(const ASN1_OCTET_STRING* ip) {
  char buf[INET6_ADDRSTRLEN] = "?";
  const unsigned char* d = ASN1_STRING_get0_data(ip);
  int len = ASN1_STRING_length(ip);
  if (len == 4) inet_ntop(AF_INET, d, buf, sizeof(buf));
  if (len == 16) inet_ntop(AF_INET6, d, buf, sizeof(buf));
  return buf;
}

// "CN=localhost, O=x" (X509_NAME_oneline's "/CN=localhost/O=x" made readable).
std::string NameText(const X509_NAME* name) {
  char buf[512];
  if (X509_NAME_oneline(name, buf, sizeof(buf)) == nullptr) return "?";
  std::string s(buf);
  if (!s.empty() && s[0] == '/') s.erase(0, 1);
  return absl::StrReplaceAll(s, {{"/", ", "}});
}

std::string AlertName(int alert) {
  const char* s = SSL_alert_desc_string_long(alert);
  if (s == nullptr) return absl::StrCat("alert ", alert);
  return absl::AsciiStrToLower(absl::StrReplaceAll(s, {{"_", " "}}));
}

// Settings that narrow what this client offers, as suspects for an unexplained refusal (OpenSSL
// servers answer some mismatches with a generic alert, e.g. internal error for no common version).
std::string SettingsHint(const FailureContext& c) {
  std::string out;
  if (c.versions_set) {
    absl::StrAppend(&out, "; this client offers only ", TlsVersionName(c.min_version),
                    c.min_version == c.max_version ? "" : " to ",
                    c.min_version == c.max_version ? "" : TlsVersionName(c.max_version),
                    " (min_version/max_version)");
  }
  if (c.cipher_list_set) absl::StrAppend(&out, "; cipher_list limits the cipher suites offered");
  return out;
}

std::string DescribeAlert(int alert, const FailureContext& c) {
  const std::string named = absl::StrCat("(alert: ", AlertName(alert), ")");
  switch (alert) {
    case SSL_AD_CERTIFICATE_REQUIRED:
      return absl::StrCat("the broker requires a client certificate ", named,
                          c.has_client_cert ? "" : ": set cert_file and key_file");
    case SSL_AD_HANDSHAKE_FAILURE:
      if (c.psk) {
        return absl::StrCat("the broker refused the TLS-PSK handshake ", named,
                            ": it may not accept PSK identity '", c.psk_identity,
                            "' or any of the PSK cipher suites offered");
      }
      return absl::StrCat("the broker refused the handshake ", named,
                          c.has_client_cert
                              ? ": no cipher suite or version in common, or it rejected the "
                                "client certificate"
                              : ": it requires a client certificate (set cert_file and "
                                "key_file), or there is no cipher suite or version in common",
                          SettingsHint(c));
    case SSL_AD_BAD_CERTIFICATE:
    case SSL_AD_UNSUPPORTED_CERTIFICATE:
    case SSL_AD_CERTIFICATE_REVOKED:
    case SSL_AD_CERTIFICATE_EXPIRED:
    case SSL_AD_CERTIFICATE_UNKNOWN:
    case SSL_AD_UNKNOWN_CA:
    case SSL_AD_ACCESS_DENIED:
      if (!c.has_client_cert) return absl::StrCat("the broker refused the handshake ", named);
      return absl::StrCat("the broker rejected our client certificate ", named);
    case SSL_AD_UNKNOWN_PSK_IDENTITY:
      return absl::StrCat("the broker does not know PSK identity '", c.psk_identity, "' ", named);
    case SSL_AD_DECRYPT_ERROR:
    case SSL_AD_BAD_RECORD_MAC:
    case SSL_AD_ILLEGAL_PARAMETER:
      if (c.psk) {
        return absl::StrCat("the broker could not verify the handshake ", named,
                            ": psk_key is not the key it has for identity '", c.psk_identity, "'");
      }
      return absl::StrCat("the broker aborted the handshake ", named);
    case SSL_AD_PROTOCOL_VERSION:
      return absl::StrCat("no TLS version in common with the broker ", named, "; offered ",
                          TlsVersionName(c.min_version), " to ", TlsVersionName(c.max_version));
    case SSL_AD_INSUFFICIENT_SECURITY:
      return absl::StrCat("the broker wants stronger cipher suites than offered ", named);
    case SSL_AD_NO_APPLICATION_PROTOCOL:
      return absl::StrCat("the broker accepts none of the ALPN protocols offered ", named);
    case SSL_AD_UNRECOGNIZED_NAME:
      return absl::StrCat("the broker does not know server name '", c.server_name, "' (SNI) ",
                          named);
    default:
      return absl::StrCat("the broker sent a fatal alert ", named, SettingsHint(c));
  }
}

}  // namespace

std::string TakeSslErrorReason() {
  uint32_t packed = ERR_get_error();
  ERR_clear_error();
  if (packed == 0) return "unknown error";
  return ReasonWords(packed);
}

std::string SubjectOf(X509* cert) {
  if (cert == nullptr) return "?";
  return NameText(X509_get_subject_name(cert));
}

std::string IssuerOf(X509* cert) {
  if (cert == nullptr) return "?";
  return NameText(X509_get_issuer_name(cert));
}

std::string NamesOf(X509* cert) {
  if (cert == nullptr) return "?";
  std::vector<std::string> names;
  bssl::UniquePtr<GENERAL_NAMES> sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (sans != nullptr) {
    for (size_t i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
      const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans.get(), i);
      if (n->type == GEN_DNS) {
        const ASN1_IA5STRING* s = n->d.dNSName;
        names.push_back(absl::StrCat(
            "DNS:", absl::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                      ASN1_STRING_length(s))));
      } else if (n->type == GEN_IPADD) {
        names.push_back(absl::StrCat("IP:", IpText(n->d.iPAddress)));
      }
    }
  }
  if (names.empty()) return absl::StrCat(SubjectOf(cert), " (no subjectAltName)");
  return absl::StrJoin(names, ", ");
}

std::string DescribeVerifyError(long err, X509* cert, X509* leaf, const TlsPeerName& peer,
                                const std::string& trust) {
  const std::string base = X509_verify_cert_error_string(err);
  const std::string whose =
      cert == nullptr ? ""
                      : absl::StrCat(cert == leaf ? "the server's certificate " : "certificate ",
                                     SubjectOf(cert));
  switch (err) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return absl::StrCat("host name mismatch: the certificate is for ", NamesOf(leaf), ", not ",
                          peer.is_ip ? "IP address " : "", peer.name,
                          " (set server_name to the name it was issued for, or turn "
                          "verify_hostname off)");
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return absl::StrCat(base, ": ", whose, " was valid until ",
                          TimeText(X509_get0_notAfter(cert)));
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return absl::StrCat(base, ": ", whose, " is valid from ",
                          TimeText(X509_get0_notBefore(cert)));
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: {
      // Where the chain the server sent stops: a self-signed certificate in it, or the issuer
      // named by the last certificate we could place.
      const bool self_signed = err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
                               err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN;
      std::string anchor = "?";
      if (cert != nullptr) anchor = self_signed ? SubjectOf(cert) : IssuerOf(cert);
      return absl::StrCat("unknown CA (", base, "): the server's certificate chain leads to ",
                          anchor, ", which is not among the trusted CAs (", trust, ")");
    }
    default:
      return cert == nullptr ? base : absl::StrCat(base, " (", whose, ")");
  }
}

std::string DescribeSslFailure(uint32_t packed, const FailureContext& c) {
  if (packed == 0) return "TLS failure (no detail from BoringSSL)";
  const int reason = ERR_GET_REASON(packed);
  if (ERR_GET_LIB(packed) == ERR_LIB_SSL) {
    if (reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) {
      return DescribeAlert(reason - SSL_AD_REASON_OFFSET, c);
    }
    switch (reason) {
      case SSL_R_WRONG_VERSION_NUMBER:
      case SSL_R_UNKNOWN_PROTOCOL:
      case SSL_R_HTTP_REQUEST:
        return absl::StrCat("the server did not answer with TLS (", ReasonWords(packed),
                            "): is this port a TLS listener?");
      case SSL_R_UNSUPPORTED_PROTOCOL:
        return absl::StrCat("the broker chose a TLS version outside ",
                            TlsVersionName(c.min_version), " to ", TlsVersionName(c.max_version),
                            " (unsupported protocol)");
      case SSL_R_NO_CIPHERS_AVAILABLE:
      case SSL_R_NO_SHARED_CIPHER:
      case SSL_R_WRONG_CIPHER_RETURNED:
        return absl::StrCat("no cipher suite in common with the broker (", ReasonWords(packed),
                            ")");
      case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
        if (c.psk) {
          return absl::StrCat("the handshake did not verify (", ReasonWords(packed),
                              "): psk_key is not the key the broker has for identity '",
                              c.psk_identity, "'");
        }
        break;
      default:
        break;
    }
  }
  return ReasonWords(packed);
}

}  // namespace tls_internal
}  // namespace ouzel
