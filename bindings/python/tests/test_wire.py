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
