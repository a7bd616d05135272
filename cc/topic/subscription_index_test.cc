#include "cc/topic/subscription_index.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "cc/topic/internal/allocation_counter.h"
#include "cc/topic/topic.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<uint64_t> MatchIds(const SubscriptionIndex& index, absl::string_view topic) {
  std::vector<uint64_t> ids;
  index.Match(topic, &ids);
  return ids;
}

TEST(SubscriptionIndex, NewIndex_IsEmptyAndMatchesNothing) {
  SubscriptionIndex index;
  EXPECT_TRUE(index.empty());
  EXPECT_EQ(index.size(), 0u);
  EXPECT_THAT(MatchIds(index, "a"), IsEmpty());
}

TEST(SubscriptionIndex, Add_InvalidFilter_ReturnsValidationErrorAndStoresNothing) {
  SubscriptionIndex index;
  for (absl::string_view filter : {"", "a/#/b", "a+", "$share//a", "$share/g", "a\xFF"}) {
    absl::Status status = index.Add(filter, 1);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << filter;
    EXPECT_EQ(status, ValidateTopicFilter(filter));
  }
  EXPECT_EQ(index.size(), 0u);
  EXPECT_THAT(MatchIds(index, "a"), IsEmpty());
}

TEST(SubscriptionIndex, LiteralFilter_MatchesOnlyEqualTopic) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("sport/tennis", 1).ok());
  EXPECT_THAT(MatchIds(index, "sport/tennis"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(index, "sport/tennis/"), IsEmpty());
  EXPECT_THAT(MatchIds(index, "sport"), IsEmpty());
  EXPECT_THAT(MatchIds(index, "sport/tenni"), IsEmpty());
  EXPECT_THAT(MatchIds(index, "Sport/tennis"), IsEmpty());
}

TEST(SubscriptionIndex, SingleLevelWildcard_MatchesOneLevelIncludingEmpty) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("sport/+", 1).ok());
  ASSERT_TRUE(index.Add("+/+", 2).ok());
  ASSERT_TRUE(index.Add("a/+/b", 3).ok());
  EXPECT_THAT(MatchIds(index, "sport/tennis"), UnorderedElementsAre(1u, 2u));
  EXPECT_THAT(MatchIds(index, "sport/"), UnorderedElementsAre(1u, 2u));
  EXPECT_THAT(MatchIds(index, "sport"), IsEmpty());
  EXPECT_THAT(MatchIds(index, "/finance"), ElementsAre(2u));
  EXPECT_THAT(MatchIds(index, "a//b"), ElementsAre(3u));
  EXPECT_THAT(MatchIds(index, "sport/tennis/player1"), IsEmpty());
}

TEST(SubscriptionIndex, MultiLevelWildcard_MatchesParentLevel) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("sport/tennis/player1/#", 1).ok());
  EXPECT_THAT(MatchIds(index, "sport/tennis/player1"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(index, "sport/tennis/player1/ranking"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(index, "sport/tennis/player1/score/wimbledon"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(index, "sport/tennis"), IsEmpty());
  EXPECT_THAT(MatchIds(index, "sport/tennis/player2"), IsEmpty());
}

TEST(SubscriptionIndex, RootMultiLevelWildcard_MatchesEveryNonDollarTopic) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("#", 1).ok());
  EXPECT_THAT(MatchIds(index, "a"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(index, "/"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(index, "a/b/c/d"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(index, "a/$SYS"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(index, "$SYS/uptime"), IsEmpty());
}

TEST(SubscriptionIndex, DollarTopics_SkipOnlyFiltersStartingWithWildcard) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("#", 1).ok());
  ASSERT_TRUE(index.Add("+/monitor/Clients", 2).ok());
  ASSERT_TRUE(index.Add("$SYS/#", 3).ok());
  ASSERT_TRUE(index.Add("$SYS/monitor/+", 4).ok());
  ASSERT_TRUE(index.Add("$SYS/monitor/Clients", 5).ok());
  ASSERT_TRUE(index.Add("+", 6).ok());
  EXPECT_THAT(MatchIds(index, "$SYS/monitor/Clients"), UnorderedElementsAre(3u, 4u, 5u));
  EXPECT_THAT(MatchIds(index, "$SYS"), ElementsAre(3u));
  EXPECT_THAT(MatchIds(index, "x/monitor/Clients"), UnorderedElementsAre(1u, 2u));
}

TEST(SubscriptionIndex, SameFilterWithSeveralIds_ReturnsEach) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("a/+", 1).ok());
  ASSERT_TRUE(index.Add("a/+", 2).ok());
  ASSERT_TRUE(index.Add("a/+", 3).ok());
  EXPECT_EQ(index.size(), 3u);
  EXPECT_THAT(MatchIds(index, "a/b"), UnorderedElementsAre(1u, 2u, 3u));
}

