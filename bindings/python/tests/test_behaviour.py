"""What the client does, end to end, against a real Mosquitto: offline queueing, reconnection
after a broker restart, manual acknowledgement, Will, retained messages, request/response, topic
aliases, the helper modules, and every loop mode."""

import os
import select
import subprocess
import sys
import threading
import time

import pytest

import ouzel.mqtt.client as mqtt
from ouzel.mqtt import publish, subscribe
from ouzel.mqtt.packettypes import PacketTypes
from ouzel.mqtt.properties import Properties
from conftest import TIMEOUT, wait_for

V2 = mqtt.CallbackAPIVersion.VERSION2


class Inbox:
    """A subscriber on its own loop thread that collects messages."""

    def __init__(self, port, topic, qos=2, protocol=mqtt.MQTTv311, client_id=None, **kwargs):
        self.messages = []
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self.client = mqtt.Client(V2, client_id=client_id or f"inbox-{id(self)}",
                                  protocol=protocol, **kwargs)
        self.client.on_connect = lambda c, u, f, rc, p: (c.subscribe(topic, qos),
                                                         self.connected.set())
        self.client.on_subscribe = lambda *a: self.subscribed.set()
        self.client.on_message = lambda c, u, m: self.messages.append(m)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        assert self.subscribed.wait(TIMEOUT)

    def payloads(self):
        return [m.payload for m in self.messages]

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def test_offline_publishes_are_sent_in_order_after_connect(broker):
    inbox = Inbox(broker.port, "off/#")
    try:
        c = mqtt.Client(V2, client_id="offline-pub")
        done = []
        c.on_publish = lambda client, ud, mid, rc, p: done.append(mid)
        infos = [c.publish("off/q%d" % (i % 2 + 1), b"m%d" % i, qos=i % 2 + 1)
                 for i in range(20)]
        assert all(i.rc == mqtt.MQTT_ERR_NO_CONN for i in infos)
        assert len({i.mid for i in infos}) == 20
        c.connect("127.0.0.1", broker.port)
        c.loop_start()
        assert wait_for(lambda: len(done) == 20)
        assert sorted(done) == sorted(i.mid for i in infos)
        assert wait_for(lambda: len(inbox.messages) == 20)
        # MQTT orders messages per QoS level (the QoS 2 ones reach on_message at PUBREL).
        for topic, qos in (("off/q1", 1), ("off/q2", 2)):
            got = [m.payload for m in inbox.messages if m.topic == topic]
            assert got == [b"m%d" % i for i in range(20) if i % 2 + 1 == qos]
        c.disconnect()
        c.loop_stop()
    finally:
        inbox.close()


@pytest.mark.parametrize("mode", ["loop_start", "loop"])
def test_resubscribe_in_on_connect_goes_before_what_was_queued_offline(broker, mode):
    # paho runs on_connect before sending what was queued, so a client subscribed to its own
    # topic there receives its offline messages.
    c = mqtt.Client(V2, client_id=f"own-topic-{mode}")
    got = []
    c.on_connect = lambda client, *a: (time.sleep(0.05), client.subscribe("own/#", qos=1))
    c.on_message = lambda client, userdata, m: got.append(m.payload)
    infos = [c.publish("own/t", b"offline %d" % i, qos=1) for i in range(3)]
    c.connect("127.0.0.1", broker.port)
    if mode == "loop_start":
        c.loop_start()
        assert wait_for(lambda: len(got) == 3), got
    else:
        deadline = time.monotonic() + TIMEOUT
        while len(got) < 3 and time.monotonic() < deadline:
            c.loop(0.05)
    assert got == [b"offline 0", b"offline 1", b"offline 2"]
    # (is_published() raises for them, as in paho: publish() reported MQTT_ERR_NO_CONN.)
    assert wait_for(lambda: all(i.delivery_state()[0] == "acknowledged" for i in infos))
    c.disconnect()
    c.loop_stop()


