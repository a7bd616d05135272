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
/* The event queue (ouzel/events.h); fixed at creation (ouzel_client_set_options must keep them).
 * OUZEL_OPT_EVENT_QUEUE 0/1: events through ouzel_client_poll_events instead of callbacks [0].
 * _MAX_MESSAGES 1..2^31-1: unreleased message events before reading pauses [10000].
 * _MAX_BYTES 1..2^62: their topic + payload bytes before reading pauses [67108864].
 * _LOG_LEVEL: 0 (no LOG events) or the lowest OUZEL_LOG_* level queued [0]. */
#define OUZEL_OPT_EVENT_QUEUE 21
#define OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES 22
#define OUZEL_OPT_EVENT_QUEUE_MAX_BYTES 23
#define OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL 24
/* Clean Start on connections after the first: -1 resume when the session is persistent (3.x
 * Clean Session 0, 5.0 Session Expiry Interval > 0), else clean; 0 or 1: always that flag, as
 * paho-mqtt sends it [-1]. */
#define OUZEL_OPT_RECONNECT_CLEAN_START 80
#define OUZEL_OPT_BIND_PORT 81 /* local port to bind before connecting; 0 = any [0] */
/* -1 or a descriptor the loop also watches, never read or closed by the library: while it is
 * readable, ouzel_client_loop_forever returns OUZEL_OK, the connection untouched (calling it again
 * carries on), and ouzel_client_loop returns at once. For signals (the self-pipe trick): a handler
 * writes a byte into a pipe whose read end this is; drain it before looping again [-1]. */
#define OUZEL_OPT_LOOP_INTERRUPT_FD 82
/* 0/1: after an accepted CONNACK, queued and resent PUBLISH and PUBREL packets wait until the
 * application has seen the connection (its on_connect callback returned, or its CONNECTED event
 * was released), so what it sends meanwhile (a re-subscribe) goes first, as paho-mqtt orders it.
 * Messages published meanwhile queue behind them [0]. */
#define OUZEL_OPT_HOLD_OUTPUT_UNTIL_SEEN 83

/* Transport integer options (TLS for mqtts:// ssl:// wss://, WebSockets for ws:// wss://,
 * proxies). They apply to the built-in transports only, not to one set with
 * ouzel_options_set_transport (ouzel/sys/transport.h). */
/* 0/1: trust the system CA store when neither OUZEL_OPT_TLS_CA_FILE nor _CA_PATH is set [1] */
#define OUZEL_OPT_TLS_USE_SYSTEM_CAS 30
/* 0/1: verify the server's certificate chain [1]. 0 is the insecure opt-out: it also skips the
 * host name check, and any certificate is accepted (the verify callback still runs). */
#define OUZEL_OPT_TLS_VERIFY_PEER 31
/* 0/1: check that the certificate names the server's host (or OUZEL_OPT_TLS_SERVER_NAME) [1].
 * 0 is paho's tls_insecure_set(True): the chain is still verified. */
#define OUZEL_OPT_TLS_VERIFY_HOSTNAME 32
#define OUZEL_OPT_TLS_MIN_VERSION 33        /* 0 (TLS 1.2) or OUZEL_TLS_V1_0.._V1_3 [0] */
#define OUZEL_OPT_TLS_MAX_VERSION 34        /* 0 (the newest) or OUZEL_TLS_V1_0.._V1_3 [0] */
#define OUZEL_OPT_TLS_SESSION_RESUMPTION 35 /* 0/1: resume TLS sessions on reconnect [1] */
#define OUZEL_OPT_WS_MAX_FRAME_BYTES 36     /* 1..2^31-1: largest frame sent [65536] */
#define OUZEL_OPT_WS_MAX_MESSAGE_BYTES 37   /* 0..2^31-1: largest message taken; 0 = no limit [0] */
#define OUZEL_OPT_PROXY_TYPE 38             /* OUZEL_PROXY_* [OUZEL_PROXY_NONE] */
/* 0..65535; 0 = the type's default, 8080 (HTTP) or 1080 (SOCKS5) [0] */
#define OUZEL_OPT_PROXY_PORT 39
/* 0/1: SOCKS5 sends the broker's name for the proxy to resolve (socks5h) instead of an address
 * resolved here [1]. HTTP CONNECT always sends the name. */
