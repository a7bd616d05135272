// FuzzInput: carves typed values out of a fuzzer's byte string, so structure-aware targets can
// build packets from it. Once the bytes run out every value is zero or empty, so any input is
// usable. (clang's FuzzedDataProvider is not available to the gcc replay tests, hence this.)
#ifndef OUZEL_TESTS_FUZZ_FUZZ_INPUT_H_
#define OUZEL_TESTS_FUZZ_FUZZ_INPUT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ouzel {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint16_t U16() { return static_cast<uint16_t>((U8() << 8) | U8()); }
  uint32_t U32() { return (uint32_t{U16()} << 16) | U16(); }
  bool Bool() { return U8() & 1; }
  // A value in [0, n).
  uint32_t Below(uint32_t n) { return n == 0 ? 0 : U32() % n; }
  // A length byte then that many bytes (capped at `max` and at what is left).
  std::string String(size_t max = 64) {
    size_t n = std::min<size_t>({U8(), max, size_ - pos_});
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }
  bool empty() const { return pos_ >= size_; }
  const uint8_t* rest() const { return data_ + pos_; }
  size_t rest_size() const { return size_ - pos_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace ouzel

#endif  // OUZEL_TESTS_FUZZ_FUZZ_INPUT_H_
