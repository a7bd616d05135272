/* Ouzel C API: the client.
 *
 *   ouzel_client *c;
 *   ouzel_client_new(&c, opts);
 *   ouzel_client_set_on_message(c, on_message, my_state, NULL);
 *   ouzel_client_connect(c);
 *   ouzel_client_loop_start(c);
 *   ...
 *   ouzel_client_disconnect(c, 0, NULL);
 *   ouzel_client_loop_stop(c);
 *   ouzel_client_free(c);
 *
 * Threading: functions marked "thread-safe" may be called from any thread, including from inside
 * this client's callbacks. Callbacks run on the loop thread (the library's thread after
 * ouzel_client_loop_start, otherwise whichever thread calls a loop function), one at a time per
 * client, in protocol order, with no internal lock held, and never inside the API call that caused
 * them. Inside a callback every function may be called except blocking waits, which return
 * OUZEL_EBUSY; ouzel_client_free there is deferred until the callback returns.
 */
#ifndef OUZEL_CLIENT_H
#define OUZEL_CLIENT_H

#include "ouzel/common.h"
#include "ouzel/message.h"
#include "ouzel/options.h"
#include "ouzel/properties.h"

OUZEL_BEGIN_DECLS

typedef struct ouzel_client ouzel_client;

/* Called exactly once with a callback's user_data when it can no longer be called: after the
 * callback is replaced or the client is freed. May be NULL. */
typedef void (*ouzel_release_fn)(void* user_data);

/* --- Lifecycle ----------------------------------------------------------------------------- */

/* Creates a client configured by a copy of `opts` (NULL: defaults). Does not connect. With a
 * session store (ouzel/persistence.h, ouzel/sys/store.h) it opens and reads the store first and
 * resumes the stored session. OUZEL_EINVAL (inconsistent options; see ouzel_last_error_message),
 * OUZEL_ENOMEM, OUZEL_EBUSY (the store is in use by another process or client), OUZEL_ESTORE (the
 * store cannot be opened or read). Thread-safe. */
OUZEL_EXTERN int ouzel_client_new(ouzel_client** out, const ouzel_options* opts);

/* Stops the loop thread if running, closes the connection without DISCONNECT (the Will is then
 * published), calls every release hook once, and frees the client. Pending messages end as dropped
 * (cancelled). NULL is a no-op. Inside one of this client's callbacks the free is deferred until
 * the callback returns. Not thread-safe with other calls on the same client, except
 * ouzel_client_poll_events (ouzel/events.h): polls waiting at that moment return OUZEL_ECLOSED,
 * and the free waits for them to return before freeing anything; events not released are freed. */
OUZEL_EXTERN void ouzel_client_free(ouzel_client* client);

/* --- Connection ---------------------------------------------------------------------------- */

/* Reconfigures an existing client with a copy of `opts`, for the connections that follow (the
 * current one is left alone): server URIs, reconnection, transport and bind options, an
 * application transport (ouzel/sys/transport.h) and the connect timeout apply from the next
 * attempt; keepalive, credentials, Will, CONNECT properties
 * and Clean Start from the next CONNECT; OUZEL_OPT_MAX_INFLIGHT, OUZEL_OPT_MAX_QUEUED_*,
 * OUZEL_OPT_QUEUE_FULL_POLICY and OUZEL_OPT_QUEUE_QOS0_OFFLINE at once. With `flags` containing
 * OUZEL_SET_OPTIONS_FIRST_CONNECTION the next CONNECT uses OUZEL_OPT_CLEAN_START as the first
 * connection does (paho's connect() after a disconnect); otherwise OUZEL_OPT_RECONNECT_CLEAN_START
 * decides, as for any reconnection. What the session is built on cannot change:
 * OUZEL_OPT_PROTOCOL_VERSION, OUZEL_OPT_CLIENT_ID, OUZEL_OPT_MANUAL_ACK, OUZEL_OPT_QOS2_DELIVERY
 * OUZEL_OPT_NUMBER_QOS0_MESSAGES and the event queue's (OUZEL_OPT_EVENT_QUEUE*) must equal the
 * client's; OUZEL_OPT_FOLLOW_SERVER_REFERENCE
 * and the session store (OUZEL_OPT_PERSISTENCE_*, ouzel_options_set_store) keep their creation
 * values. OUZEL_EINVAL (inconsistent options, a change to one of those, unknown
 * flags; nothing changes then). Thread-safe. */
