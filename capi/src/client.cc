// ouzel_client_*: lifecycle, connection, publish/subscribe and callback registration over
// ouzel::Client. Callback trampolines turn engine events into C arguments without copying
// messages or properties (views, valid for the duration of the call).
#include "ouzel/client.h"

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/src/event_codes.h"
#include "capi/src/events.h"
#include "capi/src/handles.h"
#include "capi/src/status_mapping.h"
#include "capi/src/transport_options.h"
#include "ouzel/errors.h"

namespace {

using ouzel::capi::DropReasonCode;
using ouzel::capi::EngineLogLevel;
using ouzel::capi::Fail;
using ouzel::capi::FromStatus;
using ouzel::capi::Guarded;
using ouzel::capi::LogLevelCode;

// A registered C callback. Destroyed when the last copy of the std::function holding it goes
// away, which is after the last call that could still be running: that is when the release hook
// must run ("exactly once, after the last possible call").
template <typename Fn>
struct Registration {
  Fn fn;
  void* user_data;
  ouzel_release_fn release;
  Registration(Fn f, void* ud, ouzel_release_fn r) : fn(f), user_data(ud), release(r) {}
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  ~Registration() {
    if (release != nullptr) release(user_data);
  }
};

// Installs `cb` through `set` (a Client setter) with an adapter from engine arguments to C ones.
// A NULL callback removes the old one; its user_data (if any) is released at once.
template <typename Fn, typename Setter, typename MakeAdapter>
int Register(ouzel_client* client, Fn cb, void* user_data, ouzel_release_fn release, Setter set,
             MakeAdapter make_adapter) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    if (cb == nullptr) {
      set(nullptr);
      if (release != nullptr) release(user_data);
      return OUZEL_OK;
    }
    auto reg = std::make_shared<const Registration<Fn>>(cb, user_data, release);
    set(make_adapter(client, std::move(reg)));
    return OUZEL_OK;
  });
}

// Register for the callbacks of events that a client with OUZEL_OPT_EVENT_QUEUE delivers through
// its queue instead: refused there (they would never run).
template <typename Fn, typename Setter, typename MakeAdapter>
int RegisterQueued(ouzel_client* client, Fn cb, void* user_data, ouzel_release_fn release,
                   Setter set, MakeAdapter make_adapter) {
  if (client != nullptr && client->event_queue) {
    return Fail(OUZEL_EINVAL,
                "this client delivers its events through ouzel_client_poll_events "
                "(OUZEL_OPT_EVENT_QUEUE): no callback for them");
  }
  return Register(client, cb, user_data, release, std::move(set), std::move(make_adapter));
}

// Bytes of ouzel_delivery_status that a caller of `version` has: each version appends fields.
size_t DeliveryStatusSize(uint32_t version) {
  switch (version) {
    case 1:
      return offsetof(ouzel_delivery_status, qos);
    case 2:
      return sizeof(ouzel_delivery_status);
    default:
      return 0;
  }
}

// Writes the fields `out->version` has (checked by the caller).
void FillStatus(const ouzel::MessageStatus& s, ouzel_delivery_status* out) {
  out->state = static_cast<int32_t>(s.state);  // OUZEL_DELIVERY_* follow DeliveryState's order
  out->drop_reason = DropReasonCode(s.drop_reason);
  out->mid = s.packet_id;
  out->reason_code = s.reason_code;
  if (out->version >= 2) out->qos = s.qos;
}

int CheckQos(int32_t qos) {
  if (qos < 0 || qos > 2) return Fail(OUZEL_EINVAL, absl::StrCat("QoS ", qos, " is not 0, 1 or 2"));
  return OUZEL_OK;
}

}  // namespace

