// ouzel/events.h over the engine's event queue (cc/client/event_queue.h): events are kept in
// CEvent objects, which also hold the C views an ouzel_event points into, so filling a polled
// batch copies no message, topic or property.
#include "ouzel/events.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/src/event_codes.h"
#include "capi/src/events.h"
#include "capi/src/handles.h"
#include "capi/src/status_mapping.h"
#include "ouzel/errors.h"
#include "ouzel/options.h"

namespace ouzel::capi {
namespace {

// One queued event and what its ouzel_event points into.
struct CEvent : QueuedEvent {
  std::optional<ouzel_message> message;  // MESSAGE: a view of the message in `event`
  ouzel_properties properties;           // a view of the event's properties, or an empty list
  std::string text;                      // CONNECT_FAILED / DISCONNECTED detail
};

// internal_ carries the event's id, never a pointer: releasing an event twice, or one from
// another client, is then found out without touching freed memory.
void* IdToInternal(uint64_t id) { return reinterpret_cast<void*>(static_cast<uintptr_t>(id)); }
uint64_t InternalToId(const void* p) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p));
}

void SetText(ouzel_event* out, const std::string& text) {
  out->text = text.data();
  out->text_len = text.size();
}

void SetProperties(CEvent* node, ouzel_event* out, const Properties& properties) {
  node->properties.borrowed = &properties;
  out->properties = &node->properties;
}

// SUBSCRIBE_DONE / UNSUBSCRIBE_DONE: the two acks carry the same fields.
template <typename DoneEvent>
void FillRequestDone(CEvent* node, ouzel_event* out, int32_t type, const DoneEvent& e) {
  out->type = type;
  out->mid = e.packet_id;
  out->error = CodeOf(e.error);
  out->reason_codes = e.reason_codes.empty() ? nullptr : e.reason_codes.data();
  out->reason_code_count = e.reason_codes.size();
  SetProperties(node, out, e.properties);
}

// Fills `out` (already zeroed) from the event held by `node`.
void Fill(CEvent* node, ouzel_event* out) {
  out->internal_ = IdToInternal(node->id());
  out->properties = &node->properties;  // an empty list unless the event has its own
  if (const auto* log = std::get_if<LogEvent>(&node->event)) {
    out->type = OUZEL_EVENT_LOG;
    out->level = LogLevelCode(log->level);
    SetText(out, log->text);
    return;
  }
  const SessionEvent& e = std::get<SessionEvent>(node->event);
  if (const auto* m = std::get_if<MessageEvent>(&e)) {
    const Message& msg = m->message;
    out->type = OUZEL_EVENT_MESSAGE;
    out->mid = msg.packet_id;
    out->qos = msg.qos;
    out->retain = msg.retain ? 1 : 0;
    out->dup = msg.dup ? 1 : 0;
    out->ack_on_release = node->ack_on_release ? 1 : 0;
    out->topic = msg.topic.data();
    out->topic_len = msg.topic.size();
    out->payload = msg.payload.empty() ? nullptr : msg.payload.data();
    out->payload_len = msg.payload.size();
    if (!node->message.has_value()) node->message.emplace(msg);
    out->message = &*node->message;
    out->properties = &node->message->properties;
  } else if (const auto* p = std::get_if<PublishDoneEvent>(&e)) {
    out->type = OUZEL_EVENT_PUBLISH_DONE;
    out->token = p->token;
    out->state = static_cast<int32_t>(p->status.state);  // OUZEL_DELIVERY_* follow the enum
    out->drop_reason = DropReasonCode(p->status.drop_reason);
    out->mid = p->status.packet_id;
    out->reason_code = p->status.reason_code;
    out->qos = p->status.qos;
    SetProperties(node, out, p->properties);
  } else if (const auto* c = std::get_if<ConnectedEvent>(&e)) {
    out->type = OUZEL_EVENT_CONNECTED;
    out->reason_code = c->reason_code;
    out->session_present = c->session_present ? 1 : 0;
    SetProperties(node, out, c->properties);
  } else if (const auto* f = std::get_if<ConnectFailedEvent>(&e)) {
    out->type = OUZEL_EVENT_CONNECT_FAILED;
    out->error = ConnectFailCode(*f, &node->text);
    out->reason_code = f->reason_code.has_value() ? *f->reason_code : -1;
    SetText(out, node->text);
    SetProperties(node, out, f->properties);
  } else if (const auto* d = std::get_if<DisconnectedEvent>(&e)) {
    out->type = OUZEL_EVENT_DISCONNECTED;
    out->error = CodeOf(d->error);
    out->reason_code = d->reason_code;
    out->by_server = d->by_server ? 1 : 0;
    node->text.assign(d->error.message().data(), d->error.message().size());
    SetText(out, node->text);
    SetProperties(node, out, d->properties);
  } else if (const auto* s = std::get_if<SubscribeDoneEvent>(&e)) {
    FillRequestDone(node, out, OUZEL_EVENT_SUBSCRIBE_DONE, *s);
  } else if (const auto* u = std::get_if<UnsubscribeDoneEvent>(&e)) {
    FillRequestDone(node, out, OUZEL_EVENT_UNSUBSCRIBE_DONE, *u);
  } else if (const auto* a = std::get_if<AuthEvent>(&e)) {
    out->type = OUZEL_EVENT_AUTH;
    out->reason_code = a->reason_code;
    SetProperties(node, out, a->properties);
  }
}

}  // namespace

