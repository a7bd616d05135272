"""What the paho-compatible Client needs from libouzel beyond the raw FFI: owned handles,
properties in both directions, and the mapping from ``OUZEL_E*`` codes to paho's return codes and
exceptions. Private to ``ouzel.mqtt``.
"""

import ctypes
import errno
import socket

from .. import _capi as C
from .enums import MQTTErrorCode
from .packettypes import PacketTypes
from .properties import Properties, _IDENT, _MULTIPLE, _TABLE

_BYTE, _INT16, _INT32, _VBI, _BINARY, _UTF8, _PAIR = range(7)
_INT_KINDS = (_BYTE, _INT16, _INT32, _VBI)
# identifier -> attribute name (no spaces)
_ATTR = {ident: name.replace(" ", "") for ident, (name, _, _) in _TABLE.items()}


class Options:
    """An owned ouzel_options. Setters raise ValueError with the library's explanation."""

    def __init__(self, lib):
        self._lib = lib
        handle = C.options_p()
        _check(lib, lib.options_new(ctypes.byref(handle)))
        self.handle = handle

    def set_int(self, option, value):
        _check(self._lib, self._lib.options_set_int(self.handle, option, int(value)))

    def set_string(self, option, value):
        if value is None:
            _check(self._lib, self._lib.options_set_string(self.handle, option, None, 0))
            return
        if isinstance(value, str):
            value = value.encode("utf-8")
        _check(self._lib, self._lib.options_set_string(self.handle, option, bytes(value),
                                                       len(value)))

    def close(self):
        if self.handle:
            self._lib.options_free(self.handle)
            self.handle = None


def _check(lib, rc):
    if rc != C.OK:
        raise ValueError(lib.error_message(rc))


class OwnedProperties:
    """A temporary ouzel_properties built from a paho Properties; use as a context manager."""

    def __init__(self, lib, props):
        self._lib = lib
        self.handle = None
        if props is None:
            return
        handle = C.properties_p()
        _check(lib, lib.properties_new(ctypes.byref(handle)))
        self.handle = handle
        try:
            fill_properties(lib, handle, props)
        except BaseException:
            self.close()
            raise

    def close(self):
        if self.handle:
            self._lib.properties_free(self.handle)
            self.handle = None

    def __enter__(self):
        return self.handle

    def __exit__(self, *exc):
        self.close()


def _utf8(value):
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def fill_properties(lib, handle, props):
    """Copies every property set on `props` into the C list `handle`."""
    for name, ident in _IDENT.items():
        value = props.__dict__.get(name)
        if value is None:
            continue
        kind = _TABLE[ident][1]
        for item in (value if ident in _MULTIPLE else (value,)):
            if kind in _INT_KINDS:
                rc = lib.properties_set_int(handle, ident, int(item))
            elif kind == _UTF8:
                data = _utf8(item)
                rc = lib.properties_set_string(handle, ident, data, len(data))
            elif kind == _BINARY:
                data = _utf8(item)
                rc = lib.properties_set_binary(handle, ident, data, len(data))
            else:
                key, val = _utf8(item[0]), _utf8(item[1])
                rc = lib.properties_add_user(handle, key, len(key), val, len(val))
            if rc != C.OK:
                raise ValueError(f"property {name}: {lib.error_message(rc)}")


def read_properties(lib, handle, packet_type):
    """A paho Properties holding a copy of the borrowed C list `handle` (may be NULL)."""
    props = Properties(packet_type)
    if not handle:
        return props
    count = lib.properties_count(handle)
    if not count:
        return props
    d = props.__dict__
    ival = ctypes.c_uint32()
    ptr = ctypes.c_void_p()
    size = ctypes.c_size_t()
    ptr2 = ctypes.c_void_p()
    size2 = ctypes.c_size_t()
    for i in range(count):
        ident = lib.properties_id_at(handle, i)
        entry = _TABLE.get(ident)
        if entry is None:
            continue
        kind = entry[1]
        if kind in _INT_KINDS:
            lib.properties_int_at(handle, i, ctypes.byref(ival))
            value = ival.value
        elif kind == _PAIR:
            lib.properties_user_at(handle, i, ctypes.byref(ptr), ctypes.byref(size),
                                   ctypes.byref(ptr2), ctypes.byref(size2))
            value = (C.string_at(ptr.value, size.value).decode("utf-8", "replace"),
                     C.string_at(ptr2.value, size2.value).decode("utf-8", "replace"))
        else:
            lib.properties_bytes_at(handle, i, ctypes.byref(ptr), ctypes.byref(size))
            value = C.string_at(ptr.value, size.value)
            if kind == _UTF8:
                value = value.decode("utf-8", "replace")
        name = _ATTR[ident]
        if ident in _MULTIPLE:
            d.setdefault(name, []).append(value)
        else:
            d[name] = value
    return props


