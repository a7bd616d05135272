// Reading options back (ouzel_options_get_int / _get_string) and the option table
// (ouzel_option_get_info, ouzel_option_ids): every option listed, its bounds enforced at exactly
// the values it reports, its default the value a fresh ouzel_options holds, and the defaults the
// headers document in brackets the same as the library's.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"

namespace {

std::string LastError() { return ouzel_last_error_message(); }

struct Options {
  ouzel_options* o = nullptr;
  Options() { EXPECT_EQ(ouzel_options_new(&o), OUZEL_OK); }
  ~Options() { ouzel_options_free(o); }
  int64_t Int(int32_t option) const {
    int64_t v = -12345;
    EXPECT_EQ(ouzel_options_get_int(o, option, &v), OUZEL_OK) << LastError();
    return v;
  }
  // "<unset>" for NULL.
  std::string Str(int32_t option) const {
    const char* p = reinterpret_cast<const char*>(1);
    size_t n = 99;
    EXPECT_EQ(ouzel_options_get_string(o, option, &p, &n), OUZEL_OK) << LastError();
    if (p == nullptr) {
      EXPECT_EQ(n, 0u);
      return "<unset>";
    }
    return std::string(p, n);
  }
  int Set(int32_t option, const std::string& v) {
    return ouzel_options_set_string(o, option, v.data(), v.size());
  }
};

ouzel_option_info Info(int32_t option) {
  ouzel_option_info info;
  EXPECT_EQ(ouzel_option_info_init(&info, OUZEL_OPTION_INFO_VERSION), OUZEL_OK);
  EXPECT_EQ(ouzel_option_get_info(option, &info), OUZEL_OK) << option;
  return info;
}

std::vector<int32_t> AllIds() {
  const int32_t* ids = nullptr;
  size_t n = 0;
  EXPECT_EQ(ouzel_option_ids(&ids, &n), OUZEL_OK);
  return std::vector<int32_t>(ids, ids + n);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every `#define OUZEL_OPT_NAME id` of the public headers, with the bracketed default of its
// comment when that default is a plain number ("[60]"), else no default.
struct Declared {
  int32_t id;
  bool has_default;
  int64_t default_value;
};
std::map<std::string, Declared> DeclaredOptions() {
  std::map<std::string, Declared> out;
  const std::regex define(R"(#define (OUZEL_OPT_[A-Z0-9_]+) (\d+)([^\n]*))");
  const std::regex number_default(R"(\[(-?\d+)\])");
  for (const char* header : {"capi/include/ouzel/options.h", "capi/include/ouzel/persistence.h"}) {
    const std::string text = ReadFile(header);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), define);
         it != std::sregex_iterator(); ++it) {
      Declared d{std::stoi((*it)[2]), false, 0};
      std::smatch m;
      const std::string rest = (*it)[3];
      if (std::regex_search(rest, m, number_default)) {
        d.has_default = true;
        d.default_value = std::stoll(m[1]);
      }
      out[(*it)[1]] = d;
    }
  }
  return out;
}

TEST(OptionTable, ListsEveryDeclaredOption_WithItsNameAndTheDocumentedDefault) {
  const std::vector<int32_t> ids = AllIds();
  const std::set<int32_t> listed(ids.begin(), ids.end());
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]);
  const std::map<std::string, Declared> declared = DeclaredOptions();
  ASSERT_GT(declared.size(), 60u);
  for (const auto& [name, d] : declared) {
    ASSERT_EQ(listed.count(d.id), 1u) << name;
    const ouzel_option_info info = Info(d.id);
    EXPECT_EQ(info.name, name);
    if (d.has_default) {
      EXPECT_EQ(info.type, OUZEL_OPTTYPE_INT) << name;
      EXPECT_EQ(info.default_int, d.default_value) << name << ": the header says otherwise";
    }
  }
  EXPECT_EQ(listed.size(), declared.size());
}

