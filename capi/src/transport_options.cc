#include "capi/src/transport_options.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "capi/src/status_mapping.h"
#include "cc/transport/proxy_config.h"
#include "ouzel/errors.h"
#include "ouzel/options.h"

namespace ouzel::capi {
namespace {

// Every option of this file is in the table; its name prefixes each message.
int Invalid(int32_t option, absl::string_view why) {
  const OptionSpec* spec = FindOption(option);
  return Fail(OUZEL_EINVAL, absl::StrCat(spec != nullptr ? spec->name : "option", ": ", why));
}

// Names the file and why it cannot be used, so the mistake shows when the option is set rather
// than as a failed handshake later (mosquitto_tls_set and paho's tls_set check at once too).
int CheckReadable(int32_t option, const std::string& path, bool directory) {
  if (directory) {
    DIR* d = opendir(path.c_str());
    if (d == nullptr) {
      return Invalid(option,
                     absl::StrCat("cannot open directory '", path, "': ", std::strerror(errno)));
    }
    closedir(d);
    return OUZEL_OK;
  }
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Invalid(option, absl::StrCat("cannot read '", path, "': ", std::strerror(errno)));
  }
  struct stat st;
  const bool is_dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
  close(fd);
  if (is_dir) return Invalid(option, absl::StrCat("'", path, "' is a directory, not a file"));
  return OUZEL_OK;
}

bool HasNul(absl::string_view v) { return v.find('\0') != absl::string_view::npos; }

// Host names, server names, cipher strings: printable ASCII without blanks.
bool IsPrintableNoSpace(absl::string_view v) {
  for (char c : v) {
    if (c <= ' ' || c == '\x7f') return false;
  }
  return true;
}

// RFC 7230 token (header names, subprotocol names).
bool IsToken(absl::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) continue;
    if (std::strchr("!#$%&'*+-.^_`|~", c) == nullptr || c == '\0') return false;
  }
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int SetTlsVersion(int32_t option, int64_t value, uint16_t* field) {
  const bool known = value == OUZEL_TLS_V1_0 || value == OUZEL_TLS_V1_1 ||
                     value == OUZEL_TLS_V1_2 || value == OUZEL_TLS_V1_3;
  if (value != 0 && !known) {
    std::string why = absl::StrCat("0x", absl::Hex(value),
                                   " is not 0 (default) or OUZEL_TLS_V1_0..OUZEL_TLS_V1_3 "
                                   "(0x0301..0x0304)");
    if (value == 0x0300 || value == 0x0002) absl::StrAppend(&why, "; SSL is not supported");
    return Invalid(option, why);
  }
  *field = static_cast<uint16_t>(value);
  return OUZEL_OK;
}

int SetPath(int32_t option, absl::string_view v, bool directory, std::string* field) {
  if (v.empty()) {
    field->clear();
    return OUZEL_OK;
  }
  if (HasNul(v)) return Invalid(option, "the path contains a NUL byte");
  std::string path(v);
  if (int rc = CheckReadable(option, path, directory); rc != OUZEL_OK) return rc;
  *field = std::move(path);
  return OUZEL_OK;
}

// Each name of an OUZEL_OPT_TLS_ALPN list; the bounds are OUZEL_OPT_TLS_ADD_ALPN's (one name).
int CheckAlpnName(int32_t option, absl::string_view name) {
  const OptionSpec& one_name = *FindOption(OUZEL_OPT_TLS_ADD_ALPN);
  if (name.empty()) return Invalid(option, "empty protocol name");
  if (static_cast<int64_t>(name.size()) > one_name.max) {
    return Invalid(option, absl::StrCat("protocol name of ", name.size(), " bytes; ALPN allows 1..",
                                        one_name.max));
  }
  if (HasNul(name)) return Invalid(option, "protocol name contains a NUL byte");
  return OUZEL_OK;
}

