"""Client call sequences whose packets are compared byte for byte with paho-mqtt 2.1's.

Each scenario takes the client module (``paho.mqtt.client`` or ``ouzel.mqtt.client``) and a
FakeBroker, drives one client through a fixed sequence of calls, waiting for each step, and
leaves the packets in ``broker.packets``. tests/golden/make_wire_golden.py runs them with paho to
record tests/golden/wire_paho_2_1.json; test_wire.py runs them with ouzel and compares.
"""

import threading

TIMEOUT = 20


class Steps:
    """Callback bookkeeping shared by the scenarios."""

    def __init__(self, client):
        self.cond = threading.Condition()
        self.seen = []
        client.on_connect = lambda *a: self._add("connect")
        client.on_subscribe = lambda *a: self._add("subscribe")
        client.on_unsubscribe = lambda *a: self._add("unsubscribe")
        client.on_message = lambda c, u, m: self._add(("message", m.mid))
        client.on_disconnect = lambda *a: self._add("disconnect")

    def _add(self, what):
        with self.cond:
            self.seen.append(what)
            self.cond.notify_all()

    def wait(self, what, count=1):
        with self.cond:
            ok = self.cond.wait_for(lambda: self.seen.count(what) >= count, TIMEOUT)
        assert ok, (what, self.seen)

    def wait_messages(self, count):
        with self.cond:
            ok = self.cond.wait_for(
                lambda: sum(1 for s in self.seen if isinstance(s, tuple)) >= count, TIMEOUT)
        assert ok, self.seen


def _start(mqtt, fb, client, **connect_kwargs):
    steps = Steps(client)
    client.connect("127.0.0.1", fb.port, **connect_kwargs)
    client.loop_start()
    steps.wait("connect")
    return steps


def _finish(client, steps, fb, *disconnect_args, **disconnect_kwargs):
    client.disconnect(*disconnect_args, **disconnect_kwargs)
    steps.wait("disconnect")
    client.loop_stop()
    fb.wait_type(0xE0)


