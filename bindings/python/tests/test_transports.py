"""TLS (tls_set through the engine's TLS; a user's SSLContext through the Python transport),
WebSockets and proxies, against a real Mosquitto and real proxies."""

import os
import ssl
import tempfile
import threading

import pytest

import ouzel.mqtt.client as mqtt
from ouzel.mqtt import publish, subscribe
import certs
import proxies
from broker import Mosquitto
from conftest import TIMEOUT, wait_for

V2 = mqtt.CallbackAPIVersion.VERSION2


@pytest.fixture(scope="module")
def pki():
    d = tempfile.mkdtemp(prefix="ouzel-py-pki-")
    os.chmod(d, 0o755)
    return certs.make(d)


@pytest.fixture(scope="module")
def tls_broker(pki):
    b = Mosquitto(websockets=True, tls={"cafile": pki["ca"], "certfile": pki["server_cert"],
                                        "keyfile": pki["server_key"]},
                  extra=[])
    yield b
    b.close()


@pytest.fixture(scope="module")
def mtls_broker(pki):
    b = Mosquitto(tls={"cafile": pki["ca"], "certfile": pki["server_cert"],
                       "keyfile": pki["server_key"], "require_certificate": True})
    yield b
    b.close()


@pytest.fixture(scope="module")
def wrong_name_broker(pki):
    b = Mosquitto(tls={"cafile": pki["ca"], "certfile": pki["wrong_cert"],
                       "keyfile": pki["wrong_key"]})
    yield b
    b.close()


def roundtrip(c, host, port, topic="tls/t"):
    """Connects `c`, subscribes, publishes QoS 1 to itself and waits for the message."""
    got = []
    done = threading.Event()
    c.on_connect = lambda client, ud, f, rc, p: client.subscribe(topic, 1)
    c.on_subscribe = lambda client, ud, mid, rcs, p: client.publish(topic, b"secret", 1)
    c.on_message = lambda client, ud, m: (got.append(m.payload), done.set())
    c.connect(host, port)
    c.loop_start()
    try:
        assert done.wait(TIMEOUT), "no message"
    finally:
        c.disconnect()
        c.loop_stop()
    return got


def test_tls_set_with_ca_through_the_engine(tls_broker, pki):
    c = mqtt.Client(V2, client_id="tls-native")
    c.tls_set(ca_certs=pki["ca"])
    assert c._py_transport is None  # the engine's own TLS
    assert roundtrip(c, "127.0.0.1", tls_broker.tls_port) == [b"secret"]


def test_tls_set_client_certificate(mtls_broker, pki):
    c = mqtt.Client(V2, client_id="tls-mtls")
    c.tls_set(ca_certs=pki["ca"], certfile=pki["client_cert"], keyfile=pki["client_key"])
    assert roundtrip(c, "127.0.0.1", mtls_broker.tls_port) == [b"secret"]
    bare = mqtt.Client(V2, client_id="tls-mtls-missing")
    bare.tls_set(ca_certs=pki["ca"])
    with pytest.raises((ssl.SSLError, OSError)):
        bare.connect("127.0.0.1", mtls_broker.tls_port)
        # TLS 1.3 reports a missing client certificate after the handshake: the broker closes.
        assert bare.loop(5) != mqtt.MQTT_ERR_SUCCESS or bare.loop(5) != mqtt.MQTT_ERR_SUCCESS
        raise OSError("closed")


def test_wrong_ca_is_refused_with_a_verification_error(tls_broker, pki):
    c = mqtt.Client(V2, client_id="tls-wrong-ca")
    c.tls_set(ca_certs=pki["other_ca"])
    with pytest.raises(ssl.SSLCertVerificationError):
        c.connect("127.0.0.1", tls_broker.tls_port)


def test_host_name_mismatch_and_tls_insecure_set(wrong_name_broker, pki):
    c = mqtt.Client(V2, client_id="tls-name")
    c.tls_set(ca_certs=pki["ca"])
    with pytest.raises(ssl.SSLCertVerificationError):
        c.connect("127.0.0.1", wrong_name_broker.tls_port)
    insecure = mqtt.Client(V2, client_id="tls-insecure")
    insecure.tls_set(ca_certs=pki["ca"])
    insecure.tls_insecure_set(True)
    assert roundtrip(insecure, "127.0.0.1", wrong_name_broker.tls_port) == [b"secret"]


def test_cert_none_accepts_any_server(wrong_name_broker, pki):
    c = mqtt.Client(V2, client_id="tls-none")
    c.tls_set(ca_certs=pki["other_ca"], cert_reqs=ssl.CERT_NONE)
    assert roundtrip(c, "127.0.0.1", wrong_name_broker.tls_port) == [b"secret"]


def test_tls_set_context_uses_the_users_context(tls_broker, pki):
    ctx = ssl.create_default_context(cafile=pki["ca"])
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    c = mqtt.Client(V2, client_id="tls-context")
    c.tls_set_context(ctx)
    assert c._py_transport is not None
    assert roundtrip(c, "127.0.0.1", tls_broker.tls_port) == [b"secret"]
    bad = mqtt.Client(V2, client_id="tls-context-bad")
    bad.tls_set_context(ssl.create_default_context(cafile=pki["other_ca"]))
    with pytest.raises(ssl.SSLCertVerificationError):
        bad.connect("127.0.0.1", tls_broker.tls_port)


