// Leaks one block on purpose: the LeakSanitizer canary (lsan_canary_test.sh). Says whether it was
// built with AddressSanitizer, so the test knows whether a leak report must follow.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

// Reachable from nowhere once main returns.
void* volatile leaked = nullptr;

int main() {
  std::printf(kAsan ? "built with AddressSanitizer\n" : "built without AddressSanitizer\n");
  std::fflush(stdout);
  void* block = std::malloc(4242);
  std::memset(block, 1, 4242);
  leaked = block;
  leaked = nullptr;
  return 0;
}
