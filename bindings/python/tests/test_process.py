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
    """SIGINT, as Ctrl-C sends it; returns (returncode or None when it had to be killed, the
    rest of stdout, stderr)."""
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=TIMEOUT)
        return None, out, err
    return proc.returncode, out, err


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


# --- Ctrl-C -------------------------------------------------------------------------------------

def test_ctrl_c_stops_subscribe_callback_script(broker):
    # A retained message tells when subscribe.callback() (in loop_forever) is running.
    import ouzel.mqtt.publish as publish
    publish.single("ctrl-c/t", "x", qos=1, retain=True, hostname="127.0.0.1", port=broker.port)
    proc = start(f"""
        import ouzel.mqtt.subscribe as subscribe

        def on_message(client, userdata, message):
            print("message", flush=True)

        subscribe.callback(on_message, "ctrl-c/#", qos=1, hostname="127.0.0.1",
                           port={broker.port})
    """)
    assert wait_for_line(proc, "message")
    rc, _, err = interrupt(proc)
    assert rc is not None, "SIGINT did not stop subscribe.callback(); the process had to be killed"
    # An uncaught KeyboardInterrupt ends Python by SIGINT (status -2), as it does with paho.
    assert rc == -signal.SIGINT and "KeyboardInterrupt" in err, (rc, err)


def test_ctrl_c_while_loop_start_thread_runs_exits_through_keyboard_interrupt(broker):
    # The README pattern: loop_start(), then the main thread sleeps until Ctrl-C.
    proc = start(f"""
        import time
        import ouzel.mqtt.client as m
        c = m.Client(m.CallbackAPIVersion.VERSION2)
        c.on_connect = lambda *a: print("connected", flush=True)
        c.connect("127.0.0.1", {broker.port})
        c.loop_start()
        while True:
            time.sleep(1)
    """)
    assert wait_for_line(proc, "connected")
    rc, _, err = interrupt(proc)
    assert rc == -signal.SIGINT and "KeyboardInterrupt" in err, (rc, err)
    assert "Segmentation" not in err and "Fatal Python error" not in err, err


def test_ctrl_c_stops_loop_forever_busy_with_messages(broker):
    # Signals that arrive while the loop handles messages (not waiting) must still stop it.
    proc = start(f"""
        import threading, time
        import ouzel.mqtt.client as m

        def flood():
            pub = m.Client(m.CallbackAPIVersion.VERSION2)
            pub.connect("127.0.0.1", {broker.port})
            pub.loop_start()
            for _ in range(200000):  # bounded: at most ~a minute, the test ends far sooner
                pub.publish("flood/t", b"x" * 100)
                time.sleep(0.0002)

        count = 0
        def on_message(client, userdata, message):
            global count
            count += 1
            if count == 100:
                print("flowing", flush=True)

        c = m.Client(m.CallbackAPIVersion.VERSION2)
        c.on_message = on_message
        c.on_connect = lambda client, *a: client.subscribe("flood/#")
        c.connect("127.0.0.1", {broker.port})
        threading.Thread(target=flood, daemon=True).start()
        try:
            c.loop_forever()
        except KeyboardInterrupt:
            print("interrupted", flush=True)
    """)
    assert wait_for_line(proc, "flowing")
    rc, out, err = interrupt(proc)
    assert rc == 0, (rc, err)
    assert out.strip() == "interrupted", out


def test_ctrl_c_stops_loop_forever_keeping_connection_and_wakeup_fd(broker):
    # KeyboardInterrupt out of loop_forever(), the connection left as it was (as in paho). The
    # wakeup descriptor asyncio and others may have set still gets the signal's number and is
    # put back afterwards (loop_forever borrows it).
    proc = start(f"""
        import signal, socket
        import ouzel.mqtt.client as m
        r, w = socket.socketpair()
        r.setblocking(False); w.setblocking(False)
        signal.set_wakeup_fd(w.fileno())
        c = m.Client(m.CallbackAPIVersion.VERSION2)
        c.on_connect = lambda *a: print("connected", flush=True)
        c.connect("127.0.0.1", {broker.port})
        try:
            c.loop_forever()
        except KeyboardInterrupt:
            print("interrupted:", "connected" if c.is_connected() else "not connected")
        print("forwarded", list(r.recv(16)))
        print("restored", signal.set_wakeup_fd(-1) == w.fileno())
    """)
    assert wait_for_line(proc, "connected")
    rc, out, err = interrupt(proc)
    assert rc == 0, (rc, err)
    assert "interrupted: connected" in out, out
    assert "forwarded [2]" in out, out  # SIGINT's number, as Python writes it
    assert "restored True" in out, out