TEST(SubscriptionIndex, SameIdUnderSeveralFilters_ReturnedOncePerMatchingFilter) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("a/b", 7).ok());
  ASSERT_TRUE(index.Add("a/+", 7).ok());
  ASSERT_TRUE(index.Add("a/#", 7).ok());
  ASSERT_TRUE(index.Add("c", 7).ok());
  EXPECT_EQ(index.size(), 4u);
  EXPECT_THAT(MatchIds(index, "a/b"), ElementsAre(7u, 7u, 7u));
  EXPECT_THAT(MatchIds(index, "a"), ElementsAre(7u));
}

TEST(SubscriptionIndex, AddingStoredPairAgain_ChangesNothing) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("a/#", 1).ok());
  ASSERT_TRUE(index.Add("a/#", 1).ok());
  EXPECT_EQ(index.size(), 1u);
  EXPECT_THAT(MatchIds(index, "a/b"), ElementsAre(1u));
  EXPECT_TRUE(index.Remove("a/#", 1));
  EXPECT_THAT(MatchIds(index, "a/b"), IsEmpty());
}

TEST(SubscriptionIndex, Remove_TakesOutOnlyThatPair) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("a/+", 1).ok());
  ASSERT_TRUE(index.Add("a/+", 2).ok());
  ASSERT_TRUE(index.Add("a/b", 1).ok());
  EXPECT_TRUE(index.Remove("a/+", 1));
  EXPECT_EQ(index.size(), 2u);
  EXPECT_THAT(MatchIds(index, "a/b"), UnorderedElementsAre(1u, 2u));
  EXPECT_THAT(MatchIds(index, "a/c"), ElementsAre(2u));
}

TEST(SubscriptionIndex, Remove_UnknownPair_ReturnsFalse) {
  SubscriptionIndex index;
  EXPECT_FALSE(index.Remove("a", 1));
  ASSERT_TRUE(index.Add("a/b", 1).ok());
  EXPECT_FALSE(index.Remove("a/b", 2));
  EXPECT_FALSE(index.Remove("a", 1));
  EXPECT_FALSE(index.Remove("a/b/c", 1));
  EXPECT_FALSE(index.Remove("a/+", 1));
  EXPECT_FALSE(index.Remove("a/b/#", 1));
  EXPECT_FALSE(index.Remove("$share/g/a/b", 1));
  EXPECT_FALSE(index.Remove("a/#/b", 1));  // invalid, so never stored
  EXPECT_EQ(index.size(), 1u);
  EXPECT_THAT(MatchIds(index, "a/b"), ElementsAre(1u));
}

TEST(SubscriptionIndex, RemovingDeeperFilter_KeepsFiltersOnItsPath) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("a/b", 1).ok());
  ASSERT_TRUE(index.Add("a/b/c/d", 2).ok());
  ASSERT_TRUE(index.Add("a/b/#", 3).ok());
  ASSERT_TRUE(index.Add("a/+/c", 4).ok());
  EXPECT_TRUE(index.Remove("a/b/c/d", 2));
  EXPECT_THAT(MatchIds(index, "a/b"), UnorderedElementsAre(1u, 3u));
  EXPECT_THAT(MatchIds(index, "a/b/c"), UnorderedElementsAre(3u, 4u));
  EXPECT_TRUE(index.Remove("a/b", 1));
  EXPECT_TRUE(index.Remove("a/b/#", 3));
  EXPECT_THAT(MatchIds(index, "a/b/c"), ElementsAre(4u));
  EXPECT_TRUE(index.Remove("a/+/c", 4));
  EXPECT_TRUE(index.empty());
  // The emptied trie accepts the same filters again.
  ASSERT_TRUE(index.Add("a/b/c/d", 2).ok());
  EXPECT_THAT(MatchIds(index, "a/b/c/d"), ElementsAre(2u));
}

TEST(SubscriptionIndex, SharedFilter_MatchesOnInnerFilter) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("$share/group/sport/+", 1).ok());
  ASSERT_TRUE(index.Add("$share/group/#", 2).ok());
  ASSERT_TRUE(index.Add("$share/other/$SYS/#", 3).ok());
  EXPECT_THAT(MatchIds(index, "sport/tennis"), UnorderedElementsAre(1u, 2u));
  EXPECT_THAT(MatchIds(index, "$SYS/uptime"), ElementsAre(3u));
  EXPECT_THAT(MatchIds(index, "$share/group/sport/tennis"), IsEmpty());
}

