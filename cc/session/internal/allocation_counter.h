// Test-only: counts calls to the global operator new on the calling thread, so tests can pin that
// what the publish path allocates. Linking this library replaces operator new and delete for the
// whole binary.
//
//   const size_t before = AllocationCount();
//   session.Publish(std::move(request), now);
//   EXPECT_EQ(AllocationCount(), before);
#ifndef OUZEL_CC_SESSION_INTERNAL_ALLOCATION_COUNTER_H_
#define OUZEL_CC_SESSION_INTERNAL_ALLOCATION_COUNTER_H_

#include <cstddef>

namespace ouzel {
namespace session_internal {

size_t AllocationCount();

}  // namespace session_internal
}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_INTERNAL_ALLOCATION_COUNTER_H_
