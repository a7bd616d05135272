#include "tools/ouzel/bench/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace ouzel_cli {
namespace {

constexpr int kSubBits = 6;                         // 64 buckets per power of two
constexpr int64_t kExact = int64_t{2} << kSubBits;  // 0..127 us are counted exactly
constexpr int kMaxShift = 40;                       // up to about 2^47 us (4 years)
constexpr size_t kBuckets = kExact + (kMaxShift * (size_t{1} << kSubBits));

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

size_t LatencyHistogram::BucketOf(int64_t v) {
  if (v < kExact) return static_cast<size_t>(v);
  int msb = 63 - __builtin_clzll(static_cast<uint64_t>(v));
  int shift = std::min(msb - kSubBits, kMaxShift);
  int64_t mantissa = std::min<int64_t>(v >> shift, (int64_t{2} << kSubBits) - 1);
  return kExact + (shift - 1) * (size_t{1} << kSubBits) +
         static_cast<size_t>(mantissa - (int64_t{1} << kSubBits));
}

int64_t LatencyHistogram::MiddleOf(size_t bucket) {
  if (bucket < static_cast<size_t>(kExact)) return static_cast<int64_t>(bucket);
  size_t rel = bucket - kExact;
  int shift = static_cast<int>(rel >> kSubBits) + 1;
  int64_t mantissa =
      static_cast<int64_t>(rel & ((size_t{1} << kSubBits) - 1)) + (int64_t{1} << kSubBits);
  return (mantissa << shift) + ((int64_t{1} << shift) >> 1);
}

void LatencyHistogram::Record(int64_t micros) {
  if (micros < 0) micros = 0;
  ++buckets_[BucketOf(micros)];
  ++count_;
  max_ = std::max(max_, micros);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::Clear() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  max_ = 0;
}

int64_t LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(MiddleOf(i), max_);
  }
  return max_;
}

}  // namespace ouzel_cli
