"""MQTT 5 subscription options (``paho.mqtt.subscribeoptions``)."""


class MQTTException(Exception):
    pass


def _check(qos, retain_handling):
    # AssertionError (not ValueError): what paho raises and its users catch.
    if retain_handling not in (0, 1, 2):
        raise AssertionError(f"Retain handling should be 0, 1 or 2, not {retain_handling}")
    if qos not in (0, 1, 2):
        raise AssertionError(f"QoS should be 0, 1 or 2, not {qos}")


class SubscribeOptions:
    """The options byte of one MQTT 5 subscription.

    ``qos`` 0..2; ``noLocal``: do not receive your own publications; ``retainAsPublished``: keep
    the publisher's retain flag; ``retainHandling``: when the broker sends retained messages
    (RETAIN_SEND_ON_SUBSCRIBE, RETAIN_SEND_IF_NEW_SUB, RETAIN_DO_NOT_SEND).
    """

    RETAIN_SEND_ON_SUBSCRIBE = 0
    RETAIN_SEND_IF_NEW_SUB = 1
    RETAIN_DO_NOT_SEND = 2

    def __init__(self, qos=0, noLocal=False, retainAsPublished=False,
                 retainHandling=RETAIN_SEND_ON_SUBSCRIBE):
        object.__setattr__(self, "names", ["QoS", "noLocal", "retainAsPublished",
                                           "retainHandling"])
        self.QoS = qos
        self.noLocal = noLocal
        self.retainAsPublished = retainAsPublished
        self.retainHandling = retainHandling
        _check(self.QoS, self.retainHandling)

    def __setattr__(self, name, value):
        if name not in self.names:
            raise MQTTException(f"{name} Attribute name must be one of {self.names}")
        object.__setattr__(self, name, value)

    def pack(self):
        _check(self.QoS, self.retainHandling)
        return bytes([(self.retainHandling << 4) | (int(bool(self.retainAsPublished)) << 3)
                      | (int(bool(self.noLocal)) << 2) | self.QoS])

    def unpack(self, buffer):
        b = buffer[0]
        self.retainHandling = (b >> 4) & 0x03
        self.retainAsPublished = bool((b >> 3) & 0x01)
        self.noLocal = bool((b >> 2) & 0x01)
        self.QoS = b & 0x03
        _check(self.QoS, self.retainHandling)
        return 1

    def __str__(self):
        return (f"{{QoS={self.QoS}, noLocal={self.noLocal}, "
                f"retainAsPublished={self.retainAsPublished}, "
                f"retainHandling={self.retainHandling}}}")

    __repr__ = __str__

    def json(self):
        return {"QoS": self.QoS, "noLocal": self.noLocal,
                "retainAsPublished": self.retainAsPublished,
                "retainHandling": self.retainHandling}
