#include "cc/session/internal/allocation_counter.h"

#include <cstddef>
#include <cstdlib>
#include <new>

namespace ouzel {
namespace session_internal {
namespace {

thread_local size_t allocation_count = 0;

void* CountedAllocate(size_t size) {
  ++allocation_count;
  void* p = std::malloc(size == 0 ? 1 : size);
  // Tests run without exceptions in mind; running out of memory ends the test either way.
  if (p == nullptr) std::abort();
  return p;
}

}  // namespace

size_t AllocationCount() { return allocation_count; }

}  // namespace session_internal
}  // namespace ouzel

void* operator new(size_t size) { return ouzel::session_internal::CountedAllocate(size); }
void* operator new[](size_t size) { return ouzel::session_internal::CountedAllocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
