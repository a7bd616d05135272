"""S19 four threads publishing on one client, S20 publishing from inside on_message."""

import threading

from conftest import TIMEOUT, connected_client, subscribed, unique

THREADS, PER_THREAD = 4, 1000


def test_s19_four_threads_publish_1000_qos1_each(clients):
    topic = unique("scen/s19")
    sub, inbox = connected_client(clients)
    subscribed(sub, inbox, topic, qos=1)
    pub, _ = connected_client(clients)
    infos = [[] for _ in range(THREADS)]

    def publisher(n):
        for i in range(PER_THREAD):
            infos[n].append(pub.publish(topic, f"{n}:{i}".encode(), qos=1))

    threads = [threading.Thread(target=publisher, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive(), "a publishing thread hung"
    for info in (i for per_thread in infos for i in per_thread):
        info.wait_for_publish(TIMEOUT)
    assert len({i.mid for per_thread in infos for i in per_thread}) == THREADS * PER_THREAD

    assert inbox.wait_count(THREADS * PER_THREAD), f"received {inbox.count()}"
    got = [m.payload.decode() for m in inbox.snapshot()]
    assert sorted(got) == sorted(f"{n}:{i}" for n in range(THREADS) for i in range(PER_THREAD))
    for n in range(THREADS):  # each thread's messages keep that thread's order
        mine = [int(p.split(":")[1]) for p in got if p.startswith(f"{n}:")]
        assert mine == list(range(PER_THREAD))


def test_s20_publish_from_inside_on_message(clients):
    requests, echoes = unique("scen/s20/in"), unique("scen/s20/out")
    echo, echo_inbox = connected_client(clients)

    def on_message(client, userdata, message):  # runs on the client's loop thread
        client.publish(echoes, b"echo " + message.payload, qos=1)

    echo.on_message = on_message
    subscribed(echo, echo_inbox, requests, qos=1)
    asker, inbox = connected_client(clients)
    subscribed(asker, inbox, echoes, qos=1)

    for i in range(10):
        asker.publish(requests, f"{i}".encode(), qos=1)
    assert inbox.wait_count(10), f"{inbox.count()} echoes of 10"
    assert [m.payload for m in inbox.snapshot()] == [f"echo {i}".encode() for i in range(10)]
