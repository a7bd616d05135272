#include "tools/ouzel/message_format.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include "tools/ouzel/json_text.h"
#include "tools/ouzel/property_args.h"

namespace ouzel_cli {
namespace {

// Conversions that take a field width, a precision (maximum width) and the '0' flag, as
// mosquitto_sub documents them.
constexpr char kWidthConversions[] = "ACEFIlmpRStxX";
constexpr char kPrecisionConversions[] = "CIRt";
constexpr char kZeroConversions[] = "AEFlmSXx";
constexpr char kConversions[] = "%ACDEFlmPpqRrStxXIjJU";

bool In(const char* set, char c) { return c != '\0' && std::strchr(set, c) != nullptr; }

std::string Bytes(const char* data, size_t len) { return std::string(data, len); }

// Every value of property `id` as text, in order (integers in decimal, strings as they are).
std::vector<std::string> PropertyTexts(const ouzel_properties* props, int32_t id) {
  std::vector<std::string> out;
  size_t n = ouzel_properties_count(props);
  for (size_t i = 0; i < n; ++i) {
    if (ouzel_properties_id_at(props, i) != id) continue;
    uint32_t number = 0;
    const char* text = nullptr;
    size_t len = 0;
    const char* value = nullptr;
    size_t value_len = 0;
    if (ouzel_properties_int_at(props, i, &number) == OUZEL_OK) {
      out.push_back(std::to_string(number));
    } else if (ouzel_properties_user_at(props, i, &text, &len, &value, &value_len) == OUZEL_OK) {
      out.push_back(Bytes(text, len) + ":" + Bytes(value, value_len));
    } else if (ouzel_properties_bytes_at(props, i, &text, &len) == OUZEL_OK) {
      out.push_back(Bytes(text, len));
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string Hex(const void* data, size_t len, bool upper) {
  static const char kLower[] = "0123456789abcdef";
  static const char kUpper[] = "0123456789ABCDEF";
  const char* digits = upper ? kUpper : kLower;
  const unsigned char* p = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve(len * 2);
  for (size_t i = 0; i < len; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 15]);
  }
  return out;
}

// strftime of the local time, e.g. "%Y-%m-%dT%H:%M:%S%z".
std::string LocalTime(const timespec& ts, const char* format) {
  tm local;
  localtime_r(&ts.tv_sec, &local);
  char buf[128];
  size_t n = std::strftime(buf, sizeof buf, format, &local);
  return std::string(buf, n);
}

// "2024-05-06T21:12:00.123456Z"
std::string UtcIsoMicros(const timespec& ts) {
  tm utc;
  gmtime_r(&ts.tv_sec, &utc);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buf + n, sizeof buf - n, ".%06ldZ", static_cast<long>(ts.tv_nsec / 1000));
  return buf;
}

// mosquitto_sub's %j / %J layout (tst in local time with microseconds), plus the properties.
bool AppendMosquittoJson(const ouzel_message_fields& m, const timespec& received, bool raw_payload,
                         bool pretty, std::string* out, std::string* error) {
  const char* payload = static_cast<const char*>(m.payload);
  if (raw_payload && !IsJson(payload, m.payload_len)) {
    *error = "the payload is not valid JSON on topic " + Bytes(m.topic, m.topic_len);
    return false;
  }
  const char* sep = pretty ? ",\n  " : ",";
  std::string micros = std::to_string(received.tv_nsec / 1000);
  micros.insert(0, 6 - micros.size(), '0');
  out->append(pretty ? "{\n  \"tst\":" : "{\"tst\":");
  std::string tst = LocalTime(received, "%Y-%m-%dT%H:%M:%S.") + micros + LocalTime(received, "%z");
  AppendJsonString(out, tst.data(), tst.size());
  out->append(sep).append("\"topic\":");
  AppendJsonString(out, m.topic, m.topic_len);
  out->append(sep).append("\"qos\":").append(std::to_string(m.qos));
  out->append(sep).append("\"retain\":").append(std::to_string(m.retain));
  out->append(sep).append("\"payloadlen\":").append(std::to_string(m.payload_len));
  if (m.qos > 0) out->append(sep).append("\"mid\":").append(std::to_string(m.mid));
  if (ouzel_properties_count(m.properties) > 0) {
    out->append(sep).append("\"properties\":");
    AppendPropertiesJson(m.properties, out);
  }
  out->append(sep).append("\"payload\":");
  if (raw_payload) {
    out->append(payload, m.payload_len);
  } else {
    AppendJsonString(out, payload, m.payload_len);
  }
  out->append(pretty ? "\n}" : "}");
  return true;
}

// The text of one % conversion (before padding). False for %J with a non-JSON payload.
bool Conversion(char c, const ouzel_message_fields& m, const timespec& received, bool pretty,
                std::string* out, std::string* error) {
  const char* payload = static_cast<const char*>(m.payload);
  switch (c) {
    case '%':
      *out = "%";
      return true;
    case 'A':
      *out = Join(PropertyTexts(m.properties, OUZEL_PROP_TOPIC_ALIAS), ",");
      return true;
    case 'C':
      *out = Join(PropertyTexts(m.properties, OUZEL_PROP_CONTENT_TYPE), ",");
      return true;
    case 'D':
      *out = Join(PropertyTexts(m.properties, OUZEL_PROP_CORRELATION_DATA), ",");
      return true;
    case 'E':
      *out = Join(PropertyTexts(m.properties, OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL), ",");
      return true;
    case 'F':
      *out = Join(PropertyTexts(m.properties, OUZEL_PROP_PAYLOAD_FORMAT_INDICATOR), ",");
      return true;
    case 'l':
      *out = std::to_string(m.payload_len);
      return true;
    case 'm':
      *out = std::to_string(m.mid);
      return true;
    case 'P':
      *out = Join(PropertyTexts(m.properties, OUZEL_PROP_USER_PROPERTY), " ");
      return true;
    case 'p':
      *out = Bytes(payload, m.payload_len);
      return true;
    case 'q':
      *out = std::to_string(m.qos);
      return true;
    case 'R':
      *out = Join(PropertyTexts(m.properties, OUZEL_PROP_RESPONSE_TOPIC), ",");
      return true;
    case 'r':
      *out = std::to_string(m.retain);
      return true;
    case 'S':
      *out = Join(PropertyTexts(m.properties, OUZEL_PROP_SUBSCRIPTION_IDENTIFIER), ",");
      return true;
    case 't':
      *out = Bytes(m.topic, m.topic_len);
      return true;
    case 'x':
    case 'X':
      *out = Hex(m.payload, m.payload_len, c == 'X');
      return true;
    case 'I':
      *out = LocalTime(received, "%Y-%m-%dT%H:%M:%S%z");
      return true;
    case 'U': {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%lld.%09ld", static_cast<long long>(received.tv_sec),
                    static_cast<long>(received.tv_nsec));
      *out = buf;
      return true;
    }
    case 'j':
    case 'J':
      out->clear();
      return AppendMosquittoJson(m, received, c == 'J', pretty, out, error);
    default:
      return false;
  }
}

// Walks `format`. With `m` null it only checks; otherwise it appends the rendering to *out.
bool Walk(const std::string& format, const ouzel_message_fields* m, const timespec& received,
          bool pretty, std::string* out, std::string* error) {
  size_t n = format.size();
  for (size_t i = 0; i < n; ++i) {
    char c = format[i];
    if (c == '%') {
      bool left = false;
      bool zero = false;
      size_t j = i + 1;
      for (; j < n && (format[j] == '-' || format[j] == '0'); ++j) {
        if (format[j] == '-') left = true;
        if (format[j] == '0') zero = true;
      }
      size_t width = 0;
      for (; j < n && format[j] >= '0' && format[j] <= '9'; ++j) {
        width = width * 10 + (format[j] - '0');
        if (width > 10000) width = 10000;
      }
      bool has_precision = false;
      size_t precision = 0;
      if (j < n && format[j] == '.') {
        has_precision = true;
        for (++j; j < n && format[j] >= '0' && format[j] <= '9'; ++j) {
          precision = precision * 10 + (format[j] - '0');
          if (precision > 10000) precision = 10000;
        }
      }
      if (j >= n) {
        *error = "-F: incomplete format sequence at the end of '" + format + "'";
        return false;
      }
      char conv = format[j];
      if (!In(kConversions, conv)) {
        *error = std::string("-F: unknown sequence '%") + conv + "'";
        return false;
      }
      i = j;
      if (m == nullptr) continue;
      std::string text;
      if (!Conversion(conv, *m, received, pretty, &text, error)) return false;
      if (has_precision && In(kPrecisionConversions, conv) && text.size() > precision) {
        text.resize(precision);
      }
      if (In(kWidthConversions, conv) && text.size() < width) {
        size_t pad = width - text.size();
        if (left) {
          text.append(pad, ' ');
        } else {
          text.insert(0, pad, zero && In(kZeroConversions, conv) ? '0' : ' ');
        }
      }
      out->append(text);
    } else if (c == '@') {
      if (i + 1 >= n) {
        *error = "-F: incomplete '@' sequence at the end of '" + format + "'";
        return false;
      }
      char t = format[++i];
      if (m == nullptr) continue;
      if (t == '@') {
        out->push_back('@');
      } else if (t == 'N') {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%09ld", static_cast<long>(received.tv_nsec));
        out->append(buf);
      } else {
        const char spec[3] = {'%', t, '\0'};
        out->append(LocalTime(received, spec));
      }
    } else if (c == '\\') {
      if (i + 1 >= n) {
        *error = "-F: incomplete '\\' sequence at the end of '" + format + "'";
        return false;
      }
      char e = format[++i];
      static const char kFrom[] = "\\0aenrtv";
      static const char kTo[] = {'\\', '\0', '\a', '\x1b', '\n', '\r', '\t', '\v'};
      const char* at = std::strchr(kFrom, e);
      if (at == nullptr || e == '\0') {
        *error = std::string("-F: unknown escape '\\") + e + "'";
        return false;
      }
      if (m != nullptr) out->push_back(kTo[at - kFrom]);
    } else if (m != nullptr) {
      out->push_back(c);
    }
  }
  return true;
}

}  // namespace

