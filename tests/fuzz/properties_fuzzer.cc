// Decodes a property block in a fuzzer-chosen context. When decoding succeeds, the block must pass
// Validate for that context and re-encode to exactly the bytes that were consumed (MQTT 5 forbids
// non-minimal integers, so each valid block has one encoding).
//
// Input: byte 0 picks the PropertyContext; the rest is the block (length prefix included).
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "cc/codec/properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ouzel;  // NOLINT(google-build-using-namespace): fuzz entry point
  if (size < 1) return 0;
  const auto context = static_cast<PropertyContext>(data[0] % 14);
  absl::Span<const uint8_t> block(data + 1, size - 1);
  WireReader reader(block, 0, ProtocolVersion::kV5);
  absl::StatusOr<Properties> props = Properties::Decode(reader, context);
  if (!props.ok()) return 0;
  if (!props->Validate(context).ok()) std::abort();
  const size_t consumed = block.size() - reader.remaining();
  if (props->EncodedSize() != consumed) std::abort();
  ByteBuffer out;
  props->EncodeTo(&out);
  if (out.size() != consumed || std::memcmp(out.data(), block.data(), consumed) != 0) std::abort();
  return 0;
}
