"""`ouzel pub` and `ouzel sub` against a real Mosquitto.

`ouzel bench` too: 1,000 connections, pub and sub counting and timing every message.

One broker for the module (//tests/fixtures:run_broker: TCP, TLS with certificates generated at
start, WebSocket, a Unix socket, a user with a password beside anonymous access). Every process
runs with a timeout, so a hang fails the test instead of stalling it.

    cli_test.py OUZEL RUN_BROKER [unittest args]
"""

import json
import os
import select
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

OUZEL = ""
RUN_BROKER = ""
BROKER = {}
_broker_proc = None

PROCESS_TIMEOUT = 20


def setUpModule():
    global _broker_proc
    _broker_proc = subprocess.Popen(
        [RUN_BROKER, "--no-stdin", "--timeout=300", "--tls", "--websockets", "--unix-socket",
         "--user=alice:secret", "--allow-anonymous"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    for line in _broker_proc.stdout:
        line = line.strip()
        if line == "ready":
            return
        key, _, value = line.partition("=")
        BROKER[key] = value
        if time.monotonic() > deadline:
            break
    raise RuntimeError("the broker did not start: " + _broker_proc.stderr.read())


def tearDownModule():
    if _broker_proc is not None:
        _broker_proc.terminate()
        try:
            _broker_proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _broker_proc.kill()


def run(*args, stdin=None, timeout=PROCESS_TIMEOUT):
    """Runs `ouzel ARGS`, returning the CompletedProcess (text stdout/stderr)."""
    return subprocess.run([OUZEL, *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout)


def start(*args):
    return subprocess.Popen([OUZEL, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finish(proc, timeout=PROCESS_TIMEOUT):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError("ouzel did not exit in time; stderr: " + err)
    return proc.returncode, out, err


def unique_topic(name):
    return "cli-test/%s/%s" % (name, uuid.uuid4().hex[:12])


def tcp():
    return ["-h", "127.0.0.1", "-p", BROKER["port"]]


class CliTestCase(unittest.TestCase):

    def publish_until_received(self, sub, pub_args, attempts=100):
        """Publishes every 50 ms until `sub` (started with -C) exits; the subscription may not
        be in place when the first publish goes out, so one message is not enough."""
        for _ in range(attempts):
            if sub.poll() is not None:
                break
            p = run(*pub_args)
            self.assertEqual(p.returncode, 0, p.stderr)
            time.sleep(0.05)
        return finish(sub)


class RoundTripTest(CliTestCase):

    def test_every_qos_and_protocol_version(self):
        for version in ("mqttv311", "mqttv5"):
            for qos in (0, 1, 2):
                with self.subTest(version=version, qos=qos):
                    topic = unique_topic("qos%d" % qos)
                    payload = "hello %s qos %d" % (version, qos)
                    sub = start("sub", *tcp(), "-V", version, "-t", topic, "-q", str(qos),
                                "-C", "1", "-W", "15", "-F", "%q|%t|%p")
                    rc, out, err = self.publish_until_received(
                        sub, ["pub", *tcp(), "-V", version, "-t", topic, "-q", str(qos),
                              "-m", payload])
                    self.assertEqual(rc, 0, err)
                    self.assertEqual(out, "%d|%s|%s\n" % (qos, topic, payload))

    def test_lines_from_stdin_arrive_in_order(self):
        topic = unique_topic("lines")
        # A persistent session made first (-E: exit once subscribed) keeps the QoS 1 messages
        # while no subscriber runs, so every line is counted without a race.
        client_id = "cli-test-" + uuid.uuid4().hex[:8]
        sub_args = ["sub", *tcp(), "-t", topic, "-q", "1", "-c", "-i", client_id]
        made = run(*sub_args, "-E")
        self.assertEqual(made.returncode, 0, made.stderr)
        lines = ["line %d" % i for i in range(200)]
        p = run("pub", *tcp(), "-t", topic, "-q", "1", "-l", stdin="\n".join(lines) + "\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        s = run(*sub_args, "-C", "200", "-W", "15")
        self.assertEqual(s.returncode, 0, s.stderr)
        self.assertEqual(s.stdout.splitlines(), lines)

    def test_websocket_and_unix_socket_uris(self):
        topic = unique_topic("uris")
        sub = start("sub", "-L", "ws://127.0.0.1:%s" % BROKER["websocket_port"], "-t", topic,
                    "-C", "1", "-W", "15", "-v")
        rc, out, err = self.publish_until_received(
            sub, ["pub", "-L", "unix://" + BROKER["unix_socket"], "-t", topic, "-m", "both"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, topic + " both\n")

    def test_url_carries_credentials_and_topic(self):
        topic = unique_topic("url")
        sub = start("sub", *tcp(), "-t", topic, "-C", "1", "-W", "15")
        rc, out, err = self.publish_until_received(
            sub, ["pub", "-L", "mqtt://alice:secret@127.0.0.1:%s/%s" % (BROKER["port"], topic),
                  "-m", "by url"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "by url\n")


class SessionTest(CliTestCase):

    def test_will_is_published_when_the_client_dies(self):
        will_topic = unique_topic("will")
        probe = unique_topic("probe")
        doomed = start("sub", *tcp(), "-t", probe, "--will-topic", will_topic, "--will-payload",
                       "gone", "--will-qos", "1", "--will-retain")
        try:
            # Connected once a probe published to its topic comes out of it.
            for _ in range(100):
                run("pub", *tcp(), "-t", probe, "-m", "probe")
                if select.select([doomed.stdout], [], [], 0.1)[0]:
                    break
            self.assertEqual(doomed.stdout.readline(), "probe\n")
            doomed.kill()  # no DISCONNECT: the broker publishes the (retained) Will
        finally:
            doomed.kill()
            doomed.communicate()
        s = run("sub", *tcp(), "-t", will_topic, "-C", "1", "-W", "15", "-F", "%r %t %p")
        self.assertEqual((s.returncode, s.stdout), (0, "1 %s gone\n" % will_topic), s.stderr)
        run("pub", *tcp(), "-t", will_topic, "-n", "-r", "-q", "1")  # clear it

    def test_persistence_directory_keeps_the_session(self):
        topic = unique_topic("persist")
        with tempfile.TemporaryDirectory() as d:
            client_id = "cli-test-" + uuid.uuid4().hex[:8]
            p = run("pub", *tcp(), "-c", "-i", client_id, "--persistence", d, "-t", topic,
                    "-q", "1", "-m", "durable")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(os.listdir(d), "the persistence directory stayed empty")
            # The same session again: the store is reopened, not refused.
            p = run("pub", *tcp(), "-c", "-i", client_id, "--persistence", d, "-t", topic,
                    "-q", "1", "-m", "durable")
            self.assertEqual(p.returncode, 0, p.stderr)


class TlsTest(CliTestCase):

    def tls(self):
        return ["-h", "127.0.0.1", "-p", BROKER["tls_port"], "--cafile", BROKER["ca_file"]]

    def test_round_trip_over_tls_with_a_client_certificate(self):
        topic = unique_topic("tls")
        sub = start("sub", *self.tls(), "-t", topic, "-q", "1", "-C", "1", "-W", "15")
        rc, out, err = self.publish_until_received(
            sub, ["pub", *self.tls(), "--cert", BROKER["client_cert"], "--key",
                  BROKER["client_key"], "-t", topic, "-q", "1", "-m", "secret"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "secret\n")

    def test_an_untrusted_server_certificate_fails_to_connect(self):
        with tempfile.NamedTemporaryFile("w", suffix=".pem") as empty_ca:
            # A CA file that is readable but trusts nothing the broker's chain leads to.
            with open("/etc/ssl/certs/ca-certificates.crt") as system_cas:
                empty_ca.write(system_cas.read())
            empty_ca.flush()
            p = run("pub", "-h", "127.0.0.1", "-p", BROKER["tls_port"], "--cafile",
                    empty_ca.name, "-t", "x", "-m", "y")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("ouzel pub: cannot connect: TLS error", p.stderr)
        self.assertIn("not among the trusted CAs", p.stderr)


class RetainedTest(CliTestCase):

    def test_retained_message_is_kept_marked_and_cleared(self):
        topic = unique_topic("retained")
        p = run("pub", *tcp(), "-t", topic, "-m", "kept", "-r", "-q", "1")
        self.assertEqual(p.returncode, 0, p.stderr)
        s = run("sub", *tcp(), "-t", topic, "-C", "1", "-W", "10", "-F", "%r %p")
        self.assertEqual((s.returncode, s.stdout), (0, "1 kept\n"), s.stderr)
        # -R skips stale messages: nothing else arrives, so -C 1 times out.
        s = run("sub", *tcp(), "-t", topic, "-R", "-C", "1", "-W", "1")
        self.assertEqual((s.returncode, s.stdout), (7, ""), s.stderr)
        # An empty retained message clears it.
        p = run("pub", *tcp(), "-t", topic, "-n", "-r", "-q", "1")
        self.assertEqual(p.returncode, 0, p.stderr)
        s = run("sub", *tcp(), "-t", topic, "-C", "1", "-W", "1")
        self.assertEqual((s.returncode, s.stdout), (7, ""), s.stderr)


class CountAndTimeoutTest(CliTestCase):

    def test_timeout_without_count_is_a_normal_end(self):
        started = time.monotonic()
        s = run("sub", *tcp(), "-t", unique_topic("quiet"), "-W", "1")
        self.assertEqual(s.returncode, 0, s.stderr)
        self.assertGreaterEqual(time.monotonic() - started, 0.9)

    def test_timeout_before_count_fails_with_status_7(self):
        s = run("sub", *tcp(), "-t", unique_topic("quiet"), "-C", "2", "-W", "1")
        self.assertEqual(s.returncode, 7)
        self.assertIn("ouzel sub: timed out after 1 s with 0 of 2 messages", s.stderr)

    def test_exit_after_subscribing(self):
        s = run("sub", *tcp(), "-t", unique_topic("e"), "-E")
        self.assertEqual((s.returncode, s.stdout, s.stderr), (0, "", ""))


class OutputTest(CliTestCase):

    def test_json_has_topic_payload_qos_retain_properties_timestamp(self):
        topic = unique_topic("json")
        sub = start("sub", *tcp(), "-V", "mqttv5", "-t", topic, "-q", "1", "-C", "1", "-W",
                    "15", "--json")
        rc, out, err = self.publish_until_received(
            sub, ["pub", *tcp(), "-t", topic, "-q", "1", "-m", "{\"t\": 21.5}",
                  "-D", "publish", "content-type", "application/json",
                  "-D", "publish", "user-property", "site", "lab",
                  "-D", "publish", "correlation-data", "req-7"])
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["topic"], topic)
        self.assertEqual(doc["payload"], "{\"t\": 21.5}")
        self.assertEqual(doc["qos"], 1)
        self.assertIs(doc["retain"], False)
        self.assertEqual(doc["properties"]["content-type"], "application/json")
        self.assertEqual(doc["properties"]["user-property"], [["site", "lab"]])
        self.assertEqual(doc["properties"]["correlation-data"], "req-7")
        self.assertRegex(doc["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

    def test_binary_payload_is_base64_in_json(self):
        topic = unique_topic("binary")
        with tempfile.NamedTemporaryFile(suffix=".bin") as f:
            f.write(bytes([0xFF, 0x00, 0x01]))
            f.flush()
            sub = start("sub", *tcp(), "-t", topic, "-C", "1", "-W", "15", "--json")
            rc, out, err = self.publish_until_received(
                sub, ["pub", *tcp(), "-t", topic, "-f", f.name])
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["payload_base64"], "/wAB")
        self.assertNotIn("payload", doc)

    def test_format_sequences(self):
        topic = unique_topic("format")
        sub = start("sub", *tcp(), "-t", topic, "-C", "1", "-W", "15", "-F",
                    "%l|%x|%X|%-6p|%06l|%.3t|%%|\\t|@@|%J")
        rc, out, err = self.publish_until_received(sub, ["pub", *tcp(), "-t", topic, "-m",
                                                          "[1,2]"])
        self.assertEqual(rc, 0, err)
        fields = out.rstrip("\n").split("|")
        self.assertEqual(fields[:8], ["5", "5b312c325d", "5B312C325D", "[1,2] ", "000005",
                                      "cli", "%", "\t"])
        self.assertEqual(fields[8], "@")
        self.assertEqual(json.loads("|".join(fields[9:]))["payload"], [1, 2])


class ErrorTest(unittest.TestCase):

    def assert_usage_error(self, p, text):
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(text, p.stderr)
        self.assertEqual(p.stdout, "")

    def test_bad_options_are_usage_errors(self):
        self.assert_usage_error(run("pub", "-t", "x", "-m", "y", "--frobnicate"),
                                "ouzel pub: unknown option '--frobnicate' (see ouzel pub --help)")
        self.assert_usage_error(run("pub", "-t", "x", "-m", "y", "-q", "3"),
                                "ouzel pub: -q: '3' is not a whole number from 0 to 2")
        self.assert_usage_error(run("pub", "-m", "y"), "give a topic with -t")
        self.assert_usage_error(run("pub", "-t", "a/+", "-m", "y"), "is not a valid topic name")
        self.assert_usage_error(run("pub", "-t", "x", "-m", "y", "-n"), "give only one of")
        self.assert_usage_error(run("pub", "-t", "x", "-f", "/nonexistent/file"),
                                "-f: cannot read '/nonexistent/file'")
        self.assert_usage_error(run("pub", "-t", "x", "-m", "y", "-D", "publish", "colour", "1"),
                                "unknown property 'colour'")
        self.assert_usage_error(
            run("pub", "-t", "x", "-m", "y", "-D", "connect", "content-type", "a"),
            "property 'content-type' is not allowed in connect")
        self.assert_usage_error(
            run("pub", "-t", "x", "-m", "y", "-V", "mqttv311", "-D", "publish",
                "content-type", "a"), "-D (MQTT 5 properties) needs -V mqttv5")
        self.assert_usage_error(run("pub", "-t", "x", "-m", "y", "-c"), "-c (keep the session)")
        self.assert_usage_error(run("pub", "-t", "x", "-m", "y", "--will-qos", "1"),
                                "need --will-topic")
        self.assert_usage_error(run("pub", "-t", "x", "-m", "y", "--cafile", "/nonexistent"),
                                "--cafile")
        self.assert_usage_error(run("sub"), "give a topic filter to subscribe to with -t")
        self.assert_usage_error(run("sub", "-t", "a/#/b"), "is not a valid topic filter")
        self.assert_usage_error(run("sub", "-t", "x", "-F", "%Q"), "-F: unknown sequence '%Q'")
        self.assert_usage_error(run("sub", "-t", "x", "-W"), "-W: needs a value")
        self.assert_usage_error(run("sub", "-t", "x", "--tls-engine", "e"),
                                "is a mosquitto option ouzel does not support")
        self.assert_usage_error(run("nonsense"), "ouzel: unknown command 'nonsense'")

    def test_help_and_version(self):
        for command in ("pub", "sub"):
            p = run(command, "--help")
            self.assertEqual(p.returncode, 0)
            self.assertIn("usage: ouzel %s" % command, p.stdout)
            self.assertIn("Exit status:", p.stdout)
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^ouzel \d+\.\d+\.\d+ \(libouzel \d+\.\d+\.\d+\)\n$")

    def test_unreachable_broker(self):
        # A port nothing listens on: bind one, note it, close it.
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = str(s.getsockname()[1])
        for command in (["pub", "-t", "x", "-m", "y"], ["sub", "-t", "x"]):
            p = run(*command, "-h", "127.0.0.1", "-p", port)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("ouzel %s: cannot connect: network error" % command[0], p.stderr)
            self.assertIn("Connection refused", p.stderr)

    def test_bad_password_is_refused_by_the_broker(self):
        p = run("pub", *tcp(), "-u", "alice", "-P", "wrong", "-t", "x", "-m", "y")
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertIn("ouzel pub: the broker refused the connection:", p.stderr)
        p = run("pub", *tcp(), "-V", "mqttv5", "-u", "alice", "-P", "wrong", "-t", "x", "-m", "y")
        self.assertEqual(p.returncode, 4, p.stderr)
        # Mosquitto 2.0 answers a wrong password with MQTT 5 reason code 0x87.
        self.assertIn("Not authorized (0x87)", p.stderr)

    def test_quiet_silences_errors_but_not_the_status(self):
        p = run("pub", "-t", "x", "--quiet")
        self.assertEqual((p.returncode, p.stderr), (2, ""))


def summary_of(text):
    """The "key: value" lines of a bench summary as a dict."""
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            out[key] = value
    return out


class BenchTest(unittest.TestCase):

    def test_a_thousand_connections_finish_and_report(self):
        with tempfile.TemporaryDirectory() as d:
            csv_path = os.path.join(d, "conn.csv")
            p = run("bench", "conn", *tcp(), "-c", "1000", "-i", "2", "--hold", "1",
                    "--duration", "60", "--csv", csv_path, timeout=90)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            s = summary_of(p.stdout)
            self.assertEqual(s["connected"], "1000")
            self.assertEqual(s["failed"], "0")
            self.assertEqual(s["lost"], "0")
            self.assertEqual(s["end"], "every connection attempt ended and --hold passed")
            self.assertRegex(s["connect_latency_ms"], r"^p50 [\d.]+ p90 [\d.]+ p99 [\d.]+ max")
            self.assertGreater(float(s["kib_per_connection"]), 0)
            self.assertGreaterEqual(int(s["open_files_limit"]), 2000)
            # Live progress: one line a second, and a CSV row for each of them.
            self.assertRegex(p.stderr, r"\[ *1\.\ds\] conn \d+/1000")
            with open(csv_path) as f:
                rows = f.read().splitlines()
            self.assertTrue(rows[0].startswith("time_s,connected,failed,lost,sent"))
            self.assertGreaterEqual(len(rows), 3)
            self.assertEqual(rows[-1].split(",")[1], "1000")

    def test_pub_and_sub_count_every_message_and_time_it(self):
        pattern = unique_topic("bench") + "/%i"
        sub = start("bench", "sub", *tcp(), "-c", "5", "-t", pattern, "-q", "1", "-L", "500",
                    "--duration", "30")
        # Wait for the five subscriptions (progress lines come once a second).
        deadline = time.monotonic() + 15
        seen = ""
        while "subscribed 5" not in seen and time.monotonic() < deadline:
            line = sub.stderr.readline()
            if not line:
                break
            seen += line
        self.assertIn("subscribed 5", seen)
        p = run("bench", "pub", *tcp(), "-c", "5", "-t", pattern, "-q", "1", "-I", "5", "-L",
                "100", "-s", "64", "--duration", "30", timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        ps = summary_of(p.stdout)
        self.assertEqual((ps["sent"], ps["acked"], ps["dropped"]), ("500", "500", "0"))
        self.assertEqual(ps["end"], "every client sent -L messages")
        rc, out, err = finish(sub, timeout=30)
        self.assertEqual(rc, 0, out + err)
        ss = summary_of(out)
        self.assertEqual(ss["received"], "500")
        self.assertEqual(ss["end"], "-L messages received")
        latency = [k for k in ss if k.startswith("latency (payload timestamp to arrival)")]
        self.assertEqual(len(latency), 1, out)
        self.assertTrue(ss[latency[0]].endswith("(500)"), ss[latency[0]])

    def test_as_fast_as_the_window_allows(self):
        p = run("bench", "pub", *tcp(), "-c", "1", "-t", unique_topic("window"), "-q", "1",
                "-I", "0", "--window", "16", "-L", "2000", "--duration", "30", timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        s = summary_of(p.stdout)
        self.assertEqual((s["sent"], s["acked"]), ("2000", "2000"))
        self.assertGreater(float(s["acked_per_s"]), 0)

    def test_duration_bounds_a_run_that_cannot_reach_its_limit(self):
        p = run("bench", "sub", *tcp(), "-c", "2", "-t", unique_topic("never"), "-L", "10",
                "--duration", "1")
        self.assertEqual(p.returncode, 7, p.stdout + p.stderr)
        s = summary_of(p.stdout)
        self.assertEqual((s["end"], s["received"], s["subscribed"]), ("--duration passed", "0", "2"))

    def test_unreachable_broker_is_reported(self):
        import socket
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = str(sock.getsockname()[1])
        p = run("bench", "conn", "-h", "127.0.0.1", "-p", port, "-c", "3", "-i", "0")
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        s = summary_of(p.stdout)
        self.assertEqual((s["connected"], s["failed"]), ("0", "3"))
        self.assertIn("Connection refused", s["first_error"])

    def test_bad_bench_options(self):
        for args, text in [
            (["bench"], "give a mode: conn, pub or sub"),
            (["bench", "flood"], "unknown mode 'flood'"),
            (["bench", "pub"], "give a topic pattern with -t"),
            (["bench", "conn", "-c", "0"], "-c: '0' is not a whole number from 1"),
            (["bench", "pub", "-t", "x", "-s", "8"], "-s: '8' is not a whole number from 16"),
            (["bench", "sub", "-t", "a/#/%i"], "is not a valid topic"),
            (["bench", "conn", "--duration", "0"], "--duration: '0' is not a number"),
        ]:
            with self.subTest(args=args):
                p = run(*args)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(text, p.stderr)
        p = run("bench", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("usage: ouzel bench conn|pub|sub", p.stdout)


if __name__ == "__main__":
    OUZEL, RUN_BROKER = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
