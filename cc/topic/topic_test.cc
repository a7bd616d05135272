#include "cc/topic/topic.h"

#include <optional>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cc/topic/internal/allocation_counter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Matches an absl::Status that is InvalidArgument and whose message contains every given piece.
MATCHER_P(IsInvalidWith, pieces, "") {
  if (arg.code() != absl::StatusCode::kInvalidArgument) {
    *result_listener << "code is " << absl::StatusCodeToString(arg.code());
    return false;
  }
  const absl::string_view message = arg.message();
  for (absl::string_view piece : pieces) {
    if (message.find(piece) == absl::string_view::npos) {
      *result_listener << "message \"" << message << "\" lacks \"" << piece << "\"";
      return false;
    }
  }
  return true;
}

std::vector<absl::string_view> Pieces(std::initializer_list<absl::string_view> p) {
  return std::vector<absl::string_view>(p);
}

// ---------------------------------------------------------------------------------------------
// ValidateTopicName

TEST(ValidateTopicName, OrdinaryNames_AreValid) {
  for (absl::string_view topic : {"sport/tennis/player1", "a", "/", "//", "/finance", "sport/",
                                  "a//b", " ", "$SYS/broker/uptime", "$share/g/a",
                                  "caf\xC3\xA9/\xE6\x97\xA5\xE6\x9C\xAC/\xF0\x9F\x98\x80"}) {
    EXPECT_TRUE(ValidateTopicName(topic).ok()) << topic;
  }
}

TEST(ValidateTopicName, Empty_IsRejected) {
  EXPECT_THAT(ValidateTopicName(""), IsInvalidWith(Pieces({"[MQTT-4.7.3-1]"})));
}

TEST(ValidateTopicName, MaximumLength_IsValid) {
  EXPECT_TRUE(ValidateTopicName(std::string(kMaxTopicLength, 'a')).ok());
}

TEST(ValidateTopicName, OneByteOverMaximumLength_IsRejected) {
  EXPECT_THAT(ValidateTopicName(std::string(kMaxTopicLength + 1, 'a')),
              IsInvalidWith(Pieces({"[MQTT-4.7.3-3]", "65536"})));
}

TEST(ValidateTopicName, SingleLevelWildcard_IsRejectedWithOffset) {
  EXPECT_THAT(ValidateTopicName("a/+/b"),
              IsInvalidWith(Pieces({"[MQTT-4.7.1-1]", "'+'", "byte 2"})));
  EXPECT_THAT(ValidateTopicName("sport+"), IsInvalidWith(Pieces({"[MQTT-4.7.1-1]", "byte 5"})));
}

TEST(ValidateTopicName, MultiLevelWildcard_IsRejectedWithOffset) {
  EXPECT_THAT(ValidateTopicName("a/#"), IsInvalidWith(Pieces({"[MQTT-4.7.1-1]", "'#'", "byte 2"})));
  EXPECT_THAT(ValidateTopicName("#"), IsInvalidWith(Pieces({"[MQTT-4.7.1-1]", "byte 0"})));
}

TEST(ValidateTopicName, NullCharacter_IsRejectedWithOffset) {
  EXPECT_THAT(ValidateTopicName(std::string("ab\0c", 4)),
              IsInvalidWith(Pieces({"[MQTT-4.7.3-2]", "byte 2"})));
}

TEST(ValidateTopicName, IllFormedUtf8_IsRejectedWithOffset) {
  struct Case {
    std::string topic;
    size_t offset;
  };
  const Case cases[] = {
      {"a\x80", 1},              // continuation byte without a lead byte
      {"ab\xC3", 2},             // truncated two-byte sequence
      {"\xC3(", 0},              // bad continuation byte
      {"\xC0\xAF", 0},           // overlong '/'
      {"\xE0\x80\xAF", 0},       // overlong three-byte form
      {"x\xF0\x80\x80\xAF", 1},  // overlong four-byte form
      {"\xF4\x90\x80\x80", 0},   // above U+10FFFF
      {"ok/\xFF", 3},            // never valid in UTF-8
      {"\xE2\x82", 0},           // truncated three-byte sequence
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ValidateTopicName(c.topic),
                IsInvalidWith(
                    Pieces({"[MQTT-1.5.4-1]", "well-formed", "byte " + std::to_string(c.offset)})))
        << "offset " << c.offset;
  }
}

