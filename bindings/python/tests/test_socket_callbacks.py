"""on_socket_open / on_socket_close / on_socket_(un)register_write as paho gives them, which is
what event-loop integrations (paho's loop_asyncio.py, aiomqtt, Home Assistant) rely on: a socket
is reported once it is connected (a refused attempt reports nothing), every socket opened is closed
once, and write interest is dropped before the socket closes.

Against a real Mosquitto, which listens on 127.0.0.1 only. The "first address refused" cases use
a name that resolves to [::1] then 127.0.0.1 (what "localhost" gives on most machines), from a
test hosts file read through nss_wrapper (libnss-wrapper, scripts/setup) in a subprocess."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading

import pytest

import ouzel.aio
import ouzel.mqtt.client as mqtt

from conftest import TIMEOUT, wait_for
from test_aio import AsyncioHelper

HERE = os.path.dirname(os.path.abspath(__file__))
DUAL_HOST = "ouzel-dual-stack"  # [::1] (refused), then 127.0.0.1
NSS_WRAPPER = "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dual_stack(tmp_path_factory):
    """Runs `scenario(*args)` of this module in a process where DUAL_HOST resolves to [::1] then
    127.0.0.1; returns what it returned (JSON)."""
    if not os.path.exists(NSS_WRAPPER):
        pytest.skip("libnss-wrapper is not installed (scripts/setup installs it)")
    hosts = tmp_path_factory.mktemp("hosts") / "hosts"
    hosts.write_text(f"::1 {DUAL_HOST}\n127.0.0.1 {DUAL_HOST}\n")
    # Under --config=asan the runtime preloaded by run_pytest.sh must stay first.
    preload = " ".join(x for x in (os.environ.get("LD_PRELOAD", ""), NSS_WRAPPER) if x)
    env = dict(os.environ, LD_PRELOAD=preload, NSS_WRAPPER_HOSTS=str(hosts))
    env["PYTHONPATH"] = os.pathsep.join([HERE, os.path.dirname(HERE),
                                         env.get("PYTHONPATH", "")])

    def run(scenario, *args):
        src = ("import json, sys, test_socket_callbacks as t\n"
               f"print(json.dumps(t.{scenario}(*{args!r})))\n")
        p = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True,
                           timeout=TIMEOUT + 10, env=env)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout.strip().splitlines()[-1])

    check = run("resolved", DUAL_HOST)
    assert check == ["::1", "127.0.0.1"], check
    return run


def resolved(host):
    return [ai[4][0] for ai in socket.getaddrinfo(host, 1883, type=socket.SOCK_STREAM)]


class SocketLog:
    """Records the socket callbacks as [event, fd]."""

    def __init__(self, client):
        self.events = []
        self.lock = threading.Lock()
        for name in ("open", "close", "register_write", "unregister_write"):
            self.chain(client, name, self._recorder(name))

    @staticmethod
    def chain(client, name, func):
        """Adds `func` after the callback already set for on_socket_`name`."""
        first = getattr(client, f"on_socket_{name}")

        def both(c, userdata, sock):
            if first is not None:
                first(c, userdata, sock)
            func(c, userdata, sock)
        setattr(client, f"on_socket_{name}", both)

    def _recorder(self, name):
        def record(client, userdata, sock):
            with self.lock:
                self.events.append([name, sock.fileno()])
        return record

    @staticmethod
    def balanced(events):
        """Each socket opened is closed once, before the next opens; write interest on the open
        socket only, and dropped before its close; nothing left open."""
        open_fd, writing = None, False
        for event, fd in events:
            if event == "open":
                assert open_fd is None, f"second open without close: {events}"
                open_fd, writing = fd, False
            elif event == "close":
                assert fd == open_fd, f"close of a socket not open: {events}"
                assert not writing, f"closed while registered for writing: {events}"
                open_fd = None
            else:
                assert fd == open_fd, f"{event} on a socket not open: {events}"
                writing = event == "register_write"
        assert open_fd is None, f"left open: {events}"
        return True


def test_refused_connection_reports_no_socket():
    port = free_port()
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    log = SocketLog(c)
    with pytest.raises(ConnectionRefusedError):
        c.connect("127.0.0.1", port)
    assert log.events == []
    assert c.socket() is None


def blocking_connect(host, port):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    log = SocketLog(c)
    c.connect(host, port)
    fd, peer = c.socket().fileno(), c.socket().getpeername()[0]
    c.disconnect()  # asks for write interest (on_socket_register_write is set) ...
    c.loop_write()  # ... and the host's writability callback then sends DISCONNECT, closes
    return log.events, fd, peer


def test_blocking_connect_after_a_refused_address_reports_only_the_connected_socket(
        broker, dual_stack):
    events, fd, peer = dual_stack("blocking_connect", DUAL_HOST, broker.port)
    assert peer == "127.0.0.1"
    assert [e for e in events if e[0] == "open"] == [["open", fd]], events
    assert SocketLog.balanced(events)
def test_loop_thread_reports_nothing_for_failed_attempts():
    port = free_port()
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    c.reconnect_delay_set(0.05, 0.05)
    failures = []
    c.on_connect_fail = lambda client, userdata: failures.append(1)
    log = SocketLog(c)
    c.connect_async("127.0.0.1", port)
    c.loop_start()
    try:
        assert wait_for(lambda: len(failures) >= 3)
    finally:
        c.disconnect()
        c.loop_stop()
    assert log.events == []


def test_loop_thread_reports_the_socket_once_connected_and_closes_it(broker):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    log = SocketLog(c)
    connected = threading.Event()
    c.on_connect = lambda *a: connected.set()
    c.loop_start()  # before connect_async: the thread makes the connection
    c.connect_async("127.0.0.1", broker.port)
    try:
        assert connected.wait(TIMEOUT)
        assert [e for e, _ in log.events][:1] == ["open"]
        c.disconnect()
        assert wait_for(lambda: "close" in [e for e, _ in log.events])
    finally:
        c.loop_stop()
    assert SocketLog.balanced(log.events)


def asyncio_example(host, port, reconnect=False):
    """paho's examples/loop_asyncio.py against `host` (three 200 kB round trips through a 2 kB
    send buffer), with Home Assistant's disconnect() + reconnect() before the second when
    `reconnect`. Returns the socket events and the descriptors asyncio still watches."""
    async def main():
        loop = asyncio.get_running_loop()
        futures = {"disconnected": loop.create_future(), "subscribed": loop.create_future()}
        topic = f"paho/asyncio/{host}/{reconnect}"

        def settle(name, value):
            if futures.get(name) is not None and not futures[name].done():
                futures[name].set_result(value)

        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"asyncio-{reconnect}")
        client.on_connect = lambda c, *a: c.subscribe(topic)
        client.on_subscribe = lambda *a: settle("subscribed", True)
        client.on_message = lambda c, u, msg: settle("message", msg.payload)
        client.on_disconnect = lambda c, u, f, reason, p: settle("disconnected", reason)
        AsyncioHelper(loop, client)
        log = SocketLog(client)
        client.connect(host, port, 60)
        client.socket().setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 2048)
        await futures["subscribed"]
        for round_ in range(3):
            if reconnect and round_ == 1:
                client.disconnect()
                await futures["disconnected"]
                futures["disconnected"] = loop.create_future()
                futures["subscribed"] = loop.create_future()
                client.reconnect()
                await futures["subscribed"]
            futures["message"] = loop.create_future()
            client.publish(topic, b"Hello" * 40000, qos=1)
            assert len(await futures["message"]) == 200000
        client.disconnect()
        assert str(await futures["disconnected"]) == "Normal disconnection"
        await asyncio.sleep(0)
        ssock = getattr(loop, "_ssock", None)  # the loop's own self-pipe
        watched = [key.fd for key in loop._selector.get_map().values()
                   if ssock is None or key.fd != ssock.fileno()]
        return log.events, watched

    return asyncio.run(asyncio.wait_for(main(), TIMEOUT))


@pytest.mark.parametrize("reconnect", [False, True], ids=["once", "disconnect-reconnect"])
def test_paho_asyncio_example(broker, reconnect):
    events, watched = asyncio_example("127.0.0.1", broker.port, reconnect)
    assert SocketLog.balanced(events)
    assert [e for e, _ in events].count("open") == (2 if reconnect else 1), events
    assert watched == [], f"asyncio still watches closed sockets: {watched}"


@pytest.mark.parametrize("reconnect", [False, True], ids=["once", "disconnect-reconnect"])
def test_paho_asyncio_example_after_a_refused_address(broker, dual_stack, reconnect):
    events, watched = dual_stack("asyncio_example", DUAL_HOST, broker.port, reconnect)
    assert SocketLog.balanced(events)
    assert [e for e, _ in events].count("open") == (2 if reconnect else 1), events
    assert watched == [], f"asyncio still watches closed sockets: {watched}"


def aio_readme_example(host, port):
    async def main():
        async with ouzel.aio.Client(host, port, client_id="demo") as client:
            await client.subscribe("sensors/#", qos=1)
            await client.publish("sensors/1", b"21.5", qos=1)
            async for message in client.messages:
                return message.topic, message.payload.decode()
    return asyncio.run(asyncio.wait_for(main(), TIMEOUT))


def test_aio_readme_example_after_a_refused_address(broker, dual_stack):
    assert dual_stack("aio_readme_example", DUAL_HOST, broker.port) == ["sensors/1", "21.5"]
