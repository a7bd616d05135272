"""MQTT control packet type numbers (``paho.mqtt.packettypes``)."""


class PacketTypes:
    """Packet type numbers as class attributes; WILLMESSAGE (99) labels Will properties."""

    indexes = range(1, 16)

    CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, \
        UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH = indexes

    WILLMESSAGE = 99

    Names = ("reserved", "Connect", "Connack", "Publish", "Puback", "Pubrec", "Pubrel",
             "Pubcomp", "Subscribe", "Suback", "Unsubscribe", "Unsuback", "Pingreq", "Pingresp",
             "Disconnect", "Auth")