def test_resubscribe_after_broker_restart_goes_before_what_was_queued(make_broker):
    # Home Assistant's pattern: a clean session re-subscribes in on_connect after every
    # reconnection; what was published during the outage must find the new subscription.
    b = make_broker()
    c = mqtt.Client(V2, client_id="resubscriber")
    c.reconnect_delay_set(0.05, 0.2)
    connects, got = [], []
    c.on_connect = lambda client, *a: (connects.append(1), client.subscribe("ha/#", qos=1))
    c.on_message = lambda client, userdata, m: got.append(m.payload)
    c.connect("127.0.0.1", b.port)
    c.loop_start()
    try:
        assert wait_for(lambda: connects)
        b.stop()
        assert wait_for(lambda: not c.is_connected())
        info = c.publish("ha/state", b"during the outage", qos=1)
        b.restart()
        assert wait_for(lambda: len(connects) == 2)
        assert wait_for(lambda: got == [b"during the outage"]), got
        assert wait_for(lambda: info.delivery_state()[0] == "acknowledged")
    finally:
        c.disconnect()
        c.loop_stop()


def test_reconnects_after_broker_restart_and_resumes_session(make_broker):
    b = make_broker(persistence=True)
    connects = []
    sub = mqtt.Client(V2, client_id="restart-sub", clean_session=False)
    sub.reconnect_delay_set(0.05, 0.2)
    got = []
    sub.on_connect = lambda c, u, f, rc, p: (connects.append(f.session_present),
                                             c.subscribe("rs/#", 1))
    sub.on_message = lambda c, u, m: got.append(m.payload)
    sub.connect("127.0.0.1", b.port)
    sub.loop_start()
    try:
        assert wait_for(lambda: len(connects) == 1)
        time.sleep(0.2)
        b.restart()
        assert wait_for(lambda: len(connects) == 2), connects
        assert connects[1] is True  # persistent session kept by the broker's persistence
        publish.single("rs/x", "after", qos=1, hostname="127.0.0.1", port=b.port)
        assert wait_for(lambda: got == [b"after"])
    finally:
        sub.disconnect()
        sub.loop_stop()


def test_qos1_and_qos2_survive_broker_restart_mid_stream(make_broker):
    """At least once for QoS 1, exactly once for QoS 2, across a broker restart."""
    b = make_broker(persistence=True)
    inbox = Inbox(b.port, "ms/#", qos=2, client_id="ms-sub", clean_session=False)
    inbox.client.reconnect_delay_set(0.05, 0.2)
    pub = mqtt.Client(V2, client_id="ms-pub", clean_session=False)
    pub.reconnect_delay_set(0.05, 0.2)
    acked = []
    pub.on_publish = lambda c, u, mid, rc, p: acked.append(mid)
    pub.connect("127.0.0.1", b.port)
    pub.loop_start()
    try:
        n = 200
        for i in range(n):
            pub.publish("ms/q%d" % (1 + i % 2), b"%d" % i, qos=1 + i % 2)
            if i == n // 2:
                b.restart()
        assert wait_for(lambda: len(acked) == n, timeout=TIMEOUT * 2), len(acked)
        q2 = [m.payload for m in inbox.messages if m.topic == "ms/q2"]
        expected_q2 = {b"%d" % i for i in range(n) if i % 2}
        assert wait_for(lambda: {m.payload for m in inbox.messages if m.topic == "ms/q2"}
                        >= expected_q2)
        q2 = [m.payload for m in inbox.messages if m.topic == "ms/q2"]
        assert len(q2) == len(set(q2)), "QoS 2 duplicate"
        q1 = {m.payload for m in inbox.messages if m.topic == "ms/q1"}
        assert q1 >= {b"%d" % i for i in range(n) if not i % 2}
    finally:
        pub.disconnect()
        pub.loop_stop()
        inbox.close()


