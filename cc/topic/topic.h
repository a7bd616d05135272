// MQTT topic names and topic filters: validation, shared-subscription parsing and matching.
//
// Rules follow MQTT 5.0 sections 4.7 (topic names and filters) and 4.8.2 (shared subscriptions);
// MQTT 3.1 and 3.1.1 use the same topic rules, and `$share/` filters are treated as shared under
// every protocol version, as brokers do.
//
//   OUZEL_RETURN_IF_ERROR(ouzel::ValidateTopicFilter("sport/tennis/+"));
//   ouzel::TopicMatchesFilter("sport/tennis/+", "sport/tennis/player1");  // true
//   ouzel::TopicMatchesFilter("sport/#", "sport");                        // true
//   ouzel::TopicMatchesFilter("#", "$SYS/uptime");                        // false
//   auto shared = ouzel::ParseSharedSubscription("$share/group/a/b");
//   // shared->share_name == "group", shared->filter == "a/b"
//
// All functions are pure and thread-safe.
#ifndef OUZEL_CC_TOPIC_TOPIC_H_
#define OUZEL_CC_TOPIC_TOPIC_H_

#include <cstddef>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ouzel {

// Longest topic name or filter MQTT can carry: a UTF-8 Encoded String has a 16-bit length.
inline constexpr size_t kMaxTopicLength = 65535;

// Checks a topic name for PUBLISH (or a Will topic): non-empty, at most kMaxTopicLength bytes, MQTT
// UTF-8 (well-formed, no U+0000, no surrogates) and free of the wildcards `+` and `#`. Returns
// absl::InvalidArgumentError naming the broken rule and, where there is one, the byte offset of the
// offending character.
absl::Status ValidateTopicName(absl::string_view topic);

// Checks a topic filter for SUBSCRIBE or UNSUBSCRIBE: the same length and UTF-8 rules as topic
// names; `#` only as the whole last level; `+` only as a whole level; and for a filter starting
// with `$share/`, a non-empty ShareName without `/`, `+` or `#`, followed by `/` and a non-empty
// valid filter. Returns absl::InvalidArgumentError naming the broken rule and the byte offset.
absl::Status ValidateTopicFilter(absl::string_view filter);

// The two parts of a shared subscription filter `$share/{share_name}/{filter}`. Both views point
// into the string that was parsed.
struct SharedFilter {
  absl::string_view share_name;
  absl::string_view filter;
};

// Splits a filter that starts with `$share/` at the `/` ending the share name. Returns nullopt when
// `filter` does not start with `$share/` or has no `/` after the share name. This only splits:
// either part may still be empty or invalid, so call ValidateTopicFilter first.
std::optional<SharedFilter> ParseSharedSubscription(absl::string_view filter);

// Whether `topic` (a topic name) matches `filter`. `+` matches exactly one level, which may be
// empty; `#` matches any number of levels including none, so `sport/#` matches `sport`. Topics
// starting with `$` are not matched by filters whose first character is a wildcard [MQTT-4.7.2-1].
// A shared filter matches as the filter after its share name. Comparison is byte-wise with no
// normalisation [MQTT-4.7.3-4]. Never allocates.
//
// Both arguments are expected to be valid; for invalid ones the result is unspecified (but the call
// is still safe).
bool TopicMatchesFilter(absl::string_view filter, absl::string_view topic);

}  // namespace ouzel

#endif  // OUZEL_CC_TOPIC_TOPIC_H_
