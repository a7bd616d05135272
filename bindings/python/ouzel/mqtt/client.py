"""The paho-mqtt 2.1 ``Client`` on Ouzel's engine: ``import ouzel.mqtt.client as mqtt`` where a
program had ``import paho.mqtt.client as mqtt``.

Everything paho-mqtt 2.1 documents behaves the same here (arguments, return codes, exceptions,
callback arguments for CallbackAPIVersion.VERSION1 and VERSION2, the bytes on the wire), except
for the deliberate differences listed in docs/python-compatibility.md: mostly places where paho
loses or duplicates messages (its "Known limitations") and where it sends packets the MQTT
specification forbids.

How it maps onto the engine (capi/, cc/client):

- One ``ouzel_client`` per Client, for the Client's whole life, so the session (inflight QoS 1/2
  messages, QoS 2 packet ids awaiting PUBREL) survives reconnections and ``connect()`` calls.
  Settings made between connections (``username_pw_set``, ``will_set``, ``connect(host, ...)``)
  reach it through ``ouzel_client_set_options``.
- ``loop_forever`` runs ``ouzel_client_loop`` one iteration at a time (automatic reconnection on
  while it runs, as paho reconnects only there); ``loop_start`` runs ``loop_forever`` on a Python
  thread named like paho's; ``loop`` is ``ouzel_client_loop`` with reconnection off; the
  external-loop calls map one to one.
- Events come from the engine's event queue (``OUZEL_OPT_EVENT_QUEUE``): after each engine call
  the thread that made it takes what was queued, in batches, and runs the callbacks
  (``_events.EventPump``). Only the socket and pre-connect hooks are C callbacks.
- The engine acknowledges incoming QoS 1/2 messages only when told (``OUZEL_OPT_MANUAL_ACK``): this
  module marks them for acknowledgement when the message callbacks returned, as paho does, unless
  the application asked for manual acknowledgement itself; the acks leave with the batch's release.
- Callbacks run on the thread driving the engine. An exception raised by one is logged and, unless
  ``suppress_exceptions`` is set, raised again out of the loop call (or publish/disconnect) that
  ran it; it never crosses into C.
"""

import atexit
from struct import pack as struct_pack
import ctypes
import errno
import logging
import os
import socket as _socket
import string
import threading
import time
import uuid
import warnings
import weakref
from typing import Any, Callable, Dict, List, NamedTuple, Tuple, Union

from .. import _capi as C
from . import _engine, _events, _interrupt
from .enums import (CallbackAPIVersion, ConnackCode, LogLevel, MessageState, MessageType,
                    MQTTErrorCode, MQTTProtocolVersion, PahoClientMode, _ConnectionState)
from ._topics import TopicCallbacks, topic_matches_sub  # noqa: F401 - paho exports it here
from .packettypes import PacketTypes
from .properties import Properties
from .reasoncodes import ReasonCode, ReasonCodes
from .subscribeoptions import SubscribeOptions

try:
    import ssl
except ImportError:  # pragma: no cover - CPython always has it here
    ssl = None

try:
    import socks  # PySocks: only consulted for its proxy type constants
except ImportError:
    socks = None

try:
    import dns.resolver
    HAVE_DNS = True
except ImportError:
    HAVE_DNS = False

time_func = time.monotonic
EAGAIN = errno.EAGAIN
sockpair_data = b"0"
_ = ReasonCodes

# --- Module constants, as paho.mqtt.client exports them -----------------------------------------
MQTTv31 = MQTTProtocolVersion.MQTTv31
MQTTv311 = MQTTProtocolVersion.MQTTv311
MQTTv5 = MQTTProtocolVersion.MQTTv5

CONNECT = MessageType.CONNECT
CONNACK = MessageType.CONNACK
PUBLISH = MessageType.PUBLISH
PUBACK = MessageType.PUBACK
PUBREC = MessageType.PUBREC
PUBREL = MessageType.PUBREL
PUBCOMP = MessageType.PUBCOMP
SUBSCRIBE = MessageType.SUBSCRIBE
SUBACK = MessageType.SUBACK
UNSUBSCRIBE = MessageType.UNSUBSCRIBE
UNSUBACK = MessageType.UNSUBACK
PINGREQ = MessageType.PINGREQ
PINGRESP = MessageType.PINGRESP
DISCONNECT = MessageType.DISCONNECT
AUTH = MessageType.AUTH

MQTT_LOG_INFO = LogLevel.MQTT_LOG_INFO
MQTT_LOG_NOTICE = LogLevel.MQTT_LOG_NOTICE
MQTT_LOG_WARNING = LogLevel.MQTT_LOG_WARNING
MQTT_LOG_ERR = LogLevel.MQTT_LOG_ERR
MQTT_LOG_DEBUG = LogLevel.MQTT_LOG_DEBUG
LOGGING_LEVEL = {
    LogLevel.MQTT_LOG_DEBUG: logging.DEBUG,
    LogLevel.MQTT_LOG_INFO: logging.INFO,
    LogLevel.MQTT_LOG_NOTICE: logging.INFO,
    LogLevel.MQTT_LOG_WARNING: logging.WARNING,
    LogLevel.MQTT_LOG_ERR: logging.ERROR,
}

CONNACK_ACCEPTED = ConnackCode.CONNACK_ACCEPTED
CONNACK_REFUSED_PROTOCOL_VERSION = ConnackCode.CONNACK_REFUSED_PROTOCOL_VERSION
CONNACK_REFUSED_IDENTIFIER_REJECTED = ConnackCode.CONNACK_REFUSED_IDENTIFIER_REJECTED
CONNACK_REFUSED_SERVER_UNAVAILABLE = ConnackCode.CONNACK_REFUSED_SERVER_UNAVAILABLE
CONNACK_REFUSED_BAD_USERNAME_PASSWORD = ConnackCode.CONNACK_REFUSED_BAD_USERNAME_PASSWORD
CONNACK_REFUSED_NOT_AUTHORIZED = ConnackCode.CONNACK_REFUSED_NOT_AUTHORIZED

mqtt_ms_invalid = MessageState.MQTT_MS_INVALID
mqtt_ms_publish = MessageState.MQTT_MS_PUBLISH
mqtt_ms_wait_for_puback = MessageState.MQTT_MS_WAIT_FOR_PUBACK
mqtt_ms_wait_for_pubrec = MessageState.MQTT_MS_WAIT_FOR_PUBREC
mqtt_ms_resend_pubrel = MessageState.MQTT_MS_RESEND_PUBREL
mqtt_ms_wait_for_pubrel = MessageState.MQTT_MS_WAIT_FOR_PUBREL
mqtt_ms_resend_pubcomp = MessageState.MQTT_MS_RESEND_PUBCOMP
mqtt_ms_wait_for_pubcomp = MessageState.MQTT_MS_WAIT_FOR_PUBCOMP
mqtt_ms_send_pubrec = MessageState.MQTT_MS_SEND_PUBREC
mqtt_ms_queued = MessageState.MQTT_MS_QUEUED

MQTT_CLIENT = PahoClientMode.MQTT_CLIENT
MQTT_BRIDGE = PahoClientMode.MQTT_BRIDGE

MQTT_ERR_AGAIN = MQTTErrorCode.MQTT_ERR_AGAIN
MQTT_ERR_SUCCESS = MQTTErrorCode.MQTT_ERR_SUCCESS
MQTT_ERR_NOMEM = MQTTErrorCode.MQTT_ERR_NOMEM
MQTT_ERR_PROTOCOL = MQTTErrorCode.MQTT_ERR_PROTOCOL
MQTT_ERR_INVAL = MQTTErrorCode.MQTT_ERR_INVAL
MQTT_ERR_NO_CONN = MQTTErrorCode.MQTT_ERR_NO_CONN
MQTT_ERR_CONN_REFUSED = MQTTErrorCode.MQTT_ERR_CONN_REFUSED
MQTT_ERR_NOT_FOUND = MQTTErrorCode.MQTT_ERR_NOT_FOUND
MQTT_ERR_CONN_LOST = MQTTErrorCode.MQTT_ERR_CONN_LOST
MQTT_ERR_TLS = MQTTErrorCode.MQTT_ERR_TLS
MQTT_ERR_PAYLOAD_SIZE = MQTTErrorCode.MQTT_ERR_PAYLOAD_SIZE
MQTT_ERR_NOT_SUPPORTED = MQTTErrorCode.MQTT_ERR_NOT_SUPPORTED
MQTT_ERR_AUTH = MQTTErrorCode.MQTT_ERR_AUTH
MQTT_ERR_ACL_DENIED = MQTTErrorCode.MQTT_ERR_ACL_DENIED
MQTT_ERR_UNKNOWN = MQTTErrorCode.MQTT_ERR_UNKNOWN
MQTT_ERR_ERRNO = MQTTErrorCode.MQTT_ERR_ERRNO
MQTT_ERR_QUEUE_SIZE = MQTTErrorCode.MQTT_ERR_QUEUE_SIZE
MQTT_ERR_KEEPALIVE = MQTTErrorCode.MQTT_ERR_KEEPALIVE

MQTT_CLEAN_START_FIRST_ONLY = 3

# Typing aliases paho exports (for annotations in user code).
PayloadType = Union[str, bytes, bytearray, int, float, None]
HTTPHeader = Dict[str, str]
WebSocketHeaders = Union[Callable[[HTTPHeader], HTTPHeader], HTTPHeader]
CleanStartOption = Union[bool, int]


class ConnectFlags(NamedTuple):
    """Given to VERSION2 on_connect."""
    session_present: bool


class DisconnectFlags(NamedTuple):
    """Given to VERSION2 on_disconnect."""
    is_disconnect_packet_from_server: bool


CallbackOnConnect_v1_mqtt3 = Callable[["Client", Any, Dict[str, Any], MQTTErrorCode], None]
CallbackOnConnect_v1_mqtt5 = Callable[["Client", Any, Dict[str, Any], ReasonCode,
                                       Union[Properties, None]], None]
CallbackOnConnect_v1 = Union[CallbackOnConnect_v1_mqtt5, CallbackOnConnect_v1_mqtt3]
CallbackOnConnect_v2 = Callable[["Client", Any, ConnectFlags, ReasonCode,
                                 Union[Properties, None]], None]
CallbackOnConnect = Union[CallbackOnConnect_v1, CallbackOnConnect_v2]
CallbackOnConnectFail = Callable[["Client", Any], None]
CallbackOnDisconnect_v1_mqtt3 = Callable[["Client", Any, MQTTErrorCode], None]
CallbackOnDisconnect_v1_mqtt5 = Callable[["Client", Any, Union[ReasonCode, int, None],
                                          Union[Properties, None]], None]
CallbackOnDisconnect_v1 = Union[CallbackOnDisconnect_v1_mqtt3, CallbackOnDisconnect_v1_mqtt5]
CallbackOnDisconnect_v2 = Callable[["Client", Any, DisconnectFlags, ReasonCode,
                                    Union[Properties, None]], None]
CallbackOnDisconnect = Union[CallbackOnDisconnect_v1, CallbackOnDisconnect_v2]
CallbackOnLog = Callable[["Client", Any, int, str], None]
CallbackOnMessage = Callable[["Client", Any, "MQTTMessage"], None]
CallbackOnPreConnect = Callable[["Client", Any], None]
CallbackOnPublish_v1 = Callable[["Client", Any, int], None]
CallbackOnPublish_v2 = Callable[["Client", Any, int, ReasonCode, Properties], None]
CallbackOnPublish = Union[CallbackOnPublish_v1, CallbackOnPublish_v2]
CallbackOnSocket = Callable[["Client", Any, Any], None]
CallbackOnSubscribe_v1_mqtt3 = Callable[["Client", Any, int, Tuple[int, ...]], None]
CallbackOnSubscribe_v1_mqtt5 = Callable[["Client", Any, int, List[ReasonCode], Properties], None]
CallbackOnSubscribe_v1 = Union[CallbackOnSubscribe_v1_mqtt3, CallbackOnSubscribe_v1_mqtt5]
CallbackOnSubscribe_v2 = Callable[["Client", Any, int, List[ReasonCode],
                                   Union[Properties, None]], None]
CallbackOnSubscribe = Union[CallbackOnSubscribe_v1, CallbackOnSubscribe_v2]
CallbackOnUnsubscribe_v1_mqtt3 = Callable[["Client", Any, int], None]
CallbackOnUnsubscribe_v1_mqtt5 = Callable[["Client", Any, int, Properties,
                                           Union[ReasonCode, List[ReasonCode]]], None]
CallbackOnUnsubscribe_v1 = Union[CallbackOnUnsubscribe_v1_mqtt3, CallbackOnUnsubscribe_v1_mqtt5]
CallbackOnUnsubscribe_v2 = Callable[["Client", Any, int, List[ReasonCode],
                                     Union[Properties, None]], None]
CallbackOnUnsubscribe = Union[CallbackOnUnsubscribe_v1, CallbackOnUnsubscribe_v2]


class WebsocketConnectionError(ConnectionError):
    """The WebSocket upgrade failed."""