TEST(ValidateTopicName, EncodedSurrogate_IsRejected) {
  EXPECT_THAT(ValidateTopicName("a/\xED\xA0\x80"),
              IsInvalidWith(Pieces({"[MQTT-1.5.4-1]", "byte 2"})));
  EXPECT_THAT(ValidateTopicName("\xED\xBF\xBF"),
              IsInvalidWith(Pieces({"[MQTT-1.5.4-1]", "byte 0"})));
}

TEST(ValidateTopicName, CodePointsAtUtf8Boundaries_AreValid) {
  for (absl::string_view topic : {
           "\x7F",              // U+007F, discouraged but allowed
           "\xC2\x80",          // U+0080
           "\xDF\xBF",          // U+07FF
           "\xE0\xA0\x80",      // U+0800
           "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
           "\xEE\x80\x80",      // U+E000, just above them
           "\xEF\xBF\xBF",      // U+FFFF, a non-character: only "SHOULD NOT"
           "\xF0\x90\x80\x80",  // U+10000
           "\xF4\x8F\xBF\xBF",  // U+10FFFF
       }) {
    EXPECT_TRUE(ValidateTopicName(topic).ok()) << ValidateTopicName(topic);
  }
}

// ---------------------------------------------------------------------------------------------
// ValidateTopicFilter

TEST(ValidateTopicFilter, SpecExamples_AreValid) {
  for (absl::string_view filter :
       {"sport/tennis/player1/#", "sport/#", "#", "+", "+/tennis/#", "sport/+/player1", "/+", "+/+",
        "sport/tennis/+", "sport/+", "$SYS/#", "$SYS/monitor/+", "+/monitor/Clients", "a", "/",
        "+/", "//", "a/+/+/b", "+/+/#"}) {
    EXPECT_TRUE(ValidateTopicFilter(filter).ok()) << filter << ": " << ValidateTopicFilter(filter);
  }
}

TEST(ValidateTopicFilter, Empty_IsRejected) {
  EXPECT_THAT(ValidateTopicFilter(""), IsInvalidWith(Pieces({"[MQTT-4.7.3-1]"})));
}

TEST(ValidateTopicFilter, Length_LimitIs65535Bytes) {
  std::string filter(kMaxTopicLength - 2, 'a');
  filter += "/#";
  EXPECT_TRUE(ValidateTopicFilter(filter).ok());
  filter.insert(0, "a");
  EXPECT_THAT(ValidateTopicFilter(filter), IsInvalidWith(Pieces({"[MQTT-4.7.3-3]"})));
}

TEST(ValidateTopicFilter, NullCharacterAndBadUtf8_AreRejected) {
  EXPECT_THAT(ValidateTopicFilter(std::string("a/\0/#", 5)),
              IsInvalidWith(Pieces({"[MQTT-4.7.3-2]", "byte 2"})));
  EXPECT_THAT(ValidateTopicFilter("+/\xC0\xAF"),
              IsInvalidWith(Pieces({"[MQTT-1.5.4-1]", "byte 2"})));
  EXPECT_THAT(ValidateTopicFilter("\xED\xA0\x80/#"), IsInvalidWith(Pieces({"[MQTT-1.5.4-1]"})));
}

