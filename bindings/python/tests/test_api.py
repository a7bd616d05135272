"""paho-mqtt 2.1's API surface: module contents, argument validation with the same exceptions and
messages, return codes, MQTTMessageInfo and the helper functions. Most need no broker."""

import logging
import warnings

import pytest

import ouzel.mqtt
import ouzel.mqtt.client as mqtt
from ouzel.mqtt import enums, matcher, packettypes, properties, publish, reasoncodes, \
    subscribe, subscribeoptions
from ouzel.mqtt.packettypes import PacketTypes
from ouzel.mqtt.properties import Properties
from ouzel.mqtt.reasoncodes import ReasonCode
from ouzel.mqtt.subscribeoptions import SubscribeOptions
from conftest import wait_for

V2 = mqtt.CallbackAPIVersion.VERSION2


def test_modules_and_names():
    assert ouzel.mqtt.__version__ == "2.1.0"
    assert issubclass(ouzel.mqtt.MQTTException, Exception)
    for name in ("Client", "MQTTMessage", "MQTTMessageInfo", "WebsocketConnectionError",
                 "ConnectFlags", "DisconnectFlags", "error_string", "connack_string",
                 "topic_matches_sub", "convert_connack_rc_to_reason_code",
                 "convert_disconnect_error_code_to_reason_code", "MQTTv31", "MQTTv311",
                 "MQTTv5", "MQTT_CLEAN_START_FIRST_ONLY", "CallbackAPIVersion", "LOGGING_LEVEL",
                 "time_func", "sockpair_data", "EAGAIN", "HAVE_DNS", "ssl", "socks",
                 "_base62", "_socketpair_compat", "_encode_payload", "_force_bytes",
                 "CONNACK", "PUBLISH", "MQTT_LOG_DEBUG", "CONNACK_ACCEPTED", "mqtt_ms_queued",
                 "MQTT_BRIDGE", "PayloadType", "CallbackOnConnect_v2", "CallbackOnMessage"):
        assert hasattr(mqtt, name), name
    for name in ("MQTTErrorCode", "MQTTProtocolVersion", "CallbackAPIVersion", "MessageType",
                 "LogLevel", "ConnackCode", "MessageState", "PahoClientMode",
                 "_ConnectionState"):
        assert hasattr(enums, name)
    assert mqtt.MQTT_ERR_NO_CONN is enums.MQTTErrorCode.MQTT_ERR_NO_CONN
    assert mqtt.CONNACK >> 4 == PacketTypes.CONNACK
    assert properties.MQTTException is not ouzel.mqtt.MQTTException
    assert issubclass(properties.MalformedPacket, properties.MQTTException)
    assert callable(publish.single) and callable(publish.multiple)
    assert callable(subscribe.simple) and callable(subscribe.callback)
    assert reasoncodes.ReasonCodes and matcher.MQTTMatcher and packettypes.PacketTypes
    assert subscribeoptions.SubscribeOptions is SubscribeOptions
    for removed in ("base62", "WebsocketWrapper", "ConnectionState"):
        assert not hasattr(mqtt, removed)
    assert not hasattr(mqtt.Client, "message_retry_set")


def test_error_and_connack_strings():
    assert mqtt.error_string(mqtt.MQTT_ERR_SUCCESS) == "No error."
    assert mqtt.error_string(7) == "The connection was lost."
    assert mqtt.error_string(mqtt.MQTT_ERR_AGAIN) == "Unknown error."
    assert mqtt.error_string(999) == "Unknown error."
    assert mqtt.connack_string(4) == "Connection Refused: bad user name or password."
    assert mqtt.connack_string(9) == "Connection Refused: unknown reason."
    assert mqtt.connack_string(ReasonCode(PacketTypes.CONNACK, identifier=135)) == \
        "Not authorized"
    assert mqtt.convert_connack_rc_to_reason_code(3).value == 136
    assert mqtt.convert_connack_rc_to_reason_code(42).value == 128
    assert str(mqtt.convert_disconnect_error_code_to_reason_code(mqtt.MQTT_ERR_SUCCESS)) == \
        "Normal disconnection"
    assert mqtt.convert_disconnect_error_code_to_reason_code(mqtt.MQTT_ERR_KEEPALIVE) == 141
    assert mqtt.convert_disconnect_error_code_to_reason_code(mqtt.MQTT_ERR_CONN_LOST) == 128


