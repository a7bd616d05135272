#include "tools/ouzel/bench/bench_payload.h"

#include <cstring>
#include <ctime>

namespace ouzel_cli {
namespace {

constexpr char kMagic[4] = {'O', 'Z', 'B', '1'};

}  // namespace

int64_t RealtimeNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

std::string MakePayload(size_t size) {
  std::string payload(size < kBenchHeaderSize ? kBenchHeaderSize : size, 'x');
  std::memcpy(&payload[0], kMagic, sizeof kMagic);
  std::memset(&payload[4], 0, 4);
  return payload;
}

void StampPayload(std::string* payload, int64_t realtime_ns) {
  uint64_t v = static_cast<uint64_t>(realtime_ns);
  for (int i = 0; i < 8; ++i) (*payload)[8 + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

bool ReadStamp(const void* data, size_t len, int64_t* realtime_ns) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  if (len < kBenchHeaderSize || std::memcmp(p, kMagic, sizeof kMagic) != 0) return false;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{p[8 + i]} << (8 * i);
  *realtime_ns = static_cast<int64_t>(v);
  return true;
}

}  // namespace ouzel_cli
