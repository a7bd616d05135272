// ByteBuffer: a growable byte array for building packets and queueing output.
//
// Encoders compute a packet's exact size first, `Reserve` once, then append fields with the
// big-endian helpers below; nothing allocates per field. As a send queue it is appended to at the
// back and consumed from the front after (partial) socket writes: consuming only moves a read
// offset, and the space in front is reclaimed when it is at least half the buffer, so both ends
// cost O(1) amortized. Growth is geometric even through Reserve, so a producer that outruns the
// socket never turns each append into a full copy.
//
//   ByteBuffer out;
//   out.Reserve(2 + topic.size());
//   out.AppendU16(topic.size());
//   out.Append(topic);
#ifndef OUZEL_CC_BASE_BYTE_BUFFER_H_
#define OUZEL_CC_BASE_BYTE_BUFFER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cc/base/secret.h"

namespace ouzel {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = default;
  ByteBuffer& operator=(const ByteBuffer&) = default;
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

  // Makes room for `n` more bytes beyond the current size, so the next `n` bytes of appends do not
  // reallocate.
  void Reserve(size_t n) {
    Compact();
    const size_t need = bytes_.size() + n;
    if (need > bytes_.capacity()) bytes_.reserve(std::max(need, 2 * bytes_.capacity()));
  }

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
    begin_ += n;
    if (begin_ == bytes_.size()) {
      bytes_.clear();
      begin_ = 0;
    }
  }

  void Clear() {
    bytes_.clear();
    begin_ = 0;
  }
  size_t size() const { return bytes_.size() - begin_; }
  bool empty() const { return size() == 0; }
  const uint8_t* data() const { return bytes_.data() + begin_; }
  uint8_t* data() { return bytes_.data() + begin_; }
  absl::Span<const uint8_t> span() const { return absl::MakeConstSpan(data(), size()); }
  absl::string_view view() const {
    return absl::string_view(reinterpret_cast<const char*>(data()), size());
  }
  // Zeroes the consumed bytes and the spare capacity, keeping what is still queued: for a buffer
  // that carried credentials (a proxy handshake), once they are sent.
  void WipeSpare() {
    const size_t end = bytes_.size();
    bytes_.resize(bytes_.capacity());
    SecureZero(bytes_.data(), begin_);
    SecureZero(bytes_.data() + end, bytes_.size() - end);
    bytes_.resize(end);
  }
  std::vector<uint8_t> Release() {
    Compact(/*always=*/true);
    return std::move(bytes_);
  }

 private:
  // Moves the unconsumed bytes to the front once the consumed prefix is at least half the buffer
  // (so each byte is moved O(1) times on average), or always when asked.
  void Compact(bool always = false) {
    if (begin_ == 0) return;
    if (!always && begin_ < bytes_.size() / 2) return;
    bytes_.erase(bytes_.begin(), bytes_.begin() + static_cast<ptrdiff_t>(begin_));
    begin_ = 0;
  }

  std::vector<uint8_t> bytes_;
  size_t begin_ = 0;  // bytes before this were consumed
};

}  // namespace ouzel

#endif  // OUZEL_CC_BASE_BYTE_BUFFER_H_
