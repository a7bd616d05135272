"""The C ABI of libouzel (capi/include/ouzel/*.h), mirrored one to one with ctypes.

Nothing here is Pythonic on purpose: every function keeps its C name without the ``ouzel_``
prefix (``lib.client_publish`` is ``ouzel_client_publish``), takes the same arguments and returns
the same ``int`` codes. The paho-compatible layer (``ouzel.mqtt``) and the asyncio layer
(``ouzel.aio``) are built on top of it.

Which library is loaded (first match wins):

1. the path in the environment variable ``OUZEL_LIBRARY``;
2. ``libouzel.so.0`` shipped inside this package (``ouzel/_lib/``, put there by the build);
3. ``bazel-bin/capi/libouzel.so`` of the source tree this package sits in (development).

ctypes releases the GIL around every call and takes it again for callbacks, so the engine's
threads may call back into Python at any time.
"""

import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int32, c_int64, c_size_t,
                    c_uint8, c_uint32, c_uint64, c_void_p)

# --- errors.h ------------------------------------------------------------------------------------
OK = 0
EINVAL = -1
ENOMEM = -2
ENOTCONN = -3
EQUEUEFULL = -4
ETIMEDOUT = -5
ECLOSED = -6
EREFUSED = -7
EPROTOCOL = -8
ETLS = -9
ETOOLARGE = -10
EWOULDBLOCK = -11
EBUSY = -12
EIO = -13
ENOTSUP = -14
ENOTFOUND = -15
EVERSION = -16
EINTERNAL = -17
ESTORE = -18

# --- version.h -----------------------------------------------------------------------------------
# The ABI this module was written against; the library must be at least this version.
VERSION_MAJOR = 0
VERSION_MINOR = 1

# --- options.h -----------------------------------------------------------------------------------
MQTT_V31 = 3
MQTT_V311 = 4
MQTT_V5 = 5

OPT_PROTOCOL_VERSION = 1
OPT_CLEAN_START = 2
OPT_KEEPALIVE_SECONDS = 3
OPT_CONNECT_TIMEOUT_MS = 4
OPT_MAX_INFLIGHT = 5
OPT_MAX_QUEUED_MESSAGES = 6
OPT_MAX_QUEUED_BYTES = 7
OPT_QUEUE_FULL_POLICY = 8
OPT_QUEUE_QOS0_OFFLINE = 9
OPT_LOST_SESSION_POLICY = 10
OPT_AUTO_TOPIC_ALIAS = 11
OPT_MANUAL_ACK = 12
OPT_QOS2_DELIVERY = 13
OPT_RECONNECT = 14
OPT_RECONNECT_MIN_DELAY_MS = 15
OPT_RECONNECT_MAX_DELAY_MS = 16
OPT_FOLLOW_SERVER_REFERENCE = 17
OPT_TCP_NODELAY = 18
OPT_NUMBER_QOS0_MESSAGES = 19
OPT_PING_TIMEOUT_MS = 20
# events.h (the event queue)
OPT_EVENT_QUEUE = 21
OPT_EVENT_QUEUE_MAX_MESSAGES = 22
OPT_EVENT_QUEUE_MAX_BYTES = 23
OPT_EVENT_QUEUE_LOG_LEVEL = 24
OPT_RECONNECT_CLEAN_START = 80
OPT_BIND_PORT = 81
OPT_LOOP_INTERRUPT_FD = 82
OPT_HOLD_OUTPUT_UNTIL_SEEN = 83
# Transports (TLS, WebSockets, proxies)
OPT_TLS_USE_SYSTEM_CAS = 30
OPT_TLS_VERIFY_PEER = 31
OPT_TLS_VERIFY_HOSTNAME = 32
OPT_TLS_MIN_VERSION = 33
OPT_TLS_MAX_VERSION = 34
OPT_TLS_SESSION_RESUMPTION = 35
OPT_WS_MAX_FRAME_BYTES = 36
OPT_WS_MAX_MESSAGE_BYTES = 37
OPT_PROXY_TYPE = 38
OPT_PROXY_PORT = 39
OPT_PROXY_REMOTE_DNS = 40
OPT_PROXY_FROM_ENVIRONMENT = 41
OPT_HANDSHAKE_TIMEOUT_MS = 42
# persistence.h
OPT_PERSISTENCE_SYNC = 60
OPT_PERSISTENCE_SYNC_INTERVAL_MS = 61
OPT_PERSISTENCE_MAX_BYTES = 62
OPT_PERSISTENCE_MAX_MESSAGES = 63
OPT_PERSISTENCE_FULL_POLICY = 64

