"""S03 every QoS byte for byte, S04 retained messages, S06 unsubscribe, S22 shared
subscriptions."""

from conftest import TIMEOUT, connected_client, subscribed, unique, wait_until

PER_QOS = 100


def payload(qos, i):
    """Binary payloads with zero bytes in them, of varying length; the first is empty."""
    if i == 0:
        return b""
    return bytes([qos, 0, i % 256, 0]) + bytes((i * k) % 256 for k in range(i % 37))


def test_s03_publish_and_receive_100_messages_at_each_qos(clients):
    base = unique("scen/s03")
    sub, inbox = connected_client(clients)
    subscribed(sub, inbox, f"{base}/#", qos=2)
    pub, _ = connected_client(clients)

    infos = [pub.publish(f"{base}/{qos}", payload(qos, i), qos=qos)
             for qos in (0, 1, 2) for i in range(PER_QOS)]
    for info in infos:
        info.wait_for_publish(TIMEOUT)
    assert inbox.wait_count(3 * PER_QOS), f"received {inbox.count()} of {3 * PER_QOS}"

    for qos in (0, 1, 2):
        got = [m for m in inbox.snapshot() if m.topic == f"{base}/{qos}"]
        assert [m.qos for m in got] == [qos] * PER_QOS, f"QoS {qos}: arrived at another QoS"
        assert [m.payload for m in got] == [payload(qos, i) for i in range(PER_QOS)], \
            f"QoS {qos}: payloads differ or out of order"


def test_s04_retained_message_reaches_a_later_subscriber_and_is_cleared(clients):
    topic = unique("scen/s04")
    pub, _ = connected_client(clients)
    pub.publish(topic, b"21.5", qos=1, retain=True).wait_for_publish(TIMEOUT)

    late, late_inbox = connected_client(clients)
    subscribed(late, late_inbox, topic, qos=1)
    assert late_inbox.wait_count(1), "the retained message did not arrive"
    first = late_inbox.snapshot()[0]
    assert (first.payload, first.retain) == (b"21.5", True)

    # An empty retained publish clears it: a subscriber after that gets only what comes next.
    pub.publish(topic, b"", qos=1, retain=True).wait_for_publish(TIMEOUT)
    later, later_inbox = connected_client(clients)
    subscribed(later, later_inbox, topic, qos=1)
    pub.publish(topic, b"live", qos=1).wait_for_publish(TIMEOUT)
    assert later_inbox.wait_count(1)
    got = later_inbox.snapshot()
    assert [(m.payload, m.retain) for m in got] == [(b"live", False)], \
        f"a cleared retained message still arrived: {[(m.payload, m.retain) for m in got]}"


def test_s06_no_message_arrives_after_unsuback(clients):
    topic, marker = unique("scen/s06"), unique("scen/s06-marker")
    sub, inbox = connected_client(clients)
    subscribed(sub, inbox, topic, qos=1)
    subscribed(sub, inbox, marker, qos=1)
    pub, _ = connected_client(clients)
    pub.publish(topic, b"before", qos=1).wait_for_publish(TIMEOUT)
    assert inbox.wait_count(1)

    sub.unsubscribe(topic)
    assert inbox.unsubscribed.wait(TIMEOUT), "no UNSUBACK"
    # The broker handles one publisher's messages in order: once the marker (sent after) has
    # arrived, a message on the unsubscribed topic would have arrived before it.
    pub.publish(topic, b"after", qos=1).wait_for_publish(TIMEOUT)
    pub.publish(marker, b"marker", qos=1).wait_for_publish(TIMEOUT)
    assert inbox.wait_count(2)
    assert [m.payload for m in inbox.snapshot()] == [b"before", b"marker"]


def test_s22_shared_subscription_gives_each_message_to_one_member(clients):
    topic = unique("scen/s22")
    members = [connected_client(clients) for _ in range(2)]
    for client, inbox in members:
        subscribed(client, inbox, f"$share/g/{topic}", qos=1)
    pub, _ = connected_client(clients)

    sent = [f"job {i}".encode() for i in range(100)]
    for info in [pub.publish(topic, p, qos=1) for p in sent]:
        info.wait_for_publish(TIMEOUT)
    first, second = (inbox for _, inbox in members)
    assert wait_until(lambda: first.count() + second.count() >= len(sent)), \
        f"received {first.count() + second.count()} of {len(sent)}"
    a = [m.payload for m in first.snapshot()]
    b = [m.payload for m in second.snapshot()]
    assert sorted(a + b) == sorted(sent), "a message was lost or delivered to both"
    assert not set(a) & set(b)
    assert a and b, f"one member got everything ({len(a)} / {len(b)})"
