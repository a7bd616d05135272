"""What every Python scenario uses: the brokers the driver started (tests/scenarios/README.md),
unique names, bounded waiting, and an inbox that collects what a client receives."""

import os
import subprocess
import threading
import time
import uuid

import ouzel.mqtt.client as mqtt
import pytest

pytest_plugins = ["scenario_results"]  # writes the result lines the driver reads

E = os.environ
HOST = E.get("OUZEL_SCEN_HOST", "127.0.0.1")
TIMEOUT = float(E.get("OUZEL_SCEN_TIMEOUT", "20"))


def port(name):
    """OUZEL_SCEN_<name>_PORT as an int ("" for the main one)."""
    value = E.get(f"OUZEL_SCEN_{name + '_' if name else ''}PORT")
    if not value:
        pytest.fail(f"OUZEL_SCEN_{name + '_' if name else ''}PORT is not set: run me through "
                    "scripts/test-scenarios --lang python")
    return int(value)


def unique(prefix):
    """A topic or client id no other test (or earlier run on the same broker) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def wait_until(predicate, timeout=TIMEOUT, interval=0.005):
    """Polls `predicate` until it is true or `timeout` passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class Inbox:
    """Collects what a paho-style client's callbacks see: ``client.on_message = inbox.on_message``.
    Thread-safe; the callbacks run on the client's loop thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self.unsubscribed = threading.Event()
        self.connect_reason = None
        self.connect_properties = None

    def on_connect(self, client, userdata, flags, reason_code, properties):
        self.connect_reason, self.connect_properties = reason_code, properties
        self.connected.set()

    def on_subscribe(self, client, userdata, mid, reason_codes, properties):
        self.subscribed.set()

    def on_unsubscribe(self, client, userdata, mid, reason_codes, properties):
        self.unsubscribed.set()

    def on_message(self, client, userdata, message):
        with self.lock:
            self.messages.append(message)

    def attach(self, client):
        client.on_connect = self.on_connect
        client.on_subscribe = self.on_subscribe
        client.on_unsubscribe = self.on_unsubscribe
        client.on_message = self.on_message
        return client

    def count(self):
        with self.lock:
            return len(self.messages)

    def snapshot(self):
        with self.lock:
            return list(self.messages)

    def wait_count(self, n, timeout=TIMEOUT):
        return wait_until(lambda: self.count() >= n, timeout)


def connected_client(clients, inbox=None, broker_port=None, **kwargs):
    """A client with its network loop on a background thread, connected, as most programs use
    paho: connect(), loop_start(), then wait for on_connect."""
    inbox = inbox or Inbox()
    client = inbox.attach(mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, **kwargs))
    clients.append(client)
    client.connect(HOST, broker_port or port(""))
    client.loop_start()
    assert inbox.connected.wait(TIMEOUT), "no CONNACK"
    return client, inbox


def subscribed(client, inbox, topic, qos=2):
    inbox.subscribed.clear()
    client.subscribe(topic, qos=qos)
    assert inbox.subscribed.wait(TIMEOUT), f"no SUBACK for {topic}"


@pytest.fixture
def clients():
    """Clients made here are stopped and disconnected after the test, whatever happened."""
    made = []
    yield made
    for c in made:
        try:
            c.disconnect()
        except Exception:  # noqa: BLE001  (already closed is fine at teardown)
            pass
        c.loop_stop()


def broker_ctl(*command):
    """Stops, starts or restarts the restartable broker (OUZEL_SCEN_RESTART_PORT), or asks what
    it replayed (`broker_ctl("replayed", client_id)`), and returns broker-ctl's output lines;
    fails the test with its reason otherwise."""
    done = subprocess.run([E["OUZEL_SCEN_BROKER_CTL"], *command], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, f"broker-ctl {' '.join(command)}: {done.stderr.strip()}"
    return done.stdout.split()