OPT_SERVER_URI = 100
OPT_ADD_SERVER_URI = 101
OPT_CLIENT_ID = 102
OPT_USERNAME = 103
OPT_PASSWORD = 104
OPT_BIND_ADDRESS = 150
OPT_TLS_CA_FILE = 110
OPT_TLS_CA_PATH = 111
OPT_TLS_CERT_FILE = 112
OPT_TLS_KEY_FILE = 113
OPT_TLS_KEY_PASSWORD = 114
OPT_TLS_SERVER_NAME = 115
OPT_TLS_ALPN = 116
OPT_TLS_ADD_ALPN = 117
OPT_TLS_CIPHERS = 118
OPT_TLS_PSK_IDENTITY = 119
OPT_TLS_PSK_KEY = 120
OPT_TLS_PSK_KEY_HEX = 121
OPT_WS_ADD_HEADER = 122
OPT_WS_SUBPROTOCOL = 123
OPT_PROXY_URI = 124
OPT_PROXY_HOST = 125
OPT_PROXY_USERNAME = 126
OPT_PROXY_PASSWORD = 127
OPT_PERSISTENCE_DIR = 140
OPT_PERSISTENCE_KEY = 141

TLS_V1_2 = 0x0303
TLS_V1_3 = 0x0304
PROXY_NONE = 0
PROXY_HTTP = 1
PROXY_SOCKS5 = 2
SYNC_EVERY_WRITE = 0
SYNC_INTERVAL = 1
SYNC_NEVER = 2
PERSISTENCE_FULL_REFUSE_NEW = 0
PERSISTENCE_FULL_DROP_OLDEST_QOS0 = 1

QUEUE_FULL_REFUSE_NEW = 0
QUEUE_FULL_DROP_OLDEST_QOS0 = 1
LOST_SESSION_FAIL_INFLIGHT = 0
LOST_SESSION_RESEND_AS_NEW = 1
QOS2_DELIVERY_ON_PUBLISH = 0
QOS2_DELIVERY_ON_PUBREL = 1

SET_OPTIONS_FIRST_CONNECTION = 1

OPTTYPE_INT = 1
OPTTYPE_STRING = 2
OPTION_WRITE_ONLY = 1
OPTION_SECRET = 2
OPTION_FIXED = 4
OPTION_ENUM = 8

# --- client.h ------------------------------------------------------------------------------------
STATE_DISCONNECTED = 0
STATE_CONNECT_PENDING = 1
STATE_CONNECTING = 2
STATE_CONNECTED = 3
STATE_DISCONNECTING = 4
STATE_CONNECTION_LOST = 5

DELIVERY_QUEUED = 0
DELIVERY_INFLIGHT = 1
DELIVERY_ACKNOWLEDGED = 2
DELIVERY_EXPIRED = 3
DELIVERY_DROPPED = 4

DROP_NONE = 0
DROP_QUEUE_FULL = 1
DROP_SESSION_LOST = 2
DROP_TOO_LARGE = 3
DROP_REJECTED = 4
DROP_CONNECTION_LOST = 5
DROP_CANCELLED = 6

LOG_DEBUG = 16
LOG_INFO = 1
LOG_NOTICE = 2
LOG_WARNING = 4
LOG_ERR = 8