bool CheckFormat(const std::string& format, std::string* error) {
  timespec none{};
  return Walk(format, nullptr, none, false, nullptr, error);
}

void AppendPropertiesJson(const ouzel_properties* props, std::string* out) {
  // Group values by identifier, in the order identifiers first appear.
  std::vector<std::pair<int32_t, std::vector<std::string>>> groups;
  size_t n = ouzel_properties_count(props);
  for (size_t i = 0; i < n; ++i) {
    int32_t id = ouzel_properties_id_at(props, i);
    std::string value;
    uint32_t number = 0;
    const char *text = nullptr, *second = nullptr;
    size_t len = 0, second_len = 0;
    bool binary = ouzel_property_type(id) == OUZEL_PROPTYPE_BINARY;
    if (ouzel_properties_int_at(props, i, &number) == OUZEL_OK) {
      value = std::to_string(number);
    } else if (ouzel_properties_user_at(props, i, &text, &len, &second, &second_len) == OUZEL_OK) {
      value = "[";
      AppendJsonString(&value, text, len);
      value += ",";
      AppendJsonString(&value, second, second_len);
      value += "]";
    } else if (ouzel_properties_bytes_at(props, i, &text, &len) == OUZEL_OK) {
      if (binary && !IsUtf8(text, len)) {
        id = -id;  // marks "-base64": binary data that is not text
        value = "\"";
        AppendBase64(&value, text, len);
        value += "\"";
      } else {
        AppendJsonString(&value, text, len);
      }
    } else {
      continue;
    }
    auto it = groups.begin();
    for (; it != groups.end() && it->first != id; ++it) {
    }
    if (it == groups.end()) {
      groups.push_back({id, {}});
      it = groups.end() - 1;
    }
    it->second.push_back(value);
  }
  out->push_back('{');
  for (size_t g = 0; g < groups.size(); ++g) {
    int32_t id = groups[g].first;
    std::string key = PropertyArgs::NameOf(id < 0 ? -id : id) + (id < 0 ? "-base64" : "");
    if (g > 0) out->push_back(',');
    AppendJsonString(out, key.data(), key.size());
    out->push_back(':');
    bool list = id == OUZEL_PROP_USER_PROPERTY || id == OUZEL_PROP_SUBSCRIPTION_IDENTIFIER;
    if (list) out->push_back('[');
    out->append(Join(groups[g].second, ","));
    if (list) out->push_back(']');
  }
  out->push_back('}');
}

