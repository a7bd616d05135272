// MQTT's rules for UTF-8 strings (MQTT 5.0 §1.5.4, MQTT 3.1.1 §1.5.3).
//
// A string MUST be well-formed UTF-8 as RFC 3629 defines it (no overlong forms, nothing above
// U+10FFFF) [MQTT-1.5.4-1], MUST NOT encode the surrogates U+D800..U+DFFF [MQTT-1.5.4-1] and MUST
// NOT contain U+0000 [MQTT-1.5.4-2]. Control characters and non-characters are only "SHOULD NOT",
// so a receiver that rejects them would refuse packets a conforming broker may send: they are
// accepted.
//
//   if (auto bad = FindInvalidMqttUtf8(topic)) return Error("bad UTF-8 at byte", *bad);
#ifndef OUZEL_CC_CODEC_UTF8_H_
#define OUZEL_CC_CODEC_UTF8_H_

#include <cstddef>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ouzel {

// The offset of the first byte that starts an invalid sequence, or nullopt if `s` is valid.
std::optional<size_t> FindInvalidMqttUtf8(absl::string_view s);

// OK, or InvalidArgument naming the rule and the offset of the first bad byte.
absl::Status ValidateMqttUtf8(absl::string_view s);

}  // namespace ouzel

#endif  // OUZEL_CC_CODEC_UTF8_H_