class _WebsocketWrapper:
    """A WebSocket client stream over a connected socket-like object (paho's private class, kept
    for code and tests that use it directly; the Client itself lets the engine do WebSockets).

    The HTTP upgrade happens in the constructor (WebsocketConnectionError when refused); then
    send()/recv() carry bytes in masked binary frames; pings are answered, a close frame reads
    as end of stream."""

    OPCODE_CONTINUATION = 0x0
    OPCODE_TEXT = 0x1
    OPCODE_BINARY = 0x2
    OPCODE_CONNCLOSE = 0x8
    OPCODE_PING = 0x9
    OPCODE_PONG = 0xA

    _GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, socket, host, port, is_ssl, path, extra_headers):
        self.connected = False
        self._ssl = is_ssl
        self._host = host
        self._port = port
        self._socket = socket
        self._path = path
        self._sendbuffer = bytearray()
        self._readbuffer = bytearray()  # raw bytes received, not yet parsed into frames
        self._payload = bytearray()  # unmasked payload bytes ready for recv()
        self._closed = False
        self._do_handshake(extra_headers)

    def __del__(self):
        self._sendbuffer = bytearray()
        self._readbuffer = bytearray()

    def _do_handshake(self, extra_headers):
        import base64
        import hashlib
        key = base64.b64encode(os.urandom(16))
        scheme = "https" if self._ssl else "http"
        default = 443 if self._ssl else 80
        host = self._host if self._port == default else f"{self._host}:{self._port}"
        headers = {"Host": host, "Upgrade": "websocket", "Connection": "Upgrade",
                   "Origin": f"{scheme}://{host}", "Sec-WebSocket-Key": key.decode("ascii"),
                   "Sec-Websocket-Version": "13", "Sec-Websocket-Protocol": "mqtt"}
        if isinstance(extra_headers, dict):
            headers.update(extra_headers)
        elif callable(extra_headers):
            headers = extra_headers(headers)
        request = f"GET {self._path} HTTP/1.1\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
        self._socket.send(request.encode("utf-8"))
        response = bytearray()
        while b"\r\n\r\n" not in response:
            chunk = self._socket.recv(1024)
            if not chunk:
                raise WebsocketConnectionError("WebSocket handshake error")
            response.extend(chunk)
        head, _, rest = bytes(response).partition(b"\r\n\r\n")
        self._readbuffer.extend(rest)
        upgraded = accepted = False
        expected = base64.b64encode(hashlib.sha1(key + self._GUID).digest())
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip()
            if name == b"connection" and b"upgrade" in value.lower():
                upgraded = True
            elif name == b"sec-websocket-accept":
                if value != expected:
                    raise WebsocketConnectionError(
                        "WebSocket handshake error, invalid secret key")
                accepted = True
        if not upgraded:
            raise WebsocketConnectionError("WebSocket handshake error, connection not upgraded")
        if not accepted:
            raise WebsocketConnectionError("WebSocket handshake error")
        self.connected = True

    def _create_frame(self, opcode, data, do_masking=1):
        header = bytearray([0x80 | opcode])
        length = len(data)
        mask_bit = 0x80 if do_masking else 0
        if length < 126:
            header.append(mask_bit | length)
        elif length < 65536:
            header.append(mask_bit | 126)
            header += struct_pack("!H", length)
        else:
            header.append(mask_bit | 127)
            header += struct_pack("!Q", length)
        if not do_masking:
            return header + data
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        return header + mask + masked

    def _parse_frames(self):
        """Moves complete frames from _readbuffer to _payload; answers pings."""
        buf = self._readbuffer
        while len(buf) >= 2:
            opcode = buf[0] & 0x0F
            masked = buf[1] & 0x80
            length = buf[1] & 0x7F
            pos = 2
            if length == 126:
                if len(buf) < 4:
                    return
                length = int.from_bytes(buf[2:4], "big")
                pos = 4
            elif length == 127:
                if len(buf) < 10:
                    return
                length = int.from_bytes(buf[2:10], "big")
                pos = 10
            mask = b""
            if masked:
                if len(buf) < pos + 4:
                    return
                mask = bytes(buf[pos:pos + 4])
                pos += 4
            if len(buf) < pos + length:
                return
            data = bytes(buf[pos:pos + length])
            del buf[:pos + length]
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            if opcode == self.OPCODE_CONNCLOSE:
                self._closed = True
                self._socket.send(self._create_frame(self.OPCODE_CONNCLOSE, data[:2]))
                return
            if opcode == self.OPCODE_PING:
                self._socket.send(self._create_frame(self.OPCODE_PONG, data))
                continue
            if opcode in (self.OPCODE_BINARY, self.OPCODE_CONTINUATION, self.OPCODE_TEXT):
                self._payload.extend(data)

    def _recv_impl(self, length):
        while not self._payload and not self._closed:
            chunk = self._socket.recv(max(length, 2048))
            if not chunk:
                self._closed = True
                break
            self._readbuffer.extend(chunk)
            self._parse_frames()
        out = bytes(self._payload[:length])
        del self._payload[:length]
        return out

    def _send_impl(self, data):
        if self._sendbuffer:
            sent = self._socket.send(self._sendbuffer)
            del self._sendbuffer[:sent]
            if self._sendbuffer:
                raise BlockingIOError(errno.EAGAIN, "pending WebSocket frame")
        frame = self._create_frame(self.OPCODE_BINARY, bytearray(data))
        sent = self._socket.send(frame)
        if sent < len(frame):
            self._sendbuffer.extend(frame[sent:])
        return len(data)

    def recv(self, length):
        return self._recv_impl(length)

    def read(self, length):
        return self._recv_impl(length)

    def send(self, data):
        return self._send_impl(data)

    def write(self, data):
        return self._send_impl(data)

    def close(self):
        self._socket.close()

    def fileno(self):
        return self._socket.fileno()

    def pending(self):
        if self._payload:
            return len(self._payload)
        pending = getattr(self._socket, "pending", None)
        return pending() if pending is not None else 0

    def setblocking(self, flag):
        self._socket.setblocking(flag)


_ERROR_STRINGS = {
    MQTT_ERR_SUCCESS: "No error.",
    MQTT_ERR_NOMEM: "Out of memory.",
    MQTT_ERR_PROTOCOL: "A network protocol error occurred when communicating with the broker.",
    MQTT_ERR_INVAL: "Invalid function arguments provided.",
    MQTT_ERR_NO_CONN: "The client is not currently connected.",
    MQTT_ERR_CONN_REFUSED: "The connection was refused.",
    MQTT_ERR_NOT_FOUND: "Message not found (internal error).",
    MQTT_ERR_CONN_LOST: "The connection was lost.",
    MQTT_ERR_TLS: "A TLS error occurred.",
    MQTT_ERR_PAYLOAD_SIZE: "Payload too large.",
    MQTT_ERR_NOT_SUPPORTED: "This feature is not supported.",
    MQTT_ERR_AUTH: "Authorisation failed.",
    MQTT_ERR_ACL_DENIED: "Access denied by ACL.",
    MQTT_ERR_UNKNOWN: "Unknown error.",
    MQTT_ERR_ERRNO: "Error defined by errno.",
    MQTT_ERR_QUEUE_SIZE: "Message queue full.",
    MQTT_ERR_KEEPALIVE: "Client or broker did not communicate in the keepalive interval.",
}


def error_string(mqtt_errno):
    """The text for a return code ("Unknown error." for anything unknown)."""
    try:
        return _ERROR_STRINGS.get(int(mqtt_errno), "Unknown error.")
    except (TypeError, ValueError):
        return "Unknown error."


_CONNACK_STRINGS = {
    0: "Connection Accepted.",
    1: "Connection Refused: unacceptable protocol version.",
    2: "Connection Refused: identifier rejected.",
    3: "Connection Refused: broker unavailable.",
    4: "Connection Refused: bad user name or password.",
    5: "Connection Refused: not authorised.",
}


def connack_string(connack_code):
    """The text for a CONNACK result (MQTT 3) or the name of a ReasonCode (MQTT 5)."""
    if isinstance(connack_code, ReasonCode):
        return str(connack_code)
    return _CONNACK_STRINGS.get(connack_code, "Connection Refused: unknown reason.")


_CONNACK_NAMES = {
    0: "Success", 1: "Unsupported protocol version", 2: "Client identifier not valid",
    3: "Server unavailable", 4: "Bad user name or password", 5: "Not authorized",
}


def convert_connack_rc_to_reason_code(connack_code):
    """An MQTT 3 CONNACK return code as the MQTT 5 ReasonCode with the same meaning."""
    return ReasonCode(PacketTypes.CONNACK, _CONNACK_NAMES.get(connack_code, "Unspecified error"))


def convert_disconnect_error_code_to_reason_code(rc):
    """A client-side disconnection cause (MQTTErrorCode) as a DISCONNECT ReasonCode."""
    if rc == MQTT_ERR_SUCCESS:
        return ReasonCode(PacketTypes.DISCONNECT, "Success")
    if rc == MQTT_ERR_KEEPALIVE:
        return ReasonCode(PacketTypes.DISCONNECT, "Keep alive timeout")
    return ReasonCode(PacketTypes.DISCONNECT, "Unspecified error")


_BASE62 = string.digits + string.ascii_letters


def _base62(num, base=_BASE62, padding=1):
    """`num` in base 62 (digits, then lower case, then upper case), left-padded with '0'."""
    if num < 0:
        raise ValueError("Number must be positive or zero")
    out = []
    while num:
        num, digit = divmod(num, 62)
        out.append(base[digit])
    out.extend(base[0] for _ in range(len(out), padding))
    return "".join(reversed(out))


def _socketpair_compat():
    """A connected pair of non-blocking TCP sockets on loopback."""
    listener = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM, _socket.IPPROTO_IP)
    listener.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    a = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM, _socket.IPPROTO_IP)
    a.setblocking(False)
    try:
        a.connect(listener.getsockname())
    except BlockingIOError:
        pass
    b, _addr = listener.accept()
    b.setblocking(False)
    listener.close()
    return a, b