STAT_MESSAGES_SENT = 1
STAT_MESSAGES_RECEIVED = 2
STAT_BYTES_SENT = 3
STAT_BYTES_RECEIVED = 4
STAT_INFLIGHT = 5
STAT_QUEUED = 6
STAT_RECONNECTS = 7
STAT_LAST_DISCONNECT_REASON = 8

# --- properties.h --------------------------------------------------------------------------------
PROP_PAYLOAD_FORMAT_INDICATOR = 0x01
PROP_MESSAGE_EXPIRY_INTERVAL = 0x02
PROP_CONTENT_TYPE = 0x03
PROP_RESPONSE_TOPIC = 0x08
PROP_CORRELATION_DATA = 0x09
PROP_SUBSCRIPTION_IDENTIFIER = 0x0B
PROP_SESSION_EXPIRY_INTERVAL = 0x11
PROP_ASSIGNED_CLIENT_IDENTIFIER = 0x12
PROP_SERVER_KEEP_ALIVE = 0x13
PROP_AUTHENTICATION_METHOD = 0x15
PROP_AUTHENTICATION_DATA = 0x16
PROP_REQUEST_PROBLEM_INFORMATION = 0x17
PROP_WILL_DELAY_INTERVAL = 0x18
PROP_REQUEST_RESPONSE_INFORMATION = 0x19
PROP_RESPONSE_INFORMATION = 0x1A
PROP_SERVER_REFERENCE = 0x1C
PROP_REASON_STRING = 0x1F
PROP_RECEIVE_MAXIMUM = 0x21
PROP_TOPIC_ALIAS_MAXIMUM = 0x22
PROP_TOPIC_ALIAS = 0x23
PROP_MAXIMUM_QOS = 0x24
PROP_RETAIN_AVAILABLE = 0x25
PROP_USER_PROPERTY = 0x26
PROP_MAXIMUM_PACKET_SIZE = 0x27
PROP_WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28
PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29
PROP_SHARED_SUBSCRIPTION_AVAILABLE = 0x2A

# --- protocol.h ----------------------------------------------------------------------------------
PACKET_CONNECT = 1
PACKET_CONNACK = 2
PACKET_PUBLISH = 3
PACKET_PUBACK = 4
PACKET_PUBREC = 5
PACKET_PUBREL = 6
PACKET_PUBCOMP = 7
PACKET_SUBSCRIBE = 8
PACKET_SUBACK = 9
PACKET_UNSUBSCRIBE = 10
PACKET_UNSUBACK = 11
PACKET_PINGREQ = 12
PACKET_PINGRESP = 13
PACKET_DISCONNECT = 14
PACKET_AUTH = 15
PACKET_WILL_PROPERTIES = 16

PROPTYPE_BYTE = 1
PROPTYPE_TWO_BYTE = 2
PROPTYPE_FOUR_BYTE = 3
PROPTYPE_VARINT = 4
PROPTYPE_UTF8 = 5
PROPTYPE_BINARY = 6
PROPTYPE_UTF8_PAIR = 7

# NUL-terminated strings are passed with this length.
SIZE_MAX = ctypes.c_size_t(-1).value

# --- Opaque handles and small structs ------------------------------------------------------------
client_p = c_void_p
options_p = c_void_p
properties_p = c_void_p
message_p = c_void_p
topic_router_p = c_void_p


class DeliveryStatus(Structure):
    """ouzel_delivery_status (version 2)."""
    _fields_ = [("version", c_uint32), ("state", c_int32), ("drop_reason", c_int32),
                ("mid", c_int32), ("reason_code", c_int32), ("qos", c_int32)]


DELIVERY_STATUS_VERSION = 2


# --- events.h ------------------------------------------------------------------------------------
EVENT_CONNECTED = 1
EVENT_CONNECT_FAILED = 2
EVENT_DISCONNECTED = 3
EVENT_MESSAGE = 4
EVENT_PUBLISH_DONE = 5
EVENT_SUBSCRIBE_DONE = 6
EVENT_UNSUBSCRIBE_DONE = 7
EVENT_AUTH = 8
EVENT_LOG = 9