int SetAlpnList(int32_t option, absl::string_view v, std::vector<std::string>* field) {
  std::vector<std::string> list;
  if (!v.empty()) {
    for (absl::string_view part : absl::StrSplit(v, ',')) {
      part = absl::StripAsciiWhitespace(part);
      if (part.empty()) {
        return Invalid(option, absl::StrCat("empty protocol name in the list '", v, "'"));
      }
      if (int rc = CheckAlpnName(option, part); rc != OUZEL_OK) return rc;
      list.emplace_back(part);
    }
  }
  *field = std::move(list);
  return OUZEL_OK;
}

int SetPskKeyHex(int32_t option, absl::string_view v, SecretString* field) {
  if (v.empty()) {
    field->clear();
    return OUZEL_OK;
  }
  if (v.size() % 2 != 0) {
    return Invalid(option, absl::StrCat("odd number of hex digits (", v.size(), ")"));
  }
  // The key's characters are never quoted in the message: it is the secret.
  std::string key;
  key.reserve(v.size() / 2);  // never reallocates below, so no copy is left in a freed block
  for (size_t i = 0; i < v.size(); i += 2) {
    int hi = HexDigit(v[i]);
    int lo = HexDigit(v[i + 1]);
    if (hi < 0 || lo < 0) {
      WipeString(&key);
      size_t at = hi < 0 ? i : i + 1;
      return Invalid(option, absl::StrCat("the character at offset ", at, " is not a hex digit"));
    }
    key.push_back(static_cast<char>(hi * 16 + lo));
  }
  *field = std::move(key);  // SecretString takes the buffer
  return OUZEL_OK;
}

int AddHeader(int32_t option, absl::string_view v,
              std::vector<std::pair<std::string, std::string>>* headers) {
  size_t colon = v.find(':');
  if (colon == absl::string_view::npos) {
    return Invalid(option, absl::StrCat("'", absl::CEscape(v), "' is not \"Name: value\""));
  }
  absl::string_view name = v.substr(0, colon);
  absl::string_view value = absl::StripAsciiWhitespace(v.substr(colon + 1));
  if (!IsToken(name)) {
    return Invalid(option,
                   absl::StrCat("header name '", absl::CEscape(name),
                                "' is not an HTTP token (letters, digits, !#$%&'*+-.^_`|~)"));
  }
  // RFC 9110 5.5: no control characters but HTAB (CR and LF would start a header of their own).
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) {
      return Invalid(option, absl::StrCat("the value of header '", name,
                                          "' contains a control character (CR, LF, NUL, ...)"));
    }
  }
  // The handshake's own headers (websocket_handshake.cc refuses them too, at connect time).
  // Host is allowed: it replaces the one computed from the URI.
  for (const char* own :
       {"Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept"}) {
    if (absl::EqualsIgnoreCase(name, own)) {
      return Invalid(option, absl::StrCat("'", name,
                                          "' is written by Ouzel's WebSocket handshake and cannot "
                                          "be added",
                                          absl::EqualsIgnoreCase(name, "Sec-WebSocket-Protocol")
                                              ? " (use OUZEL_OPT_WS_SUBPROTOCOL)"
                                              : ""));
    }
  }
  headers->emplace_back(std::string(name), std::string(value));
  return OUZEL_OK;
}

int SetProxyUri(int32_t option, absl::string_view v, ProxyOptions* proxy) {
  const bool from_environment = proxy->from_environment;
  if (v.empty()) {
    *proxy = ProxyOptions();
    proxy->from_environment = from_environment;
    return OUZEL_OK;
  }
  absl::StatusOr<ProxyOptions> parsed = ParseProxyUri(v);
  if (!parsed.ok()) {
    const int code = FromStatus(parsed.status());
    return Fail(code, absl::StrCat(FindOption(option)->name, ": ", parsed.status().message()));
  }
  *proxy = *std::move(parsed);
  proxy->from_environment = from_environment;
  return OUZEL_OK;
}

}  // namespace

bool IsTransportIntOption(int32_t option) { return option >= 30 && option <= 59; }
bool IsTransportStringOption(int32_t option) { return option >= 110 && option <= 139; }