#define OUZEL_SET_OPTIONS_FIRST_CONNECTION 1u
OUZEL_EXTERN int ouzel_client_set_options(ouzel_client* client, const ouzel_options* opts,
                                          uint32_t flags);

/* Starts connecting to the configured server(s): resolution, TCP, CONNECT. Returns at once; the
 * outcome arrives as on_connect or on_connect_fail while a loop runs. OUZEL_EINVAL (no server URI),
 * OUZEL_EBUSY (already connected or connecting). Thread-safe. */
OUZEL_EXTERN int ouzel_client_connect(ouzel_client* client);

/* Connects the transport (resolution, TCP, handshakes; every server in order, no back-off) and
 * writes CONNECT, then returns; the CONNACK arrives later through a loop, as with paho's connect().
 * Without a running loop thread the work happens on the calling thread (the on_socket_* hooks run
 * there). Returns the transport's error: OUZEL_EIO (refused, unreachable), OUZEL_ETIMEDOUT,
 * OUZEL_ENOTFOUND (the host name does not resolve), OUZEL_ETLS. OUZEL_EBUSY inside a callback.
 * Thread-safe. */
OUZEL_EXTERN int ouzel_client_connect_blocking(ouzel_client* client);

/* Drops the current connection (if any, without DISCONNECT) and connects again, resuming the
 * session when it is persistent. Thread-safe. */
OUZEL_EXTERN int ouzel_client_reconnect(ouzel_client* client);

/* Sends DISCONNECT (`reason_code` and `props` are used with MQTT 5 only; NULL props allowed) and
 * closes; no automatic reconnection follows. The Will is not published. A repeat call while that
 * DISCONNECT is still leaving returns OUZEL_OK and changes nothing. OUZEL_ENOTCONN when not
 * connected. Thread-safe. */
OUZEL_EXTERN int ouzel_client_disconnect(ouzel_client* client, int32_t reason_code,
                                         const ouzel_properties* props);

/* 1 while a CONNACK-accepted connection is up, else 0. Thread-safe. */
OUZEL_EXTERN int32_t ouzel_client_is_connected(const ouzel_client* client);

/* Connection states (ouzel_client_state). */
/* No connection and none wanted: never connected, or after ouzel_client_disconnect. */
#define OUZEL_STATE_DISCONNECTED 0
/* A connection is wanted but no attempt runs yet: waiting for a loop to run, or for the
 * reconnection back-off delay. */
#define OUZEL_STATE_CONNECT_PENDING 1
/* An attempt is under way: resolution, TCP, proxy / TLS / WebSocket handshakes, CONNECT sent and
 * no CONNACK yet (or an MQTT 5 AUTH exchange). */
#define OUZEL_STATE_CONNECTING 2
/* A CONNACK accepted the current connection (ouzel_client_is_connected is 1 exactly then). */
#define OUZEL_STATE_CONNECTED 3
/* The connection is closing: DISCONNECT written (ours or the server's), a refusal or timeout
 * being handled, or ouzel_client_disconnect stopping an attempt. */
#define OUZEL_STATE_DISCONNECTING 4
/* No connection and none will be attempted, though the application did not ask for that: the
 * connection ended, or the attempts failed, with OUZEL_OPT_RECONNECT 0 (or a blocking connect
 * failed). ouzel_client_connect starts again. */
#define OUZEL_STATE_CONNECTION_LOST 5

/* Where the client's connection stands: OUZEL_STATE_*, from the engine's own bookkeeping (what
 * the application asked for, the transport and the MQTT session), or OUZEL_EINVAL for NULL. A
 * snapshot: the loop thread may change it right after. Thread-safe. */
OUZEL_EXTERN int32_t ouzel_client_state(const ouzel_client* client);

/* --- Publishing ---------------------------------------------------------------------------- */