def test_topic_matches_sub():
    cases = [("a/#", "a", True), ("a/+", "a/b", True), ("+", "", True), ("#", "$SYS/x", False),
             ("+/x", "$SYS/x", False), ("$SYS/#", "$SYS/x", True), ("a/b#", "a/b#", True),
             ("a/+/c", "a/b/d", False), ("non/+/+", "non/matching", False),
             ("foo/#", "foo/bar", True), ("+/bar", "foo/bar", True)]
    for sub, topic, expected in cases:
        assert mqtt.topic_matches_sub(sub, topic) is expected, (sub, topic)


def test_topic_matches_sub_uses_the_engine_and_keeps_pahos_answer_for_what_it_refuses():
    # The engine's MQTT 5.0 section 4.7 rules, shared filters matching as their filter.
    assert mqtt.topic_matches_sub("sport/tennis/player1/#", "sport/tennis/player1")
    assert not mqtt.topic_matches_sub("sport/+", "sport")
    assert mqtt.topic_matches_sub("$share/g/sport/+", "sport/x")
    # An invalid filter or topic: paho walks its trie all the same, and so do we.
    assert mqtt.topic_matches_sub("a/#/b", "a/#/b")
    assert mqtt.topic_matches_sub("a/+", "a/+")


def test_topic_callbacks_route_in_pahos_order():
    from ouzel.mqtt._topics import TopicCallbacks
    table = TopicCallbacks()
    reference = matcher.MQTTMatcher()
    # Added in a scrambled order; paho's trie yields literal before '+' before '#'.
    for sub in ("#", "a/#", "a/b/#", "+/b/c", "a/+/c", "a/b/c", "a/b/+", "a/+/#"):
        table[sub] = sub
        reference[sub] = sub
    assert table.iter_match("a/b/c") == list(reference.iter_match("a/b/c"))
    assert table.iter_match("a/b/c")[0] == "a/b/c"
    assert table.iter_match("$SYS/b/c") == []
    table["a/b/c"] = "replaced"
    assert table.iter_match("a/b/c")[0] == "replaced"
    assert table["a/b/c"] == "replaced"
    del table["a/b/c"]
    with pytest.raises(KeyError):
        del table["a/b/c"]
    assert "a/b/c" not in table.iter_match("a/b/c")
    # More matches than the first lookup's buffer holds (16 filters match "x/y/z").
    many, many_reference = TopicCallbacks(), matcher.MQTTMatcher()
    for a in ("x", "+"):
        for b in ("y", "+"):
            for c in ("z", "+", "#"):
                many[f"{a}/{b}/{c}"] = many_reference[f"{a}/{b}/{c}"] = f"{a}/{b}/{c}"
    for sub in ("x/#", "+/#", "#", "x/y/z/#"):
        many[sub] = many_reference[sub] = sub
    assert len(many.iter_match("x/y/z")) == 16
    assert many.iter_match("x/y/z") == list(many_reference.iter_match("x/y/z"))
    # A filter the engine refuses is kept as paho keeps it.
    table["a/#/b"] = "invalid"
    assert "invalid" in table.iter_match("a/#/b")
    del table["a/#/b"]
    assert "invalid" not in table.iter_match("a/#/b")
    # A shared filter routes as its filter (paho never matched it).
    table["$share/g/s/+"] = "shared"
    assert table.iter_match("s/1") == ["shared", "#"]


def test_reason_codes_come_from_the_engine_with_pahos_names():
    names = ReasonCode(PacketTypes.CONNACK).names
    assert names[0] == {"Success": [2, 4, 5, 6, 7, 11, 15], "Normal disconnection": [14],
                        "Granted QoS 0": [9]}
    assert names[135] == {"Not authorized": [2, 4, 5, 9, 11, 14]}
    assert names[129] == {"Malformed packet": [2, 14]}
    # MQTT 5.0 Table 3-1 lets CONNACK carry 0x99 (paho's table left it out).
    assert str(ReasonCode(PacketTypes.CONNACK, identifier=0x99)) == "Payload format invalid"
    assert str(ReasonCode(PacketTypes.SUBACK, identifier=0)) == "Granted QoS 0"
    assert ReasonCode(PacketTypes.PUBACK, "No matching subscribers").value == 16
    with pytest.raises(KeyError):
        ReasonCode(PacketTypes.PUBACK, identifier=0x42)
    with pytest.raises(ValueError):
        ReasonCode(PacketTypes.PUBACK, identifier=0x8F)  # a code, but not one PUBACK carries