#define OUZEL_OPT_PROXY_REMOTE_DNS 40
/* 0/1: with no proxy set, use the one in the environment variable mqtt_proxy / MQTT_PROXY (a
 * proxy URI as for OUZEL_OPT_PROXY_URI) unless no_proxy / NO_PROXY names the broker's host [0] */
#define OUZEL_OPT_PROXY_FROM_ENVIRONMENT 41
/* 1..2^31-1: time for each layer's handshake (proxy, TLS, WebSocket upgrade), within
 * OUZEL_OPT_CONNECT_TIMEOUT_MS [30000] */
#define OUZEL_OPT_HANDSHAKE_TIMEOUT_MS 42

/* String options: ouzel_options_set_string. */
#define OUZEL_OPT_SERVER_URI 100     /* replaces the list with this one URI */
#define OUZEL_OPT_ADD_SERVER_URI 101 /* appends a URI; tried in order on (re)connect */
#define OUZEL_OPT_CLIENT_ID 102      /* may be empty (v5: the server assigns one) */
#define OUZEL_OPT_USERNAME 103
#define OUZEL_OPT_PASSWORD 104 /* binary allowed */
/* Local numeric address to bind before connecting (paho's bind_address); "" = any. Servers of the
 * other address family are then skipped. */
#define OUZEL_OPT_BIND_ADDRESS 150

/* Transport string options. NULL or "" resets each to its default unless said otherwise. File
 * and directory names are checked when set (OUZEL_EINVAL naming the file and the reason when it
 * cannot be read); their contents are read when connecting. Bad contents (not PEM, wrong key
 * password, a key that does not match the certificate, an unknown cipher list) fail the connection
 * attempt with OUZEL_EINVAL before any byte is sent (on_connect_fail; the detail in
 * ouzel_last_error_message inside the callback). */
#define OUZEL_OPT_TLS_CA_FILE 110 /* PEM file of trusted CA certificates */
#define OUZEL_OPT_TLS_CA_PATH 111 /* directory of hashed PEM CA certificates (c_rehash) */
/* Client certificate (PEM, may hold the chain), and its private key too when
 * OUZEL_OPT_TLS_KEY_FILE is not set. */
#define OUZEL_OPT_TLS_CERT_FILE 112
#define OUZEL_OPT_TLS_KEY_FILE 113     /* its private key (PEM, may be encrypted) */
#define OUZEL_OPT_TLS_KEY_PASSWORD 114 /* password of an encrypted key (binary allowed) */
/* Name for SNI and the host name check; "" = the host of the server URI. */
#define OUZEL_OPT_TLS_SERVER_NAME 115
/* ALPN protocols offered, comma-separated ("mqtt" or "x-amzn-mqtt-ca,mqtt"; blanks around names
 * are ignored); replaces the list. "" or NULL: no ALPN. Each name is 1..255 bytes. */
#define OUZEL_OPT_TLS_ALPN 116
#define OUZEL_OPT_TLS_ADD_ALPN 117 /* appends one protocol name (may contain a comma) */
#define OUZEL_OPT_TLS_CIPHERS 118  /* OpenSSL cipher string for TLS <= 1.2; "" = defaults */
/* TLS-PSK: set an identity and a key to use a pre-shared key instead of certificates (TLS 1.2
 * PSK cipher suites; MQTT brokers call it psk/psk_identity). The key is given either as raw
 * bytes (OUZEL_OPT_TLS_PSK_KEY, binary allowed) or as hex digits (OUZEL_OPT_TLS_PSK_KEY_HEX, what
 * mosquitto's psk_file and mosquitto_pub --psk take; an even number of [0-9a-fA-F], at most
 * 512); both set the same key. 1..256 bytes; the identity 1..128 bytes. */
