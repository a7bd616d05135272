"""`ouzel pub` and `ouzel sub` against a real Mosquitto.

One broker for the module (//tests/fixtures:run_broker: TCP, TLS with certificates generated at
start, WebSocket, a Unix socket, a user with a password beside anonymous access). Every process
runs with a timeout, so a hang fails the test instead of stalling it.

    cli_test.py OUZEL RUN_BROKER [unittest args]
"""

import json
import os
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


if __name__ == "__main__":
    OUZEL, RUN_BROKER = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
