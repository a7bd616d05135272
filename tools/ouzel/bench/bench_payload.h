// The benchmark's payload: a 16-byte header ("OZB1", 4 reserved bytes, the send time as 64-bit
// little-endian nanoseconds of CLOCK_REALTIME) and filler up to the requested size. A subscriber
// computes latency from it, in this process or another one (on another machine when the clocks
// agree); payloads without the header are counted but not timed.
#ifndef OUZEL_TOOLS_OUZEL_BENCH_BENCH_PAYLOAD_H_
#define OUZEL_TOOLS_OUZEL_BENCH_BENCH_PAYLOAD_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace ouzel_cli {

constexpr size_t kBenchHeaderSize = 16;

// Wall-clock nanoseconds since the epoch.
int64_t RealtimeNs();
// A payload of `size` (>= kBenchHeaderSize) bytes; StampPayload writes its send time.
std::string MakePayload(size_t size);
void StampPayload(std::string* payload, int64_t realtime_ns);
// The send time in a benchmark payload; false when it has no header.
bool ReadStamp(const void* data, size_t len, int64_t* realtime_ns);

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_BENCH_BENCH_PAYLOAD_H_