TEST(OptionTable, IntegerBounds_AreExactlyWhatTheSetterAccepts) {
  for (int32_t id : AllIds()) {
    const ouzel_option_info info = Info(id);
    ASSERT_LE(info.min, info.max) << info.name;
    if (info.type != OUZEL_OPTTYPE_INT) continue;
    SCOPED_TRACE(info.name);
    Options o;
    EXPECT_EQ(o.Int(id), info.default_int);  // a fresh object holds the default
    EXPECT_GE(info.default_int, info.min);
    EXPECT_LE(info.default_int, info.max);
    for (int64_t v : {info.min, info.max}) {
      EXPECT_EQ(ouzel_options_set_int(o.o, id, v), OUZEL_OK) << v << ": " << LastError();
      EXPECT_EQ(o.Int(id), v);
    }
    const int64_t kept = o.Int(id);
    if (info.min > std::numeric_limits<int64_t>::min()) {
      EXPECT_EQ(ouzel_options_set_int(o.o, id, info.min - 1), OUZEL_EINVAL);
      if ((info.flags & OUZEL_OPTION_ENUM) == 0) {
        EXPECT_NE(LastError().find(std::string(info.name) + ": "), std::string::npos)
            << LastError();
      }
    }
    if (info.max < std::numeric_limits<int64_t>::max()) {
      EXPECT_EQ(ouzel_options_set_int(o.o, id, info.max + 1), OUZEL_EINVAL);
    }
    EXPECT_EQ(o.Int(id), kept);  // a refused value changes nothing
  }
}

TEST(OptionTable, StringLengthBounds_AreEnforced) {
  for (int32_t id : AllIds()) {
    const ouzel_option_info info = Info(id);
    if (info.type != OUZEL_OPTTYPE_STRING) continue;
    SCOPED_TRACE(info.name);
    Options o;
    if (info.max < 1 << 20) {
      EXPECT_EQ(o.Set(id, std::string(static_cast<size_t>(info.max) + 1, 'a')), OUZEL_EINVAL);
      EXPECT_NE(LastError().find(std::string(info.name) + ": longer than " +
                                 std::to_string(info.max) + " bytes"),
                std::string::npos)
          << LastError();
    }
    if (info.min == 1) {
      EXPECT_EQ(o.Set(id, ""), OUZEL_EINVAL);
      EXPECT_EQ(LastError(), std::string(info.name) + ": must not be empty");
    }
    if ((info.flags & OUZEL_OPTION_WRITE_ONLY) != 0) {
      EXPECT_EQ(info.default_string, nullptr);
      const char* p = nullptr;
      size_t n = 0;
      EXPECT_EQ(ouzel_options_get_string(o.o, id, &p, &n), OUZEL_EINVAL);
      EXPECT_NE(LastError().find(std::string("read ") + Info(info.read_instead).name),
                std::string::npos)
          << LastError();
      continue;
    }
    const std::string fresh = o.Str(id);
    const std::string documented = info.default_string == nullptr
                                       ? "<unset>"
                                       : std::string(info.default_string, info.default_string_len);
    EXPECT_EQ(fresh, documented);
  }
}

TEST(OptionTable, FlagsOfNotableOptions) {
  EXPECT_NE(Info(OUZEL_OPT_PASSWORD).flags & OUZEL_OPTION_SECRET, 0u);
  EXPECT_NE(Info(OUZEL_OPT_TLS_PSK_KEY).flags & OUZEL_OPTION_SECRET, 0u);
  EXPECT_NE(Info(OUZEL_OPT_CLIENT_ID).flags & OUZEL_OPTION_FIXED, 0u);
  EXPECT_NE(Info(OUZEL_OPT_MANUAL_ACK).flags & OUZEL_OPTION_FIXED, 0u);
  EXPECT_EQ(Info(OUZEL_OPT_KEEPALIVE_SECONDS).flags, 0u);
  EXPECT_EQ(Info(OUZEL_OPT_ADD_SERVER_URI).read_instead, OUZEL_OPT_SERVER_URI);
  const ouzel_option_info tls = Info(OUZEL_OPT_TLS_MIN_VERSION);
  EXPECT_NE(tls.flags & OUZEL_OPTION_ENUM, 0u);
  Options o;
  EXPECT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_TLS_MIN_VERSION, 0x0200), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_TLS_MIN_VERSION, OUZEL_TLS_V1_2), OUZEL_OK);
}

