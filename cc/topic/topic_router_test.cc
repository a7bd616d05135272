#include "cc/topic/topic_router.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cc/topic/topic.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<uint64_t> Ids(const TopicRouter& router, absl::string_view topic) {
  std::vector<uint64_t> ids = {999};  // Match must replace, not append
  router.Match(topic, &ids);
  return ids;
}

TEST(TopicRouter, Add_InvalidFilter_IsRefusedWithTheValidatorsError) {
  TopicRouter router;
  for (absl::string_view filter :
       {"", "sport/tennis#", "sport/tennis/#/ranking", "sport+", "$share/g", "$share//a"}) {
    EXPECT_EQ(router.Add(filter, 1), ValidateTopicFilter(filter)) << filter;
  }
  EXPECT_EQ(router.size(), 0u);
  EXPECT_THAT(Ids(router, "sport/tennis"), IsEmpty());
}

// MQTT 5.0 section 4.7.1.2, the multi-level wildcard examples.
TEST(TopicRouter, SpecMultiLevelExamples) {
  TopicRouter router;
  ASSERT_TRUE(router.Add("sport/tennis/player1/#", 1).ok());
  ASSERT_TRUE(router.Add("sport/#", 2).ok());
  ASSERT_TRUE(router.Add("#", 3).ok());
  EXPECT_THAT(Ids(router, "sport/tennis/player1"), ElementsAre(1, 2, 3));
  EXPECT_THAT(Ids(router, "sport/tennis/player1/ranking"), ElementsAre(1, 2, 3));
  EXPECT_THAT(Ids(router, "sport/tennis/player1/score/wimbledon"), ElementsAre(1, 2, 3));
  EXPECT_THAT(Ids(router, "sport"), ElementsAre(2, 3));
  EXPECT_THAT(Ids(router, "finance"), ElementsAre(3));
}

// MQTT 5.0 section 4.7.1.3, the single-level wildcard examples.
TEST(TopicRouter, SpecSingleLevelExamples) {
  TopicRouter router;
  ASSERT_TRUE(router.Add("sport/tennis/+", 1).ok());
  ASSERT_TRUE(router.Add("sport/+", 2).ok());
  ASSERT_TRUE(router.Add("+/+", 3).ok());
  ASSERT_TRUE(router.Add("/+", 4).ok());
  ASSERT_TRUE(router.Add("+", 5).ok());
  EXPECT_THAT(Ids(router, "sport/tennis/player1"), ElementsAre(1));
  EXPECT_THAT(Ids(router, "sport/tennis/player2"), ElementsAre(1));
  EXPECT_THAT(Ids(router, "sport/tennis/player1/ranking"), IsEmpty());
  EXPECT_THAT(Ids(router, "sport"), ElementsAre(5));
  EXPECT_THAT(Ids(router, "sport/"), ElementsAre(2, 3));
  // "/finance" matches "+/+" and "/+", but not "+".
  EXPECT_THAT(Ids(router, "/finance"), ElementsAre(4, 3));
}

// MQTT 5.0 section 4.7.2: wildcards at the first level do not match topics starting with '$'.
TEST(TopicRouter, SpecDollarTopicExamples) {
  TopicRouter router;
  ASSERT_TRUE(router.Add("#", 1).ok());
  ASSERT_TRUE(router.Add("+/monitor/Clients", 2).ok());
  ASSERT_TRUE(router.Add("$SYS/#", 3).ok());
  ASSERT_TRUE(router.Add("$SYS/monitor/+", 4).ok());
  EXPECT_THAT(Ids(router, "$SYS/monitor/Clients"), ElementsAre(4, 3));
  EXPECT_THAT(Ids(router, "a/monitor/Clients"), ElementsAre(2, 1));
}

