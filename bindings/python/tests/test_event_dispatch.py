"""The binding takes its events from the engine's event queue (ouzel/events.h) and runs paho's
callbacks where paho runs them: on the loop_start thread, on the thread calling loop(), inside
loop_read()/loop_misc() of an external loop, inside publish() when no loop runs; acknowledgements
leave only for messages whose callback succeeded. Against a real Mosquitto."""

import select
import threading

import ouzel.mqtt.client as mqtt
from conftest import TIMEOUT, wait_for

V2 = mqtt.CallbackAPIVersion.VERSION2
CALLBACKS = ("on_connect", "on_subscribe", "on_message", "on_publish", "on_disconnect")


class Threads:
    """Records the thread every callback ran on."""

    def __init__(self, client):
        self.lock = threading.Lock()
        self.seen = []  # (callback name, thread ident)
        for name in CALLBACKS:
            setattr(client, name, self._make(name))

    def _make(self, name):
        def callback(*args):
            with self.lock:
                self.seen.append((name, threading.get_ident()))
        return callback

    def count(self, name):
        with self.lock:
            return sum(1 for n, _ in self.seen if n == name)

    def threads(self):
        with self.lock:
            return {t for _, t in self.seen}


def test_loop_start_every_callback_on_the_loop_thread(broker):
    c = mqtt.Client(V2, client_id="ed-thread")
    t = Threads(c)
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    loop_thread = c._thread.ident
    assert wait_for(lambda: t.count("on_connect") == 1)
    c.subscribe("ed/thread", 1)
    assert wait_for(lambda: t.count("on_subscribe") == 1)
    for q in (0, 1, 2):
        c.publish("ed/thread", b"x", q)
    assert wait_for(lambda: t.count("on_message") == 3 and t.count("on_publish") == 3)
    c.disconnect()
    assert wait_for(lambda: t.count("on_disconnect") == 1)
    c.loop_stop()
    assert t.threads() == {loop_thread}


def test_loop_callbacks_run_inside_loop_on_the_calling_thread(broker):
    c = mqtt.Client(V2, client_id="ed-loop")
    t = Threads(c)
    c.connect("127.0.0.1", broker.port)
    me = threading.get_ident()
    for _ in range(200):
        c.loop(0.05)
        if t.count("on_connect"):
            break
    c.subscribe("ed/loop", 1)
    c.publish("ed/loop", b"x", 1)
    for _ in range(400):
        if t.count("on_message") and t.count("on_publish"):
            break
        c.loop(0.05)
    assert t.count("on_message") == 1 and t.count("on_publish") == 1
    assert t.threads() == {me}
    c.disconnect()


def test_external_loop_callbacks_inside_loop_read_and_misc(broker):
    c = mqtt.Client(V2, client_id="ed-external")
    t = Threads(c)
    c.connect("127.0.0.1", broker.port)
    me = threading.get_ident()

    def turn():
        sock = c.socket()
        if sock is None:
            return
        r, w, _ = select.select([sock], [sock] if c.want_write() else [], [], 0.05)
        if r:
            c.loop_read()
        if w:
            c.loop_write()
        c.loop_misc()

    for _ in range(400):
        turn()
        if t.count("on_connect"):
            break
    c.subscribe("ed/ext", 2)
    c.publish("ed/ext", b"x", 2)
    for _ in range(400):
        if t.count("on_message") and t.count("on_publish"):
            break
        turn()
    assert t.count("on_message") == 1 and t.count("on_publish") == 1
    assert t.threads() == {me}


def test_qos0_on_publish_inside_publish_without_a_loop(broker):
    c = mqtt.Client(V2, client_id="ed-inline")
    t = Threads(c)
    c.connect("127.0.0.1", broker.port)
    for _ in range(200):
        c.loop(0.05)
        if t.count("on_connect"):
            break
    info = c.publish("ed/inline", b"x", 0)
    assert info.is_published()
    assert t.count("on_publish") == 1  # as paho: written, and reported, inside the call
    c.disconnect()


def test_many_completions_each_reported_once_in_order(broker):
    c = mqtt.Client(V2, client_id="ed-many")
    mids = []
    done = threading.Event()
    n = 5000

    def on_publish(client, userdata, mid, reason, properties):
        mids.append(mid)
        if len(mids) == n + 1:
            done.set()

    c.on_publish = on_publish
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    assert wait_for(c.is_connected)
    sent = [c.publish("ed/many", b"x" * 64, 0).mid for _ in range(n)]
    sent.append(c.publish("ed/many", b"x", 1).mid)
    assert done.wait(TIMEOUT)
    c.disconnect()
    c.loop_stop()
    assert mids == sent


def test_wait_for_publish_inside_a_callback_does_not_wait_for_itself(broker):
    c = mqtt.Client(V2, client_id="ed-wait")
    result = {}

    def on_connect(client, userdata, flags, reason, properties):
        info = client.publish("ed/wait", b"x", 1)
        info.wait_for_publish()  # no timeout: would hang if it waited for this very loop
        result["returned"] = True

    c.on_connect = on_connect
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    assert wait_for(lambda: result.get("returned"))
    c.disconnect()
    c.loop_stop()


def test_failed_on_message_is_not_acknowledged_and_comes_again(broker):
    # A persistent session: a message whose callback raised (the exception leaves loop(), as
    # in paho) is sent again on reconnection; one that was handled is not.
    c = mqtt.Client(V2, client_id="ed-fail", clean_session=False)
    got = []

    def on_message(client, userdata, message):
        got.append((message.payload, message.dup))
        if message.payload == b"bad" and not message.dup:
            raise RuntimeError("handler failed")

    def run_until(predicate):
        for _ in range(int(TIMEOUT / 0.05)):
            if predicate():
                return True
            try:
                c.loop(0.05)
            except RuntimeError as e:
                assert str(e) == "handler failed"
        return predicate()

    c.on_message = on_message
    c.on_subscribe = lambda *a: got.append("subscribed")
    c.connect("127.0.0.1", broker.port)
    assert run_until(c.is_connected)
    c.subscribe("ed/fail", 1)
    assert run_until(lambda: "subscribed" in got)
    got.clear()
    pub = mqtt.Client(V2, client_id="ed-fail-pub")
    pub.connect("127.0.0.1", broker.port)
    pub.loop_start()
    pub.publish("ed/fail", b"bad", 1).wait_for_publish(TIMEOUT)
    assert run_until(lambda: len(got) == 1)
    c.reconnect()
    assert run_until(lambda: len(got) == 2)
    assert got == [(b"bad", False), (b"bad", True)]
    pub.publish("ed/fail", b"good", 1).wait_for_publish(TIMEOUT)
    assert run_until(lambda: len(got) == 3)
    # The broker has read the acknowledgement of "good" once a later publish of ours is
    # acknowledged; only then drop the connection.
    sync = c.publish("ed/sync", b"s", 1)
    assert run_until(sync.is_published)
    c.reconnect()
    assert run_until(c.is_connected)
    for _ in range(20):  # a second on the new connection: nothing comes again
        c.loop(0.05)
    assert len(got) == 3, got
    c.disconnect()
    pub.disconnect()
    pub.loop_stop()