def test_base62_and_payload_encoding():
    assert mqtt._base62(0, padding=3) == "000"
    assert mqtt._base62(61) == "Z" and mqtt._base62(62) == "10"
    assert mqtt._encode_payload(42) == b"42" and mqtt._encode_payload(4.2) == b"4.2"
    assert mqtt._encode_payload(None) == b"" and mqtt._encode_payload("é") == "é".encode()
    with pytest.raises(TypeError, match="payload must be a string, bytearray, int, float or "
                                        "None."):
        mqtt._encode_payload([1])
    a, b = mqtt._socketpair_compat()
    a.send(b"x")
    assert wait_for(lambda: _recv(b) == b"x")
    a.close()
    b.close()


def _recv(sock):
    try:
        return sock.recv(1)
    except BlockingIOError:
        return b""


def test_constructor_validation():
    with pytest.warns(DeprecationWarning, match="Callback API version 1 is deprecated"):
        c = mqtt.Client()
    assert c.callback_api_version == mqtt.CallbackAPIVersion.VERSION1
    assert c.protocol == mqtt.MQTTv311 and c.host == "" and c.port == 1883
    assert c.keepalive == 60 and c.connect_timeout == 5.0
    assert c.max_inflight_messages == 20 and c.max_queued_messages == 0
    assert c.transport == "tcp" and c.suppress_exceptions is False
    assert c.will_topic == "" and c.will_payload == b"" and c.username is None
    with pytest.raises(ValueError, match="migrations.rst"):
        mqtt.Client("my-id")
    with pytest.raises(ValueError, match="Clean session is not used for MQTT 5.0"):
        mqtt.Client(V2, protocol=mqtt.MQTTv5, clean_session=True)
    with pytest.raises(ValueError, match="A client id must be provided if clean session is "
                                         "False."):
        mqtt.Client(V2, clean_session=False)
    with pytest.raises(ValueError, match='transport must be "websockets", "tcp" or "unix", not '
                                         'udp'):
        mqtt.Client(V2, transport="udp")
    assert mqtt.Client(V2, transport="WebSockets").transport == "websockets"
    c31 = mqtt.Client(V2, protocol=mqtt.MQTTv31)
    assert len(c31._client_id) == 22
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mqtt.Client(V2)  # no warning for VERSION2


def test_subclassing_and_extra_attributes():
    class MyClient(mqtt.Client):
        def on_connect(self, client, userdata, flags, reason, props):
            pass

    c = MyClient(V2)
    c.my_attribute = 1
    assert c.my_attribute == 1


def test_publish_validation_and_offline_return_codes():
    c = mqtt.Client(V2)
    for topic, err in [(None, "Invalid topic."), ("", "Invalid topic."),
                       ("a/+", "Publish topic cannot contain wildcards."),
                       ("a/#", "Publish topic cannot contain wildcards.")]:
        with pytest.raises(ValueError, match=err.replace(".", r"\.")):
            c.publish(topic, "x")
    with pytest.raises(ValueError, match="Publish topic is too long."):
        c.publish("a" * 65536, "x")
    with pytest.raises(ValueError, match="Invalid QoS level."):
        c.publish("a", "x", qos=3)
    with pytest.raises(TypeError, match="payload must be"):
        c.publish("a", object())
    with pytest.raises(AttributeError):
        c.publish(b"bytes-topic", "x")
    # Offline: QoS 0 is dropped with NO_CONN; QoS 1/2 are kept, yet reported as NO_CONN.
    info0 = c.publish("a", "x", qos=0)
    assert info0.rc == mqtt.MQTT_ERR_NO_CONN
    info1 = c.publish("a", "x", qos=1)
    assert info1.rc == mqtt.MQTT_ERR_NO_CONN and info1.mid >= 1
    with pytest.raises(RuntimeError, match="Message publish failed: The client is not "
                                           "currently connected."):
        info1.is_published()
    with pytest.raises(RuntimeError):
        info1.wait_for_publish(0.1)
    rc, mid = info1
    assert (rc, mid) == (info1.rc, info1.mid) and info1[0] == info1.rc and info1[1] == mid
    with pytest.raises(IndexError):
        info1[2]
    assert str(info1) == str((info1.rc, info1.mid))
    v5 = mqtt.Client(V2, protocol=mqtt.MQTTv5)
    # paho sends an empty topic without a Topic Alias, which MQTT forbids [MQTT-3.3.2-1]; the
    # engine refuses it (docs/python-compatibility.md).
    with pytest.raises(ValueError, match="topic is empty"):
        v5.publish("", "x", qos=1)


