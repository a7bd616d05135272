// ouzel/topic.h called as a C program would, against the examples of MQTT 5.0 sections 4.7
// (topic names and filters) and 4.8.2 (shared subscriptions).
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"

namespace {

int Matches(const char* filter, const char* topic) {
  return ouzel_topic_matches(filter, SIZE_MAX, topic, SIZE_MAX);
}

std::string LastError() { return ouzel_last_error_message(); }

// Section 4.7.1.2, the multi-level wildcard.
TEST(CapiTopic, SpecMultiLevelWildcardExamples) {
  EXPECT_EQ(Matches("sport/tennis/player1/#", "sport/tennis/player1"), 1);
  EXPECT_EQ(Matches("sport/tennis/player1/#", "sport/tennis/player1/ranking"), 1);
  EXPECT_EQ(Matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"), 1);
  EXPECT_EQ(Matches("sport/#", "sport"), 1);
  EXPECT_EQ(Matches("#", "sport/tennis"), 1);
  EXPECT_EQ(ouzel_topic_validate_filter("#", SIZE_MAX), OUZEL_OK);
  EXPECT_EQ(ouzel_topic_validate_filter("sport/tennis/#", SIZE_MAX), OUZEL_OK);
  EXPECT_EQ(ouzel_topic_validate_filter("sport/tennis#", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("'#'"), std::string::npos) << LastError();
  EXPECT_NE(LastError().find("at byte 12"), std::string::npos) << LastError();
  EXPECT_NE(LastError().find("[MQTT-4.7.1-2]"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_topic_validate_filter("sport/tennis/#/ranking", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("at byte 13"), std::string::npos) << LastError();
}

// Section 4.7.1.3, the single-level wildcard.
TEST(CapiTopic, SpecSingleLevelWildcardExamples) {
  EXPECT_EQ(Matches("sport/tennis/+", "sport/tennis/player1"), 1);
  EXPECT_EQ(Matches("sport/tennis/+", "sport/tennis/player2"), 1);
  EXPECT_EQ(Matches("sport/tennis/+", "sport/tennis/player1/ranking"), 0);
  EXPECT_EQ(Matches("sport/+", "sport"), 0);
  EXPECT_EQ(Matches("sport/+", "sport/"), 1);
  for (const char* valid : {"+", "+/tennis/#", "sport/+/player1"}) {
    EXPECT_EQ(ouzel_topic_validate_filter(valid, SIZE_MAX), OUZEL_OK) << valid;
  }
  EXPECT_EQ(ouzel_topic_validate_filter("sport+", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("[MQTT-4.7.1-3]"), std::string::npos) << LastError();
  EXPECT_EQ(Matches("+/+", "/finance"), 1);
  EXPECT_EQ(Matches("/+", "/finance"), 1);
  EXPECT_EQ(Matches("+", "/finance"), 0);
}

// Section 4.7.2, topics beginning with '$'.
TEST(CapiTopic, SpecDollarTopicExamples) {
  EXPECT_EQ(Matches("#", "$SYS/monitor/Clients"), 0);
  EXPECT_EQ(Matches("+/monitor/Clients", "$SYS/monitor/Clients"), 0);
  EXPECT_EQ(Matches("$SYS/#", "$SYS/monitor/Clients"), 1);
  EXPECT_EQ(Matches("$SYS/monitor/+", "$SYS/monitor/Clients"), 1);
}

// Section 4.7.3, topic semantics.
TEST(CapiTopic, SpecTopicSemanticsExamples) {
  EXPECT_EQ(Matches("ACCOUNTS", "Accounts"), 0);
  EXPECT_EQ(Matches("Accounts", "Accounts"), 1);
  EXPECT_EQ(ouzel_topic_validate_name("Accounts payable", SIZE_MAX), OUZEL_OK);
  EXPECT_EQ(Matches("/finance", "finance"), 0);
  EXPECT_EQ(ouzel_topic_validate_name("", 0), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("[MQTT-4.7.3-1]"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_topic_validate_name("a\0b", 3), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("U+0000 at byte 1"), std::string::npos) << LastError();
  const std::string longest(65535, 'a');
  EXPECT_EQ(ouzel_topic_validate_name(longest.data(), longest.size()), OUZEL_OK);
  const std::string too_long(65536, 'a');
  EXPECT_EQ(ouzel_topic_validate_name(too_long.data(), too_long.size()), OUZEL_EINVAL);
}

// Section 4.8.2: a shared subscription matches as the filter after its share name.
TEST(CapiTopic, SharedSubscriptionMatchesAsItsFilter) {
  EXPECT_EQ(Matches("$share/consumer1/sport/tennis/+", "sport/tennis/player1"), 1);
  EXPECT_EQ(Matches("$share/consumer1//finance", "/finance"), 1);
  EXPECT_EQ(Matches("$share/consumer1/sport/#", "$share/consumer1/sport"), 0);
  EXPECT_EQ(ouzel_topic_validate_filter("$share/a+b/x", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_topic_validate_filter("$share/g", SIZE_MAX), OUZEL_EINVAL);
}

TEST(CapiTopic, NamesRefuseWildcards_FiltersAndTopicsAreCheckedByMatches) {
  EXPECT_EQ(ouzel_topic_validate_name("a/+/b", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("topic name"), std::string::npos) << LastError();
  EXPECT_NE(LastError().find("at byte 2"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_topic_validate_name("a/#", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_EQ(Matches("a/#/b", "a/x/b"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("topic filter"), std::string::npos) << LastError();
  EXPECT_EQ(Matches("a/+", "a/+"), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("topic name"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_topic_validate_name("a/\xff", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("UTF-8"), std::string::npos) << LastError();
  // Lengths are honoured: the bytes after them are not read.
  EXPECT_EQ(ouzel_topic_matches("a/+/zzz", 3, "a/b#", 3), 1);
}

TEST(CapiTopic, NullPointers) {
  EXPECT_EQ(ouzel_topic_validate_name(nullptr, SIZE_MAX), OUZEL_EINVAL);
  EXPECT_EQ(LastError(), "topic is NULL");
  EXPECT_EQ(ouzel_topic_validate_name(nullptr, 0), OUZEL_EINVAL);  // "" is not a topic
  EXPECT_EQ(ouzel_topic_validate_filter(nullptr, 5), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_topic_matches(nullptr, SIZE_MAX, "a", 1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_topic_matches("a", 1, nullptr, SIZE_MAX), OUZEL_EINVAL);
}

struct Router {
  ouzel_topic_router* r = nullptr;
  Router() { EXPECT_EQ(ouzel_topic_router_new(&r), OUZEL_OK); }
  ~Router() { ouzel_topic_router_free(r); }
  std::vector<uint64_t> Match(const char* topic) const {
    size_t total = 0;
    std::vector<uint64_t> ids(2);
    int rc = ouzel_topic_router_match(r, topic, SIZE_MAX, ids.data(), ids.size(), &total);
    EXPECT_EQ(rc, OUZEL_OK);
    if (total > ids.size()) {  // the documented retry
      ids.resize(total);
      rc = ouzel_topic_router_match(r, topic, SIZE_MAX, ids.data(), ids.size(), &total);
      EXPECT_EQ(rc, OUZEL_OK);
    }
    ids.resize(total);
    return ids;
  }
};

TEST(CapiTopicRouter, RoutesSpecExamplesMostSpecificFirst) {
  Router router;
  ASSERT_EQ(ouzel_topic_router_add(router.r, "sport/tennis/player1/#", SIZE_MAX, 1), OUZEL_OK);
  ASSERT_EQ(ouzel_topic_router_add(router.r, "sport/#", SIZE_MAX, 2), OUZEL_OK);
  ASSERT_EQ(ouzel_topic_router_add(router.r, "#", SIZE_MAX, 3), OUZEL_OK);
  ASSERT_EQ(ouzel_topic_router_add(router.r, "sport/tennis/+", SIZE_MAX, 4), OUZEL_OK);
  ASSERT_EQ(ouzel_topic_router_add(router.r, "$SYS/#", SIZE_MAX, 5), OUZEL_OK);
  ASSERT_EQ(ouzel_topic_router_add(router.r, "$share/g/sport/tennis/+", SIZE_MAX, 6), OUZEL_OK);
  EXPECT_EQ(ouzel_topic_router_count(router.r), 6u);
  EXPECT_EQ(router.Match("sport/tennis/player1"), (std::vector<uint64_t>{1, 4, 6, 2, 3}));
  EXPECT_EQ(router.Match("sport/tennis/player1/ranking"), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(router.Match("sport"), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(router.Match("$SYS/monitor/Clients"), (std::vector<uint64_t>{5}));
  EXPECT_EQ(router.Match("finance"), (std::vector<uint64_t>{3}));
}

TEST(CapiTopicRouter, TotalWithoutAnArray_AndTruncatedFill) {
  Router router;
  for (uint64_t id = 10; id > 0; --id) {
    ASSERT_EQ(ouzel_topic_router_add(router.r, "a/+", 3, id), OUZEL_OK);
  }
  size_t total = 99;
  EXPECT_EQ(ouzel_topic_router_match(router.r, "a/b", 3, nullptr, 0, &total), OUZEL_OK);
  EXPECT_EQ(total, 10u);
  uint64_t ids[3] = {0, 0, 0};
  EXPECT_EQ(ouzel_topic_router_match(router.r, "a/b", 3, ids, 3, &total), OUZEL_OK);
  EXPECT_EQ(total, 10u);
  EXPECT_EQ(ids[0], 1u);
  EXPECT_EQ(ids[2], 3u);
  EXPECT_EQ(ouzel_topic_router_match(router.r, "b", 1, ids, 3, &total), OUZEL_OK);
  EXPECT_EQ(total, 0u);
}

TEST(CapiTopicRouter, ErrorsChangeNothing) {
  Router router;
  ASSERT_EQ(ouzel_topic_router_add(router.r, "a/b", SIZE_MAX, 1), OUZEL_OK);
  EXPECT_EQ(ouzel_topic_router_add(router.r, "a/#/b", SIZE_MAX, 2), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("[MQTT-4.7.1-2]"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_topic_router_add(nullptr, "a", SIZE_MAX, 2), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_topic_router_add(router.r, nullptr, SIZE_MAX, 2), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_topic_router_remove(router.r, "a/b", SIZE_MAX, 2), OUZEL_ENOTFOUND);
  EXPECT_NE(LastError().find("'a/b' with id 2"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_topic_router_remove(router.r, "a/#/b", SIZE_MAX, 2), OUZEL_ENOTFOUND);
  EXPECT_EQ(ouzel_topic_router_count(router.r), 1u);
  size_t total = 7;
  uint64_t id = 0;
  EXPECT_EQ(ouzel_topic_router_match(router.r, "a/+", SIZE_MAX, &id, 1, &total), OUZEL_EINVAL);
  EXPECT_EQ(total, 0u);
  EXPECT_NE(LastError().find("topic name"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_topic_router_match(router.r, "a/b", SIZE_MAX, nullptr, 1, &total), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_topic_router_match(router.r, "a/b", SIZE_MAX, &id, 1, nullptr), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_topic_router_match(nullptr, "a/b", SIZE_MAX, &id, 1, &total), OUZEL_EINVAL);
  EXPECT_EQ(router.Match("a/b"), (std::vector<uint64_t>{1}));
  EXPECT_EQ(ouzel_topic_router_remove(router.r, "a/b", SIZE_MAX, 1), OUZEL_OK);
  EXPECT_EQ(ouzel_topic_router_count(router.r), 0u);
  EXPECT_EQ(ouzel_topic_router_count(nullptr), 0u);
  EXPECT_EQ(ouzel_topic_router_new(nullptr), OUZEL_EINVAL);
  ouzel_topic_router_free(nullptr);
}

// Matches from several threads at once on one router (the documented thread-compatibility; TSan
// checks it under --config=tsan).
TEST(CapiTopicRouter, ConcurrentMatches) {
  Router router;
  for (uint64_t id = 0; id < 100; ++id) {
    const std::string filter = "site/" + std::to_string(id) + "/+";
    ASSERT_EQ(ouzel_topic_router_add(router.r, filter.data(), filter.size(), id), OUZEL_OK);
  }
  ASSERT_EQ(ouzel_topic_router_add(router.r, "site/#", SIZE_MAX, 1000), OUZEL_OK);
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string topic = "site/" + std::to_string(i % 100) + "/temp";
        uint64_t ids[4];
        size_t total = 0;
        if (ouzel_topic_router_match(router.r, topic.data(), topic.size(), ids, 4, &total) !=
                OUZEL_OK ||
            total != 2 || ids[0] != static_cast<uint64_t>(i % 100) || ids[1] != 1000) {
          ++wrong[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
