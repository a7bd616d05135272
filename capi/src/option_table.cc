#include "capi/src/option_table.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "absl/strings/str_cat.h"
#include "capi/src/status_mapping.h"
#include "ouzel/client.h"
#include "ouzel/errors.h"
#include "ouzel/options.h"
#include "ouzel/persistence.h"

namespace ouzel::capi {
namespace {

constexpr int32_t kInt = OUZEL_OPTTYPE_INT;
constexpr int32_t kString = OUZEL_OPTTYPE_STRING;
constexpr uint32_t kWriteOnly = OUZEL_OPTION_WRITE_ONLY;
constexpr uint32_t kSecret = OUZEL_OPTION_SECRET;
constexpr uint32_t kFixed = OUZEL_OPTION_FIXED;
constexpr uint32_t kEnum = OUZEL_OPTION_ENUM;
constexpr int64_t kI32 = std::numeric_limits<int32_t>::max();
constexpr int64_t kI64 = std::numeric_limits<int64_t>::max();
// A UTF-8 Encoded String or Binary Data field of MQTT: a 16-bit length.
constexpr int64_t kMqttField = 65535;

#define OUZEL_OPT_ROW(id, type, flags, min, max) \
  OptionSpec { id, #id, type, flags, min, max, 0 }
#define OUZEL_OPT_WRITE_ONLY(id, flags, min, max, read_instead) \
  OptionSpec { id, #id, kString, kWriteOnly | (flags), min, max, read_instead }

// Ascending by id (checked below). Bounds are what the setters accept; defaults are not here:
// a fresh ouzel_options holds them (ouzel_option_get_info reads them from one).
constexpr OptionSpec kOptions[] = {
    OUZEL_OPT_ROW(OUZEL_OPT_PROTOCOL_VERSION, kInt, kFixed | kEnum, OUZEL_MQTT_V31, OUZEL_MQTT_V5),
    OUZEL_OPT_ROW(OUZEL_OPT_CLEAN_START, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_KEEPALIVE_SECONDS, kInt, 0, 0, 65535),
    OUZEL_OPT_ROW(OUZEL_OPT_CONNECT_TIMEOUT_MS, kInt, 0, 1, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_MAX_INFLIGHT, kInt, 0, 0, 65535),
    OUZEL_OPT_ROW(OUZEL_OPT_MAX_QUEUED_MESSAGES, kInt, 0, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_MAX_QUEUED_BYTES, kInt, 0, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_QUEUE_FULL_POLICY, kInt, 0, OUZEL_QUEUE_FULL_REFUSE_NEW,
                  OUZEL_QUEUE_FULL_DROP_OLDEST_QOS0),
    OUZEL_OPT_ROW(OUZEL_OPT_QUEUE_QOS0_OFFLINE, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_LOST_SESSION_POLICY, kInt, 0, OUZEL_LOST_SESSION_FAIL_INFLIGHT,
                  OUZEL_LOST_SESSION_RESEND_AS_NEW),
    OUZEL_OPT_ROW(OUZEL_OPT_AUTO_TOPIC_ALIAS, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_MANUAL_ACK, kInt, kFixed, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_QOS2_DELIVERY, kInt, kFixed, OUZEL_QOS2_DELIVERY_ON_PUBLISH,
                  OUZEL_QOS2_DELIVERY_ON_PUBREL),
    OUZEL_OPT_ROW(OUZEL_OPT_RECONNECT, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_RECONNECT_MIN_DELAY_MS, kInt, 0, 0, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_RECONNECT_MAX_DELAY_MS, kInt, 0, 0, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_FOLLOW_SERVER_REFERENCE, kInt, kFixed, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_TCP_NODELAY, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_NUMBER_QOS0_MESSAGES, kInt, kFixed, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_PING_TIMEOUT_MS, kInt, 0, 0, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_EVENT_QUEUE, kInt, kFixed, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, kInt, kFixed, 1, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_EVENT_QUEUE_MAX_BYTES, kInt, kFixed, 1, int64_t{1} << 62),
    OUZEL_OPT_ROW(OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL, kInt, kFixed | kEnum, 0, OUZEL_LOG_DEBUG),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_USE_SYSTEM_CAS, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_VERIFY_PEER, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_VERIFY_HOSTNAME, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_MIN_VERSION, kInt, kEnum, 0, OUZEL_TLS_V1_3),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_MAX_VERSION, kInt, kEnum, 0, OUZEL_TLS_V1_3),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_SESSION_RESUMPTION, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_WS_MAX_FRAME_BYTES, kInt, 0, 1, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_WS_MAX_MESSAGE_BYTES, kInt, 0, 0, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_PROXY_TYPE, kInt, 0, OUZEL_PROXY_NONE, OUZEL_PROXY_SOCKS5),
    OUZEL_OPT_ROW(OUZEL_OPT_PROXY_PORT, kInt, 0, 0, 65535),
    OUZEL_OPT_ROW(OUZEL_OPT_PROXY_REMOTE_DNS, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_PROXY_FROM_ENVIRONMENT, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_HANDSHAKE_TIMEOUT_MS, kInt, 0, 1, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_PERSISTENCE_SYNC, kInt, kFixed, OUZEL_SYNC_EVERY_WRITE,
                  OUZEL_SYNC_NEVER),
    OUZEL_OPT_ROW(OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS, kInt, kFixed, 1, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_PERSISTENCE_MAX_BYTES, kInt, kFixed, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_PERSISTENCE_MAX_MESSAGES, kInt, kFixed, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_PERSISTENCE_FULL_POLICY, kInt, kFixed,
                  OUZEL_PERSISTENCE_FULL_REFUSE_NEW, OUZEL_PERSISTENCE_FULL_DROP_OLDEST_QOS0),
    OUZEL_OPT_ROW(OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES, kInt, kFixed, 4096, int64_t{1} << 62),
    OUZEL_OPT_ROW(OUZEL_OPT_RECONNECT_CLEAN_START, kInt, 0, -1, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_BIND_PORT, kInt, 0, 0, 65535),
    OUZEL_OPT_ROW(OUZEL_OPT_LOOP_INTERRUPT_FD, kInt, 0, -1, kI32),
    OUZEL_OPT_ROW(OUZEL_OPT_HOLD_OUTPUT_UNTIL_SEEN, kInt, 0, 0, 1),
    OUZEL_OPT_ROW(OUZEL_OPT_SERVER_URI, kString, 0, 1, kI64),
    OUZEL_OPT_WRITE_ONLY(OUZEL_OPT_ADD_SERVER_URI, 0, 1, kI64, OUZEL_OPT_SERVER_URI),
    OUZEL_OPT_ROW(OUZEL_OPT_CLIENT_ID, kString, kFixed, 0, kMqttField),
    OUZEL_OPT_ROW(OUZEL_OPT_USERNAME, kString, 0, 0, kMqttField),
    OUZEL_OPT_ROW(OUZEL_OPT_PASSWORD, kString, kSecret, 0, kMqttField),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_CA_FILE, kString, 0, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_CA_PATH, kString, 0, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_CERT_FILE, kString, 0, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_KEY_FILE, kString, 0, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_KEY_PASSWORD, kString, kSecret, 0, 1024),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_SERVER_NAME, kString, 0, 0, 255),  // a DNS name
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_ALPN, kString, 0, 0, kI64),
    OUZEL_OPT_WRITE_ONLY(OUZEL_OPT_TLS_ADD_ALPN, 0, 1, 255, OUZEL_OPT_TLS_ALPN),  // RFC 7301
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_CIPHERS, kString, 0, 0, kI64),
    // BoringSSL's PSK_MAX_IDENTITY_LEN and PSK_MAX_PSK_LEN (the hex form: two digits a byte).
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_PSK_IDENTITY, kString, 0, 0, 128),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_PSK_KEY, kString, kSecret, 0, 256),
    OUZEL_OPT_ROW(OUZEL_OPT_TLS_PSK_KEY_HEX, kString, kSecret, 0, 512),
    OUZEL_OPT_ROW(OUZEL_OPT_WS_ADD_HEADER, kString, 0, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_WS_SUBPROTOCOL, kString, 0, 0, kI64),
    OUZEL_OPT_WRITE_ONLY(OUZEL_OPT_PROXY_URI, kSecret, 0, kI64, OUZEL_OPT_PROXY_HOST),
    OUZEL_OPT_ROW(OUZEL_OPT_PROXY_HOST, kString, 0, 0, 255),
    // SOCKS5 (RFC 1929) carries each in one length byte.
    OUZEL_OPT_ROW(OUZEL_OPT_PROXY_USERNAME, kString, 0, 0, 255),
    OUZEL_OPT_ROW(OUZEL_OPT_PROXY_PASSWORD, kString, kSecret, 0, 255),
    OUZEL_OPT_ROW(OUZEL_OPT_PERSISTENCE_DIR, kString, kFixed, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_PERSISTENCE_KEY, kString, kFixed, 0, kI64),
    OUZEL_OPT_ROW(OUZEL_OPT_BIND_ADDRESS, kString, 0, 0, kI64),
};

