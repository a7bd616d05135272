// ByteBuffer: a growable byte array for building packets.
//
// Encoders compute a packet's exact size first, `Reserve` once, then append fields with the
// big-endian helpers below; nothing allocates per field. The buffer can also be appended to in
// place (`AppendUninitialized`) for callers that write directly, and consumed from the front
// (`Consume`) so a send queue can keep one buffer across partial writes.
//
//   ByteBuffer out;
//   out.Reserve(2 + topic.size());
//   out.AppendU16(topic.size());
//   out.Append(topic);
#ifndef OUZEL_CC_BASE_BYTE_BUFFER_H_
#define OUZEL_CC_BASE_BYTE_BUFFER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ouzel {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = default;
  ByteBuffer& operator=(const ByteBuffer&) = default;
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

  // Makes room for `n` more bytes beyond the current size without reallocating later.
  void Reserve(size_t n) { bytes_.reserve(size() + n); }

  void AppendU8(uint8_t v) { bytes_.push_back(v); }
  void AppendU16(uint16_t v) {
    uint8_t b[2] = {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    Append(b, 2);
  }
  void AppendU32(uint32_t v) {
    uint8_t b[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                    static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    Append(b, 4);
  }
  void Append(const void* data, size_t n) {
    if (n == 0) return;
    const auto* p = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + n);
  }
  void Append(absl::string_view s) { Append(s.data(), s.size()); }
  void Append(absl::Span<const uint8_t> s) { Append(s.data(), s.size()); }

  // Grows by `n` bytes and returns a pointer to them, for callers that fill memory directly.
  uint8_t* AppendUninitialized(size_t n) {
    size_t old = bytes_.size();
    bytes_.resize(old + n);
    return bytes_.data() + old;
  }

  // Drops the first `n` bytes (n <= size()), e.g. after a partial socket write.
  void Consume(size_t n) {
    bytes_.erase(bytes_.begin(), bytes_.begin() + static_cast<ptrdiff_t>(n));
  }

  void Clear() { bytes_.clear(); }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* data() { return bytes_.data(); }
  absl::Span<const uint8_t> span() const { return absl::MakeConstSpan(bytes_); }
  absl::string_view view() const {
    return absl::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
  }
  std::vector<uint8_t> Release() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_BASE_BYTE_BUFFER_H_
