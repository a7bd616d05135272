"""A real Mosquitto for the binding's tests, started on a free loopback port with a generated
configuration in a fresh temporary directory (what tests/fixtures' MosquittoBroker does for the
C++ tests). Every wait is bounded; the broker is killed with its test.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

MOSQUITTO = os.environ.get("OUZEL_MOSQUITTO", "/usr/sbin/mosquitto")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mosquitto:
    """``Mosquitto(extra=["max_inflight_messages 5"], users={"u": "p"})``; ``.port``,
    ``.stop()``, ``.restart()`` (same port and persistence file), ``.log()``."""

    def __init__(self, extra=(), users=None, persistence=False, websockets=False, tls=None):
        self.extra = list(extra)
        self.users = users or {}
        self.persistence = persistence
        self.websockets = websockets
        self.tls = tls  # dict(cafile=, certfile=, keyfile=, require_certificate=bool)
        self.dir = tempfile.mkdtemp(prefix="ouzel-py-broker-", dir=self._base_dir())
        os.chmod(self.dir, 0o755)
        self.port = None
        self.ws_port = None
        self.tls_port = None
        self.wss_port = None  # websockets and tls together: a wss:// listener too
        self.proc = None
        self._start(new_ports=True)

    @staticmethod
    def _base_dir():
        # Bazel's TEST_TMPDIR is long; keep paths short for unix sockets.
        tmp = os.environ.get("TEST_TMPDIR")
        return tmp if tmp and len(tmp) < 60 else None

    def _config(self):
        lines = [f"listener {self.port} 127.0.0.1", "socket_domain ipv4"]
        if self.websockets:
            lines += [f"listener {self.ws_port} 127.0.0.1", "protocol websockets",
                      "socket_domain ipv4"]
        if self.tls:
            lines += [f"listener {self.tls_port} 127.0.0.1", "socket_domain ipv4",
                      f"cafile {self.tls['cafile']}", f"certfile {self.tls['certfile']}",
                      f"keyfile {self.tls['keyfile']}"]
            if self.tls.get("require_certificate"):
                lines.append("require_certificate true")
            if self.websockets:
                lines += [f"listener {self.wss_port} 127.0.0.1", "protocol websockets",
                          "socket_domain ipv4", f"cafile {self.tls['cafile']}",
                          f"certfile {self.tls['certfile']}", f"keyfile {self.tls['keyfile']}"]
        if self.users:
            pwfile = os.path.join(self.dir, "passwd")
            with open(pwfile, "w"):
                pass
            for user, password in self.users.items():
                subprocess.run(["mosquitto_passwd", "-b", pwfile, user, password], check=True,
                               timeout=10, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.chmod(pwfile, 0o644)
            lines += [f"password_file {pwfile}", "allow_anonymous false"]
        else:
            lines.append("allow_anonymous true")
        if self.persistence:
            lines += ["persistence true", f"persistence_location {self.dir}/",
                      "autosave_interval 0"]
        if os.geteuid() == 0:
            lines.append("user root")
        lines += ["log_dest file " + os.path.join(self.dir, "mosquitto.log"),
                  "log_type error", "log_type warning", "log_type notice",
                  "log_type information"]
        lines += self.extra
        return "\n".join(lines) + "\n"

    def _start(self, new_ports):
        for attempt in range(5):
            if new_ports or attempt:
                self.port = free_port()
                self.ws_port = free_port() if self.websockets else None
                self.tls_port = free_port() if self.tls else None
                self.wss_port = free_port() if self.tls and self.websockets else None
            conf = os.path.join(self.dir, "mosquitto.conf")
            with open(conf, "w") as f:
                f.write(self._config())
            self.proc = subprocess.Popen([MOSQUITTO, "-c", conf], stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True)
            if self._wait_ready():
                return
            self._kill()
            if new_ports is False and attempt >= 20:
                break
        raise RuntimeError("mosquitto did not start:\n" + self.log())

    def _wait_ready(self):
        deadline = time.monotonic() + 10
        ports = [p for p in (self.port, self.ws_port, self.tls_port, self.wss_port) if p]
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                for p in ports:
                    socket.create_connection(("127.0.0.1", p), timeout=1).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def _kill(self, sig=signal.SIGKILL):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def stop(self):
        """SIGTERM (mosquitto saves its persistence file), then SIGKILL if it lingers."""
        self._kill(signal.SIGTERM)

    def kill(self):
        self._kill(signal.SIGKILL)

    def restart(self):
        """Stops and starts again on the same ports (retried while the port is still busy)."""
        self.stop()
        deadline = time.monotonic() + 20
        while True:
            conf = os.path.join(self.dir, "mosquitto.conf")
            self.proc = subprocess.Popen([MOSQUITTO, "-c", conf], stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True)
            if self._wait_ready():
                return
            self._kill()
            if time.monotonic() > deadline:
                raise RuntimeError("mosquitto did not restart:\n" + self.log())
            time.sleep(0.2)

    def log(self):
        try:
            with open(os.path.join(self.dir, "mosquitto.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def close(self):
        self._kill()
        shutil.rmtree(self.dir, ignore_errors=True)