TEST(OptionTable, KnownDefaults) {
  EXPECT_EQ(Info(OUZEL_OPT_PROTOCOL_VERSION).default_int, OUZEL_MQTT_V311);
  EXPECT_EQ(Info(OUZEL_OPT_KEEPALIVE_SECONDS).default_int, 60);
  EXPECT_EQ(Info(OUZEL_OPT_MAX_INFLIGHT).default_int, 20);
  EXPECT_EQ(Info(OUZEL_OPT_RECONNECT_CLEAN_START).default_int, -1);
  const ouzel_option_info ws = Info(OUZEL_OPT_WS_SUBPROTOCOL);
  EXPECT_EQ(std::string(ws.default_string, ws.default_string_len), "mqtt");
  EXPECT_EQ(Info(OUZEL_OPT_USERNAME).default_string, nullptr);  // unset, not ""
}

TEST(OptionsGet, StringsReadBack_ListsWhole_UnsetDiffersFromEmpty) {
  Options o;
  EXPECT_EQ(o.Str(OUZEL_OPT_SERVER_URI), "");
  EXPECT_EQ(o.Set(OUZEL_OPT_SERVER_URI, "mqtt://a:1883"), OUZEL_OK);
  EXPECT_EQ(o.Set(OUZEL_OPT_ADD_SERVER_URI, "mqtts://b:8883"), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_SERVER_URI), "mqtt://a:1883\nmqtts://b:8883");
  EXPECT_EQ(o.Str(OUZEL_OPT_USERNAME), "<unset>");
  EXPECT_EQ(o.Set(OUZEL_OPT_USERNAME, ""), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_USERNAME), "");
  EXPECT_EQ(ouzel_options_set_string(o.o, OUZEL_OPT_USERNAME, nullptr, 0), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_USERNAME), "<unset>");
  EXPECT_EQ(o.Set(OUZEL_OPT_PASSWORD, std::string("p\0w", 3)), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_PASSWORD), std::string("p\0w", 3));
  EXPECT_EQ(o.Set(OUZEL_OPT_CLIENT_ID, "sensor-7"), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_CLIENT_ID), "sensor-7");
  EXPECT_EQ(o.Set(OUZEL_OPT_TLS_ALPN, " x-amzn-mqtt-ca , mqtt "), OUZEL_OK);
  EXPECT_EQ(o.Set(OUZEL_OPT_TLS_ADD_ALPN, "h2"), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_TLS_ALPN), "x-amzn-mqtt-ca,mqtt,h2");
  EXPECT_EQ(o.Set(OUZEL_OPT_WS_ADD_HEADER, "Authorization: Bearer x"), OUZEL_OK);
  EXPECT_EQ(o.Set(OUZEL_OPT_WS_ADD_HEADER, "X-Trace:  7 "), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_WS_ADD_HEADER), "Authorization: Bearer x\nX-Trace: 7");
  EXPECT_EQ(o.Set(OUZEL_OPT_TLS_PSK_KEY_HEX, "00a1B2ff"), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_TLS_PSK_KEY), std::string("\x00\xa1\xb2\xff", 4));
  EXPECT_EQ(o.Str(OUZEL_OPT_TLS_PSK_KEY_HEX), "00a1b2ff");
  EXPECT_EQ(o.Set(OUZEL_OPT_PROXY_URI, "socks5h://u:pw@proxy.example:1234"), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_PROXY_HOST), "proxy.example");
  EXPECT_EQ(o.Str(OUZEL_OPT_PROXY_USERNAME), "u");
  EXPECT_EQ(o.Int(OUZEL_OPT_PROXY_PORT), 1234);
  EXPECT_EQ(o.Int(OUZEL_OPT_PROXY_TYPE), OUZEL_PROXY_SOCKS5);
  EXPECT_EQ(o.Int(OUZEL_OPT_PROXY_REMOTE_DNS), 1);
  EXPECT_EQ(o.Set(OUZEL_OPT_PERSISTENCE_KEY, "k"), OUZEL_OK);
  EXPECT_EQ(o.Str(OUZEL_OPT_PERSISTENCE_KEY), "k");
  // The borrowed pointer stays valid until the next call on the options object.
  const char* p = nullptr;
  size_t n = 0;
  ASSERT_EQ(ouzel_options_get_string(o.o, OUZEL_OPT_CLIENT_ID, &p, &n), OUZEL_OK);
  EXPECT_EQ(std::string(p, n), "sensor-7");
}

