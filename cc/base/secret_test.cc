#include "cc/base/secret.h"

#include <optional>
#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace ouzel {
namespace {

// Whether the `n` bytes at `p` are all zero. Only called on memory the string still owns (wiping
// keeps the buffer), so reading it is defined.
bool AllZero(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

TEST(WipeStringTest, ZeroesTheWholeCapacityAndKeepsTheBuffer) {
  std::string s(100, 'x');
  s.resize(10);  // bytes 10..99 still hold 'x'
  const char* buffer = s.data();
  const size_t capacity = s.capacity();
  WipeString(&s);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.data(), buffer);
  EXPECT_EQ(s.capacity(), capacity);
  EXPECT_TRUE(AllZero(buffer, capacity));
}

TEST(WipeStringTest, ShortStringStoredInline) {
  std::string s = "pw";
  const char* buffer = s.data();
  const size_t capacity = s.capacity();
  WipeString(&s);
  EXPECT_TRUE(AllZero(buffer, capacity));
}

TEST(SecretStringTest, ReadsLikeAString) {
  SecretString s = "s3cret";
  EXPECT_EQ(s, "s3cret");
  EXPECT_EQ(std::string("s3cret"), s);
  EXPECT_NE(s, absl::string_view("other"));
  EXPECT_EQ(absl::string_view(s), "s3cret");
  EXPECT_EQ(s.size(), 6u);
  EXPECT_FALSE(s.empty());
  EXPECT_EQ(SecretString(s), s);
  std::optional<SecretString> o = std::string("x");
  EXPECT_EQ(*o, "x");
}

TEST(SecretStringTest, ClearZeroesTheBytes) {
  SecretString s = std::string(40, 'k');
  const char* buffer = s.data();
  const size_t capacity = s.str().capacity();
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.data(), buffer);
  EXPECT_TRUE(AllZero(buffer, capacity));
}

TEST(SecretStringTest, AssigningAShorterValueOverwritesInPlace) {
  SecretString s = std::string(40, 'k');
  const char* buffer = s.data();
  s = "new";
  EXPECT_EQ(s, "new");
  EXPECT_EQ(s.data(), buffer);  // same block: the old bytes were not left in a freed one
  EXPECT_TRUE(AllZero(buffer + 3, s.str().capacity() - 3));
}

TEST(SecretStringTest, MovedFromIsZeroed) {
  SecretString from = "short";  // inline: a plain std::string move would leave the bytes
  const char* inline_buffer = from.data();
  SecretString to = std::move(from);
  EXPECT_EQ(to, "short");
  EXPECT_TRUE(from.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_TRUE(AllZero(inline_buffer, 6));

  std::string plain = "inline";
  const char* plain_buffer = plain.data();
  SecretString taken = std::move(plain);
  EXPECT_EQ(taken, "inline");
  EXPECT_TRUE(AllZero(plain_buffer, 7));  // NOLINT(bugprone-use-after-move)

  SecretString target = "old value";
  SecretString source = "new value";
  const char* source_buffer = source.data();
  target = std::move(source);
  EXPECT_EQ(target, "new value");
  EXPECT_TRUE(AllZero(source_buffer, 10));
}

}  // namespace
}  // namespace ouzel
