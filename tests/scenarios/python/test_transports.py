"""S09 TLS with a client certificate (and a wrong CA refused), S10 MQTT over WebSocket."""

import ssl

import ouzel.mqtt.client as mqtt
import pytest
from conftest import E, HOST, TIMEOUT, Inbox, port, subscribed, unique


def round_trip(client, inbox, clients):
    """Subscribes, publishes one message to itself, and checks it came back."""
    clients.append(client)
    client.loop_start()
    assert inbox.connected.wait(TIMEOUT), "no CONNACK"
    topic = unique("scen/transport")
    subscribed(client, inbox, topic, qos=1)
    client.publish(topic, b"\x00secret\xff", qos=1).wait_for_publish(TIMEOUT)
    assert inbox.wait_count(1) and inbox.snapshot()[0].payload == b"\x00secret\xff"


def test_s09_tls_with_client_certificate_and_wrong_ca_refused(clients):
    inbox = Inbox()
    client = inbox.attach(mqtt.Client(mqtt.CallbackAPIVersion.VERSION2))
    client.tls_set(ca_certs=E["OUZEL_SCEN_CA"], certfile=E["OUZEL_SCEN_CLIENT_CERT"],
                   keyfile=E["OUZEL_SCEN_CLIENT_KEY"])
    client.connect(HOST, port("TLS"))
    round_trip(client, inbox, clients)

    # Trusting a CA that did not sign the broker's certificate: connect() raises the error paho
    # raises, naming why the certificate was not accepted.
    wrong = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, reconnect_on_failure=False)
    wrong.tls_set(ca_certs=E["OUZEL_SCEN_OTHER_CA"], certfile=E["OUZEL_SCEN_CLIENT_CERT"],
                  keyfile=E["OUZEL_SCEN_CLIENT_KEY"])
    clients.append(wrong)
    with pytest.raises(ssl.SSLCertVerificationError) as refused:
        wrong.connect(HOST, port("TLS"))
    why = str(refused.value)
    assert "certificate verification failed" in why and "not among the trusted CAs" in why, why


def test_s10_publish_and_subscribe_over_websocket(clients):
    inbox = Inbox()
    client = inbox.attach(mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, transport="websockets"))
    client.ws_set_options(path="/mqtt")
    client.connect(HOST, port("WS"))
    round_trip(client, inbox, clients)
