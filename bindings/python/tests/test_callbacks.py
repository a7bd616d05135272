"""Every callback, under CallbackAPIVersion.VERSION1 and VERSION2, for MQTT 3.1.1 and 5 (and
3.1 where it differs), gets arguments of the types and values paho-mqtt 2.1 gives, against a
real Mosquitto."""

import socket
import threading

import pytest

import ouzel.mqtt.client as mqtt
from ouzel.mqtt.packettypes import PacketTypes
from ouzel.mqtt.properties import Properties
from ouzel.mqtt.reasoncodes import ReasonCode
from conftest import wait_for

V1 = mqtt.CallbackAPIVersion.VERSION1
V2 = mqtt.CallbackAPIVersion.VERSION2
VERSIONS = [(V1, mqtt.MQTTv311), (V1, mqtt.MQTTv5), (V2, mqtt.MQTTv311), (V2, mqtt.MQTTv5),
            (V1, mqtt.MQTTv31), (V2, mqtt.MQTTv31)]
IDS = ["v1-311", "v1-5", "v2-311", "v2-5", "v1-31", "v2-31"]


class Recorder:
    """Installs every callback on a client and records (name, args) in order."""

    def __init__(self, client):
        self.events = []
        self.cond = threading.Condition()
        names = ["on_connect", "on_connect_fail", "on_disconnect", "on_message", "on_publish",
                 "on_subscribe", "on_unsubscribe", "on_log", "on_pre_connect", "on_socket_open",
                 "on_socket_close"]
        for name in names:
            setattr(client, name, self._make(name))

    def _make(self, name):
        def callback(client, userdata, *args):
            with self.cond:
                self.events.append((name, client, userdata, args))
                self.cond.notify_all()
        return callback

    def of(self, name):
        with self.cond:
            return [e for e in self.events if e[0] == name]

    def wait(self, name, count=1):
        assert wait_for(lambda: len(self.of(name)) >= count), (name, self.names())
        return self.of(name)[count - 1]

    def names(self):
        with self.cond:
            return [e[0] for e in self.events if e[0] != "on_log"]


def new_client(api, protocol, **kwargs):
    kwargs.setdefault("client_id", "cb-" + str(id(kwargs)))
    return mqtt.Client(api, protocol=protocol, **kwargs)