TEST(ValidateTopicFilter, MultiLevelWildcardNotLast_IsRejectedWithOffset) {
  // Spec 4.7.1.2: "sport/tennis#" and "sport/tennis/#/ranking" are not valid.
  EXPECT_THAT(ValidateTopicFilter("sport/tennis#"),
              IsInvalidWith(Pieces({"[MQTT-4.7.1-2]", "byte 12"})));
  EXPECT_THAT(ValidateTopicFilter("sport/tennis/#/ranking"),
              IsInvalidWith(Pieces({"[MQTT-4.7.1-2]", "byte 13"})));
  for (absl::string_view filter : {"#/", "##", "a#", "#a", "a/#/", "+/#/#", "a/b#/c"}) {
    EXPECT_THAT(ValidateTopicFilter(filter), IsInvalidWith(Pieces({"[MQTT-4.7.1-2]"}))) << filter;
  }
}

TEST(ValidateTopicFilter, SingleLevelWildcardNotWholeLevel_IsRejectedWithOffset) {
  // Spec 4.7.1.3: "sport+" is not valid.
  EXPECT_THAT(ValidateTopicFilter("sport+"), IsInvalidWith(Pieces({"[MQTT-4.7.1-3]", "byte 5"})));
  EXPECT_THAT(ValidateTopicFilter("a/b+/c"), IsInvalidWith(Pieces({"[MQTT-4.7.1-3]", "byte 3"})));
  for (absl::string_view filter : {"+a", "++", "a/+b", "+/+x/c", "+#"}) {
    EXPECT_THAT(ValidateTopicFilter(filter), IsInvalidWith(Pieces({"[MQTT-4.7.1-3]"}))) << filter;
  }
}

TEST(ValidateTopicFilter, SharedSubscriptions_AreValid) {
  for (absl::string_view filter :
       {"$share/group/sport/#", "$share/g/+", "$share/g/#", "$share/g//", "$share/g/$SYS/#",
        "$share/consumer1/sport/tennis/+", "$share/\xC3\xA9/a"}) {
    EXPECT_TRUE(ValidateTopicFilter(filter).ok()) << filter << ": " << ValidateTopicFilter(filter);
  }
}

TEST(ValidateTopicFilter, SharedWithEmptyShareName_IsRejected) {
  EXPECT_THAT(ValidateTopicFilter("$share//a"), IsInvalidWith(Pieces({"[MQTT-4.8.2-1]"})));
  EXPECT_THAT(ValidateTopicFilter("$share/"), IsInvalidWith(Pieces({"[MQTT-4.8.2-1]"})));
}

TEST(ValidateTopicFilter, SharedWithWildcardInShareName_IsRejectedWithOffset) {
  EXPECT_THAT(ValidateTopicFilter("$share/g+/a"),
              IsInvalidWith(Pieces({"[MQTT-4.8.2-2]", "ShareName", "byte 8"})));
  EXPECT_THAT(ValidateTopicFilter("$share/#/a"),
              IsInvalidWith(Pieces({"[MQTT-4.8.2-2]", "byte 7"})));
  EXPECT_THAT(ValidateTopicFilter("$share/+"), IsInvalidWith(Pieces({"[MQTT-4.8.2-2]", "byte 7"})));
}

TEST(ValidateTopicFilter, SharedWithoutInnerFilter_IsRejected) {
  EXPECT_THAT(ValidateTopicFilter("$share/g"),
              IsInvalidWith(Pieces({"[MQTT-4.8.2-2]", "topic filter after"})));
  EXPECT_THAT(ValidateTopicFilter("$share/g/"),
              IsInvalidWith(Pieces({"[MQTT-4.8.2-2]", "topic filter after"})));
}

TEST(ValidateTopicFilter, SharedWithInvalidInnerFilter_ReportsOffsetInWholeFilter) {
  EXPECT_THAT(ValidateTopicFilter("$share/g/a#"),
              IsInvalidWith(Pieces({"[MQTT-4.7.1-2]", "byte 10"})));
  EXPECT_THAT(ValidateTopicFilter("$share/g/+x"),
              IsInvalidWith(Pieces({"[MQTT-4.7.1-3]", "byte 9"})));
}

