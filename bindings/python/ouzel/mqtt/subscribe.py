"""One-shot subscribing (``paho.mqtt.subscribe``).

    msg = simple("sensors/#", hostname="broker")             # the first message
    callback(print_message, "sensors/#", hostname="broker")  # every message, forever
"""

from .. import mqtt
from . import client as _client
from .publish import _configure


def _on_connect(client, userdata, flags, reason_code, properties):
    if reason_code != 0:
        raise mqtt.MQTTException(_client.connack_string(reason_code))
    topics = userdata["topics"]
    for topic in (topics if isinstance(topics, list) else [topics]):
        client.subscribe(topic, userdata["qos"])


def _on_message_callback(client, userdata, message):
    userdata["callback"](client, userdata["userdata"], message)


def _on_message_simple(client, userdata, message):
    if userdata["msg_count"] == 0:
        return
    if message.retain and not userdata["retained"]:
        return  # a stale retained message the caller did not want
    userdata["msg_count"] -= 1
    if userdata["messages"] is None and userdata["msg_count"] == 0:
        userdata["messages"] = message
        client.disconnect()
        return
    userdata["messages"].append(message)
    if userdata["msg_count"] == 0:
        client.disconnect()


def callback(callback, topics, qos=0, userdata=None, hostname="localhost", port=1883,
             client_id="", keepalive=60, will=None, auth=None, tls=None,
             protocol=_client.MQTTv311, transport="tcp", clean_session=True, proxy_args=None):
    """Subscribes to `topics` (one or a list) and calls ``callback(client, userdata, message)``
    for every message; never returns."""
    if qos < 0 or qos > 2:
        raise ValueError("qos must be in the range 0-2")
    state = {"callback": callback, "topics": topics, "qos": qos, "userdata": userdata}
    client = _client.Client(_client.CallbackAPIVersion.VERSION2, client_id=client_id,
                            userdata=state, protocol=protocol, transport=transport,
                            clean_session=clean_session)
    client.enable_logger()
    client.on_message = _on_message_callback
    client.on_connect = _on_connect
    _configure(client, will, auth, tls, proxy_args)
    client.connect(hostname, port, keepalive)
    client.loop_forever()


def simple(topics, qos=0, msg_count=1, retained=True, hostname="localhost", port=1883,
           client_id="", keepalive=60, will=None, auth=None, tls=None, protocol=_client.MQTTv311,
           transport="tcp", clean_session=True, proxy_args=None):
    """Subscribes, returns the first `msg_count` messages (one MQTTMessage when msg_count is 1,
    else a list), and disconnects. With retained=False, retained messages are skipped."""
    if msg_count < 1:
        raise ValueError("msg_count must be > 0")
    messages = None if msg_count == 1 else []
    if protocol == _client.MQTTv5:
        clean_session = None
    state = {"retained": retained, "msg_count": msg_count, "messages": messages}
    callback(_on_message_simple, topics, qos, state, hostname, port, client_id, keepalive, will,
             auth, tls, protocol, transport, clean_session, proxy_args)
    return state["messages"]
