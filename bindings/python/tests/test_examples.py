"""The examples of paho-mqtt's README, unchanged but for the import, against a real Mosquitto."""

import os
import subprocess
import sys
import time

import pytest

from conftest import TIMEOUT

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "examples")


@pytest.fixture(scope="module")
def broker_with_sys():
    from broker import Mosquitto
    b = Mosquitto(extra=["sys_interval 1"])
    yield b
    b.close()


def example_source(name, port, placeholder=None):
    with open(os.path.join(EXAMPLES, name)) as f:
        src = f.read()
    assert "import ouzel.mqtt.client as mqtt" in src
    assert "paho" not in src.split("\n", 3)[0]
    src = src.replace('"mqtt.eclipseprojects.io", 1883', f'"127.0.0.1", {port}')
    src = src.replace('connect("mqtt.eclipseprojects.io")', f'connect("127.0.0.1", {port})')
    if placeholder is not None:
        assert "[...]" in src
        src = src.replace("[...]", placeholder)
    return src


def env():
    e = dict(os.environ)
    e["PYTHONPATH"] = os.path.dirname(HERE) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def run(src, timeout=TIMEOUT):
    return subprocess.run([sys.executable, "-c", src], capture_output=True, text=True,
                          timeout=timeout, env=env())


def test_subscriber_example_receives_ten_sys_messages_and_unsubscribes(broker_with_sys):
    p = run(example_source("subscriber.py", broker_with_sys.port))
    assert p.returncode == 0, p.stderr
    assert "Broker granted the following QoS: 0" in p.stdout
    assert "unsubscribe succeeded" in p.stdout
    last = p.stdout.strip().splitlines()[-1]
    assert last.startswith("Received the following message: [b'")
    assert last.count("b'") >= 10


def test_publisher_example_gets_both_messages_acknowledged(broker_with_sys):
    p = run(example_source("publisher.py", broker_with_sys.port))
    assert p.returncode == 0, p.stderr
    assert "not present in unacked_publish" not in p.stdout


def test_getting_started_example_prints_sys_messages(broker_with_sys):
    src = example_source("getting_started.py", broker_with_sys.port)
    proc = subprocess.Popen([sys.executable, "-u", "-c", src], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env())
    lines = []
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if len(lines) >= 5:
                break
    finally:
        proc.kill()
        proc.wait(10)
    assert lines and lines[0].strip() == "Connected with result code Success", lines
    assert all(line.startswith("$SYS/") for line in lines[1:]), lines


LOGGER_WORK = ("mqttc.publish('ex/log', 'x', qos=1).wait_for_publish(10)\n"
               "mqttc.disconnect()\nmqttc.loop_stop()")


def test_logger_example_logs_through_logging(broker_with_sys):
    p = run(example_source("logger.py", broker_with_sys.port, LOGGER_WORK))
    assert p.returncode == 0, p.stderr
    log = p.stderr
    assert "DEBUG:paho.mqtt.client:Sending CONNECT (u0, p0, wr0, wq0, wf0, c1, k60)" in log, log
    assert "DEBUG:paho.mqtt.client:Received CONNACK (0, 0)" in log, log
    assert "DEBUG:paho.mqtt.client:Sending PUBLISH (d0, q1, r0, m1), 'b'ex/log''" in log, log
    assert "DEBUG:paho.mqtt.client:Sending DISCONNECT" in log, log


def test_on_log_example_runs(broker_with_sys):
    p = run(example_source("on_log.py", broker_with_sys.port, LOGGER_WORK))
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""
