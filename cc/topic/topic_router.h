// TopicRouter: the ids of the filters a topic matches, each id once, most specific filter first.
// The C API's ouzel_topic_router; bindings route each incoming message to the handlers of the
// filters it matches (paho's message_callback_add) with it.
//
//   ouzel::TopicRouter router;
//   OUZEL_RETURN_IF_ERROR(router.Add("site/#", /*id=*/2));
//   OUZEL_RETURN_IF_ERROR(router.Add("site/+/temp", /*id=*/1));
//   std::vector<uint64_t> ids;
//   router.Match("site/7/temp", &ids);  // {1, 2}: "site/+/temp" is more specific than "site/#"
//
// Built on SubscriptionIndex (the lookup is its trie walk); what it adds is a defined order and
// one entry per id. The order is paho-mqtt's MQTTMatcher order, so a paho-compatible binding calls
// its per-filter callbacks as paho does: matching filters compare level by level, a literal level
// before `+`, `+` before `#`, and a filter that has ended before one that goes on with `#`; ties
// (the same filter, or the same filter under different `$share/` names) by ascending id.
//
// Thread-safety: Match may run concurrently with itself; Add and Remove need exclusive access.
#ifndef OUZEL_CC_TOPIC_TOPIC_ROUTER_H_
#define OUZEL_CC_TOPIC_TOPIC_ROUTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cc/topic/subscription_index.h"

namespace ouzel {

class TopicRouter {
 public:
  // Stores (filter, id); a pair already stored is left as it is (OK). InvalidArgument, from
  // ValidateTopicFilter, for an invalid filter; nothing is stored then.
  absl::Status Add(absl::string_view filter, uint64_t id);
  // Removes (filter, id), spelled as added; false when it was not stored.
  bool Remove(absl::string_view filter, uint64_t id);
  // Replaces `*out` with the ids whose filters match the topic name `topic`, each once, in the
  // order described above. `topic` is expected to be valid (ValidateTopicName); for an invalid
  // one the result is unspecified but the call is safe.
  void Match(absl::string_view topic, std::vector<uint64_t>* out) const;
  // Number of stored (filter, id) pairs.
  size_t size() const { return slots_by_pair_.size(); }

 private:
  struct Slot {
    std::string filter;  // as added (may start with $share/)
    uint64_t id = 0;
  };
  // The index stores slot numbers, so a match can be put in order by its filter.
  SubscriptionIndex index_;
  std::vector<Slot> slots_;
  std::vector<uint64_t> free_slots_;
  absl::flat_hash_map<std::pair<std::string, uint64_t>, uint64_t> slots_by_pair_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TOPIC_TOPIC_ROUTER_H_