TEST(SubscriptionIndex, SharedAndPlainFilterWithSameIdAndInnerFilter_AreDistinct) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("$share/g/a", 1).ok());
  ASSERT_TRUE(index.Add("$share/h/a", 1).ok());
  ASSERT_TRUE(index.Add("a", 1).ok());
  EXPECT_EQ(index.size(), 3u);
  EXPECT_THAT(MatchIds(index, "a"), ElementsAre(1u, 1u, 1u));
  EXPECT_TRUE(index.Remove("a", 1));
  EXPECT_FALSE(index.Remove("a", 1));
  EXPECT_FALSE(index.Remove("$share/x/a", 1));
  EXPECT_THAT(MatchIds(index, "a"), ElementsAre(1u, 1u));
  EXPECT_TRUE(index.Remove("$share/g/a", 1));
  EXPECT_THAT(MatchIds(index, "a"), ElementsAre(1u));
  EXPECT_TRUE(index.Remove("$share/h/a", 1));
  EXPECT_TRUE(index.empty());
}

TEST(SubscriptionIndex, Match_AppendsWithoutClearingOutput) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("a", 2).ok());
  std::vector<uint64_t> ids = {9};
  index.Match("a", &ids);
  EXPECT_THAT(ids, ElementsAre(9u, 2u));
}

TEST(SubscriptionIndex, ForEachMatch_ReportsSamePairsAsMatch) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("a/#", 1).ok());
  ASSERT_TRUE(index.Add("+/b", 2).ok());
  ASSERT_TRUE(index.Add("a/c", 3).ok());
  std::vector<uint64_t> seen;
  index.ForEachMatch("a/b", [&seen](uint64_t id) { seen.push_back(id); });
  EXPECT_THAT(seen, UnorderedElementsAre(1u, 2u));
}

TEST(SubscriptionIndex, Clear_RemovesEverythingAndStaysUsable) {
  SubscriptionIndex index;
  ASSERT_TRUE(index.Add("a/#", 1).ok());
  ASSERT_TRUE(index.Add("b", 2).ok());
  index.Clear();
  EXPECT_TRUE(index.empty());
  EXPECT_THAT(MatchIds(index, "a/x"), IsEmpty());
  EXPECT_THAT(MatchIds(index, "b"), IsEmpty());
  ASSERT_TRUE(index.Add("b", 3).ok());
  EXPECT_THAT(MatchIds(index, "b"), ElementsAre(3u));
}

TEST(SubscriptionIndex, Move_TransfersFiltersAndLeavesSourceEmpty) {
  SubscriptionIndex source;
  ASSERT_TRUE(source.Add("a/+", 1).ok());
  SubscriptionIndex moved(std::move(source));
  EXPECT_EQ(moved.size(), 1u);
  EXPECT_THAT(MatchIds(moved, "a/b"), ElementsAre(1u));
  // Pinning the moved-from state is the point here.
  // NOLINTNEXTLINE(bugprone-use-after-move)
  EXPECT_EQ(source.size(), 0u);
  EXPECT_THAT(MatchIds(source, "a/b"), IsEmpty());
  ASSERT_TRUE(source.Add("x", 2).ok());

  SubscriptionIndex assigned;
  ASSERT_TRUE(assigned.Add("old", 3).ok());
  assigned = std::move(moved);
  EXPECT_THAT(MatchIds(assigned, "a/b"), ElementsAre(1u));
  EXPECT_THAT(MatchIds(assigned, "old"), IsEmpty());
}

TEST(SubscriptionIndex, LongestFilters_AddMatchAndDestroyWithoutRecursion) {
  // 32,768 levels: deep enough that a recursive walk or destructor would risk the stack, and more
  // `+` branches than Match keeps inline.
  std::string pluses = "+";
  while (pluses.size() + 2 <= kMaxTopicLength) pluses += "/+";
  const std::string slashes(pluses.size() / 2, '/');
  auto index = std::make_unique<SubscriptionIndex>();
  ASSERT_TRUE(index->Add(pluses, 1).ok());
  ASSERT_TRUE(index->Add(slashes, 2).ok());
  ASSERT_TRUE(index->Add(slashes + "/#", 3).ok());
  EXPECT_THAT(MatchIds(*index, slashes), UnorderedElementsAre(1u, 2u, 3u));
  EXPECT_THAT(MatchIds(*index, slashes + "/"), ElementsAre(3u));
  index.reset();
}

