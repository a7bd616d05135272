#include "cc/transport/address.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ouzel {

const char* SchemeName(Scheme scheme) {
  switch (scheme) {
    case Scheme::kMqtt:
      return "mqtt";
    case Scheme::kMqtts:
      return "mqtts";
    case Scheme::kWs:
      return "ws";
    case Scheme::kWss:
      return "wss";
    case Scheme::kUnix:
      return "unix";
  }
  return "?";
}

uint16_t DefaultPort(Scheme scheme) {
  switch (scheme) {
    case Scheme::kMqtt:
      return 1883;
    case Scheme::kMqtts:
      return 8883;
    case Scheme::kWs:
      return 80;
    case Scheme::kWss:
      return 443;
    case Scheme::kUnix:
      return 0;
  }
  return 0;
}

bool IsTlsScheme(Scheme scheme) { return scheme == Scheme::kMqtts || scheme == Scheme::kWss; }

namespace {

// The URI as it may be shown: a password in it ("mqtt://user:pw@host") becomes "***".
std::string Redacted(absl::string_view uri) {
  const size_t sep = uri.find("://");
  const size_t start = sep == absl::string_view::npos ? 0 : sep + 3;
  const size_t end = std::min(uri.find_first_of("/?#", start), uri.size());
  const size_t at = uri.substr(0, end).rfind('@');
  if (at == absl::string_view::npos || at < start) return std::string(uri);
  const size_t colon = uri.substr(0, at).find(':', start);
  if (colon == absl::string_view::npos) return std::string(uri);
  return absl::StrCat(uri.substr(0, colon + 1), "***", uri.substr(at));
}

absl::Status Invalid(absl::string_view uri, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(what, " in server address '", Redacted(uri), "'"));
}

std::optional<Scheme> SchemeFromName(absl::string_view name) {
  std::string lower = absl::AsciiStrToLower(name);
  if (lower == "mqtt" || lower == "tcp") return Scheme::kMqtt;
  if (lower == "mqtts" || lower == "ssl" || lower == "tls") return Scheme::kMqtts;
  if (lower == "ws") return Scheme::kWs;
  if (lower == "wss") return Scheme::kWss;
  if (lower == "unix") return Scheme::kUnix;
  return std::nullopt;
}

bool IsHostChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

}  // namespace

absl::StatusOr<ServerAddress> ServerAddress::Parse(absl::string_view uri) {
  ServerAddress out;
  absl::string_view rest = uri;
  if (rest.empty()) return absl::InvalidArgumentError("empty server address");

  size_t sep = rest.find("://");
  if (sep != absl::string_view::npos) {
    std::optional<Scheme> scheme = SchemeFromName(rest.substr(0, sep));
    if (!scheme) {
      return Invalid(uri, absl::StrCat("unknown scheme '", rest.substr(0, sep),
                                       "' (expected mqtt, tcp, mqtts, ssl, ws, wss or unix)"));
    }
    out.scheme = *scheme;
    rest.remove_prefix(sep + 3);
  } else if (absl::StartsWithIgnoreCase(rest, "unix:")) {
    out.scheme = Scheme::kUnix;
    rest.remove_prefix(5);
  }

  if (out.scheme == Scheme::kUnix) {
    if (rest.empty() || rest == "@") return Invalid(uri, "missing socket path");
    out.path = std::string(rest);
    return out;
  }

  // Authority ends at the first '/' (the path), '?' or '#'.
  size_t authority_end = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, authority_end);
  absl::string_view path =
      authority_end == absl::string_view::npos ? absl::string_view() : rest.substr(authority_end);

  size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) {
    absl::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    size_t colon = userinfo.find(':');
    out.username = std::string(userinfo.substr(0, colon));
    if (colon != absl::string_view::npos) out.password = std::string(userinfo.substr(colon + 1));
  }

  absl::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == absl::string_view::npos) return Invalid(uri, "missing ']' after IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    if (out.host.empty() || out.host.find(':') == std::string::npos) {
      return Invalid(uri, "brackets must hold an IPv6 address");
    }
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Invalid(uri, "unexpected text after ']'");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    size_t colon = authority.find(':');
    if (colon != absl::string_view::npos &&
        authority.find(':', colon + 1) != absl::string_view::npos) {
      return Invalid(uri, "IPv6 addresses must be in brackets, e.g. [::1]:1883");
    }
    out.host = std::string(authority.substr(0, colon));
    if (colon != absl::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
    for (char c : out.host) {
      if (!IsHostChar(c)) {
        return Invalid(uri, absl::StrCat("invalid character '", std::string(1, c), "' in host"));
      }
    }
  }
  if (out.host.empty()) return Invalid(uri, "missing host");

  if (has_port) {
    uint32_t port = 0;
    if (port_text.empty() || !absl::SimpleAtoi(port_text, &port) ||
        port_text.find_first_not_of("0123456789") != absl::string_view::npos) {
      return Invalid(uri, absl::StrCat("invalid port '", port_text, "'"));
    }
    if (port == 0 || port > 65535) {
      return Invalid(uri, absl::StrCat("port ", port_text, " out of range 1..65535"));
    }
    out.port = static_cast<uint16_t>(port);
  } else {
    out.port = DefaultPort(out.scheme);
  }

  if (out.scheme == Scheme::kWs || out.scheme == Scheme::kWss) {
    if (!path.empty() && path.front() == '#') path = absl::string_view();
    size_t fragment = path.find('#');
    if (fragment != absl::string_view::npos) path = path.substr(0, fragment);
    if (path.empty()) {
      out.path = "/mqtt";
    } else if (path.front() == '?') {
      out.path = absl::StrCat("/", path);
    } else {
      out.path = std::string(path);
    }
  } else if (!path.empty() && path != "/") {
    return Invalid(uri,
                   absl::StrCat("a path ('", path, "') is only meaningful for ws:// and wss://"));
  }
  return out;
}

std::string ServerAddress::HostPort() const {
  if (scheme == Scheme::kUnix) return path;
  if (host.find(':') != std::string::npos) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

std::string ServerAddress::ToString() const {
  if (scheme == Scheme::kUnix) {
    return absl::StrCat("unix://", path);
  }
  std::string user;
  if (username) user = absl::StrCat(*username, "@");
  std::string out = absl::StrCat(SchemeName(scheme), "://", user, HostPort());
  if (scheme == Scheme::kWs || scheme == Scheme::kWss) absl::StrAppend(&out, path);
  return out;
}

}  // namespace ouzel