int SetTransportInt(TransportOptions& t, const OptionSpec& spec, int64_t value) {
  TlsOptions& tls = t.tls;
  const int32_t option = spec.id;
  const bool flag = value != 0;
  switch (option) {
    case OUZEL_OPT_TLS_USE_SYSTEM_CAS:
      tls.use_system_cas = flag;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_VERIFY_PEER:
      tls.verify_peer = flag;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_VERIFY_HOSTNAME:
      tls.verify_hostname = flag;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_MIN_VERSION:
      return SetTlsVersion(option, value, &tls.min_version);
    case OUZEL_OPT_TLS_MAX_VERSION:
      return SetTlsVersion(option, value, &tls.max_version);
    case OUZEL_OPT_TLS_SESSION_RESUMPTION:
      tls.session_resumption = flag;
      return OUZEL_OK;
    case OUZEL_OPT_WS_MAX_FRAME_BYTES:
      t.websocket.max_frame_bytes = static_cast<size_t>(value);
      return OUZEL_OK;
    case OUZEL_OPT_WS_MAX_MESSAGE_BYTES:
      t.websocket.max_message_bytes = static_cast<size_t>(value);
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_TYPE:
      t.proxy.type = value == OUZEL_PROXY_HTTP     ? ProxyOptions::Type::kHttpConnect
                     : value == OUZEL_PROXY_SOCKS5 ? ProxyOptions::Type::kSocks5
                                                   : ProxyOptions::Type::kNone;
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_PORT:
      t.proxy.port = static_cast<uint16_t>(value);
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_REMOTE_DNS:
      t.proxy.remote_dns = flag;
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_FROM_ENVIRONMENT:
      t.proxy.from_environment = flag;
      return OUZEL_OK;
    case OUZEL_OPT_HANDSHAKE_TIMEOUT_MS:
      t.handshake_timeout = absl::Milliseconds(value);
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINTERNAL, absl::StrCat(spec.name, " is not a transport option"));
  }
}

int SetTransportString(TransportOptions& t, const OptionSpec& spec, const char* value,
                       absl::string_view v) {
  TlsOptions& tls = t.tls;
  const int32_t option = spec.id;
  switch (option) {
    case OUZEL_OPT_TLS_CA_FILE:
      return SetPath(option, v, /*directory=*/false, &tls.ca_file);
    case OUZEL_OPT_TLS_CA_PATH:
      return SetPath(option, v, /*directory=*/true, &tls.ca_path);
    case OUZEL_OPT_TLS_CERT_FILE:
      return SetPath(option, v, /*directory=*/false, &tls.cert_file);
    case OUZEL_OPT_TLS_KEY_FILE:
      return SetPath(option, v, /*directory=*/false, &tls.key_file);
    case OUZEL_OPT_TLS_KEY_PASSWORD:
      tls.key_password = v;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_SERVER_NAME:
      if (!IsPrintableNoSpace(v)) {
        return Invalid(
            option, absl::StrCat("'", absl::CEscape(v), "' contains blanks or control characters"));
      }
      tls.server_name = std::string(v);
      return OUZEL_OK;
    case OUZEL_OPT_TLS_ALPN:
      return SetAlpnList(option, v, &tls.alpn);
    case OUZEL_OPT_TLS_ADD_ALPN:
      if (int rc = CheckAlpnName(option, v); rc != OUZEL_OK) return rc;
      tls.alpn.emplace_back(v);
      return OUZEL_OK;
    case OUZEL_OPT_TLS_CIPHERS:
      if (HasNul(v)) return Invalid(option, "contains a NUL byte");
      tls.cipher_list = std::string(v);
      return OUZEL_OK;
    case OUZEL_OPT_TLS_PSK_IDENTITY:
      if (HasNul(v)) return Invalid(option, "contains a NUL byte");
      tls.psk_identity = std::string(v);
      return OUZEL_OK;
    case OUZEL_OPT_TLS_PSK_KEY:
      tls.psk_key = v;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_PSK_KEY_HEX:
      return SetPskKeyHex(option, v, &tls.psk_key);
    case OUZEL_OPT_WS_ADD_HEADER:
      if (value == nullptr) {
        t.websocket.headers.clear();
        return OUZEL_OK;
      }
      return AddHeader(option, v, &t.websocket.headers);
    case OUZEL_OPT_WS_SUBPROTOCOL:
      if (value == nullptr) {
        t.websocket.subprotocol = "mqtt";
        return OUZEL_OK;
      }
      if (!v.empty() && !IsToken(v)) {
        return Invalid(option, absl::StrCat("'", absl::CEscape(v), "' is not an HTTP token"));
      }
      t.websocket.subprotocol = std::string(v);
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_URI:
      return SetProxyUri(option, v, &t.proxy);
    case OUZEL_OPT_PROXY_HOST: {
      absl::string_view host = v;
      if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      if (!IsPrintableNoSpace(host)) {
        return Invalid(option, absl::StrCat("'", absl::CEscape(host),
                                            "' contains blanks or control characters"));
      }
      t.proxy.host = std::string(host);
      return OUZEL_OK;
    }
    case OUZEL_OPT_PROXY_USERNAME:
      if (HasNul(v)) return Invalid(option, "contains a NUL byte");
      t.proxy.username = std::string(v);
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_PASSWORD:
      t.proxy.password = v;
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINTERNAL, absl::StrCat(spec.name, " is not a transport option"));
  }
}

