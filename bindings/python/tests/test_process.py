"""How a program using ouzel.mqtt ends: interpreter exit with a loop_start() thread running, and
Ctrl-C (SIGINT) in loop_forever() and subscribe.callback(). Each program runs in its own
process, as a user runs it; paho ends the same way (exit status 0, KeyboardInterrupt)."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from conftest import TIMEOUT

HERE = os.path.dirname(os.path.abspath(__file__))


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(HERE) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(src, timeout=TIMEOUT):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(src)], capture_output=True,
                          text=True, timeout=timeout, env=_env())


def start(src):
    return subprocess.Popen([sys.executable, "-u", "-c", textwrap.dedent(src)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env())


def wait_for_line(proc, expected, timeout=TIMEOUT):
    """Reads proc's stdout until a line equal to `expected` (True) or EOF/timeout (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            return False
        if line.strip() == expected:
            return True
    return False


def interrupt(proc):
    """SIGINT, as Ctrl-C sends it; returns (returncode, stderr), killing proc if it hangs."""
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate(timeout=TIMEOUT)
        return None, err
    return proc.returncode, err


# --- Interpreter exit ---------------------------------------------------------------------------

def test_exit_with_loop_start_thread_never_connected_exits_zero():
    p = run("""
        import ouzel.mqtt.client as m
        c = m.Client(m.CallbackAPIVersion.VERSION2)
        c.loop_start()
    """)
    assert p.returncode == 0, p.stderr


def test_exit_with_loop_start_thread_connected_exits_zero(broker):
    # paho's client_pub-wait.py and its README's loop_start() snippets end this way.
    p = run(f"""
        import ouzel.mqtt.client as m
        c = m.Client(m.CallbackAPIVersion.VERSION2)
        c.connect("127.0.0.1", {broker.port})
        c.loop_start()
        c.publish("exit/test", "x", qos=1).wait_for_publish(10)
        print("published")
    """)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "published"


def test_exit_with_several_clients_and_threads_exits_zero(broker):
    p = run(f"""
        import ouzel.mqtt.client as m
        clients = []
        for i in range(3):
            c = m.Client(m.CallbackAPIVersion.VERSION2, client_id=f"exit-{{i}}")
            c.on_message = lambda *a: None
            c.connect("127.0.0.1", {broker.port})
            c.subscribe("exit/#")
            c.loop_start()
            clients.append(c)
        clients[0].publish("exit/x", "y", qos=1).wait_for_publish(10)
    """)
    assert p.returncode == 0, p.stderr


def test_exit_with_durable_store_keeps_queued_message(broker, tmp_path):
    # Freeing the engine at exit (after the loop thread stopped) still flushes the store: the
    # next process finds the message published while offline.
    store = str(tmp_path / "store")
    p = run(f"""
        import ouzel.mqtt.client as m
        c = m.Client(m.CallbackAPIVersion.VERSION2, client_id="exit-durable",
                     clean_session=False, persistence={store!r})
        c.loop_start()
        c.publish("exit/durable", "kept", qos=1)
    """)
    assert p.returncode == 0, p.stderr
    p = run(f"""
        import ouzel.mqtt.client as m
        c = m.Client(m.CallbackAPIVersion.VERSION2, client_id="exit-durable",
                     clean_session=False, persistence={store!r})
        print(c.persistence_report()["outgoing"])
    """)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "1"