#undef OUZEL_OPT_ROW
#undef OUZEL_OPT_WRITE_ONLY

constexpr bool AscendingIds() {
  for (size_t i = 1; i < std::size(kOptions); ++i) {
    if (kOptions[i - 1].id >= kOptions[i].id) return false;
  }
  return true;
}
static_assert(AscendingIds(), "FindOption searches kOptions by id");

}  // namespace

const OptionSpec* FindOption(int32_t id) {
  const OptionSpec* end = std::end(kOptions);
  const OptionSpec* it = std::lower_bound(std::begin(kOptions), end, id,
                                          [](const OptionSpec& s, int32_t v) { return s.id < v; });
  return it != end && it->id == id ? it : nullptr;
}

absl::Span<const OptionSpec> AllOptions() { return absl::MakeConstSpan(kOptions); }

const OptionSpec* FindOptionOfType(int32_t id, int32_t type) {
  const OptionSpec* spec = FindOption(id);
  const char* kind = type == kInt ? "integer" : "string";
  if (spec == nullptr) {
    Fail(OUZEL_EINVAL, absl::StrCat("unknown ", kind, " option ", id));
    return nullptr;
  }
  if (spec->type != type) {
    Fail(OUZEL_EINVAL,
         absl::StrCat(spec->name, " is ", spec->type == kInt ? "an integer" : "a string",
                      " option, not ", type == kInt ? "an integer" : "a string", " one"));
    return nullptr;
  }
  return spec;
}

int CheckIntValue(const OptionSpec& spec, int64_t value) {
  if ((spec.flags & kEnum) != 0 || (value >= spec.min && value <= spec.max)) return OUZEL_OK;
  return Fail(OUZEL_EINVAL,
              absl::StrCat(spec.name, ": ", value, " is outside ", spec.min, "..", spec.max));
}

int CheckStringValue(const OptionSpec& spec, absl::string_view value) {
  const auto n = static_cast<int64_t>(value.size());
  if (n > spec.max) {
    return Fail(OUZEL_EINVAL,
                absl::StrCat(spec.name, ": longer than ", spec.max, " bytes (", n, ")"));
  }
  if (n < spec.min) {
    return Fail(OUZEL_EINVAL, spec.min == 1 ? absl::StrCat(spec.name, ": must not be empty")
                                            : absl::StrCat(spec.name, ": shorter than ", spec.min,
                                                           " bytes (", n, ")"));
  }
  return OUZEL_OK;
}

}  // namespace ouzel::capi