/* Delivery states (ouzel_delivery_status.state). */
#define OUZEL_DELIVERY_QUEUED 0
#define OUZEL_DELIVERY_INFLIGHT 1
#define OUZEL_DELIVERY_ACKNOWLEDGED 2
#define OUZEL_DELIVERY_EXPIRED 3
#define OUZEL_DELIVERY_DROPPED 4

/* Why a message was dropped (ouzel_delivery_status.drop_reason). */
#define OUZEL_DROP_NONE 0
#define OUZEL_DROP_QUEUE_FULL 1
#define OUZEL_DROP_SESSION_LOST 2
#define OUZEL_DROP_TOO_LARGE 3
#define OUZEL_DROP_REJECTED 4 /* MQTT 5 PUBACK/PUBREC failure; see reason_code */
#define OUZEL_DROP_CONNECTION_LOST 5
#define OUZEL_DROP_CANCELLED 6

/* Versions: 1 ends after reason_code; 2 adds qos. A caller built against version 1 keeps working:
 * the library writes only the fields of the version in `version`, and the status it passes to
 * on_publish is always of the newest version, whose first fields are version 1's. */
typedef struct ouzel_delivery_status {
  uint32_t version;    /* OUZEL_DELIVERY_STATUS_VERSION */
  int32_t state;       /* OUZEL_DELIVERY_* */
  int32_t drop_reason; /* OUZEL_DROP_* */
  int32_t mid;         /* current packet identifier (0 for QoS 0 unless numbered) */
  int32_t reason_code; /* PUBACK/PUBREC/PUBCOMP reason code (MQTT 5), else 0 */
  int32_t qos;         /* version 2: the QoS the message was published with (0..2) */
} ouzel_delivery_status;
#define OUZEL_DELIVERY_STATUS_VERSION 2
/* Fills `status` with defaults for `version` (1 or 2), writing only that version's fields.
 * OUZEL_EINVAL (NULL), OUZEL_EVERSION for an unknown version. Thread-safe. */
OUZEL_EXTERN int ouzel_delivery_status_init(ouzel_delivery_status* status, uint32_t version);

/* Publishes (or queues, when offline or the inflight window is full) one message. `topic` is
 * UTF-8 and validated; `payload` may be NULL when `payload_len` is 0; `props` (MQTT 5 PUBLISH
 * properties, may be NULL) is copied. On success *out_token (may be NULL) identifies the message
 * for ouzel_client_delivery_status and ouzel_client_wait_for_publish, and *out_mid (may be NULL)
 * is its packet identifier as first assigned (0 for QoS 0 unless OUZEL_OPT_NUMBER_QOS0_MESSAGES).
 * OUZEL_EINVAL (topic, QoS, properties), OUZEL_ETOOLARGE (over the server's Maximum Packet Size),
 * OUZEL_EQUEUEFULL, OUZEL_ENOTCONN (QoS 0 while offline without OUZEL_OPT_QUEUE_QOS0_OFFLINE),
 * OUZEL_ENOTSUP (QoS or retain above what the server allows). On failure nothing is queued.
 * With a session store (ouzel/persistence.h, ouzel/sys/store.h), OUZEL_OK for QoS 1/2 also means
 * the message is durably queued; OUZEL_EQUEUEFULL then also means the store is full, and
 * OUZEL_ESTORE that the store failed: nothing is queued, except when the failure was in making
 * the already accepted message durable (*out_token and *out_mid are then set; the message stays
 * queued in memory but is not known to be stored). Thread-safe. */
OUZEL_EXTERN int ouzel_client_publish(ouzel_client* client, const char* topic, size_t topic_len,
                                      const void* payload, size_t payload_len, int32_t qos,
                                      int32_t retain, const ouzel_properties* props,
                                      uint64_t* out_token, int32_t* out_mid);

/* The delivery state of a message published by this client, into `status` initialised with
 * ouzel_delivery_status_init (version 1 or 2; only that version's fields are written).
 * OUZEL_ENOTFOUND for an unknown token (or one finished so long ago that it was forgotten; the
 * last 10,000 are kept), OUZEL_EINVAL (NULL), OUZEL_EVERSION. Thread-safe. */
