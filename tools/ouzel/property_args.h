// PropertyArgs: MQTT 5 properties given on the command line as mosquitto_pub/_sub take them,
//   -D COMMAND IDENTIFIER VALUE            -D publish content-type text/plain
//   -D COMMAND user-property NAME VALUE    -D connect user-property site lab-3
// where COMMAND is connect, publish, subscribe, unsubscribe, disconnect or will, and IDENTIFIER
// is the specification's property name in lower case with '-' between words. The names, value
// types and which packet may carry which property come from the library (ouzel/protocol.h), so
// this file holds no copy of the specification's tables.
#ifndef OUZEL_TOOLS_OUZEL_PROPERTY_ARGS_H_
#define OUZEL_TOOLS_OUZEL_PROPERTY_ARGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ouzel.h"
#include "tools/ouzel/arg_reader.h"

namespace ouzel_cli {

// The packet a -D property goes into: OUZEL_PACKET_* or OUZEL_PACKET_WILL_PROPERTIES.
class PropertyArgs {
 public:
  // Reads the rest of one -D (the option itself was just read). Records errors in `r`: an unknown
  // command or identifier, a property that packet cannot carry, a value of the wrong type.
  void Parse(ArgReader& r);

  bool empty() const { return entries_.empty(); }
  // True when a property was given for `packet`.
  bool Has(int32_t packet) const;

  // A new property list holding the properties given for `packet` (the caller frees it), or
  // nullptr when none were given for it (*error is then ""). On failure (out of memory, a string
  // that is not valid MQTT UTF-8) nullptr with the reason in *error.
  ouzel_properties* Build(int32_t packet, std::string* error) const;

  // The kebab-case name of a property identifier ("message-expiry-interval"), "" when unknown.
  static std::string NameOf(int32_t id);

 private:
  struct Entry {
    int32_t packet;
    int32_t id;
    std::string name;  // User Property: the pair's name
    std::string value;
    uint32_t number;  // integer types
  };
  std::vector<Entry> entries_;
};

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_PROPERTY_ARGS_H_