def v311_connect_plain(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-plain")
    steps = _start(mqtt, fb, c, keepalive=30)
    _finish(c, steps, fb)


def v311_connect_will_credentials(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-will",
                    clean_session=False)
    c.username_pw_set("user", "pass")
    c.will_set("will/topic", "gone", qos=1, retain=True)
    steps = _start(mqtt, fb, c, keepalive=45)
    _finish(c, steps, fb)


def v311_connect_username_only_empty_client_id(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    c.username_pw_set("only-user")
    steps = _start(mqtt, fb, c)
    _finish(c, steps, fb)


def v31_connect(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-31",
                    protocol=mqtt.MQTTv31)
    c.will_set("w31", b"\x00\x01", qos=2)
    steps = _start(mqtt, fb, c)
    _finish(c, steps, fb)


def v5_connect_properties(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-5",
                    protocol=mqtt.MQTTv5)
    props = mqtt.Properties(mqtt.PacketTypes.CONNECT)
    props.SessionExpiryInterval = 60
    props.ReceiveMaximum = 10
    props.UserProperty = ("k", "v")
    will_props = mqtt.Properties(mqtt.PacketTypes.WILLMESSAGE)
    will_props.WillDelayInterval = 5
    will_props.ContentType = "text/plain"
    c.will_set("will/5", "bye", qos=0, retain=False, properties=will_props)
    c.username_pw_set("u5", b"p5")
    steps = _start(mqtt, fb, c, keepalive=20, properties=props, clean_start=False)
    _finish(c, steps, fb)


def v5_connect_defaults(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-5d",
                    protocol=mqtt.MQTTv5)
    steps = _start(mqtt, fb, c)
    _finish(c, steps, fb)


def _pubsub(mqtt, fb, c, steps, v5):
    c.subscribe("a/b", 1)
    steps.wait("subscribe", 1)
    c.subscribe([("x/+", 0), ("y/#", 2)])
    steps.wait("subscribe", 2)
    for qos, retain, payload in ((0, False, b"zero"), (1, True, b"one"), (2, False, b"")):
        info = c.publish("t/q%d" % qos, payload, qos=qos, retain=retain)
        info.wait_for_publish(TIMEOUT)
        assert info.is_published()
    c.publish("t/str", "text é", qos=1).wait_for_publish(TIMEOUT)
    c.publish("t/num", 42, qos=1).wait_for_publish(TIMEOUT)
    c.unsubscribe(["a/b", "x/+"])
    steps.wait("unsubscribe", 1)
    c.unsubscribe("y/#")
    steps.wait("unsubscribe", 2)


def v311_subscribe_publish_unsubscribe(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-ps")
    steps = _start(mqtt, fb, c)
    _pubsub(mqtt, fb, c, steps, False)
    _finish(c, steps, fb)


def v5_subscribe_publish_unsubscribe(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-ps5",
                    protocol=mqtt.MQTTv5)
    steps = _start(mqtt, fb, c)
    _pubsub(mqtt, fb, c, steps, True)
    _finish(c, steps, fb)


def v5_properties_and_options(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-prop5",
                    protocol=mqtt.MQTTv5)
    steps = _start(mqtt, fb, c)
    sprops = mqtt.Properties(mqtt.PacketTypes.SUBSCRIBE)
    sprops.SubscriptionIdentifier = 7
    sprops.UserProperty = ("s", "1")
    opts = mqtt.SubscribeOptions(qos=2, noLocal=True, retainAsPublished=True,
                                 retainHandling=mqtt.SubscribeOptions.RETAIN_DO_NOT_SEND)
    c.subscribe("opt/t", options=opts, properties=sprops)
    steps.wait("subscribe", 1)
    c.subscribe([("m/1", mqtt.SubscribeOptions(qos=1)), ("m/2", 0)])
    steps.wait("subscribe", 2)
    pprops = mqtt.Properties(mqtt.PacketTypes.PUBLISH)
    pprops.MessageExpiryInterval = 30
    pprops.ResponseTopic = "reply/here"
    pprops.CorrelationData = b"\x01\x02"
    pprops.ContentType = "application/json"
    pprops.PayloadFormatIndicator = 1
    pprops.UserProperty = [("a", "1"), ("a", "2")]
    c.publish("p/t", b"{}", qos=1, properties=pprops).wait_for_publish(TIMEOUT)
    c.publish("p/t", b"{}", qos=2, properties=pprops).wait_for_publish(TIMEOUT)
    uprops = mqtt.Properties(mqtt.PacketTypes.UNSUBSCRIBE)
    uprops.UserProperty = ("u", "x")
    c.unsubscribe("opt/t", properties=uprops)
    steps.wait("unsubscribe", 1)
    dprops = mqtt.Properties(mqtt.PacketTypes.DISCONNECT)
    dprops.ReasonString = "bye"
    _finish(c, steps, fb, mqtt.ReasonCode(mqtt.PacketTypes.DISCONNECT,
                                          "Disconnect with will message"), dprops)


def v5_disconnect_with_reason_only(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-dr5",
                    protocol=mqtt.MQTTv5)
    steps = _start(mqtt, fb, c)
    _finish(c, steps, fb, mqtt.ReasonCode(mqtt.PacketTypes.DISCONNECT,
                                          "Disconnect with will message"))


def _incoming(mqtt, fb, v5):
    from fake_broker import packet
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-in",
                    protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311)
    steps = _start(mqtt, fb, c)
    props = b"\x00" if v5 else b""
    fb.send(packet(0x30, b"\x00\x03i/0" + props + b"q0"))
    fb.send(packet(0x32, b"\x00\x03i/1\x00\x05" + props + b"q1"))
    fb.send(packet(0x34, b"\x00\x03i/2\x00\x06" + props + b"q2"))
    steps.wait_messages(3)
    fb.wait_type(0x70)  # the PUBCOMP after the fake broker's PUBREL
    _finish(c, steps, fb)


def v311_incoming_qos0_1_2(mqtt, fb):
    _incoming(mqtt, fb, False)


def v5_incoming_qos0_1_2(mqtt, fb):
    _incoming(mqtt, fb, True)


def v311_keepalive_ping(mqtt, fb):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="wire-ka")
    steps = _start(mqtt, fb, c, keepalive=1)
    fb.wait_type(0xC0, timeout=TIMEOUT)
    _finish(c, steps, fb)


# name -> (scenario, MQTT 5?)
SCENARIOS = {
    f.__name__: (f, f.__name__.startswith("v5"))
    for f in (v311_connect_plain, v311_connect_will_credentials,
              v311_connect_username_only_empty_client_id, v31_connect, v5_connect_properties,
              v5_connect_defaults, v311_subscribe_publish_unsubscribe,
              v5_subscribe_publish_unsubscribe, v5_properties_and_options,
              v5_disconnect_with_reason_only, v311_incoming_qos0_1_2, v5_incoming_qos0_1_2,
              v311_keepalive_ping)
}


def run(mqtt, name):
    """Runs one scenario against a fresh FakeBroker; returns the hex of every packet the client
    sent, in order (PINGREQs dropped except in the keepalive scenario, where timing decides how
    many there are)."""
    from fake_broker import FakeBroker
    scenario, v5 = SCENARIOS[name]
    with FakeBroker(v5=v5) as fb:
        scenario(mqtt, fb)
        packets = list(fb.packets)
    if name == "v311_keepalive_ping":
        first_ping = next(i for i, p in enumerate(packets) if p[0] == 0xC0)
        packets = packets[:first_ping + 1] + [p for p in packets[first_ping + 1:]
                                              if p[0] != 0xC0]
    else:
        packets = [p for p in packets if p[0] != 0xC0]
    return [p.hex() for p in packets]