def test_queue_size_limit():
    c = mqtt.Client(V2)
    assert c.max_queued_messages_set(2) is c
    first = [c.publish("q", str(i), qos=1) for i in range(2)]
    assert all(i.rc == mqtt.MQTT_ERR_NO_CONN for i in first)
    over = c.publish("q", "x", qos=1)
    assert over.rc == mqtt.MQTT_ERR_QUEUE_SIZE
    with pytest.raises(ValueError, match="Message is not queued due to ERR_QUEUE_SIZE"):
        over.wait_for_publish()
    with pytest.raises(ValueError, match="Invalid type of queue size."):
        c.max_queued_messages_set("1")


def test_subscribe_forms_and_validation_offline():
    c = mqtt.Client(V2)
    assert c.subscribe("a", 1) == (mqtt.MQTT_ERR_NO_CONN, None)
    assert c.subscribe(("a", 1)) == (mqtt.MQTT_ERR_NO_CONN, None)
    assert c.subscribe([("a", 0), ("b", 2)]) == (mqtt.MQTT_ERR_NO_CONN, None)
    for args, err in [(("a", 3), "Invalid QoS level."), (("",), "Invalid topic."),
                      (([],), "Empty topic list"),
                      (([("a", 3)],), "Invalid QoS level."),
                      (([("", 0)],), "Invalid topic."),
                      ((5,), "No topic specified, or incorrect topic type."),
                      ((None,), "No topic specified, or incorrect topic type."),
                      (("a/b#",), "Invalid subscription filter."),
                      (("a+",), "Invalid subscription filter."),
                      (("#/a",), "Invalid subscription filter.")]:
        with pytest.raises(ValueError, match=err.replace(".", r"\.")):
            c.subscribe(*args)
    v5 = mqtt.Client(V2, protocol=mqtt.MQTTv5)
    assert v5.subscribe("a", options=SubscribeOptions(qos=1, noLocal=True)) == \
        (mqtt.MQTT_ERR_NO_CONN, None)
    with pytest.raises(ValueError, match="Subscribe options and qos parameters cannot be "
                                         "combined."):
        v5.subscribe("a", qos=1, options=SubscribeOptions(qos=1))
    with pytest.raises(ValueError, match="Subscribe options must be instance of "
                                         "SubscribeOptions class."):
        v5.subscribe(("a", 1))
    with pytest.raises(ValueError, match="Invalid QoS level."):
        v5.subscribe([("a", 5)])


def test_unsubscribe_validation_offline():
    c = mqtt.Client(V2)
    assert c.unsubscribe("a") == (mqtt.MQTT_ERR_NO_CONN, None)
    assert c.unsubscribe(["a", "b/#"]) == (mqtt.MQTT_ERR_NO_CONN, None)
    for arg, err in [(None, "Invalid topic."), ("", "Invalid topic."), (["a", ""],
                                                                       "Invalid topic."),
                     (5, "No topic specified, or incorrect topic type.")]:
        with pytest.raises(ValueError, match=err.replace(".", r"\.")):
            c.unsubscribe(arg)


def test_will_and_credentials_validation():
    c = mqtt.Client(V2)
    with pytest.raises(ValueError, match="Invalid topic."):
        c.will_set("")
    with pytest.raises(ValueError, match="Invalid QoS level."):
        c.will_set("w", qos=3)
    with pytest.raises(ValueError, match="The properties argument must be an instance of the "
                                         "Properties class."):
        c.will_set("w", properties={"a": 1})
    with pytest.raises(TypeError):
        c.will_set("w", payload=[1])
    c.will_set("w/t", 42, 1, True)
    assert c.will_topic == "w/t" and c.will_payload == b"42"
    c.will_clear()
    assert c.will_topic == "" and c.will_payload == b""
    c.username_pw_set("user", "pass")
    assert c.username == "user" and c.password == "pass"
    c.username_pw_set("user", b"binary\x00pw")
    c.username_pw_set(None)
    assert c.username is None
    with pytest.raises(AttributeError):
        c.username_pw_set(b"bytes")


