#include "cc/base/byte_buffer.h"

#include <algorithm>
#include <string>

#include "gtest/gtest.h"

namespace ouzel {
namespace {

TEST(ByteBuffer, AppendsBigEndianIntegers) {
  ByteBuffer b;
  b.AppendU8(0x01);
  b.AppendU16(0x0203);
  b.AppendU32(0x04050607);
  ASSERT_EQ(b.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(b.data()[i], i + 1);
}

TEST(ByteBuffer, ReserveOnceThenAppendDoesNotReallocate) {
  ByteBuffer b;
  b.Reserve(64);
  const uint8_t* before = b.data();
  for (int i = 0; i < 16; ++i) b.AppendU32(i);
  EXPECT_EQ(b.data(), before);
  EXPECT_EQ(b.size(), 64u);
}

TEST(ByteBuffer, ConsumeDropsFromFront) {
  ByteBuffer b;
  b.Append(absl::string_view("hello world"));
  b.Consume(6);
  EXPECT_EQ(b.view(), "world");
  b.Consume(5);
  EXPECT_TRUE(b.empty());
}

TEST(ByteBuffer, AppendUninitializedReturnsWritableTail) {
  ByteBuffer b;
  b.Append(absl::string_view("ab"));
  uint8_t* p = b.AppendUninitialized(2);
  p[0] = 'c';
  p[1] = 'd';
  EXPECT_EQ(b.view(), "abcd");
}

}  // namespace
}  // namespace ouzel

namespace ouzel {
namespace {

TEST(ByteBuffer, InterleavedAppendAndConsumeKeepsOrder) {
  ByteBuffer b;
  std::string expected;
  uint8_t next = 0;
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 7; ++i) {
      b.AppendU8(next);
      expected.push_back(static_cast<char>(next++));
    }
    const size_t n = std::min<size_t>(5, b.size());
    ASSERT_EQ(b.view().substr(0, n), absl::string_view(expected).substr(0, n));
    b.Consume(n);
    expected.erase(0, n);
    b.Reserve(3);
    ASSERT_EQ(b.view(), expected);
  }
}

TEST(ByteBuffer, RepeatedReserveGrowsGeometrically) {
  ByteBuffer b;
  int reallocations = 0;
  const uint8_t* last = nullptr;
  for (int i = 0; i < 10000; ++i) {
    b.Reserve(10);
    if (b.data() != last) ++reallocations, last = b.data();
    b.AppendUninitialized(10);
  }
  // Exact-size reserves would reallocate on every one of the 10,000 calls.
  EXPECT_LT(reallocations, 40);
}

}  // namespace
}  // namespace ouzel
