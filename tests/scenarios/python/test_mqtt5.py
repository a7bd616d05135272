"""MQTT 5: S12 user properties, S13 request/response, S14 automatic topic aliases."""

import asyncio

import ouzel.aio
import ouzel.mqtt.client as mqtt
from conftest import HOST, TIMEOUT, connected_client, port, subscribed, unique
from ouzel.mqtt.packettypes import PacketTypes
from ouzel.mqtt.properties import Properties


def test_s12_user_properties_keep_order_and_repeated_keys(clients):
    topic = unique("scen/s12")
    sub, inbox = connected_client(clients, protocol=mqtt.MQTTv5)
    subscribed(sub, inbox, topic, qos=1)
    pub, _ = connected_client(clients, protocol=mqtt.MQTTv5)

    sent = [("unit", "celsius"), ("tag", "b"), ("tag", "a"), ("unit", "kelvin"), ("", "")]
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = sent
    pub.publish(topic, b"21.5", qos=1, properties=props).wait_for_publish(TIMEOUT)
    assert inbox.wait_count(1)
    assert inbox.snapshot()[0].properties.UserProperty == sent


def test_s13_request_response_with_response_topic_and_correlation_data():
    requests = unique("scen/s13/requests")

    async def responder(ready):
        async with ouzel.aio.Client(HOST, port(""), client_id=unique("s13-responder")) as client:
            await client.subscribe(requests, qos=1)
            ready.set()
            async for request in client.messages:
                reply = Properties(PacketTypes.PUBLISH)
                reply.CorrelationData = request.properties.CorrelationData
                await client.publish(request.properties.ResponseTopic,
                                     b"re: " + request.payload, qos=1, properties=reply)
                return

    async def requester():
        ready = asyncio.Event()
        serving = asyncio.create_task(responder(ready))
        await ready.wait()
        async with ouzel.aio.Client(HOST, port(""), client_id=unique("s13-requester")) as client:
            responses = unique("scen/s13/responses")
            await client.subscribe(responses, qos=1)
            request = Properties(PacketTypes.PUBLISH)
            request.ResponseTopic = responses
            request.CorrelationData = b"\x00req-42"
            await client.publish(requests, b"ping", qos=1, properties=request)
            async for response in client.messages:
                await serving
                return response

    response = asyncio.run(asyncio.wait_for(requester(), TIMEOUT))
    assert response.payload == b"re: ping"
    assert response.properties.CorrelationData == b"\x00req-42"


def test_s14_automatic_topic_aliases_deliver_100_messages_intact(clients):
    topic = unique("scen/s14/" + "long-topic-name/" * 6)
    sub, inbox = connected_client(clients, protocol=mqtt.MQTTv5)
    subscribed(sub, inbox, topic, qos=1)
    pub, _ = connected_client(clients, protocol=mqtt.MQTTv5, auto_topic_alias=True)

    sent_before = pub.stats()["bytes_sent"]
    for info in [pub.publish(topic, f"m{i}".encode(), qos=1) for i in range(100)]:
        info.wait_for_publish(TIMEOUT)
    assert inbox.wait_count(100)
    got = inbox.snapshot()
    assert [m.topic for m in got] == [topic] * 100
    assert [m.payload for m in got] == [f"m{i}".encode() for i in range(100)]
    # The aliases were really used: 100 topics would take more bytes than were sent.
    assert pub.stats()["bytes_sent"] - sent_before < 100 * len(topic)