TEST(SubscriptionIndex, Match_LiteralAndWildcardPaths_DoNotAllocateBeyondOutput) {
  SubscriptionIndex index;
  for (uint64_t i = 0; i < 100; ++i) {
    ASSERT_TRUE(index.Add("site/" + std::to_string(i) + "/device/+/temp", i).ok());
  }
  ASSERT_TRUE(index.Add("site/7/device/42/temp", 1000).ok());
  ASSERT_TRUE(index.Add("site/#", 1001).ok());
  ASSERT_TRUE(index.Add("+/+/+/+/+", 1002).ok());
  std::vector<uint64_t> ids;
  ids.reserve(16);
  const size_t before = topic_internal::AllocationCount();
  index.Match("site/7/device/42/temp", &ids);
  index.Match("site/8/device/42/humidity", &ids);
  const size_t after = topic_internal::AllocationCount();
  EXPECT_EQ(after, before);
  EXPECT_THAT(ids, UnorderedElementsAre(7u, 1000u, 1001u, 1002u, 1001u, 1002u));
}

// The index must agree with TopicMatchesFilter, pair by pair, on random filters and topics drawn
// from a small alphabet so that collisions, empty levels, `$` topics and shared filters all occur.
class RandomizedCrossCheck : public ::testing::Test {
 protected:
  std::string RandomLevels(bool filter) {
    std::string s;
    // A lone empty level is the empty string, which is neither a valid topic nor a valid filter.
    while (s.empty()) s = RandomLevelsMaybeEmpty(filter);
    return s;
  }

  std::string RandomLevelsMaybeEmpty(bool filter) {
    static const char* const kTopicLevels[] = {"a", "b", "c", "", "$SYS", "$x", "a$"};
    std::string s;
    const int levels = 1 + rng_() % 5;
    for (int i = 0; i < levels; ++i) {
      if (i > 0) s += '/';
      if (filter && rng_() % 4 == 0) {
        s += '+';
      } else if (filter && i == levels - 1 && rng_() % 4 == 0) {
        s += '#';
      } else {
        s += kTopicLevels[rng_() % 7];
      }
    }
    return s;
  }

  std::string RandomFilter() {
    std::string filter = RandomLevels(/*filter=*/true);
    if (rng_() % 8 == 0) filter = std::string("$share/") + "gh"[rng_() % 2] + "/" + filter;
    return filter;
  }

  void ExpectIndexAgreesWithBruteForce(const SubscriptionIndex& index,
                                       const std::set<std::pair<std::string, uint64_t>>& model,
                                       const std::vector<std::string>& topics) {
    ASSERT_EQ(index.size(), model.size());
    int mismatches = 0;
    for (const std::string& topic : topics) {
      std::vector<uint64_t> expected;
      for (const auto& [filter, id] : model) {
        if (TopicMatchesFilter(filter, topic)) expected.push_back(id);
      }
      std::vector<uint64_t> actual = MatchIds(index, topic);
      std::sort(expected.begin(), expected.end());
      std::sort(actual.begin(), actual.end());
      if (actual != expected && ++mismatches <= 5) {
        ADD_FAILURE() << "topic \"" << topic << "\": index found " << actual.size()
                      << " ids, brute force " << expected.size();
      }
    }
    EXPECT_EQ(mismatches, 0);
  }

  std::mt19937_64 rng_{20220623};
};

TEST_F(RandomizedCrossCheck, IndexAgreesWithTopicMatchesFilter_BeforeAndAfterRemovals) {
  SubscriptionIndex index;
  std::set<std::pair<std::string, uint64_t>> model;
  std::vector<std::pair<std::string, uint64_t>> added;
  for (int i = 0; i < 3000; ++i) {
    std::string filter = RandomFilter();
    ASSERT_TRUE(ValidateTopicFilter(filter).ok()) << filter;
    // Few distinct ids, so ids repeat across filters and pairs repeat outright.
    const uint64_t id = rng_() % 500;
    ASSERT_TRUE(index.Add(filter, id).ok());
    model.emplace(filter, id);
    added.emplace_back(filter, id);
  }
  std::vector<std::string> topics;
  for (int i = 0; i < 1500; ++i) {
    topics.push_back(RandomLevels(/*filter=*/false));
    ASSERT_TRUE(ValidateTopicName(topics.back()).ok()) << topics.back();
  }
  ExpectIndexAgreesWithBruteForce(index, model, topics);

  std::shuffle(added.begin(), added.end(), rng_);
  for (size_t i = 0; i < added.size() / 2; ++i) {
    const bool stored = model.erase(added[i]) == 1;
    EXPECT_EQ(index.Remove(added[i].first, added[i].second), stored) << added[i].first;
  }
  ExpectIndexAgreesWithBruteForce(index, model, topics);

  for (const auto& [filter, id] : std::set<std::pair<std::string, uint64_t>>(model)) {
    EXPECT_TRUE(index.Remove(filter, id)) << filter;
  }
  EXPECT_TRUE(index.empty());
  for (const std::string& topic : topics) EXPECT_THAT(MatchIds(index, topic), IsEmpty());
}

}  // namespace
}  // namespace ouzel