def _force_bytes(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def _encode_payload(payload):
    if isinstance(payload, str):
        return payload.encode("utf-8")
    if isinstance(payload, (int, float)):
        return str(payload).encode("ascii")
    if payload is None:
        return b""
    if not isinstance(payload, (bytes, bytearray)):
        raise TypeError("payload must be a string, bytearray, int, float or None.")
    return payload


# --- Messages -----------------------------------------------------------------------------------

_COND_LOCK = threading.Lock()


class MQTTMessageInfo:
    """What ``publish()`` returns: the message id, a return code, and ways to wait for delivery.

    Also behaves as the tuple ``(rc, mid)``. Delivery is asked of the engine when needed (no
    per-message callback), so publishing stays cheap.
    """

    __slots__ = "mid", "_published", "_condition", "rc", "_iterpos", "_token", "_engine"

    def __init__(self, mid):
        # _condition and _iterpos are set when first needed (this runs once per publish()).
        self.mid = mid
        self._published = False
        self.rc = MQTTErrorCode.MQTT_ERR_SUCCESS
        self._engine = None

    def __str__(self):
        return str((self.rc, self.mid))

    def __iter__(self):
        self._iterpos = 0
        return self

    def __next__(self):
        return self.next()

    def next(self):
        pos = getattr(self, "_iterpos", 0)
        if pos == 0:
            self._iterpos = 1
            return self.rc
        if pos == 1:
            self._iterpos = 2
            return self.mid
        raise StopIteration

    def __getitem__(self, index):
        if index == 0:
            return self.rc
        if index == 1:
            return self.mid
        raise IndexError("index out of range")

    def _set_as_published(self):
        self._published = True
        cond = getattr(self, "_condition", None)
        if cond is not None:
            with cond:
                cond.notify_all()

    def _finish(self, state, drop_reason):
        if state == C.DELIVERY_DROPPED and drop_reason != C.DROP_REJECTED:
            self.rc = MQTTErrorCode.MQTT_ERR_CONN_LOST
        elif state == C.DELIVERY_EXPIRED:
            self.rc = MQTTErrorCode.MQTT_ERR_CONN_LOST
        self._engine = None
        self._set_as_published()

    def _refresh(self):
        """Asks the engine where the message is; True once it is final."""
        engine = self._engine
        if self._published:
            return True
        if engine is None:
            return False
        status = engine.status(self._token)
        if status is None:  # the client is gone, or the token was forgotten long ago
            self._finish(C.DELIVERY_ACKNOWLEDGED if engine.alive else C.DELIVERY_DROPPED,
                         C.DROP_CANCELLED)
            return True
        state, drop_reason = status
        if state in (C.DELIVERY_ACKNOWLEDGED, C.DELIVERY_EXPIRED, C.DELIVERY_DROPPED):
            self._finish(state, drop_reason)
            return True
        return False

    def _check_rc(self):
        if self.rc == MQTTErrorCode.MQTT_ERR_QUEUE_SIZE:
            raise ValueError("Message is not queued due to ERR_QUEUE_SIZE")
        if self.rc == MQTTErrorCode.MQTT_ERR_AGAIN:
            return
        if self.rc > 0:
            raise RuntimeError(f"Message publish failed: {error_string(self.rc)}")

    def wait_for_publish(self, timeout=None):
        """Blocks until the message is published (QoS 0: written; 1: PUBACK; 2: PUBCOMP) or
        `timeout` seconds pass; returns None either way (check is_published()). ValueError when
        it was refused for a full queue, RuntimeError when it failed."""
        self._check_rc()
        if not self._published and self._refresh():
            if self.rc > 0:
                raise RuntimeError(f"Message publish failed: {error_string(self.rc)}")
            return
        deadline = None if timeout is None else time_func() + timeout
        engine = self._engine
        while not self._published and engine is not None:
            remaining = None if deadline is None else deadline - time_func()
            if remaining is not None and remaining <= 0:
                break
            # Slices of at most a second keep Ctrl-C working while the GIL is released.
            slice_ms = 1000 if remaining is None else max(0, min(1000, int(remaining * 1000)))
            rc = engine.wait(self._token, slice_ms)
            if rc == C.EBUSY:
                break  # inside this client's own callback: waiting would wait for ourselves
            if rc != C.ETIMEDOUT or self._refresh():
                self._refresh()
                break
        if not self._published and engine is None:
            with _COND_LOCK:
                if getattr(self, "_condition", None) is None:
                    self._condition = threading.Condition()
            cond = self._condition
            with cond:
                while not self._published:
                    remaining = None if deadline is None else deadline - time_func()
                    if remaining is not None and remaining <= 0:
                        break
                    cond.wait(None if remaining is None else remaining)
        if self.rc > 0:
            raise RuntimeError(f"Message publish failed: {error_string(self.rc)}")

    _STATES = {C.DELIVERY_QUEUED: "queued", C.DELIVERY_INFLIGHT: "inflight",
               C.DELIVERY_ACKNOWLEDGED: "acknowledged", C.DELIVERY_EXPIRED: "expired",
               C.DELIVERY_DROPPED: "dropped"}
    _DROP_REASONS = {C.DROP_NONE: None, C.DROP_QUEUE_FULL: "queue-full",
                     C.DROP_SESSION_LOST: "session-lost", C.DROP_TOO_LARGE: "too-large",
                     C.DROP_REJECTED: "rejected", C.DROP_CONNECTION_LOST: "connection-lost",
                     C.DROP_CANCELLED: "cancelled"}

    def delivery_state(self):
        """Where the message is, as the engine sees it (beyond paho): ``(state, reason)`` with
        state "queued", "inflight", "acknowledged", "expired" or "dropped" and, for a dropped
        message, why ("session-lost", "connection-lost", "rejected", "too-large",
        "queue-full", "cancelled"). ``("unknown", None)`` for a message the engine never took
        or no longer remembers."""
        engine = self._engine
        status = engine.status(self._token) if engine is not None else None
        if status is None:
            if self._published:
                return ("dropped", "connection-lost") if self.rc > 0 else ("acknowledged",
                                                                           None)
            return "unknown", None
        state, reason = status
        return self._STATES.get(state, "unknown"), self._DROP_REASONS.get(reason)

    def is_published(self):
        """True once the message is published. ValueError / RuntimeError as wait_for_publish."""
        self._check_rc()
        if not self._published:
            self._refresh()
        return self._published


_new_message = object.__new__
_new_info = object.__new__


class MQTTMessage:
    """A received message, as given to on_message."""

    __slots__ = ("timestamp", "state", "dup", "mid", "_topic", "payload", "qos", "retain", "_info",
                 "properties")

    def __init__(self, mid=0, topic=b""):
        self.timestamp = 0.0
        self.state = mqtt_ms_invalid
        self.dup = False
        self.mid = mid
        self._topic = topic
        self.payload = b""
        self.qos = 0
        self.retain = False
        self._info = None
        self.properties = None

    @property
    def info(self):
        """An MQTTMessageInfo for this mid (made when first asked for)."""
        if self._info is None:
            self._info = MQTTMessageInfo(self.mid)
        return self._info

    @info.setter
    def info(self, value):
        self._info = value

    def __eq__(self, other):
        if isinstance(other, self.__class__):
            return self.mid == other.mid
        return False

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None

    @property
    def topic(self):
        return self._topic.decode("utf-8")

    @topic.setter
    def topic(self, value):
        self._topic = value


# --- The engine handle shared with MQTTMessageInfo ------------------------------------------------

class _Engine:
    """The ouzel_client of one Client, with what MQTTMessageInfo needs to ask about deliveries.
    Outlives the Client while infos refer to it; `alive` turns False when the client is freed."""

    __slots__ = ("lib", "handle", "alive", "dispatching", "_status", "_status_ref", "_token",
                 "_lock", "_raw_status", "__weakref__")

    def __init__(self, lib, handle):
        self.lib = lib
        self.handle = handle
        self.alive = True
        # The thread dispatching this client's events (running its callbacks), or None.
        self.dispatching = None
        # One status struct and token for every query, under _lock (cheaper than allocating).
        self._status = C.DeliveryStatus()
        self._status.version = C.DELIVERY_STATUS_VERSION
        self._status_ref = ctypes.byref(self._status)
        self._token = ctypes.c_uint64()
        self._lock = threading.Lock()
        self._raw_status = lib.raw("client_delivery_status", keep_gil=True)

    def status(self, token):
        """(state, drop_reason) of a published message, or None when unknown."""
        if not self.alive:
            return None
        with self._lock:
            self._token.value = token
            if self._raw_status(self.handle, self._token, self._status_ref) != 0:
                return None
            st = self._status
            return st.state, st.drop_reason

    def wait(self, token, timeout_ms):
        if not self.alive:
            return C.ECLOSED
        if self.dispatching == threading.get_ident():
            # Inside one of this client's callbacks: the loop that would complete the message
            # is the one running the callback.
            return C.EBUSY
        return self.lib.client_wait_for_publish(self.handle, token, timeout_ms)


def _free_client(engine, options, cfuncs):
    # weakref.finalize target: must not refer to the Client. `cfuncs` keeps the ctypes callback
    # objects alive until the engine can no longer call them.
    if engine.alive:
        engine.alive = False
        engine.lib.client_free(engine.handle)
    options.close()
    del cfuncs


_LIVE_CLIENTS = weakref.WeakSet()


@atexit.register
def _stop_loops_at_exit():
    # A loop_start thread is a daemon thread inside C; stop it while the interpreter still runs,
    # so no engine callback tries to enter a finalizing interpreter. Only then is the engine
    # freed: the finalizers are kept out of weakref's own exit hook, which runs before this one
    # (it is registered later) and would free an engine the thread is still inside.
    for client in list(_LIVE_CLIENTS):
        try:
            client._shutdown_at_exit()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


_PROTOCOL_NAMES = {MQTTv31: C.MQTT_V31, MQTTv311: C.MQTT_V311, MQTTv5: C.MQTT_V5}

# PySocks' proxy type numbers (socks.SOCKS4 = 1, SOCKS5 = 2, HTTP = 3) and names -> the engine's.
# PySocks itself is not needed: the engine speaks HTTP CONNECT and SOCKS5.
_PROXY_TYPES = {1: None, 2: C.PROXY_SOCKS5, 3: C.PROXY_HTTP, "socks4": None,
                "socks5": C.PROXY_SOCKS5, "http": C.PROXY_HTTP}


def _tls_versions(context, requested):
    """(minimum, maximum) for the engine from a PROTOCOL_* constant or the context's limits;
    0 means the engine's default (TLS 1.2 .. 1.3)."""
    names = {getattr(ssl, "PROTOCOL_TLSv1_2", object()): (C.TLS_V1_2, C.TLS_V1_2)}
    if requested in names:
        return names[requested]
    low = high = 0
    try:
        if context.minimum_version == ssl.TLSVersion.TLSv1_3:
            low = C.TLS_V1_3
        if context.maximum_version == ssl.TLSVersion.TLSv1_2:
            high = C.TLS_V1_2
    except (AttributeError, ValueError):
        pass
    return low, high


def _make_trampolines(client):
    """The C hooks of one Client (its events come through the queue, see _events). They hold it
    weakly (the Client owns them) and never let an exception reach C."""
    ref = weakref.ref(client)

    def guard(method_name):
        def call(*args):
            c = ref()
            if c is None:
                return
            try:
                getattr(c, method_name)(*args)
            except BaseException as e:  # noqa: BLE001 - nothing may unwind into C
                c._defer_exception(e)
        return call

    return {
        "socket_open": C.on_socket_fn(lambda _c, fd, _u: guard("_c_socket_open")(fd)),
        "socket_close": C.on_socket_fn(lambda _c, fd, _u: guard("_c_socket_close")(fd)),
        "register_write": C.on_socket_fn(lambda _c, fd, _u: guard("_c_register_write")(fd)),
        "unregister_write": C.on_socket_fn(lambda _c, fd, _u:
                                           guard("_c_unregister_write")(fd)),
        "pre_connect": C.on_pre_connect_fn(lambda _c, _u: guard("_c_pre_connect")()),
    }


_CS = _ConnectionState


class Client:
    """An MQTT client with paho-mqtt 2.1's API. See the module docstring and paho's
    documentation; differences are listed in docs/python-compatibility.md."""

    def __init__(self, callback_api_version=CallbackAPIVersion.VERSION1, client_id="",
                 clean_session=None, userdata=None, protocol=MQTTv311, transport="tcp",
                 reconnect_on_failure=True, manual_ack=False, *, persistence=None,
                 persistence_sync="every_write", auto_topic_alias=False):
        transport = transport.lower()
        if transport == "unix" and not hasattr(_socket, "AF_UNIX"):
            raise ValueError('"unix" transport not supported')
        if transport not in ("websockets", "tcp", "unix"):
            raise ValueError(f'transport must be "websockets", "tcp" or "unix", not {transport}')
        if callback_api_version == CallbackAPIVersion.VERSION1:
            warnings.warn("Callback API version 1 is deprecated, update to latest version",
                          category=DeprecationWarning, stacklevel=2)
        if isinstance(callback_api_version, str):
            raise ValueError(
                "Unsupported callback API version: version 2.0 added a callback_api_version, "
                "see docs/migrations.rst for details")
        if callback_api_version not in CallbackAPIVersion:
            raise ValueError("Unsupported callback API version")
        if protocol == MQTTv5:
            if clean_session is not None:
                raise ValueError("Clean session is not used for MQTT 5.0")
        else:
            if clean_session is None:
                clean_session = True
            if not clean_session and (client_id == "" or client_id is None):
                raise ValueError("A client id must be provided if clean session is False.")
        if protocol not in _PROTOCOL_NAMES:
            raise ValueError(f"Unsupported protocol version {protocol!r}")

        self._callback_api_version = callback_api_version
        self._manual_ack = manual_ack
        self._transport = transport
        self._protocol = protocol
        self._v5 = protocol == MQTTv5
        self._userdata = userdata
        self._clean_session = clean_session
        self._clean_start = MQTT_CLEAN_START_FIRST_ONLY
        if client_id == "" or client_id is None:
            if protocol == MQTTv31:
                self._client_id = _base62(uuid.uuid4().int, padding=22).encode("utf8")
            else:
                self._client_id = b""
        else:
            self._client_id = _force_bytes(client_id)
        self._keepalive = 60
        self._connect_timeout = 5.0
        self._client_mode = MQTT_CLIENT
        self._username = None
        self._password = None
        self._host = ""
        self._port = 1883
        self._bind_address = ""
        self._bind_port = 0
        self._connect_properties = None
        self._will = False
        self._will_topic = b""
        self._will_payload = b""
        self._will_qos = 0
        self._will_retain = False
        self._will_properties = None
        self._max_inflight_messages = 20
        self._max_queued_messages = 0
        self._reconnect_min_delay = 1
        self._reconnect_max_delay = 120
        self._reconnect_delay = None
        self._reconnect_on_failure = reconnect_on_failure
        self._state = _CS.MQTT_CS_NEW
        self._mqttv5_first_connect = True
        self._websocket_path = "/mqtt"
        self._websocket_extra_headers = None
        self._ssl = False
        self._ssl_context = None
        self._tls_insecure = False
        self._tls_args = None  # tls_set()'s arguments: the engine's own TLS
        self._py_transport = None  # a user's SSLContext: the Python transport
        self._proxy = {}
        self._persistence = persistence
        self._persistence_sync = persistence_sync
        self._auto_topic_alias = auto_topic_alias
        self._logger = None
        self._on_message_filtered = TopicCallbacks()
        self._has_topic_callbacks = False
        self._callback_mutex = threading.RLock()
        self._thread = None
        self._thread_terminate = False
        self._loop_wakeup = threading.Event()
        self.suppress_exceptions = False

        self._on_log = None
        self._on_pre_connect = None
        self._on_connect = None
        self._on_connect_fail = None
        self._on_subscribe = None
        self._on_message = None
        self._on_publish = None
        self._on_unsubscribe = None
        self._on_disconnect = None
        self._on_socket_open = None
        self._on_socket_close = None
        self._on_socket_register_write = None
        self._on_socket_unregister_write = None

        # Engine-side state.
        self._sock = None  # EngineSocket while the engine has a descriptor
        self._registered_write = False
        # Whether on_socket_open was called for _sock. paho reports a socket once it is connected
        # (its connect() blocks): reports are held back while a blocking connect or a loop thread
        # drives the attempt, so a refused attempt reports nothing (see _c_socket_open).
        self._sock_reported = False
        self._sock_lock = threading.Lock()
        self._blocking_connects = 0
        self._tl = threading.local()  # per thread: the exception a callback raised
        self._callback_thread = None  # the thread inside one of our callbacks, if any
        self._forever_thread = None  # the thread inside loop_forever, if any
        self._track_lock = threading.Lock()
        self._pending_requests = {}  # SUBSCRIBE/UNSUBSCRIBE mid -> still answerable
        self._last_mid = 0
        self._suppress_connect_fail = 0
        self._reconnect_enabled = False
        self._loop_interrupt_fd = -1  # see _interrupt: the engine's loop returns on a signal
        self._on_publish_registered = False
        self._last_connect_error = ""  # the detail of the last CONNECT_FAILED event
        self._logging = False  # on_log or a logger is set
        self._token = ctypes.c_uint64()
        self._mid = ctypes.c_int32()
        self._token_ref = ctypes.byref(self._token)
        self._mid_ref = ctypes.byref(self._mid)
        self._topic_len = ctypes.c_size_t()
        self._topic_cache = {}  # str -> its checked UTF-8 bytes
        self._payload_len = ctypes.c_size_t()

        lib = C.lib()
        self._lib = lib
        self._opts = _engine.Options(lib)
        self._configure_static_options()
        handle = C.client_p()
        rc = lib.client_new(ctypes.byref(handle), self._opts.handle)
        if rc != C.OK:
            self._opts.close()
            raise ValueError(lib.error_message(rc))
        self._c = handle
        # Without a durable store, publishing is a short locked queue operation in the engine:
        # the GIL can stay held. With one, a publish may wait for the disk.
        durable = persistence is not None
        self._raw_publish = lib.raw("client_publish", keep_gil=not durable)
        self._hot = (self._raw_publish, handle, self._topic_len, self._payload_len,
                     self._token_ref, self._mid_ref, self._token, self._mid, self._track_lock)
        self._engine = _Engine(lib, handle)
        self._cfuncs = _make_trampolines(self)
        self._finalizer = weakref.finalize(self, _free_client, self._engine, self._opts,
                                           self._cfuncs)
        self._finalizer.atexit = False  # _stop_loops_at_exit frees it, after the loop stopped
        self._pump = _events.EventPump(weakref.proxy(self), self._engine, lib, handle,
                                       keep_gil=not durable)
        cf = self._cfuncs
        # Only the hooks are callbacks: an external loop must learn of a socket when it exists.
        for setter, name in (
                (lib.client_set_on_socket_open, "socket_open"),
                (lib.client_set_on_socket_close, "socket_close"),
                (lib.client_set_on_socket_register_write, "register_write"),
                (lib.client_set_on_socket_unregister_write, "unregister_write"),
                (lib.client_set_on_pre_connect, "pre_connect")):
            setter(handle, cf[name], None, ctypes.cast(None, C.release_fn))
        # A subclass may define on_log / on_publish as methods: register for them now.
        self._update_log_registration()
        _LIVE_CLIENTS.add(self)

    # --- Engine configuration ---------------------------------------------------------------

    def _configure_static_options(self):
        o = self._opts
        o.set_int(C.OPT_PROTOCOL_VERSION, _PROTOCOL_NAMES[self._protocol])
        if self._persistence is not None:
            syncs = {"every_write": C.SYNC_EVERY_WRITE, "interval": C.SYNC_INTERVAL,
                     "never": C.SYNC_NEVER}
            if self._persistence_sync not in syncs:
                raise ValueError(f"persistence_sync must be one of {sorted(syncs)}")
            o.set_string(C.OPT_PERSISTENCE_DIR, os.fspath(self._persistence))
            o.set_int(C.OPT_PERSISTENCE_SYNC, syncs[self._persistence_sync])
        # Whether the broker may be asked for a proxy in the environment (mqtt_proxy), as
        # paho does when PySocks is installed.
        o.set_int(C.OPT_PROXY_FROM_ENVIRONMENT, 1)
        if self._client_id:
            o.set_string(C.OPT_CLIENT_ID, self._client_id)
        # paho numbers every PUBLISH, SUBSCRIBE and UNSUBSCRIBE from one counter, QoS 0 too.
        o.set_int(C.OPT_NUMBER_QOS0_MESSAGES, 1)
        # Events come through the engine's queue and are dispatched by the thread running the
        # loop (_events.EventPump): one crossing per batch, not per event.
        o.set_int(C.OPT_EVENT_QUEUE, 1)
        o.set_int(C.OPT_EVENT_QUEUE_LOG_LEVEL, C.LOG_DEBUG)
        # Acknowledgements go out when a dispatched batch is released, after the callbacks ran,
        # for the messages whose handler succeeded (see _c_message), as paho sends them.
        o.set_int(C.OPT_MANUAL_ACK, 1)
        o.set_int(C.OPT_QOS2_DELIVERY, C.QOS2_DELIVERY_ON_PUBREL)
        o.set_int(C.OPT_RECONNECT, 0)
        # What was queued while offline leaves after on_connect returns, so a re-subscribe made
        # there comes first, as paho sends them.
        o.set_int(C.OPT_HOLD_OUTPUT_UNTIL_SEEN, 1)
        self._apply_options()

    def _apply_options(self):
        """Writes every connection setting into the options object."""
        o = self._opts
        if self._protocol == MQTTv5:
            clean = self._clean_start
            if clean is True or clean == 1:
                o.set_int(C.OPT_CLEAN_START, 1)
                o.set_int(C.OPT_RECONNECT_CLEAN_START, 1)
            elif clean is False or clean == 0:
                o.set_int(C.OPT_CLEAN_START, 0)
                o.set_int(C.OPT_RECONNECT_CLEAN_START, 0)
            else:  # MQTT_CLEAN_START_FIRST_ONLY
                o.set_int(C.OPT_CLEAN_START, 1)
                o.set_int(C.OPT_RECONNECT_CLEAN_START, 0)
        else:
            flag = 1 if self._clean_session else 0
            o.set_int(C.OPT_CLEAN_START, flag)
            o.set_int(C.OPT_RECONNECT_CLEAN_START, flag)
        o.set_int(C.OPT_KEEPALIVE_SECONDS, self._keepalive)
        o.set_int(C.OPT_CONNECT_TIMEOUT_MS, max(1, int(self._connect_timeout * 1000)))
        o.set_int(C.OPT_MAX_INFLIGHT, self._max_inflight_messages)
        o.set_int(C.OPT_MAX_QUEUED_MESSAGES, self._max_queued_messages)
        o.set_int(C.OPT_RECONNECT_MIN_DELAY_MS, int(self._reconnect_min_delay * 1000))
        o.set_int(C.OPT_RECONNECT_MAX_DELAY_MS,
                  int(max(self._reconnect_max_delay, self._reconnect_min_delay) * 1000))
        o.set_int(C.OPT_RECONNECT, 1 if self._reconnect_enabled else 0)
        o.set_int(C.OPT_LOOP_INTERRUPT_FD, self._loop_interrupt_fd)
        # paho sends a password only together with a user name.
        o.set_string(C.OPT_USERNAME, self._username)
        o.set_string(C.OPT_PASSWORD, self._password if self._username is not None else None)
        o.set_string(C.OPT_BIND_ADDRESS, self._bind_address or "")
        o.set_int(C.OPT_BIND_PORT, self._bind_port)
        o.set_int(C.OPT_AUTO_TOPIC_ALIAS, 1 if self._auto_topic_alias else 0)
        self._apply_transport_options()
        if self._host:
            o.set_string(C.OPT_SERVER_URI, self._server_uri())
        lib = self._lib
        if self._will:
            with _engine.OwnedProperties(lib, self._will_properties
                                         if self._protocol == MQTTv5 else None) as props:
                rc = lib.options_set_will(o.handle, self._will_topic, len(self._will_topic),
                                          bytes(self._will_payload), len(self._will_payload),
                                          self._will_qos, 1 if self._will_retain else 0, props)
            if rc != C.OK:
                raise ValueError(lib.error_message(rc))
        else:
            lib.options_clear_will(o.handle)
        if self._protocol == MQTTv5:
            with _engine.OwnedProperties(lib, self._connect_properties) as props:
                rc = lib.options_set_connect_properties(o.handle, props)
            if rc != C.OK:
                raise ValueError(lib.error_message(rc))

    def _apply_transport_options(self):
        o = self._opts
        # TLS through the engine (tls_set): the same files and choices paho gives its context.
        args = self._tls_args if self._ssl and self._py_transport is None else None
        if args is not None:
            ctx = self._ssl_context
            o.set_string(C.OPT_TLS_CA_FILE, args["ca_certs"])
            o.set_int(C.OPT_TLS_USE_SYSTEM_CAS, 1 if args["ca_certs"] is None else 0)
            o.set_string(C.OPT_TLS_CERT_FILE, args["certfile"])
            o.set_string(C.OPT_TLS_KEY_FILE, args["keyfile"] if args["certfile"] else None)
            password = args["keyfile_password"]
            o.set_string(C.OPT_TLS_KEY_PASSWORD, password if args["certfile"] else None)
            o.set_string(C.OPT_TLS_CIPHERS, args["ciphers"] or "")
            alpn = args["alpn_protocols"]
            o.set_string(C.OPT_TLS_ALPN, ",".join(alpn) if alpn else "")
            verify = ctx.verify_mode != ssl.CERT_NONE
            o.set_int(C.OPT_TLS_VERIFY_PEER, 1 if verify else 0)
            o.set_int(C.OPT_TLS_VERIFY_HOSTNAME, 1 if verify and ctx.check_hostname else 0)
            low, high = _tls_versions(ctx, args["tls_version"])
            o.set_int(C.OPT_TLS_MIN_VERSION, low)
            o.set_int(C.OPT_TLS_MAX_VERSION, high)
        # WebSockets: paho's request also carries an Origin header, and the application's.
        o.set_string(C.OPT_WS_ADD_HEADER, None)
        if self._transport == "websockets" and self._host:
            for name, value in self._websocket_headers().items():
                o.set_string(C.OPT_WS_ADD_HEADER, f"{name}: {value}")
        # Proxies, natively (HTTP CONNECT and SOCKS5), from proxy_set()'s PySocks-style
        # arguments.
        p = self._proxy
        if p:
            o.set_int(C.OPT_PROXY_TYPE, _PROXY_TYPES[p["proxy_type"]])
            o.set_string(C.OPT_PROXY_HOST, p["proxy_addr"])
            o.set_int(C.OPT_PROXY_PORT, p.get("proxy_port") or 0)
            o.set_int(C.OPT_PROXY_REMOTE_DNS, 1 if p.get("proxy_rdns", True) else 0)
            o.set_string(C.OPT_PROXY_USERNAME, p.get("proxy_username") or "")
            o.set_string(C.OPT_PROXY_PASSWORD, p.get("proxy_password") or "")
        else:
            o.set_int(C.OPT_PROXY_TYPE, C.PROXY_NONE)

    # Headers the engine writes itself (and refuses from the application).
    _ENGINE_WS_HEADERS = {"host", "upgrade", "connection", "sec-websocket-key",
                          "sec-websocket-version", "sec-websocket-protocol",
                          "sec-websocket-extensions"}

    def _websocket_headers(self):
        """The extra handshake headers paho would send: Origin, then ws_set_options' headers
        (a dict merged in, or a callable given paho's defaults)."""
        scheme = "https" if self._ssl else "http"
        default_port = 443 if self._ssl else 80
        host = self._host if self._port == default_port else f"{self._host}:{self._port}"
        headers = {"Host": host, "Upgrade": "websocket", "Connection": "Upgrade",
                   "Origin": f"{scheme}://{host}", "Sec-WebSocket-Key": "(set by the engine)",
                   "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": "mqtt"}
        extra = self._websocket_extra_headers
        if isinstance(extra, dict):
            headers.update(extra)
        elif callable(extra):
            headers = extra(headers)
        return {k: v for k, v in headers.items()
                if k.lower() not in self._ENGINE_WS_HEADERS}

    def _server_uri(self):
        if self._transport == "unix":
            return "unix://" + self._host
        host = self._host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        if self._transport == "websockets":
            scheme = "wss" if self._ssl else "ws"
            path = self._websocket_path
            path = "/" + str(path).lstrip("/") if path is not None else "/None"
            return f"{scheme}://{host}:{self._port}{path}"
        return f"{'mqtts' if self._ssl else 'mqtt'}://{host}:{self._port}"

    def _push_options(self, first_connection=False):
        """Applies the current settings to the engine (they take effect from the next CONNECT)."""
        self._apply_options()
        flags = C.SET_OPTIONS_FIRST_CONNECTION if first_connection else 0
        rc = self._lib.client_set_options(self._c, self._opts.handle, flags)
        if rc != C.OK:
            raise ValueError(self._lib.error_message(rc))

    def _set_engine_reconnect(self, enabled, interrupt_fd=None):
        fd = self._loop_interrupt_fd if interrupt_fd is None else interrupt_fd
        if self._reconnect_enabled != enabled or self._loop_interrupt_fd != fd:
            self._reconnect_enabled = enabled
            self._loop_interrupt_fd = fd
            self._push_options()

    # --- Properties ---------------------------------------------------------------------------

    def _connection_closed(self):
        return (self._state == _CS.MQTT_CS_NEW
                or (self._state in (_CS.MQTT_CS_DISCONNECTING, _CS.MQTT_CS_DISCONNECTED)
                    and self._sock is None))

    def _check_closed(self, name):
        if not self._connection_closed():
            raise RuntimeError(f"updating {name} on established connection is not supported")

    @property
    def host(self):
        return self._host

    @host.setter
    def host(self, value):
        self._check_closed("host")
        if not value:
            raise ValueError("Invalid host.")
        self._host = value

    @property
    def port(self):
        return self._port

    @port.setter
    def port(self, value):
        self._check_closed("port")
        if value <= 0:
            raise ValueError("Invalid port number.")
        self._port = value

    @property
    def keepalive(self):
        return self._keepalive

    @keepalive.setter
    def keepalive(self, value):
        self._check_closed("keepalive")
        if value < 0:
            raise ValueError("Keepalive must be >=0.")
        self._keepalive = value

    @property
    def transport(self):
        return self._transport

    @transport.setter
    def transport(self, value):
        self._check_closed("transport")
        self._transport = value

    @property
    def protocol(self):
        return self._protocol

    @property
    def connect_timeout(self):
        return self._connect_timeout

    @connect_timeout.setter
    def connect_timeout(self, value):
        self._check_closed("connect_timeout")
        if value <= 0.0:
            raise ValueError("timeout must be a positive number")
        self._connect_timeout = value

    @property
    def username(self):
        return None if self._username is None else self._username.decode("utf-8")

    @username.setter
    def username(self, value):
        self._check_closed("username")
        self._username = None if value is None else value.encode("utf-8")

    @property
    def password(self):
        return None if self._password is None else self._password.decode("utf-8")

    @password.setter
    def password(self, value):
        self._check_closed("password")
        self._password = None if value is None else value.encode("utf-8")

    @property
    def max_inflight_messages(self):
        return self._max_inflight_messages

    @max_inflight_messages.setter
    def max_inflight_messages(self, value):
        self._check_closed("max_inflight_messages")
        if value < 0:
            raise ValueError("Invalid inflight.")
        self._max_inflight_messages = value
        self._push_options()

    @property
    def max_queued_messages(self):
        return self._max_queued_messages

    @max_queued_messages.setter
    def max_queued_messages(self, value):
        self._check_closed("max_queued_messages")
        if value < 0:
            raise ValueError("Invalid queue size.")
        self._max_queued_messages = value
        self._push_options()

    @property
    def will_topic(self):
        return None if self._will_topic is None else self._will_topic.decode("utf-8")

    @property
    def will_payload(self):
        return self._will_payload

    @property
    def logger(self):
        return self._logger

    @logger.setter
    def logger(self, value):
        self._logger = value
        self._update_log_registration()

    @property
    def callback_api_version(self):
        return self._callback_api_version

    # --- Setup --------------------------------------------------------------------------------

    def reinitialise(self, client_id="", clean_session=True, userdata=None):
        # paho 2.1 passes client_id as callback_api_version here, so this always raises its
        # "Unsupported callback API version" ValueError; kept as is for compatibility.
        self._sock = None
        self.__init__(client_id, clean_session, userdata)

    def ws_set_options(self, path="/mqtt", headers=None):
        """WebSocket request path and extra handshake headers (a dict, or a callable given the
        default headers that returns the headers to send)."""
        self._websocket_path = path
        if headers is not None:
            if isinstance(headers, dict) or callable(headers):
                self._websocket_extra_headers = headers
            else:
                raise ValueError("'headers' option to ws_set_options has to be either a "
                                 "dictionary or callable")

    def tls_set_context(self, context=None):
        """Use TLS with this ssl.SSLContext (None: ssl.create_default_context())."""
        if self._ssl_context is not None:
            raise ValueError("SSL/TLS has already been configured.")
        if context is None:
            context = ssl.create_default_context()
            # The same as the engine's defaults: system CAs, chain and name verified.
            self._configure_tls(context, native={
                "ca_certs": None, "certfile": None, "keyfile": None, "keyfile_password": None,
                "ciphers": None, "alpn_protocols": None, "tls_version": None})
            return
        self._configure_tls(context, native=None)

    def _configure_tls(self, context, native):
        if self._ssl_context is not None:
            raise ValueError("SSL/TLS has already been configured.")
        self._ssl = True
        self._ssl_context = context
        self._tls_args = native
        if hasattr(context, "check_hostname"):
            self._tls_insecure = not context.check_hostname
        if native is None:
            from ._pytransport import PythonTlsTransport
            self._py_transport = PythonTlsTransport(self._lib, context)
            self._py_transport.install(self._opts.handle)
        self._push_options()

    def tls_set(self, ca_certs=None, certfile=None, keyfile=None, cert_reqs=None,
                tls_version=None, ciphers=None, keyfile_password=None, alpn_protocols=None):
        """Use TLS, building an ssl.SSLContext from these arguments as paho does."""
        if ssl is None:
            raise ValueError("This platform has no SSL/TLS.")
        if not hasattr(ssl, "SSLContext"):
            raise ValueError("Python 2.7.9 and 3.2 are the minimum supported versions for TLS.")
        if ca_certs is None and not hasattr(ssl.SSLContext, "load_default_certs"):
            raise ValueError("ca_certs must not be None.")
        if tls_version is None:
            tls_version = ssl.PROTOCOL_TLS_CLIENT
            if not hasattr(ssl, "PROTOCOL_TLS_CLIENT"):
                tls_version = ssl.PROTOCOL_TLS
        requested_version = tls_version
        context = ssl.SSLContext(tls_version)
        if ciphers is not None:
            context.set_ciphers(ciphers)
        if certfile is not None:
            context.load_cert_chain(certfile, keyfile, keyfile_password)
        if cert_reqs == ssl.CERT_NONE and hasattr(context, "check_hostname"):
            context.check_hostname = False
        context.verify_mode = ssl.CERT_REQUIRED if cert_reqs is None else cert_reqs
        if ca_certs is not None:
            context.load_verify_locations(ca_certs)
        else:
            context.load_default_certs()
        if alpn_protocols is not None:
            if not getattr(ssl, "HAS_ALPN", None):
                raise ValueError("SSL library has no support for ALPN")
            context.set_alpn_protocols(alpn_protocols)
        if callable(keyfile_password):
            keyfile_password = keyfile_password()
        self._configure_tls(context, native={
            "ca_certs": ca_certs, "certfile": certfile, "keyfile": keyfile,
            "keyfile_password": keyfile_password, "ciphers": ciphers,
            "alpn_protocols": alpn_protocols, "tls_version": requested_version})
        if cert_reqs != ssl.CERT_NONE:
            self.tls_insecure_set(False)
        else:
            self.tls_insecure_set(True)

    def tls_insecure_set(self, value):
        """Skip (True) or do (False) the server host name check."""
        if self._ssl_context is None:
            raise ValueError("Must configure SSL context before using tls_insecure_set.")
        self._tls_insecure = value
        if hasattr(self._ssl_context, "check_hostname"):
            self._ssl_context.check_hostname = not value
        self._push_options()

    def proxy_set(self, **proxy_args):
        """Connect through a SOCKS or HTTP proxy (proxy_type, proxy_addr, proxy_port,
        proxy_rdns, proxy_username, proxy_password), as paho's PySocks-based proxy_set."""
        if not self._proxy_is_valid(proxy_args):
            raise ValueError("proxy_type and/or proxy_addr are invalid.")
        if _PROXY_TYPES[proxy_args["proxy_type"]] is None:
            raise ValueError("SOCKS4 proxies are not supported (SOCKS5 and HTTP CONNECT are)")
        self._proxy = dict(proxy_args)
        self._push_options()

    @staticmethod
    def _proxy_is_valid(p):
        if not isinstance(p, dict):
            return False
        return p.get("proxy_type") in _PROXY_TYPES and bool(p.get("proxy_addr"))

    def enable_logger(self, logger=None):
        """Send the client's log to `logger` (default: logging.getLogger("paho.mqtt.client"),
        unless a logger is already set)."""
        if logger is None:
            if self._logger is not None:
                return
            logger = logging.getLogger("paho.mqtt.client")
        self.logger = logger

    def disable_logger(self):
        self.logger = None

    def username_pw_set(self, username, password=None):
        """Credentials for the next CONNECT (password str or bytes; sent only with a user
        name)."""
        self._username = None if username is None else username.encode("utf-8")
        if isinstance(password, str):
            self._password = password.encode("utf-8")
        else:
            self._password = password
        self._push_options()

    def enable_bridge_mode(self):
        """paho sets the CONNECT protocol level's bridge bit (0x80, Mosquitto/RSMB bridges); the
        engine does not send it, so this raises rather than silently connect as a plain client
        (docs/python-compatibility.md)."""
        raise ValueError("bridge mode (protocol level | 0x80) is not supported by Ouzel")

    def will_set(self, topic, payload=None, qos=0, retain=False, properties=None):
        """The Will the broker publishes if this client vanishes without DISCONNECT (from the
        next CONNECT on)."""
        if topic is None or len(topic) == 0:
            raise ValueError("Invalid topic.")
        if qos < 0 or qos > 2:
            raise ValueError("Invalid QoS level.")
        if properties and not isinstance(properties, Properties):
            raise ValueError("The properties argument must be an instance of the Properties "
                             "class.")
        previous = (self._will, self._will_topic, self._will_payload, self._will_qos,
                    self._will_retain, self._will_properties)
        self._will_payload = _encode_payload(payload)
        self._will = True
        self._will_topic = topic.encode("utf-8")
        self._will_qos = qos
        self._will_retain = retain
        self._will_properties = properties
        try:
            self._push_options()
        except ValueError:
            (self._will, self._will_topic, self._will_payload, self._will_qos, self._will_retain,
             self._will_properties) = previous
            self._push_options()
            raise

    def will_clear(self):
        self._will = False
        self._will_topic = b""
        self._will_payload = b""
        self._will_qos = 0
        self._will_retain = False
        self._push_options()

    def user_data_set(self, userdata):
        self._userdata = userdata

    def user_data_get(self):
        return self._userdata

    def max_inflight_messages_set(self, inflight):
        self.max_inflight_messages = inflight

    def max_queued_messages_set(self, queue_size):
        if not isinstance(queue_size, int):
            raise ValueError("Invalid type of queue size.")
        self.max_queued_messages = queue_size
        return self

    def reconnect_delay_set(self, min_delay=1, max_delay=120):
        """Back-off between reconnection attempts: min_delay, doubling up to max_delay
        (seconds), reset by an accepted CONNACK."""
        self._reconnect_min_delay = min_delay
        self._reconnect_max_delay = max_delay
        self._reconnect_delay = None
        self._push_options()

    def manual_ack_set(self, on):
        self._manual_ack = on

    def message_callback_add(self, sub, callback):
        if callback is None or sub is None:
            raise ValueError("sub and callback must both be defined.")
        with self._callback_mutex:
            self._on_message_filtered[sub] = callback
            self._has_topic_callbacks = True

    def topic_callback(self, sub):
        def decorator(func):
            self.message_callback_add(sub, func)
            return func
        return decorator

    def message_callback_remove(self, sub):
        if sub is None:
            raise ValueError("sub must defined.")
        with self._callback_mutex:
            try:
                del self._on_message_filtered[sub]
            except KeyError:
                pass

    # --- Connecting ---------------------------------------------------------------------------

    def connect(self, host, port=1883, keepalive=60, bind_address="", bind_port=0,
                clean_start=MQTT_CLEAN_START_FIRST_ONLY, properties=None):
        """Connects (DNS, TCP, TLS/WebSocket handshakes) and sends CONNECT, blocking; network
        errors are raised. The CONNACK arrives through a loop (on_connect)."""
        if self._protocol == MQTTv5:
            self._mqttv5_first_connect = True
        else:
            if clean_start != MQTT_CLEAN_START_FIRST_ONLY:
                raise ValueError("Clean start only applies to MQTT V5")
            if properties:
                raise ValueError("Properties only apply to MQTT V5")
        self.connect_async(host, port, keepalive, bind_address, bind_port, clean_start,
                           properties)
        return self.reconnect()

    def connect_srv(self, domain=None, keepalive=60, bind_address="", bind_port=0,
                    clean_start=MQTT_CLEAN_START_FIRST_ONLY, properties=None):
        """Connects to a broker found through the DNS SRV record of `domain` (needs dnspython)."""
        if HAVE_DNS is False:
            raise ValueError('No DNS resolver library found, try "pip install dnspython".')
        if domain is None:
            domain = _socket.getfqdn()
            domain = domain[domain.find(".") + 1:]
        try:
            rr = f"_secure-mqtt._tcp.{domain}" if self._ssl else f"_mqtt._tcp.{domain}"
            answers = [(a.target.to_text()[:-1], a.port)
                       for a in dns.resolver.resolve(rr, "SRV")]
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers) as e:
            raise ValueError(f"No answer/NXDOMAIN for SRV in {domain}") from e
        for host, port in answers:
            try:
                return self.connect(host, port, keepalive, bind_address, bind_port, clean_start,
                                    properties)
            except Exception:  # noqa: BLE001 - paho tries the next answer
                pass
        raise ValueError("No SRV hosts responded")

    def connect_async(self, host, port=1883, keepalive=60, bind_address="", bind_port=0,
                      clean_start=MQTT_CLEAN_START_FIRST_ONLY, properties=None):
        """Stores the connection parameters; loop_start()/loop_forever() (or reconnect())
        connects."""
        if bind_port < 0:
            raise ValueError("Invalid bind port number.")
        self._state = _CS.MQTT_CS_NEW
        self.host = host
        self.port = port
        self.keepalive = keepalive
        self._bind_address = bind_address
        self._bind_port = bind_port
        self._clean_start = clean_start
        self._connect_properties = properties
        self._state = _CS.MQTT_CS_CONNECT_ASYNC
        self._loop_wakeup.set()

    def reconnect(self):
        """Connects again with the stored parameters (blocking, as connect())."""
        if len(self._host) == 0:
            raise ValueError("Invalid host.")
        if self._port <= 0:
            raise ValueError("Invalid port number.")
        self._state = _CS.MQTT_CS_CONNECTING
        first = self._protocol == MQTTv5 and self._mqttv5_first_connect
        self._push_options(first_connection=first)
        lib = self._lib
        if self._sock is not None or lib.client_is_connected(self._c):
            # There is a connection: drop it (no DISCONNECT, no on_disconnect) and connect again.
            # The engine does that asynchronously; the next loop call carries it out.
            self._check_call(lib.client_reconnect(self._c))
            return MQTT_ERR_SUCCESS
        with self._track_lock:
            self._suppress_connect_fail += 1
            self._blocking_connects += 1
        try:
            rc = lib.client_connect_blocking(self._c)
        finally:
            with self._track_lock:
                self._blocking_connects -= 1
        if rc == C.OK:
            with self._track_lock:
                self._suppress_connect_fail -= 1
            self._report_socket_open()
            self._log_connect()
            self._reraise()
            return MQTT_ERR_SUCCESS
        if rc == C.EBUSY:
            # Inside a callback, or a connection attempt already under way: ask for a fresh
            # attempt without waiting for it.
            with self._track_lock:
                self._suppress_connect_fail -= 1
            self._check_call(lib.client_reconnect(self._c))
            return MQTT_ERR_SUCCESS
        error = _engine.connect_error(lib, rc, self._host, self._port)
        self._reraise()
        raise error

    def _check_call(self, rc):
        if rc != C.OK:
            raise ValueError(self._lib.error_message(rc))

    def _log_connect(self):
        if self._on_log is None and self._logger is None:
            return
        will = self._will
        flags = ((self._username is not None) << 7 | (self._password is not None and
                                                    self._username is not None) << 6
                 | (will and self._will_retain) << 5 | (self._will_qos if will else 0) << 3
                 | will << 2)
        clean = (self._clean_session if self._protocol != MQTTv5
                 else self._clean_start is True or self._clean_start == 1 or (
                     self._clean_start == MQTT_CLEAN_START_FIRST_ONLY
                     and self._mqttv5_first_connect))
        flags |= bool(clean) << 1
        args = ((flags & 0x80) >> 7, (flags & 0x40) >> 6, (flags & 0x20) >> 5,
                (flags & 0x18) >> 3, (flags & 0x4) >> 2, (flags & 0x2) >> 1, self._keepalive,
                self._client_id)
        if self._protocol == MQTTv5:
            self._easy_log(MQTT_LOG_DEBUG, "Sending CONNECT (u%d, p%d, wr%d, wq%d, wf%d, c%d, "
                           "k%d) client_id=%s properties=%s", *args, self._connect_properties)
        else:
            self._easy_log(MQTT_LOG_DEBUG, "Sending CONNECT (u%d, p%d, wr%d, wq%d, wf%d, c%d, "
                           "k%d) client_id=%s", *args)

    def disconnect(self, reasoncode=None, properties=None):
        """Sends DISCONNECT and closes; on_disconnect follows (inside this call when no loop
        thread runs, as in paho)."""
        if self._sock is None and not self._lib.client_is_connected(self._c):
            self._state = _CS.MQTT_CS_DISCONNECTED
            # A pending engine reconnection (waiting for its back-off) is cancelled too.
            self._lib.client_disconnect(self._c, 0, None)
            self._loop_wakeup.set()
            return MQTT_ERR_NO_CONN
        self._state = _CS.MQTT_CS_DISCONNECTING
        self._loop_wakeup.set()
        code = 0
        if reasoncode is not None:
            code = reasoncode.value if isinstance(reasoncode, ReasonCode) else int(reasoncode)
        if self._protocol == MQTTv5 and (reasoncode is not None or properties is not None):
            self._easy_log(MQTT_LOG_DEBUG, "Sending DISCONNECT reasonCode=%s properties=%s",
                           reasoncode, properties)
        else:
            self._easy_log(MQTT_LOG_DEBUG, "Sending DISCONNECT")
        with _engine.OwnedProperties(self._lib, properties if self._protocol == MQTTv5
                                     else None) as props:
            rc = self._lib.client_disconnect(self._c, code, props)
        if rc == C.ENOTCONN:
            self._state = _CS.MQTT_CS_DISCONNECTED
            return MQTT_ERR_NO_CONN
        if rc != C.OK:
            raise ValueError(self._lib.error_message(rc))
        self._after_queueing(closing=True)
        return MQTT_ERR_SUCCESS

    def is_connected(self):
        # The engine's view: connected from the accepted CONNACK until disconnect() is called or
        # the connection ends, whatever the callbacks have been told so far.
        return self._lib.client_state(self._c) == C.STATE_CONNECTED

    # --- Publishing and subscribing -----------------------------------------------------------

    def publish(self, topic, payload=None, qos=0, retain=False, properties=None):
        """Publishes (or queues) a message; returns an MQTTMessageInfo (also ``rc, mid``)."""
        # The hot path: checks in paho's order, then one call into the engine. Topics already
        # checked are remembered (applications publish to few topics).
        topic_bytes = self._topic_cache.get(topic)
        if topic_bytes is None:
            topic_bytes = self._check_topic(topic)
        if qos < 0 or qos > 2:
            raise ValueError("Invalid QoS level.")
        if type(payload) is bytes:
            local_payload = payload
        else:
            local_payload = _encode_payload(payload)
            if type(local_payload) is not bytes:
                local_payload = bytes(local_payload)
        payload_len = len(local_payload)
        if payload_len > 268435455:
            raise ValueError("Payload too large.")
        if self._logging:
            self._log_publish(topic_bytes, local_payload, qos, retain, properties)
        cprops = None
        if properties is not None and self._protocol == MQTTv5:
            cprops = _engine.OwnedProperties(self._lib, properties)
        # One attribute load for everything the engine call needs (this runs per message).
        raw, handle, topic_len, payload_len_c, token_ref, mid_ref, token_c, mid_c, lock = \
            self._hot
        with lock:
            topic_len.value = len(topic_bytes)
            payload_len_c.value = payload_len
            try:
                rc = raw(handle, topic_bytes, topic_len, local_payload, payload_len_c, qos,
                         1 if retain else 0, cprops.handle if cprops is not None else None,
                         token_ref, mid_ref)
            finally:
                if cprops is not None:
                    cprops.close()
            if rc == 0:
                mid = mid_c.value
                self._last_mid = mid
                token = token_c.value
            else:
                # paho consumes a mid even for a refused message; the engine does not, so the
                # next one is reported.
                mid = self._last_mid % 65535 + 1
        info = _new_info(MQTTMessageInfo)
        info.mid = mid
        info._published = False
        info.rc = MQTT_ERR_SUCCESS
        if rc == 0:
            info._token = token
            info._engine = self._engine
            if self._sock is None:
                # Queued until the next connection: delivered then, but paho reports NO_CONN.
                info.rc = MQTT_ERR_NO_CONN
            elif self._thread is None and self._forever_thread is None:
                self._after_queueing()
            return info
        info._engine = None
        if rc == C.ENOTCONN:
            info.rc = MQTT_ERR_NO_CONN
        elif rc == C.EQUEUEFULL:
            info.rc = MQTT_ERR_QUEUE_SIZE
        elif rc == C.ETOOLARGE:
            info.rc = MQTT_ERR_PAYLOAD_SIZE
        elif rc == C.ENOTSUP:
            info.rc = MQTT_ERR_NOT_SUPPORTED
        elif rc == C.EINVAL:
            raise ValueError(self._lib.error_message(rc))
        else:
            info.rc = _engine.loop_rc(rc)
        return info

    def _check_topic(self, topic):
        if self._protocol != MQTTv5:
            if topic is None or len(topic) == 0:
                raise ValueError("Invalid topic.")
        topic_bytes = topic.encode("utf-8")
        if b"+" in topic_bytes or b"#" in topic_bytes:
            raise ValueError("Publish topic cannot contain wildcards.")
        if len(topic_bytes) > 65535:
            raise ValueError("Publish topic is too long.")
        if type(topic) is str and topic_bytes:
            cache = self._topic_cache
            if len(cache) >= 1024:
                cache.clear()
            cache[topic] = topic_bytes
        return topic_bytes

    def _log_publish(self, topic, payload, qos, retain, properties):
        mid = self._last_mid % 65535 + 1
        if not payload:
            if self._protocol == MQTTv5:
                self._easy_log(MQTT_LOG_DEBUG, "Sending PUBLISH (d%d, q%d, r%d, m%d), '%s', "
                               "properties=%s (NULL payload)", False, qos, retain, mid, topic,
                               properties)
            else:
                self._easy_log(MQTT_LOG_DEBUG, "Sending PUBLISH (d%d, q%d, r%d, m%d), '%s' "
                               "(NULL payload)", False, qos, retain, mid, topic)
        elif self._protocol == MQTTv5:
            self._easy_log(MQTT_LOG_DEBUG, "Sending PUBLISH (d%d, q%d, r%d, m%d), '%s', "
                           "properties=%s, ... (%d bytes)", False, qos, retain, mid, topic,
                           properties, len(payload))
        else:
            self._easy_log(MQTT_LOG_DEBUG, "Sending PUBLISH (d%d, q%d, r%d, m%d), '%s', ... "
                           "(%d bytes)", False, qos, retain, mid, topic, len(payload))

    def _filter_ok(self, sub):
        # The engine's rules (paho checks a subset: length and wildcard placement; what else the
        # engine refuses, such as a NUL or "$share/g" without a filter, would fail the SUBSCRIBE).
        return self._lib.topic_validate_filter(sub, len(sub)) == C.OK

    def subscribe(self, topic, qos=0, options=None, properties=None):
        """Subscribes to one filter or a list; returns ``(rc, mid)``."""
        topic_qos_list = None
        if isinstance(topic, tuple):
            if self._protocol == MQTTv5:
                topic, options = topic
                if not isinstance(options, SubscribeOptions):
                    raise ValueError(
                        "Subscribe options must be instance of SubscribeOptions class.")
            else:
                topic, qos = topic
        if isinstance(topic, (bytes, str)):
            if qos < 0 or qos > 2:
                raise ValueError("Invalid QoS level.")
            if self._protocol == MQTTv5:
                if options is None:
                    options = SubscribeOptions(qos=qos)
                elif qos != 0:
                    raise ValueError("Subscribe options and qos parameters cannot be combined.")
                if not isinstance(options, SubscribeOptions):
                    raise ValueError(
                        "Subscribe options must be instance of SubscribeOptions class.")
                topic_qos_list = [(topic.encode("utf-8"), options)]
            else:
                if topic is None or len(topic) == 0:
                    raise ValueError("Invalid topic.")
                topic_qos_list = [(topic.encode("utf-8"), qos)]
        elif isinstance(topic, list):
            if len(topic) == 0:
                raise ValueError("Empty topic list")
            topic_qos_list = []
            if self._protocol == MQTTv5:
                for t, o in topic:
                    if not isinstance(o, SubscribeOptions):
                        if o < 0 or o > 2:
                            raise ValueError("Invalid QoS level.")
                        o = SubscribeOptions(qos=o)
                    topic_qos_list.append((t.encode("utf-8"), o))
            else:
                for t, q in topic:
                    if isinstance(q, SubscribeOptions) or q < 0 or q > 2:
                        raise ValueError("Invalid QoS level.")
                    if t is None or len(t) == 0 or not isinstance(t, (bytes, str)):
                        raise ValueError("Invalid topic.")
                    topic_qos_list.append((t.encode("utf-8"), q))
        if topic_qos_list is None:
            raise ValueError("No topic specified, or incorrect topic type.")
        if any(not self._filter_ok(t) for t, _ in topic_qos_list):
            raise ValueError("Invalid subscription filter.")
        if self._sock is None:
            return MQTT_ERR_NO_CONN, None

        subs = (C.Subscription * len(topic_qos_list))()
        for i, (t, o) in enumerate(topic_qos_list):
            s = subs[i]
            s.version = C.SUBSCRIPTION_VERSION
            s.filter = t
            s.filter_len = len(t)
            if isinstance(o, SubscribeOptions):
                s.qos = o.QoS
                s.no_local = int(bool(o.noLocal))
                s.retain_as_published = int(bool(o.retainAsPublished))
                s.retain_handling = o.retainHandling
            else:
                s.qos = o
        lib = self._lib
        with _engine.OwnedProperties(lib, properties if self._protocol == MQTTv5
                                     else None) as props:
            with self._track_lock:
                rc = lib.client_subscribe(self._c, subs, len(topic_qos_list), props,
                                          self._mid_ref)
                mid = self._mid.value
                if rc == C.OK:
                    self._last_mid = mid
                    self._pending_requests[mid] = True
        if rc == C.ENOTCONN:
            return MQTT_ERR_NO_CONN, None
        if rc != C.OK:
            raise ValueError(lib.error_message(rc))
        self._easy_log(MQTT_LOG_DEBUG, "Sending SUBSCRIBE (d%d, m%d) %s", False, mid,
                       topic_qos_list)
        self._after_queueing()
        return MQTT_ERR_SUCCESS, mid

    def unsubscribe(self, topic, properties=None):
        """Unsubscribes from one filter or a list; returns ``(rc, mid)``."""
        topic_list = None
        if topic is None:
            raise ValueError("Invalid topic.")
        if isinstance(topic, (bytes, str)):
            if len(topic) == 0:
                raise ValueError("Invalid topic.")
            topic_list = [topic.encode("utf-8")]
        elif isinstance(topic, list):
            topic_list = []
            for t in topic:
                if len(t) == 0 or not isinstance(t, (bytes, str)):
                    raise ValueError("Invalid topic.")
                topic_list.append(t.encode("utf-8"))
            if not topic_list:
                # paho sends an UNSUBSCRIBE without filters, which MQTT forbids
                # [MQTT-3.10.3-2]; see docs/python-compatibility.md.
                raise ValueError("Empty topic list")
        if topic_list is None:
            raise ValueError("No topic specified, or incorrect topic type.")
        if self._sock is None:
            return MQTT_ERR_NO_CONN, None
        n = len(topic_list)
        filters = (ctypes.c_char_p * n)(*topic_list)
        lens = (ctypes.c_size_t * n)(*[len(t) for t in topic_list])
        lib = self._lib
        with _engine.OwnedProperties(lib, properties if self._protocol == MQTTv5
                                     else None) as props:
            with self._track_lock:
                rc = lib.client_unsubscribe(self._c, filters, lens, n, props, self._mid_ref)
                mid = self._mid.value
                if rc == C.OK:
                    self._last_mid = mid
                    self._pending_requests[mid] = True
        if rc == C.ENOTCONN:
            return MQTT_ERR_NO_CONN, None
        if rc != C.OK:
            raise ValueError(lib.error_message(rc))
        self._easy_log(MQTT_LOG_DEBUG, "Sending UNSUBSCRIBE (d%d, m%d) %s", False, mid,
                       topic_list)
        self._after_queueing()
        return MQTT_ERR_SUCCESS, mid

    def ack(self, mid, qos):
        """With manual_ack: sends the PUBACK (qos 1) or PUBCOMP (qos 2) for a received message."""
        if self._manual_ack and qos in (1, 2):
            rc = self._lib.client_ack(self._c, mid)
            if rc == C.OK:
                self._after_queueing()
                return MQTT_ERR_SUCCESS
            if rc == C.ENOTFOUND:
                return MQTT_ERR_NOT_FOUND
            return _engine.loop_rc(rc)
        return MQTT_ERR_SUCCESS

    def _after_queueing(self, closing=False):
        """What paho does right after queueing a packet when no loop thread runs: write it now
        (QoS 0 on_publish and on_disconnect then run inside the call), or, for an external event
        loop, ask it to watch the socket for writing."""
        me = threading.get_ident()
        if (self._thread is not None or self._forever_thread is not None
                or self._callback_thread == me):
            return  # a loop is running (the engine woke it), or we are inside its callback
        if self._sock is None:
            return
        if self._on_socket_register_write is not None:
            if self._lib.client_want_write(self._c):
                self._call_socket_register_write()
            self._reraise()
            return
        lib = self._lib
        rc = lib.client_loop_write(self._c)
        if rc != C.EBUSY:
            self._pump.pump()  # QoS 0 on_publish inside publish(), as paho does
        if closing:
            # DISCONNECT written: the engine closes and reports on_disconnect in the same call,
            # unless the socket could not take it all at once.
            for _ in range(100):
                if self._sock is None or rc not in (C.OK, C.EWOULDBLOCK):
                    break
                rc = lib.client_loop(self._c, 10)
                if rc != C.EBUSY:
                    self._pump.pump()
        self._reraise()

    # --- Loops --------------------------------------------------------------------------------

    def loop(self, timeout=1.0):
        """One iteration of the network loop (waits up to `timeout` seconds). Never reconnects."""
        if timeout < 0.0:
            raise ValueError("Invalid timeout.")
        if self._sock is None and not self._lib.client_is_connected(self._c):
            if self._state not in (_CS.MQTT_CS_DISCONNECTING, _CS.MQTT_CS_DISCONNECTED,
                                   _CS.MQTT_CS_NEW, _CS.MQTT_CS_CONNECT_ASYNC):
                self._state = _CS.MQTT_CS_CONNECTION_LOST
            return MQTT_ERR_CONN_LOST
        pump = self._pump.pump
        if self._thread is None and self._forever_thread is None:
            pump()  # what a blocking connect() left for the next loop call
        rc = self._lib.client_loop(self._c, int(timeout * 1000))
        if rc != C.EBUSY:
            pump()
        self._reraise()
        if rc == C.EBUSY:
            return MQTT_ERR_SUCCESS  # another thread drives this client at the moment
        result = _engine.loop_rc(rc)
        if result == MQTT_ERR_CONN_LOST and self._state == _CS.MQTT_CS_DISCONNECTED:
            return MQTT_ERR_CONN_LOST
        return result

    def loop_read(self, max_packets=1):
        """External loop: the socket is readable."""
        if self._sock is None:
            return MQTT_ERR_NO_CONN
        rc = self._lib.client_loop_read(self._c)
        if rc != C.EBUSY:
            self._pump.pump()
        self._reraise()
        if rc == C.EBUSY:
            return MQTT_ERR_SUCCESS
        result = _engine.loop_rc(rc)
        if result != MQTT_ERR_SUCCESS and self._state in (_CS.MQTT_CS_DISCONNECTING,
                                                          _CS.MQTT_CS_DISCONNECTED):
            return MQTT_ERR_SUCCESS
        return result

    def loop_write(self):
        """External loop: the socket is writable."""
        if self._sock is None:
            return MQTT_ERR_NO_CONN
        try:
            rc = self._lib.client_loop_write(self._c)
            if rc != C.EBUSY:
                self._pump.pump()
            self._reraise()
            if rc == C.EBUSY:
                return MQTT_ERR_SUCCESS
            result = _engine.loop_rc(rc)
            if result != MQTT_ERR_SUCCESS and self._state in (_CS.MQTT_CS_DISCONNECTING,
                                                              _CS.MQTT_CS_DISCONNECTED):
                return MQTT_ERR_SUCCESS
            return result
        finally:
            if self.want_write():
                self._call_socket_register_write()
            else:
                self._call_socket_unregister_write()

    def want_write(self):
        return bool(self._lib.client_want_write(self._c))

    def loop_misc(self):
        """External loop: keepalive and timers; call about once a second."""
        if self._sock is None:
            return MQTT_ERR_NO_CONN
        rc = self._lib.client_loop_misc(self._c)
        if rc != C.EBUSY:
            self._pump.pump()
        self._reraise()
        if rc == C.EBUSY:
            return MQTT_ERR_SUCCESS
        if self._sock is None and self._state not in (_CS.MQTT_CS_DISCONNECTING,
                                                      _CS.MQTT_CS_DISCONNECTED):
            return MQTT_ERR_CONN_LOST
        return _engine.loop_rc(rc)

    def socket(self):
        """The socket the engine uses (fileno(), setsockopt()), or None."""
        return self._sock

    def _reconnect_wait(self):
        now = time_func()
        if self._reconnect_delay is None:
            self._reconnect_delay = self._reconnect_min_delay
        else:
            self._reconnect_delay = min(self._reconnect_delay * 2, self._reconnect_max_delay)
        target = now + self._reconnect_delay
        remaining = target - now
        while (self._state not in (_CS.MQTT_CS_DISCONNECTING, _CS.MQTT_CS_DISCONNECTED)
               and not self._thread_terminate and remaining > 0):
            self._loop_wakeup.wait(min(remaining, 1))
            self._loop_wakeup.clear()
            remaining = target - time_func()

    def _handle_on_connect_fail(self):
        with self._callback_mutex:
            on_connect_fail = self.on_connect_fail
        if on_connect_fail:
            with self._in_callback():
                try:
                    on_connect_fail(self, self._userdata)
                except Exception as err:  # noqa: BLE001 - paho always swallows these
                    self._easy_log(MQTT_LOG_ERR, "Caught exception in on_connect_fail: %s", err)

    def loop_forever(self, timeout=1.0, retry_first_connection=False):
        """Runs the network loop until disconnect(), reconnecting after failures (when
        reconnect_on_failure). OSError when the first connection fails, unless
        retry_first_connection."""
        while not self._thread_terminate:
            if self._state != _CS.MQTT_CS_CONNECT_ASYNC:
                break
            try:
                self.reconnect()
            except OSError:
                self._handle_on_connect_fail()
                if not retry_first_connection:
                    raise
                self._easy_log(MQTT_LOG_DEBUG, "Connection failed, retrying")
                self._reconnect_wait()
        lib = self._lib
        me = threading.get_ident()
        self._forever_thread = me
        rc = MQTT_ERR_SUCCESS
        # On the main thread a signal (Ctrl-C) makes the engine's loop return, so that Python
        # raises KeyboardInterrupt out of here as paho does.
        wakeup = _interrupt.MainThreadWakeup()
        try:
            self._set_engine_reconnect(bool(self._reconnect_on_failure), wakeup.__enter__())
            while not self._thread_terminate:
                if self._state == _CS.MQTT_CS_CONNECT_ASYNC:
                    # connect_async() was called while we ran (after a disconnect).
                    try:
                        self.reconnect()
                    except OSError:
                        self._handle_on_connect_fail()
                        self._reconnect_wait()
                    continue
                erc = self._drive(wakeup)
                self._reraise()
                if erc == C.EBUSY:
                    # Another thread held the driver for a moment (a publish writing directly).
                    time.sleep(0.001)
                    continue
                if self._state in (_CS.MQTT_CS_DISCONNECTING, _CS.MQTT_CS_DISCONNECTED):
                    rc = MQTT_ERR_CONN_LOST
                    break
                if self._thread_terminate:
                    rc = MQTT_ERR_SUCCESS
                    break
                if erc == C.OK:
                    continue  # a signal (its handler has run), or a loop_stop from a callback raced
                if erc == C.ENOTCONN and self._state == _CS.MQTT_CS_NEW:
                    if self._thread is not None and me == self._thread.ident:
                        # loop_start() before connect(): wait for a connection to drive.
                        self._loop_wakeup.wait(0.5)
                        self._loop_wakeup.clear()
                        continue
                    self._reconnect_wait()
                    self.reconnect()  # raises ValueError('Invalid host.') as paho does
                    continue
                if not self._reconnect_on_failure:
                    rc = _engine.loop_rc(erc)
                    break
                # The engine gave up (a blocking connect() failed meanwhile): paho keeps trying.
                self._reconnect_wait()
                if self._thread_terminate or self._state in (_CS.MQTT_CS_DISCONNECTING,
                                                             _CS.MQTT_CS_DISCONNECTED):
                    rc = MQTT_ERR_CONN_LOST
                    break
                try:
                    self.reconnect()
                except OSError:
                    self._handle_on_connect_fail()
                    self._easy_log(MQTT_LOG_DEBUG, "Connection failed, retrying")
        finally:
            self._forever_thread = None
            wakeup.__exit__(None, None, None)
            try:
                self._set_engine_reconnect(False, -1)
            except ValueError:
                pass
        return rc

    def _drive(self, wakeup):
        """What ouzel_client_loop_forever does, one engine iteration at a time on this thread,
        dispatching the events each iteration queued before the next: returns OUZEL_OK when
        stopped (loop_stop, an exception to raise) or after disconnect(), OUZEL_ENOTCONN when
        there is nothing to drive yet, OUZEL_EBUSY when another thread drives, or the error that
        ended the connection once the engine gave up."""
        lib = self._lib
        c = self._c
        pump = self._pump.pump
        while True:
            state = lib.client_state(c)
            if state == C.STATE_DISCONNECTED:
                # After disconnect(): its on_disconnect, then done. Otherwise nothing to drive
                # (never connected, or connect_async() not taken up yet).
                pump()
                if self._state in (_CS.MQTT_CS_DISCONNECTING, _CS.MQTT_CS_DISCONNECTED):
                    return C.OK
                return C.ENOTCONN
            rc = lib.client_loop(c, 1000)
            wakeup.drain()  # a signal ended the wait: Python runs its handler on return
            if rc == C.EBUSY:
                return rc
            pump()
            if self._thread_terminate or getattr(self._tl, "exc", None) is not None:
                return C.OK
            if lib.client_state(c) == C.STATE_CONNECTION_LOST:
                return rc if rc != C.OK else C.ENOTCONN

    def loop_start(self):
        """Runs loop_forever on a daemon thread (reconnecting after failures)."""
        if self._thread is not None:
            return MQTT_ERR_INVAL
        self._thread_terminate = False
        self._thread = threading.Thread(target=self._thread_main,
                                        name=f"paho-mqtt-client-{self._client_id.decode()}")
        self._thread.daemon = True
        self._thread.start()
        return MQTT_ERR_SUCCESS

    def _thread_main(self):
        try:
            self.loop_forever(retry_first_connection=True)
        finally:
            self._thread = None

    def loop_stop(self):
        """Stops the loop_start thread. While connected, first lets what is being sent finish
        (queued packets and unacknowledged QoS > 0 messages), as paho does."""
        thread = self._thread
        if thread is None:
            return MQTT_ERR_INVAL
        lib = self._lib
        if threading.current_thread() is not thread:
            stat = ctypes.c_int64()
            while thread.is_alive() and lib.client_is_connected(self._c):
                pending = 0
                for which in (C.STAT_INFLIGHT, C.STAT_QUEUED):
                    lib.client_stat(self._c, which, ctypes.byref(stat))
                    pending += stat.value
                if not pending and not lib.client_want_write(self._c):
                    break
                time.sleep(0.01)
        self._thread_terminate = True
        self._loop_wakeup.set()
        lib.client_loop_stop(self._c)
        if threading.current_thread() is not thread:
            thread.join()
        return MQTT_ERR_SUCCESS

    def _shutdown_at_exit(self):
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._thread_terminate = True
            self._loop_wakeup.set()
            self._lib.client_loop_stop(self._c)
            thread.join(2.0)
            if thread.is_alive():
                return  # stuck in a callback: leave the engine to the process's end
        self._finalizer()

    # --- Callback plumbing --------------------------------------------------------------------

    class _CallbackScope:
        __slots__ = "_client", "_previous"

        def __init__(self, client):
            self._client = client

        def __enter__(self):
            self._previous = self._client._callback_thread
            self._client._callback_thread = threading.get_ident()

        def __exit__(self, *exc):
            self._client._callback_thread = self._previous

    def _in_callback(self):
        return Client._CallbackScope(self)

    def _defer_exception(self, exc):
        """An exception from a callback, to raise when control is back in Python."""
        if getattr(self._tl, "exc", None) is None:
            self._tl.exc = exc
        if self._forever_thread == threading.get_ident():
            # Make loop_forever return so the exception propagates out of it.
            self._lib.client_loop_stop(self._c)

    def _reraise(self):
        exc = getattr(self._tl, "exc", None)
        if exc is not None:
            self._tl.exc = None
            raise exc

    def _user(self, name, func, *args):
        """Calls a user callback the way paho does: log an exception, re-raise it later unless
        suppress_exceptions."""
        with self._in_callback():
            try:
                func(self, self._userdata, *args)
            except Exception as err:  # noqa: BLE001
                self._easy_log(MQTT_LOG_ERR, "Caught exception in %s: %s", name, err)
                if not self.suppress_exceptions:
                    self._defer_exception(err)
                return False
        return True

    def _easy_log(self, level, fmt, *args):
        on_log = self.on_log
        if on_log is not None:
            buf = fmt % args
            try:
                on_log(self, self._userdata, level, buf)
            except Exception:  # noqa: BLE001 - never recurse into logging a logging failure
                pass
        logger = self._logger
        if logger is not None:
            logger.log(LOGGING_LEVEL[level], fmt, *args)

    def _update_log_registration(self):
        self._logging = self.on_log is not None or self._logger is not None
        self._update_publish_registration()  # "Received PUBACK" lines come from on_publish

    def _update_publish_registration(self):
        # Completions are dispatched only when something wants them (on_publish or a log).
        self._on_publish_registered = (self.on_publish is not None or self.on_log is not None
                                       or self._logger is not None)

    # Engine events ------------------------------------------------------------------------------

    def _c_log(self, level, text):
        self._easy_log(LogLevel(level) if level in (1, 2, 4, 8, 16) else MQTT_LOG_INFO, "%s",
                       text.decode("utf-8", "replace"))

    def _c_pre_connect(self):
        func = self.on_pre_connect
        if func:
            self._user("on_pre_connect", func)

    def _c_socket_open(self, fd):
        with self._sock_lock:
            self._registered_write = False
            self._sock_reported = False
            self._sock = _engine.EngineSocket(fd)
        if not (self._blocking_connects or self._thread is not None
                or self._forever_thread is not None):
            # An external loop (asyncio) must watch the socket while it connects.
            self._report_socket_open(check_write=False)

    def _report_socket_open(self, check_write=True):
        """on_socket_open for the current socket, once: at once for an external loop, else when
        the connection is known to be up (blocking connect returned, CONNACK)."""
        with self._sock_lock:
            sock = self._sock
            if sock is None or self._sock_reported:
                return
            self._sock_reported = True
        func = self.on_socket_open
        if func:
            self._user("on_socket_open", func, sock)
        if check_write and self._lib.client_want_write(self._c):
            self._call_socket_register_write()

    def _c_socket_close(self, fd):
        sock = self._sock if self._sock is not None else _engine.EngineSocket(fd)
        with self._sock_lock:
            reported = self._sock_reported
            self._sock_reported = False
        try:
            if reported:
                # As paho's _sock_close: write interest goes before the socket, so an event
                # loop never keeps a writer on a closed descriptor.
                self._call_socket_unregister_write(sock)
                func = self.on_socket_close
                if func:
                    self._user("on_socket_close", func, sock)
        finally:
            self._sock = None
            self._registered_write = False

    def _call_socket_register_write(self):
        if self._sock is None or self._registered_write or not self._sock_reported:
            return
        self._registered_write = True
        func = self.on_socket_register_write
        if func:
            self._user("on_socket_register_write", func, self._sock)

    def _call_socket_unregister_write(self, sock=None):
        sock = sock or self._sock
        if not sock or not self._registered_write:
            return
        self._registered_write = False
        func = self.on_socket_unregister_write
        if func:
            self._user("on_socket_unregister_write", func, sock)

    def _c_register_write(self, fd):
        self._call_socket_register_write()

    def _c_unregister_write(self, fd):
        self._call_socket_unregister_write()

    def _c_connect(self, reason_code, session_present, props):
        self._report_socket_open()  # a loop thread connected: the socket is up
        self._state = _CS.MQTT_CS_CONNECTED
        self._reconnect_delay = None
        self._mqttv5_first_connect = False
        v5 = self._protocol == MQTTv5
        properties = _engine.read_properties(self._lib, props, PacketTypes.CONNACK) if v5 \
            else None
        if v5:
            reason = ReasonCode(PacketTypes.CONNACK, identifier=reason_code)
            self._easy_log(MQTT_LOG_DEBUG, "Received CONNACK (%s, %s) properties=%s",
                           session_present, reason, properties)
        else:
            self._easy_log(MQTT_LOG_DEBUG, "Received CONNACK (%s, %s)", session_present,
                           reason_code)
        self._deliver_connect(reason_code, session_present, properties)

    def _deliver_connect(self, result, session_present, properties):
        with self._callback_mutex:
            func = self.on_connect
        if not func:
            return
        v5 = self._protocol == MQTTv5
        flags = {"session present": session_present & 0x01}
        if self._callback_api_version == CallbackAPIVersion.VERSION1:
            if v5:
                self._user("on_connect", func, flags,
                           ReasonCode(PacketTypes.CONNACK, identifier=result), properties)
            else:
                self._user("on_connect", func, flags, result)
        else:
            reason = (ReasonCode(PacketTypes.CONNACK, identifier=result) if v5
                      else convert_connack_rc_to_reason_code(result))
            if properties is None:
                properties = Properties(PacketTypes.CONNACK)
            self._user("on_connect", func, ConnectFlags(session_present=session_present > 0),
                       reason, properties)

    def _fail_pending_requests(self):
        with self._track_lock:
            for mid in self._pending_requests:
                self._pending_requests[mid] = False

    def _c_connect_fail(self, error, reason_code, detail):
        # `detail`: the engine's description of this failure (ouzel.aio reports it).
        self._last_connect_error = detail
        self._fail_pending_requests()
        if reason_code >= 0:
            # The broker refused the connection: paho reports the CONNACK to on_connect, then the
            # closed connection to on_disconnect.
            self._mqttv5_first_connect = False
            v5 = self._protocol == MQTTv5
            self._easy_log(MQTT_LOG_DEBUG, "Received CONNACK (%s, %s)", 0, reason_code)
            self._deliver_connect(reason_code, 0,
                                  Properties(PacketTypes.CONNACK) if v5 else None)
            rc = MQTT_ERR_CONN_REFUSED if 0 < reason_code < 6 else MQTT_ERR_PROTOCOL
            user_closing = self._state in (_CS.MQTT_CS_DISCONNECTING, _CS.MQTT_CS_DISCONNECTED)
            if not user_closing:
                self._state = _CS.MQTT_CS_CONNECTION_LOST
            self._deliver_disconnect(False, MQTT_ERR_SUCCESS if user_closing else rc)
            return
        with self._track_lock:
            suppressed = self._suppress_connect_fail > 0
            if suppressed:
                self._suppress_connect_fail -= 1
        if suppressed:
            return  # the blocking connect() already raised it
        if self._state == _CS.MQTT_CS_DISCONNECTING:
            # disconnect() before the CONNACK: paho reports the end of that connection.
            self._state = _CS.MQTT_CS_DISCONNECTED
            if error == C.ECLOSED:
                self._deliver_disconnect(False, MQTT_ERR_SUCCESS)
            return
        if error == C.ECLOSED and self._state in (_CS.MQTT_CS_CONNECTING,):
            return  # an attempt replaced by reconnect()
        if error == C.EPROTOCOL or "CONNACK" in detail or "broke the protocol" in detail:
            # CONNECT was sent: paho reports the end of that connection to on_disconnect (a
            # missing CONNACK as a keepalive timeout), not to on_connect_fail.
            if error == C.EPROTOCOL:
                rc = MQTT_ERR_PROTOCOL
            elif error == C.ETIMEDOUT:
                rc = MQTT_ERR_KEEPALIVE
            else:
                rc = MQTT_ERR_CONN_LOST
            self._state = _CS.MQTT_CS_CONNECTION_LOST
            self._deliver_disconnect(False, rc)
            return
        self._handle_on_connect_fail()

    def _deliver_disconnect(self, from_server, rc, reason=None, properties=None):
        with self._callback_mutex:
            func = self.on_disconnect
        if not func:
            return
        if self._callback_api_version == CallbackAPIVersion.VERSION1:
            if self._protocol == MQTTv5:
                if from_server:
                    self._user("on_disconnect", func, reason, properties)
                else:
                    self._user("on_disconnect", func, rc, None)
            else:
                self._user("on_disconnect", func, rc)
        else:
            if reason is None:
                reason = convert_disconnect_error_code_to_reason_code(rc)
            if properties is None:
                properties = Properties(PacketTypes.DISCONNECT)
            self._user("on_disconnect", func, DisconnectFlags(from_server), reason, properties)

    def _c_disconnect(self, error, reason_code, by_server, props):
        self._fail_pending_requests()
        if error == C.ECLOSED and not by_server:
            # Dropped by reconnect(): paho closes the old socket without on_disconnect.
            return
        user_closing = self._state in (_CS.MQTT_CS_DISCONNECTING, _CS.MQTT_CS_DISCONNECTED)
        if by_server and self._protocol == MQTTv5:
            self._state = _CS.MQTT_CS_DISCONNECTED if user_closing else \
                _CS.MQTT_CS_CONNECTION_LOST
            reason = ReasonCode(PacketTypes.DISCONNECT, identifier=reason_code)
            properties = _engine.read_properties(self._lib, props, PacketTypes.DISCONNECT)
            self._easy_log(MQTT_LOG_DEBUG, "Received DISCONNECT %s %s", reason, properties)
            self._deliver_disconnect(True, MQTT_ERR_SUCCESS, reason, properties)
            return
        if user_closing or error == C.OK:
            rc = MQTT_ERR_SUCCESS
            self._state = _CS.MQTT_CS_DISCONNECTED
        else:
            if reason_code == 0x8D:
                rc = MQTT_ERR_KEEPALIVE
            elif error == C.EPROTOCOL:
                rc = MQTT_ERR_PROTOCOL
            else:
                rc = MQTT_ERR_CONN_LOST
            self._state = _CS.MQTT_CS_CONNECTION_LOST
        self._deliver_disconnect(False, rc)

    def _c_message(self, topic_ptr, topic_len, payload_ptr, payload_len, qos, mid, dup, retain,
                   props):
        """A MESSAGE event (pointers valid until its batch is released). True when the engine
        is to acknowledge it on release: QoS 1/2, automatic acks, and no handler failed."""
        topic = ctypes.string_at(topic_ptr, topic_len) if topic_len else b""
        payload = ctypes.string_at(payload_ptr, payload_len) if payload_len else b""
        # Every slot set once (MQTTMessage.__init__ would set most of them twice).
        message = _new_message(MQTTMessage)
        message.timestamp = time_func()
        message.state = mqtt_ms_wait_for_pubrel if qos == 2 else mqtt_ms_invalid
        message.dup = dup != 0
        message.mid = mid
        message._topic = topic
        message.payload = payload
        message.qos = qos
        message.retain = retain != 0
        message._info = None
        message.properties = (_engine.read_properties(self._lib, props, PacketTypes.PUBLISH)
                              if self._v5 else None)
        if self._logging:
            try:
                print_topic = topic.decode("utf-8")
            except UnicodeDecodeError:
                print_topic = f"TOPIC WITH INVALID UTF-8: {topic!r}"
            self._easy_log(MQTT_LOG_DEBUG, "Received PUBLISH (d%d, q%d, r%d, m%d), '%s', ...  "
                           "(%d bytes)", message.dup, qos, message.retain, mid, print_topic,
                           len(payload))
        if self._has_topic_callbacks:
            ok = self._handle_on_message(message)
        else:
            ok = True
            on_message = self.on_message
            if on_message is not None:
                previous = self._callback_thread
                self._callback_thread = threading.get_ident()
                try:
                    on_message(self, self._userdata, message)
                except Exception as err:  # noqa: BLE001
                    self._easy_log(MQTT_LOG_ERR, "Caught exception in on_message: %s", err)
                    if not self.suppress_exceptions:
                        self._defer_exception(err)
                        ok = False
                finally:
                    self._callback_thread = previous
        return ok and not self._manual_ack

    def _handle_on_message(self, message):
        """Runs the topic callbacks that match, or on_message; False when one raised."""
        try:
            topic = message.topic
        except UnicodeDecodeError:
            topic = None
        with self._callback_mutex:
            matched = (list(self._on_message_filtered.iter_match(topic))
                       if topic is not None else [])
            on_message = self.on_message if not matched else None
        ok = True
        with self._in_callback():
            for callback in matched:
                try:
                    callback(self, self._userdata, message)
                except Exception as err:  # noqa: BLE001
                    self._easy_log(MQTT_LOG_ERR, "Caught exception in user defined callback "
                                   "function %s: %s", getattr(callback, "__name__", callback),
                                   err)
                    if not self.suppress_exceptions:
                        self._defer_exception(err)
                        ok = False
        if on_message:
            ok = self._user("on_message", on_message, message) and ok
        return ok

    def _c_publish(self, token, qos, state, drop_reason, mid, reason_code, props):
        # Per completion (every QoS 0 message too): nothing that is not needed.
        if state == C.DELIVERY_ACKNOWLEDGED:
            packet = PacketTypes.PUBCOMP if qos == 2 else PacketTypes.PUBACK
        elif state == C.DELIVERY_DROPPED and drop_reason == C.DROP_REJECTED:
            packet = PacketTypes.PUBREC if qos == 2 else PacketTypes.PUBACK
        else:
            return  # expired or dropped: no acknowledgement to report (see MQTTMessageInfo)
        if self._logging:
            self._easy_log(MQTT_LOG_DEBUG, "Received %s (Mid: %d)",
                           "PUBCOMP" if packet == PacketTypes.PUBCOMP else "PUBACK", mid)
        func = self._on_publish
        if not func:
            return
        if self._callback_api_version == CallbackAPIVersion.VERSION1:
            self._user("on_publish", func, mid)
            return
        reason = ReasonCode(packet, identifier=reason_code)
        properties = (_engine.read_properties(self._lib, props, packet) if self._v5
                      else Properties(packet))
        self._user("on_publish", func, mid, reason, properties)

    def _request_answered(self, mid):
        with self._track_lock:
            return self._pending_requests.pop(mid, True)

    def _c_subscribe(self, mid, codes, count, props):
        if not self._request_answered(mid) or count == 0:
            return  # no SUBACK will come (the connection closed first)
        granted = tuple(codes[i] for i in range(count))
        self._easy_log(MQTT_LOG_DEBUG, "Received SUBACK")
        with self._callback_mutex:
            func = self.on_subscribe
        if not func:
            return
        v5 = self._protocol == MQTTv5
        properties = _engine.read_properties(self._lib, props, PacketTypes.SUBACK)
        if self._callback_api_version == CallbackAPIVersion.VERSION1 and not v5:
            self._user("on_subscribe", func, mid, granted)
            return
        reasons = [ReasonCode(PacketTypes.SUBACK, identifier=c) for c in granted]
        self._user("on_subscribe", func, mid, reasons, properties)

    def _c_unsubscribe(self, mid, codes, count, props):
        if not self._request_answered(mid):
            return
        v5 = self._protocol == MQTTv5
        if v5 and count == 0:
            return
        self._easy_log(MQTT_LOG_DEBUG, "Received UNSUBACK (Mid: %d)", mid)
        with self._callback_mutex:
            func = self.on_unsubscribe
        if not func:
            return
        reasons = [ReasonCode(PacketTypes.UNSUBACK, identifier=codes[i]) for i in range(count)]
        properties = _engine.read_properties(self._lib, props, PacketTypes.UNSUBACK)
        if self._callback_api_version == CallbackAPIVersion.VERSION1:
            if v5:
                self._user("on_unsubscribe", func, mid, properties,
                           reasons[0] if len(reasons) == 1 else reasons)
            else:
                self._user("on_unsubscribe", func, mid)
            return
        self._user("on_unsubscribe", func, mid, reasons, properties)

    # --- Callback properties and decorators ---------------------------------------------------

    def _callback_property(name, on_set=None):  # noqa: N805 - a helper run at class creation
        attr = "_" + name

        def getter(self):
            return getattr(self, attr)

        def setter(self, func):
            with self._callback_mutex:
                setattr(self, attr, func)
            if on_set is not None:
                on_set(self)

        return property(getter, setter, doc=f"The {name} callback (see paho's documentation).")

    on_log = _callback_property("on_log", _update_log_registration)
    on_pre_connect = _callback_property("on_pre_connect")
    on_connect = _callback_property("on_connect")
    on_connect_fail = _callback_property("on_connect_fail")
    on_subscribe = _callback_property("on_subscribe")
    on_message = _callback_property("on_message")
    on_publish = _callback_property("on_publish", _update_publish_registration)
    on_unsubscribe = _callback_property("on_unsubscribe")
    on_disconnect = _callback_property("on_disconnect")
    on_socket_open = _callback_property("on_socket_open")
    on_socket_close = _callback_property("on_socket_close")
    on_socket_register_write = _callback_property("on_socket_register_write")
    on_socket_unregister_write = _callback_property("on_socket_unregister_write")
    del _callback_property

    def _decorator(name):  # noqa: N805
        def method(self):
            def decorator(func):
                setattr(self, name, func)
                return func
            return decorator
        method.__name__ = name[3:] + "_callback"
        return method

    log_callback = _decorator("on_log")
    pre_connect_callback = _decorator("on_pre_connect")
    connect_callback = _decorator("on_connect")
    connect_fail_callback = _decorator("on_connect_fail")
    subscribe_callback = _decorator("on_subscribe")
    message_callback = _decorator("on_message")
    publish_callback = _decorator("on_publish")
    unsubscribe_callback = _decorator("on_unsubscribe")
    disconnect_callback = _decorator("on_disconnect")
    socket_open_callback = _decorator("on_socket_open")
    socket_close_callback = _decorator("on_socket_close")
    socket_register_write_callback = _decorator("on_socket_register_write")
    socket_unregister_write_callback = _decorator("on_socket_unregister_write")
    del _decorator

    # --- Beyond paho: delivery state and metrics ----------------------------------------------

    def persistence_report(self):
        """What the durable store held when the client was created (``persistence=`` path):
        a dict with enabled, created, truncated, records, discarded_bytes, outgoing, incoming
        and summary."""
        r = C.PersistenceReport()
        self._lib.persistence_report_init(ctypes.byref(r), C.PERSISTENCE_REPORT_VERSION)
        self._check_call(self._lib.client_persistence_report(self._c, ctypes.byref(r)))
        return {"enabled": bool(r.enabled), "created": bool(r.created),
                "truncated": bool(r.truncated), "records": r.records,
                "discarded_bytes": r.discarded_bytes, "outgoing": r.outgoing,
                "incoming": r.incoming, "summary": (r.summary or b"").decode()}

    @property
    def auto_topic_alias(self):
        """MQTT 5: give repeated topics aliases automatically (up to the broker's Topic Alias
        Maximum), so PUBLISH packets carry two bytes instead of the topic."""
        return self._auto_topic_alias

    @auto_topic_alias.setter
    def auto_topic_alias(self, value):
        self._auto_topic_alias = bool(value)
        self._push_options()

    def stats(self):
        """Engine counters: messages and bytes sent/received, inflight, queued, reconnects."""
        out = {}
        value = ctypes.c_int64()
        for name, which in (("messages_sent", C.STAT_MESSAGES_SENT),
                            ("messages_received", C.STAT_MESSAGES_RECEIVED),
                            ("bytes_sent", C.STAT_BYTES_SENT),
                            ("bytes_received", C.STAT_BYTES_RECEIVED),
                            ("inflight", C.STAT_INFLIGHT), ("queued", C.STAT_QUEUED),
                            ("reconnects", C.STAT_RECONNECTS),
                            ("last_disconnect_reason", C.STAT_LAST_DISCONNECT_REASON)):
            if self._lib.client_stat(self._c, which, ctypes.byref(value)) == C.OK:
                out[name] = value.value
        return out
