"""Messages that must survive something: S05 the Will on an abrupt loss, S07 publishing before
connecting, S11 a message not acknowledged by the application, S21 a process killed with
messages queued in its durable session."""

import os
import signal
import subprocess
import sys

import ouzel
import ouzel.mqtt.client as mqtt
from conftest import (E, HOST, TIMEOUT, Inbox, connected_client, port, subscribed, unique,
                      wait_until)

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child.py")


def start_child(*args):
    """Runs child.py with this test's `ouzel` package and waits for its "ready" line."""
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(ouzel.__file__)))
    child = subprocess.Popen([sys.executable, CHILD, *map(str, args)], env=env,
                             stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()  # bounded: the child exits within 20 s if it cannot connect
    assert line.strip() == "ready", f"the child did not get ready (exit {child.poll()})"
    return child


def kill(child):
    child.send_signal(signal.SIGKILL)
    child.wait(TIMEOUT)


def test_s05_will_is_published_when_the_connection_is_lost(clients):
    topic = unique("scen/s05")
    watcher, inbox = connected_client(clients)
    subscribed(watcher, inbox, topic, qos=1)
    child = start_child("will", HOST, port(""), topic)
    try:
        assert inbox.count() == 0, "the Will came while the client was alive"
    finally:
        kill(child)  # no DISCONNECT: the broker sees the connection drop
    assert inbox.wait_count(1), "the Will never arrived"
    assert inbox.snapshot()[0].payload == b"lost without a goodbye"


def test_s07_messages_published_before_connecting_arrive_once_connected(clients):
    topic = unique("scen/s07")
    watcher, inbox = connected_client(clients)
    subscribed(watcher, inbox, topic, qos=1)

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=unique("s07"))
    clients.append(client)
    infos = [client.publish(topic, f"early {i}".encode(), qos=1) for i in range(10)]
    # As in paho: rc says "not connected", and the message is queued anyway.
    assert all(info.rc == mqtt.MQTT_ERR_NO_CONN for info in infos)
    client.connect(HOST, port(""))
    client.loop_start()
    assert inbox.wait_count(10), f"{inbox.count()} of 10 arrived"
    assert [m.payload for m in inbox.snapshot()] == [f"early {i}".encode() for i in range(10)]


def test_s11_unacknowledged_message_is_delivered_again_after_reconnecting(clients):
    topic, client_id = unique("scen/s11"), unique("s11")

    def session():  # manual acknowledgement, session kept across connections
        return connected_client(clients, client_id=client_id, clean_session=False,
                                manual_ack=True)

    first, inbox = session()
    subscribed(first, inbox, topic, qos=1)
    pub, _ = connected_client(clients)
    pub.publish(topic, b"handle me", qos=1).wait_for_publish(TIMEOUT)
    assert inbox.wait_count(1)
    assert inbox.snapshot()[0].dup is False
    first.disconnect()  # without client.ack(): the broker still owes us this message
    first.loop_stop()

    second, again = session()
    assert again.wait_count(1), "the unacknowledged message was not delivered again"
    message = again.snapshot()[0]
    assert (message.payload, message.dup) == (b"handle me", True)
    second.ack(message.mid, message.qos)  # now the PUBACK goes out
    second.disconnect()
    second.loop_stop()

    # Acknowledged: a third connection gets only what is published next.
    third, last = session()
    pub.publish(topic, b"next", qos=1).wait_for_publish(TIMEOUT)
    assert last.wait_count(1)
    assert [m.payload for m in last.snapshot()] == [b"next"]


def test_s21_messages_queued_by_a_killed_process_are_sent_by_its_successor(clients, tmp_path):
    topic, client_id = unique("scen/s21"), unique("s21")
    directory = os.path.join(E.get("OUZEL_SCEN_WORK") or str(tmp_path), client_id)
    watcher, inbox = connected_client(clients)
    subscribed(watcher, inbox, topic, qos=1)

    kill(start_child("queue", HOST, port(""), client_id, directory, topic, 20))

    successor = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                            clean_session=False, persistence=directory)
    clients.append(successor)
    report = successor.persistence_report()
    assert report["outgoing"] == 20, report["summary"]
    successor.connect(HOST, port(""))
    successor.loop_start()
    assert inbox.wait_count(20), f"{inbox.count()} of 20 arrived"
    assert [m.payload for m in inbox.snapshot()] == [f"durable {i}".encode() for i in range(20)]
    assert wait_until(lambda: successor.stats()["inflight"] + successor.stats()["queued"] == 0)
