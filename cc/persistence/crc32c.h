// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every log record.
// Chosen over zlib's CRC-32 for its better error detection on short records (the iSCSI and ext4
// choice); software slicing-by-8, no dependency.
//
//   uint32_t c = Crc32c(data);             // whole buffer
//   c = Crc32cExtend(Crc32c(a), b);        // == Crc32c(a followed by b)
#ifndef OUZEL_CC_PERSISTENCE_CRC32C_H_
#define OUZEL_CC_PERSISTENCE_CRC32C_H_

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"

namespace ouzel {

uint32_t Crc32cExtend(uint32_t crc, const uint8_t* data, size_t n);
inline uint32_t Crc32c(const uint8_t* data, size_t n) { return Crc32cExtend(0, data, n); }
inline uint32_t Crc32c(absl::Span<const uint8_t> data) { return Crc32c(data.data(), data.size()); }

}  // namespace ouzel

#endif  // OUZEL_CC_PERSISTENCE_CRC32C_H_
