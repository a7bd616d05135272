#include "cc/base/secret.h"

#include <cstddef>
#include <string>

namespace ouzel {

void SecureZero(void* p, size_t n) {
  // Volatile stores are observable behaviour: the compiler must perform each one, even on memory
  // that is freed right after.
  volatile unsigned char* bytes = static_cast<volatile unsigned char*>(p);
  for (size_t i = 0; i < n; ++i) bytes[i] = 0;
#if defined(__GNUC__) || defined(__clang__)
  __asm__ __volatile__("" : : "r"(p) : "memory");
#endif
}

void WipeString(std::string* s) {
  // Growing to the capacity never reallocates; it makes the bytes past size() (left there by an
  // earlier, longer value) part of the string, so they are zeroed too.
  s->resize(s->capacity());
  SecureZero(&(*s)[0], s->size());
  s->clear();
}

}  // namespace ouzel