void AppendMessageJson(const ouzel_message_fields& m, const timespec& received, bool pretty,
                       std::string* out) {
  const char* sep = pretty ? ",\n  " : ",";
  out->append(pretty ? "{\n  \"topic\":" : "{\"topic\":");
  AppendJsonString(out, m.topic, m.topic_len);
  const char* payload = static_cast<const char*>(m.payload);
  if (IsUtf8(payload, m.payload_len)) {
    out->append(sep).append("\"payload\":");
    AppendJsonString(out, payload, m.payload_len);
  } else {
    out->append(sep).append("\"payload_base64\":\"");
    AppendBase64(out, payload, m.payload_len);
    out->push_back('"');
  }
  out->append(sep).append("\"qos\":").append(std::to_string(m.qos));
  out->append(sep).append("\"retain\":").append(m.retain ? "true" : "false");
  out->append(sep).append("\"mid\":").append(std::to_string(m.mid));
  out->append(sep).append("\"properties\":");
  AppendPropertiesJson(m.properties, out);
  std::string ts = UtcIsoMicros(received);
  out->append(sep).append("\"timestamp\":");
  AppendJsonString(out, ts.data(), ts.size());
  out->append(pretty ? "\n}" : "}");
}

bool FormatMessage(const OutputOptions& o, const ouzel_message_fields& m, const timespec& received,
                   std::string* out, std::string* error) {
  std::string text;
  switch (o.mode) {
    case OutputOptions::Mode::kPayload:
      text.assign(static_cast<const char*>(m.payload), m.payload_len);
      break;
    case OutputOptions::Mode::kVerbose:
      text.assign(m.topic, m.topic_len);
      text.push_back(' ');
      text.append(static_cast<const char*>(m.payload), m.payload_len);
      break;
    case OutputOptions::Mode::kFormat:
      if (!Walk(o.format, &m, received, o.pretty, &text, error)) return false;
      break;
    case OutputOptions::Mode::kJson:
      AppendMessageJson(m, received, o.pretty, &text);
      break;
  }
  if (o.end_of_line) text.push_back('\n');
  out->append(text);
  return true;
}

}  // namespace ouzel_cli
