/* Ouzel C API: the event queue — events pulled in batches instead of callbacks.
 *
 * For hosts that must not run their code on the library's thread (Go, Rust, C#, Python, any
 * runtime with a collector or a global lock), a client created with OUZEL_OPT_EVENT_QUEUE = 1
 * delivers its events into a queue that the host drains in batches, on its own thread:
 *
 *   ouzel_options_set_int(opts, OUZEL_OPT_EVENT_QUEUE, 1);
 *   ouzel_client_new(&c, opts);
 *   ouzel_client_connect(c);
 *   ouzel_client_loop_start(c);
 *   ouzel_event ev[256];
 *   ouzel_event_init(ev, OUZEL_EVENT_VERSION);
 *   for (;;) {
 *     int n = ouzel_client_poll_events(c, ev, 256, -1);
 *     if (n < 0) break;                      // OUZEL_ECLOSED: the client is being freed
 *     for (int i = 0; i < n; ++i) handle(&ev[i]);
 *     ouzel_client_release_events(c, ev, n); // frees the batch; acknowledges its QoS 1/2 messages
 *   }
 *
 * A client uses callbacks or the queue, never both: with the queue on, the ouzel_client_set_on_*
 * setters for the queued events (connect, connect_fail, disconnect, message, publish, subscribe,
 * unsubscribe, auth, log) return OUZEL_EINVAL; the socket and pre-connect hooks stay callbacks.
 *
 * Order: events leave the queue in the order the protocol produced them (one FIFO per client).
 * A burst of acknowledgements read together becomes consecutive PUBLISH_DONE events delivered by
 * one wake-up.
 *
 * Ownership: every pointer in an event (message, topic, payload, properties, reason codes, text)
 * is owned by the library and stays valid until that event is released with
 * ouzel_client_release_events (or the client is freed). Events may be released in any order and
 * in any grouping (a whole batch at once is the cheap way); each polled event must be released
 * exactly once. To keep a message longer, ouzel_message_clone it before releasing.
 *
 * Acknowledgement: a received QoS 1/2 message is acknowledged (PUBACK, or PUBREC for QoS 2) only
 * when its event is released and only if its `ack_on_release` is still 1; the library sets it to
 * 1 for QoS 1/2 messages unless OUZEL_OPT_MANUAL_ACK is on. Set it to 0 before releasing to
 * withhold the acknowledgement (the handler failed): the message then holds one slot of the
 * server's send window until ouzel_client_ack(mid) or the connection ends, and the server sends it
 * again when a kept session resumes. Acknowledgements leave in the order the messages arrived, as
 * MQTT requires, so those of later messages wait behind a withheld one. A process that crashes
 * before releasing has acknowledged nothing. A message of a connection that has ended is not
 * acknowledged when released (the server sends QoS 1 messages again on the next connection, maybe
 * under the same packet identifier); a QoS 2 one is while the session lasts.
 *
 * Back-pressure, never loss: message events waiting in the queue or polled and not yet released
 * count against OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES and OUZEL_OPT_EVENT_QUEUE_MAX_BYTES (topic +
 * payload bytes). At either bound the client stops reading from the connection until the
 * application releases events: the server then holds the messages (QoS 1/2 are also held back by
 * the unacknowledged ones filling its send window; TCP flow control holds QoS 0). Keepalive
 * PINGREQs are still sent while reading is paused, and the wait for PINGRESP is suspended (the
 * client is not reading, so a missing answer says nothing about the server). Nothing is dropped.
 * The bytes bound counts topic + payload; the last message read may pass it. An external loop
 * watches the socket for reading only while ouzel_client_want_read is 1 (ouzel/loop.h); the wake
 * descriptor tells it when releases made room. Other events are not bounded: they are bounded by
 * what the application itself does (its publishes, subscribes and connects).
 */
#ifndef OUZEL_EVENTS_H
#define OUZEL_EVENTS_H

#include "ouzel/client.h"
#include "ouzel/common.h"
#include "ouzel/message.h"
#include "ouzel/properties.h"

OUZEL_BEGIN_DECLS

/* Event types (ouzel_event.type). */
#define OUZEL_EVENT_CONNECTED 1        /* a CONNACK accepted the connection */
#define OUZEL_EVENT_CONNECT_FAILED 2   /* an attempt failed before a successful CONNACK */
#define OUZEL_EVENT_DISCONNECTED 3     /* an established connection ended */
#define OUZEL_EVENT_MESSAGE 4          /* a PUBLISH arrived */
#define OUZEL_EVENT_PUBLISH_DONE 5     /* an outgoing message reached its final state */
#define OUZEL_EVENT_SUBSCRIBE_DONE 6   /* SUBACK */
#define OUZEL_EVENT_UNSUBSCRIBE_DONE 7 /* UNSUBACK */
#define OUZEL_EVENT_AUTH 8             /* the server sent AUTH (MQTT 5) */
#define OUZEL_EVENT_LOG 9              /* a log line at or above OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL */

/* One event. Fields not listed for a type are zero (pointers NULL, lengths 0), except
 * `properties`, which is never NULL (an empty list when the packet carried none). */