TEST(ValidateTopicFilter, DollarShareLookalikes_AreOrdinaryFilters) {
  // Only the exact prefix "$share/" makes a shared subscription; these follow the plain rules.
  for (absl::string_view filter : {"$share", "$shared/x/#", "$SHARE/g/a", "$Share/+"}) {
    EXPECT_TRUE(ValidateTopicFilter(filter).ok()) << filter;
  }
  EXPECT_THAT(ValidateTopicFilter("$share+"), IsInvalidWith(Pieces({"[MQTT-4.7.1-3]"})));
}

// ---------------------------------------------------------------------------------------------
// ParseSharedSubscription

TEST(ParseSharedSubscription, SplitsShareNameAndFilter_ViewingTheInput) {
  const std::string filter = "$share/group/a/b/#";
  std::optional<SharedFilter> shared = ParseSharedSubscription(filter);
  ASSERT_TRUE(shared.has_value());
  EXPECT_EQ(shared->share_name, "group");
  EXPECT_EQ(shared->filter, "a/b/#");
  EXPECT_EQ(shared->share_name.data(), filter.data() + 7);
  EXPECT_EQ(shared->filter.data(), filter.data() + 13);
}

TEST(ParseSharedSubscription, NonSharedFilters_ReturnNullopt) {
  for (absl::string_view filter :
       {"a/b", "#", "$share", "$share/", "$share/g", "$SHARE/g/a", "$sharex/g/a", "share/g/a"}) {
    EXPECT_FALSE(ParseSharedSubscription(filter).has_value()) << filter;
  }
}

TEST(ParseSharedSubscription, OnlySplits_LeavingEmptyPartsToValidation) {
  std::optional<SharedFilter> shared = ParseSharedSubscription("$share//a");
  ASSERT_TRUE(shared.has_value());
  EXPECT_EQ(shared->share_name, "");
  EXPECT_EQ(shared->filter, "a");
  shared = ParseSharedSubscription("$share/g/");
  ASSERT_TRUE(shared.has_value());
  EXPECT_EQ(shared->share_name, "g");
  EXPECT_EQ(shared->filter, "");
}

// ---------------------------------------------------------------------------------------------
// TopicMatchesFilter

TEST(TopicMatchesFilter, LiteralFilter_MatchesOnlyTheSameBytes) {
  EXPECT_TRUE(TopicMatchesFilter("sport/tennis", "sport/tennis"));
  EXPECT_FALSE(TopicMatchesFilter("sport/tennis", "Sport/tennis"));  // case-sensitive
  EXPECT_FALSE(TopicMatchesFilter("sport/tennis", "sport/tennis/"));
  EXPECT_FALSE(TopicMatchesFilter("sport/tennis/", "sport/tennis"));
  EXPECT_FALSE(TopicMatchesFilter("sport/tennis", "sport/tenni"));
  EXPECT_FALSE(TopicMatchesFilter("sport/tenni", "sport/tennis"));
  EXPECT_FALSE(TopicMatchesFilter("sport", "sport/tennis"));
  EXPECT_FALSE(TopicMatchesFilter("/sport", "sport"));
  EXPECT_TRUE(TopicMatchesFilter("/", "/"));
}

TEST(TopicMatchesFilter, NoUnicodeNormalisation) {
  // [MQTT-4.7.3-4]: precomposed "é" and "e" + combining acute are different topics.
  EXPECT_FALSE(TopicMatchesFilter("caf\xC3\xA9", "cafe\xCC\x81"));
  EXPECT_TRUE(TopicMatchesFilter("caf\xC3\xA9", "caf\xC3\xA9"));
  // [MQTT-1.5.4-3]: a leading U+FEFF is part of the string, never stripped.
  EXPECT_TRUE(ValidateTopicName("\xEF\xBB\xBF"
                                "a")
                  .ok());
  EXPECT_FALSE(TopicMatchesFilter("a",
                                  "\xEF\xBB\xBF"
                                  "a"));
  EXPECT_TRUE(
      TopicMatchesFilter("\xEF\xBB\xBF"
                         "a",
                         "\xEF\xBB\xBF"
                         "a"));
}

