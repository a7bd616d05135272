"""S01 connect and disconnect cleanly, S02 a server-assigned client id, S18 bad credentials."""

import asyncio
import threading

import ouzel.aio
import ouzel.mqtt.client as mqtt
from conftest import E, HOST, TIMEOUT, Inbox, port, unique, wait_until


def test_s01_connect_mqtt311_and_disconnect_cleanly(clients):
    topic = unique("scen/s01")
    inbox = Inbox()
    disconnects = []
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=unique("s01"),
                         protocol=mqtt.MQTTv311)
    inbox.attach(client)
    client.on_disconnect = lambda c, userdata, flags, reason_code, props: disconnects.append(
        reason_code)
    clients.append(client)

    client.connect(HOST, port(""))
    client.loop_start()
    assert inbox.connected.wait(TIMEOUT), "no CONNACK"
    assert inbox.connect_reason == 0 and not inbox.connect_reason.is_failure
    client.subscribe(topic, qos=1)
    assert inbox.subscribed.wait(TIMEOUT)

    assert client.disconnect() == mqtt.MQTT_ERR_SUCCESS
    assert wait_until(lambda: disconnects), "on_disconnect never ran"
    assert not disconnects[0].is_failure, f"disconnect reported {disconnects[0]}"
    client.loop_stop()
    assert not client.is_connected()

    # After the close nothing calls back: a message on the topic it was subscribed to, sent
    # after the close, reaches a second subscriber but not the closed client.
    witness = Inbox()
    other = witness.attach(mqtt.Client(mqtt.CallbackAPIVersion.VERSION2))
    clients.append(other)
    other.connect(HOST, port(""))
    other.loop_start()
    assert witness.connected.wait(TIMEOUT)
    other.subscribe(topic, qos=1)
    assert witness.subscribed.wait(TIMEOUT)
    other.publish(topic, b"after close", qos=1).wait_for_publish(TIMEOUT)
    assert witness.wait_count(1)
    assert inbox.count() == 0 and len(disconnects) == 1


def test_s02_connect_mqtt5_with_empty_client_id_gets_assigned_id():
    # With MQTT 5 (ouzel.aio's default) and an empty client id the broker assigns one, in the
    # CONNACK's Assigned Client Identifier; ouzel.aio's connect() returns the CONNACK.
    async def connect_and_read():
        client = ouzel.aio.Client(HOST, port(""), client_id="")
        flags, reason, properties = await client.connect()
        try:
            return reason, properties
        finally:
            await client.disconnect()

    reason, properties = asyncio.run(asyncio.wait_for(connect_and_read(), TIMEOUT))
    assert not reason.is_failure, reason
    assigned = getattr(properties, "AssignedClientIdentifier", "")
    assert assigned, f"no Assigned Client Identifier in the CONNACK: {properties}"


def test_s18_bad_password_is_refused_with_the_brokers_reason_code(clients):
    def connect_with(password):
        inbox = Inbox()
        failed = threading.Event()
        client = inbox.attach(mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                                          protocol=mqtt.MQTTv5, client_id=unique("s18"),
                                          reconnect_on_failure=False))
        client.on_connect_fail = lambda c, userdata: failed.set()
        client.username_pw_set(E["OUZEL_SCEN_AUTH_USER"], password)
        clients.append(client)
        client.connect(HOST, port("AUTH"))
        client.loop_start()
        assert inbox.connected.wait(TIMEOUT), "no CONNACK"
        return inbox.connect_reason, client

    reason, client = connect_with("not-the-password")
    # The CONNACK's reason code as the broker sent it: Mosquitto 2.0.11 answers a wrong password
    # with 0x87 Not authorized (MQTT 5).
    assert reason.is_failure
    assert (reason.value, str(reason)) == (0x87, "Not authorized"), reason
    assert wait_until(lambda: not client.is_connected())

    # The right password is accepted by the same broker, so the refusal was about the password.
    reason, client = connect_with(E["OUZEL_SCEN_AUTH_PASSWORD"])
    assert not reason.is_failure, reason