extern "C" {

OUZEL_EXTERN int ouzel_delivery_status_init(ouzel_delivery_status* status, uint32_t version) {
  if (status == nullptr) return Fail(OUZEL_EINVAL, "status must not be NULL");
  const size_t size = DeliveryStatusSize(version);
  if (size == 0) {
    return Fail(OUZEL_EVERSION, absl::StrCat("unknown ouzel_delivery_status version ", version));
  }
  std::memset(status, 0, size);  // a version 1 caller's struct ends before qos
  status->version = version;
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_subscription_init(ouzel_subscription* sub, uint32_t version) {
  if (sub == nullptr) return Fail(OUZEL_EINVAL, "sub must not be NULL");
  if (version != OUZEL_SUBSCRIPTION_VERSION) {
    return Fail(OUZEL_EVERSION, absl::StrCat("unknown ouzel_subscription version ", version));
  }
  *sub = ouzel_subscription{};
  sub->version = version;
  sub->filter_len = SIZE_MAX;
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_client_new(ouzel_client** out, const ouzel_options* opts) {
  return Guarded([&] {
    if (out == nullptr) return Fail(OUZEL_EINVAL, "out must not be NULL");
    ouzel::ClientOptions options = opts != nullptr ? opts->options : ouzel::ClientOptions();
    if (int rc = ouzel::capi::CheckTransportOptions(options.transport); rc != OUZEL_OK) return rc;
    std::shared_ptr<ouzel::capi::StoreFront> store;
    ouzel::capi::RecoverySummary recovery;
    if (opts != nullptr) {
      int rc = ouzel::capi::BuildStore(opts->persistence, options, &store, &recovery);
      if (rc != OUZEL_OK) return rc;
    }
    options.shared_store = store;
    const bool event_queue = options.event_queue.enabled;
    if (event_queue) ouzel::capi::UseCEvents(&options.event_queue);
    absl::StatusOr<std::unique_ptr<ouzel::Client>> c = ouzel::Client::Create(std::move(options));
    if (!c.ok()) return FromStatus(c.status());
    auto* handle = new ouzel_client();
    handle->client = *std::move(c);
    handle->store = std::move(store);
    handle->recovery = std::move(recovery);
    handle->event_queue = event_queue;
    *out = handle;
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_client_set_options(ouzel_client* client, const ouzel_options* opts,
                                          uint32_t flags) {
  return Guarded([&] {
    if (client == nullptr || opts == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    if ((flags & ~OUZEL_SET_OPTIONS_FIRST_CONNECTION) != 0) {
      return Fail(OUZEL_EINVAL, absl::StrCat("unknown flags 0x", absl::Hex(flags)));
    }
    return FromStatus(client->client->UpdateOptions(
        opts->options, (flags & OUZEL_SET_OPTIONS_FIRST_CONNECTION) != 0));
  });
}

// ~Client defers its teardown when called from inside its own callback, so deleting the handle
// is safe from anywhere the header allows.
OUZEL_EXTERN void ouzel_client_free(ouzel_client* client) { delete client; }

OUZEL_EXTERN int ouzel_client_connect(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return FromStatus(client->client->ConnectAsync());
  });
}

OUZEL_EXTERN int ouzel_client_connect_blocking(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return FromStatus(client->client->Connect());
  });
}

OUZEL_EXTERN int ouzel_client_reconnect(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return FromStatus(client->client->Reconnect());
  });
}

OUZEL_EXTERN int ouzel_client_disconnect(ouzel_client* client, int32_t reason_code,
                                         const ouzel_properties* props) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    if (reason_code < 0 || reason_code > 255) {
      return Fail(OUZEL_EINVAL, absl::StrCat("reason code ", reason_code, " is not a byte"));
    }
    ouzel::Properties p = props != nullptr ? props->get() : ouzel::Properties();
    return FromStatus(client->client->Disconnect(static_cast<uint8_t>(reason_code), std::move(p)));
  });
}

OUZEL_EXTERN int32_t ouzel_client_is_connected(const ouzel_client* client) {
  return client != nullptr && client->client->IsConnected() ? 1 : 0;
}

