"""S15 an invalid topic, S16 a message over the server's Maximum Packet Size, S17 publishing on
a closed client: each fails at once, with its own error, and sends nothing."""

import asyncio

import ouzel.aio
import ouzel.mqtt.client as mqtt
import pytest
from conftest import E, HOST, TIMEOUT, connected_client, port, subscribed, unique


def test_s15_publish_to_a_wildcard_topic_raises_value_error(clients):
    client, _ = connected_client(clients)
    sent_before = client.stats()["bytes_sent"]
    with pytest.raises(ValueError):
        client.publish("a/+/b", b"x", qos=1)
    assert client.stats()["bytes_sent"] == sent_before, "something was sent"
    # The client is unharmed: a valid publish still goes through.
    client.publish(unique("scen/s15"), b"ok", qos=1).wait_for_publish(TIMEOUT)


def test_s16_payload_over_the_maximum_packet_size_fails_before_sending(clients):
    limit = int(E["OUZEL_SCEN_MAX_PACKET_SIZE"])
    topic = unique("scen/s16")
    # MQTT 5: the broker announces its Maximum Packet Size in the CONNACK.
    client, inbox = connected_client(clients, broker_port=port("LIMIT"), protocol=mqtt.MQTTv5)
    assert inbox.connect_properties.MaximumPacketSize == limit
    subscribed(client, inbox, topic, qos=1)
    sent_before = client.stats()["bytes_sent"]

    info = client.publish(topic, b"x" * (limit + 1), qos=1)
    assert info.rc == mqtt.MQTT_ERR_PAYLOAD_SIZE, mqtt.error_string(info.rc)
    assert client.stats()["bytes_sent"] == sent_before, "the oversized message was sent"
    # Still connected (the broker would have disconnected it), and a message that fits arrives.
    client.publish(topic, b"fits", qos=1).wait_for_publish(TIMEOUT)
    assert inbox.wait_count(1) and inbox.snapshot()[0].payload == b"fits"
    assert client.is_connected()


def test_s17_publish_on_a_closed_client_fails_clearly(clients):
    async def main():
        async with ouzel.aio.Client(HOST, port(""), client_id=unique("s17")) as client:
            await client.publish(unique("scen/s17"), b"while open", qos=1)
        # The `async with` block closed it.
        with pytest.raises(ouzel.aio.MqttError, match="not connected"):
            await client.publish(unique("scen/s17"), b"after close", qos=1)

    asyncio.run(asyncio.wait_for(main(), TIMEOUT))

    # The same with the paho-style client after disconnect() and loop_stop(): a QoS 0 publish
    # reports MQTT_ERR_NO_CONN instead of pretending to send.
    client, _ = connected_client(clients)
    client.disconnect()
    client.loop_stop()
    info = client.publish(unique("scen/s17"), b"after close", qos=0)
    assert info.rc == mqtt.MQTT_ERR_NO_CONN
