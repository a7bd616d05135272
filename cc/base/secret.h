// SecretString: a password or key the engine keeps, zeroed when it is no longer needed.
//
// Credentials travel through several copies (the C API's options object, the client's options,
// each connection attempt's transport options, the TLS and proxy layers). Holding them in a
// SecretString makes every one of those copies zero its bytes when it is destroyed, overwritten
// or moved from, so a freed heap block or a reused stack slot does not keep the secret around for
// a core dump or a later read of uninitialised memory to find.
//
//   struct ProxyOptions { std::string username; SecretString password; };
//   proxy.password = "s3cret";                         // copied in
//   Socks5Request(proxy.username, proxy.password);     // read as absl::string_view
//
// What it cannot reach: copies the application made, bytes already handed to the kernel or to a
// library (BoringSSL cleanses its own key material), and std::string temporaries a caller builds
// from it (code that must build one wipes it with WipeString).
#ifndef OUZEL_CC_BASE_SECRET_H_
#define OUZEL_CC_BASE_SECRET_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace ouzel {

// Writes `n` zero bytes at `p` in a way the compiler may not remove as a dead store.
void SecureZero(void* p, size_t n);
// Zeroes every byte `s` owns (its capacity, not only its size) and leaves it empty, keeping the
// buffer (so the zeroed bytes are what the next use of the string sees).
void WipeString(std::string* s);

class SecretString {
 public:
  SecretString() = default;
  // Implicit, so options structs read like plain strings: `o.password = "x";`.
  SecretString(absl::string_view s) : value_(s) {}   // NOLINT(google-explicit-constructor)
  SecretString(const char* s) : value_(s) {}         // NOLINT(google-explicit-constructor)
  SecretString(const std::string& s) : value_(s) {}  // NOLINT(google-explicit-constructor)
  // Takes the buffer and zeroes what `s` still holds (a short string keeps its bytes in place).
  SecretString(std::string&& s) : value_(std::move(s)) {  // NOLINT(google-explicit-constructor)
    WipeString(&s);
  }
  SecretString(const SecretString& other) : value_(other.value_) {}
  SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
    WipeString(&other.value_);
  }
  SecretString& operator=(const SecretString& other) {
    if (this != &other) Assign(other.value_);
    return *this;
  }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      WipeString(&value_);
      value_.swap(other.value_);
      WipeString(&other.value_);
    }
    return *this;
  }
  SecretString& operator=(absl::string_view s) {
    Assign(s);
    return *this;
  }
  SecretString& operator=(const char* s) { return *this = absl::string_view(s); }
  SecretString& operator=(const std::string& s) { return *this = absl::string_view(s); }
  SecretString& operator=(std::string&& s) { return *this = SecretString(std::move(s)); }
  ~SecretString() { WipeString(&value_); }

  // Zeroes the bytes and leaves the secret empty.
  void clear() { WipeString(&value_); }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }
  const char* data() const { return value_.data(); }
  const std::string& str() const { return value_; }
  operator absl::string_view() const { return value_; }  // NOLINT(google-explicit-constructor)

  // Comparisons (for tests and option equality), with every string type on either side.
  friend bool operator==(const SecretString& a, const SecretString& b) {
    return a.value_ == b.value_;
  }
  friend bool operator==(const SecretString& a, absl::string_view b) { return a.value_ == b; }
  friend bool operator==(const SecretString& a, const std::string& b) { return a.value_ == b; }
  friend bool operator==(const SecretString& a, const char* b) { return a.value_ == b; }
  template <typename T>
  friend bool operator==(const T& a, const SecretString& b) {
    return b == a;
  }
  friend bool operator!=(const SecretString& a, const SecretString& b) { return !(a == b); }
  template <typename T>
  friend bool operator!=(const SecretString& a, const T& b) {
    return !(a == b);
  }
  template <typename T>
  friend bool operator!=(const T& a, const SecretString& b) {
    return !(b == a);
  }

 private:
  // Overwrites in place when the new value fits, so the old bytes are not left in a freed block.
  void Assign(absl::string_view s) {
    WipeString(&value_);
    if (s.size() > value_.capacity()) value_ = std::string();  // the wiped buffer is freed
    value_.assign(s.data(), s.size());
  }

  std::string value_;
};

// Wipes an optional secret and resets it.
inline void WipeSecret(std::optional<SecretString>* s) {
  if (s->has_value()) (*s)->clear();
  s->reset();
}

}  // namespace ouzel

#endif  // OUZEL_CC_BASE_SECRET_H_
