// The event queue's types: a Client created with ClientOptions::event_queue.enabled keeps its
// events (connected, message, publish done, ...) in a FIFO that the application drains in batches
// on its own threads (Client::PollEvents) and hands back when done (Client::ReleaseEvents),
// instead of receiving them as callbacks on the loop thread.
//
//   ClientOptions o;
//   o.event_queue.enabled = true;
//   ...
//   std::vector<QueuedEvent*> batch;
//   while (client->PollEvents(batch, 256, absl::Seconds(1)).ok()) {
//     for (QueuedEvent* e : batch) Handle(e->event);
//     client->ReleaseEvents(batch);  // frees them, acknowledges their QoS 1/2 messages
//     batch.clear();
//   }
//
// docs/events.md has the contract: order, ownership, acknowledgement and back-pressure.
#ifndef OUZEL_CC_CLIENT_QUEUED_EVENT_H_
#define OUZEL_CC_CLIENT_QUEUED_EVENT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "cc/session/session_events.h"

namespace ouzel {

namespace client_internal {
class EventQueue;
}  // namespace client_internal

// A diagnostic line: what on_log receives.
struct LogEvent {
  LogLevel level = LogLevel::kInfo;
  std::string text;
};

// Everything the driver reports, in protocol order: what the callbacks receive, or what the event
// queue holds.
using ClientEvent = std::variant<SessionEvent, LogEvent>;

// One event in the queue. Client::PollEvents hands out pointers; the event stays the client's,
// valid until it is passed to Client::ReleaseEvents (or the client is destroyed).
class QueuedEvent {
 public:
  QueuedEvent() = default;
  // Subclasses (EventQueueOptions::make_event) keep what a binding needs per event.
  virtual ~QueuedEvent() = default;
  QueuedEvent(const QueuedEvent&) = delete;
  QueuedEvent& operator=(const QueuedEvent&) = delete;

  ClientEvent event;
  // A received QoS 1/2 message is acknowledged when it is released while this is true: set for
  // them unless SessionOptions::manual_ack, and the application may clear it (the handler failed;
  // Client::Ack later, or the server sends it again on a resumed session).
  bool ack_on_release = false;

  // Identifies this event to Client::ReleaseEvents: unique per client for its whole life, and
  // never equal to another client's.
  uint64_t id() const { return id_; }

 private:
  friend class client_internal::EventQueue;
  uint64_t id_ = 0;
  // A message: counts against EventQueueOptions' bounds until released.
  bool counted_ = false;
  size_t counted_bytes_ = 0;
  // A QoS 1/2 message: what its acknowledgement needs, and the connection and session it arrived
  // on (an ack is only sent while they are still the current ones).
  uint16_t packet_id_ = 0;
  uint8_t qos_ = 0;
  uint64_t connection_ = 0;
  uint64_t session_ = 0;
};

// One event handed back: its id, and whether to acknowledge it (a message's ack_on_release).
struct EventRelease {
  uint64_t id = 0;
  bool ack = false;
};

struct EventQueueOptions {
  // Events go to the queue; the callbacks for them (on_connect ... on_log) are never called. The
  // hooks (on_pre_connect, on_socket_*) still are. Fixed at creation.
  bool enabled = false;
  // Back-pressure: once the message events queued or polled and not yet released reach either
  // bound, the client stops reading from the connection until releases make room (the server
  // holds what follows). The bytes are topic + payload; the last message read may pass the bound.
  size_t max_messages = 10000;
  size_t max_bytes = size_t{64} << 20;
  // LogEvents at or above this level are queued; nullopt: none.
  std::optional<LogLevel> log_level;
  // Makes the object each event is kept in (null: a plain QueuedEvent). Called on the loop thread.
  std::function<std::unique_ptr<QueuedEvent>()> make_event;

  // The settings that define the queue (everything but make_event).
  bool SameQueue(const EventQueueOptions& other) const {
    return enabled == other.enabled && max_messages == other.max_messages &&
           max_bytes == other.max_bytes && log_level == other.log_level;
  }
};

}  // namespace ouzel

#endif  // OUZEL_CC_CLIENT_QUEUED_EVENT_H_