@pytest.mark.parametrize("api,protocol", VERSIONS, ids=IDS)
def test_connect_subscribe_publish_message_unsubscribe_disconnect(broker, api, protocol):
    userdata = object()
    c = new_client(api, protocol, userdata=userdata)
    rec = Recorder(c)
    v5 = protocol == mqtt.MQTTv5
    assert c.connect("127.0.0.1", broker.port) == mqtt.MQTT_ERR_SUCCESS
    c.loop_start()
    try:
        _, client, ud, args = rec.wait("on_connect")
        assert client is c and ud is userdata
        if api == V1 and not v5:
            flags, rc = args
            assert flags == {"session present": 0} and rc == 0 and type(rc) is int
        elif api == V1:
            flags, reason, props = args
            assert flags == {"session present": 0}
            assert isinstance(reason, ReasonCode) and reason == 0
            assert reason.packetType == PacketTypes.CONNACK
            assert isinstance(props, Properties)
        else:
            flags, reason, props = args
            assert isinstance(flags, mqtt.ConnectFlags) and flags.session_present is False
            assert isinstance(reason, ReasonCode) and reason.value == 0
            assert str(reason) == "Success" and not reason.is_failure
            assert isinstance(props, Properties) and props.packetType == PacketTypes.CONNACK
        if v5:
            # Mosquitto announces its limits in CONNACK properties.
            assert hasattr(args[2], "TopicAliasMaximum") or hasattr(args[2], "ReceiveMaximum")

        rc, smid = c.subscribe([("cb/a", 0), ("cb/b", 2)])
        assert rc == mqtt.MQTT_ERR_SUCCESS and isinstance(smid, int)
        _, _, _, args = rec.wait("on_subscribe")
        if api == V1 and not v5:
            mid, granted = args
            assert mid == smid and granted == (0, 2) and isinstance(granted, tuple)
        else:
            mid, codes, props = args
            assert mid == smid
            assert [type(x) for x in codes] == [ReasonCode, ReasonCode]
            assert [x.value for x in codes] == [0, 2]
            assert str(codes[1]) == "Granted QoS 2"
            assert isinstance(props, Properties)

        infos = [c.publish("cb/b", b"payload-%d" % q, qos=q) for q in (0, 1, 2)]
        for info in infos:
            info.wait_for_publish(10)
            assert info.is_published()
        for i, info in enumerate(infos):
            _, _, _, args = rec.wait("on_publish", i + 1)
        published = rec.of("on_publish")
        assert sorted(e[3][0] for e in published) == sorted(i.mid for i in infos)
        for e in published:
            args = e[3]
            if api == V1:
                assert len(args) == 1 and isinstance(args[0], int)
            else:
                mid, reason, props = args
                assert isinstance(reason, ReasonCode) and reason == 0
                assert isinstance(props, Properties)
                qos = [i.mid for i in infos].index(mid)
                expected = PacketTypes.PUBCOMP if qos == 2 else PacketTypes.PUBACK
                assert reason.packetType == expected

        for i in range(3):
            rec.wait("on_message", i + 1)
        msgs = sorted((e[3][0] for e in rec.of("on_message")), key=lambda m: m.payload)
        assert [m.payload for m in msgs] == [b"payload-0", b"payload-1", b"payload-2"]
        for q, m in enumerate(msgs):
            assert isinstance(m, mqtt.MQTTMessage)
            assert m.topic == "cb/b" and m.qos == q and m.retain is False and m.dup is False
            assert (m.mid == 0) == (q == 0)
            assert isinstance(m.timestamp, float)
            if v5:
                assert isinstance(m.properties, Properties)
            else:
                assert m.properties is None

        rc, umid = c.unsubscribe(["cb/a", "cb/b"])
        assert rc == 0
        _, _, _, args = rec.wait("on_unsubscribe")
        if api == V1 and not v5:
            assert args == (umid,)
        elif api == V1:
            mid, props, codes = args
            assert mid == umid and isinstance(props, Properties)
            assert isinstance(codes, list) and [x.value for x in codes] == [0, 0]
        else:
            mid, codes, props = args
            assert mid == umid and isinstance(props, Properties)
            assert [x.value for x in codes] == ([0, 0] if v5 else [])

        assert c.disconnect() == mqtt.MQTT_ERR_SUCCESS
        _, _, _, args = rec.wait("on_disconnect")
        if api == V1 and not v5:
            assert args == (mqtt.MQTT_ERR_SUCCESS,)
            assert isinstance(args[0], mqtt.MQTTErrorCode)
        elif api == V1:
            assert args == (mqtt.MQTT_ERR_SUCCESS, None)
        else:
            flags, reason, props = args
            assert flags == mqtt.DisconnectFlags(False)
            assert isinstance(reason, ReasonCode) and reason.value == 0
            assert str(reason) == "Normal disconnection"
            assert isinstance(props, Properties)
    finally:
        c.loop_stop()
    names = rec.names()
    assert names[0] == "on_pre_connect" and names[1] == "on_socket_open"
    assert names[-1] == "on_socket_close" or names[-2:] == ["on_disconnect", "on_socket_close"] \
        or "on_socket_close" in names
    socks = rec.of("on_socket_open")[0][3][0], rec.of("on_socket_close")[0][3][0]
    assert socks[0].fileno() == socks[1].fileno() and socks[0].fileno() >= 0
    assert not c.is_connected()
    logs = rec.of("on_log")
    assert logs and all(isinstance(e[3][0], int) and isinstance(e[3][1], str) for e in logs)
    assert any(e[3][1].startswith("Sending CONNECT") for e in logs)


