/* Ouzel C API: error codes.
 *
 * Every fallible function returns int: OUZEL_OK (0) or one of the negative codes below. The values
 * are pinned forever; new codes are only appended. MQTT reason codes (CONNACK, SUBACK, PUBACK,
 * DISCONNECT, ...) are data delivered to callbacks, never returned here.
 */
#ifndef OUZEL_ERRORS_H
#define OUZEL_ERRORS_H

#include "ouzel/common.h"

OUZEL_BEGIN_DECLS

#define OUZEL_OK 0
#define OUZEL_EINVAL (-1)     /* an argument is invalid (bad topic, QoS 3, NULL, ...) */
#define OUZEL_ENOMEM (-2)     /* out of memory */
#define OUZEL_ENOTCONN (-3)   /* not connected and the operation cannot be queued */
#define OUZEL_EQUEUEFULL (-4) /* the outgoing queue is at its limit */
#define OUZEL_ETIMEDOUT (-5)  /* a wait or a connection attempt timed out */
/* OUZEL_ECLOSED: the client is stopped or being destroyed, or the application dropped the
 * connection (ouzel_client_reconnect). */
#define OUZEL_ECLOSED (-6)
#define OUZEL_EREFUSED (-7)     /* the server refused (CONNACK failure, bad credentials) */
#define OUZEL_EPROTOCOL (-8)    /* the server broke the protocol (malformed packet, ...) */
#define OUZEL_ETLS (-9)         /* TLS handshake or verification failed */
#define OUZEL_ETOOLARGE (-10)   /* payload or packet over a limit (Maximum Packet Size, ...) */
#define OUZEL_EWOULDBLOCK (-11) /* nothing to do now; try again when the socket is ready */
#define OUZEL_EBUSY (-12)       /* not allowed here (e.g. a blocking wait inside a callback) */
#define OUZEL_EIO (-13)         /* the network failed (connection reset, unreachable, ...) */
#define OUZEL_ENOTSUP (-14)     /* not supported by this build or by the server */
#define OUZEL_ENOTFOUND (-15)   /* no such message, subscription or packet id */
#define OUZEL_EVERSION (-16)    /* a struct or vtable version this library does not know */
#define OUZEL_EINTERNAL (-17)   /* a bug in Ouzel; the message says where */
/* OUZEL_ESTORE: the session store failed (an I/O error or a damaged file of the persistence
 * directory, or an error from an application store, ouzel/sys/store.h). A store held by another
 * process or client is OUZEL_EBUSY instead. */
#define OUZEL_ESTORE (-18)

/* A static, human-readable description of `code` ("invalid argument", ...). Thread-safe.
 * Never returns NULL; unknown codes give "unknown error". */
OUZEL_EXTERN const char* ouzel_strerror(int code);

/* Detail about the last failing call made on this thread (e.g. "topic contains the wildcard '+'
 * at byte 3 [MQTT-3.3.2-2]"), or "" when there is none. Thread-safe; the string is thread-local
 * and valid until the next Ouzel call on this thread. */
OUZEL_EXTERN const char* ouzel_last_error_message(void);

OUZEL_END_DECLS

#endif /* OUZEL_ERRORS_H */