class Event(Structure):
    """ouzel_event (version 1)."""
    _fields_ = [("version", c_uint32), ("type", c_int32), ("error", c_int32),
                ("reason_code", c_int32), ("session_present", c_int32), ("by_server", c_int32),
                ("mid", c_int32), ("qos", c_int32), ("retain", c_int32), ("dup", c_int32),
                ("state", c_int32), ("drop_reason", c_int32), ("level", c_int32),
                ("ack_on_release", c_int32), ("token", c_uint64), ("topic", c_void_p),
                ("topic_len", c_size_t), ("payload", c_void_p), ("payload_len", c_size_t),
                ("message", c_void_p), ("properties", c_void_p), ("reason_codes", c_void_p),
                ("reason_code_count", c_size_t), ("text", c_void_p), ("text_len", c_size_t),
                ("internal_", c_void_p)]


EVENT_VERSION = 1


class OptionInfo(Structure):
    """ouzel_option_info (version 1)."""
    _fields_ = [("version", c_uint32), ("id", c_int32), ("name", c_char_p), ("type", c_int32),
                ("flags", c_uint32), ("min", c_int64), ("max", c_int64),
                ("default_int", c_int64), ("default_string", c_void_p),
                ("default_string_len", c_size_t), ("read_instead", c_int32)]


OPTION_INFO_VERSION = 1


class Subscription(Structure):
    """ouzel_subscription (version 1)."""
    _fields_ = [("version", c_uint32), ("filter", c_char_p), ("filter_len", c_size_t),
                ("qos", c_int32), ("no_local", c_int32), ("retain_as_published", c_int32),
                ("retain_handling", c_int32)]


SUBSCRIPTION_VERSION = 1


class MessageFields(Structure):
    """ouzel_message_fields (version 1)."""
    _fields_ = [("version", c_uint32), ("topic", c_void_p), ("topic_len", c_size_t),
                ("payload", c_void_p), ("payload_len", c_size_t), ("qos", c_int32),
                ("retain", c_int32), ("dup", c_int32), ("mid", c_int32),
                ("properties", c_void_p)]


MESSAGE_FIELDS_VERSION = 1


class PersistenceReport(Structure):
    """ouzel_persistence_report (version 1)."""
    _fields_ = [("version", c_uint32), ("enabled", c_int32), ("created", c_int32),
                ("truncated", c_int32), ("records", c_uint64), ("discarded_bytes", c_uint64),
                ("outgoing", c_uint64), ("incoming", c_uint64), ("summary", c_char_p)]


PERSISTENCE_REPORT_VERSION = 1

# ouzel/sys/transport.h
TRANSPORT_WANT_READ = 1
TRANSPORT_WANT_WRITE = 2
TRANSPORT_READABLE = 1
TRANSPORT_WRITABLE = 2
TRANSPORT_VTABLE_VERSION = 1
transport_conn_p = c_void_p
transport_open_fn = CFUNCTYPE(c_int, c_void_p, transport_conn_p, c_char_p, c_char_p, c_int32,
                              POINTER(c_void_p))
transport_connect_fn = CFUNCTYPE(c_int, c_void_p, POINTER(c_int32))
transport_read_fn = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, POINTER(c_size_t))
transport_write_fn = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, POINTER(c_size_t))
transport_fd_fn = CFUNCTYPE(c_int32, c_void_p)
transport_close_fn = CFUNCTYPE(None, c_void_p)
transport_destroy_fn = CFUNCTYPE(None, c_void_p)


class TransportVtable(Structure):
    """ouzel_transport_vtable (version 1)."""
    _fields_ = [("version", c_uint32), ("open", transport_open_fn),
                ("connect", transport_connect_fn), ("read", transport_read_fn),
                ("write", transport_write_fn), ("fd", transport_fd_fn),
                ("close", transport_close_fn), ("destroy", transport_destroy_fn)]