def test_tls_helpers_single_and_simple(tls_broker, pki):
    tls = {"ca_certs": pki["ca"]}
    publish.single("tls/ret", "kept", qos=1, retain=True, hostname="127.0.0.1",
                   port=tls_broker.tls_port, tls=dict(tls))
    msg = subscribe.simple("tls/ret", hostname="127.0.0.1", port=tls_broker.tls_port,
                           tls=dict(tls))
    assert msg.payload == b"kept"
    publish.single("tls/ret", None, retain=True, hostname="127.0.0.1",
                   port=tls_broker.tls_port, tls=dict(tls))


def test_websockets(tls_broker):
    c = mqtt.Client(V2, client_id="ws", transport="websockets")
    c.ws_set_options(path="/mqtt", headers={"X-Test": "1"})
    assert roundtrip(c, "127.0.0.1", tls_broker.ws_port, topic="ws/t") == [b"secret"]


def test_tls_set_context_with_websockets(tls_broker, pki):
    # The user's SSLContext secures the stream (Python transport); the engine speaks WebSocket
    # over it.
    c = mqtt.Client(V2, client_id="wss-context", transport="websockets")
    c.tls_set_context(ssl.create_default_context(cafile=pki["ca"]))
    c.ws_set_options(path="/mqtt", headers={"X-Test": "wss"})
    assert c._py_transport is not None
    assert roundtrip(c, "127.0.0.1", tls_broker.wss_port, topic="wss/ctx") == [b"secret"]
    bad = mqtt.Client(V2, client_id="wss-context-bad", transport="websockets")
    bad.tls_set_context(ssl.create_default_context(cafile=pki["other_ca"]))
    with pytest.raises(ssl.SSLCertVerificationError):
        bad.connect("127.0.0.1", tls_broker.wss_port)


def test_tls_set_with_websockets(tls_broker, pki):
    c = mqtt.Client(V2, client_id="wss-native", transport="websockets")
    c.tls_set(ca_certs=pki["ca"])
    assert roundtrip(c, "127.0.0.1", tls_broker.wss_port, topic="wss/native") == [b"secret"]


def test_websockets_headers_callable(tls_broker):
    seen = []

    def headers(defaults):
        seen.append(dict(defaults))
        defaults["X-From-Callable"] = "yes"
        return defaults

    c = mqtt.Client(V2, client_id="ws-callable", transport="websockets")
    c.ws_set_options(headers=headers)
    assert roundtrip(c, "127.0.0.1", tls_broker.ws_port, topic="ws/c") == [b"secret"]
    assert seen and seen[0]["Origin"] == f"http://127.0.0.1:{tls_broker.ws_port}"


@pytest.mark.parametrize("kind,ptype", [("http", 3), ("socks5", 2)])
def test_proxy_set(broker, kind, ptype):
    if not proxies.available(kind):
        pytest.skip(f"{kind} proxy not installed (scripts/setup installs tinyproxy and danted)")
    proxy = proxies.Proxy(kind)
    try:
        c = mqtt.Client(V2, client_id=f"proxied-{kind}")
        c.proxy_set(proxy_type=ptype, proxy_addr="127.0.0.1", proxy_port=proxy.port)
        assert roundtrip(c, "127.0.0.1", broker.port, topic=f"px/{kind}") == [b"secret"]
    finally:
        proxy.close()


def test_proxy_set_validation():
    c = mqtt.Client(V2)
    with pytest.raises(ValueError, match="proxy_type and/or proxy_addr are invalid."):
        c.proxy_set(proxy_type=99, proxy_addr="x")
    with pytest.raises(ValueError, match="proxy_type and/or proxy_addr are invalid."):
        c.proxy_set(proxy_type=3)
    with pytest.raises(ValueError, match="SOCKS4"):
        c.proxy_set(proxy_type=1, proxy_addr="127.0.0.1")


def test_websocket_wrapper_carries_mqtt_bytes(tls_broker):
    """paho's private _WebsocketWrapper (used directly by some code and paho's tests): upgrade,
    then a CONNECT and its CONNACK through binary frames."""
    import socket
    s = socket.create_connection(("127.0.0.1", tls_broker.ws_port), timeout=10)
    try:
        ws = mqtt._WebsocketWrapper(socket=s, host="127.0.0.1", port=tls_broker.ws_port,
                                    is_ssl=False, path="/mqtt", extra_headers=None)
        assert ws.connected and ws.fileno() == s.fileno()
        connect = bytes.fromhex("100f00044d5154540402003c0003777377")  # client id "wsw"
        assert ws.send(connect) == len(connect)
        assert ws.recv(4) == bytes.fromhex("20020000")
    finally:
        s.close()


def test_websocket_wrapper_refused_upgrade():
    import socket
    ours, peer = socket.socketpair()
    try:
        peer.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        with pytest.raises(mqtt.WebsocketConnectionError, match="connection not upgraded"):
            mqtt._WebsocketWrapper(socket=ours, host="example", port=80, is_ssl=False,
                                   path="/mqtt", extra_headers={"X": "1"})
        request = peer.recv(4096)
        assert request.startswith(b"GET /mqtt HTTP/1.1\r\nHost: example\r\n")
        assert b"\r\nX: 1\r\n" in request and b"Origin: http://example\r\n" in request
    finally:
        ours.close()
        peer.close()