@pytest.mark.parametrize("api,protocol", VERSIONS[:4], ids=IDS[:4])
def test_refused_connack_reports_on_connect_then_on_disconnect(make_broker, api, protocol):
    b = make_broker(users={"alice": "secret"})
    c = new_client(api, protocol, reconnect_on_failure=False)
    c.username_pw_set("alice", "wrong")
    rec = Recorder(c)
    c.connect("127.0.0.1", b.port)
    rc = c.loop_forever()
    assert rc != mqtt.MQTT_ERR_SUCCESS
    names = rec.names()
    assert names.index("on_connect") < names.index("on_disconnect"), names
    args = rec.of("on_connect")[0][3]
    v5 = protocol == mqtt.MQTTv5
    if api == V1 and not v5:
        assert args[1] == 5  # CONNACK_REFUSED_NOT_AUTHORIZED from mosquitto
    else:
        reason = args[1]
        assert isinstance(reason, ReasonCode) and reason.is_failure
        assert str(reason) in ("Not authorized", "Bad user name or password")
    dargs = rec.of("on_disconnect")[0][3]
    if api == V1 and not v5:
        assert dargs == (mqtt.MQTT_ERR_CONN_REFUSED,) if not v5 else True
    elif api == V2:
        assert dargs[0] == mqtt.DisconnectFlags(False)
        assert dargs[1].is_failure


@pytest.mark.parametrize("api", [V1, V2], ids=["v1", "v2"])
def test_on_connect_fail_from_loop_start_retries(api):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = new_client(api, mqtt.MQTTv311)
    rec = Recorder(c)
    c.reconnect_delay_set(0.05, 0.1)
    c.connect_async("127.0.0.1", port)
    c.loop_start()
    try:
        rec.wait("on_connect_fail", 2)
        assert rec.of("on_connect_fail")[0][3] == ()
    finally:
        c.loop_stop()
    assert "on_connect" not in rec.names()


def test_connect_raises_connection_refused_and_no_on_connect_fail():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = new_client(V2, mqtt.MQTTv311)
    rec = Recorder(c)
    with pytest.raises(ConnectionRefusedError):
        c.connect("127.0.0.1", port)
    assert c.loop() == mqtt.MQTT_ERR_CONN_LOST
    assert rec.of("on_connect_fail") == []
    assert [n for n in rec.names()] == ["on_pre_connect", "on_socket_open", "on_socket_close"] \
        or "on_connect_fail" not in rec.names()


@pytest.mark.parametrize("api,protocol", VERSIONS[:4], ids=IDS[:4])
def test_connection_lost_session_taken_over(broker, api, protocol):
    # Mosquitto 2.0 closes the old connection without a DISCONNECT packet: a lost connection.
    # (A broker's DISCONNECT is covered with the scripted fake broker in test_wire.py.)
    first = new_client(api, protocol, client_id="takeover-" + str(protocol))
    rec = Recorder(first)
    first.connect("127.0.0.1", broker.port)
    first.loop_start()
    try:
        rec.wait("on_connect")
        second = new_client(V2, protocol, client_id="takeover-" + str(protocol))
        second.connect("127.0.0.1", broker.port)
        second.loop_start()
        _, _, _, args = rec.wait("on_disconnect")
        second.disconnect()
        second.loop_stop()
    finally:
        first.disconnect()
        first.loop_stop()
    if api == V1 and protocol == mqtt.MQTTv5:
        assert args == (mqtt.MQTT_ERR_CONN_LOST, None)
    elif api == V1:
        assert args == (mqtt.MQTT_ERR_CONN_LOST,)
    else:
        flags, reason, props = args
        assert flags == mqtt.DisconnectFlags(False)
        assert isinstance(reason, ReasonCode) and str(reason) == "Unspecified error"
        assert isinstance(props, Properties)


