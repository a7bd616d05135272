#include "cc/transport/http_connect.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cc/base/secret.h"

namespace ouzel {
namespace {

constexpr absl::string_view kHttpPrefix = "HTTP/";
constexpr size_t kQuoteBytes = 64;

// Received bytes for an error message: escaped, and cut short.
std::string Quote(absl::string_view bytes) {
  std::string out = absl::StrCat("\"", absl::CHexEscape(bytes.substr(0, kQuoteBytes)), "\"");
  if (bytes.size() > kQuoteBytes) absl::StrAppend(&out, "...");
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

absl::Status ValidateHttpConnectTarget(absl::string_view host, absl::string_view username,
                                       absl::string_view password) {
  if (host.empty()) return absl::InvalidArgumentError("HTTP CONNECT: the broker host is empty");
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '/' || c == '@') {
      return absl::InvalidArgumentError(
          absl::StrCat("HTTP CONNECT: the broker host ", Quote(host), " cannot be sent"));
    }
  }
  if (absl::StrContains(username, ':')) {
    return absl::InvalidArgumentError(
        "HTTP proxy username must not contain ':' (Basic authentication cannot carry it)");
  }
  for (absl::string_view s : {username, password}) {
    for (char c : s) {
      if (c == '\0' || c == '\r' || c == '\n') {
        return absl::InvalidArgumentError(
            "HTTP proxy credentials must not contain NUL, CR or LF characters");
      }
    }
  }
  return absl::OkStatus();
}

std::string HttpConnectRequest(absl::string_view host, uint16_t port, absl::string_view username,
                               absl::string_view password) {
  const bool ipv6 = absl::StrContains(host, ':');
  std::string authority =
      ipv6 ? absl::StrCat("[", host, "]:", port) : absl::StrCat(host, ":", port);
  std::string request = absl::StrCat("CONNECT ", authority, " HTTP/1.1\r\nHost: ", authority,
                                     "\r\nUser-Agent: ouzel\r\n");
  if (!username.empty()) {
    // Every buffer that held the credentials is zeroed; the request is reserved at its final size
    // so appending never leaves a copy behind in a reallocated block. The caller wipes `request`.
    std::string credentials = absl::StrCat(username, ":", password);
    std::string encoded = absl::Base64Escape(credentials);
    WipeString(&credentials);
    request.reserve(request.size() + encoded.size() + 64);
    absl::StrAppend(&request, "Proxy-Authorization: Basic ", encoded, "\r\n");
    WipeString(&encoded);
  }
  absl::StrAppend(&request, "\r\n");
  return request;
}

absl::StatusOr<size_t> HttpConnectReply::Feed(absl::string_view bytes) {
  size_t used = 0;
  while (!done_ && used < bytes.size()) {
    const char c = bytes[used++];
    if (c == '\0') {
      return absl::UnavailableError(absl::StrCat("not an HTTP response: a NUL byte in ",
                                                 Quote(absl::StrCat(head_, std::string(1, c)))));
    }
    head_.push_back(c);
    // Recognise a non-HTTP peer at once (a SOCKS proxy, a broker) instead of waiting for an end
    // of headers that never comes.
    if (head_.size() <= kHttpPrefix.size() &&
        !absl::StartsWith(kHttpPrefix, absl::AsciiStrToUpper(head_))) {
      return absl::UnavailableError(absl::StrCat("not an HTTP response: received ", Quote(head_)));
    }
    if (head_.size() > kMaxHeadBytes) {
      return absl::UnavailableError(absl::StrCat("the response head is longer than ", kMaxHeadBytes,
                                                 " bytes: ", Quote(head_)));
    }
    if (c != '\n') continue;
    if (!absl::EndsWith(head_, "\r\n\r\n") && !absl::EndsWith(head_, "\n\n")) continue;
    absl::Status parsed = ParseHead(head_);
    if (!parsed.ok()) return parsed;
    head_.clear();
    // 1xx responses are interim: the real answer follows (101 would switch protocols, which
    // CONNECT never asks for, so it is final and refused).
    if (status_code_ >= 100 && status_code_ < 200 && status_code_ != 101) continue;
    done_ = true;
  }
  return used;
}

absl::Status HttpConnectReply::ParseHead(absl::string_view head) {
  std::vector<absl::string_view> lines = absl::StrSplit(head, '\n');
  absl::string_view line = absl::StripSuffix(lines[0], "\r");
  // HTTP-version SP status-code [SP reason-phrase]
  auto bad = [&line]() {
    return absl::UnavailableError(absl::StrCat("malformed HTTP status line ", Quote(line)));
  };
  size_t space = line.find(' ');
  if (space == absl::string_view::npos) return bad();
  absl::string_view version = line.substr(0, space);
  if (version.size() != 8 || !absl::StartsWithIgnoreCase(version, kHttpPrefix) ||
      !IsDigit(version[5]) || version[6] != '.' || !IsDigit(version[7])) {
    return bad();
  }
  absl::string_view rest = line.substr(space + 1);
  if (rest.size() < 3 || !IsDigit(rest[0]) || !IsDigit(rest[1]) || !IsDigit(rest[2]) ||
      (rest.size() > 3 && rest[3] != ' ')) {
    return bad();
  }
  int code = 0;
  if (!absl::SimpleAtoi(rest.substr(0, 3), &code) || code < 100) return bad();
  status_code_ = code;
  status_line_ = std::string(line);
  proxy_authenticate_.clear();
  for (size_t i = 1; i < lines.size(); ++i) {
    absl::string_view h = absl::StripSuffix(lines[i], "\r");
    size_t colon = h.find(':');
    if (colon == absl::string_view::npos) continue;
    if (absl::EqualsIgnoreCase(h.substr(0, colon), "Proxy-Authenticate") &&
        proxy_authenticate_.empty()) {
      proxy_authenticate_ = std::string(absl::StripAsciiWhitespace(h.substr(colon + 1)));
    }
  }
  return absl::OkStatus();
}

absl::Status HttpConnectReply::Refusal(bool sent_credentials) const {
  const std::string& line = status_line_;
  switch (status_code_) {
    // 401 is the origin server's code, but tinyproxy 1.11 answers wrong proxy credentials with it
    // (and missing ones with 407); to a CONNECT it can only mean the proxy's authentication.
    case 401:
    case 407: {
      std::string asks = proxy_authenticate_.empty()
                             ? ""
                             : absl::StrCat(" (it asks for ", proxy_authenticate_, ")");
      if (!proxy_authenticate_.empty() &&
          !absl::StartsWithIgnoreCase(proxy_authenticate_, "Basic")) {
        return absl::PermissionDeniedError(absl::StrCat(line, ": the proxy requires authentication",
                                                        asks, "; only Basic is supported"));
      }
      if (sent_credentials) {
        return absl::PermissionDeniedError(
            absl::StrCat(line, ": the proxy rejected the username and password", asks));
      }
      return absl::PermissionDeniedError(absl::StrCat(line, ": the proxy requires authentication",
                                                      asks, "; no username was given"));
    }
    case 403:
      return absl::UnavailableError(
          absl::StrCat(line, ": the proxy does not allow a tunnel to this destination"));
    case 502:
    case 503:
    case 504:
      return absl::UnavailableError(absl::StrCat(line, ": the proxy could not reach the broker"));
    default:
      return absl::UnavailableError(absl::StrCat(line, ": the proxy did not open a tunnel"));
  }
}

}  // namespace ouzel
