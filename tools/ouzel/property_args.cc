#include "tools/ouzel/property_args.h"

#include <cctype>

namespace ouzel_cli {
namespace {

// The property identifiers MQTT 5 defines lie in 0x01..0x2A; the library names each one.
constexpr int32_t kLastPropertyId = 0x2A;

struct Command {
  const char* name;
  int32_t packet;
};

// What a client sends. Acknowledgements (PUBACK, PUBREC, PUBREL, PUBCOMP) are sent by the
// library, so mosquitto's "puback"-style commands have no meaning here and are refused.
constexpr Command kCommands[] = {
    {"connect", OUZEL_PACKET_CONNECT},       {"publish", OUZEL_PACKET_PUBLISH},
    {"subscribe", OUZEL_PACKET_SUBSCRIBE},   {"unsubscribe", OUZEL_PACKET_UNSUBSCRIBE},
    {"disconnect", OUZEL_PACKET_DISCONNECT}, {"will", OUZEL_PACKET_WILL_PROPERTIES},
};

std::string Lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int32_t IdOf(const std::string& name) {
  for (int32_t id = 1; id <= kLastPropertyId; ++id) {
    if (!PropertyArgs::NameOf(id).empty() && PropertyArgs::NameOf(id) == name) return id;
  }
  return 0;
}

uint64_t MaxOf(int type) {
  switch (type) {
    case OUZEL_PROPTYPE_BYTE:
      return 0xFF;
    case OUZEL_PROPTYPE_TWO_BYTE:
      return 0xFFFF;
    case OUZEL_PROPTYPE_VARINT:
      return 268435455;  // the largest Variable Byte Integer
    default:
      return 0xFFFFFFFFull;
  }
}

}  // namespace

std::string PropertyArgs::NameOf(int32_t id) {
  const char* spec = ouzel_property_name(id);
  if (spec == nullptr) return "";
  std::string out;
  for (const char* p = spec; *p != '\0'; ++p) {
    out += *p == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
  }
  return out;
}

void PropertyArgs::Parse(ArgReader& r) {
  std::string command = Lower(r.Value());
  std::string ident = Lower(r.Value());
  if (r.failed()) return;
  int32_t packet = 0;
  for (const Command& c : kCommands) {
    if (command == c.name) packet = c.packet;
  }
  if (packet == 0) {
    r.Fail("unknown command '" + command +
           "' (connect, publish, subscribe, unsubscribe, disconnect or will)");
    return;
  }
  int32_t id = IdOf(ident);
  if (id == 0) {
    r.Fail("unknown property '" + ident + "'");
    return;
  }
  if (ouzel_property_allowed(id, packet) != 1) {
    r.Fail("property '" + ident + "' is not allowed in " + command);
    return;
  }
  Entry e{packet, id, "", "", 0};
  int type = ouzel_property_type(id);
  if (type == OUZEL_PROPTYPE_UTF8_PAIR) {
    e.name = r.Value();
    e.value = r.Value();
  } else if (type == OUZEL_PROPTYPE_UTF8 || type == OUZEL_PROPTYPE_BINARY) {
    e.value = r.Value();
  } else {
    std::string text = r.Value();
    int64_t n = 0;
    if (!r.failed() && (!ParseInt(text, &n) || n < 0 || static_cast<uint64_t>(n) > MaxOf(type))) {
      r.Fail("property '" + ident + "' needs a whole number from 0 to " +
             std::to_string(MaxOf(type)) + ", not '" + text + "'");
    }
    e.number = static_cast<uint32_t>(n);
  }
  if (!r.failed()) entries_.push_back(std::move(e));
}

bool PropertyArgs::Has(int32_t packet) const {
  for (const Entry& e : entries_) {
    if (e.packet == packet) return true;
  }
  return false;
}

ouzel_properties* PropertyArgs::Build(int32_t packet, std::string* error) const {
  error->clear();
  ouzel_properties* props = nullptr;
  for (const Entry& e : entries_) {
    if (e.packet != packet) continue;
    if (props == nullptr && ouzel_properties_new(&props) != OUZEL_OK) {
      *error = "out of memory";
      return nullptr;
    }
    int rc = OUZEL_OK;
    switch (ouzel_property_type(e.id)) {
      case OUZEL_PROPTYPE_UTF8_PAIR:
        rc = ouzel_properties_add_user(props, e.name.data(), e.name.size(), e.value.data(),
                                       e.value.size());
        break;
      case OUZEL_PROPTYPE_UTF8:
        rc = ouzel_properties_set_string(props, e.id, e.value.data(), e.value.size());
        break;
      case OUZEL_PROPTYPE_BINARY:
        rc = ouzel_properties_set_binary(props, e.id, e.value.data(), e.value.size());
        break;
      default:
        rc = ouzel_properties_set_int(props, e.id, e.number);
        break;
    }
    if (rc != OUZEL_OK) {
      *error = "-D " + NameOf(e.id) + ": " + ouzel_last_error_message();
      ouzel_properties_free(props);
      return nullptr;
    }
  }
  return props;
}

}  // namespace ouzel_cli
