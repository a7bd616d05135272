// Small text helpers for the command's JSON output: string escaping, base64, and checks that a
// payload is UTF-8 or a JSON document (mosquitto_sub's %J prints a payload only when it is).
#ifndef OUZEL_TOOLS_OUZEL_JSON_TEXT_H_
#define OUZEL_TOOLS_OUZEL_JSON_TEXT_H_

#include <cstddef>
#include <string>

namespace ouzel_cli {

// True when `data` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsUtf8(const char* data, size_t len);
// Appends `data` as a quoted JSON string. Bytes that are not part of well-formed UTF-8 are
// written as \u00XX, so the output is always valid JSON (use base64 where bytes must survive).
void AppendJsonString(std::string* out, const char* data, size_t len);
void AppendBase64(std::string* out, const void* data, size_t len);
// True when `data` is one complete JSON value (RFC 8259), blanks allowed around it.
bool IsJson(const char* data, size_t len);

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_JSON_TEXT_H_
