#include "cc/topic/subscription_index.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cc/base/status_macros.h"
#include "cc/topic/internal/level_cursor.h"
#include "cc/topic/topic.h"

namespace ouzel {

struct SubscriptionIndex::Node {
  // Keyed by the literal level; lookups take absl::string_view, so they copy nothing.
  absl::flat_hash_map<std::string, std::unique_ptr<Node>> children;
  std::unique_ptr<Node> plus;
  // Filters whose last level is this node.
  Subscribers exact;
  // Filters that continue with a final `#` after this node (`#` itself at the root).
  Subscribers multi;

  bool empty() const {
    return children.empty() && plus == nullptr && exact.empty() && multi.empty();
  }
};

namespace {

// Filters may have up to 32,768 levels, so the trie is torn down with a work list rather than by
// recursive destructors, which could exhaust the stack.
template <typename Node>
void DestroyTree(std::unique_ptr<Node> root) {
  if (root == nullptr) return;
  std::vector<std::unique_ptr<Node>> pending;
  pending.push_back(std::move(root));
  while (!pending.empty()) {
    std::unique_ptr<Node> node = std::move(pending.back());
    pending.pop_back();
    for (auto& entry : node->children) pending.push_back(std::move(entry.second));
    if (node->plus != nullptr) pending.push_back(std::move(node->plus));
  }
}

// Splits off the share name; it stays empty for a plain filter, since a valid shared filter always
// has a non-empty one.
absl::string_view StripShare(absl::string_view* filter) {
  if (std::optional<SharedFilter> shared = ParseSharedSubscription(*filter)) {
    *filter = shared->filter;
    return shared->share_name;
  }
  return {};
}

}  // namespace

bool SubscriptionIndex::Subscribers::Add(absl::string_view share_name, uint64_t id) {
  if (share_name.empty()) {
    if (std::find(ids_.begin(), ids_.end(), id) != ids_.end()) return false;
    ids_.push_back(id);
    return true;
  }
  if (shared_ == nullptr) {
    shared_ = std::make_unique<absl::flat_hash_map<std::string, std::vector<uint64_t>>>();
  }
  std::vector<uint64_t>& ids = (*shared_)[share_name];
  if (std::find(ids.begin(), ids.end(), id) != ids.end()) return false;
  ids.push_back(id);
  return true;
}

bool SubscriptionIndex::Subscribers::Remove(absl::string_view share_name, uint64_t id) {
  if (share_name.empty()) {
    auto it = std::find(ids_.begin(), ids_.end(), id);
    if (it == ids_.end()) return false;
    *it = ids_.back();
    ids_.pop_back();
    // Give back the heap block of a filter that once had many ids.
    if (ids_.empty()) ids_.shrink_to_fit();
    return true;
  }
  if (shared_ == nullptr) return false;
  auto group = shared_->find(share_name);
  if (group == shared_->end()) return false;
  std::vector<uint64_t>& ids = group->second;
  auto it = std::find(ids.begin(), ids.end(), id);
  if (it == ids.end()) return false;
  *it = ids.back();
  ids.pop_back();
  if (ids.empty()) {
    shared_->erase(group);
    if (shared_->empty()) shared_.reset();
  }
  return true;
}

void SubscriptionIndex::Subscribers::ForEach(absl::FunctionRef<void(uint64_t)> fn) const {
  for (uint64_t id : ids_) fn(id);
  if (shared_ == nullptr) return;
  for (const auto& group : *shared_) {
    for (uint64_t id : group.second) fn(id);
  }
}

SubscriptionIndex::SubscriptionIndex() = default;

SubscriptionIndex::~SubscriptionIndex() { DestroyTree(std::move(root_)); }

SubscriptionIndex::SubscriptionIndex(SubscriptionIndex&& other) noexcept
    : root_(std::move(other.root_)), size_(std::exchange(other.size_, 0)) {}

SubscriptionIndex& SubscriptionIndex::operator=(SubscriptionIndex&& other) noexcept {
  if (this != &other) {
    DestroyTree(std::move(root_));
    root_ = std::move(other.root_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

absl::Status SubscriptionIndex::Add(absl::string_view filter, uint64_t id) {
  OUZEL_RETURN_IF_ERROR(ValidateTopicFilter(filter));
  const absl::string_view share_name = StripShare(&filter);
  if (root_ == nullptr) root_ = std::make_unique<Node>();
  Node* node = root_.get();
  topic_internal::LevelCursor levels(filter);
  Subscribers* target = nullptr;
  while (target == nullptr) {
    const absl::string_view level = levels.Next();
    if (level == "#") {
      // Validation guarantees `#` is the last level.
      target = &node->multi;
      break;
    }
    std::unique_ptr<Node>* child;
    if (level == "+") {
      child = &node->plus;
    } else {
      auto it = node->children.find(level);
      if (it == node->children.end()) {
        it = node->children.emplace(std::string(level), nullptr).first;
      }
      child = &it->second;
    }
    if (*child == nullptr) *child = std::make_unique<Node>();
    node = child->get();
    if (levels.done()) target = &node->exact;
  }
  if (target->Add(share_name, id)) ++size_;
  return absl::OkStatus();
}

bool SubscriptionIndex::Remove(absl::string_view filter, uint64_t id) {
  if (root_ == nullptr || !ValidateTopicFilter(filter).ok()) return false;
  const absl::string_view share_name = StripShare(&filter);
  // The nodes above the one the filter ends at, with the level leading down from each, so that
  // nodes left empty can be unlinked bottom-up.
  absl::InlinedVector<std::pair<Node*, absl::string_view>, 8> path;
  Node* node = root_.get();
  topic_internal::LevelCursor levels(filter);
  Subscribers* target = nullptr;
  while (target == nullptr) {
    const absl::string_view level = levels.Next();
    if (level == "#") {
      target = &node->multi;
      break;
    }
    Node* child = nullptr;
    if (level == "+") {
      child = node->plus.get();
    } else if (auto it = node->children.find(level); it != node->children.end()) {
      child = it->second.get();
    }
    if (child == nullptr) return false;
    path.emplace_back(node, level);
    node = child;
    if (levels.done()) target = &node->exact;
  }
  if (!target->Remove(share_name, id)) return false;
  --size_;
  while (!path.empty() && node->empty()) {
    auto [parent, level] = path.back();
    path.pop_back();
    if (level == "+") {
      parent->plus.reset();
    } else {
      parent->children.erase(level);
    }
    node = parent;
  }
  return true;
}

void SubscriptionIndex::ForEachMatch(absl::string_view topic,
                                     absl::FunctionRef<void(uint64_t id)> fn) const {
  if (root_ == nullptr) return;
  // A depth-first walk: the literal branch is followed in place and `+` branches wait here, so the
  // common all-literal path touches no heap.
  struct Pending {
    const Node* node;
    // Start of the next topic level, or topic.size() + 1 once every level is consumed.
    size_t pos;
  };
  absl::InlinedVector<Pending, 16> pending;
  pending.push_back({root_.get(), 0});
  // [MQTT-4.7.2-1]: a `$` topic skips the wildcards at the root, which is where filters starting
  // with a wildcard live.
  const bool dollar_topic = !topic.empty() && topic[0] == '$';
  while (!pending.empty()) {
    const Node* node = pending.back().node;
    size_t pos = pending.back().pos;
    pending.pop_back();
    while (true) {
      const bool skip_wildcards = dollar_topic && node == root_.get();
      // `#` matches the remaining levels, however many, including none.
      if (!skip_wildcards) node->multi.ForEach(fn);
      if (pos > topic.size()) {
        node->exact.ForEach(fn);
        break;
      }
      size_t end = topic.find('/', pos);
      if (end == absl::string_view::npos) end = topic.size();
      const absl::string_view level = topic.substr(pos, end - pos);
      pos = end + 1;
      if (node->plus != nullptr && !skip_wildcards) {
        pending.push_back({node->plus.get(), pos});
      }
      if (node->children.empty()) break;
      auto it = node->children.find(level);
      if (it == node->children.end()) break;
      node = it->second.get();
    }
  }
}

void SubscriptionIndex::Match(absl::string_view topic, std::vector<uint64_t>* out) const {
  ForEachMatch(topic, [out](uint64_t id) { out->push_back(id); });
}

void SubscriptionIndex::Clear() {
  DestroyTree(std::move(root_));
  size_ = 0;
}

}  // namespace ouzel