typedef struct ouzel_event {
  uint32_t version; /* OUZEL_EVENT_VERSION; see ouzel_client_poll_events */
  int32_t type;     /* OUZEL_EVENT_* */
  /* CONNECT_FAILED, DISCONNECTED: OUZEL_E* (DISCONNECTED: OUZEL_OK after
   * ouzel_client_disconnect, OUZEL_ECLOSED when ouzel_client_reconnect dropped it).
   * SUBSCRIBE_DONE, UNSUBSCRIBE_DONE: OUZEL_OK, or why no acknowledgement will come (the
   * connection closed first; reason_code_count is 0 then). */
  int32_t error;
  /* CONNECTED: 0; CONNECT_FAILED: the CONNACK code or -1 when none came; DISCONNECTED: the
   * DISCONNECT reason (ours or the server's); PUBLISH_DONE: the PUBACK/PUBREC/PUBCOMP code
   * (MQTT 5, else 0); AUTH: the AUTH reason code. */
  int32_t reason_code;
  int32_t session_present; /* CONNECTED: 0/1 */
  int32_t by_server;       /* DISCONNECTED: 0/1 */
  /* MESSAGE: the packet identifier it arrived with (0 for QoS 0; for ouzel_client_ack);
   * PUBLISH_DONE: its last packet identifier; SUBSCRIBE_DONE, UNSUBSCRIBE_DONE: the request's. */
  int32_t mid;
  int32_t qos;            /* MESSAGE: as received; PUBLISH_DONE: as published */
  int32_t retain;         /* MESSAGE: 0/1 */
  int32_t dup;            /* MESSAGE: 0/1 */
  int32_t state;          /* PUBLISH_DONE: OUZEL_DELIVERY_ACKNOWLEDGED, _EXPIRED or _DROPPED */
  int32_t drop_reason;    /* PUBLISH_DONE: OUZEL_DROP_* */
  int32_t level;          /* LOG: OUZEL_LOG_* */
  int32_t ack_on_release; /* MESSAGE: see "Acknowledgement" above; the application may set 0 */
  uint64_t token;         /* PUBLISH_DONE: the token ouzel_client_publish returned */
  const char* topic;      /* MESSAGE: UTF-8, not NUL-terminated (alias already resolved) */
  size_t topic_len;
  const void* payload; /* MESSAGE: may contain NUL; NULL when empty */
  size_t payload_len;
  const ouzel_message* message;       /* MESSAGE: the same message, for accessors and clone */
  const ouzel_properties* properties; /* never NULL: CONNACK, DISCONNECT, PUBLISH, PUBACK/PUBCOMP,
                                         SUBACK, UNSUBACK or AUTH properties; else empty */
  const uint8_t* reason_codes;        /* SUBSCRIBE_DONE: one per filter (3.x: granted QoS or 0x80);
                                         UNSUBSCRIBE_DONE: MQTT 5 only (count 0 for 3.x) */
  size_t reason_code_count;
  /* LOG: the line; CONNECT_FAILED, DISCONNECTED: the detail ouzel_last_error_message() gives
   * inside the matching callback ("" for a requested disconnect). Not NUL-terminated. */
  const char* text;
  size_t text_len;
  void* internal_; /* the library's; do not touch */
} ouzel_event;
#define OUZEL_EVENT_VERSION 1

/* Sets events[0].version = `version` and zeroes the rest of that element (call once per array;
 * see ouzel_client_poll_events). OUZEL_EINVAL (NULL), OUZEL_EVERSION. Thread-safe. */
OUZEL_EXTERN int ouzel_event_init(ouzel_event* events, uint32_t version);

/* Moves up to `max` waiting events into `events`, in order, and returns how many (0 when the
 * timeout passed with none). `events[0].version` selects the struct layout for the whole array
 * (set by ouzel_event_init; the library writes the same version into every element it fills).
 * Waits up to `timeout_ms` for the first event (0: do not wait; -1: wait until one arrives),
 * then returns at once with whatever is waiting. Needs a loop to run (the library's thread, or
 * another thread's ouzel_client_loop*); never runs the loop itself.
 * Errors: OUZEL_EINVAL (NULL, max 0, or a client without OUZEL_OPT_EVENT_QUEUE), OUZEL_EVERSION,
 * OUZEL_ECLOSED (ouzel_client_free has begun: a poll blocked at that moment returns this, and
 * ouzel_client_free waits for it to return before freeing anything), OUZEL_EBUSY (called from
 * inside one of this client's callbacks). A call that was woken by ouzel_client_interrupt_poll
 * returns 0.
 * Thread-safe; several threads may poll at once (each event goes to exactly one of them, so
 * cross-thread order is then the caller's business). */
OUZEL_EXTERN int ouzel_client_poll_events(ouzel_client* client, ouzel_event* events, size_t max,
                                          int32_t timeout_ms);

/* Releases `count` polled events: frees what they reference and, for MESSAGE events with
 * `ack_on_release` 1, sends their acknowledgements (in arrival order, through the loop). Space
 * freed under the back-pressure bounds lets reading resume. `events` may be any subset of polled,
 * unreleased events, in any order. OUZEL_EINVAL (NULL client or events with count > 0, an event
 * not polled from this client or already released: nothing is released then). Thread-safe. */
OUZEL_EXTERN int ouzel_client_release_events(ouzel_client* client, ouzel_event* events,
                                             size_t count);

/* A descriptor that is readable while events are waiting to be polled (level-triggered: it stays
 * readable until a poll has taken the last waiting event), for epoll, kqueue-less select, asyncio
 * add_reader, Go's netpoller or a .NET wait handle. Never read or close it; it is valid until
 * ouzel_client_free. -1 for a client without the queue. Thread-safe. */
OUZEL_EXTERN int32_t ouzel_client_event_fd(const ouzel_client* client);

/* Makes one blocked ouzel_client_poll_events return 0 at once (or the next call, if none is
 * blocked), e.g. to stop a poller thread without freeing the client. OUZEL_EINVAL (NULL or no
 * queue). Thread-safe. */
OUZEL_EXTERN int ouzel_client_interrupt_poll(ouzel_client* client);

OUZEL_END_DECLS

#endif /* OUZEL_EVENTS_H */
