// ouzel_options_get_int / _get_string and ouzel_option_get_info / ouzel_option_ids: reading
// options back, and what each option accepts (option_table.h) with the default a fresh
// ouzel_options holds, so the defaults stay where the engine keeps them.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "capi/src/events.h"
#include "capi/src/handles.h"
#include "capi/src/option_table.h"
#include "capi/src/status_mapping.h"
#include "capi/src/store_setup.h"
#include "capi/src/transport_options.h"
#include "ouzel/errors.h"
#include "ouzel/options.h"

namespace {

using ouzel::capi::Fail;
using ouzel::capi::FindOptionOfType;
using ouzel::capi::Guarded;
using ouzel::capi::OptionSpec;

int64_t Millis(absl::Duration d) { return absl::ToInt64Milliseconds(d); }

int GetInt(const ouzel_options& opts, const OptionSpec& spec, int64_t* out) {
  const ouzel::ClientOptions& o = opts.options;
  const ouzel::SessionOptions& s = o.session;
  switch (spec.id) {
    case OUZEL_OPT_PROTOCOL_VERSION:
      *out = static_cast<int64_t>(s.version);
      return OUZEL_OK;
    case OUZEL_OPT_CLEAN_START:
      *out = s.clean_start ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_KEEPALIVE_SECONDS:
      *out = s.keep_alive_seconds;
      return OUZEL_OK;
    case OUZEL_OPT_CONNECT_TIMEOUT_MS:
      *out = Millis(o.connect_timeout);
      return OUZEL_OK;
    case OUZEL_OPT_MAX_INFLIGHT:
      *out = s.max_inflight;
      return OUZEL_OK;
    case OUZEL_OPT_MAX_QUEUED_MESSAGES:
      *out = static_cast<int64_t>(s.max_queued_messages);
      return OUZEL_OK;
    case OUZEL_OPT_MAX_QUEUED_BYTES:
      *out = static_cast<int64_t>(s.max_queued_bytes);
      return OUZEL_OK;
    case OUZEL_OPT_QUEUE_FULL_POLICY:
      *out = s.queue_full_policy == ouzel::QueueFullPolicy::kRefuseNew
                 ? OUZEL_QUEUE_FULL_REFUSE_NEW
                 : OUZEL_QUEUE_FULL_DROP_OLDEST_QOS0;
      return OUZEL_OK;
    case OUZEL_OPT_QUEUE_QOS0_OFFLINE:
      *out = s.queue_qos0_while_offline ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_LOST_SESSION_POLICY:
      *out = s.lost_session_policy == ouzel::LostSessionPolicy::kFailInflight
                 ? OUZEL_LOST_SESSION_FAIL_INFLIGHT
                 : OUZEL_LOST_SESSION_RESEND_AS_NEW;
      return OUZEL_OK;
    case OUZEL_OPT_AUTO_TOPIC_ALIAS:
      *out = s.auto_topic_alias ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_MANUAL_ACK:
      *out = s.manual_ack ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_QOS2_DELIVERY:
      *out = s.qos2_delivery == ouzel::Qos2Delivery::kOnPublish ? OUZEL_QOS2_DELIVERY_ON_PUBLISH
                                                                : OUZEL_QOS2_DELIVERY_ON_PUBREL;
      return OUZEL_OK;
    case OUZEL_OPT_RECONNECT:
      *out = o.auto_reconnect ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_RECONNECT_MIN_DELAY_MS:
      *out = Millis(o.reconnect_min_delay);
      return OUZEL_OK;
    case OUZEL_OPT_RECONNECT_MAX_DELAY_MS:
      *out = Millis(o.reconnect_max_delay);
      return OUZEL_OK;
    case OUZEL_OPT_FOLLOW_SERVER_REFERENCE:
      *out = o.follow_server_reference ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_TCP_NODELAY:
      *out = o.transport.tcp_nodelay ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_NUMBER_QOS0_MESSAGES:
      *out = s.number_qos0_messages ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_PING_TIMEOUT_MS:
      *out = Millis(s.ping_timeout);
      return OUZEL_OK;
    case OUZEL_OPT_RECONNECT_CLEAN_START:
      *out = s.reconnect_clean_start.has_value() ? (*s.reconnect_clean_start ? 1 : 0) : -1;
      return OUZEL_OK;
    case OUZEL_OPT_BIND_PORT:
      *out = o.transport.bind_port;
      return OUZEL_OK;
    case OUZEL_OPT_LOOP_INTERRUPT_FD:
      *out = o.loop_interrupt_fd;
      return OUZEL_OK;
    case OUZEL_OPT_HOLD_OUTPUT_UNTIL_SEEN:
      *out = s.hold_output_until_released ? 1 : 0;
      return OUZEL_OK;
    default:
      if (ouzel::capi::IsEventQueueOption(spec.id)) {
        return ouzel::capi::GetEventQueueOption(opts, spec.id, out);
      }
      if (spec.id >= 60 && spec.id <= 79) {
        return ouzel::capi::GetPersistenceInt(opts.persistence, spec.id, out);
      }
      if (ouzel::capi::IsTransportIntOption(spec.id)) {
        return ouzel::capi::GetTransportInt(o.transport, spec.id, out);
      }
      return Fail(OUZEL_EINTERNAL, absl::StrCat(spec.name, " has no getter"));
  }
}

// nullopt: unset (no user name, no password), which differs from "".
int GetString(const ouzel_options& opts, const OptionSpec& spec, std::optional<std::string>* out) {
  const ouzel::ClientOptions& o = opts.options;
  if ((spec.flags & OUZEL_OPTION_WRITE_ONLY) != 0) {
    const OptionSpec* instead = ouzel::capi::FindOption(spec.read_instead);
    return Fail(OUZEL_EINVAL, absl::StrCat(spec.name, " is write-only; read ",
                                           instead != nullptr ? instead->name : "another option"));
  }
  switch (spec.id) {
    case OUZEL_OPT_SERVER_URI:
      *out = absl::StrJoin(o.servers, "\n");
      return OUZEL_OK;
    case OUZEL_OPT_CLIENT_ID:
      *out = o.session.client_id;
      return OUZEL_OK;
    case OUZEL_OPT_USERNAME:
      *out = o.session.username;
      return OUZEL_OK;
    case OUZEL_OPT_PASSWORD:
      if (o.session.password.has_value()) {
        *out = o.session.password->str();
      } else {
        out->reset();
      }
      return OUZEL_OK;
    case OUZEL_OPT_BIND_ADDRESS:
      *out = o.transport.bind_address;
      return OUZEL_OK;
    default: {
      std::string value;
      int rc;
      if (spec.id >= 140 && spec.id <= 149) {
        rc = ouzel::capi::GetPersistenceString(opts.persistence, spec.id, &value);
      } else if (ouzel::capi::IsTransportStringOption(spec.id)) {
        rc = ouzel::capi::GetTransportString(o.transport, spec.id, &value);
      } else {
        rc = Fail(OUZEL_EINTERNAL, absl::StrCat(spec.name, " has no getter"));
      }
      if (rc == OUZEL_OK) *out = std::move(value);
      ouzel::WipeString(&value);  // a short value stays in place after the move; it may be a secret
      return rc;
    }
  }
}

// The value of every option in a fresh ouzel_options, read once.
struct Defaults {
  std::vector<int64_t> ints;                        // by position in AllOptions()
  std::vector<std::optional<std::string>> strings;  // likewise
};

const Defaults& FreshDefaults() {
  static const Defaults* defaults = [] {
    auto* d = new Defaults();
    const ouzel_options fresh;
    for (const OptionSpec& spec : ouzel::capi::AllOptions()) {
      int64_t v = 0;
      std::optional<std::string> s;
      if (spec.type == OUZEL_OPTTYPE_INT) {
        GetInt(fresh, spec, &v);
      } else if ((spec.flags & OUZEL_OPTION_WRITE_ONLY) == 0) {
        GetString(fresh, spec, &s);
      }
      d->ints.push_back(v);
      d->strings.push_back(std::move(s));
    }
    return d;
  }();
  return *defaults;
}

}  // namespace

