"""The Client's engine events, pulled from the engine's event queue (ouzel/events.h) in batches
by the thread that runs the loop, and handed to the Client's handlers in protocol order, so paho's
callbacks run where paho runs them (the loop_start thread, the thread calling loop() or
loop_forever(), inside loop_read/loop_write/loop_misc) without one C-to-Python crossing per event.
Private to ``ouzel.mqtt``.
"""

import ctypes
import struct
import threading

from .. import _capi as C

# ouzel_event version 1, field by field (native sizes, no padding: the C struct has none).
_LAYOUT = struct.Struct("=I13iQ11Q")
assert _LAYOUT.size == ctypes.sizeof(C.Event)
_BATCH = 256


class EventPump:
    """Drains a client's event queue into its handlers. ``pump()`` is called by whichever thread
    drives the loop; batches are dispatched one at a time (a lock), so callbacks never overlap."""

    __slots__ = ("_client", "_engine", "_handle", "_poll", "_release", "_lock", "_depth",
                 "_events", "_view", "_max", "_count")

    def __init__(self, client, engine, lib, handle, keep_gil):
        self._client = client  # a weakref.proxy: the Client owns the pump
        self._engine = engine  # its _Engine: `dispatching` names the thread running callbacks
        self._handle = handle
        # A poll that does not wait returns at once: the GIL can stay held. A release may write
        # acknowledgements to a durable store (keep_gil False then).
        self._poll = lib.raw("client_poll_events", keep_gil=True)
        self._release = lib.raw("client_release_events", keep_gil=keep_gil)
        self._lock = threading.RLock()
        self._depth = 0
        self._events, self._view = _new_batch()
        self._max = ctypes.c_size_t(_BATCH)
        self._count = ctypes.c_size_t()

    def pump(self):
        """Dispatches every event waiting now; returns how many. Exceptions from handlers are
        deferred by the client (``_defer_exception``), never raised here."""
        with self._lock:
            self._depth += 1
            previous = self._engine.dispatching
            self._engine.dispatching = threading.get_ident()
            try:
                # A handler that drives the loop again (loop() inside a callback) gets its own
                # array: the outer batch is still being read.
                events, view = (self._events, self._view) if self._depth == 1 else _new_batch()
                total = 0
                while True:
                    n = self._poll(self._handle, events, self._max, 0)
                    if n <= 0:
                        return total
                    total += n
                    try:
                        self._dispatch(events, view, n)
                    finally:
                        self._count.value = n
                        self._release(self._handle, events, self._count)
                    if n < _BATCH:
                        return total
            finally:
                self._engine.dispatching = previous
                self._depth -= 1

    def _dispatch(self, events, view, n):
        c = self._client
        for i, e in enumerate(_LAYOUT.iter_unpack(view[:n * _LAYOUT.size])):
            (_, kind, error, reason_code, session_present, by_server, mid, qos, retain, dup,
             state, drop_reason, level, _, token, topic, topic_len, payload, payload_len, _,
             props, codes, code_count, text, text_len, _) = e
            try:
                if kind == C.EVENT_PUBLISH_DONE:
                    if c._on_publish_registered:
                        c._c_publish(token, qos, state, drop_reason, mid, reason_code, props)
                elif kind == C.EVENT_MESSAGE:
                    if c._c_message(topic, topic_len, payload, payload_len, qos, mid, dup,
                                    retain, props) and qos:
                        events[i].ack_on_release = 1
                elif kind == C.EVENT_CONNECTED:
                    c._c_connect(reason_code, session_present, props)
                elif kind == C.EVENT_CONNECT_FAILED:
                    c._c_connect_fail(error, reason_code, _text(text, text_len))
                elif kind == C.EVENT_DISCONNECTED:
                    c._c_disconnect(error, reason_code, by_server, props)
                elif kind == C.EVENT_SUBSCRIBE_DONE:
                    c._c_subscribe(mid, C.string_at(codes, code_count), code_count, props)
                elif kind == C.EVENT_UNSUBSCRIBE_DONE:
                    c._c_unsubscribe(mid, C.string_at(codes, code_count), code_count, props)
                elif kind == C.EVENT_LOG:
                    c._c_log(level, C.string_at(text, text_len))
            except BaseException as exc:  # noqa: BLE001 - the rest of the batch still runs
                c._defer_exception(exc)


def _new_batch():
    events = (C.Event * _BATCH)()
    events[0].version = C.EVENT_VERSION
    return events, memoryview(events).cast("B")


def _text(address, size):
    return C.string_at(address, size).decode("utf-8", "replace")