void UseCEvents(EventQueueOptions* options) {
  options->make_event = [] { return std::make_unique<CEvent>(); };
}

bool IsEventQueueOption(int32_t option) {
  return option >= OUZEL_OPT_EVENT_QUEUE && option <= OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL;
}

int SetEventQueueOption(ouzel_options* opts, int32_t option, int64_t value) {
  // Ranges were checked against the option table (option_table.cc) before this.
  EventQueueOptions* options = &opts->options.event_queue;
  switch (option) {
    case OUZEL_OPT_EVENT_QUEUE:
      options->enabled = value == 1;
      return OUZEL_OK;
    case OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES:
      options->max_messages = static_cast<size_t>(value);
      return OUZEL_OK;
    case OUZEL_OPT_EVENT_QUEUE_MAX_BYTES:
      options->max_bytes = static_cast<size_t>(value);
      return OUZEL_OK;
    case OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL:
      if (value == 0) {
        options->log_level.reset();
        opts->event_queue_log_level = 0;
        return OUZEL_OK;
      }
      if (value != OUZEL_LOG_INFO && value != OUZEL_LOG_NOTICE && value != OUZEL_LOG_WARNING &&
          value != OUZEL_LOG_ERR && value != OUZEL_LOG_DEBUG) {
        return Fail(OUZEL_EINVAL, absl::StrCat("OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL: ", value,
                                               " is not 0 or an OUZEL_LOG_* level (1, 2, 4, 8, "
                                               "16)"));
      }
      options->log_level = EngineLogLevel(static_cast<int32_t>(value));
      opts->event_queue_log_level = static_cast<int32_t>(value);
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINVAL, absl::StrCat("option ", option, " is not an event queue option"));
  }
}

int GetEventQueueOption(const ouzel_options& opts, int32_t option, int64_t* out) {
  const EventQueueOptions& options = opts.options.event_queue;
  switch (option) {
    case OUZEL_OPT_EVENT_QUEUE:
      *out = options.enabled ? 1 : 0;
      return OUZEL_OK;
    case OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES:
      *out = static_cast<int64_t>(options.max_messages);
      return OUZEL_OK;
    case OUZEL_OPT_EVENT_QUEUE_MAX_BYTES:
      *out = static_cast<int64_t>(options.max_bytes);
      return OUZEL_OK;
    case OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL:
      *out = opts.event_queue_log_level;
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINVAL, absl::StrCat("option ", option, " is not an event queue option"));
  }
}

}  // namespace ouzel::capi