TEST(TopicRouter, SharedFilter_MatchesAsItsFilter_AndIsADifferentPair) {
  TopicRouter router;
  ASSERT_TRUE(router.Add("$share/consumer1/sport/tennis/+", 1).ok());
  ASSERT_TRUE(router.Add("$share/consumer2/sport/tennis/+", 2).ok());
  ASSERT_TRUE(router.Add("$share/consumer1//finance", 3).ok());
  ASSERT_TRUE(router.Add("sport/tennis/+", 1).ok());
  EXPECT_EQ(router.size(), 4u);
  EXPECT_THAT(Ids(router, "sport/tennis/player1"), ElementsAre(1, 2));
  EXPECT_THAT(Ids(router, "/finance"), ElementsAre(3));
  EXPECT_TRUE(router.Remove("sport/tennis/+", 1));
  EXPECT_THAT(Ids(router, "sport/tennis/player1"), ElementsAre(1, 2));
  EXPECT_TRUE(router.Remove("$share/consumer1/sport/tennis/+", 1));
  EXPECT_THAT(Ids(router, "sport/tennis/player1"), ElementsAre(2));
}

// paho-mqtt's MQTTMatcher walks its trie literal child first, then '+', then '#', and yields a
// filter ending at a level before that level's '#'.
TEST(TopicRouter, Order_MostSpecificFirst_LikePaho_WhateverTheOrderOfAdding) {
  const std::vector<std::string> in_paho_order = {"a/b/c", "a/b/+", "a/b/#", "a/+/c",
                                                  "a/+/#", "a/#",   "+/b/c", "#"};
  for (int rotation = 0; rotation < 8; ++rotation) {
    TopicRouter router;
    for (int i = 0; i < 8; ++i) {
      const int k = (i + rotation) % 8;
      // Ids descend along paho's order, so ascending ids could not produce it by accident.
      ASSERT_TRUE(router.Add(in_paho_order[k], 100 - k).ok());
    }
    EXPECT_THAT(Ids(router, "a/b/c"), ElementsAre(100, 99, 98, 97, 96, 95, 94, 93)) << rotation;
  }
  TopicRouter ends;
  ASSERT_TRUE(ends.Add("a/#", 1).ok());
  ASSERT_TRUE(ends.Add("a", 2).ok());
  EXPECT_THAT(Ids(ends, "a"), ElementsAre(2, 1));
}

TEST(TopicRouter, SameFilterSeveralIds_Ascending_AndIdUnderTwoFiltersOnce) {
  TopicRouter router;
  ASSERT_TRUE(router.Add("a/+", 7).ok());
  ASSERT_TRUE(router.Add("a/+", 3).ok());
  ASSERT_TRUE(router.Add("a/b", 7).ok());
  ASSERT_TRUE(router.Add("a/+", 3).ok());  // already there: nothing changes
  EXPECT_EQ(router.size(), 3u);
  // 7 sits under "a/b" (more specific) and "a/+": it appears once, at its first place.
  EXPECT_THAT(Ids(router, "a/b"), ElementsAre(7, 3));
  EXPECT_THAT(Ids(router, "a/c"), ElementsAre(3, 7));
}

TEST(TopicRouter, ManyMatches_DeduplicatedBeyondTheLinearScan) {
  TopicRouter router;
  for (uint64_t id = 0; id < 40; ++id) {
    ASSERT_TRUE(router.Add("x/+", id).ok());
    ASSERT_TRUE(router.Add("x/#", id).ok());
  }
  std::vector<uint64_t> ids = Ids(router, "x/y");
  ASSERT_EQ(ids.size(), 40u);
  for (uint64_t id = 0; id < 40; ++id) EXPECT_EQ(ids[id], id);
}

TEST(TopicRouter, Remove_UnknownPair_IsFalse_AndSlotsAreReused) {
  TopicRouter router;
  EXPECT_FALSE(router.Remove("a", 1));
  EXPECT_FALSE(router.Remove("a/#/b", 1));
  ASSERT_TRUE(router.Add("a", 1).ok());
  EXPECT_FALSE(router.Remove("a", 2));
  EXPECT_FALSE(router.Remove("$share/g/a", 1));
  for (int round = 0; round < 100; ++round) {
    ASSERT_TRUE(router.Add("b/+", 2).ok());
    EXPECT_THAT(Ids(router, "b/c"), ElementsAre(2));
    ASSERT_TRUE(router.Remove("b/+", 2));
    EXPECT_THAT(Ids(router, "b/c"), IsEmpty());
  }
  EXPECT_EQ(router.size(), 1u);
  EXPECT_THAT(Ids(router, "a"), ElementsAre(1));
}

}  // namespace
}  // namespace ouzel
