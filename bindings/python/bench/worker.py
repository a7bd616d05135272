"""One benchmark run in its own process: `python worker.py <module> <scenario> <qos> <n> <port>
<payload bytes>` prints one JSON line {"elapsed": s, "cpu": s, "user": s, "sys": s}.

<module> is paho.mqtt.client or ouzel.mqtt.client: the same code drives both.
Scenarios (all through the library's own loop thread, loop_start):
  publish   one client publishes n messages; done when the last MQTTMessageInfo is published
            (QoS 0: written; QoS 1: PUBACK; QoS 2: PUBCOMP); that all were is checked after
  pubsub    a subscriber (same library, same process) subscribed at <qos>; a publisher
            publishes n messages at <qos>; done when the subscriber's on_message saw all n
  plain     the plainest paho program, as a new user writes it: default in-flight window (20),
            on_publish counts completions; n publishes at <qos> from the main thread, then
            one QoS 1 sentinel; done at the sentinel's on_publish (every on_publish counted)
CPU is this process's user + system time over the measured part only (connecting and
disconnecting are outside it); the broker is another process.
"""

import importlib
import json
import resource
import sys
import threading
import time


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime


def connect(mqtt, port, name):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=name)
    c.max_inflight_messages_set(100)
    ready = threading.Event()
    c.on_connect = lambda *a: ready.set()
    c.connect("127.0.0.1", port)
    c.loop_start()
    if not ready.wait(20):
        raise SystemExit("no CONNACK")
    return c


def plain(mqtt, module, qos, n, port, payload):
    """The plain pattern: nothing tuned, completions counted in on_publish."""
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-plain-{module}")
    ready = threading.Event()
    done = threading.Event()
    count = [0]
    total = n + 1  # the n messages and the sentinel

    def on_publish(client, userdata, mid, reason_code, properties):
        count[0] += 1
        if count[0] == total:
            done.set()

    c.on_connect = lambda *a: ready.set()
    c.on_publish = on_publish
    c.connect("127.0.0.1", port)
    c.loop_start()
    if not ready.wait(20):
        raise SystemExit("no CONNACK")
    time.sleep(0.2)
    topic = f"bench/plain/{qos}"
    u0, s0 = cpu()
    t0 = time.perf_counter()
    for _ in range(n):
        c.publish(topic, payload, qos)
    c.publish(topic, payload, 1)
    if not done.wait(300):
        raise SystemExit(f"{count[0]} of {total} on_publish")
    t1 = time.perf_counter()
    u1, s1 = cpu()
    c.disconnect()
    c.loop_stop()
    return t1 - t0, (u1 - u0), (s1 - s0)


def main():
    module, scenario, qos, n, port, size = sys.argv[1:7]
    qos, n, port, size = int(qos), int(n), int(port), int(size)
    mqtt = importlib.import_module(module)
    if scenario == "plain":
        elapsed, user, system = plain(mqtt, module, qos, n, port, b"x" * size)
        print(json.dumps({"elapsed": elapsed, "cpu": user + system, "user": user,
                          "sys": system}))
        return
    payload = b"x" * size
    topic = f"bench/{scenario}/{qos}"
    got = [0]
    done = threading.Event()
    sub = None
    if scenario == "pubsub":
        sub = connect(mqtt, port, f"bench-sub-{module}")
        subscribed = threading.Event()
        sub.on_subscribe = lambda *a: subscribed.set()

        def on_message(client, userdata, msg):
            got[0] += 1
            if got[0] == n:
                done.set()

        sub.on_message = on_message
        sub.subscribe(topic, qos)
        if not subscribed.wait(20):
            raise SystemExit("no SUBACK")
    pub = connect(mqtt, port, f"bench-pub-{module}")
    time.sleep(0.2)
    u0, s0 = cpu()
    t0 = time.perf_counter()
    publish = pub.publish
    infos = [publish(topic, payload, qos) for _ in range(n)]
    if scenario == "publish":
        # Both libraries complete messages in order on one connection: waiting for the last
        # one is waiting for all (checked below, outside the measured part).
        infos[-1].wait_for_publish(120)
    else:
        if not done.wait(300):
            raise SystemExit(f"received {got[0]} of {n}")
    t1 = time.perf_counter()
    u1, s1 = cpu()
    if scenario == "publish" and not all(info.is_published() for info in infos):
        raise SystemExit("not every message was published")
    for c in (pub, sub):
        if c is not None:
            c.disconnect()
            c.loop_stop()
    print(json.dumps({"elapsed": t1 - t0, "cpu": (u1 - u0) + (s1 - s0), "user": u1 - u0,
                      "sys": s1 - s0}))


if __name__ == "__main__":
    main()
