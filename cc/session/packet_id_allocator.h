// PacketIdAllocator: the one source of MQTT Packet Identifiers for a session's outgoing PUBLISH
// (QoS 1 and 2), SUBSCRIBE and UNSUBSCRIBE.
//
// Identifiers are handed out sequentially from 1, wrapping from 65535 back to 1, and an identifier
// still in use is never handed out again: the next free one after it is taken instead. (paho-mqtt
// numbers its "mid"s with a bare counter, so after a wrap a long-lived inflight message and a new
// one can share an id.) When all 65,535 are in use, Allocate fails with ResourceExhausted.
//
//   PacketIdAllocator ids;
//   OUZEL_ASSIGN_OR_RETURN(uint16_t id, ids.Allocate());  // 1, then 2, ...
//   ...
//   ids.Release(id);                                       // on PUBACK / PUBCOMP / SUBACK
//
// For paho-compatible numbering, NextNumber() consumes the next number without marking it in use
// (how QoS 0 messages get a "mid"). Thread-compatible.
#ifndef OUZEL_CC_SESSION_PACKET_ID_ALLOCATOR_H_
#define OUZEL_CC_SESSION_PACKET_ID_ALLOCATOR_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ouzel {

class PacketIdAllocator {
 public:
  static constexpr size_t kMaxIds = 65535;

  PacketIdAllocator() { used_.fill(0); }

  // The first free identifier after the last one handed out (by Allocate or NextNumber), now
  // marked in use. ResourceExhausted when all 65,535 are in use.
  absl::StatusOr<uint16_t> Allocate();

  // The next number in the same sequence, not marked in use. Numbers in use are skipped so a QoS 0
  // message never shares a number with a live one; when all are in use the plain next number is
  // returned.
  uint16_t NextNumber();

  // Marks `id` in use (restoring a session). InvalidArgument for 0, AlreadyExists when it is in
  // use. The sequence is not moved: Allocate skips ids marked this way when it reaches them.
  absl::Status MarkInUse(uint16_t id);

  // Frees `id`; a no-op for 0 or an id not in use.
  void Release(uint16_t id);

  bool InUse(uint16_t id) const {
    return id != 0 && (used_[id >> 6] & (uint64_t{1} << (id & 63))) != 0;
  }
  size_t in_use_count() const { return in_use_; }
  // The id most recently handed out (0 before the first).
  uint16_t last() const { return last_; }

  // Frees every id; the sequence continues where it was.
  void ReleaseAll();

 private:
  // The first free id after `after`, wrapping; 0 when none is free.
  uint16_t FindFreeAfter(uint16_t after) const;
  void Set(uint16_t id) { used_[id >> 6] |= uint64_t{1} << (id & 63); }

  // Bit i set: id i in use. Bit 0 (id 0) is never set.
  std::array<uint64_t, 1024> used_;
  size_t in_use_ = 0;
  uint16_t last_ = 0;
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_PACKET_ID_ALLOCATOR_H_