def test_manual_ack_unacknowledged_message_is_redelivered(broker):
    received = []
    c = mqtt.Client(V2, client_id="manual-ack", clean_session=False, manual_ack=True)
    c.on_message = lambda client, ud, m: received.append(m)
    c.on_connect = lambda client, ud, f, rc, p: client.subscribe("ma/t", 1)
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    try:
        assert wait_for(lambda: c.is_connected())
        time.sleep(0.2)
        publish.single("ma/t", "once", qos=1, hostname="127.0.0.1", port=broker.port)
        assert wait_for(lambda: len(received) == 1)
        assert received[0].dup is False
        c.disconnect()
        c.loop_stop()
        c.connect("127.0.0.1", broker.port)
        c.loop_start()
        assert wait_for(lambda: len(received) == 2), "not redelivered"
        assert received[1].payload == b"once" and received[1].dup is True
        assert c.ack(received[1].mid, 1) == mqtt.MQTT_ERR_SUCCESS
        time.sleep(0.3)
        c.disconnect()
        c.loop_stop()
        c.connect("127.0.0.1", broker.port)
        c.loop_start()
        time.sleep(0.5)
        assert len(received) == 2, "redelivered after the ack"
    finally:
        c.disconnect()
        c.loop_stop()


def test_will_is_published_when_the_process_dies(broker):
    inbox = Inbox(broker.port, "will/#")
    try:
        src = (
            "import os, ouzel.mqtt.client as mqtt\n"
            "c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id='dies')\n"
            "c.will_set('will/dies', 'gone', qos=1, retain=False)\n"
            f"c.connect('127.0.0.1', {broker.port})\n"
            "c.loop(1.0)\nc.loop(0.2)\n"
            "os._exit(0)\n")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        subprocess.run([sys.executable, "-c", src], check=True, timeout=TIMEOUT, env=env)
        assert wait_for(lambda: inbox.payloads() == [b"gone"]), inbox.payloads()
    finally:
        inbox.close()


def test_no_will_after_disconnect(broker):
    inbox = Inbox(broker.port, "nowill/#")
    try:
        c = mqtt.Client(V2, client_id="clean-exit")
        c.will_set("nowill/x", "gone")
        c.connect("127.0.0.1", broker.port)
        c.loop_start()
        assert wait_for(c.is_connected)
        c.disconnect()
        c.loop_stop()
        time.sleep(0.3)
        assert inbox.payloads() == []
    finally:
        inbox.close()


def test_retained_messages_and_subscribe_simple(broker):
    publish.single("ret/t", "kept", qos=1, retain=True, hostname="127.0.0.1", port=broker.port)
    msg = subscribe.simple("ret/t", hostname="127.0.0.1", port=broker.port)
    assert isinstance(msg, mqtt.MQTTMessage)
    assert msg.payload == b"kept" and msg.retain is True and msg.topic == "ret/t"

    result = []

    def later():
        time.sleep(0.5)
        publish.multiple([{"topic": "ret/t", "payload": "fresh", "qos": 1},
                          ("ret/t", "fresh2", 1, False)], hostname="127.0.0.1",
                         port=broker.port)

    t = threading.Thread(target=later)
    t.start()
    result = subscribe.simple("ret/t", msg_count=2, retained=False, hostname="127.0.0.1",
                              port=broker.port)
    t.join()
    assert [m.payload for m in result] == [b"fresh", b"fresh2"]
    assert all(m.retain is False for m in result)
    publish.single("ret/t", None, retain=True, hostname="127.0.0.1", port=broker.port)


def test_publish_multiple_validation():
    with pytest.raises(TypeError, match="msgs must be an iterable"):
        publish.multiple(5)
    with pytest.raises(ValueError, match="msgs is empty"):
        publish.multiple([])
    with pytest.raises(ValueError, match="msg_count must be > 0"):
        subscribe.simple("x", msg_count=0)
    with pytest.raises(ValueError, match="qos must be in the range 0-2"):
        subscribe.callback(print, "x", qos=3)


def test_subscribe_callback_runs_until_the_callback_raises(broker):
    class Stop(Exception):
        pass

    seen = []

    def on_message(client, userdata, message):
        seen.append((userdata, message.payload))
        raise Stop()

    t = threading.Timer(0.5, lambda: publish.single("cbk/t", "go", hostname="127.0.0.1",
                                                     port=broker.port))
    t.start()
    with pytest.raises(Stop):
        subscribe.callback(on_message, ["cbk/t", "cbk/u"], userdata="ud", hostname="127.0.0.1",
                           port=broker.port)
    t.join()
    assert seen == [("ud", b"go")]


