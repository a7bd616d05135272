#include "cc/topic/topic.h"

#include <cstddef>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cc/codec/utf8.h"
#include "cc/topic/internal/level_cursor.h"

namespace ouzel {
namespace {

constexpr absl::string_view kSharePrefix = "$share/";

absl::Status Invalid(absl::string_view what, absl::string_view rule, absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(what, " ", text, " ", rule));
}

absl::Status InvalidAt(absl::string_view what, absl::string_view rule, absl::string_view text,
                       size_t offset) {
  return absl::InvalidArgumentError(absl::StrCat(what, " ", text, " at byte ", offset, " ", rule));
}

// The checks topic names and filters share. `what` is "topic name" or "topic filter".
absl::Status ValidateCommon(absl::string_view what, absl::string_view s) {
  if (s.empty()) {
    return Invalid(what, "[MQTT-4.7.3-1]", "must be at least one character long");
  }
  if (s.size() > kMaxTopicLength) {
    return Invalid(what, "[MQTT-4.7.3-3]",
                   absl::StrCat("is ", s.size(), " bytes long, more than the ", kMaxTopicLength,
                                " a UTF-8 Encoded String can hold"));
  }
  // FindInvalidMqttUtf8 reports U+0000 like any other bad sequence; topics have their own rule for
  // it, and it is the likelier mistake, so it gets its own message.
  if (std::optional<size_t> bad = FindInvalidMqttUtf8(s)) {
    if (s[*bad] == '\0') {
      return InvalidAt(what, "[MQTT-4.7.3-2]", "contains the null character U+0000", *bad);
    }
    return InvalidAt(what, "[MQTT-1.5.4-1]",
                     "is not well-formed UTF-8 (bad byte sequence, overlong form, "
                     "surrogate or code point above U+10FFFF)",
                     *bad);
  }
  return absl::OkStatus();
}

// Checks wildcard placement in a filter with no `$share/` prefix. `base` is the offset of `filter`
// within the string the caller was given, so errors point into that string.
absl::Status ValidateWildcards(absl::string_view filter, size_t base) {
  const size_t n = filter.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = filter[i];
    if (c != '+' && c != '#') continue;
    const bool starts_level = i == 0 || filter[i - 1] == '/';
    const bool ends_filter = i + 1 == n;
    const bool ends_level = ends_filter || filter[i + 1] == '/';
    if (c == '+' && !(starts_level && ends_level)) {
      return InvalidAt("topic filter", "[MQTT-4.7.1-3]",
                       "has a single-level wildcard '+' that does not occupy a whole level",
                       base + i);
    }
    if (c == '#' && !(starts_level && ends_filter)) {
      return InvalidAt("topic filter", "[MQTT-4.7.1-2]",
                       "has a multi-level wildcard '#' that is not the whole last level", base + i);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTopicName(absl::string_view topic) {
  absl::Status status = ValidateCommon("topic name", topic);
  if (!status.ok()) return status;
  const size_t wildcard = topic.find_first_of("+#");
  if (wildcard != absl::string_view::npos) {
    return InvalidAt("topic name", "[MQTT-4.7.1-1]",
                     absl::StrCat("contains the wildcard '", topic.substr(wildcard, 1),
                                  "', which only topic filters may use"),
                     wildcard);
  }
  return absl::OkStatus();
}

absl::Status ValidateTopicFilter(absl::string_view filter) {
  absl::Status status = ValidateCommon("topic filter", filter);
  if (!status.ok()) return status;
  if (filter.substr(0, kSharePrefix.size()) != kSharePrefix) {
    return ValidateWildcards(filter, 0);
  }
  const size_t name_begin = kSharePrefix.size();
  size_t name_end = filter.find('/', name_begin);
  const bool has_separator = name_end != absl::string_view::npos;
  if (!has_separator) name_end = filter.size();
  if (name_end == name_begin) {
    return Invalid("shared subscription", "[MQTT-4.8.2-1]",
                   "needs a ShareName at least one character long");
  }
  const size_t bad = filter.substr(0, name_end).find_first_of("+#", name_begin);
  if (bad != absl::string_view::npos) {
    return InvalidAt("shared subscription", "[MQTT-4.8.2-2]",
                     "has a ShareName containing a wildcard", bad);
  }
  if (!has_separator || name_end + 1 == filter.size()) {
    return Invalid("shared subscription", "[MQTT-4.8.2-2]",
                   "needs '/' and a topic filter after the ShareName");
  }
  return ValidateWildcards(filter.substr(name_end + 1), name_end + 1);
}

std::optional<SharedFilter> ParseSharedSubscription(absl::string_view filter) {
  if (filter.substr(0, kSharePrefix.size()) != kSharePrefix) return std::nullopt;
  const size_t name_end = filter.find('/', kSharePrefix.size());
  if (name_end == absl::string_view::npos) return std::nullopt;
  return SharedFilter{filter.substr(kSharePrefix.size(), name_end - kSharePrefix.size()),
                      filter.substr(name_end + 1)};
}

bool TopicMatchesFilter(absl::string_view filter, absl::string_view topic) {
  if (std::optional<SharedFilter> shared = ParseSharedSubscription(filter)) {
    filter = shared->filter;
  }
  if (!topic.empty() && topic[0] == '$' && !filter.empty() &&
      (filter[0] == '+' || filter[0] == '#')) {
    return false;
  }
  topic_internal::LevelCursor f(filter);
  topic_internal::LevelCursor t(topic);
  while (!f.done()) {
    const absl::string_view level = f.Next();
    // Checked before running out of topic levels because `#` also matches the parent level.
    if (level == "#") return true;
    if (t.done()) return false;
    const absl::string_view topic_level = t.Next();
    if (level != "+" && level != topic_level) return false;
  }
  return t.done();
}

}  // namespace ouzel
