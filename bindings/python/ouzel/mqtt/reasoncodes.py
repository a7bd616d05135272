"""MQTT 5 reason codes (``paho.mqtt.reasoncodes``): ``ReasonCode`` and the deprecated
``ReasonCodes``."""

import functools
import warnings

from .packettypes import PacketTypes

_P = PacketTypes
_ACKS = [_P.PUBACK, _P.PUBREC]
_ERR_COMMON = [_P.CONNACK, _P.PUBACK, _P.PUBREC, _P.SUBACK, _P.UNSUBACK, _P.DISCONNECT]

# (value, name, packet types it is valid in), as in MQTT 5.0 section 2.4.
_TABLE = [
    (0, "Success", [_P.CONNACK, _P.PUBACK, _P.PUBREC, _P.PUBREL, _P.PUBCOMP, _P.UNSUBACK,
                    _P.AUTH]),
    (0, "Normal disconnection", [_P.DISCONNECT]),
    (0, "Granted QoS 0", [_P.SUBACK]),
    (1, "Granted QoS 1", [_P.SUBACK]),
    (2, "Granted QoS 2", [_P.SUBACK]),
    (4, "Disconnect with will message", [_P.DISCONNECT]),
    (16, "No matching subscribers", _ACKS),
    (17, "No subscription found", [_P.UNSUBACK]),
    (24, "Continue authentication", [_P.AUTH]),
    (25, "Re-authenticate", [_P.AUTH]),
    (128, "Unspecified error", _ERR_COMMON),
    (129, "Malformed packet", [_P.CONNACK, _P.DISCONNECT]),
    (130, "Protocol error", [_P.CONNACK, _P.DISCONNECT]),
    (131, "Implementation specific error", _ERR_COMMON),
    (132, "Unsupported protocol version", [_P.CONNACK]),
    (133, "Client identifier not valid", [_P.CONNACK]),
    (134, "Bad user name or password", [_P.CONNACK]),
    (135, "Not authorized", _ERR_COMMON),
    (136, "Server unavailable", [_P.CONNACK]),
    (137, "Server busy", [_P.CONNACK, _P.DISCONNECT]),
    (138, "Banned", [_P.CONNACK]),
    (139, "Server shutting down", [_P.DISCONNECT]),
    (140, "Bad authentication method", [_P.CONNACK, _P.DISCONNECT]),
    (141, "Keep alive timeout", [_P.DISCONNECT]),
    (142, "Session taken over", [_P.DISCONNECT]),
    (143, "Topic filter invalid", [_P.SUBACK, _P.UNSUBACK, _P.DISCONNECT]),
    (144, "Topic name invalid", [_P.CONNACK, _P.PUBACK, _P.PUBREC, _P.DISCONNECT]),
    (145, "Packet identifier in use", [_P.PUBACK, _P.PUBREC, _P.SUBACK, _P.UNSUBACK]),
    (146, "Packet identifier not found", [_P.PUBREL, _P.PUBCOMP]),
    (147, "Receive maximum exceeded", [_P.DISCONNECT]),
    (148, "Topic alias invalid", [_P.DISCONNECT]),
    (149, "Packet too large", [_P.CONNACK, _P.DISCONNECT]),
    (150, "Message rate too high", [_P.DISCONNECT]),
    (151, "Quota exceeded", [_P.CONNACK, _P.PUBACK, _P.PUBREC, _P.SUBACK, _P.DISCONNECT]),
    (152, "Administrative action", [_P.DISCONNECT]),
    (153, "Payload format invalid", [_P.PUBACK, _P.PUBREC, _P.DISCONNECT]),
    (154, "Retain not supported", [_P.CONNACK, _P.DISCONNECT]),
    (155, "QoS not supported", [_P.CONNACK, _P.DISCONNECT]),
    (156, "Use another server", [_P.CONNACK, _P.DISCONNECT]),
    (157, "Server moved", [_P.CONNACK, _P.DISCONNECT]),
    (158, "Shared subscription not supported", [_P.SUBACK, _P.DISCONNECT]),
    (159, "Connection rate exceeded", [_P.CONNACK, _P.DISCONNECT]),
    (160, "Maximum connect time", [_P.DISCONNECT]),
    (161, "Subscription identifiers not supported", [_P.SUBACK, _P.DISCONNECT]),
    (162, "Wildcard subscription not supported", [_P.SUBACK, _P.DISCONNECT]),
]


