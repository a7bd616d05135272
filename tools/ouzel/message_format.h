// How `ouzel sub` prints a message: the payload alone (mosquitto_sub's default), "topic payload"
// (-v), a -F format string with mosquitto_sub's %, @ and \ sequences, or Ouzel's --json object
// (topic, payload, QoS, retain, properties, timestamp: one JSON document per line).
#ifndef OUZEL_TOOLS_OUZEL_MESSAGE_FORMAT_H_
#define OUZEL_TOOLS_OUZEL_MESSAGE_FORMAT_H_

#include <ctime>
#include <string>

#include "ouzel.h"

namespace ouzel_cli {

struct OutputOptions {
  enum class Mode { kPayload, kVerbose, kFormat, kJson };
  Mode mode = Mode::kPayload;
  std::string format;       // kFormat
  bool pretty = false;      // indented JSON (--pretty)
  bool end_of_line = true;  // -N turns it off
};

// Checks a -F format string: every % sequence known, no sequence cut off at the end.
bool CheckFormat(const std::string& format, std::string* error);

// Appends one message, printed as `o` says, to *out. `received` is the wall-clock time of
// arrival. False with *error when the message cannot be printed that way (%J with a payload that
// is not JSON); nothing is appended then.
bool FormatMessage(const OutputOptions& o, const ouzel_message_fields& m, const timespec& received,
                   std::string* out, std::string* error);

// Ouzel's JSON object for a message (--json): {"topic", "payload" (UTF-8) or "payload_base64",
// "qos", "retain", "mid", "properties", "timestamp" (UTC, ISO 8601 with microseconds)}.
void AppendMessageJson(const ouzel_message_fields& m, const timespec& received, bool pretty,
                       std::string* out);

// The properties as a JSON object keyed by the kebab-case names -D takes; user-property and
// subscription-identifier, which may repeat, are arrays.
void AppendPropertiesJson(const ouzel_properties* props, std::string* out);

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_MESSAGE_FORMAT_H_
