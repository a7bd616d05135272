#include "cc/transport/proxy_config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ouzel {
namespace {

constexpr uint16_t kDefaultHttpProxyPort = 8080;
constexpr uint16_t kDefaultSocksProxyPort = 1080;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

absl::StatusOr<std::string> PercentDecode(absl::string_view s, absl::string_view what) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return absl::InvalidArgumentError(absl::StrCat("bad percent-encoding in the proxy ", what));
    }
    int hi = HexValue(s[i + 1]);
    int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return absl::InvalidArgumentError(absl::StrCat("bad percent-encoding in the proxy ", what));
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool ParsePort(absl::string_view s, uint16_t* port) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  uint32_t v = 0;
  if (!absl::SimpleAtoi(s, &v) || v == 0 || v > 65535) return false;
  *port = static_cast<uint16_t>(v);
  return true;
}

// An IP literal's bytes (4 or 16; an IPv6 zone "%eth0" is ignored), or empty.
std::string IpBytes(absl::string_view literal) {
  std::string s(literal.substr(0, literal.find('%')));
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    return std::string(reinterpret_cast<char*>(buf), 16);
  }
  return "";
}

bool PrefixMatches(const std::string& a, const std::string& b, int bits) {
  for (int i = 0; i < bits / 8; ++i) {
    if (a[i] != b[i]) return false;
  }
  if (bits % 8 == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - bits % 8));
  return (static_cast<uint8_t>(a[bits / 8]) & mask) == (static_cast<uint8_t>(b[bits / 8]) & mask);
}

// One no_proxy entry against a lower-cased host.
bool EntryMatches(absl::string_view entry, absl::string_view host, uint16_t port) {
  if (entry == "*") return true;
  // Split off ":port": "[v6]:p", "name:p", "1.2.3.4:p"; a bare IPv6 literal has several colons.
  absl::string_view pattern = entry;
  if (absl::ConsumePrefix(&pattern, "[")) {
    size_t close = pattern.find(']');
    if (close == absl::string_view::npos) return false;
    absl::string_view after = pattern.substr(close + 1);
    pattern = pattern.substr(0, close);
    if (!after.empty()) {
      uint16_t p = 0;
      if (!absl::ConsumePrefix(&after, ":") || !ParsePort(after, &p) || p != port) return false;
    }
  } else if (std::count(pattern.begin(), pattern.end(), ':') == 1) {
    size_t colon = pattern.find(':');
    uint16_t p = 0;
    if (!ParsePort(pattern.substr(colon + 1), &p) || p != port) return false;
    pattern = pattern.substr(0, colon);
  }
  if (pattern.empty()) return false;

  const std::string host_ip = IpBytes(host);
  size_t slash = pattern.find('/');
  if (slash != absl::string_view::npos) {
    const std::string net = IpBytes(pattern.substr(0, slash));
    int bits = -1;
    if (net.empty() || host_ip.size() != net.size() ||
        !absl::SimpleAtoi(pattern.substr(slash + 1), &bits) || bits < 0 ||
        bits > static_cast<int>(net.size() * 8)) {
      return false;
    }
    return PrefixMatches(net, host_ip, bits);
  }
  const std::string pattern_ip = IpBytes(pattern);
  if (!pattern_ip.empty() || !host_ip.empty()) return pattern_ip == host_ip;

  if (!absl::ConsumePrefix(&pattern, "*.")) absl::ConsumePrefix(&pattern, ".");
  absl::ConsumeSuffix(&pattern, ".");
  absl::ConsumeSuffix(&host, ".");
  if (pattern.empty()) return false;
  return host == pattern || (host.size() > pattern.size() && absl::EndsWith(host, pattern) &&
                             host[host.size() - pattern.size() - 1] == '.');
}

