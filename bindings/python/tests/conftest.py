"""pytest fixtures: the package under test (from this source tree unless installed), a real
Mosquitto per module (or per test), and bounded waiting."""

import os
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
if os.environ.get("OUZEL_TEST_INSTALLED") != "1":
    sys.path.insert(0, os.path.dirname(HERE))

from broker import Mosquitto  # noqa: E402

# Long enough for a loaded 2-core machine under ASan; a passing test never waits this long.
TIMEOUT = float(os.environ.get("OUZEL_TEST_TIMEOUT", "20"))


def wait_for(predicate, timeout=TIMEOUT, interval=0.005):
    """Polls `predicate` until it is true or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@pytest.fixture(scope="module")
def broker():
    b = Mosquitto()
    yield b
    b.close()


@pytest.fixture
def fresh_broker():
    b = Mosquitto()
    yield b
    b.close()


@pytest.fixture
def make_broker():
    made = []

    def make(**kwargs):
        b = Mosquitto(**kwargs)
        made.append(b)
        return b

    yield make
    for b in made:
        b.close()
