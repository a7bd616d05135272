/* Ouzel C API: MQTT protocol facts — reason code names and meanings, property names and types.
 *
 * The engine's own tables (MQTT 5.0 sections 2.2.2.2, 2.4 and 3.x; MQTT 3.1.1 sections 3.2.2.3
 * and 3.9.3), so bindings print and check what the engine decodes without a copy of the
 * specification each:
 *
 *   ouzel_reason_code_name(OUZEL_MQTT_V5, OUZEL_PACKET_CONNACK, 0x87);    // "Not authorized"
 *   ouzel_reason_code_name(OUZEL_MQTT_V5, OUZEL_PACKET_SUBACK, 0x00);     // "Granted QoS 0"
 *   ouzel_reason_code_name(OUZEL_MQTT_V311, OUZEL_PACKET_CONNACK, 0x05);
 *       // "Connection Refused, not authorized"
 *   ouzel_property_name(OUZEL_PROP_RECEIVE_MAXIMUM);                      // "Receive Maximum"
 *   ouzel_property_type(OUZEL_PROP_RECEIVE_MAXIMUM);                  // OUZEL_PROPTYPE_TWO_BYTE
 *
 * Strings returned here are static (never free them), NUL-terminated, and the specification's
 * own spelling. Every function is thread-safe and allocates nothing.
 */
#ifndef OUZEL_PROTOCOL_H
#define OUZEL_PROTOCOL_H

#include "ouzel/common.h"
#include "ouzel/options.h"
#include "ouzel/properties.h"

OUZEL_BEGIN_DECLS

/* MQTT Control Packet types (the high four bits of the fixed header's first byte). */
#define OUZEL_PACKET_CONNECT 1
#define OUZEL_PACKET_CONNACK 2
#define OUZEL_PACKET_PUBLISH 3
#define OUZEL_PACKET_PUBACK 4
#define OUZEL_PACKET_PUBREC 5
#define OUZEL_PACKET_PUBREL 6
#define OUZEL_PACKET_PUBCOMP 7
#define OUZEL_PACKET_SUBSCRIBE 8
#define OUZEL_PACKET_SUBACK 9
#define OUZEL_PACKET_UNSUBSCRIBE 10
#define OUZEL_PACKET_UNSUBACK 11
#define OUZEL_PACKET_PINGREQ 12
#define OUZEL_PACKET_PINGRESP 13
#define OUZEL_PACKET_DISCONNECT 14
#define OUZEL_PACKET_AUTH 15
/* Not a packet: the Will Properties in a CONNECT payload (MQTT 5.0 section 3.1.3.2), for
 * ouzel_property_allowed. */
#define OUZEL_PACKET_WILL_PROPERTIES 16

/* --- Reason codes ------------------------------------------------------------------------------
 * `protocol_version` is OUZEL_MQTT_V31, OUZEL_MQTT_V311 or OUZEL_MQTT_V5 (ouzel/options.h): one
 * byte means different things by packet and by version. In MQTT 5, CONNACK, PUBACK, PUBREC,
 * PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT and AUTH carry reason codes (0x00 is "Success",
 * "Normal disconnection" or "Granted QoS 0" by packet). In MQTT 3.1 and 3.1.1 only CONNACK (the
 * Connect Return codes 0..5) and SUBACK (the granted QoS; 3.1.1 adds 0x80 "Failure") do. */

/* The specification's name of `code` in `packet_type` at `protocol_version`, or NULL when that
 * packet cannot carry that code (an unknown version or packet type, a code outside the packet's
 * table). Thread-safe. */
OUZEL_EXTERN const char* ouzel_reason_code_name(int32_t protocol_version, int32_t packet_type,
                                                int32_t code);

/* 1 when `code` reports a failure in `packet_type` at `protocol_version` (MQTT 5: 0x80 and above;
 * a 3.x CONNACK: any code but 0; a 3.1.1 SUBACK: 0x80), 0 when it reports success (including
 * "No matching subscribers", "Granted QoS 1" or "Continue authentication"), OUZEL_EINVAL when the
 * packet cannot carry that code (as for ouzel_reason_code_name returning NULL). Thread-safe. */
OUZEL_EXTERN int ouzel_reason_code_is_error(int32_t protocol_version, int32_t packet_type,
                                            int32_t code);

/* Every code `packet_type` can carry at `protocol_version`, ascending: *out points to a static
 * array of *out_count bytes. OUZEL_EINVAL (NULL out or out_count; an unknown version; a packet
 * type without reason codes at that version: *out is then NULL and *out_count 0). Thread-safe. */
OUZEL_EXTERN int ouzel_reason_codes(int32_t protocol_version, int32_t packet_type,
                                    const uint8_t** out, size_t* out_count);

/* --- Properties (MQTT 5) -------------------------------------------------------------------- */

/* Value types of properties (MQTT 5.0 section 1.5). */
#define OUZEL_PROPTYPE_BYTE 1
#define OUZEL_PROPTYPE_TWO_BYTE 2  /* Two Byte Integer */
#define OUZEL_PROPTYPE_FOUR_BYTE 3 /* Four Byte Integer */
#define OUZEL_PROPTYPE_VARINT 4    /* Variable Byte Integer */
#define OUZEL_PROPTYPE_UTF8 5      /* UTF-8 Encoded String */
#define OUZEL_PROPTYPE_BINARY 6    /* Binary Data */
#define OUZEL_PROPTYPE_UTF8_PAIR 7 /* UTF-8 String Pair (User Property) */

/* The specification's name of property identifier `id` (OUZEL_PROP_*), e.g. "Topic Alias
 * Maximum", or NULL for an identifier MQTT 5 does not define. Thread-safe. */
OUZEL_EXTERN const char* ouzel_property_name(int32_t id);

/* The value type of property `id`: OUZEL_PROPTYPE_*, or OUZEL_EINVAL for an identifier MQTT 5
 * does not define. Integer types are set and read with ouzel_properties_set_int / _int_at, UTF8
 * with _set_string, BINARY with _set_binary, UTF8_PAIR with _add_user. Thread-safe. */
OUZEL_EXTERN int ouzel_property_type(int32_t id);

/* 1 when property `id` may appear in `packet_type` (OUZEL_PACKET_*, or
 * OUZEL_PACKET_WILL_PROPERTIES for a Will), 0 when it may not (including packets that carry no
 * properties, such as PINGREQ), OUZEL_EINVAL for an undefined identifier or a packet type outside
 * 1..16. Thread-safe. */
OUZEL_EXTERN int ouzel_property_allowed(int32_t id, int32_t packet_type);

OUZEL_END_DECLS

#endif /* OUZEL_PROTOCOL_H */
