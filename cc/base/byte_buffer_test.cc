#include "cc/base/byte_buffer.h"

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