TEST(TopicMatchesFilter, MultiLevelWildcard_SpecExamples) {
  // Spec 4.7.1.2.
  EXPECT_TRUE(TopicMatchesFilter("sport/tennis/player1/#", "sport/tennis/player1"));
  EXPECT_TRUE(TopicMatchesFilter("sport/tennis/player1/#", "sport/tennis/player1/ranking"));
  EXPECT_TRUE(TopicMatchesFilter("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
  EXPECT_FALSE(TopicMatchesFilter("sport/tennis/player1/#", "sport/tennis/player2"));
  EXPECT_FALSE(TopicMatchesFilter("sport/tennis/player1/#", "sport/tennis"));
}

TEST(TopicMatchesFilter, MultiLevelWildcard_MatchesParentLevel) {
  EXPECT_TRUE(TopicMatchesFilter("sport/#", "sport"));
  EXPECT_TRUE(TopicMatchesFilter("sport/#", "sport/"));
  EXPECT_FALSE(TopicMatchesFilter("sport/#", "sports"));
  EXPECT_FALSE(TopicMatchesFilter("sport/#", "spor"));
}

TEST(TopicMatchesFilter, MultiLevelWildcardAlone_MatchesEveryNonDollarTopic) {
  for (absl::string_view topic : {"a", "/", "//", "a/b/c", "sport/tennis/player1", " "}) {
    EXPECT_TRUE(TopicMatchesFilter("#", topic)) << topic;
  }
}

TEST(TopicMatchesFilter, SingleLevelWildcard_SpecExamples) {
  // Spec 4.7.1.3.
  EXPECT_TRUE(TopicMatchesFilter("sport/tennis/+", "sport/tennis/player1"));
  EXPECT_TRUE(TopicMatchesFilter("sport/tennis/+", "sport/tennis/player2"));
  EXPECT_FALSE(TopicMatchesFilter("sport/tennis/+", "sport/tennis/player1/ranking"));
  EXPECT_FALSE(TopicMatchesFilter("sport/+", "sport"));
  EXPECT_TRUE(TopicMatchesFilter("sport/+", "sport/"));
  EXPECT_TRUE(TopicMatchesFilter("+/+", "/finance"));
  EXPECT_TRUE(TopicMatchesFilter("/+", "/finance"));
  EXPECT_FALSE(TopicMatchesFilter("+", "/finance"));
  EXPECT_TRUE(TopicMatchesFilter("+/tennis/#", "sport/tennis/player1"));
  EXPECT_TRUE(TopicMatchesFilter("sport/+/player1", "sport/tennis/player1"));
}

TEST(TopicMatchesFilter, SingleLevelWildcard_MatchesEmptyLevels) {
  EXPECT_TRUE(TopicMatchesFilter("a/+/b", "a//b"));
  EXPECT_TRUE(TopicMatchesFilter("+/+", "/"));
  EXPECT_TRUE(TopicMatchesFilter("+", " "));
  EXPECT_FALSE(TopicMatchesFilter("+/+", "a"));
  EXPECT_FALSE(TopicMatchesFilter("+/+", "a/b/c"));
  EXPECT_FALSE(TopicMatchesFilter("a/+", "a"));
}

TEST(TopicMatchesFilter, DollarTopics_NotMatchedByLeadingWildcards) {
  // Spec 4.7.2 [MQTT-4.7.2-1].
  EXPECT_FALSE(TopicMatchesFilter("#", "$SYS/monitor/Clients"));
  EXPECT_FALSE(TopicMatchesFilter("+/monitor/Clients", "$SYS/monitor/Clients"));
  EXPECT_FALSE(TopicMatchesFilter("+", "$SYS"));
  EXPECT_FALSE(TopicMatchesFilter("#", "$"));
  EXPECT_FALSE(TopicMatchesFilter("+/#", "$SYS/a"));
  EXPECT_TRUE(TopicMatchesFilter("$SYS/#", "$SYS/monitor/Clients"));
  EXPECT_TRUE(TopicMatchesFilter("$SYS/#", "$SYS"));
  EXPECT_TRUE(TopicMatchesFilter("$SYS/monitor/+", "$SYS/monitor/Clients"));
  EXPECT_TRUE(TopicMatchesFilter("$", "$"));
}

TEST(TopicMatchesFilter, DollarBeyondFirstCharacter_IsOrdinary) {
  EXPECT_TRUE(TopicMatchesFilter("a/+", "a/$SYS"));
  EXPECT_TRUE(TopicMatchesFilter("a/#", "a/$SYS/x"));
  EXPECT_TRUE(TopicMatchesFilter("+", "a$"));
  EXPECT_TRUE(TopicMatchesFilter("#", "/$SYS"));
}

TEST(TopicMatchesFilter, SharedFilter_MatchesAsFilterAfterShareName) {
  EXPECT_TRUE(TopicMatchesFilter("$share/group/sport/#", "sport/tennis"));
  EXPECT_TRUE(TopicMatchesFilter("$share/group/sport/+", "sport/tennis"));
  EXPECT_FALSE(TopicMatchesFilter("$share/group/sport/+", "sport"));
  EXPECT_FALSE(TopicMatchesFilter("$share/group/a", "$share/group/a"));
  EXPECT_FALSE(TopicMatchesFilter("$share/group/a", "group/a"));
}

TEST(TopicMatchesFilter, SharedFilter_KeepsDollarRule) {
  EXPECT_FALSE(TopicMatchesFilter("$share/g/#", "$SYS/uptime"));
  EXPECT_FALSE(TopicMatchesFilter("$share/g/+/uptime", "$SYS/uptime"));
  EXPECT_TRUE(TopicMatchesFilter("$share/g/$SYS/#", "$SYS/uptime"));
}

TEST(TopicMatchesFilter, WildcardFreeFilter_MatchesExactlyWhenEqual) {
  std::mt19937 rng(7);
  const char alphabet[] = {'a', 'b', '/', '$'};
  for (int i = 0; i < 2000; ++i) {
    std::string filter, topic;
    for (int n = 1 + rng() % 6; n > 0; --n) filter += alphabet[rng() % 4];
    for (int n = 1 + rng() % 6; n > 0; --n) topic += alphabet[rng() % 4];
    if (filter.substr(0, 7) == "$share/") continue;
    EXPECT_EQ(TopicMatchesFilter(filter, topic), filter == topic) << filter << " " << topic;
    EXPECT_TRUE(TopicMatchesFilter(topic, topic)) << topic;
  }
}

TEST(TopicMatchesFilter, DoesNotAllocate) {
  const std::string long_topic = std::string(1000, 'x') + "/" + std::string(1000, 'y');
  const size_t before = topic_internal::AllocationCount();
  bool all = TopicMatchesFilter("sport/+/player1/#", "sport/tennis/player1/score");
  all &= TopicMatchesFilter("$share/g/+/+", "a/b");
  all &= TopicMatchesFilter("+/#", long_topic);
  const size_t after = topic_internal::AllocationCount();
  EXPECT_TRUE(all);
  EXPECT_EQ(after, before);
}

TEST(AllocationCounter, CountsAllocations) {
  // Guards DoesNotAllocate against a counter that silently never counts.
  const size_t before = topic_internal::AllocationCount();
  auto p = std::make_unique<std::string>(100, 'x');
  EXPECT_GT(topic_internal::AllocationCount(), before);
}

}  // namespace
}  // namespace ouzel