def test_request_response_v5(broker):
    responder = mqtt.Client(V2, client_id="responder", protocol=mqtt.MQTTv5)

    def respond(client, userdata, msg):
        props = Properties(PacketTypes.PUBLISH)
        props.CorrelationData = msg.properties.CorrelationData
        client.publish(msg.properties.ResponseTopic, b"re:" + msg.payload, qos=1,
                       properties=props)

    responder.on_message = respond
    responder.on_connect = lambda c, u, f, rc, p: c.subscribe("svc/req", 1)
    ready = threading.Event()
    responder.on_subscribe = lambda *a: ready.set()
    responder.connect("127.0.0.1", broker.port)
    responder.loop_start()
    requester = Inbox(broker.port, "svc/reply/me", qos=1, protocol=mqtt.MQTTv5)
    try:
        assert ready.wait(TIMEOUT)
        props = Properties(PacketTypes.PUBLISH)
        props.ResponseTopic = "svc/reply/me"
        props.CorrelationData = b"\x00id-7"
        props.UserProperty = ("trace", "abc")
        requester.client.publish("svc/req", b"ping", qos=1, properties=props)
        assert wait_for(lambda: requester.messages)
        reply = requester.messages[0]
        assert reply.payload == b"re:ping"
        assert reply.properties.CorrelationData == b"\x00id-7"
    finally:
        requester.close()
        responder.disconnect()
        responder.loop_stop()


def test_manual_topic_alias_v5(broker):
    inbox = Inbox(broker.port, "alias/#", protocol=mqtt.MQTTv5)
    c = mqtt.Client(V2, client_id="aliaser", protocol=mqtt.MQTTv5)
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    try:
        assert wait_for(c.is_connected)
        props = Properties(PacketTypes.PUBLISH)
        props.TopicAlias = 1
        c.publish("alias/long/topic/name", b"first", qos=1, properties=props).wait_for_publish(10)
        c.publish("", b"second", qos=1, properties=props).wait_for_publish(10)
        assert wait_for(lambda: len(inbox.messages) == 2)
        assert [(m.topic, m.payload) for m in inbox.messages] == [
            ("alias/long/topic/name", b"first"), ("alias/long/topic/name", b"second")]
    finally:
        c.disconnect()
        c.loop_stop()
        inbox.close()


def test_loop_mode_on_publish_and_on_disconnect_inside_the_call(broker):
    """Without a loop thread, paho writes QoS 0 at once (on_publish inside publish()) and runs
    on_disconnect inside disconnect()."""
    c = mqtt.Client(V2, client_id="manual-loop")
    events = []
    c.on_publish = lambda client, ud, mid, rc, p: events.append(("publish", mid))
    c.on_disconnect = lambda client, ud, f, rc, p: events.append(("disconnect", str(rc)))
    c.on_connect = lambda *a: events.append(("connect",))
    c.connect("127.0.0.1", broker.port)
    for _ in range(200):
        c.loop(0.05)
        if events:
            break
    assert events == [("connect",)]
    info = c.publish("lm/t", "x", qos=0)
    assert events[-1] == ("publish", info.mid)  # before publish() returned
    assert info.is_published()
    assert c.disconnect() == mqtt.MQTT_ERR_SUCCESS
    assert events[-1] == ("disconnect", "Normal disconnection")
    assert c.loop(0.01) == mqtt.MQTT_ERR_CONN_LOST


def test_loop_does_not_reconnect(broker):
    c = mqtt.Client(V2, client_id="no-reconnect")
    c.connect_async("127.0.0.1", broker.port)
    assert c.loop(0.1) == mqtt.MQTT_ERR_CONN_LOST  # loop() never performs connect_async
    assert c.socket() is None