// The first of `names` that is set (even to ""), or nullptr.
const char* GetEnv(std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (const char* v = std::getenv(n)) return v;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<ProxyOptions> ParseProxyUri(absl::string_view uri) {
  absl::string_view rest = absl::StripAsciiWhitespace(uri);
  const std::string shown = "the proxy URI";  // never echo it: it may hold a password
  ProxyOptions p;
  std::string scheme = "http";
  size_t sep = rest.find("://");
  if (sep != absl::string_view::npos) {
    scheme = absl::AsciiStrToLower(rest.substr(0, sep));
    rest.remove_prefix(sep + 3);
  }
  if (scheme == "http") {
    p.type = ProxyOptions::Type::kHttpConnect;
    p.port = kDefaultHttpProxyPort;
  } else if (scheme == "socks5" || scheme == "socks5h" || scheme == "socks") {
    p.type = ProxyOptions::Type::kSocks5;
    p.port = kDefaultSocksProxyPort;
    p.remote_dns = scheme != "socks5";
  } else if (scheme == "https" || absl::StartsWith(scheme, "socks4")) {
    return absl::InvalidArgumentError(absl::StrCat(
        scheme, ":// proxies are not supported (use http://, socks5:// or socks5h://)"));
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown proxy scheme '", scheme, "' (use http://, socks5:// or socks5h://)"));
  }

  size_t end = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, end);
  if (end != absl::string_view::npos && rest.substr(end) != "/") {
    return absl::InvalidArgumentError(
        absl::StrCat(shown,
                     " has a path, query or fragment after the host; only host and port "
                     "are used"));
  }
  size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) {
    absl::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    size_t colon = userinfo.find(':');
    absl::StatusOr<std::string> user = PercentDecode(userinfo.substr(0, colon), "username");
    if (!user.ok()) return user.status();
    p.username = *std::move(user);
    if (colon != absl::string_view::npos) {
      absl::StatusOr<std::string> pass = PercentDecode(userinfo.substr(colon + 1), "password");
      if (!pass.ok()) return pass.status();
      p.password = *std::move(pass);
    }
    if (p.username.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(shown, " has credentials without a username"));
    }
  }

  absl::string_view port_text;
  if (absl::ConsumePrefix(&authority, "[")) {
    size_t close = authority.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(shown, " has an unclosed '[' in its host"));
    }
    p.host = std::string(authority.substr(0, close));
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty() && !absl::ConsumePrefix(&after, ":")) {
      return absl::InvalidArgumentError(absl::StrCat(shown, " has text after ']' in its host"));
    }
    port_text = after;
    if (!absl::StrContains(p.host, ':')) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", p.host, "' in brackets is not an IPv6 address"));
    }
  } else {
    size_t colon = authority.rfind(':');
    if (colon != absl::string_view::npos && authority.find(':') != colon) {
      return absl::InvalidArgumentError("an IPv6 proxy address must be in brackets: [::1]:1080");
    }
    p.host = std::string(authority.substr(0, colon));
    if (colon != absl::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (p.host.empty()) return absl::InvalidArgumentError(absl::StrCat(shown, " has no host"));
  if (!port_text.empty() || authority.back() == ':') {
    if (!ParsePort(port_text, &p.port)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad proxy port '", port_text, "' (expected 1 to 65535)"));
    }
  }
  return p;
}

bool NoProxyMatches(absl::string_view no_proxy, absl::string_view host, uint16_t port) {
  const std::string lower_host = absl::AsciiStrToLower(host);
  for (absl::string_view entry : absl::StrSplit(no_proxy, absl::ByAnyChar(", \t"))) {
    if (entry.empty()) continue;
    if (EntryMatches(absl::AsciiStrToLower(entry), lower_host, port)) return true;
  }
  return false;
}

absl::StatusOr<ProxyOptions> EffectiveProxy(const ServerAddress& address,
                                            const TransportOptions& options) {
  ProxyOptions none;
  none.type = ProxyOptions::Type::kNone;
  if (address.scheme == Scheme::kUnix) return none;
  const ProxyOptions& explicit_proxy = options.proxy;
  if (explicit_proxy.type != ProxyOptions::Type::kNone) {
    if (explicit_proxy.host.empty() || explicit_proxy.port == 0) {
      return absl::InvalidArgumentError("a proxy needs a host and a port");
    }
    if (explicit_proxy.username.empty() && !explicit_proxy.password.empty()) {
      return absl::InvalidArgumentError("a proxy password was given without a username");
    }
    return explicit_proxy;
  }
  if (!explicit_proxy.from_environment) return none;
  const char* uri = GetEnv({"mqtt_proxy", "MQTT_PROXY"});
  if (uri == nullptr || absl::StripAsciiWhitespace(uri).empty()) return none;
  const char* no_proxy = GetEnv({"no_proxy", "NO_PROXY"});
  if (no_proxy != nullptr && NoProxyMatches(no_proxy, address.host, address.port)) return none;
  absl::StatusOr<ProxyOptions> parsed = ParseProxyUri(uri);
  if (!parsed.ok()) {
    const char* name = std::getenv("mqtt_proxy") != nullptr ? "mqtt_proxy" : "MQTT_PROXY";
    return absl::InvalidArgumentError(
        absl::StrCat("environment variable ", name, ": ", parsed.status().message()));
  }
  parsed->from_environment = true;
  return parsed;
}

std::string DescribeProxy(const ProxyOptions& proxy) {
  const char* scheme = proxy.type == ProxyOptions::Type::kHttpConnect ? "http"
                       : proxy.type == ProxyOptions::Type::kSocks5
                           ? (proxy.remote_dns ? "socks5h" : "socks5")
                           : "direct";
  std::string host =
      absl::StrContains(proxy.host, ':') ? absl::StrCat("[", proxy.host, "]") : proxy.host;
  std::string user = proxy.username.empty() ? "" : absl::StrCat(proxy.username, "@");
  return absl::StrCat(scheme, "://", user, host, ":", proxy.port);
}

}  // namespace ouzel
