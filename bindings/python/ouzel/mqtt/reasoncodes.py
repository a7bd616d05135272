"""MQTT 5 reason codes (``paho.mqtt.reasoncodes``): ``ReasonCode`` and the deprecated
``ReasonCodes``."""

import functools
import warnings

from .. import _capi as C
from .packettypes import PacketTypes

_P = PacketTypes
# The packets that carry MQTT 5 reason codes (PacketTypes values are the wire's packet types).
_WITH_REASON_CODES = (_P.CONNACK, _P.PUBACK, _P.PUBREC, _P.PUBREL, _P.PUBCOMP, _P.SUBACK,
                      _P.UNSUBACK, _P.DISCONNECT, _P.AUTH)

# paho's spelling of each reason code: its API compares names as strings ("Malformed packet",
# where MQTT 5.0 writes "Malformed Packet"), so these stay paho's. Which packets may carry each
# code is the engine's knowledge (ouzel_reason_code_name), not repeated here.
_PAHO_NAMES = {
    0: "Success", 1: "Granted QoS 1", 2: "Granted QoS 2", 4: "Disconnect with will message",
    16: "No matching subscribers", 17: "No subscription found", 24: "Continue authentication",
    25: "Re-authenticate", 128: "Unspecified error", 129: "Malformed packet",
    130: "Protocol error", 131: "Implementation specific error",
    132: "Unsupported protocol version", 133: "Client identifier not valid",
    134: "Bad user name or password", 135: "Not authorized", 136: "Server unavailable",
    137: "Server busy", 138: "Banned", 139: "Server shutting down",
    140: "Bad authentication method", 141: "Keep alive timeout", 142: "Session taken over",
    143: "Topic filter invalid", 144: "Topic name invalid", 145: "Packet identifier in use",
    146: "Packet identifier not found", 147: "Receive maximum exceeded",
    148: "Topic alias invalid", 149: "Packet too large", 150: "Message rate too high",
    151: "Quota exceeded", 152: "Administrative action", 153: "Payload format invalid",
    154: "Retain not supported", 155: "QoS not supported", 156: "Use another server",
    157: "Server moved", 158: "Shared subscription not supported",
    159: "Connection rate exceeded", 160: "Maximum connect time",
    161: "Subscription identifiers not supported", 162: "Wildcard subscription not supported",
}
# 0x00 is named by packet.
_ZERO_NAMES = {_P.DISCONNECT: "Normal disconnection", _P.SUBACK: "Granted QoS 0"}

_tables = None


def _lookups():
    """(table, by (packet, value), by (packet, name)), built from the engine on first use (the
    library loads then, not at import). table: [(value, name, [packet types])]."""
    global _tables
    if _tables is None:
        lib = C.lib()
        packets_of = {}
        for packet in _WITH_REASON_CODES:
            for value in _PAHO_NAMES:
                if lib.reason_code_name(C.MQTT_V5, packet, value) is not None:
                    name = _ZERO_NAMES.get(packet, _PAHO_NAMES[0]) if value == 0 \
                        else _PAHO_NAMES[value]
                    packets_of.setdefault((value, name), []).append(packet)
        table = [(value, name, packets) for (value, name), packets in packets_of.items()]
        table.sort(key=lambda row: row[0])
        by_value, by_name = {}, {}
        for value, name, packets in table:
            for p in packets:
                by_value.setdefault((p, value), []).append(name)
                by_name.setdefault((p, name), value)
        _tables = (table, by_value, by_name)
    return _tables


def _names_dict():
    names = {}
    for value, name, packets in _lookups()[0]:
        names.setdefault(value, {})[name] = list(packets)
    return names


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
        table, by_value, _ = _lookups()
        found = by_value.get((packetType, identifier))
        if found is None:
            if not any(value == identifier for value, _, _ in table):
                raise KeyError(identifier)
            found = []
        if len(found) != 1:
            raise ValueError(f"Expected exactly one name, found {found!r}")
        return found[0]

    def getId(self, name):
        """The value of `name` for this packet type; KeyError when it is not one of its codes."""
        value = _lookups()[2].get((self.packetType, name))
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
