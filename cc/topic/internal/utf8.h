// A minimal check for MQTT UTF-8 Encoded Strings, private to cc/topic.
//
// MQTT 5.0 section 1.5.4 asks for well-formed UTF-8 without U+0000 and without
// surrogates. The codec layer owns the general-purpose check (cc/codec/utf8.h);
// this copy exists so cc/topic does not wait for it and can report the byte
// offset of the first bad sequence, which topic error messages include.
//
//   size_t offset;
//   switch (ouzel::topic_internal::CheckMqttUtf8(topic, &offset)) {
//     case Utf8Problem::kNone: ...
//     case Utf8Problem::kNullCharacter: ... offset points at the 0x00 byte ...
//   }
#ifndef OUZEL_CC_TOPIC_INTERNAL_UTF8_H_
#define OUZEL_CC_TOPIC_INTERNAL_UTF8_H_

#include <cstddef>
#include <string_view>

namespace ouzel {
namespace topic_internal {

enum class Utf8Problem {
  kNone,
  // Not well-formed UTF-8: bad lead or continuation byte, overlong form,
  // truncated sequence or a code point above U+10FFFF.
  kIllFormed,
  // An encoded surrogate (U+D800..U+DFFF), which UTF-8 forbids and MQTT
  // repeats.
  kSurrogate,
  kNullCharacter,
};

// Returns the first problem in `s`; when there is one, `*offset` is the byte
// offset of the sequence that starts it. `offset` may be null.
Utf8Problem CheckMqttUtf8(std::string_view s, size_t* offset);

}  // namespace topic_internal
}  // namespace ouzel

#endif  // OUZEL_CC_TOPIC_INTERNAL_UTF8_H_
