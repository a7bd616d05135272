"""Topic matching and per-filter message routing by the engine (``ouzel/topic.h``).

paho accepts any string as a filter and walks its own trie; the engine validates filters and
topics first. For what the engine refuses (an invalid filter or topic) paho's ``MQTTMatcher``
still gives paho's answer, so nothing that worked with paho stops working. Shared filters
(``$share/group/f``) match as ``f``, as MQTT says, where paho compared them literally and never
matched them (docs/python-compatibility.md).
"""

import ctypes
import weakref

from .. import _capi as C
from .matcher import MQTTMatcher


def _bytes(s):
    return s if isinstance(s, bytes) else s.encode("utf-8")


def topic_matches_sub(sub, topic):
    """True when `topic` matches the subscription filter `sub` ("a/+" matches "a/b")."""
    s, t = _bytes(sub), _bytes(topic)
    rc = C.lib().topic_matches(s, len(s), t, len(t))
    if rc >= 0:
        return rc == 1
    matcher = MQTTMatcher()
    matcher[sub] = True
    return next(iter(matcher.iter_match(topic)), None) is not None


class TopicCallbacks:
    """The callbacks of ``message_callback_add``, by filter, found through an engine router.

    ``iter_match`` returns them in paho's order (most specific filter first, the router's
    order); callbacks of filters the engine refuses come after, found by paho's matcher.
    Not thread-safe: the client holds its callback lock around every call.
    """

    def __init__(self):
        lib = C.lib()
        self._lib = lib
        router = C.topic_router_p()
        if lib.topic_router_new(ctypes.byref(router)) != C.OK:
            raise MemoryError(lib.error_message(C.ENOMEM))
        self._router = router
        weakref.finalize(self, lib.topic_router_free, router)
        self._ids = {}        # filter -> router id
        self._callbacks = {}  # router id -> callback
        self._next_id = 1
        self._refused = MQTTMatcher()  # filters the engine refuses, as paho keeps them
        self._refused_count = 0
        self._found = (ctypes.c_uint64 * 8)()
        self._total = ctypes.c_size_t()

    def __setitem__(self, sub, callback):
        if sub in self._ids:
            self._callbacks[self._ids[sub]] = callback
            return
        b = _bytes(sub)
        if self._lib.topic_router_add(self._router, b, len(b), self._next_id) == C.OK:
            self._ids[sub] = self._next_id
            self._callbacks[self._next_id] = callback
            self._next_id += 1
            return
        try:
            self._refused[sub]
        except KeyError:
            self._refused_count += 1
        self._refused[sub] = callback

    def __delitem__(self, sub):
        key = self._ids.pop(sub, None)
        if key is not None:
            b = _bytes(sub)
            self._lib.topic_router_remove(self._router, b, len(b), key)
            del self._callbacks[key]
            return
        del self._refused[sub]  # KeyError when absent, as paho's matcher
        self._refused_count -= 1

    def __getitem__(self, sub):
        key = self._ids.get(sub)
        if key is not None:
            return self._callbacks[key]
        return self._refused[sub]

    def iter_match(self, topic):
        t = _bytes(topic)
        found, total = self._found, self._total
        rc = self._lib.topic_router_match(self._router, t, len(t), found, len(found),
                                          ctypes.byref(total))
        if rc == C.OK and total.value > len(found):
            self._found = found = (ctypes.c_uint64 * total.value)()
            rc = self._lib.topic_router_match(self._router, t, len(t), found, len(found),
                                              ctypes.byref(total))
        matched = [self._callbacks[found[i]] for i in range(total.value)] if rc == C.OK else []
        if self._refused_count:
            matched.extend(self._refused.iter_match(topic))
        return matched