OUZEL_EXTERN int ouzel_client_delivery_status(ouzel_client* client, uint64_t token,
                                              ouzel_delivery_status* status);

/* Blocks until the message is acknowledged (OUZEL_OK), ends otherwise (the matching error:
 * OUZEL_ECLOSED when dropped, OUZEL_ETIMEDOUT for expired), or `timeout_ms` passes
 * (OUZEL_ETIMEDOUT; -1 waits forever). Needs a running loop (another thread's). OUZEL_EBUSY inside
 * a callback. Thread-safe. */
OUZEL_EXTERN int ouzel_client_wait_for_publish(ouzel_client* client, uint64_t token,
                                               int32_t timeout_ms);

/* --- Subscribing --------------------------------------------------------------------------- */

typedef struct ouzel_subscription {
  uint32_t version;   /* OUZEL_SUBSCRIPTION_VERSION */
  const char* filter; /* UTF-8 topic filter (may be $share/...) */
  size_t filter_len;  /* SIZE_MAX: NUL-terminated */
  int32_t qos;        /* maximum QoS 0..2 */
  int32_t no_local;   /* MQTT 5 options; must be 0 for 3.x */
  int32_t retain_as_published;
  int32_t retain_handling; /* 0, 1 or 2 */
} ouzel_subscription;
#define OUZEL_SUBSCRIPTION_VERSION 1
OUZEL_EXTERN int ouzel_subscription_init(ouzel_subscription* sub, uint32_t version);

/* Sends one SUBSCRIBE for `count` filters; the result arrives in on_subscribe with the same mid.
 * `props` (Subscription Identifier, User Property; may be NULL) is copied. OUZEL_EINVAL (a filter
 * or option is invalid; nothing is sent), OUZEL_ENOTCONN, OUZEL_ENOTSUP (wildcards, shared
 * subscriptions or subscription identifiers the server said it does not support). Thread-safe. */
OUZEL_EXTERN int ouzel_client_subscribe(ouzel_client* client, const ouzel_subscription* subs,
                                        size_t count, const ouzel_properties* props,
                                        int32_t* out_mid);

/* Sends one UNSUBSCRIBE for `count` filters (`lens[i]` may be SIZE_MAX for NUL-terminated; `lens`
 * may be NULL when all are). Result in on_unsubscribe. Errors as for subscribe. Thread-safe. */
OUZEL_EXTERN int ouzel_client_unsubscribe(ouzel_client* client, const char* const* filters,
                                          const size_t* lens, size_t count,
                                          const ouzel_properties* props, int32_t* out_mid);

/* Acknowledges a received QoS 1/2 message by its mid: with OUZEL_OPT_MANUAL_ACK any message, in
 * automatic mode a message whose acknowledgement ouzel_client_withhold_ack kept back on the
 * current connection, and on an event queue client (ouzel/events.h) a message event released
 * with ack_on_release 0. Acks may be given in any order; PUBACK/PUBREC are sent in the order the
 * messages arrived. OUZEL_ENOTFOUND for an unknown mid (or one of a connection that has ended:
 * the server sends that message again), OUZEL_EINVAL (a mid outside 1..65535; in automatic mode a
 * mid that was not withheld). Thread-safe. */
OUZEL_EXTERN int ouzel_client_ack(ouzel_client* client, int32_t mid);

/* Called inside on_message, in automatic acknowledgement mode (OUZEL_OPT_MANUAL_ACK 0), for the
 * QoS 1/2 message being delivered: do not acknowledge it when the callback returns (the handler
 * failed). The message then holds one slot of the server's send window (Receive Maximum) until
 * ouzel_client_ack(client, its mid) or the end of the connection; when a kept session resumes
 * (OUZEL_OPT_CLEAN_START 0 / a Session Expiry Interval) the server sends it again, with DUP set.
 * Acknowledgements leave in arrival order [MQTT-4.6.0-2]: those of later QoS 1/2 messages wait
 * behind the withheld one, so until it is acknowledged or the connection ends the server's send
 * window fills and no further QoS 1/2 message arrives. Withhold a message to retry it soon or to
 * leave it to the next session; it is not a way to discard one. OUZEL_EBUSY (not inside this
 * client's on_message, e.g. another thread or another callback), OUZEL_EINVAL (NULL; manual ack
 * mode; a QoS 0 message). Loop thread only (inside on_message). */
