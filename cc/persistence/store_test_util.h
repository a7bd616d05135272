// Helpers for the persistence tests: private temporary directories, messages, and a readable,
// comparable description of a StoredSession.
#ifndef OUZEL_CC_PERSISTENCE_STORE_TEST_UTIL_H_
#define OUZEL_CC_PERSISTENCE_STORE_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "cc/codec/packets.h"
#include "cc/session/session_store.h"

namespace ouzel {

// A new empty directory under the test's temporary directory (TEST_TMPDIR under Bazel).
std::string MakeTempDir();
// rm -r.
void RemoveTree(const std::string& path);

std::vector<uint8_t> ReadFileBytes(const std::string& path);
void WriteFileBytes(const std::string& path, const std::vector<uint8_t>& bytes);

// A QoS `qos` message on `topic` with packet id `id` and a payload naming it.
PublishPacket TestMessage(absl::string_view topic, uint8_t qos, uint16_t id);
StoredOutgoing TestOutgoing(uint64_t token, uint8_t qos, uint16_t id,
                            StoredOutgoing::Stage stage = StoredOutgoing::Stage::kQueued);

// "client=c1 expiry=60 next=5 out=[#1 q1 id=1 sent 'a' ...] in=[4 9(held 'x')]": equal strings
// mean equal sessions (payloads and properties included).
std::string Describe(const StoredSession& s);

}  // namespace ouzel

#endif  // OUZEL_CC_PERSISTENCE_STORE_TEST_UTIL_H_