#define OUZEL_OPT_TLS_PSK_IDENTITY 119
#define OUZEL_OPT_TLS_PSK_KEY 120
#define OUZEL_OPT_TLS_PSK_KEY_HEX 121
/* Appends a header to the WebSocket upgrade request, given as "Name: value" (an HTTP token, a
 * colon, a value without control characters but tab; blanks around it are dropped); headers go out
 * in the order added, after the handshake's own. A Host header replaces the one computed from the
 * URI. NULL removes every header added. Refused: the names the handshake writes itself (Upgrade,
 * Connection, Sec-WebSocket-Key, -Version, -Protocol (use OUZEL_OPT_WS_SUBPROTOCOL),
 * -Extensions, -Accept). */
#define OUZEL_OPT_WS_ADD_HEADER 122
/* Sec-WebSocket-Protocol offered and required in the reply ["mqtt"]; "" offers none. NULL
 * restores "mqtt". */
#define OUZEL_OPT_WS_SUBPROTOCOL 123
/* A proxy as a URI: http://[user[:password]@]host[:port] (HTTP CONNECT, default port 8080),
 * socks5://... (the broker's name resolved here) or socks5h://... (resolved by the proxy; default
 * port 1080). Sets the type, host, port, credentials and OUZEL_OPT_PROXY_REMOTE_DNS at once.
 * NULL or "": no proxy (OUZEL_PROXY_NONE). */
#define OUZEL_OPT_PROXY_URI 124
#define OUZEL_OPT_PROXY_HOST 125     /* name or IP literal (IPv6 without brackets) */
#define OUZEL_OPT_PROXY_USERNAME 126 /* "" = no authentication */
#define OUZEL_OPT_PROXY_PASSWORD 127
/* ouzel_client_new checks the transport options together and fails with OUZEL_EINVAL for a key
 * file without a certificate file, a PSK identity without a key or the reverse, PSK together
 * with a client certificate or with TLS 1.3, OUZEL_OPT_TLS_MIN_VERSION above _MAX_VERSION, a
 * proxy type without a host, or a proxy password without a user name. */

/* Values. */
#define OUZEL_QUEUE_FULL_REFUSE_NEW 0
#define OUZEL_QUEUE_FULL_DROP_OLDEST_QOS0 1
#define OUZEL_LOST_SESSION_FAIL_INFLIGHT 0
#define OUZEL_LOST_SESSION_RESEND_AS_NEW 1
#define OUZEL_QOS2_DELIVERY_ON_PUBLISH 0
#define OUZEL_QOS2_DELIVERY_ON_PUBREL 1
/* TLS versions: the protocol's own numbers. 1.0 and 1.1 are deprecated (RFC 8996) and off unless
 * OUZEL_OPT_TLS_MIN_VERSION asks for them, for brokers that know nothing newer. */
#define OUZEL_TLS_V1_0 0x0301
#define OUZEL_TLS_V1_1 0x0302
#define OUZEL_TLS_V1_2 0x0303
#define OUZEL_TLS_V1_3 0x0304
#define OUZEL_PROXY_NONE 0
#define OUZEL_PROXY_HTTP 1 /* HTTP CONNECT (Basic authentication with a user name) */
#define OUZEL_PROXY_SOCKS5 2

/* Creates options holding the defaults. OUZEL_ENOMEM. */
OUZEL_EXTERN int ouzel_options_new(ouzel_options** out);
/* NULL is a no-op. */
OUZEL_EXTERN void ouzel_options_free(ouzel_options* opts);

/* OUZEL_EINVAL for an unknown option, a value out of range, or an option of the other type;
 * the options are then unchanged. */
OUZEL_EXTERN int ouzel_options_set_int(ouzel_options* opts, int32_t option, int64_t value);
OUZEL_EXTERN int ouzel_options_set_string(ouzel_options* opts, int32_t option, const char* value,
                                          size_t value_len);

/* --- Reading options back, and what every option accepts ---------------------------------------
 * Bindings take defaults and bounds from here instead of copying them (the table inside the
 * library is the one source: the setters check against it and a fresh ouzel_options holds the
 * defaults it reports). */

/* The value an integer option holds in `opts` (a fresh one: the default). OUZEL_EINVAL (NULL,
 * an unknown option or a string option: the message says which). Thread-compatible. */
OUZEL_EXTERN int ouzel_options_get_int(const ouzel_options* opts, int32_t option, int64_t* out);

