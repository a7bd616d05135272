"""Real proxies for the proxy tests, as tests/fixtures/proxy_fixture.h starts them: Debian's
tinyproxy (HTTP CONNECT) and danted (SOCKS5, no authentication), on free loopback ports."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from broker import free_port


class Proxy:
    def __init__(self, kind):
        self.kind = kind
        self.dir = tempfile.mkdtemp(prefix=f"ouzel-py-{kind}-")
        self.port = free_port()
        conf = os.path.join(self.dir, "proxy.conf")
        me = "root" if os.geteuid() == 0 else str(os.geteuid())
        if kind == "http":
            lines = [f"Port {self.port}", "Listen 127.0.0.1", "Timeout 600", "LogLevel Info",
                     "MaxClients 64", "Allow 127.0.0.1"]
            argv = [shutil.which("tinyproxy") or "/usr/bin/tinyproxy", "-d", "-c", conf]
        else:
            lines = ["logoutput: stderr", f"internal: 127.0.0.1 port = {self.port}",
                     "external: 127.0.0.1", "socksmethod: none", "clientmethod: none",
                     f"user.privileged: {me}", f"user.unprivileged: {me}",
                     "timeout.negotiate: 10",
                     "client pass { from: 127.0.0.1/32 to: 0.0.0.0/0 log: error }",
                     "socks pass { from: 127.0.0.1/32 to: 0.0.0.0/0 log: error }"]
            argv = [shutil.which("danted") or "/usr/sbin/danted", "-f", conf, "-N", "1"]
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.log = open(os.path.join(self.dir, "log"), "w")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=self.log,
                                     start_new_session=True)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError(f"{kind} proxy did not start")
                time.sleep(0.05)

    def close(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def available(kind):
    return shutil.which("tinyproxy" if kind == "http" else "danted") is not None or \
        os.path.exists("/usr/bin/tinyproxy" if kind == "http" else "/usr/sbin/danted")
