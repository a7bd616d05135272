"""The benchmark harness keeps working: worker.py runs each scenario with a few hundred messages
through ouzel.mqtt against a real Mosquitto (paho is not needed for this check)."""

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(os.path.dirname(HERE), "bench", "worker.py")


@pytest.fixture(scope="module")
def bench_broker():
    # As bench.py configures it: Mosquitto's default of 20 QoS 2 messages in flight per client
    # answers the rest of the publisher's 100-message window with Quota exceeded, which an MQTT
    # 3.1.1 PUBREC cannot carry, and drops them.
    from broker import Mosquitto
    b = Mosquitto(extra=["max_queued_messages 0", "max_inflight_messages 0",
                         "max_queued_bytes 0"])
    yield b
    b.close()


@pytest.mark.parametrize("scenario", ["publish", "pubsub", "plain"])
@pytest.mark.parametrize("qos", [0, 1, 2])
def test_worker_runs(bench_broker, scenario, qos):
    broker = bench_broker
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(HERE)
    out = subprocess.run([sys.executable, WORKER, "ouzel.mqtt.client", scenario, str(qos), "300",
                          str(broker.port), "32"], capture_output=True, text=True, timeout=120,
                         env=env)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["elapsed"] > 0 and result["cpu"] >= 0