int GetTransportInt(const TransportOptions& t, int32_t option, int64_t* out) {
  const TlsOptions& tls = t.tls;
  switch (option) {
    case OUZEL_OPT_TLS_USE_SYSTEM_CAS:
      *out = tls.use_system_cas ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_VERIFY_PEER:
      *out = tls.verify_peer ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_VERIFY_HOSTNAME:
      *out = tls.verify_hostname ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_MIN_VERSION:
      *out = tls.min_version;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_MAX_VERSION:
      *out = tls.max_version;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_SESSION_RESUMPTION:
      *out = tls.session_resumption ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_WS_MAX_FRAME_BYTES:
      *out = static_cast<int64_t>(t.websocket.max_frame_bytes);
      return OUZEL_OK;
    case OUZEL_OPT_WS_MAX_MESSAGE_BYTES:
      *out = static_cast<int64_t>(t.websocket.max_message_bytes);
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_TYPE:
      *out = t.proxy.type == ProxyOptions::Type::kHttpConnect ? OUZEL_PROXY_HTTP
             : t.proxy.type == ProxyOptions::Type::kSocks5    ? OUZEL_PROXY_SOCKS5
                                                              : OUZEL_PROXY_NONE;
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_PORT:
      *out = t.proxy.port;
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_REMOTE_DNS:
      *out = t.proxy.remote_dns ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_FROM_ENVIRONMENT:
      *out = t.proxy.from_environment ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_HANDSHAKE_TIMEOUT_MS:
      *out = absl::ToInt64Milliseconds(t.handshake_timeout);
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINTERNAL, absl::StrCat("option ", option, " is not a transport option"));
  }
}

int GetTransportString(const TransportOptions& t, int32_t option, std::string* out) {
  const TlsOptions& tls = t.tls;
  switch (option) {
    case OUZEL_OPT_TLS_CA_FILE:
      *out = tls.ca_file;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_CA_PATH:
      *out = tls.ca_path;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_CERT_FILE:
      *out = tls.cert_file;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_KEY_FILE:
      *out = tls.key_file;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_KEY_PASSWORD:
      *out = tls.key_password.str();
      return OUZEL_OK;
    case OUZEL_OPT_TLS_SERVER_NAME:
      *out = tls.server_name;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_ALPN:
      *out = absl::StrJoin(tls.alpn, ",");
      return OUZEL_OK;
    case OUZEL_OPT_TLS_CIPHERS:
      *out = tls.cipher_list;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_PSK_IDENTITY:
      *out = tls.psk_identity;
      return OUZEL_OK;
    case OUZEL_OPT_TLS_PSK_KEY:
      *out = tls.psk_key.str();
      return OUZEL_OK;
    case OUZEL_OPT_TLS_PSK_KEY_HEX:
      *out = absl::BytesToHexString(tls.psk_key);
      return OUZEL_OK;
    case OUZEL_OPT_WS_ADD_HEADER: {
      std::vector<std::string> lines;
      for (const auto& [name, value] : t.websocket.headers) {
        lines.push_back(absl::StrCat(name, ": ", value));
      }
      *out = absl::StrJoin(lines, "\n");
      return OUZEL_OK;
    }
    case OUZEL_OPT_WS_SUBPROTOCOL:
      *out = t.websocket.subprotocol;
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_HOST:
      *out = t.proxy.host;
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_USERNAME:
      *out = t.proxy.username;
      return OUZEL_OK;
    case OUZEL_OPT_PROXY_PASSWORD:
      *out = t.proxy.password.str();
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINTERNAL, absl::StrCat("option ", option, " is not a transport option"));
  }
}

