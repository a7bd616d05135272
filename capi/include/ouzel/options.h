/* Ouzel C API: client options.
 *
 * Configuration is an opaque ouzel_options filled one parameter at a time with typed setters, so
 * new options never change a struct layout or add functions (the zstd / curl_easy_setopt model).
 * ouzel_client_new copies the options; the object may be freed or reused afterwards.
 *
 *   ouzel_options *o;
 *   ouzel_options_new(&o);
 *   ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, "mqtt://localhost:1883", SIZE_MAX);
 *   ouzel_options_set_int(o, OUZEL_OPT_PROTOCOL_VERSION, OUZEL_MQTT_V5);
 *
 * Strings are (pointer, length); a length of SIZE_MAX means "NUL-terminated". All functions here
 * are thread-compatible (one thread at a time per options object).
 */
#ifndef OUZEL_OPTIONS_H
#define OUZEL_OPTIONS_H

#include "ouzel/common.h"
#include "ouzel/properties.h"

OUZEL_BEGIN_DECLS

typedef struct ouzel_options ouzel_options;

/* Protocol levels (the CONNECT protocol level byte). */
#define OUZEL_MQTT_V31 3
#define OUZEL_MQTT_V311 4
#define OUZEL_MQTT_V5 5

/* Integer options: ouzel_options_set_int. Defaults in brackets. */
#define OUZEL_OPT_PROTOCOL_VERSION 1         /* OUZEL_MQTT_V31/V311/V5 [V311] */
#define OUZEL_OPT_CLEAN_START 2              /* 0/1: 3.x Clean Session, 5.0 Clean Start [1] */
#define OUZEL_OPT_KEEPALIVE_SECONDS 3        /* 0..65535; 0 disables keepalive [60] */
#define OUZEL_OPT_CONNECT_TIMEOUT_MS 4       /* TCP + handshake + CONNACK [30000] */
#define OUZEL_OPT_MAX_INFLIGHT 5             /* QoS 1/2 in flight; 0 = server's limit only [20] */
#define OUZEL_OPT_MAX_QUEUED_MESSAGES 6      /* 0 = unbounded [0] */
#define OUZEL_OPT_MAX_QUEUED_BYTES 7         /* 0 = unbounded [0] */
#define OUZEL_OPT_QUEUE_FULL_POLICY 8        /* OUZEL_QUEUE_FULL_* [REFUSE_NEW] */
#define OUZEL_OPT_QUEUE_QOS0_OFFLINE 9       /* 0/1: queue QoS 0 while disconnected [0] */
#define OUZEL_OPT_LOST_SESSION_POLICY 10     /* OUZEL_LOST_SESSION_* [FAIL_INFLIGHT] */
#define OUZEL_OPT_AUTO_TOPIC_ALIAS 11        /* 0/1: assign outgoing topic aliases (v5) [0] */
#define OUZEL_OPT_MANUAL_ACK 12              /* 0/1: application acks QoS 1/2 [0] */
#define OUZEL_OPT_QOS2_DELIVERY 13           /* OUZEL_QOS2_DELIVERY_* [ON_PUBLISH] */
#define OUZEL_OPT_RECONNECT 14               /* 0/1: reconnect automatically [1] */
#define OUZEL_OPT_RECONNECT_MIN_DELAY_MS 15  /* first back-off delay [1000] */
#define OUZEL_OPT_RECONNECT_MAX_DELAY_MS 16  /* back-off ceiling [120000] */
#define OUZEL_OPT_FOLLOW_SERVER_REFERENCE 17 /* 0/1: follow an MQTT 5 Server Reference [0] */
#define OUZEL_OPT_TCP_NODELAY 18             /* 0/1 [1] */
#define OUZEL_OPT_NUMBER_QOS0_MESSAGES 19    /* 0/1: QoS 0 messages take a mid, as paho does [0] */
#define OUZEL_OPT_PING_TIMEOUT_MS 20         /* wait for PINGRESP; 0 = the keepalive interval [0] */
/* Clean Start on connections after the first: -1 resume when the session is persistent (3.x
 * Clean Session 0, 5.0 Session Expiry Interval > 0), else clean; 0 or 1: always that flag, as
 * paho-mqtt sends it [-1]. */
#define OUZEL_OPT_RECONNECT_CLEAN_START 80
#define OUZEL_OPT_BIND_PORT 81 /* local port to bind before connecting; 0 = any [0] */

/* String options: ouzel_options_set_string. */
#define OUZEL_OPT_SERVER_URI 100     /* replaces the list with this one URI */
#define OUZEL_OPT_ADD_SERVER_URI 101 /* appends a URI; tried in order on (re)connect */
#define OUZEL_OPT_CLIENT_ID 102      /* may be empty (v5: the server assigns one) */
#define OUZEL_OPT_USERNAME 103
#define OUZEL_OPT_PASSWORD 104 /* binary allowed */
/* Local numeric address to bind before connecting (paho's bind_address); "" = any. Servers of the
 * other address family are then skipped. */
#define OUZEL_OPT_BIND_ADDRESS 150

/* Values. */
#define OUZEL_QUEUE_FULL_REFUSE_NEW 0
#define OUZEL_QUEUE_FULL_DROP_OLDEST_QOS0 1
#define OUZEL_LOST_SESSION_FAIL_INFLIGHT 0
#define OUZEL_LOST_SESSION_RESEND_AS_NEW 1
#define OUZEL_QOS2_DELIVERY_ON_PUBLISH 0
#define OUZEL_QOS2_DELIVERY_ON_PUBREL 1

/* Creates options holding the defaults. OUZEL_ENOMEM. */
OUZEL_EXTERN int ouzel_options_new(ouzel_options** out);
/* NULL is a no-op. */
OUZEL_EXTERN void ouzel_options_free(ouzel_options* opts);

/* OUZEL_EINVAL for an unknown option, a value out of range, or an option of the other type;
 * the options are then unchanged. */
OUZEL_EXTERN int ouzel_options_set_int(ouzel_options* opts, int32_t option, int64_t value);
OUZEL_EXTERN int ouzel_options_set_string(ouzel_options* opts, int32_t option, const char* value,
                                          size_t value_len);

/* MQTT 5 CONNECT properties (copied). NULL clears them. OUZEL_EINVAL when a property is not
 * allowed in CONNECT. */
OUZEL_EXTERN int ouzel_options_set_connect_properties(ouzel_options* opts,
                                                      const ouzel_properties* props);

/* The Will message (copied). `props` may be NULL (v5 Will Properties). OUZEL_EINVAL for an invalid
 * topic, QoS outside 0..2, or properties not allowed in a Will. */
OUZEL_EXTERN int ouzel_options_set_will(ouzel_options* opts, const char* topic, size_t topic_len,
                                        const void* payload, size_t payload_len, int32_t qos,
                                        int32_t retain, const ouzel_properties* props);
OUZEL_EXTERN void ouzel_options_clear_will(ouzel_options* opts);

OUZEL_END_DECLS

#endif /* OUZEL_OPTIONS_H */