# ouzel/sys/store.h
STORE_VTABLE_VERSION = 1
store_loader_p = c_void_p
store_put_fn = CFUNCTYPE(c_int, c_char_p, c_size_t, c_void_p, c_size_t, c_void_p)
store_remove_fn = CFUNCTYPE(c_int, c_char_p, c_size_t, c_void_p)
store_clear_fn = CFUNCTYPE(c_int, c_void_p)
store_load_fn = CFUNCTYPE(c_int, store_loader_p, c_void_p)
store_flush_fn = CFUNCTYPE(c_int, c_void_p)
store_destroy_fn = CFUNCTYPE(None, c_void_p)


class StoreVtable(Structure):
    """ouzel_store_vtable (version 1)."""
    _fields_ = [("version", c_uint32), ("put", store_put_fn), ("remove", store_remove_fn),
                ("clear", store_clear_fn), ("load", store_load_fn), ("flush", store_flush_fn),
                ("destroy", store_destroy_fn)]

# --- Callback types ------------------------------------------------------------------------------
release_fn = CFUNCTYPE(None, c_void_p)
on_connect_fn = CFUNCTYPE(None, client_p, c_int32, c_int32, properties_p, c_void_p)
on_connect_fail_fn = CFUNCTYPE(None, client_p, c_int32, c_int32, c_void_p)
on_disconnect_fn = CFUNCTYPE(None, client_p, c_int32, c_int32, c_int32, properties_p, c_void_p)
on_message_fn = CFUNCTYPE(None, client_p, message_p, c_void_p)
on_publish_fn = CFUNCTYPE(None, client_p, c_uint64, POINTER(DeliveryStatus), properties_p,
                          c_void_p)
on_subscribe_fn = CFUNCTYPE(None, client_p, c_int32, POINTER(c_uint8), c_size_t, properties_p,
                            c_void_p)
on_unsubscribe_fn = on_subscribe_fn
on_auth_fn = CFUNCTYPE(None, client_p, c_int32, properties_p, c_void_p)
on_log_fn = CFUNCTYPE(None, client_p, c_int32, c_char_p, c_void_p)
on_socket_fn = CFUNCTYPE(None, client_p, c_int32, c_void_p)
on_pre_connect_fn = CFUNCTYPE(None, client_p, c_void_p)
# ouzel/tls.h
tls_verify_fn = CFUNCTYPE(c_int32, c_int32, c_char_p, c_char_p, POINTER(c_void_p),
                          POINTER(c_size_t), c_size_t, c_void_p)

