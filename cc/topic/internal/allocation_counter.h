// Test-only: counts calls to the global operator new on the calling thread, so tests can pin that
// matching does not allocate. Linking this library replaces operator new and delete for the whole
// binary.
//
//   const size_t before = AllocationCount();
//   TopicMatchesFilter("a/+", "a/b");
//   EXPECT_EQ(AllocationCount(), before);
#ifndef OUZEL_CC_TOPIC_INTERNAL_ALLOCATION_COUNTER_H_
#define OUZEL_CC_TOPIC_INTERNAL_ALLOCATION_COUNTER_H_

#include <cstddef>

namespace ouzel {
namespace topic_internal {

size_t AllocationCount();

}  // namespace topic_internal
}  // namespace ouzel

#endif  // OUZEL_CC_TOPIC_INTERNAL_ALLOCATION_COUNTER_H_
