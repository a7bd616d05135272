/* Ouzel C API: messages.
 *
 * An ouzel_message is opaque; read it with the accessors. A message passed to a callback is
 * borrowed until the callback returns: keep it with ouzel_message_clone (then free the clone with
 * ouzel_message_free). Accessors never fail on a valid message; they are thread-compatible.
 */
#ifndef OUZEL_MESSAGE_H
#define OUZEL_MESSAGE_H

#include "ouzel/common.h"
#include "ouzel/properties.h"

OUZEL_BEGIN_DECLS

typedef struct ouzel_message ouzel_message;

/* Topic as received (resolved from a Topic Alias when the broker used one). Not NUL-terminated:
 * use `*len`. Borrowed from `msg`. */
OUZEL_EXTERN const char* ouzel_message_topic(const ouzel_message* msg, size_t* len);
/* Payload bytes (may contain NUL). Borrowed from `msg`. */
OUZEL_EXTERN const void* ouzel_message_payload(const ouzel_message* msg, size_t* len);
OUZEL_EXTERN int32_t ouzel_message_qos(const ouzel_message* msg);
OUZEL_EXTERN int32_t ouzel_message_retain(const ouzel_message* msg); /* 0 or 1 */
OUZEL_EXTERN int32_t ouzel_message_dup(const ouzel_message* msg);    /* 0 or 1 */
/* The packet identifier it arrived with (0 for QoS 0). Pass it to ouzel_client_ack in manual ack
 * mode. */
OUZEL_EXTERN int32_t ouzel_message_mid(const ouzel_message* msg);
/* MQTT 5 PUBLISH properties (empty for 3.x). Borrowed from `msg`; never NULL. */
OUZEL_EXTERN const ouzel_properties* ouzel_message_properties(const ouzel_message* msg);

/* Everything ouzel_message_topic .. ouzel_message_properties return, in one call (bindings cross
 * the FFI boundary once per message instead of seven times). Pointers are borrowed from `msg`
 * as with the single accessors; the strings are not NUL-terminated. */
typedef struct ouzel_message_fields {
  uint32_t version; /* OUZEL_MESSAGE_FIELDS_VERSION */
  const char* topic;
  size_t topic_len;
  const void* payload;
  size_t payload_len;
  int32_t qos;
  int32_t retain; /* 0 or 1 */
  int32_t dup;    /* 0 or 1 */
  int32_t mid;
  const ouzel_properties* properties; /* never NULL */
} ouzel_message_fields;
#define OUZEL_MESSAGE_FIELDS_VERSION 1
/* Fills `fields` with zeros for `version`. OUZEL_EINVAL (NULL), OUZEL_EVERSION. Thread-safe. */
OUZEL_EXTERN int ouzel_message_fields_init(ouzel_message_fields* fields, uint32_t version);
/* Fills `fields` (initialised with ouzel_message_fields_init) from `msg`. OUZEL_EINVAL (NULL),
 * OUZEL_EVERSION. Thread-compatible, as the accessors. */
OUZEL_EXTERN int ouzel_message_get_fields(const ouzel_message* msg, ouzel_message_fields* fields);

/* Deep copy into *out, owned by the caller. OUZEL_EINVAL, OUZEL_ENOMEM. Thread-safe. */
OUZEL_EXTERN int ouzel_message_clone(ouzel_message** out, const ouzel_message* msg);
/* Frees a clone; NULL is a no-op. Never call on a borrowed message. */
OUZEL_EXTERN void ouzel_message_free(ouzel_message* msg);

OUZEL_END_DECLS

#endif /* OUZEL_MESSAGE_H */
