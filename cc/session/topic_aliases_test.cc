#include "cc/session/topic_aliases.h"

#include "cc/codec/codec_error.h"
#include "cc/codec/properties.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

void ExpectChoice(AliasChoice c, uint16_t alias, bool omit_topic) {
  EXPECT_EQ(c.alias, alias);
  EXPECT_EQ(c.omit_topic, omit_topic);
}

TEST(OutgoingTopicAliases, Auto_FirstUseSendsTopicAndAliasThenAliasOnly) {
  OutgoingTopicAliases out;
  out.Reset(2);
  ExpectChoice(out.Auto("a"), 1, false);
  ExpectChoice(out.Auto("a"), 1, true);
  ExpectChoice(out.Auto("b"), 2, false);
  ExpectChoice(out.Auto("b"), 2, true);
  ExpectChoice(out.Auto("a"), 1, true);
}

TEST(OutgoingTopicAliases, Auto_Full_EvictsLeastRecentlyUsed) {
  OutgoingTopicAliases out;
  out.Reset(2);
  out.Auto("a");                          // alias 1
  out.Auto("b");                          // alias 2
  out.Auto("a");                          // a is now the most recently used
  ExpectChoice(out.Auto("c"), 2, false);  // b evicted, its alias re-bound to c
  ExpectChoice(out.Auto("a"), 1, true);
  ExpectChoice(out.Auto("c"), 2, true);
  ExpectChoice(out.Auto("b"), 1, false);  // a was least recently used now
  EXPECT_EQ(out.Lookup(1).value_or(""), "b");
}

TEST(OutgoingTopicAliases, Auto_MaximumZero_NoAlias) {
  OutgoingTopicAliases out;
  out.Reset(0);
  ExpectChoice(out.Auto("a"), 0, false);
  ExpectChoice(out.Auto("a"), 0, false);
}

TEST(OutgoingTopicAliases, Reset_ForgetsMappings) {
  OutgoingTopicAliases out;
  out.Reset(5);
  out.Auto("a");
  out.Reset(5);
  ExpectChoice(out.Auto("a"), 1, false);
  EXPECT_FALSE(out.Lookup(2).has_value());
}

TEST(OutgoingTopicAliases, Manual_CheckedAgainstMaximum) {
  OutgoingTopicAliases out;
  out.Reset(3);
  EXPECT_TRUE(out.CheckManual(1).ok());
  EXPECT_TRUE(out.CheckManual(3).ok());
  EXPECT_EQ(out.CheckManual(4).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(out.CheckManual(0).code(), absl::StatusCode::kInvalidArgument);
  out.Reset(0);
  EXPECT_EQ(out.CheckManual(1).code(), absl::StatusCode::kInvalidArgument);
}

TEST(OutgoingTopicAliases, Manual_AliasOnlyWhenBoundToThatTopic) {
  OutgoingTopicAliases out;
  out.Reset(3);
  ExpectChoice(out.Manual(2, "x", /*topic_given=*/true), 2, false);
  ExpectChoice(out.Manual(2, "x", /*topic_given=*/false), 2, true);
  ExpectChoice(out.Manual(2, "x", /*topic_given=*/true), 2, false);  // as given
  // Not bound to that topic (e.g. after a reconnect): topic and alias both go.
  out.Reset(3);
  ExpectChoice(out.Manual(2, "x", /*topic_given=*/false), 2, false);
  ExpectChoice(out.Manual(2, "x", /*topic_given=*/false), 2, true);
}

PublishPacket Incoming(absl::string_view topic, std::optional<uint32_t> alias) {
  PublishPacket p;
  p.topic = std::string(topic.data(), topic.size());
  p.payload = "x";
  if (alias) p.properties.SetInt(PropertyId::kTopicAlias, *alias);
  return p;
}

TEST(IncomingTopicAliases, TopicAndAlias_BindsThenAliasOnlyResolves) {
  IncomingTopicAliases in;
  in.Reset(10);
  PublishPacket first = Incoming("a/b", 3);
  ASSERT_TRUE(in.Resolve(first).ok());
  EXPECT_EQ(first.topic, "a/b");
  EXPECT_FALSE(first.properties.Has(PropertyId::kTopicAlias));
  PublishPacket second = Incoming("", 3);
  ASSERT_TRUE(in.Resolve(second).ok());
  EXPECT_EQ(second.topic, "a/b");
  // Re-binding.
  PublishPacket third = Incoming("c", 3);
  ASSERT_TRUE(in.Resolve(third).ok());
  PublishPacket fourth = Incoming("", 3);
  ASSERT_TRUE(in.Resolve(fourth).ok());
  EXPECT_EQ(fourth.topic, "c");
}

TEST(IncomingTopicAliases, NoAlias_Untouched) {
  IncomingTopicAliases in;
  in.Reset(0);
  PublishPacket p = Incoming("t", std::nullopt);
  ASSERT_TRUE(in.Resolve(p).ok());
  EXPECT_EQ(p.topic, "t");
}

TEST(IncomingTopicAliases, AliasAboveOurMaximum_TopicAliasInvalid) {
  IncomingTopicAliases in;
  in.Reset(2);
  PublishPacket p = Incoming("t", 3);
  absl::Status s = in.Resolve(p);
  EXPECT_EQ(DisconnectReasonOf(s), std::optional<uint8_t>(0x94)) << s;
}

TEST(IncomingTopicAliases, AnyAliasWhenWeAllowNone_TopicAliasInvalid) {
  IncomingTopicAliases in;
  in.Reset(0);
  PublishPacket p = Incoming("t", 1);
  EXPECT_EQ(DisconnectReasonOf(in.Resolve(p)), std::optional<uint8_t>(0x94));
}

TEST(IncomingTopicAliases, AliasZero_TopicAliasInvalid) {
  IncomingTopicAliases in;
  in.Reset(5);
  PublishPacket p = Incoming("t", 0);
  EXPECT_EQ(DisconnectReasonOf(in.Resolve(p)), std::optional<uint8_t>(0x94));
}

TEST(IncomingTopicAliases, UnknownAlias_ProtocolError) {
  IncomingTopicAliases in;
  in.Reset(5);
  PublishPacket p = Incoming("", 4);
  absl::Status s = in.Resolve(p);
  EXPECT_EQ(DisconnectReasonOf(s), std::optional<uint8_t>(0x82)) << s;
}

TEST(IncomingTopicAliases, Reset_ForgetsBindings) {
  IncomingTopicAliases in;
  in.Reset(5);
  PublishPacket p = Incoming("t", 1);
  ASSERT_TRUE(in.Resolve(p).ok());
  in.Reset(5);
  PublishPacket q = Incoming("", 1);
  EXPECT_EQ(DisconnectReasonOf(in.Resolve(q)), std::optional<uint8_t>(0x82));
}

}  // namespace
}  // namespace ouzel