# name: (restype, argtypes), in header order. ``None`` restype is void.
_SIGNATURES = {
    # errors.h, version.h
    "strerror": (c_char_p, [c_int]),
    "last_error_message": (c_char_p, []),
    "version": (c_int32, []),
    "version_string": (c_char_p, []),
    # properties.h
    "properties_new": (c_int, [POINTER(properties_p)]),
    "properties_free": (None, [properties_p]),
    "properties_clone": (c_int, [POINTER(properties_p), properties_p]),
    "properties_set_int": (c_int, [properties_p, c_int32, c_uint32]),
    "properties_set_string": (c_int, [properties_p, c_int32, c_char_p, c_size_t]),
    "properties_set_binary": (c_int, [properties_p, c_int32, c_char_p, c_size_t]),
    "properties_add_user": (c_int, [properties_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "properties_remove": (c_int, [properties_p, c_int32]),
    "properties_count": (c_size_t, [properties_p]),
    "properties_id_at": (c_int32, [properties_p, c_size_t]),
    "properties_int_at": (c_int, [properties_p, c_size_t, POINTER(c_uint32)]),
    "properties_bytes_at": (c_int, [properties_p, c_size_t, POINTER(c_void_p),
                                    POINTER(c_size_t)]),
    "properties_user_at": (c_int, [properties_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t),
                                   POINTER(c_void_p), POINTER(c_size_t)]),
    "properties_get_int": (c_int, [properties_p, c_int32, POINTER(c_uint32)]),
    "properties_get_bytes": (c_int, [properties_p, c_int32, POINTER(c_void_p),
                                     POINTER(c_size_t)]),
    # message.h
    "message_topic": (c_void_p, [message_p, POINTER(c_size_t)]),
    "message_payload": (c_void_p, [message_p, POINTER(c_size_t)]),
    "message_qos": (c_int32, [message_p]),
    "message_retain": (c_int32, [message_p]),
    "message_dup": (c_int32, [message_p]),
    "message_mid": (c_int32, [message_p]),
    "message_properties": (properties_p, [message_p]),
    "message_clone": (c_int, [POINTER(message_p), message_p]),
    "message_free": (None, [message_p]),
    "message_fields_init": (c_int, [POINTER(MessageFields), c_uint32]),
    "message_get_fields": (c_int, [message_p, POINTER(MessageFields)]),
    # options.h
    "options_new": (c_int, [POINTER(options_p)]),
    "options_free": (None, [options_p]),
    "options_set_int": (c_int, [options_p, c_int32, c_int64]),
    "options_set_string": (c_int, [options_p, c_int32, c_char_p, c_size_t]),
    "options_set_connect_properties": (c_int, [options_p, properties_p]),
    "options_set_will": (c_int, [options_p, c_char_p, c_size_t, c_char_p, c_size_t, c_int32,
                                 c_int32, properties_p]),
    "options_clear_will": (None, [options_p]),
    "options_get_int": (c_int, [options_p, c_int32, POINTER(c_int64)]),
    "options_get_string": (c_int, [options_p, c_int32, POINTER(c_void_p), POINTER(c_size_t)]),
    "option_info_init": (c_int, [POINTER(OptionInfo), c_uint32]),
    "option_get_info": (c_int, [c_int32, POINTER(OptionInfo)]),
    "option_ids": (c_int, [POINTER(POINTER(c_int32)), POINTER(c_size_t)]),
    # client.h
    "client_new": (c_int, [POINTER(client_p), options_p]),
    "client_free": (None, [client_p]),
    "client_set_options": (c_int, [client_p, options_p, c_uint32]),
    "client_connect": (c_int, [client_p]),
    "client_connect_blocking": (c_int, [client_p]),
    "client_reconnect": (c_int, [client_p]),
    "client_disconnect": (c_int, [client_p, c_int32, properties_p]),
    "client_is_connected": (c_int32, [client_p]),
    "delivery_status_init": (c_int, [POINTER(DeliveryStatus), c_uint32]),
    "client_publish": (c_int, [client_p, c_char_p, c_size_t, c_char_p, c_size_t, c_int32,
                               c_int32, properties_p, POINTER(c_uint64), POINTER(c_int32)]),
    "client_delivery_status": (c_int, [client_p, c_uint64, POINTER(DeliveryStatus)]),
    "client_wait_for_publish": (c_int, [client_p, c_uint64, c_int32]),
    "subscription_init": (c_int, [POINTER(Subscription), c_uint32]),
    "client_subscribe": (c_int, [client_p, POINTER(Subscription), c_size_t, properties_p,
                                 POINTER(c_int32)]),
    "client_unsubscribe": (c_int, [client_p, POINTER(c_char_p), POINTER(c_size_t), c_size_t,
                                   properties_p, POINTER(c_int32)]),
    "client_ack": (c_int, [client_p, c_int32]),
    "client_withhold_ack": (c_int, [client_p]),
    "client_state": (c_int32, [client_p]),
    "client_auth_continue": (c_int, [client_p, properties_p]),
    "client_reauthenticate": (c_int, [client_p, properties_p]),
    "client_set_on_connect": (c_int, [client_p, on_connect_fn, c_void_p, release_fn]),
    "client_set_on_connect_fail": (c_int, [client_p, on_connect_fail_fn, c_void_p, release_fn]),
    "client_set_on_disconnect": (c_int, [client_p, on_disconnect_fn, c_void_p, release_fn]),
    "client_set_on_message": (c_int, [client_p, on_message_fn, c_void_p, release_fn]),
    "client_set_on_publish": (c_int, [client_p, on_publish_fn, c_void_p, release_fn]),
    "client_set_on_subscribe": (c_int, [client_p, on_subscribe_fn, c_void_p, release_fn]),
    "client_set_on_unsubscribe": (c_int, [client_p, on_unsubscribe_fn, c_void_p, release_fn]),
    "client_set_on_auth": (c_int, [client_p, on_auth_fn, c_void_p, release_fn]),
    "client_set_on_log": (c_int, [client_p, on_log_fn, c_int32, c_void_p, release_fn]),
    "client_set_on_socket_open": (c_int, [client_p, on_socket_fn, c_void_p, release_fn]),
    "client_set_on_socket_close": (c_int, [client_p, on_socket_fn, c_void_p, release_fn]),
    "client_set_on_socket_register_write": (c_int, [client_p, on_socket_fn, c_void_p,
                                                    release_fn]),
    "client_set_on_socket_unregister_write": (c_int, [client_p, on_socket_fn, c_void_p,
                                                      release_fn]),
    "client_set_on_pre_connect": (c_int, [client_p, on_pre_connect_fn, c_void_p, release_fn]),
    "client_stat": (c_int, [client_p, c_int32, POINTER(c_int64)]),
    # loop.h
    "client_loop_start": (c_int, [client_p]),
    "client_loop_stop": (c_int, [client_p]),
    "client_loop": (c_int, [client_p, c_int32]),
    "client_loop_forever": (c_int, [client_p, c_int32]),
    "client_socket": (c_int32, [client_p]),
    "client_wake_fd": (c_int32, [client_p]),
    "client_want_write": (c_int32, [client_p]),
    "client_loop_read": (c_int, [client_p]),
    "client_loop_write": (c_int, [client_p]),
    "client_loop_misc": (c_int, [client_p]),
    "client_next_timeout_ms": (c_int32, [client_p]),
    "client_want_read": (c_int32, [client_p]),
    # events.h
    "event_init": (c_int, [POINTER(Event), c_uint32]),
    "client_poll_events": (c_int, [client_p, POINTER(Event), c_size_t, c_int32]),
    "client_release_events": (c_int, [client_p, POINTER(Event), c_size_t]),
    "client_event_fd": (c_int32, [client_p]),
    "client_interrupt_poll": (c_int, [client_p]),
    # persistence.h, sys/store.h
    "persistence_report_init": (c_int, [POINTER(PersistenceReport), c_uint32]),
    "client_persistence_report": (c_int, [client_p, POINTER(PersistenceReport)]),
    "options_set_store": (c_int, [options_p, POINTER(StoreVtable), c_void_p]),
    "store_loader_add": (c_int, [store_loader_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    # tls.h
    "options_set_tls_verify_callback": (c_int, [options_p, tls_verify_fn, c_void_p,
                                                release_fn]),
    # sys/transport.h
    "options_set_transport": (c_int, [options_p, POINTER(TransportVtable), c_void_p]),
    "transport_notify": (c_int, [transport_conn_p, c_int32]),
    "transport_set_error": (c_int, [transport_conn_p, c_char_p, c_size_t]),
    # topic.h
    "topic_validate_name": (c_int, [c_char_p, c_size_t]),
    "topic_validate_filter": (c_int, [c_char_p, c_size_t]),
    "topic_matches": (c_int, [c_char_p, c_size_t, c_char_p, c_size_t]),
    "topic_router_new": (c_int, [POINTER(topic_router_p)]),
    "topic_router_free": (None, [topic_router_p]),
    "topic_router_add": (c_int, [topic_router_p, c_char_p, c_size_t, c_uint64]),
    "topic_router_remove": (c_int, [topic_router_p, c_char_p, c_size_t, c_uint64]),
    "topic_router_match": (c_int, [topic_router_p, c_char_p, c_size_t, POINTER(c_uint64),
                                   c_size_t, POINTER(c_size_t)]),
    "topic_router_count": (c_size_t, [topic_router_p]),
    # protocol.h
    "reason_code_name": (c_char_p, [c_int32, c_int32, c_int32]),
    "reason_code_is_error": (c_int, [c_int32, c_int32, c_int32]),
    "reason_codes": (c_int, [c_int32, c_int32, POINTER(POINTER(c_uint8)), POINTER(c_size_t)]),
    "property_name": (c_char_p, [c_int32]),
    "property_type": (c_int, [c_int32]),
    "property_allowed": (c_int, [c_int32, c_int32]),
}


class LibraryNotFound(ImportError):
    """No usable libouzel was found (see the module docstring for where it is looked for)."""


def _candidates():
    env = os.environ.get("OUZEL_LIBRARY")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("libouzel.so.0", "libouzel.so"):
        yield os.path.join(here, "_lib", name)
    # A source checkout: bindings/python/ouzel -> repository root.
    root = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    yield os.path.join(root, "bazel-bin", "capi", "libouzel.so")


class Library:
    """The loaded libouzel with every ``ouzel_*`` function as an attribute (prefix removed)."""

    def __init__(self, path):
        self.path = path
        self._dll = ctypes.CDLL(path)
        # Separate handles so that raw() functions do not share argtypes with the checked ones.
        self._rawdll = ctypes.CDLL(path)
        self._pydll = ctypes.PyDLL(path)
        for name, (restype, argtypes) in _SIGNATURES.items():
            fn = getattr(self._dll, "ouzel_" + name)
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name, fn)
        version = self.version()
        major, minor = version // 10000, (version // 100) % 100
        if major != VERSION_MAJOR or minor < VERSION_MINOR:
            raise LibraryNotFound(
                f"{path} is libouzel {self.version_string().decode()}, this binding needs "
                f"{VERSION_MAJOR}.{VERSION_MINOR} or a later {VERSION_MAJOR}.x")

    def raw(self, name, keep_gil=False):
        """``ouzel_<name>`` without ctypes' per-argument conversion, for the hot paths: the
        caller passes exactly typed values (c_void_p handles, bytes, c_size_t objects, ints for
        int32_t, byref() pointers). About twice as fast as the checked function. With keep_gil
        the GIL stays held during the call (saves releasing and taking it again): only for
        calls that return at once and never wait (no I/O, no waiting on another thread)."""
        dll = self._pydll if keep_gil else self._rawdll
        fn = getattr(dll, "ouzel_" + name)
        fn.restype = _SIGNATURES[name][0]
        return fn

    def error_message(self, rc):
        """``strerror(rc)`` plus the thread-local detail of the last failing call."""
        detail = self.last_error_message().decode("utf-8", "replace")
        text = self.strerror(rc).decode()
        return f"{text}: {detail}" if detail else text


def load():
    """Loads the first library found (see the module docstring). Raises LibraryNotFound."""
    tried = []
    for path in _candidates():
        if not os.path.exists(path):
            tried.append(path + " (absent)")
            continue
        try:
            return Library(path)
        except OSError as e:
            tried.append(f"{path} ({e})")
        except AttributeError as e:
            tried.append(f"{path} (too old: {e})")
    raise LibraryNotFound(
        "libouzel not found; build it (bazel build //capi:libouzel.so) or set OUZEL_LIBRARY. "
        "Tried: " + "; ".join(tried))


_lib = None


def lib():
    """The process-wide Library, loaded on first use."""
    global _lib
    if _lib is None:
        _lib = load()
    return _lib


def string_at(address, size):
    """Bytes at a borrowed (pointer, length) pair; b"" for a NULL pointer."""
    if not address or not size:
        return b""
    return ctypes.string_at(address, size)
