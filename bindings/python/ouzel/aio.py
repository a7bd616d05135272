"""An asyncio MQTT client on Ouzel's engine (beyond paho's API).

    import ouzel.aio

    async with ouzel.aio.Client("broker.example", client_id="sensor-7") as client:
        await client.subscribe("commands/#", qos=1)
        await client.publish("sensors/7", b"21.5", qos=1)   # returns once acknowledged
        async for message in client.messages:
            print(message.topic, message.payload)

The engine runs inside the event loop (its external-loop mode): the socket and the engine's wake
descriptor are watched with ``loop.add_reader`` / ``add_writer`` and its timers with
``loop.call_at``; there is no extra thread, and every callback runs on the event loop.

Messages are ``ouzel.mqtt.client.MQTTMessage`` objects; properties, reason codes and subscribe
options are the ``ouzel.mqtt`` classes. Errors: ``MqttError`` (refused connection, failed
subscription, lost connection while waiting, rejected publish) and the OSError a failed TCP/TLS
connection gives.
"""

import asyncio
import ctypes

from . import _capi as C
from .mqtt import client as _mqtt
from .mqtt.packettypes import PacketTypes
from .mqtt.properties import Properties
from .mqtt.reasoncodes import ReasonCode
from .mqtt.subscribeoptions import SubscribeOptions

__all__ = ["Client", "MqttError", "Message", "Properties", "ReasonCode", "SubscribeOptions",
           "PacketTypes"]

Message = _mqtt.MQTTMessage


class MqttError(Exception):
    """An MQTT-level failure: ``reason`` is a ReasonCode (or an MQTTErrorCode) when known."""

    def __init__(self, message, reason=None):
        super().__init__(message)
        self.reason = reason


class _Messages:
    """``async for message in client.messages``; ends when the client disconnects."""

    def __init__(self, client):
        self._client = client

    def __aiter__(self):
        return self

    async def __anext__(self):
        item = await self._client._queue.get()
        if item is None:
            self._client._queue.put_nowait(None)  # wake other iterators too
            raise StopAsyncIteration
        return item


