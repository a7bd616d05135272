// SubscriptionIndex: finds every stored topic filter that matches a topic, fast enough for 100,000
// filters. The client uses it to route incoming messages to per-filter callbacks (paho's
// `message_callback_add`).
//
//   ouzel::SubscriptionIndex index;
//   OUZEL_RETURN_IF_ERROR(index.Add("site/+/temp", /*id=*/1));
//   OUZEL_RETURN_IF_ERROR(index.Add("site/#", /*id=*/2));
//   std::vector<uint64_t> ids;
//   index.Match("site/7/temp", &ids);  // ids holds 1 and 2, in no particular order
//
// Filters live in a trie over topic levels, so a lookup costs one hash probe per topic level plus
// the `+` and `#` branches actually present, however many filters are stored. Matching follows
// TopicMatchesFilter exactly, including the `$` rule and shared filters (`$share/g/a/+` matches as
// `a/+`).
//
// Thread-safety: const methods may run concurrently with each other; Add, Remove and Clear need
// exclusive access.
#ifndef OUZEL_CC_TOPIC_SUBSCRIPTION_INDEX_H_
#define OUZEL_CC_TOPIC_SUBSCRIPTION_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ouzel {

class SubscriptionIndex {
 public:
  SubscriptionIndex();
  ~SubscriptionIndex();
  SubscriptionIndex(SubscriptionIndex&& other) noexcept;
  SubscriptionIndex& operator=(SubscriptionIndex&& other) noexcept;
  SubscriptionIndex(const SubscriptionIndex&) = delete;
  SubscriptionIndex& operator=(const SubscriptionIndex&) = delete;

  // Stores the pair (`filter`, `id`). A filter may carry several ids and an id may sit under
  // several filters; adding a pair that is already stored changes nothing and returns OK.
  // `$share/a/x` and `x` are different filters even though they match the same topics. Returns the
  // error of ValidateTopicFilter for an invalid filter.
  absl::Status Add(absl::string_view filter, uint64_t id);

  // Removes the pair (`filter`, `id`); returns whether it was stored.
  bool Remove(absl::string_view filter, uint64_t id);

  // Appends to `*out` the id of every stored pair whose filter matches `topic`: an id stored under
  // two matching filters is appended twice. Order is unspecified. Apart from growing `*out`,
  // allocates only for topics with more than 16 levels under `+` branches.
  void Match(absl::string_view topic, std::vector<uint64_t>* out) const;

  // As Match, calling `fn` once per matching pair. `fn` must not modify this index.
  void ForEachMatch(absl::string_view topic, absl::FunctionRef<void(uint64_t id)> fn) const;

  // Number of stored (filter, id) pairs.
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void Clear();

 private:
  struct Node;

  // Ids of the filters that end at one place in the trie. Shared filters are kept apart by share
  // name so that removing `$share/g/x` never removes `x` with the same id.
  class Subscribers {
   public:
    bool empty() const { return ids_.empty() && shared_ == nullptr; }
    // Return whether the pair was newly added / was present.
    bool Add(absl::string_view share_name, uint64_t id);
    bool Remove(absl::string_view share_name, uint64_t id);
    void ForEach(absl::FunctionRef<void(uint64_t)> fn) const;

   private:
    // Inline room for one id: most filters carry exactly one.
    absl::InlinedVector<uint64_t, 1> ids_;
    // Allocated only once a shared filter ends here: shared filters are rare on a client.
    std::unique_ptr<absl::flat_hash_map<std::string, std::vector<uint64_t>>> shared_;
  };

  std::unique_ptr<Node> root_;
  size_t size_ = 0;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TOPIC_SUBSCRIPTION_INDEX_H_
