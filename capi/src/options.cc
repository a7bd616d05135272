// ouzel_options_*: one typed setter per kind of value, keyed by OUZEL_OPT_* (the zstd model), over
// ouzel::ClientOptions. Values are checked against the option table (option_table.h) first, then
// stored. A setter that fails leaves the options as they were.
#include "ouzel/options.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "capi/src/events.h"
#include "capi/src/handles.h"
#include "capi/src/option_table.h"
#include "capi/src/status_mapping.h"
#include "capi/src/transport_options.h"
#include "cc/codec/utf8.h"
#include "cc/topic/topic.h"
#include "ouzel/errors.h"

namespace {

using ouzel::capi::CheckIntValue;
using ouzel::capi::CheckStringValue;
using ouzel::capi::Fail;
using ouzel::capi::FindOptionOfType;
using ouzel::capi::Guarded;
using ouzel::capi::OptionSpec;

}  // namespace

extern "C" {

OUZEL_EXTERN int ouzel_options_new(ouzel_options** out) {
  return Guarded([&] {
    if (out == nullptr) return Fail(OUZEL_EINVAL, "out must not be NULL");
    *out = new ouzel_options();
    return OUZEL_OK;
  });
}

OUZEL_EXTERN void ouzel_options_free(ouzel_options* opts) { delete opts; }

OUZEL_EXTERN int ouzel_options_set_int(ouzel_options* opts, int32_t option, int64_t value) {
  return Guarded([&] {
    if (opts == nullptr) return Fail(OUZEL_EINVAL, "opts must not be NULL");
    const OptionSpec* spec = FindOptionOfType(option, OUZEL_OPTTYPE_INT);
    if (spec == nullptr) return OUZEL_EINVAL;
    // The range is the table's; below, each option only stores (enumerations check their names).
    if (int rc = CheckIntValue(*spec, value); rc != OUZEL_OK) return rc;
    ouzel::ClientOptions& o = opts->options;
    ouzel::SessionOptions& s = o.session;
    const bool flag = value != 0;
    const absl::Duration millis = absl::Milliseconds(value);
    switch (option) {
      case OUZEL_OPT_PROTOCOL_VERSION:
        if (value != OUZEL_MQTT_V31 && value != OUZEL_MQTT_V311 && value != OUZEL_MQTT_V5) {
          return Fail(OUZEL_EINVAL, absl::StrCat("protocol version ", value,
                                                 " is not 3 (3.1), 4 (3.1.1) or 5 (5.0)"));
        }
        s.version = static_cast<ouzel::ProtocolVersion>(value);
        return OUZEL_OK;
      case OUZEL_OPT_CLEAN_START:
        s.clean_start = flag;
        return OUZEL_OK;
      case OUZEL_OPT_KEEPALIVE_SECONDS:
        s.keep_alive_seconds = static_cast<uint16_t>(value);
        return OUZEL_OK;
      case OUZEL_OPT_CONNECT_TIMEOUT_MS:
        // One budget for the whole attempt: the transport's share and the wait for CONNACK.
        o.connect_timeout = millis;
        s.connect_timeout = millis;
        return OUZEL_OK;
      case OUZEL_OPT_MAX_INFLIGHT:
        s.max_inflight = static_cast<uint16_t>(value);
        return OUZEL_OK;
      case OUZEL_OPT_MAX_QUEUED_MESSAGES:
        s.max_queued_messages = static_cast<size_t>(value);
        return OUZEL_OK;
      case OUZEL_OPT_MAX_QUEUED_BYTES:
        s.max_queued_bytes = static_cast<size_t>(value);
        return OUZEL_OK;
      case OUZEL_OPT_QUEUE_FULL_POLICY:
        s.queue_full_policy = value == OUZEL_QUEUE_FULL_REFUSE_NEW
                                  ? ouzel::QueueFullPolicy::kRefuseNew
                                  : ouzel::QueueFullPolicy::kDropOldestQos0;
        return OUZEL_OK;
      case OUZEL_OPT_QUEUE_QOS0_OFFLINE:
        s.queue_qos0_while_offline = flag;
        return OUZEL_OK;
      case OUZEL_OPT_LOST_SESSION_POLICY:
        s.lost_session_policy = value == OUZEL_LOST_SESSION_FAIL_INFLIGHT
                                    ? ouzel::LostSessionPolicy::kFailInflight
                                    : ouzel::LostSessionPolicy::kResendAsNew;
        return OUZEL_OK;
      case OUZEL_OPT_AUTO_TOPIC_ALIAS:
        s.auto_topic_alias = flag;
        return OUZEL_OK;
      case OUZEL_OPT_MANUAL_ACK:
        s.manual_ack = flag;
        return OUZEL_OK;
      case OUZEL_OPT_QOS2_DELIVERY:
        s.qos2_delivery = value == OUZEL_QOS2_DELIVERY_ON_PUBLISH ? ouzel::Qos2Delivery::kOnPublish
                                                                  : ouzel::Qos2Delivery::kOnPubrel;
        return OUZEL_OK;
      case OUZEL_OPT_RECONNECT:
        o.auto_reconnect = flag;
        return OUZEL_OK;
      case OUZEL_OPT_RECONNECT_MIN_DELAY_MS:
        o.reconnect_min_delay = millis;
        return OUZEL_OK;
      case OUZEL_OPT_RECONNECT_MAX_DELAY_MS:
        o.reconnect_max_delay = millis;
        return OUZEL_OK;
      case OUZEL_OPT_FOLLOW_SERVER_REFERENCE:
        o.follow_server_reference = flag;
        return OUZEL_OK;
      case OUZEL_OPT_TCP_NODELAY:
        o.transport.tcp_nodelay = flag;
        return OUZEL_OK;
      case OUZEL_OPT_NUMBER_QOS0_MESSAGES:
        s.number_qos0_messages = flag;
        return OUZEL_OK;
      case OUZEL_OPT_PING_TIMEOUT_MS:
        s.ping_timeout = millis;
        return OUZEL_OK;
      case OUZEL_OPT_RECONNECT_CLEAN_START:
        if (value < 0) {
          s.reconnect_clean_start.reset();
        } else {
          s.reconnect_clean_start = value == 1;
        }
        return OUZEL_OK;
      case OUZEL_OPT_BIND_PORT:
        o.transport.bind_port = static_cast<uint16_t>(value);
        return OUZEL_OK;
      case OUZEL_OPT_LOOP_INTERRUPT_FD:
        o.loop_interrupt_fd = static_cast<int>(value);
        return OUZEL_OK;
      case OUZEL_OPT_HOLD_OUTPUT_UNTIL_SEEN:
        s.hold_output_until_released = flag;
        return OUZEL_OK;
      default:
        if (ouzel::capi::IsEventQueueOption(option)) {  // ouzel/events.h
          return ouzel::capi::SetEventQueueOption(opts, option, value);
        }
        if (option >= 60 && option <= 79) {  // persistence (ouzel/persistence.h)
          return ouzel::capi::SetPersistenceInt(&opts->persistence, option, value);
        }
        if (ouzel::capi::IsTransportIntOption(option)) {
          return ouzel::capi::SetTransportInt(o.transport, *spec, value);
        }
        return Fail(OUZEL_EINTERNAL, absl::StrCat(spec->name, " has no setter"));
    }
  });
}

OUZEL_EXTERN int ouzel_options_set_string(ouzel_options* opts, int32_t option, const char* value,
                                          size_t value_len) {
  return Guarded([&] {
    if (opts == nullptr) return Fail(OUZEL_EINVAL, "opts must not be NULL");
    const OptionSpec* spec = FindOptionOfType(option, OUZEL_OPTTYPE_STRING);
    if (spec == nullptr) return OUZEL_EINVAL;
    absl::string_view v = ouzel::capi::StringArg(value, value_len);
    if (int rc = CheckStringValue(*spec, v); rc != OUZEL_OK) return rc;
    ouzel::ClientOptions& o = opts->options;
    auto utf8 = [&] {
      absl::Status st = ouzel::ValidateMqttUtf8(v);
      if (!st.ok()) return Fail(OUZEL_EINVAL, absl::StrCat(spec->name, ": ", st.message()));
      return OUZEL_OK;
    };
    switch (option) {
      case OUZEL_OPT_SERVER_URI:
        for (std::string& uri : o.servers) ouzel::WipeString(&uri);  // may hold a password
        o.servers.assign(1, std::string(v));
        return OUZEL_OK;
      case OUZEL_OPT_ADD_SERVER_URI:
        o.servers.emplace_back(v);
        return OUZEL_OK;
      case OUZEL_OPT_CLIENT_ID:
        if (int rc = utf8(); rc != OUZEL_OK) return rc;
        o.session.client_id = std::string(v);
        return OUZEL_OK;
      case OUZEL_OPT_USERNAME:
        if (value == nullptr) {
          o.session.username.reset();
          return OUZEL_OK;
        }
        if (int rc = utf8(); rc != OUZEL_OK) return rc;
        o.session.username = std::string(v);
        return OUZEL_OK;
      case OUZEL_OPT_PASSWORD:
        if (value == nullptr) {
          o.session.password.reset();
          return OUZEL_OK;
        }
        o.session.password = ouzel::SecretString(v);
        return OUZEL_OK;
      case OUZEL_OPT_BIND_ADDRESS:
        o.transport.bind_address = std::string(v);
        return OUZEL_OK;
      default:
        if (option >= 140 && option <= 149) {  // persistence (ouzel/persistence.h)
          return ouzel::capi::SetPersistenceString(&opts->persistence, option, v);
        }
        if (ouzel::capi::IsTransportStringOption(option)) {
          return ouzel::capi::SetTransportString(o.transport, *spec, value, v);
        }
        return Fail(OUZEL_EINTERNAL, absl::StrCat(spec->name, " has no setter"));
    }
  });
}

OUZEL_EXTERN int ouzel_options_set_connect_properties(ouzel_options* opts,
                                                      const ouzel_properties* props) {
  return Guarded([&] {
    if (opts == nullptr) return Fail(OUZEL_EINVAL, "opts must not be NULL");
    if (props == nullptr) {
      opts->options.session.connect_properties.Clear();
      return OUZEL_OK;
    }
    absl::Status st = props->get().Validate(ouzel::PropertyContext::kConnect);
    if (!st.ok()) return ouzel::capi::FromStatus(st);
    opts->options.session.connect_properties = props->get();
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_options_set_will(ouzel_options* opts, const char* topic, size_t topic_len,
                                        const void* payload, size_t payload_len, int32_t qos,
                                        int32_t retain, const ouzel_properties* props) {
  return Guarded([&] {
    if (opts == nullptr || (payload == nullptr && payload_len != 0)) {
      return Fail(OUZEL_EINVAL, "NULL argument");
    }
    absl::string_view t = ouzel::capi::StringArg(topic, topic_len);
    if (absl::Status st = ouzel::ValidateTopicName(t); !st.ok()) {
      return Fail(OUZEL_EINVAL, absl::StrCat("will topic: ", st.message()));
    }
    if (qos < 0 || qos > 2)
      return Fail(OUZEL_EINVAL, absl::StrCat("will QoS ", qos, " is not 0..2"));
    if (retain != 0 && retain != 1) return Fail(OUZEL_EINVAL, "will retain must be 0 or 1");
    if (payload_len > 65535) {
      return Fail(OUZEL_EINVAL, "will payload is longer than 65,535 bytes (a CONNECT field)");
    }
    ouzel::Will will;
    will.topic = std::string(t);
    will.payload = std::string(static_cast<const char*>(payload), payload_len);
    will.qos = static_cast<uint8_t>(qos);
    will.retain = retain == 1;
    if (props != nullptr) {
      absl::Status st = props->get().Validate(ouzel::PropertyContext::kWill);
      if (!st.ok()) return ouzel::capi::FromStatus(st);
      will.properties = props->get();
    }
    opts->options.session.will = std::move(will);
    return OUZEL_OK;
  });
}

OUZEL_EXTERN void ouzel_options_clear_will(ouzel_options* opts) {
  if (opts != nullptr) opts->options.session.will.reset();
}

}  // extern "C"
