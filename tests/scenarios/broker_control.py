"""The brokers one language's scenarios run against, and the control socket `broker-ctl` talks to.

Four Mosquitto processes on free loopback ports, started by the Python binding's test fixture
(bindings/python/tests/broker.py, so there is one way to start Mosquitto in Python here):
- main: plain TCP, TLS with client certificates required, WebSocket;
- auth: a password file, anonymous refused (S18);
- limit: `max_packet_size` (a global Mosquitto option, hence its own process; S16);
- restart: persistence on, stopped and started by `broker-ctl` while the runner waits (S08).
"""

import os
import socket
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python", "tests"))

import certs  # noqa: E402  (bindings/python/tests/certs.py)
from broker import Mosquitto  # noqa: E402  (bindings/python/tests/broker.py)

AUTH_USER = "scenario-user"
AUTH_PASSWORD = "right-password"
MAX_PACKET_SIZE = 4096
# The brokers keep every message for a slow or offline session: Mosquitto's default drops QoS 1/2
# messages silently beyond 1,000 queued per client, which a subscriber behind a 4,000-message
# burst (S19) or behind a restart (S08) reaches.
KEEP_EVERY_MESSAGE = ["max_queued_messages 0"]
# The restart broker also logs every packet, for `broker-ctl replayed` (replayed_after_pubrel).
RESTART_BROKER_CONFIG = KEEP_EVERY_MESSAGE + ["log_type all"]


def make_certs(directory):
    """A CA, a server certificate for 127.0.0.1/localhost, a client certificate, another CA."""
    return certs.make(directory)


def replayed_after_pubrel(log, client_id):
    """Packet ids of QoS 2 messages Mosquitto re-sent to `client_id` as a PUBLISH (DUP) after a
    restart although it had sent their PUBREL before it, without the PUBCOMP coming back.

    Mosquitto 2.0.11 restores such a message from its persistence file as one still to publish,
    against "MUST NOT re-send the PUBLISH once it has sent the corresponding PUBREL" [MQTT-4.3.3].
    The client had answered the PUBREL (its PUBCOMP was lost with the connection), so the packet
    id was free and the PUBLISH is a new message to it: a duplicate no client can prevent (seen
    and explained in tests/integration/broker_restart_test.cc). S08 excuses exactly these."""
    pubrel = f"Sending PUBREL to {client_id} (m"
    pubcomp = f"Received PUBCOMP from {client_id} (Mid: "
    publish = f"Sending PUBLISH to {client_id} (d1, q2, "
    awaiting_pubcomp, replayed, restarted = set(), set(), False
    for line in log.splitlines():
        if "terminating" in line:
            restarted = True
        elif pubrel in line:
            awaiting_pubcomp.add(_number_after(line, pubrel))
        elif pubcomp in line:
            awaiting_pubcomp.discard(_number_after(line, pubcomp))
        elif restarted and publish in line:
            mid = _number_after(line, ", m", line.index(publish) + len(publish))
            if mid in awaiting_pubcomp:
                replayed.add(mid)
    return sorted(replayed)


def _number_after(line, marker, start=0):
    at = line.index(marker, start) + len(marker)
    end = at
    while end < len(line) and line[end].isdigit():
        end += 1
    return int(line[at:end])


class Brokers:
    """Starts the four brokers and the control socket; `with Brokers(dir, certs) as b:`."""

    def __init__(self, directory, cert_files):
        self.dir = directory
        self.certs = cert_files
        self.started = []
        self.control_path = None
        self._server = None
        self._thread = None

    def __enter__(self):
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        try:
            tls = {"cafile": self.certs["ca"], "certfile": self.certs["server_cert"],
                   "keyfile": self.certs["server_key"], "require_certificate": True}
            self.main = self._start(websockets=True, tls=tls, extra=KEEP_EVERY_MESSAGE)
            self.auth = self._start(users={AUTH_USER: AUTH_PASSWORD})
            self.limit = self._start(
                extra=KEEP_EVERY_MESSAGE + [f"max_packet_size {MAX_PACKET_SIZE}"])
            self.restart = self._start(persistence=True, extra=RESTART_BROKER_CONFIG)
            self._serve_control()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self, **kwargs):
        b = Mosquitto(**kwargs)
        self.started.append(b)
        return b

    def environment(self):
        return {
            "OUZEL_SCEN_HOST": "127.0.0.1",
            "OUZEL_SCEN_PORT": str(self.main.port),
            "OUZEL_SCEN_TLS_PORT": str(self.main.tls_port),
            "OUZEL_SCEN_WS_PORT": str(self.main.ws_port),
            "OUZEL_SCEN_AUTH_PORT": str(self.auth.port),
            "OUZEL_SCEN_AUTH_USER": AUTH_USER,
            "OUZEL_SCEN_AUTH_PASSWORD": AUTH_PASSWORD,
            "OUZEL_SCEN_LIMIT_PORT": str(self.limit.port),
            "OUZEL_SCEN_MAX_PACKET_SIZE": str(MAX_PACKET_SIZE),
            "OUZEL_SCEN_RESTART_PORT": str(self.restart.port),
            "OUZEL_SCEN_BROKER_CTL": os.path.join(HERE, "broker-ctl"),
            "OUZEL_SCEN_CONTROL": self.control_path,
            "OUZEL_SCEN_CA": self.certs["ca"],
            "OUZEL_SCEN_OTHER_CA": self.certs["other_ca"],
            "OUZEL_SCEN_CLIENT_CERT": self.certs["client_cert"],
            "OUZEL_SCEN_CLIENT_KEY": self.certs["client_key"],
        }

    # The control socket: one line in ("restart", "stop", "start", "replayed CLIENT_ID"), one
    # line out ("ok", "ok MID MID ..." or "error: ..."). Requests are served one at a time.
    def _serve_control(self):
        self.control_path = os.path.join(self.dir, "control.sock")
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(self.control_path)
        self._server.listen(4)
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def _accept_loop(self):
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return  # closed by __exit__
            with conn:
                conn.settimeout(10)
                try:
                    request = conn.makefile().readline().strip()
                    conn.sendall((self._handle(request) + "\n").encode())
                except OSError:
                    pass

    def _handle(self, request):
        try:
            if request == "restart":
                self.restart.restart()  # SIGTERM (state saved), start on the same port, ready
            elif request == "stop":
                self.restart.stop()
            elif request == "start":
                if self.restart.proc.poll() is not None:
                    self.restart.restart()  # stopped: starts it on the same port
            elif request.startswith("replayed "):
                mids = replayed_after_pubrel(self.restart.log(), request.split(" ", 1)[1])
                return " ".join(["ok"] + [str(m) for m in mids])
            else:
                return f"error: unknown request {request!r} (restart, stop, start, replayed ID)"
        except Exception as e:  # noqa: BLE001  (reported to the scenario, which fails with it)
            return f"error: {e}"
        return "ok"

    def __exit__(self, *exc):
        if self._server is not None:
            self._server.close()
        for b in self.started:
            b.close()
        return False
