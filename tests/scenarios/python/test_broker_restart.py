"""S08: a broker restart in the middle of a QoS 1 / QoS 2 stream loses nothing.

Both clients keep their session (clean_session=False) and reconnect on their own. The broker
(persistence on) is stopped by the driver's broker-ctl while the subscriber is behind (it stalls
in on_message at message 300, so the broker holds the rest of the stream for it, some of it in
flight) and while the publisher still has messages to send; the second half of the stream is
published while the broker is down; then the broker starts again.

Mosquitto 2.0.11 itself re-sends, after the restart, QoS 2 messages whose PUBREL it had already
sent (tests/scenarios/README.md, S08): the one duplicate a client cannot prevent. A second
delivery is excused only when it is one of those (same packet id, DUP set, and named by
`broker-ctl replayed`); any other duplicate fails."""

import collections
import threading

import ouzel.mqtt.client as mqtt
from conftest import HOST, TIMEOUT, Inbox, broker_ctl, port, unique, wait_until

PER_QOS = 1000
STALL_AT = 300


def persistent_client(client_id, clients):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
    c.reconnect_delay_set(min_delay=0.1, max_delay=1)
    clients.append(c)
    return c


def test_s08_broker_restart_mid_stream(clients, record_property):
    broker_port = port("RESTART")
    topic = unique("scen/s08")
    inbox = Inbox()
    stalled, resume = threading.Event(), threading.Event()

    def slow_consumer(client, userdata, message):
        inbox.on_message(client, userdata, message)
        if inbox.count() == STALL_AT:
            stalled.set()
            resume.wait(TIMEOUT)

    sub_id = unique("s08-sub")
    sub = inbox.attach(persistent_client(sub_id, clients))
    sub.on_message = slow_consumer
    sub.connect(HOST, broker_port)
    sub.loop_start()
    assert inbox.connected.wait(TIMEOUT)
    sub.subscribe(topic, qos=2)
    assert inbox.subscribed.wait(TIMEOUT)

    pub = persistent_client(unique("s08-pub"), clients)
    acknowledged = set()  # mids; on_publish runs once per message, when its flow completes
    pub.on_publish = lambda client, userdata, mid, reason_code, properties: acknowledged.add(mid)
    pub.connect(HOST, broker_port)
    pub.loop_start()

    def publish(numbers):  # QoS 1 and QoS 2 alternating; "1:17" is message 17 at QoS 1
        return [pub.publish(topic, f"{1 + i % 2}:{i}".encode(), qos=1 + i % 2) for i in numbers]

    infos = publish(range(PER_QOS))
    assert stalled.wait(TIMEOUT), f"the stream never got going ({inbox.count()} received)"
    broker_ctl("stop")
    infos += publish(range(PER_QOS, 2 * PER_QOS))  # queued by the client while the broker is down
    resume.set()
    broker_ctl("start")

    # Messages published while offline have rc MQTT_ERR_NO_CONN (as in paho) yet are sent once
    # connected, so completion is watched through on_publish rather than wait_for_publish().
    mids = {info.mid for info in infos}
    assert len(mids) == 2 * PER_QOS
    assert wait_until(lambda: mids <= acknowledged), \
        f"{len(mids - acknowledged)} of {2 * PER_QOS} messages never acknowledged"

    def distinct():
        return {m.payload for m in inbox.snapshot()}

    assert wait_until(lambda: len(distinct()) >= 2 * PER_QOS), \
        f"received {len(distinct())} distinct messages of {2 * PER_QOS}"
    wait_until(lambda: False, timeout=0.3)  # a late duplicate would arrive now
    received = inbox.snapshot()
    assert all(m.qos == int(m.payload[:1]) for m in received), "a message changed QoS"
    replayed_by_broker = {int(mid) for mid in broker_ctl("replayed", sub_id)}
    deliveries = collections.defaultdict(list)  # payload -> [(mid, dup)]
    for m in received:
        deliveries[m.payload].append((m.mid, m.dup))
    not_excused = [(p, d) for p, d in deliveries.items() if p.startswith(b"2:") and any(
        not (dup and mid == d[0][0] and mid in replayed_by_broker) for mid, dup in d[1:])]
    excused = sum(len(d) - 1 for p, d in deliveries.items() if p.startswith(b"2:"))
    record_property("note", f"{excused} QoS 2 messages re-sent by the broker after PUBREL "
                            "(Mosquitto 2.0.11) were delivered again and excused")
    assert not not_excused, \
        f"{len(not_excused)} QoS 2 messages delivered twice: {sorted(not_excused)[:3]}"
    assert sub.stats()["reconnects"] >= 1 and pub.stats()["reconnects"] >= 1