def test_exception_in_callback_propagates_out_of_loop_forever(broker):
    c = new_client(V2, mqtt.MQTTv311)

    def on_connect(client, userdata, flags, reason, props):
        raise KeyError("boom")

    c.on_connect = on_connect
    c.connect("127.0.0.1", broker.port)
    with pytest.raises(KeyError, match="boom"):
        c.loop_forever()
    c.disconnect()


def test_exception_in_callback_suppressed_is_logged(broker):
    c = new_client(V2, mqtt.MQTTv311)
    logs = []
    c.on_log = lambda client, ud, level, buf: logs.append((level, buf))
    c.suppress_exceptions = True
    done = []

    def on_connect(client, userdata, flags, reason, props):
        raise KeyError("boom")

    c.on_connect = on_connect
    c.on_subscribe = lambda *a: (done.append(1), a[0].disconnect())
    c.connect("127.0.0.1", broker.port)
    c.subscribe("x", 0)
    assert c.loop_forever() == mqtt.MQTT_ERR_CONN_LOST
    assert (mqtt.MQTT_LOG_ERR, "Caught exception in on_connect: 'boom'") in logs
    assert done == [1]


def test_decorators_and_topic_callbacks(broker):
    c = new_client(V2, mqtt.MQTTv311)
    seen = []

    @c.connect_callback()
    def on_connect(client, userdata, flags, reason, props):
        client.subscribe("deco/#", 1)

    @c.subscribe_callback()
    def on_subscribe(client, userdata, mid, codes, props):
        client.publish("deco/special/x", "1", 1)
        client.publish("deco/other", "2", 1)

    @c.topic_callback("deco/special/#")
    def special(client, userdata, msg):
        seen.append(("special", msg.payload))

    @c.message_callback()
    def on_message(client, userdata, msg):
        seen.append(("general", msg.payload))
        client.disconnect()

    assert c.on_connect is on_connect and c.on_message is on_message
    c.connect("127.0.0.1", broker.port)
    c.loop_forever()
    assert ("special", b"1") in seen and ("general", b"2") in seen
    assert ("general", b"1") not in seen
    c.message_callback_remove("deco/special/#")
    c.message_callback_remove("not/there")
    with pytest.raises(ValueError, match="sub and callback must both be defined."):
        c.message_callback_add(None, on_message)
    with pytest.raises(ValueError, match="sub must defined."):
        c.message_callback_remove(None)


def test_topic_callbacks_most_specific_first_and_shared_filters(broker):
    """Routing is the engine's: overlapping topic callbacks run in paho's order, and a callback
    added for a shared subscription receives its messages (paho compares "$share/..." literally
    and never calls it)."""
    c = new_client(V2, mqtt.MQTTv5)
    seen = []
    connected_inside = []
    c.message_callback_add("route/#", lambda cl, ud, m: seen.append(("route/#", m.payload)))
    c.message_callback_add("route/+/x", lambda cl, ud, m: seen.append(("route/+/x", m.payload)))
    c.message_callback_add("route/a/x", lambda cl, ud, m: seen.append(("route/a/x", m.payload)))
    c.message_callback_add("$share/grp/shared/+",
                           lambda cl, ud, m: seen.append(("shared", m.payload)))

    def on_connect(client, userdata, flags, reason, props):
        connected_inside.append(client.is_connected())
        client.subscribe([("route/#", 1), ("$share/grp/shared/+", 1)])

    def on_subscribe(client, userdata, mid, codes, props):
        client.publish("route/a/x", "1", 1)
        client.publish("shared/t", "2", 1)

    c.on_connect, c.on_subscribe = on_connect, on_subscribe
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    try:
        assert wait_for(lambda: len(seen) == 4), seen
        assert seen[:3] == [("route/a/x", b"1"), ("route/+/x", b"1"), ("route/#", b"1")]
        assert seen[3] == ("shared", b"2")
        assert connected_inside == [True] and c.is_connected()
        c.disconnect()
        assert not c.is_connected()  # at once: the engine is disconnecting
    finally:
        c.loop_stop()
