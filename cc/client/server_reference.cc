#include "cc/client/server_reference.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace ouzel {

absl::StatusOr<ServerAddress> ParseServerReference(absl::string_view reference,
                                                   const ServerAddress& current) {
  absl::string_view first = absl::StripLeadingAsciiWhitespace(reference);
  size_t space = first.find_first_of(" \t\r\n");
  if (space != absl::string_view::npos) first = first.substr(0, space);
  if (first.empty()) return absl::InvalidArgumentError("empty Server Reference");
  if (first.find("://") != absl::string_view::npos) return ServerAddress::Parse(first);
  if (current.scheme == Scheme::kUnix) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Server Reference '", first, "' has no scheme and the current server is a Unix socket"));
  }
  absl::StatusOr<ServerAddress> parsed =
      ServerAddress::Parse(absl::StrCat(SchemeName(current.scheme), "://", first));
  if (!parsed.ok()) return parsed.status();
  if (current.scheme == Scheme::kWs || current.scheme == Scheme::kWss) parsed->path = current.path;
  return parsed;
}

}  // namespace ouzel