OUZEL_EXTERN int ouzel_client_publish(ouzel_client* client, const char* topic, size_t topic_len,
                                      const void* payload, size_t payload_len, int32_t qos,
                                      int32_t retain, const ouzel_properties* props,
                                      uint64_t* out_token, int32_t* out_mid) {
  return Guarded([&] {
    if (client == nullptr || topic == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    if (payload == nullptr && payload_len != 0) {
      return Fail(OUZEL_EINVAL, "payload is NULL but payload_len is not 0");
    }
    if (int rc = CheckQos(qos); rc != OUZEL_OK) return rc;
    if (retain != 0 && retain != 1) return Fail(OUZEL_EINVAL, "retain must be 0 or 1");
    absl::string_view t = ouzel::capi::StringArg(topic, topic_len);
    // Every length is checked before anything is copied (issue 17): a payload over the protocol's
    // or the server's limit is refused without touching its bytes.
    if (absl::Status size =
            client->client->CheckPublishSize(t.size(), payload_len, static_cast<uint8_t>(qos));
        !size.ok()) {
      return FromStatus(size);
    }
    ouzel::PublishRequest request;
    request.topic.assign(t.data(), t.size());
    request.payload.assign(static_cast<const char*>(payload), payload_len);
    request.qos = static_cast<uint8_t>(qos);
    request.retain = retain == 1;
    if (props != nullptr) request.properties = props->get();
    uint16_t mid = 0;
    absl::StatusOr<ouzel::MessageToken> token = client->client->Publish(std::move(request), &mid);
    if (!token.ok()) return FromStatus(token.status());
    if (out_token != nullptr) *out_token = *token;
    if (out_mid != nullptr) *out_mid = mid;
    // OUZEL_OK for a QoS 1/2 message promises that it is durably queued (ouzel/persistence.h), and
    // stores may batch their records until Flush: flush now rather than at the loop's next write.
    if (qos > 0 && client->store != nullptr) return FromStatus(client->store->Flush());
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_client_delivery_status(ouzel_client* client, uint64_t token,
                                              ouzel_delivery_status* status) {
  return Guarded([&] {
    if (client == nullptr || status == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    if (DeliveryStatusSize(status->version) == 0) {
      return Fail(OUZEL_EVERSION, "initialise the status with ouzel_delivery_status_init");
    }
    std::optional<ouzel::MessageStatus> s = client->client->DeliveryStatus(token);
    if (!s.has_value()) {
      return Fail(OUZEL_ENOTFOUND, absl::StrCat("no message with token ", token));
    }
    FillStatus(*s, status);
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_client_wait_for_publish(ouzel_client* client, uint64_t token,
                                               int32_t timeout_ms) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    const absl::Duration timeout =
        timeout_ms < 0 ? absl::InfiniteDuration() : absl::Milliseconds(timeout_ms);
    absl::StatusOr<ouzel::MessageStatus> s = client->client->WaitForPublish(token, timeout);
    if (!s.ok()) return FromStatus(s.status());
    switch (s->state) {
      case ouzel::DeliveryState::kAcknowledged:
        return OUZEL_OK;
      case ouzel::DeliveryState::kExpired:
        return Fail(OUZEL_ETIMEDOUT, "the message expired before it could be sent");
      default:
        return Fail(OUZEL_ECLOSED, absl::StrCat("the message was dropped (reason ",
                                                DropReasonCode(s->drop_reason), ")"));
    }
  });
}

OUZEL_EXTERN int ouzel_client_subscribe(ouzel_client* client, const ouzel_subscription* subs,
                                        size_t count, const ouzel_properties* props,
                                        int32_t* out_mid) {
  return Guarded([&] {
    if (client == nullptr || subs == nullptr || count == 0) {
      return Fail(OUZEL_EINVAL, "need a client and at least one subscription");
    }
    ouzel::SubscribeRequest request;
    request.subscriptions.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      const ouzel_subscription& s = subs[i];
      if (s.version != OUZEL_SUBSCRIPTION_VERSION) {
        return Fail(OUZEL_EVERSION, "initialise subscriptions with ouzel_subscription_init");
      }
      if (s.filter == nullptr) return Fail(OUZEL_EINVAL, "a subscription has a NULL filter");
      if (int rc = CheckQos(s.qos); rc != OUZEL_OK) return rc;
      if (s.retain_handling < 0 || s.retain_handling > 2) {
        return Fail(OUZEL_EINVAL, "retain_handling must be 0, 1 or 2");
      }
      ouzel::Subscription sub;
      absl::string_view f = ouzel::capi::StringArg(s.filter, s.filter_len);
      sub.filter.assign(f.data(), f.size());
      sub.qos = static_cast<uint8_t>(s.qos);
      sub.no_local = s.no_local != 0;
      sub.retain_as_published = s.retain_as_published != 0;
      sub.retain_handling = static_cast<uint8_t>(s.retain_handling);
      request.subscriptions.push_back(std::move(sub));
    }
    if (props != nullptr) request.properties = props->get();
    absl::StatusOr<uint16_t> mid = client->client->Subscribe(std::move(request));
    if (!mid.ok()) return FromStatus(mid.status());
    if (out_mid != nullptr) *out_mid = *mid;
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_client_unsubscribe(ouzel_client* client, const char* const* filters,
                                          const size_t* lens, size_t count,
                                          const ouzel_properties* props, int32_t* out_mid) {
  return Guarded([&] {
    if (client == nullptr || filters == nullptr || count == 0) {
      return Fail(OUZEL_EINVAL, "need a client and at least one filter");
    }
    std::vector<std::string> list;
    list.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (filters[i] == nullptr) return Fail(OUZEL_EINVAL, "a filter is NULL");
      list.emplace_back(ouzel::capi::StringArg(filters[i], lens != nullptr ? lens[i] : SIZE_MAX));
    }
    ouzel::Properties p = props != nullptr ? props->get() : ouzel::Properties();
    absl::StatusOr<uint16_t> mid = client->client->Unsubscribe(std::move(list), std::move(p));
    if (!mid.ok()) return FromStatus(mid.status());
    if (out_mid != nullptr) *out_mid = *mid;
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_client_ack(ouzel_client* client, int32_t mid) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    if (mid <= 0 || mid > 65535)
      return Fail(OUZEL_EINVAL, absl::StrCat("mid ", mid, " is not 1..65535"));
    return FromStatus(client->client->Ack(static_cast<uint16_t>(mid)));
  });
}

OUZEL_EXTERN int ouzel_client_withhold_ack(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return FromStatus(client->client->WithholdAck());
  });
}

OUZEL_EXTERN int32_t ouzel_client_state(const ouzel_client* client) {
  if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
  switch (client->client->connection_state()) {
    case ouzel::ConnectionState::kDisconnected:
      return OUZEL_STATE_DISCONNECTED;
    case ouzel::ConnectionState::kConnectPending:
      return OUZEL_STATE_CONNECT_PENDING;
    case ouzel::ConnectionState::kConnecting:
      return OUZEL_STATE_CONNECTING;
    case ouzel::ConnectionState::kConnected:
      return OUZEL_STATE_CONNECTED;
    case ouzel::ConnectionState::kDisconnecting:
      return OUZEL_STATE_DISCONNECTING;
    case ouzel::ConnectionState::kConnectionLost:
      return OUZEL_STATE_CONNECTION_LOST;
  }
  return Fail(OUZEL_EINTERNAL, "unknown connection state");
}

OUZEL_EXTERN int ouzel_client_auth_continue(ouzel_client* client, const ouzel_properties* props) {
  return Guarded([&] {
    if (client == nullptr || props == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    return FromStatus(client->client->ContinueAuthentication(props->get()));
  });
}

OUZEL_EXTERN int ouzel_client_reauthenticate(ouzel_client* client, const ouzel_properties* props) {
  return Guarded([&] {
    if (client == nullptr || props == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    return FromStatus(client->client->Reauthenticate(props->get()));
  });
}

// --- Callbacks ---------------------------------------------------------------------------------

OUZEL_EXTERN int ouzel_client_set_on_connect(ouzel_client* client, ouzel_on_connect_fn cb,
                                             void* user_data, ouzel_release_fn release) {
  return RegisterQueued(
      client, cb, user_data, release, [&](auto f) { client->client->SetOnConnect(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](const ouzel::ConnectedEvent& e) {
          ouzel_properties props = ouzel_properties::View(e.properties);
          reg->fn(self, e.reason_code, e.session_present ? 1 : 0, &props, reg->user_data);
        };
      });
}

OUZEL_EXTERN int ouzel_client_set_on_connect_fail(ouzel_client* client, ouzel_on_connect_fail_fn cb,
                                                  void* user_data, ouzel_release_fn release) {
  return RegisterQueued(
      client, cb, user_data, release,
      [&](auto f) { client->client->SetOnConnectFailed(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](const ouzel::ConnectFailedEvent& e) {
          // The detail goes to ouzel_last_error_message for the callback to read.
          std::string detail;
          const int code = ouzel::capi::ConnectFailCode(e, &detail);
          const int error = code == OUZEL_OK ? OUZEL_OK : Fail(code, detail);
          reg->fn(self, error, e.reason_code.has_value() ? *e.reason_code : -1, reg->user_data);
        };
      });
}

OUZEL_EXTERN int ouzel_client_set_on_disconnect(ouzel_client* client, ouzel_on_disconnect_fn cb,
                                                void* user_data, ouzel_release_fn release) {
  return RegisterQueued(
      client, cb, user_data, release,
      [&](auto f) { client->client->SetOnDisconnect(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](const ouzel::DisconnectedEvent& e) {
          ouzel_properties props = ouzel_properties::View(e.properties);
          // The detail goes to ouzel_last_error_message for the callback to read ("" when OK).
          if (e.error.ok()) ouzel::capi::ClearLastError();
          reg->fn(self, FromStatus(e.error), e.reason_code, e.by_server ? 1 : 0, &props,
                  reg->user_data);
        };
      });
}

OUZEL_EXTERN int ouzel_client_set_on_message(ouzel_client* client, ouzel_on_message_fn cb,
                                             void* user_data, ouzel_release_fn release) {
  return RegisterQueued(
      client, cb, user_data, release, [&](auto f) { client->client->SetOnMessage(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](const ouzel::Message& m) {
          const ouzel_message view(m);
          reg->fn(self, &view, reg->user_data);
        };
      });
}

OUZEL_EXTERN int ouzel_client_set_on_publish(ouzel_client* client, ouzel_on_publish_fn cb,
                                             void* user_data, ouzel_release_fn release) {
  return RegisterQueued(
      client, cb, user_data, release, [&](auto f) { client->client->SetOnPublish(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](const ouzel::PublishDoneEvent& e) {
          ouzel_delivery_status status;
          ouzel_delivery_status_init(&status, OUZEL_DELIVERY_STATUS_VERSION);
          FillStatus(e.status, &status);
          ouzel_properties props = ouzel_properties::View(e.properties);
          reg->fn(self, e.token, &status, &props, reg->user_data);
        };
      });
}

OUZEL_EXTERN int ouzel_client_set_on_subscribe(ouzel_client* client, ouzel_on_subscribe_fn cb,
                                               void* user_data, ouzel_release_fn release) {
  return RegisterQueued(
      client, cb, user_data, release, [&](auto f) { client->client->SetOnSubscribe(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](const ouzel::SubscribeDoneEvent& e) {
          ouzel_properties props = ouzel_properties::View(e.properties);
          reg->fn(self, e.packet_id, e.reason_codes.data(), e.reason_codes.size(), &props,
                  reg->user_data);
        };
      });
}

OUZEL_EXTERN int ouzel_client_set_on_unsubscribe(ouzel_client* client, ouzel_on_unsubscribe_fn cb,
                                                 void* user_data, ouzel_release_fn release) {
  return RegisterQueued(
      client, cb, user_data, release,
      [&](auto f) { client->client->SetOnUnsubscribe(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](const ouzel::UnsubscribeDoneEvent& e) {
          ouzel_properties props = ouzel_properties::View(e.properties);
          reg->fn(self, e.packet_id, e.reason_codes.data(), e.reason_codes.size(), &props,
                  reg->user_data);
        };
      });
}

OUZEL_EXTERN int ouzel_client_set_on_auth(ouzel_client* client, ouzel_on_auth_fn cb,
                                          void* user_data, ouzel_release_fn release) {
  return RegisterQueued(
      client, cb, user_data, release, [&](auto f) { client->client->SetOnAuth(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](const ouzel::AuthEvent& e) {
          ouzel_properties props = ouzel_properties::View(e.properties);
          reg->fn(self, e.reason_code, &props, reg->user_data);
        };
      });
}

OUZEL_EXTERN int ouzel_client_set_on_log(ouzel_client* client, ouzel_on_log_fn cb,
                                         int32_t min_level, void* user_data,
                                         ouzel_release_fn release) {
  int rc = RegisterQueued(
      client, cb, user_data, release, [&](auto f) { client->client->SetOnLog(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg](ouzel::LogLevel level, absl::string_view message) {
          const std::string text(message);  // C wants a NUL-terminated string
          reg->fn(self, LogLevelCode(level), text.c_str(), reg->user_data);
        };
      });
  if (rc == OUZEL_OK) client->client->SetLogLevel(EngineLogLevel(min_level));
  return rc;
}

OUZEL_EXTERN int ouzel_client_set_on_pre_connect(ouzel_client* client, ouzel_on_pre_connect_fn cb,
                                                 void* user_data, ouzel_release_fn release) {
  return Register(
      client, cb, user_data, release,
      [&](auto f) { client->client->SetOnPreConnect(std::move(f)); },
      [](ouzel_client* self, auto reg) {
        return [self, reg]() { reg->fn(self, reg->user_data); };
      });
}

#define OUZEL_SOCKET_HOOK(c_name, engine_setter)                                        \
  OUZEL_EXTERN int c_name(ouzel_client* client, ouzel_on_socket_fn cb, void* user_data, \
                          ouzel_release_fn release) {                                   \
    return Register(                                                                    \
        client, cb, user_data, release,                                                 \
        [&](auto f) { client->client->engine_setter(std::move(f)); },                   \
        [](ouzel_client* self, auto reg) {                                              \
          return [self, reg](int fd) { reg->fn(self, fd, reg->user_data); };            \
        });                                                                             \
  }

OUZEL_SOCKET_HOOK(ouzel_client_set_on_socket_open, SetOnSocketOpen)
OUZEL_SOCKET_HOOK(ouzel_client_set_on_socket_close, SetOnSocketClose)
OUZEL_SOCKET_HOOK(ouzel_client_set_on_socket_register_write, SetOnSocketRegisterWrite)
OUZEL_SOCKET_HOOK(ouzel_client_set_on_socket_unregister_write, SetOnSocketUnregisterWrite)
#undef OUZEL_SOCKET_HOOK

// --- Counters ----------------------------------------------------------------------------------

OUZEL_EXTERN int ouzel_client_stat(const ouzel_client* client, int32_t stat, int64_t* out) {
  return Guarded([&] {
    if (client == nullptr || out == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    const ouzel::ClientStats s = client->client->Stats();
    switch (stat) {
      case OUZEL_STAT_MESSAGES_SENT:
        *out = static_cast<int64_t>(s.messages_sent);
        return OUZEL_OK;
      case OUZEL_STAT_MESSAGES_RECEIVED:
        *out = static_cast<int64_t>(s.messages_received);
        return OUZEL_OK;
      case OUZEL_STAT_BYTES_SENT:
        *out = static_cast<int64_t>(s.bytes_sent);
        return OUZEL_OK;
      case OUZEL_STAT_BYTES_RECEIVED:
        *out = static_cast<int64_t>(s.bytes_received);
        return OUZEL_OK;
      case OUZEL_STAT_INFLIGHT:
        *out = static_cast<int64_t>(s.inflight);
        return OUZEL_OK;
      case OUZEL_STAT_QUEUED:
        *out = static_cast<int64_t>(s.queued);
        return OUZEL_OK;
      case OUZEL_STAT_RECONNECTS:
        *out = static_cast<int64_t>(s.reconnects);
        return OUZEL_OK;
      case OUZEL_STAT_LAST_DISCONNECT_REASON:
        *out = s.last_disconnect_reason.has_value() ? *s.last_disconnect_reason : -1;
        return OUZEL_OK;
      case OUZEL_STAT_STORE_COMPACTIONS:
      case OUZEL_STAT_STORE_SYNCS:
      case OUZEL_STAT_STORE_LOG_BYTES: {
        const ouzel::FileStoreStats f =
            client->store != nullptr ? client->store->file_store_stats() : ouzel::FileStoreStats();
        *out = static_cast<int64_t>(stat == OUZEL_STAT_STORE_COMPACTIONS ? f.compactions
                                    : stat == OUZEL_STAT_STORE_SYNCS     ? f.syncs
                                                                         : f.log_bytes);
        return OUZEL_OK;
      }
      default:
        return Fail(OUZEL_EINVAL, absl::StrCat("unknown stat ", stat));
    }
  });
}

}  // extern "C"