extern "C" {

OUZEL_EXTERN int ouzel_event_init(ouzel_event* events, uint32_t version) {
  using ouzel::capi::Fail;
  if (events == nullptr) return Fail(OUZEL_EINVAL, "events must not be NULL");
  if (version != OUZEL_EVENT_VERSION) {
    return Fail(OUZEL_EVERSION, absl::StrCat("unknown ouzel_event version ", version));
  }
  *events = ouzel_event{};
  events->version = version;
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_client_poll_events(ouzel_client* client, ouzel_event* events, size_t max,
                                          int32_t timeout_ms) {
  using ouzel::capi::Fail;
  return ouzel::capi::Guarded([&] {
    if (client == nullptr || events == nullptr || max == 0) {
      return Fail(OUZEL_EINVAL, "need a client, an events array and max > 0");
    }
    if (!client->event_queue) {
      return Fail(OUZEL_EINVAL, "this client was not created with OUZEL_OPT_EVENT_QUEUE = 1");
    }
    const uint32_t version = events[0].version;
    if (version != OUZEL_EVENT_VERSION) {
      return Fail(OUZEL_EVERSION, "initialise the events array with ouzel_event_init");
    }
    // Poll cannot report more than an int holds.
    max = std::min<size_t>(max, std::numeric_limits<int>::max());
    thread_local std::vector<ouzel::QueuedEvent*> batch;
    batch.clear();
    const absl::Duration timeout =
        timeout_ms < 0 ? absl::InfiniteDuration() : absl::Milliseconds(timeout_ms);
    absl::StatusOr<size_t> n = client->client->PollEvents(batch, max, timeout);
    if (!n.ok()) return ouzel::capi::FromStatus(n.status());
    for (size_t i = 0; i < batch.size(); ++i) {
      events[i] = ouzel_event{};
      events[i].version = version;
      ouzel::capi::Fill(static_cast<ouzel::capi::CEvent*>(batch[i]), &events[i]);
    }
    return static_cast<int>(batch.size());
  });
}

OUZEL_EXTERN int ouzel_client_release_events(ouzel_client* client, ouzel_event* events,
                                             size_t count) {
  using ouzel::capi::Fail;
  return ouzel::capi::Guarded([&] {
    if (client == nullptr || (events == nullptr && count > 0)) {
      return Fail(OUZEL_EINVAL, "need a client, and events when count > 0");
    }
    if (count == 0) return OUZEL_OK;
    if (!client->event_queue) {
      return Fail(OUZEL_EINVAL, "this client was not created with OUZEL_OPT_EVENT_QUEUE = 1");
    }
    thread_local std::vector<ouzel::EventRelease> releases;
    releases.clear();
    releases.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      const uint64_t id = ouzel::capi::InternalToId(events[i].internal_);
      if (id == 0) {
        return Fail(OUZEL_EINVAL, absl::StrCat("event ", i, " was not polled or was released"));
      }
      releases.push_back(
          {id, events[i].type == OUZEL_EVENT_MESSAGE && events[i].ack_on_release != 0});
    }
    absl::Status s = client->client->ReleaseEvents(releases);
    if (!s.ok()) return ouzel::capi::FromStatus(s);
    // Releasing the same struct again is then refused without looking the id up.
    for (size_t i = 0; i < count; ++i) events[i].internal_ = nullptr;
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int32_t ouzel_client_event_fd(const ouzel_client* client) {
  if (client == nullptr || !client->event_queue) return -1;
  return client->client->EventFd();
}

OUZEL_EXTERN int ouzel_client_interrupt_poll(ouzel_client* client) {
  using ouzel::capi::Fail;
  return ouzel::capi::Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    if (!client->event_queue) {
      return Fail(OUZEL_EINVAL, "this client was not created with OUZEL_OPT_EVENT_QUEUE = 1");
    }
    return ouzel::capi::FromStatus(client->client->InterruptPoll());
  });
}

}  // extern "C"
