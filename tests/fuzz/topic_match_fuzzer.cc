// Differential fuzzer: TopicMatchesFilter (a direct level-by-level comparison) against
// SubscriptionIndex (a trie walk) on the same filter and topic. They are written independently, so
// any disagreement is a bug in one of them; the fuzzer aborts on it.
//
// Input: filter bytes, one 0x00 byte, topic bytes. U+0000 is invalid in both, so the separator
// costs no coverage. Inputs without it, or where either side is invalid, exercise only that the
// calls are safe.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/string_view.h"
#include "cc/topic/subscription_index.h"
#include "cc/topic/topic.h"

namespace {

constexpr uint64_t kFilterId = 42;
constexpr uint64_t kSelfId = 7;

void Check(bool ok, const char* invariant, absl::string_view filter, absl::string_view topic) {
  if (ok) return;
  std::fprintf(stderr, "invariant violated: %s\nfilter: %.*s\ntopic: %.*s\n", invariant,
               static_cast<int>(filter.size()), filter.data(), static_cast<int>(topic.size()),
               topic.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t separator = input.find('\0');
  if (separator == absl::string_view::npos) {
    (void)ouzel::TopicMatchesFilter(input, input);
    return 0;
  }
  const absl::string_view filter = input.substr(0, separator);
  const absl::string_view topic = input.substr(separator + 1);
  const bool expected = ouzel::TopicMatchesFilter(filter, topic);

  ouzel::SubscriptionIndex index;
  const bool filter_added = index.Add(filter, kFilterId).ok();
  Check(filter_added == ouzel::ValidateTopicFilter(filter).ok(),
        "Add accepts exactly the valid filters", filter, topic);
  if (!filter_added || !ouzel::ValidateTopicName(topic).ok()) {
    std::vector<uint64_t> ids;
    index.Match(topic, &ids);  // must be safe even for an invalid topic
    return 0;
  }

  std::vector<uint64_t> ids;
  index.Match(topic, &ids);
  Check(ids.size() <= 1, "one stored pair matches at most once", filter, topic);
  Check(ids.empty() || ids[0] == kFilterId, "Match returns the stored id", filter, topic);
  Check(!ids.empty() == expected, "index agrees with TopicMatchesFilter", filter, topic);

  // The topic itself, as a literal filter, matches the topic and leaves the first filter's verdict
  // alone. A topic starting with `$share/` would be read as a shared filter instead.
  if (topic.substr(0, 7) != "$share/" && index.Add(topic, kSelfId).ok()) {
    ids.clear();
    index.Match(topic, &ids);
    size_t self = 0;
    for (uint64_t id : ids) self += id == kSelfId;
    Check(self == 1, "a topic used as a literal filter matches itself", filter, topic);
    Check(ids.size() == 1 + (expected ? 1 : 0),
          "adding a second filter leaves the first one's verdict alone", filter, topic);
    Check(index.Remove(topic, kSelfId), "Remove finds what Add stored", filter, topic);
  }

  Check(index.Remove(filter, kFilterId), "Remove finds the stored filter", filter, topic);
  Check(index.empty(), "index is empty after removing every pair", filter, topic);
  ids.clear();
  index.Match(topic, &ids);
  Check(ids.empty(), "an emptied index matches nothing", filter, topic);
  return 0;
}
