"""The bytes on the wire: for the same calls, Ouzel's client sends exactly the packets paho-mqtt
2.1 sends (golden vectors recorded from paho itself by golden/make_wire_golden.py), except where
docs/python-compatibility.md says otherwise. The peer is FakeBroker, a scripted test double."""

import json
import os

import pytest

import ouzel.mqtt.client as mqtt
import wire_scenarios

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "golden", "wire_paho_2_1.json")) as f:
    GOLDEN = json.load(f)["scenarios"]


@pytest.mark.parametrize("name", sorted(wire_scenarios.SCENARIOS))
def test_same_packets_as_paho(name):
    got = wire_scenarios.run(mqtt, name)
    assert got == GOLDEN[name]


@pytest.mark.parametrize("api", [mqtt.CallbackAPIVersion.VERSION1,
                                 mqtt.CallbackAPIVersion.VERSION2], ids=["v1", "v2"])
def test_server_disconnect_with_reason_and_properties(api):
    from fake_broker import FakeBroker, packet
    from conftest import wait_for
    from ouzel.mqtt.properties import Properties
    from ouzel.mqtt.reasoncodes import ReasonCode

    seen = []
    with FakeBroker(v5=True) as fb:
        c = mqtt.Client(api, client_id="srv-disc", protocol=mqtt.MQTTv5,
                        reconnect_on_failure=False)
        c.on_disconnect = lambda client, userdata, *args: seen.append(args)
        c.connect("127.0.0.1", fb.port)
        c.loop_start()
        try:
            fb.wait_packets(1)
            # DISCONNECT 0x8E Session taken over, Reason String "other".
            fb.send(packet(0xE0, b"\x8e\x08\x1f\x00\x05other"))
            assert wait_for(lambda: seen)
        finally:
            c.loop_stop()
    args = seen[0]
    if api == mqtt.CallbackAPIVersion.VERSION1:
        reason, props = args
    else:
        flags, reason, props = args
        assert flags == mqtt.DisconnectFlags(True)
    assert isinstance(reason, ReasonCode) and reason.value == 0x8E
    assert str(reason) == "Session taken over"
    assert isinstance(props, Properties) and props.ReasonString == "other"


def test_refused_connack_v5_reason_code_and_properties():
    from fake_broker import FakeBroker, packet
    from conftest import wait_for

    connects, disconnects = [], []
    # CONNACK: session present 0, reason 0x87 Not authorized, Reason String "no".
    refusal = packet(0x20, b"\x00\x87\x05\x1f\x00\x02no")
    with FakeBroker(v5=True, connack=refusal) as fb:
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="refused",
                        protocol=mqtt.MQTTv5, reconnect_on_failure=False)
        c.on_connect = lambda client, ud, flags, reason, props: connects.append((flags, reason))
        c.on_disconnect = lambda client, ud, *args: disconnects.append(args)
        c.connect("127.0.0.1", fb.port)
        rc = c.loop_forever()
    assert rc != mqtt.MQTT_ERR_SUCCESS
    flags, reason = connects[0]
    assert flags.session_present is False and reason.value == 0x87
    assert str(reason) == "Not authorized" and reason.is_failure
    assert disconnects and disconnects[0][0] == mqtt.DisconnectFlags(False)


def test_clean_session_qos2_not_resent_after_reconnect():
    """paho's known limitation: with a clean session it republishes QoS > 0 messages after a
    reconnection, so a QoS 2 message can arrive twice. Here the broker discards the session
    (clean start), so the unfinished message is reported failed instead of being sent again."""
    from fake_broker import FakeBroker
    from conftest import wait_for

    with FakeBroker(no_answer={6}) as fb:  # PUBREL left unanswered: no PUBCOMP
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="clean-q2")
        c.reconnect_delay_set(0.05, 0.1)
        c.connect("127.0.0.1", fb.port)
        c.loop_start()
        try:
            info = c.publish("q2/t", b"once", qos=2)
            fb.wait_type(0x60)  # PUBREL sent: the message waits for PUBCOMP
            fb.drop()
            assert wait_for(lambda: fb.connections == 2)
            assert wait_for(c.is_connected)
            c.publish("q2/after", b"later", qos=1).wait_for_publish(20)
            packets = fb.wait_packets(1)
            second = max(i for i, p in enumerate(packets) if p[0] == 0x10)
            after = [p for p in packets[second + 1:] if p[0] != 0xC0]
            assert [p[0] for p in after] == [0x32], [p.hex() for p in after]
            assert b"q2/after" in after[0]
            assert packets[second][9] & 0x02  # Clean Session set on the reconnection
            with pytest.raises(RuntimeError, match="The connection was lost."):
                info.wait_for_publish(1)
        finally:
            c.disconnect()
            c.loop_stop()


def test_auto_topic_alias_on_the_wire():
    """Beyond paho: with auto_topic_alias, the second PUBLISH to a topic carries the alias and an
    empty topic (the broker's CONNACK allowed 5 aliases)."""
    from fake_broker import FakeBroker, packet

    connack = packet(0x20, b"\x00\x00\x03\x22\x00\x05")  # Topic Alias Maximum 5
    with FakeBroker(v5=True, connack=connack) as fb:
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="alias-auto",
                        protocol=mqtt.MQTTv5, auto_topic_alias=True)
        c.connect("127.0.0.1", fb.port)
        c.loop_start()
        try:
            from conftest import wait_for
            assert wait_for(c.is_connected)
            for i in range(3):
                c.publish("a/long/topic", b"%d" % i, qos=1).wait_for_publish(20)
        finally:
            c.disconnect()
            c.loop_stop()
        pubs = [p for p in fb.packets if p[0] >> 4 == 3]
    # PUBLISH: topic length, topic, mid, properties (Topic Alias 0x23), payload.
    assert pubs[0][2:4 + 12] == b"\x00\x0ca/long/topic"
    assert b"\x03\x23\x00\x01" in pubs[0]
    for p in pubs[1:]:
        assert p[2:4] == b"\x00\x00" and b"\x03\x23\x00\x01" in p


def test_delivery_state():
    from fake_broker import FakeBroker

    with FakeBroker(no_answer={3}) as fb:  # PUBLISH left unacknowledged
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="state")
        queued = c.publish("s/t", b"x", qos=1)
        assert queued.delivery_state() == ("queued", None)
        c.connect("127.0.0.1", fb.port)
        c.loop_start()
        try:
            fb.wait_type(0x32)
            from conftest import wait_for
            assert wait_for(lambda: queued.delivery_state() == ("inflight", None))
        finally:
            c.disconnect()
            c.loop_stop()
    assert mqtt.MQTTMessageInfo(1).delivery_state() == ("unknown", None)