OUZEL_EXTERN int ouzel_client_withhold_ack(ouzel_client* client);

/* --- Enhanced authentication (MQTT 5) ------------------------------------------------------ */

/* Answers the server's AUTH (delivered to on_auth) with Authentication Method/Data in `props`. */
OUZEL_EXTERN int ouzel_client_auth_continue(ouzel_client* client, const ouzel_properties* props);
/* Starts re-authentication on a connected client. */
OUZEL_EXTERN int ouzel_client_reauthenticate(ouzel_client* client, const ouzel_properties* props);

/* --- Callbacks ----------------------------------------------------------------------------- */
/* Each setter replaces the previous callback (whose release hook then runs) and returns OUZEL_OK;
 * `cb` NULL removes it. On a client created with OUZEL_OPT_EVENT_QUEUE = 1 the setters for events
 * the queue delivers (connect, connect_fail, disconnect, message, publish, subscribe, unsubscribe,
 * auth, log) return OUZEL_EINVAL and keep nothing (the release hook does not run); the
 * pre-connect and socket hooks work as usual. Thread-safe. */

/* A CONNACK accepted the connection (reason_code is then 0); session_present 0/1; props: CONNACK
 * properties (borrowed; empty for 3.x). A refusing CONNACK arrives in on_connect_fail instead,
 * with its reason code. */
typedef void (*ouzel_on_connect_fn)(ouzel_client* client, int32_t reason_code,
                                    int32_t session_present, const ouzel_properties* props,
                                    void* user_data);
/* A connection attempt failed before a successful CONNACK. error: OUZEL_E*; reason_code: the
 * CONNACK code or -1 when none came. Inside the callback, ouzel_last_error_message() says why
 * ("TLS handshake with ... failed: certificate has expired", a custom transport's message). */
typedef void (*ouzel_on_connect_fail_fn)(ouzel_client* client, int32_t error, int32_t reason_code,
                                         void* user_data);
/* An established connection ended. error: OUZEL_OK after ouzel_client_disconnect, OUZEL_ECLOSED
 * when ouzel_client_reconnect dropped it, else why; reason_code: the DISCONNECT reason (ours or the
 * server's); by_server 0/1; props: the server's DISCONNECT properties (borrowed; may be empty).
 * Inside the callback, ouzel_last_error_message() gives the detail ("" for OUZEL_OK). */
typedef void (*ouzel_on_disconnect_fn)(ouzel_client* client, int32_t error, int32_t reason_code,
                                       int32_t by_server, const ouzel_properties* props,
                                       void* user_data);
/* A message arrived. `msg` is borrowed until the callback returns. */
typedef void (*ouzel_on_message_fn)(ouzel_client* client, const ouzel_message* msg,
                                    void* user_data);
/* A publish finished: acknowledged, expired or dropped (see status). props: PUBACK/PUBCOMP
 * properties (borrowed; may be empty). */
typedef void (*ouzel_on_publish_fn)(ouzel_client* client, uint64_t token,
                                    const ouzel_delivery_status* status,
                                    const ouzel_properties* props, void* user_data);
/* SUBACK: one reason code per filter (3.x: granted QoS or 0x80). */
typedef void (*ouzel_on_subscribe_fn)(ouzel_client* client, int32_t mid,
                                      const uint8_t* reason_codes, size_t count,
                                      const ouzel_properties* props, void* user_data);
/* UNSUBACK: reason codes (MQTT 5; count 0 for 3.x). */
typedef void (*ouzel_on_unsubscribe_fn)(ouzel_client* client, int32_t mid,
                                        const uint8_t* reason_codes, size_t count,
                                        const ouzel_properties* props, void* user_data);
