#include "cc/topic/topic_router.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "cc/base/status_macros.h"
#include "cc/topic/internal/level_cursor.h"
#include "cc/topic/topic.h"

namespace ouzel {
namespace {

// Rank of one level when two matching filters are compared: a filter that has ended (-1) before
// a literal level (0), before `+` (1), before `#` (2). Two literal levels of filters matching the
// same topic are equal: both equal the topic's level.
int LevelRank(topic_internal::LevelCursor& levels) {
  if (levels.done()) return -1;
  const absl::string_view level = levels.Next();
  if (level == "#") return 2;
  if (level == "+") return 1;
  return 0;
}

absl::string_view WithoutShare(absl::string_view filter) {
  if (std::optional<SharedFilter> shared = ParseSharedSubscription(filter)) return shared->filter;
  return filter;
}

// <0, 0 or >0 as `a` comes before, ties with or comes after `b` (both match one topic).
int CompareSpecificity(absl::string_view a, absl::string_view b) {
  topic_internal::LevelCursor la(WithoutShare(a));
  topic_internal::LevelCursor lb(WithoutShare(b));
  while (!la.done() || !lb.done()) {
    const int ra = LevelRank(la);
    const int rb = LevelRank(lb);
    if (ra != rb) return ra - rb;
  }
  return 0;
}

// Above this many matches, duplicates are found with a hash set instead of a linear scan.
constexpr size_t kLinearDedupLimit = 16;

}  // namespace

absl::Status TopicRouter::Add(absl::string_view filter, uint64_t id) {
  OUZEL_RETURN_IF_ERROR(ValidateTopicFilter(filter));
  auto [it, inserted] = slots_by_pair_.try_emplace(std::make_pair(std::string(filter), id), 0);
  if (!inserted) return absl::OkStatus();
  uint64_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = slots_.size();
    slots_.emplace_back();
  }
  absl::Status added = index_.Add(filter, slot);
  if (!added.ok()) {  // unreachable after validation; keep the maps consistent anyway
    slots_by_pair_.erase(it);
    free_slots_.push_back(slot);
    return added;
  }
  slots_[slot] = Slot{std::string(filter), id};
  it->second = slot;
  return absl::OkStatus();
}

bool TopicRouter::Remove(absl::string_view filter, uint64_t id) {
  auto it = slots_by_pair_.find(std::make_pair(std::string(filter), id));
  if (it == slots_by_pair_.end()) return false;
  const uint64_t slot = it->second;
  index_.Remove(filter, slot);
  slots_by_pair_.erase(it);
  slots_[slot] = Slot{};
  free_slots_.push_back(slot);
  return true;
}

void TopicRouter::Match(absl::string_view topic, std::vector<uint64_t>* out) const {
  out->clear();
  absl::InlinedVector<uint64_t, 8> slots;
  index_.ForEachMatch(topic, [&slots](uint64_t slot) { slots.push_back(slot); });
  if (slots.size() == 1) {
    out->push_back(slots_[slots[0]].id);
    return;
  }
  std::sort(slots.begin(), slots.end(), [this](uint64_t a, uint64_t b) {
    const Slot& sa = slots_[a];
    const Slot& sb = slots_[b];
    const int c = CompareSpecificity(sa.filter, sb.filter);
    if (c != 0) return c < 0;
    return sa.id < sb.id;
  });
  out->reserve(slots.size());
  if (slots.size() <= kLinearDedupLimit) {
    for (uint64_t slot : slots) {
      const uint64_t id = slots_[slot].id;
      if (std::find(out->begin(), out->end(), id) == out->end()) out->push_back(id);
    }
    return;
  }
  absl::flat_hash_set<uint64_t> seen;
  for (uint64_t slot : slots) {
    const uint64_t id = slots_[slot].id;
    if (seen.insert(id).second) out->push_back(id);
  }
}

}  // namespace ouzel
