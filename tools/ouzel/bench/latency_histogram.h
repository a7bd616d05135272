// LatencyHistogram: counts of latencies in microseconds, in log-linear buckets (64 per power of
// two above 128 us, exact below), so percentiles are within about 1.6% at any scale and recording
// is a few instructions with no allocation — what a benchmark thread can afford per message.
#ifndef OUZEL_TOOLS_OUZEL_BENCH_LATENCY_HISTOGRAM_H_
#define OUZEL_TOOLS_OUZEL_BENCH_LATENCY_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ouzel_cli {

class LatencyHistogram {
 public:
  LatencyHistogram();

  // Records one latency; negative values (clocks that disagree) count as 0.
  void Record(int64_t micros);
  void Merge(const LatencyHistogram& other);
  void Clear();

  uint64_t count() const { return count_; }
  int64_t max() const { return max_; }
  // The latency at quantile `q` (0..1): the middle of the bucket holding it. 0 when empty.
  int64_t Percentile(double q) const;

 private:
  static size_t BucketOf(int64_t micros);
  static int64_t MiddleOf(size_t bucket);

  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  int64_t max_ = 0;
};

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_BENCH_LATENCY_HISTOGRAM_H_