def test_external_select_loop(broker):
    """The external event loop API: socket(), want_write(), loop_read/write/misc."""
    c = mqtt.Client(V2, client_id="select-loop")
    got = []
    c.on_connect = lambda client, ud, f, rc, p: client.subscribe("sel/t", 1)
    c.on_subscribe = lambda client, ud, mid, rcs, p: client.publish("sel/t", "hi", qos=1)
    c.on_message = lambda client, ud, m: (got.append(m.payload), client.disconnect())
    c.connect("127.0.0.1", broker.port)
    sock = c.socket()
    assert sock is not None and sock.fileno() >= 0
    deadline = time.monotonic() + TIMEOUT
    while c.socket() is not None and time.monotonic() < deadline:
        s = c.socket()
        w = [s] if c.want_write() else []
        readable, writable, _ = select.select([s], w, [], 0.1)
        if readable:
            c.loop_read()
        if writable and c.socket() is not None:
            c.loop_write()
        if c.socket() is not None:
            c.loop_misc()
    assert got == [b"hi"]
    assert c.socket() is None


def test_socket_setsockopt_works(broker):
    import socket as pysocket
    c = mqtt.Client(V2, client_id="sockopt")
    c.connect("127.0.0.1", broker.port)
    s = c.socket()
    s.setsockopt(pysocket.SOL_SOCKET, pysocket.SO_SNDBUF, 8192)
    assert s.getsockopt(pysocket.SOL_SOCKET, pysocket.SO_SNDBUF) >= 8192
    assert s.getpeername()[1] == broker.port
    c.disconnect()


def test_loop_start_before_connect(broker):
    c = mqtt.Client(V2, client_id="start-first")
    connected = threading.Event()
    c.on_connect = lambda *a: connected.set()
    assert c.loop_start() == mqtt.MQTT_ERR_SUCCESS
    assert c.loop_start() == mqtt.MQTT_ERR_INVAL
    try:
        time.sleep(0.2)
        c.connect("127.0.0.1", broker.port)
        assert connected.wait(TIMEOUT)
    finally:
        c.disconnect()
        c.loop_stop()


def test_connect_async_with_loop_start(broker):
    c = mqtt.Client(V2, client_id="async-start")
    connected = threading.Event()
    c.on_connect = lambda *a: connected.set()
    c.connect_async("127.0.0.1", broker.port)
    c.loop_start()
    try:
        assert connected.wait(TIMEOUT)
        assert c.is_connected()
    finally:
        c.disconnect()
        c.loop_stop()
    assert not c.is_connected()


def test_loop_forever_first_connection_failure_raises():
    import socket as pysocket
    with pysocket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = mqtt.Client(V2, client_id="lf-fail")
    fails = []
    c.on_connect_fail = lambda client, ud: fails.append(1)
    c.connect_async("127.0.0.1", port)
    with pytest.raises(ConnectionRefusedError):
        c.loop_forever()
    assert fails == [1]


def test_keepalive_pings_keep_the_connection(broker):
    c = mqtt.Client(V2, client_id="keepalive")
    disconnected = []
    c.on_disconnect = lambda *a: disconnected.append(a)
    c.connect("127.0.0.1", broker.port, keepalive=1)
    c.loop_start()
    try:
        time.sleep(2.5)
        assert c.is_connected() and disconnected == []
    finally:
        c.disconnect()
        c.loop_stop()


def test_wait_for_publish_timeout_returns_none_when_no_loop(broker):
    c = mqtt.Client(V2, client_id="wfp")
    c.connect("127.0.0.1", broker.port)
    info = c.publish("wfp/t", "x", qos=1)
    t0 = time.monotonic()
    assert info.wait_for_publish(0.2) is None
    assert time.monotonic() - t0 < TIMEOUT
    assert info.is_published() is False
    c.loop_start()
    info.wait_for_publish(TIMEOUT)
    assert info.is_published()
    c.disconnect()
    c.loop_stop()


def test_auto_topic_alias_delivers_full_topics(broker):
    inbox = Inbox(broker.port, "auto/#", protocol=mqtt.MQTTv5)
    c = mqtt.Client(V2, client_id="auto-alias", protocol=mqtt.MQTTv5, auto_topic_alias=True)
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    try:
        assert wait_for(c.is_connected)
        for i in range(5):
            c.publish("auto/alias/topic", b"%d" % i, qos=1).wait_for_publish(10)
        assert wait_for(lambda: len(inbox.messages) == 5)
        assert all(m.topic == "auto/alias/topic" for m in inbox.messages)
        assert c.stats()["messages_sent"] == 5
    finally:
        c.disconnect()
        c.loop_stop()
        inbox.close()