class Client:
    """An MQTT client for asyncio. Arguments as ``ouzel.mqtt.client.Client`` plus where to
    connect; ``protocol`` defaults to MQTT 5.

    ``tls``: None, True (system CAs), or an ``ssl.SSLContext``/kwargs dict as paho's
    ``tls_set_context``/``tls_set``. ``will``: a dict of ``will_set`` arguments.
    ``queue_size``: received messages kept for ``messages`` (0 = unbounded).
    """

    def __init__(self, hostname, port=1883, *, client_id="", protocol=_mqtt.MQTTv5,
                 clean_start=_mqtt.MQTT_CLEAN_START_FIRST_ONLY, clean_session=None,
                 keepalive=60, username=None, password=None, will=None, tls=None,
                 transport="tcp", properties=None, connect_timeout=30.0, queue_size=0):
        self._hostname = hostname
        self._port = port
        self._keepalive = keepalive
        self._clean_start = clean_start if protocol == _mqtt.MQTTv5 else \
            _mqtt.MQTT_CLEAN_START_FIRST_ONLY
        self._connect_properties = properties
        self._connect_timeout = connect_timeout
        self._queue_size = queue_size
        c = _mqtt.Client(_mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         clean_session=clean_session, protocol=protocol, transport=transport,
                         reconnect_on_failure=False)
        if username is not None:
            c.username_pw_set(username, password)
        if will:
            c.will_set(**will)
        if tls is True:
            c.tls_set()
        elif isinstance(tls, dict):
            c.tls_set(**tls)
        elif tls is not None:
            c.tls_set_context(tls)
        self._c = c
        self._lib = c._lib
        self._loop = None
        self._queue = None
        self._pending = {}  # mid -> future (SUBSCRIBE, UNSUBSCRIBE, QoS 1/2 PUBLISH)
        self._qos0 = {}  # mid -> future of a QoS 0 publish (done when written)
        self._connected = None
        self._disconnected = None
        self._sock_fd = -1
        self._writing = False
        self._timer = None
        self._closing = False

    @property
    def paho(self):
        """The underlying ``ouzel.mqtt.client.Client`` (its settings, stats(), ...)."""
        return self._c

    @property
    def messages(self):
        return _Messages(self)

    # --- Driving the engine from the event loop ------------------------------------------------

    def _drive(self, call):
        if self._loop is None:
            return
        call(self._c._c)
        self._c._pump.pump()  # the events the call queued: the callbacks below run now
        self._c._reraise()
        self._arm_timer()

    def _misc(self):
        self._drive(self._lib.client_loop_misc)

    def _read(self):
        self._drive(self._lib.client_loop_read)

    def _write(self):
        self._drive(self._lib.client_loop_write)
        if not self._lib.client_want_write(self._c._c):
            self._stop_writing()

    def _arm_timer(self):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        ms = self._lib.client_next_timeout_ms(self._c._c)
        if ms >= 0:
            self._timer = self._loop.call_later(ms / 1000.0, self._misc)

    def _start_writing(self):
        if self._sock_fd >= 0 and not self._writing:
            self._writing = True
            self._loop.add_writer(self._sock_fd, self._write)

    def _stop_writing(self):
        if self._writing:
            self._writing = False
            if self._sock_fd >= 0:
                self._loop.remove_writer(self._sock_fd)

    def _install_callbacks(self):
        c = self._c
        c.on_socket_open = self._on_socket_open
        c.on_socket_close = self._on_socket_close
        c.on_socket_register_write = lambda client, ud, sock: self._start_writing()
        c.on_socket_unregister_write = lambda client, ud, sock: self._stop_writing()
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        c.on_message = self._on_message
        c.on_publish = self._on_publish
        c.on_subscribe = self._on_subscribe
        c.on_unsubscribe = self._on_unsubscribe
        c.on_connect_fail = self._on_connect_fail

    def _on_socket_open(self, client, userdata, sock):
        self._sock_fd = sock.fileno()
        self._loop.add_reader(self._sock_fd, self._read)

    def _on_socket_close(self, client, userdata, sock):
        self._stop_writing()
        if self._sock_fd >= 0:
            self._loop.remove_reader(self._sock_fd)
        self._sock_fd = -1

    def _on_connect(self, client, userdata, flags, reason, properties):
        if self._connected is not None and not self._connected.done():
            if reason.is_failure:
                self._connected.set_exception(MqttError(f"connection refused: {reason}", reason))
            else:
                self._connected.set_result((flags, reason, properties))

    def _on_connect_fail(self, client, userdata):
        if self._connected is not None and not self._connected.done():
            detail = self._c._last_connect_error
            self._connected.set_exception(ConnectionError(f"connection failed: {detail}"))

    def _fail_all(self, exc):
        for futures in (self._pending, self._qos0):
            for fut in futures.values():
                if not fut.done():
                    fut.set_exception(exc)
            futures.clear()

    def _on_disconnect(self, client, userdata, flags, reason, properties):
        if self._connected is not None and not self._connected.done():
            self._connected.set_exception(MqttError(f"disconnected: {reason}", reason))
        if not self._closing:
            self._fail_all(MqttError(f"connection lost: {reason}", reason))
        if self._disconnected is not None and not self._disconnected.done():
            self._disconnected.set_result(reason)
        if self._queue is not None:
            self._queue.put_nowait(None)

    def _on_message(self, client, userdata, message):
        if self._queue is not None:
            if self._queue_size and self._queue.qsize() >= self._queue_size:
                self._queue.get_nowait()  # drop the oldest, as a bounded buffer must
            self._queue.put_nowait(message)

    def _on_publish(self, client, userdata, mid, reason, properties):
        fut = self._pending.pop(mid, None) or self._qos0.pop(mid, None)
        if fut is None or fut.done():
            return
        if reason.is_failure:
            fut.set_exception(MqttError(f"publish rejected: {reason}", reason))
        else:
            fut.set_result((reason, properties))

    def _on_subscribe(self, client, userdata, mid, reasons, properties):
        fut = self._pending.pop(mid, None)
        if fut is not None and not fut.done():
            fut.set_result(reasons)

    def _on_unsubscribe(self, client, userdata, mid, reasons, properties):
        fut = self._pending.pop(mid, None)
        if fut is not None and not fut.done():
            fut.set_result(reasons)

    # --- API -----------------------------------------------------------------------------------

    async def connect(self):
        """Connects (DNS, TCP, TLS and MQTT handshakes without blocking the loop); returns
        ``(ConnectFlags, ReasonCode, Properties)`` of the CONNACK."""
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._connected = self._loop.create_future()
        self._disconnected = self._loop.create_future()
        self._closing = False
        self._install_callbacks()
        c = self._c
        c.connect_timeout = self._connect_timeout
        c.connect_async(self._hostname, self._port, self._keepalive,
                        clean_start=self._clean_start, properties=self._connect_properties)
        c._push_options(first_connection=True)
        c._state = _mqtt._CS.MQTT_CS_CONNECTING
        self._loop.add_reader(self._lib.client_wake_fd(c._c), self._misc)
        rc = self._lib.client_connect(c._c)
        if rc != C.OK:
            self._shutdown()
            raise MqttError(self._lib.error_message(rc))
        self._misc()
        try:
            return await asyncio.wait_for(self._connected, self._connect_timeout + 5)
        except BaseException:
            self._shutdown()
            raise

    def _shutdown(self):
        if self._loop is None:
            return
        self._stop_writing()
        if self._sock_fd >= 0:
            self._loop.remove_reader(self._sock_fd)
            self._sock_fd = -1
        self._loop.remove_reader(self._lib.client_wake_fd(self._c._c))
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._loop = None

    async def disconnect(self, reason=None, properties=None):
        """Sends DISCONNECT and waits until the connection is closed."""
        if self._loop is None:
            return
        self._closing = True
        self._fail_all(MqttError("disconnected by the application"))
        rc = self._c.disconnect(reason, properties)
        if rc == _mqtt.MQTT_ERR_SUCCESS:
            self._misc()
            try:
                await asyncio.wait_for(asyncio.shield(self._disconnected), 10)
            except asyncio.TimeoutError:
                pass
        if self._queue is not None:
            self._queue.put_nowait(None)
        self._shutdown()

    async def __aenter__(self):
        await self.connect()
        return self

    async def __aexit__(self, *exc):
        await self.disconnect()

    async def publish(self, topic, payload=None, qos=0, retain=False, properties=None):
        """Publishes and waits until the message is complete (QoS 0: written; 1: PUBACK;
        2: PUBCOMP). Returns ``(ReasonCode, Properties)``; MqttError when the broker rejected
        it (MQTT 5) or the connection was lost first."""
        if self._loop is None:
            raise MqttError("not connected")
        fut = self._loop.create_future()
        info = self._c.publish(topic, payload, qos, retain, properties)
        if info.rc not in (_mqtt.MQTT_ERR_SUCCESS,):
            raise MqttError(f"publish failed: {_mqtt.error_string(info.rc)}", info.rc)
        if info._published or info._refresh():
            if info.rc > 0:
                raise MqttError(f"publish failed: {_mqtt.error_string(info.rc)}", info.rc)
            return ReasonCode(PacketTypes.PUBACK), Properties(PacketTypes.PUBACK)
        (self._pending if qos else self._qos0)[info.mid] = fut
        self._misc()
        return await fut

    def publish_nowait(self, topic, payload=None, qos=0, retain=False, properties=None):
        """Queues a message without waiting; returns its MQTTMessageInfo."""
        if self._loop is None:
            raise MqttError("not connected")
        info = self._c.publish(topic, payload, qos, retain, properties)
        self._misc()
        return info

    async def subscribe(self, topic, qos=0, options=None, properties=None):
        """Subscribes (any form paho's subscribe() takes); returns the list of ReasonCodes."""
        if self._loop is None:
            raise MqttError("not connected")
        rc, mid = self._c.subscribe(topic, qos, options, properties)
        if rc != _mqtt.MQTT_ERR_SUCCESS:
            raise MqttError(f"subscribe failed: {_mqtt.error_string(rc)}", rc)
        fut = self._loop.create_future()
        self._pending[mid] = fut
        self._misc()
        reasons = await fut
        failed = [r for r in reasons if r.is_failure]
        if failed:
            raise MqttError(f"subscription refused: {failed[0]}", failed[0])
        return reasons

    async def unsubscribe(self, topic, properties=None):
        if self._loop is None:
            raise MqttError("not connected")
        rc, mid = self._c.unsubscribe(topic, properties)
        if rc != _mqtt.MQTT_ERR_SUCCESS:
            raise MqttError(f"unsubscribe failed: {_mqtt.error_string(rc)}", rc)
        fut = self._loop.create_future()
        self._pending[mid] = fut
        self._misc()
        return await fut
