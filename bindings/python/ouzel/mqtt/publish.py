"""One-shot publishing (``paho.mqtt.publish``): connect, publish, disconnect.

    single("sensors/t", "21.5", hostname="broker")
    multiple([{"topic": "a", "payload": "1"}, ("b", "2", 1, False)], hostname="broker")
"""

import collections
from collections.abc import Iterable
from typing import Any, Dict, List, Tuple, Union

from .. import mqtt
from . import client as _client
from .enums import CallbackAPIVersion

AuthParameter = Dict[str, Any]
TLSParameter = Dict[str, Any]
MessageDict = Dict[str, Any]
MessageTuple = Tuple[str, _client.PayloadType, int, bool]
MessagesList = List[Union[MessageDict, MessageTuple]]


def _publish_next(client):
    message = client._userdata.popleft()
    if isinstance(message, dict):
        client.publish(**message)
    elif isinstance(message, (tuple, list)):
        client.publish(*message)
    else:
        raise TypeError("message must be a dict, tuple, or list")


def _on_connect(client, userdata, flags, reason_code, properties):
    if reason_code != 0:
        raise mqtt.MQTTException(_client.connack_string(reason_code))
    if len(userdata) > 0:
        _publish_next(client)


def _on_publish(client, userdata, mid, reason_code, properties):
    if len(userdata) == 0:
        client.disconnect()
    else:
        _publish_next(client)


def _configure(client, will, auth, tls, proxy_args):
    if proxy_args is not None:
        client.proxy_set(**proxy_args)
    if auth:
        username = auth.get("username")
        if not username:
            raise KeyError("The 'username' key was not found, this is required for auth")
        client.username_pw_set(username, auth.get("password"))
    if will is not None:
        client.will_set(**will)
    if tls is not None:
        if isinstance(tls, dict):
            insecure = tls.pop("insecure", False)
            client.tls_set(**tls)
            if insecure:
                # After tls_set(): it creates the context tls_insecure_set changes.
                client.tls_insecure_set(insecure)
        else:
            client.tls_set_context(tls)


def multiple(msgs, hostname="localhost", port=1883, client_id="", keepalive=60, will=None,
             auth=None, tls=None, protocol=_client.MQTTv311, transport="tcp", proxy_args=None):
    """Connects, publishes every message (dicts of publish() arguments, or tuples
    ``(topic, payload, qos, retain)``) one after the other, then disconnects."""
    if not isinstance(msgs, Iterable):
        raise TypeError("msgs must be an iterable")
    if len(msgs) == 0:
        raise ValueError("msgs is empty")
    client = _client.Client(CallbackAPIVersion.VERSION2, client_id=client_id,
                            userdata=collections.deque(msgs), protocol=protocol,
                            transport=transport)
    client.enable_logger()
    client.on_publish = _on_publish
    client.on_connect = _on_connect
    _configure(client, will, auth, tls, proxy_args)
    client.connect(hostname, port, keepalive)
    client.loop_forever()


def single(topic, payload=None, qos=0, retain=False, hostname="localhost", port=1883,
           client_id="", keepalive=60, will=None, auth=None, tls=None, protocol=_client.MQTTv311,
           transport="tcp", proxy_args=None):
    """Connects, publishes one message, disconnects."""
    msg = {"topic": topic, "payload": payload, "qos": qos, "retain": retain}
    multiple([msg], hostname, port, client_id, keepalive, will, auth, tls, protocol, transport,
             proxy_args)
