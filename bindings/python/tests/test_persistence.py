"""Durable sessions (beyond paho, whose session lives in memory only: its "Known limitations"):
with ``persistence=<directory>`` messages published by a process that then dies are sent by the
next process with the same client id, exactly once for QoS 2."""

import os
import subprocess
import sys
import tempfile

import ouzel.mqtt.client as mqtt
from conftest import TIMEOUT, wait_for
from test_behaviour import Inbox

HERE = os.path.dirname(os.path.abspath(__file__))


def run_child(src):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(HERE)
    subprocess.run([sys.executable, "-c", src], check=True, timeout=TIMEOUT, env=env)


def test_messages_published_before_a_crash_are_sent_after_restart(broker):
    store = tempfile.mkdtemp(prefix="ouzel-py-store-")
    inbox = Inbox(broker.port, "dur/#", qos=2)
    try:
        # A process that publishes while it cannot reach the broker, then dies.
        run_child(
            "import os, ouzel.mqtt.client as mqtt\n"
            "c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id='durable-pub',\n"
            f"                clean_session=False, persistence={store!r})\n"
            "for i in range(10):\n"
            "    assert c.publish('dur/q1', b'a%d' % i, qos=1).rc == mqtt.MQTT_ERR_NO_CONN\n"
            "    assert c.publish('dur/q2', b'b%d' % i, qos=2).rc == mqtt.MQTT_ERR_NO_CONN\n"
            "os._exit(0)\n")
        assert inbox.messages == []
        # The next process with the same id and store sends them.
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="durable-pub",
                        clean_session=False, persistence=store)
        report = c.persistence_report()
        assert report["enabled"] and report["outgoing"] == 20, report
        c.connect("127.0.0.1", broker.port)
        c.loop_start()
        try:
            assert wait_for(lambda: len(inbox.messages) >= 20)
        finally:
            c.disconnect()
            c.loop_stop()
        q1 = [m.payload for m in inbox.messages if m.topic == "dur/q1"]
        q2 = [m.payload for m in inbox.messages if m.topic == "dur/q2"]
        assert q1 == [b"a%d" % i for i in range(10)]
        assert q2 == [b"b%d" % i for i in range(10)]
    finally:
        inbox.close()


def test_invalid_persistence_sync_is_refused():
    import pytest
    with pytest.raises(ValueError, match="persistence_sync"):
        mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="x", clean_session=False,
                    persistence=tempfile.mkdtemp(), persistence_sync="sometimes")


def test_no_persistence_reports_disabled():
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    assert c.persistence_report()["enabled"] is False