# OUZEL_E* -> the paho return code a loop function reports for it.
_LOOP_RC = {
    C.OK: MQTTErrorCode.MQTT_ERR_SUCCESS,
    C.EWOULDBLOCK: MQTTErrorCode.MQTT_ERR_SUCCESS,
    C.ENOTCONN: MQTTErrorCode.MQTT_ERR_CONN_LOST,
    C.ECLOSED: MQTTErrorCode.MQTT_ERR_CONN_LOST,
    C.EIO: MQTTErrorCode.MQTT_ERR_CONN_LOST,
    C.ETIMEDOUT: MQTTErrorCode.MQTT_ERR_CONN_LOST,
    C.EREFUSED: MQTTErrorCode.MQTT_ERR_CONN_REFUSED,
    C.EPROTOCOL: MQTTErrorCode.MQTT_ERR_PROTOCOL,
    C.ETLS: MQTTErrorCode.MQTT_ERR_TLS,
    C.ENOMEM: MQTTErrorCode.MQTT_ERR_NOMEM,
    C.EINVAL: MQTTErrorCode.MQTT_ERR_INVAL,
    C.ETOOLARGE: MQTTErrorCode.MQTT_ERR_PAYLOAD_SIZE,
    C.ENOTSUP: MQTTErrorCode.MQTT_ERR_NOT_SUPPORTED,
    C.EQUEUEFULL: MQTTErrorCode.MQTT_ERR_QUEUE_SIZE,
}


def loop_rc(rc):
    return _LOOP_RC.get(rc, MQTTErrorCode.MQTT_ERR_UNKNOWN)


def connect_error(lib, rc, host, port):
    """The exception paho's connect() would raise for a failed transport (an OSError subclass,
    ssl.SSLError, or WebsocketConnectionError), from the library's code and message."""
    detail = lib.last_error_message().decode("utf-8", "replace")
    text = f"{lib.strerror(rc).decode()}: {detail}" if detail else lib.strerror(rc).decode()
    low = detail.lower()
    if rc == C.ETIMEDOUT:
        return TimeoutError(errno.ETIMEDOUT, text)
    if rc == C.ENOTFOUND:
        return socket.gaierror(socket.EAI_NONAME, text)
    if rc == C.ETLS:
        import ssl
        if "verif" in low or "certificate" in low:
            return ssl.SSLCertVerificationError(1, text)
        return ssl.SSLError(1, text)
    if rc == C.EPROTOCOL and "websocket" in low:
        from .client import WebsocketConnectionError
        return WebsocketConnectionError(text)
    if "refused" in low or rc == C.EREFUSED:
        return ConnectionRefusedError(errno.ECONNREFUSED, text)
    if "reset" in low:
        return ConnectionResetError(errno.ECONNRESET, text)
    if "unreachable" in low:
        return OSError(errno.EHOSTUNREACH, text)
    if rc == C.EINVAL:
        return ValueError(text)
    return OSError(errno.EIO, text)


class EngineSocket:
    """What ``Client.socket()`` returns: the engine's descriptor for select(), asyncio and
    setsockopt(). It never owns the descriptor: closing it is the engine's job."""

    def __init__(self, fd):
        self._fd = fd

    def fileno(self):
        return self._fd

    def _borrow(self):
        # A socket object over the same descriptor, detached before it can close it.
        return socket.socket(fileno=self._fd)

    def _call(self, name, *args):
        s = self._borrow()
        try:
            return getattr(s, name)(*args)
        finally:
            s.detach()

    def setsockopt(self, *args):
        return self._call("setsockopt", *args)

    def getsockopt(self, *args):
        return self._call("getsockopt", *args)

    def getsockname(self):
        return self._call("getsockname")

    def getpeername(self):
        return self._call("getpeername")

    @property
    def family(self):
        return self._call("__getattribute__", "family")

    def setblocking(self, flag):
        # The engine keeps its socket non-blocking; paho's callers only ever ask for that.
        pass

    def __repr__(self):
        return f"<ouzel engine socket fd={self._fd}>"

    def __eq__(self, other):
        return isinstance(other, EngineSocket) and other._fd == self._fd

    def __hash__(self):
        return hash(("ouzel-socket", self._fd))


def packet_type_for_ack(qos):
    return PacketTypes.PUBCOMP if qos == 2 else PacketTypes.PUBACK
