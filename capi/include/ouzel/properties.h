/* Ouzel C API: MQTT 5 properties.
 *
 * An ouzel_properties is an ordered list of (identifier, value) pairs, as on the wire: user
 * properties keep their order and duplicates. Identifiers are the MQTT 5 property identifiers
 * (OUZEL_PROP_*, MQTT 5.0 section 2.2.2.2). Values are integers, UTF-8 strings, binary data or, for
 * User Property, a name/value pair of strings. Strings and binary data are (pointer, length) and
 * are copied in; getters return pointers borrowed from the properties object.
 */
#ifndef OUZEL_PROPERTIES_H
#define OUZEL_PROPERTIES_H

#include "ouzel/common.h"

OUZEL_BEGIN_DECLS

#define OUZEL_PROP_PAYLOAD_FORMAT_INDICATOR 0x01
#define OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL 0x02
#define OUZEL_PROP_CONTENT_TYPE 0x03
#define OUZEL_PROP_RESPONSE_TOPIC 0x08
#define OUZEL_PROP_CORRELATION_DATA 0x09
#define OUZEL_PROP_SUBSCRIPTION_IDENTIFIER 0x0B
#define OUZEL_PROP_SESSION_EXPIRY_INTERVAL 0x11
#define OUZEL_PROP_ASSIGNED_CLIENT_IDENTIFIER 0x12
#define OUZEL_PROP_SERVER_KEEP_ALIVE 0x13
#define OUZEL_PROP_AUTHENTICATION_METHOD 0x15
#define OUZEL_PROP_AUTHENTICATION_DATA 0x16
#define OUZEL_PROP_REQUEST_PROBLEM_INFORMATION 0x17
#define OUZEL_PROP_WILL_DELAY_INTERVAL 0x18
#define OUZEL_PROP_REQUEST_RESPONSE_INFORMATION 0x19
#define OUZEL_PROP_RESPONSE_INFORMATION 0x1A
#define OUZEL_PROP_SERVER_REFERENCE 0x1C
#define OUZEL_PROP_REASON_STRING 0x1F
#define OUZEL_PROP_RECEIVE_MAXIMUM 0x21
#define OUZEL_PROP_TOPIC_ALIAS_MAXIMUM 0x22
#define OUZEL_PROP_TOPIC_ALIAS 0x23
#define OUZEL_PROP_MAXIMUM_QOS 0x24
#define OUZEL_PROP_RETAIN_AVAILABLE 0x25
#define OUZEL_PROP_USER_PROPERTY 0x26
#define OUZEL_PROP_MAXIMUM_PACKET_SIZE 0x27
#define OUZEL_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE 0x28
#define OUZEL_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE 0x29
#define OUZEL_PROP_SHARED_SUBSCRIPTION_AVAILABLE 0x2A

typedef struct ouzel_properties ouzel_properties;

/* Creates an empty list in *out. OUZEL_ENOMEM. Thread-safe. */
OUZEL_EXTERN int ouzel_properties_new(ouzel_properties** out);
/* Frees `props`; NULL is a no-op. Never call on a borrowed list (one a callback or a message gave
 * you). Thread-compatible. */
OUZEL_EXTERN void ouzel_properties_free(ouzel_properties* props);
/* Deep copy into *out. OUZEL_EINVAL (NULL), OUZEL_ENOMEM. */
OUZEL_EXTERN int ouzel_properties_clone(ouzel_properties** out, const ouzel_properties* props);

/* Setters replace an existing property of the same identifier (User Property and Subscription
 * Identifier are appended instead). OUZEL_EINVAL when `id` is unknown or of another type, or a
 * string is longer than 65,535 bytes or not valid MQTT UTF-8. Whether the property is allowed in a
 * given packet is checked when the list is used. Thread-compatible. */
OUZEL_EXTERN int ouzel_properties_set_int(ouzel_properties* props, int32_t id, uint32_t value);
OUZEL_EXTERN int ouzel_properties_set_string(ouzel_properties* props, int32_t id, const char* value,
                                             size_t value_len);
OUZEL_EXTERN int ouzel_properties_set_binary(ouzel_properties* props, int32_t id, const void* value,
                                             size_t value_len);
OUZEL_EXTERN int ouzel_properties_add_user(ouzel_properties* props, const char* name,
                                           size_t name_len, const char* value, size_t value_len);
/* Removes every property with this identifier. Returns how many were removed (>= 0). */
OUZEL_EXTERN int ouzel_properties_remove(ouzel_properties* props, int32_t id);

/* Number of properties in the list (0 for NULL). */
OUZEL_EXTERN size_t ouzel_properties_count(const ouzel_properties* props);
/* The identifier of the property at `index` (0-based), or -1 when out of range. */
OUZEL_EXTERN int32_t ouzel_properties_id_at(const ouzel_properties* props, size_t index);
/* Typed access by position. OUZEL_EINVAL when out of range or of another type. Pointers are
 * borrowed from `props` and valid until it changes or is freed; strings are not NUL-terminated. */
OUZEL_EXTERN int ouzel_properties_int_at(const ouzel_properties* props, size_t index,
                                         uint32_t* out);
OUZEL_EXTERN int ouzel_properties_bytes_at(const ouzel_properties* props, size_t index,
                                           const char** out, size_t* out_len);
OUZEL_EXTERN int ouzel_properties_user_at(const ouzel_properties* props, size_t index,
                                          const char** name, size_t* name_len, const char** value,
                                          size_t* value_len);
/* Convenience lookups of the first property with `id`. OUZEL_ENOTFOUND when absent. */
OUZEL_EXTERN int ouzel_properties_get_int(const ouzel_properties* props, int32_t id, uint32_t* out);
OUZEL_EXTERN int ouzel_properties_get_bytes(const ouzel_properties* props, int32_t id,
                                            const char** out, size_t* out_len);

OUZEL_END_DECLS

#endif /* OUZEL_PROPERTIES_H */