def test_property_setters_validate_and_refuse_while_connecting():
    c = mqtt.Client(V2)
    with pytest.raises(ValueError, match="Invalid host."):
        c.host = ""
    with pytest.raises(ValueError, match="Invalid port number."):
        c.port = 0
    with pytest.raises(ValueError, match="Keepalive must be >=0."):
        c.keepalive = -1
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        c.connect_timeout = 0
    with pytest.raises(ValueError, match="Invalid inflight."):
        c.max_inflight_messages = -1
    with pytest.raises(ValueError, match="Invalid queue size."):
        c.max_queued_messages = -1
    c.max_inflight_messages_set(5)
    assert c.max_inflight_messages == 5
    c.connect_async("127.0.0.1", 1)
    with pytest.raises(RuntimeError, match="updating host on established connection is not "
                                           "supported"):
        c.host = "x"
    with pytest.raises(RuntimeError, match="updating max_inflight_messages"):
        c.max_inflight_messages_set(2)
    with pytest.raises(ValueError, match="Invalid bind port number."):
        c.connect_async("127.0.0.1", 1, bind_port=-1)


def test_connect_argument_validation():
    c = mqtt.Client(V2)
    with pytest.raises(ValueError, match="Clean start only applies to MQTT V5"):
        c.connect("127.0.0.1", 1883, clean_start=True)
    with pytest.raises(ValueError, match="Properties only apply to MQTT V5"):
        c.connect("127.0.0.1", 1883, properties=Properties(PacketTypes.CONNECT))
    with pytest.raises(ValueError, match="Invalid host."):
        c.reconnect()
    with pytest.raises(ValueError, match="Invalid timeout."):
        c.loop(-1)


def test_loop_functions_without_a_connection():
    c = mqtt.Client(V2)
    assert c.loop(0) == mqtt.MQTT_ERR_CONN_LOST
    assert c.loop_read() == mqtt.MQTT_ERR_NO_CONN
    assert c.loop_write() == mqtt.MQTT_ERR_NO_CONN
    assert c.loop_misc() == mqtt.MQTT_ERR_NO_CONN
    assert c.want_write() is False and c.socket() is None
    assert c.disconnect() == mqtt.MQTT_ERR_NO_CONN
    assert c.loop_stop() == mqtt.MQTT_ERR_INVAL
    assert c.is_connected() is False
    assert c.ack(1, 1) == mqtt.MQTT_ERR_SUCCESS  # not in manual-ack mode: nothing to do


def test_tls_configuration_errors():
    c = mqtt.Client(V2)
    with pytest.raises(ValueError, match="Must configure SSL context before using "
                                         "tls_insecure_set."):
        c.tls_insecure_set(True)
    c.tls_set_context()
    with pytest.raises(ValueError, match="SSL/TLS has already been configured."):
        c.tls_set()
    with pytest.raises(OSError):
        mqtt.Client(V2).tls_set(certfile="/nonexistent/cert.pem")


def test_ws_set_options_validation():
    c = mqtt.Client(V2, transport="websockets")
    c.ws_set_options("/other", {"X-A": "1"})
    c.ws_set_options(headers=lambda h: h)
    with pytest.raises(ValueError, match="'headers' option to ws_set_options has to be either "
                                         "a dictionary or callable"):
        c.ws_set_options(headers=["x"])


def test_logger_enable_disable():
    c = mqtt.Client(V2)
    c.enable_logger()
    assert c.logger is logging.getLogger("paho.mqtt.client")
    mine = logging.getLogger("mine")
    c.enable_logger(mine)
    assert c.logger is mine
    c.enable_logger()  # keeps the logger already set
    assert c.logger is mine
    c.disable_logger()
    assert c.logger is None


def test_user_data_and_reinitialise_quirk():
    c = mqtt.Client(V2, userdata=1)
    assert c.user_data_get() == 1
    c.user_data_set([2])
    assert c.user_data_get() == [2]
    with pytest.raises(ValueError, match="Unsupported callback API version"):
        c.reinitialise()


def test_mqtt_message():
    m = mqtt.MQTTMessage(5, b"a/b")
    assert m.topic == "a/b" and m.mid == 5 and m.payload == b"" and m.properties is None
    assert m == mqtt.MQTTMessage(5) and m != mqtt.MQTTMessage(6)
    m.topic = b"\xff"
    with pytest.raises(UnicodeDecodeError):
        m.topic
    with pytest.raises(TypeError):
        hash(m)
    assert isinstance(m.info, mqtt.MQTTMessageInfo) and m.info.mid == 5


def test_mids_shared_counter(broker):
    c = mqtt.Client(V2)
    c.connect("127.0.0.1", broker.port)
    rc, smid = c.subscribe("m/a", 1)
    info = c.publish("m/a", "x", 0)
    rc2, umid = c.unsubscribe("m/a")
    assert (smid, info.mid, umid) == (1, 2, 3)
    c.disconnect()
