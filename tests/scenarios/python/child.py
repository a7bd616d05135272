"""The processes S05 and S21 kill: `python3 child.py will HOST PORT TOPIC` connects with a Will
and waits; `python3 child.py queue HOST PORT CLIENT_ID DIR TOPIC COUNT` queues QoS 1 messages in
a durable session without ever connecting, and waits. Each prints "ready" when it is, then
waits at most a minute for the SIGKILL (so a test that dies cannot leave it behind)."""

import sys
import time

import ouzel.mqtt.client as mqtt


def will(host, port, topic):
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.will_set(topic, b"lost without a goodbye", qos=1)
    client.connect(host, int(port))  # the blocking loop below answers the CONNACK
    deadline = time.monotonic() + 20
    while not client.is_connected() and time.monotonic() < deadline:
        client.loop(0.1)
    if not client.is_connected():
        sys.exit("child: no CONNACK")
    client.loop_start()


def queue(host, port, client_id, directory, topic, count):
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         clean_session=False, persistence=directory)
    for i in range(int(count)):
        # Offline: rc is MQTT_ERR_NO_CONN as in paho, but with persistence= the message is in
        # the store when publish() returns.
        client.publish(topic, f"durable {i}".encode(), qos=1)


if __name__ == "__main__":
    {"will": will, "queue": queue}[sys.argv[1]](*sys.argv[2:])
    print("ready", flush=True)
    time.sleep(60)
