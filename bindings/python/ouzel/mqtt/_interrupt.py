"""Ctrl-C in ``loop_forever()``: Python runs signal handlers only between bytecodes of the main
thread, and that thread is inside the engine's loop (``ouzel_client_loop``, one iteration at a
time, waiting up to a second). While a main-thread loop runs,
Python's signal wakeup descriptor (``signal.set_wakeup_fd``) is a socket the engine's loop also
watches (``OUZEL_OPT_LOOP_INTERRUPT_FD``): a signal makes the C loop return, Python runs the
handler (``KeyboardInterrupt``), however late in the loop's iteration the signal came. Private to
``ouzel.mqtt``.
"""

import os
import signal
import socket
import threading

_lock = threading.Lock()
_pair = None  # (read end, write end), made once per process when first needed
_depth = 0  # main-thread loops running (a loop_forever inside another client's callback)
_previous_fd = -1  # the wakeup descriptor set before ours (asyncio's), restored at the end


def _sockets():
    global _pair
    if _pair is None:
        r, w = socket.socketpair()
        r.setblocking(False)
        w.setblocking(False)
        _pair = (r, w)
    return _pair


class MainThreadWakeup:
    """``with MainThreadWakeup() as fd:`` — `fd` is the descriptor for the engine to watch, or -1
    when not on the main thread (signals never reach other threads' Python code)."""

    def __init__(self):
        self._active = False

    def __enter__(self):
        global _depth, _previous_fd
        if threading.current_thread() is not threading.main_thread():
            return -1
        with _lock:
            r, w = _sockets()
            if _depth == 0:
                try:
                    _previous_fd = signal.set_wakeup_fd(w.fileno(), warn_on_full_buffer=False)
                except ValueError:  # not the main interpreter
                    return -1
            _depth += 1
        self._active = True
        return r.fileno()

    def drain(self):
        """Empties the socket (the loop returns while it holds bytes), passing the signal numbers
        on to the previous wakeup descriptor so that its owner still sees them."""
        if not self._active:
            return
        r, _ = _sockets()
        while True:
            try:
                data = r.recv(512)
            except (BlockingIOError, InterruptedError):
                return
            if not data:
                return
            if _previous_fd >= 0:
                try:
                    os.write(_previous_fd, data)
                except OSError:  # full or closed: its owner no longer listens
                    pass

    def __exit__(self, *exc):
        global _depth, _previous_fd
        if not self._active:
            return
        self.drain()
        self._active = False
        with _lock:
            _depth -= 1
            if _depth == 0:
                signal.set_wakeup_fd(_previous_fd)
                _previous_fd = -1