/* The server sent AUTH (0x18 continue, 0x00 re-authentication succeeded). */
typedef void (*ouzel_on_auth_fn)(ouzel_client* client, int32_t reason_code,
                                 const ouzel_properties* props, void* user_data);

/* Log levels (as paho's MQTT_LOG_*). */
#define OUZEL_LOG_DEBUG 16
#define OUZEL_LOG_INFO 1
#define OUZEL_LOG_NOTICE 2
#define OUZEL_LOG_WARNING 4
#define OUZEL_LOG_ERR 8
typedef void (*ouzel_on_log_fn)(ouzel_client* client, int32_t level, const char* message,
                                void* user_data);
/* Socket hooks for external event loops: a socket was opened / is about to close; data is waiting
 * to be written (watch for writability) / the write queue drained. */
typedef void (*ouzel_on_socket_fn)(ouzel_client* client, int32_t fd, void* user_data);
/* Called just before each connection attempt creates its socket (paho's on_pre_connect), on the
 * thread that drives the attempt (the loop thread, or the caller of
 * ouzel_client_connect_blocking). */
typedef void (*ouzel_on_pre_connect_fn)(ouzel_client* client, void* user_data);

OUZEL_EXTERN int ouzel_client_set_on_connect(ouzel_client* client, ouzel_on_connect_fn cb,
                                             void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_connect_fail(ouzel_client* client, ouzel_on_connect_fail_fn cb,
                                                  void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_disconnect(ouzel_client* client, ouzel_on_disconnect_fn cb,
                                                void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_message(ouzel_client* client, ouzel_on_message_fn cb,
                                             void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_publish(ouzel_client* client, ouzel_on_publish_fn cb,
                                             void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_subscribe(ouzel_client* client, ouzel_on_subscribe_fn cb,
                                               void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_unsubscribe(ouzel_client* client, ouzel_on_unsubscribe_fn cb,
                                                 void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_auth(ouzel_client* client, ouzel_on_auth_fn cb,
                                          void* user_data, ouzel_release_fn release);
/* `min_level`: messages below it are not formatted at all. */
OUZEL_EXTERN int ouzel_client_set_on_log(ouzel_client* client, ouzel_on_log_fn cb,
                                         int32_t min_level, void* user_data,
                                         ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_socket_open(ouzel_client* client, ouzel_on_socket_fn cb,
                                                 void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_socket_close(ouzel_client* client, ouzel_on_socket_fn cb,
                                                  void* user_data, ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_socket_register_write(ouzel_client* client,
                                                           ouzel_on_socket_fn cb, void* user_data,
                                                           ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_socket_unregister_write(ouzel_client* client,
                                                             ouzel_on_socket_fn cb, void* user_data,
                                                             ouzel_release_fn release);
OUZEL_EXTERN int ouzel_client_set_on_pre_connect(ouzel_client* client, ouzel_on_pre_connect_fn cb,
                                                 void* user_data, ouzel_release_fn release);

/* --- Counters ------------------------------------------------------------------------------ */
#define OUZEL_STAT_MESSAGES_SENT 1
#define OUZEL_STAT_MESSAGES_RECEIVED 2
#define OUZEL_STAT_BYTES_SENT 3
#define OUZEL_STAT_BYTES_RECEIVED 4
#define OUZEL_STAT_INFLIGHT 5
#define OUZEL_STAT_QUEUED 6
#define OUZEL_STAT_RECONNECTS 7
#define OUZEL_STAT_LAST_DISCONNECT_REASON 8 /* last DISCONNECT reason code, or -1 */
/* The file store (OUZEL_OPT_PERSISTENCE_DIR); 0 without one: */
#define OUZEL_STAT_STORE_COMPACTIONS 9 /* log rewrites with only the live session */
#define OUZEL_STAT_STORE_SYNCS 10      /* fdatasync calls that succeeded */
#define OUZEL_STAT_STORE_LOG_BYTES 11  /* size of the log, batched records included */
/* OUZEL_EINVAL for an unknown stat. Thread-safe. */
OUZEL_EXTERN int ouzel_client_stat(const ouzel_client* client, int32_t stat, int64_t* out);

OUZEL_END_DECLS

#endif /* OUZEL_CLIENT_H */
