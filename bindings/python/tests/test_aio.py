"""ouzel.aio (the asyncio client) and paho's asyncio integration pattern (add_reader/add_writer
on socket(), on_socket_* callbacks, loop_misc from a task), against a real Mosquitto."""

import asyncio
import socket

import pytest

import ouzel.aio
import ouzel.mqtt.client as mqtt
from ouzel.mqtt.properties import Properties
from ouzel.mqtt.packettypes import PacketTypes

from conftest import TIMEOUT


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, TIMEOUT))


def test_publish_subscribe_and_iterate_messages(broker):
    async def main():
        async with ouzel.aio.Client("127.0.0.1", broker.port, client_id="aio-1") as client:
            reasons = await client.subscribe("aio/#", qos=2)
            assert [r.value for r in reasons] == [2]
            for qos in (0, 1, 2):
                reason, props = await client.publish(f"aio/{qos}", b"m%d" % qos, qos=qos)
                assert not reason.is_failure and isinstance(props, Properties)
            got = []
            async for message in client.messages:
                got.append((message.topic, message.payload, message.qos))
                if len(got) == 3:
                    break
            assert sorted(got) == [("aio/0", b"m0", 0), ("aio/1", b"m1", 1), ("aio/2", b"m2", 2)]
        assert not client.paho.is_connected()
    run(main())


def test_properties_and_v311(broker):
    async def main():
        async with ouzel.aio.Client("127.0.0.1", broker.port, client_id="aio-311",
                                    protocol=mqtt.MQTTv311) as c311, \
                ouzel.aio.Client("127.0.0.1", broker.port, client_id="aio-5") as c5:
            await c5.subscribe("p/#", options=ouzel.aio.SubscribeOptions(qos=1))
            props = Properties(PacketTypes.PUBLISH)
            props.UserProperty = ("k", "v")
            await c5.publish("p/x", b"v5", qos=1, properties=props)
            await c311.publish("p/y", b"v3", qos=1)
            seen = {}
            async for m in c5.messages:
                seen[m.topic] = m
                if len(seen) == 2:
                    break
            assert seen["p/x"].properties.UserProperty == [("k", "v")]
            assert seen["p/y"].payload == b"v3"
    run(main())


def test_refused_and_unreachable(make_broker):
    b = make_broker(users={"u": "p"})

    async def refused():
        with pytest.raises(ouzel.aio.MqttError) as e:
            async with ouzel.aio.Client("127.0.0.1", b.port, client_id="aio-bad",
                                        username="u", password="wrong"):
                pass
        assert e.value.reason.is_failure

    run(refused())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    async def unreachable():
        with pytest.raises(ConnectionError):
            await ouzel.aio.Client("127.0.0.1", port, client_id="aio-none",
                                   connect_timeout=5).connect()

    run(unreachable())


def test_concurrent_publishers_in_tasks(broker):
    async def main():
        async with ouzel.aio.Client("127.0.0.1", broker.port, client_id="aio-sub") as sub, \
                ouzel.aio.Client("127.0.0.1", broker.port, client_id="aio-pub") as pub:
            await sub.subscribe("many/#", qos=1)
            await asyncio.gather(*(pub.publish(f"many/{i % 4}", b"%d" % i, qos=1)
                                   for i in range(200)))
            count = 0
            async for _ in sub.messages:
                count += 1
                if count == 200:
                    break
            assert count == 200
    run(main())


class AsyncioHelper:
    """paho's documented way to run a Client inside asyncio (examples/loop_asyncio.py): the
    external-loop callbacks register the socket with the event loop; a task calls loop_misc."""

    def __init__(self, loop, client):
        self.loop = loop
        self.client = client
        self.client.on_socket_open = self.on_socket_open
        self.client.on_socket_close = self.on_socket_close
        self.client.on_socket_register_write = self.on_socket_register_write
        self.client.on_socket_unregister_write = self.on_socket_unregister_write

    def on_socket_open(self, client, userdata, sock):
        def cb():
            client.loop_read()

        self.loop.add_reader(sock, cb)
        self.misc = self.loop.create_task(self.misc_loop())

    def on_socket_close(self, client, userdata, sock):
        self.loop.remove_reader(sock)
        self.misc.cancel()

    def on_socket_register_write(self, client, userdata, sock):
        def cb():
            client.loop_write()

        self.loop.add_writer(sock, cb)

    def on_socket_unregister_write(self, client, userdata, sock):
        self.loop.remove_writer(sock)

    async def misc_loop(self):
        while self.client.loop_misc() == mqtt.MQTT_ERR_SUCCESS:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                break


def test_paho_asyncio_example_pattern(broker):
    async def main():
        loop = asyncio.get_running_loop()
        disconnected = loop.create_future()
        got_message = None
        topic = "paho/asyncio/test"

        def on_connect(client, userdata, flags, reason_code, properties):
            client.subscribe(topic)

        def on_message(client, userdata, msg):
            if got_message is not None and not got_message.done():
                got_message.set_result(msg.payload)

        def on_disconnect(client, userdata, flags, reason_code, properties):
            disconnected.set_result(reason_code)

        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="paho-asyncio")
        client.on_connect = on_connect
        client.on_message = on_message
        client.on_disconnect = on_disconnect
        AsyncioHelper(loop, client)
        subscribed = loop.create_future()
        client.on_subscribe = lambda *a: subscribed.set_result(True)
        client.connect("127.0.0.1", broker.port, 60)
        client.socket().setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 2048)
        await subscribed
        for _ in range(3):
            got_message = loop.create_future()
            client.publish(topic, b"Hello" * 40000, qos=1)  # 200 kB through a 2 kB buffer
            msg = await got_message
            assert len(msg) == 200000
        client.disconnect()
        reason = await disconnected
        assert str(reason) == "Normal disconnection"

    run(main())