int CheckTransportOptions(TransportOptions& t) {
  const TlsOptions& tls = t.tls;
  if (!tls.key_file.empty() && tls.cert_file.empty()) {
    return Fail(OUZEL_EINVAL,
                "OUZEL_OPT_TLS_KEY_FILE is set but OUZEL_OPT_TLS_CERT_FILE is not: a private key "
                "needs its certificate");
  }
  if (tls.psk_identity.empty() != tls.psk_key.empty()) {
    return Fail(OUZEL_EINVAL, tls.psk_key.empty()
                                  ? "OUZEL_OPT_TLS_PSK_IDENTITY is set without a key "
                                    "(OUZEL_OPT_TLS_PSK_KEY or _PSK_KEY_HEX)"
                                  : "a PSK key is set without OUZEL_OPT_TLS_PSK_IDENTITY");
  }
  if (!tls.psk_identity.empty()) {
    if (!tls.cert_file.empty()) {
      return Fail(OUZEL_EINVAL,
                  "TLS-PSK (OUZEL_OPT_TLS_PSK_IDENTITY) and a client certificate "
                  "(OUZEL_OPT_TLS_CERT_FILE) exclude each other");
    }
    if (tls.min_version == OUZEL_TLS_V1_3 || tls.max_version == OUZEL_TLS_V1_3) {
      return Fail(OUZEL_EINVAL,
                  "TLS-PSK works with TLS 1.2 only: leave OUZEL_OPT_TLS_MIN_VERSION and "
                  "_MAX_VERSION at 0 or OUZEL_TLS_V1_2");
    }
  }
  if (tls.min_version != 0 && tls.max_version != 0 && tls.min_version > tls.max_version) {
    return Fail(
        OUZEL_EINVAL,
        absl::StrCat("OUZEL_OPT_TLS_MIN_VERSION (0x", absl::Hex(tls.min_version),
                     ") is above OUZEL_OPT_TLS_MAX_VERSION (0x", absl::Hex(tls.max_version), ")"));
  }
  ProxyOptions& proxy = t.proxy;
  if (proxy.type != ProxyOptions::Type::kNone) {
    if (proxy.host.empty()) {
      return Fail(OUZEL_EINVAL,
                  "OUZEL_OPT_PROXY_TYPE is set but OUZEL_OPT_PROXY_HOST is not (or use "
                  "OUZEL_OPT_PROXY_URI)");
    }
    if (proxy.username.empty() && !proxy.password.empty()) {
      return Fail(OUZEL_EINVAL, "OUZEL_OPT_PROXY_PASSWORD is set without OUZEL_OPT_PROXY_USERNAME");
    }
    if (proxy.type == ProxyOptions::Type::kHttpConnect &&
        proxy.username.find(':') != std::string::npos) {
      return Fail(OUZEL_EINVAL,
                  "OUZEL_OPT_PROXY_USERNAME: an HTTP proxy user name cannot contain ':' (Basic "
                  "authentication)");
    }
    if (proxy.port == 0) {
      proxy.port = proxy.type == ProxyOptions::Type::kHttpConnect ? 8080 : 1080;
    }
  }
  return OUZEL_OK;
}

}  // namespace ouzel::capi
