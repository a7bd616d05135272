#include "cc/session/packet_id_allocator.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace ouzel {
namespace {

uint16_t MustAllocate(PacketIdAllocator& ids) {
  absl::StatusOr<uint16_t> id = ids.Allocate();
  EXPECT_TRUE(id.ok()) << id.status();
  return id.ok() ? *id : 0;
}

TEST(PacketIdAllocator, Allocate_StartsAtOneAndCountsUp) {
  PacketIdAllocator ids;
  EXPECT_EQ(MustAllocate(ids), 1);
  EXPECT_EQ(MustAllocate(ids), 2);
  EXPECT_EQ(MustAllocate(ids), 3);
  EXPECT_EQ(ids.in_use_count(), 3u);
}

TEST(PacketIdAllocator, Allocate_ReleasedIdIsNotReusedBeforeTheSequenceWraps) {
  PacketIdAllocator ids;
  EXPECT_EQ(MustAllocate(ids), 1);
  ids.Release(1);
  EXPECT_EQ(MustAllocate(ids), 2);
}

TEST(PacketIdAllocator, Allocate_Wraps65535ToOne) {
  PacketIdAllocator ids;
  for (int i = 1; i <= 65535; ++i) {
    const uint16_t id = MustAllocate(ids);
    ASSERT_EQ(id, i);
    ids.Release(id);
  }
  EXPECT_EQ(MustAllocate(ids), 1);
}

TEST(PacketIdAllocator, Allocate_SkipsIdsStillInUseAfterWrap) {
  PacketIdAllocator ids;
  // 1 and 3 stay in use (a long-lived inflight message); everything else is released.
  for (int i = 1; i <= 65535; ++i) {
    const uint16_t id = MustAllocate(ids);
    if (id != 1 && id != 3) ids.Release(id);
  }
  EXPECT_EQ(MustAllocate(ids), 2);
  EXPECT_EQ(MustAllocate(ids), 4);
}

TEST(PacketIdAllocator, Allocate_AllInUse_ResourceExhaustedThenFreedIdIsHandedOut) {
  PacketIdAllocator ids;
  for (int i = 1; i <= 65535; ++i) ASSERT_EQ(MustAllocate(ids), i);
  EXPECT_EQ(ids.in_use_count(), 65535u);
  absl::StatusOr<uint16_t> none = ids.Allocate();
  EXPECT_EQ(none.status().code(), absl::StatusCode::kResourceExhausted);
  ids.Release(40000);
  EXPECT_EQ(MustAllocate(ids), 40000);
  EXPECT_EQ(ids.Allocate().status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(PacketIdAllocator, FillThenRelease_NeverHandsOutAnIdInUse) {
  PacketIdAllocator ids;
  for (int i = 1; i <= 65535; ++i) ASSERT_TRUE(ids.Allocate().ok());
  // Release every third id, then allocate them all back: each must be one that was released.
  for (int i = 3; i <= 65535; i += 3) ids.Release(static_cast<uint16_t>(i));
  for (int n = 0; n < 65535 / 3; ++n) {
    const uint16_t id = MustAllocate(ids);
    ASSERT_EQ(id % 3, 0) << id;
  }
  EXPECT_EQ(ids.Allocate().status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(PacketIdAllocator, MarkInUse_RestoredIdsAreSkipped) {
  PacketIdAllocator ids;
  ASSERT_TRUE(ids.MarkInUse(1).ok());
  ASSERT_TRUE(ids.MarkInUse(2).ok());
  EXPECT_EQ(MustAllocate(ids), 3);
  EXPECT_EQ(ids.MarkInUse(2).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ids.MarkInUse(0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ids.InUse(1));
  EXPECT_FALSE(ids.InUse(4));
}

TEST(PacketIdAllocator, NextNumber_ConsumesANumberWithoutMarkingIt) {
  PacketIdAllocator ids;
  EXPECT_EQ(MustAllocate(ids), 1);  // e.g. SUBSCRIBE
  EXPECT_EQ(ids.NextNumber(), 2);   // a QoS 0 PUBLISH
  EXPECT_FALSE(ids.InUse(2));
  EXPECT_EQ(MustAllocate(ids), 3);  // UNSUBSCRIBE: paho's subscribe 1, publish 2, unsubscribe 3
}

TEST(PacketIdAllocator, NextNumber_SkipsNumbersInUse) {
  PacketIdAllocator ids;
  ASSERT_TRUE(ids.MarkInUse(1).ok());
  EXPECT_EQ(ids.NextNumber(), 2);
}

TEST(PacketIdAllocator, NextNumber_AllInUse_StillCountsOn) {
  PacketIdAllocator ids;
  for (int i = 1; i <= 65535; ++i) ASSERT_TRUE(ids.Allocate().ok());
  EXPECT_EQ(ids.NextNumber(), 1);
  EXPECT_EQ(ids.NextNumber(), 2);
}

TEST(PacketIdAllocator, Release_IgnoresZeroAndFreeIds) {
  PacketIdAllocator ids;
  ids.Release(0);
  ids.Release(7);
  EXPECT_EQ(ids.in_use_count(), 0u);
  EXPECT_EQ(MustAllocate(ids), 1);
  ids.Release(1);
  ids.Release(1);
  EXPECT_EQ(ids.in_use_count(), 0u);
}

}  // namespace
}  // namespace ouzel