extern "C" {

OUZEL_EXTERN int ouzel_options_get_int(const ouzel_options* opts, int32_t option, int64_t* out) {
  return Guarded([&] {
    if (opts == nullptr || out == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    const OptionSpec* spec = FindOptionOfType(option, OUZEL_OPTTYPE_INT);
    if (spec == nullptr) return OUZEL_EINVAL;
    return GetInt(*opts, *spec, out);
  });
}

OUZEL_EXTERN int ouzel_options_get_string(const ouzel_options* opts, int32_t option,
                                          const char** out, size_t* out_len) {
  return Guarded([&] {
    if (opts == nullptr || out == nullptr || out_len == nullptr) {
      return Fail(OUZEL_EINVAL, "NULL argument");
    }
    const OptionSpec* spec = FindOptionOfType(option, OUZEL_OPTTYPE_STRING);
    if (spec == nullptr) return OUZEL_EINVAL;
    std::optional<std::string> value;
    if (int rc = GetString(*opts, *spec, &value); rc != OUZEL_OK) return rc;
    if (!value.has_value()) {
      *out = nullptr;
      *out_len = 0;
      return OUZEL_OK;
    }
    opts->read_back = *std::move(value);  // takes the buffer and zeroes what is left behind
    *out = opts->read_back.data();
    *out_len = opts->read_back.size();
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_option_info_init(ouzel_option_info* info, uint32_t version) {
  if (info == nullptr) return Fail(OUZEL_EINVAL, "info must not be NULL");
  if (version != OUZEL_OPTION_INFO_VERSION) {
    return Fail(OUZEL_EVERSION, absl::StrCat("unknown ouzel_option_info version ", version));
  }
  *info = ouzel_option_info{};
  info->version = version;
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_option_get_info(int32_t option, ouzel_option_info* info) {
  return Guarded([&] {
    if (info == nullptr) return Fail(OUZEL_EINVAL, "info must not be NULL");
    if (info->version != OUZEL_OPTION_INFO_VERSION) {
      return Fail(OUZEL_EVERSION, "initialise the info with ouzel_option_info_init");
    }
    const OptionSpec* spec = ouzel::capi::FindOption(option);
    if (spec == nullptr) return Fail(OUZEL_ENOTFOUND, absl::StrCat("no option ", option));
    const size_t i = static_cast<size_t>(spec - ouzel::capi::AllOptions().data());
    const Defaults& d = FreshDefaults();
    info->id = spec->id;
    info->name = spec->name;
    info->type = spec->type;
    info->flags = spec->flags;
    info->min = spec->min;
    info->max = spec->max;
    info->default_int = d.ints[i];
    info->default_string = d.strings[i].has_value() ? d.strings[i]->data() : nullptr;
    info->default_string_len = d.strings[i].has_value() ? d.strings[i]->size() : 0;
    info->read_instead = spec->read_instead;
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_option_ids(const int32_t** out, size_t* out_count) {
  return Guarded([&] {
    if (out == nullptr || out_count == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    static const std::vector<int32_t>* ids = [] {
      auto* v = new std::vector<int32_t>();
      for (const OptionSpec& spec : ouzel::capi::AllOptions()) v->push_back(spec.id);
      return v;
    }();
    *out = ids->data();
    *out_count = ids->size();
    return OUZEL_OK;
  });
}

}  // extern "C"