def _names_dict():
    names = {}
    for value, name, packets in _TABLE:
        names.setdefault(value, {})[name] = list(packets)
    return names


# Lookups for the hot path (every SUBACK, PUBACK, CONNACK creates ReasonCodes).
_BY_VALUE = {}
_BY_NAME = {}
for _value, _name, _packets in _TABLE:
    for _p in _packets:
        _BY_VALUE.setdefault((_p, _value), []).append(_name)
        _BY_NAME.setdefault((_p, _name), _value)


@functools.total_ordering
class ReasonCode:
    """An MQTT 5 reason code for one packet type.

    ``ReasonCode(PacketTypes.SUBACK, identifier=1)`` or ``ReasonCode(PacketTypes.PUBACK,
    "No matching subscribers")``. Compares equal to its int value, its name, and other
    ReasonCodes with the same value; ``str()`` is the name.
    """

    def __init__(self, packetType, aName="Success", identifier=-1):
        self.packetType = packetType
        if packetType == PacketTypes.DISCONNECT and aName == "Success":
            aName = "Normal disconnection"
        if identifier == -1:
            self.set(aName)
        else:
            self.value = identifier
            self.getName()  # KeyError / ValueError for an identifier this packet cannot carry

    @property
    def names(self):
        """value -> {name: [packet types]}, every reason code MQTT 5 defines."""
        return _names_dict()

    def __getName__(self, packetType, identifier):
        found = _BY_VALUE.get((packetType, identifier))
        if found is None:
            if not any(value == identifier for value, _, _ in _TABLE):
                raise KeyError(identifier)
            found = []
        if len(found) != 1:
            raise ValueError(f"Expected exactly one name, found {found!r}")
        return found[0]

    def getId(self, name):
        """The value of `name` for this packet type; KeyError when it is not one of its codes."""
        value = _BY_NAME.get((self.packetType, name))
        if value is None:
            raise KeyError(f"Reason code name not found: {name}")
        return value

    def set(self, name):
        self.value = self.getId(name)

    def unpack(self, buffer):
        self.value = self.getId(self.__getName__(self.packetType, buffer[0]))
        return 1

    def getName(self):
        return self.__getName__(self.packetType, self.value)

    def __eq__(self, other):
        if isinstance(other, int):
            return self.value == other
        if isinstance(other, str):
            return other == str(self)
        if isinstance(other, ReasonCode):
            return self.value == other.value
        return False

    def __lt__(self, other):
        if isinstance(other, int):
            return self.value < other
        if isinstance(other, ReasonCode):
            return self.value < other.value
        return NotImplemented

    def __repr__(self):
        try:
            packet = PacketTypes.Names[self.packetType]
        except IndexError:
            packet = "Unknown"
        return f"ReasonCode({packet}, {self.getName()!r})"

    def __str__(self):
        return self.getName()

    def json(self):
        return self.getName()

    def pack(self):
        return bytearray([self.value])

    @property
    def is_failure(self):
        return self.value >= 0x80


class _AnyReasonCode(type):
    # isinstance(x, ReasonCodes) holds for every ReasonCode, as it did in paho 1.x.
    def __instancecheck__(cls, other):
        return isinstance(other, ReasonCode)


class ReasonCodes(ReasonCode, metaclass=_AnyReasonCode):
    """Deprecated spelling of ReasonCode."""

    def __init__(self, *args, **kwargs):
        warnings.warn("ReasonCodes is deprecated, use ReasonCode (singular) instead",
                      category=DeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)
