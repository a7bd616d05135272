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


def make_certs(directory):
    """A CA, a server certificate for 127.0.0.1/localhost, a client certificate, another CA."""
    return certs.make(directory)


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
            self.main = self._start(websockets=True, tls=tls)
            self.auth = self._start(users={AUTH_USER: AUTH_PASSWORD})
            self.limit = self._start(extra=[f"max_packet_size {MAX_PACKET_SIZE}"])
            self.restart = self._start(persistence=True)
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

    # The control socket: one line in ("restart", "stop", "start"), one line out ("ok" or
    # "error: ..."). Requests are served one at a time.
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
            else:
                return f"error: unknown request {request!r} (restart, stop, start)"
        except Exception as e:  # noqa: BLE001  (reported to the scenario, which fails with it)
            return f"error: {e}"
        return "ok"

    def __exit__(self, *exc):
        if self._server is not None:
            self._server.close()
        for b in self.started:
            b.close()
        return False