/* The value a string option holds in `opts`: *out and *out_len describe bytes borrowed from
 * `opts`, valid until the next call on this options object or its free; not NUL-terminated
 * (binary options may contain NUL). *out is NULL (length 0) when the option is unset, which
 * differs from "" for OUZEL_OPT_USERNAME and OUZEL_OPT_PASSWORD (no user name vs an empty one).
 * List options read back whole: OUZEL_OPT_SERVER_URI gives every server URI, one per line
 * ("\n"-separated); OUZEL_OPT_TLS_ALPN the protocols, comma-separated; OUZEL_OPT_WS_ADD_HEADER
 * the added headers as "Name: value" lines ("\n"-separated); OUZEL_OPT_TLS_PSK_KEY_HEX the PSK key
 * in lowercase hex. OUZEL_EINVAL (NULL, an unknown option, an integer option, or a write-only one
 * (OUZEL_OPTION_WRITE_ONLY: the message names the option to read instead)). Thread-compatible. */
OUZEL_EXTERN int ouzel_options_get_string(const ouzel_options* opts, int32_t option,
                                          const char** out, size_t* out_len);

/* ouzel_option_info.type */
#define OUZEL_OPTTYPE_INT 1    /* ouzel_options_set_int / _get_int */
#define OUZEL_OPTTYPE_STRING 2 /* ouzel_options_set_string / _get_string */
/* ouzel_option_info.flags */
/* Setting only: it appends to a list or sets several options at once (OUZEL_OPT_ADD_SERVER_URI,
 * OUZEL_OPT_TLS_ADD_ALPN, OUZEL_OPT_PROXY_URI); read_instead names where the value is read. */
#define OUZEL_OPTION_WRITE_ONLY 1u
/* A password or key: keep it out of logs and error reports. */
#define OUZEL_OPTION_SECRET 2u
/* Fixed when the client is created: ouzel_client_set_options refuses a change to it, or keeps
 * the creation value (see ouzel_client_set_options). */
#define OUZEL_OPTION_FIXED 4u
/* Integer options: only the named values (OUZEL_MQTT_*, OUZEL_TLS_V*, OUZEL_PROXY_*, ...) between
 * min and max are accepted, not every number in between. */
#define OUZEL_OPTION_ENUM 8u

/* What one option is. Integer options: min..max are the accepted values, default_int the value
 * of a fresh ouzel_options. String options: min..max bound the length in bytes (max is
 * INT64_MAX when only the file system or the peer limits it), default_string/_len the value of a
 * fresh ouzel_options (NULL when unset). */
typedef struct ouzel_option_info {
  uint32_t version; /* OUZEL_OPTION_INFO_VERSION */
  int32_t id;       /* OUZEL_OPT_* */
  const char* name; /* "OUZEL_OPT_KEEPALIVE_SECONDS": static, NUL-terminated */
  int32_t type;     /* OUZEL_OPTTYPE_* */
  uint32_t flags;   /* OUZEL_OPTION_* */
  int64_t min;
  int64_t max;
  int64_t default_int;
  const char* default_string; /* static; not NUL-terminated when binary (none is today) */
  size_t default_string_len;
  int32_t read_instead; /* OUZEL_OPTION_WRITE_ONLY: the option to read back; else 0 */
} ouzel_option_info;
#define OUZEL_OPTION_INFO_VERSION 1

/* Zeroes `info` for `version`. OUZEL_EINVAL (NULL), OUZEL_EVERSION. Thread-safe. */
OUZEL_EXTERN int ouzel_option_info_init(ouzel_option_info* info, uint32_t version);
/* Fills `info` (initialised with ouzel_option_info_init) for option id `option`. Every pointer
 * is static. OUZEL_ENOTFOUND (not an option of this library), OUZEL_EINVAL (NULL),
 * OUZEL_EVERSION. Thread-safe. */
OUZEL_EXTERN int ouzel_option_get_info(int32_t option, ouzel_option_info* info);
/* Every option id this library knows, ascending: *out points to a static array of *out_count ids.
 * OUZEL_EINVAL (NULL). Thread-safe. */
OUZEL_EXTERN int ouzel_option_ids(const int32_t** out, size_t* out_count);

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
