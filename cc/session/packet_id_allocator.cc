#include "cc/session/packet_id_allocator.h"

#include "absl/strings/str_cat.h"

namespace ouzel {

uint16_t PacketIdAllocator::FindFreeAfter(uint16_t after) const {
  if (in_use_ >= kMaxIds) return 0;
  // Scan word by word from the id after `after`, wrapping once; id 0 is never a candidate.
  uint32_t start = after == 65535 ? 1 : after + 1u;
  for (uint32_t scanned = 0; scanned <= 65536;) {
    const uint32_t word = start >> 6;
    const uint32_t bit = start & 63;
    uint64_t free_bits = ~used_[word] & (~uint64_t{0} << bit);
    if (word == 0) free_bits &= ~uint64_t{1};  // id 0
    if (free_bits != 0) {
      return static_cast<uint16_t>((word << 6) + static_cast<uint32_t>(__builtin_ctzll(free_bits)));
    }
    scanned += 64 - bit;
    start = (word + 1) << 6;
    if (start > 65535) start = 1;
  }
  return 0;
}

absl::StatusOr<uint16_t> PacketIdAllocator::Allocate() {
  const uint16_t id = FindFreeAfter(last_);
  if (id == 0) {
    return absl::ResourceExhaustedError(
        "all 65535 packet identifiers are in use (outgoing QoS 1/2 messages, subscribes and "
        "unsubscribes awaiting acknowledgement)");
  }
  Set(id);
  ++in_use_;
  last_ = id;
  return id;
}

uint16_t PacketIdAllocator::NextNumber() {
  uint16_t id = FindFreeAfter(last_);
  if (id == 0) id = last_ == 65535 ? 1 : last_ + 1;
  last_ = id;
  return id;
}

absl::Status PacketIdAllocator::MarkInUse(uint16_t id) {
  if (id == 0) return absl::InvalidArgumentError("packet identifier 0 is not valid");
  if (InUse(id)) {
    return absl::AlreadyExistsError(absl::StrCat("packet identifier ", id, " is already in use"));
  }
  Set(id);
  ++in_use_;
  return absl::OkStatus();
}

void PacketIdAllocator::Release(uint16_t id) {
  if (!InUse(id)) return;
  used_[id >> 6] &= ~(uint64_t{1} << (id & 63));
  --in_use_;
}

void PacketIdAllocator::ReleaseAll() {
  used_.fill(0);
  in_use_ = 0;
}

}  // namespace ouzel