TEST(OptionsGet, IntegersReadBackWhatWasSet) {
  Options o;
  ASSERT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_PROTOCOL_VERSION, OUZEL_MQTT_V5), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_CONNECT_TIMEOUT_MS, 1500), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_RECONNECT_CLEAN_START, 0), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_QOS2_DELIVERY, OUZEL_QOS2_DELIVERY_ON_PUBREL),
            OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_PERSISTENCE_SYNC, OUZEL_SYNC_NEVER), OUZEL_OK);
  EXPECT_EQ(o.Int(OUZEL_OPT_PROTOCOL_VERSION), OUZEL_MQTT_V5);
  EXPECT_EQ(o.Int(OUZEL_OPT_CONNECT_TIMEOUT_MS), 1500);
  EXPECT_EQ(o.Int(OUZEL_OPT_RECONNECT_CLEAN_START), 0);
  EXPECT_EQ(o.Int(OUZEL_OPT_QOS2_DELIVERY), OUZEL_QOS2_DELIVERY_ON_PUBREL);
  EXPECT_EQ(o.Int(OUZEL_OPT_PERSISTENCE_SYNC), OUZEL_SYNC_NEVER);
  EXPECT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_PROTOCOL_VERSION, 9), OUZEL_EINVAL);
  EXPECT_NE(LastError().find("protocol version 9"), std::string::npos) << LastError();
  EXPECT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_KEEPALIVE_SECONDS, 70000), OUZEL_EINVAL);
  EXPECT_EQ(LastError(), "OUZEL_OPT_KEEPALIVE_SECONDS: 70000 is outside 0..65535");
}

TEST(OptionsGet, Errors) {
  Options o;
  int64_t v = 0;
  const char* p = nullptr;
  size_t n = 0;
  EXPECT_EQ(ouzel_options_get_int(o.o, 9999, &v), OUZEL_EINVAL);
  EXPECT_EQ(LastError(), "unknown integer option 9999");
  EXPECT_EQ(ouzel_options_get_int(o.o, OUZEL_OPT_CLIENT_ID, &v), OUZEL_EINVAL);
  EXPECT_EQ(LastError(), "OUZEL_OPT_CLIENT_ID is a string option, not an integer one");
  EXPECT_EQ(ouzel_options_set_int(o.o, OUZEL_OPT_CLIENT_ID, 1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_get_string(o.o, OUZEL_OPT_KEEPALIVE_SECONDS, &p, &n), OUZEL_EINVAL);
  EXPECT_EQ(LastError(), "OUZEL_OPT_KEEPALIVE_SECONDS is an integer option, not a string one");
  EXPECT_EQ(ouzel_options_get_int(nullptr, OUZEL_OPT_KEEPALIVE_SECONDS, &v), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_get_int(o.o, OUZEL_OPT_KEEPALIVE_SECONDS, nullptr), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_get_string(o.o, OUZEL_OPT_CLIENT_ID, nullptr, &n), OUZEL_EINVAL);
  ouzel_option_info info;
  EXPECT_EQ(ouzel_option_info_init(&info, 2), OUZEL_EVERSION);
  EXPECT_EQ(ouzel_option_info_init(nullptr, 1), OUZEL_EINVAL);
  ASSERT_EQ(ouzel_option_info_init(&info, OUZEL_OPTION_INFO_VERSION), OUZEL_OK);
  EXPECT_EQ(ouzel_option_get_info(9999, &info), OUZEL_ENOTFOUND);
  info.version = 0;
  EXPECT_EQ(ouzel_option_get_info(OUZEL_OPT_CLIENT_ID, &info), OUZEL_EVERSION);
  EXPECT_EQ(ouzel_option_ids(nullptr, &n), OUZEL_EINVAL);
}

}  // namespace
