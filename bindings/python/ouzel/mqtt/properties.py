"""MQTT 5 properties (``paho.mqtt.properties``): ``Properties`` and the wire helpers.

Properties are set as attributes named like the property without spaces::

    props = Properties(PacketTypes.PUBLISH)
    props.MessageExpiryInterval = 30
    props.UserProperty = ("a", "1")      # multi-valued properties append
    props.UserProperty = [("b", "2")]
"""

import struct

from .packettypes import PacketTypes


class MQTTException(Exception):
    pass


class MalformedPacket(MQTTException):
    pass


def writeInt16(value):
    return bytearray(struct.pack("!H", value))


def readInt16(buf):
    return struct.unpack("!H", buf[:2])[0]


def writeInt32(value):
    return bytearray(struct.pack("!L", value))


def readInt32(buf):
    return struct.unpack("!L", buf[:4])[0]


def writeUTF(data):
    if not isinstance(data, bytes):
        data = bytes(data, "utf-8")
    return writeInt16(len(data)) + data


def readUTF(buffer, maxlen):
    """(string, bytes consumed); MalformedPacket for a bad length or characters MQTT forbids."""
    if maxlen < 2:
        raise MalformedPacket("Not enough data to read string length")
    length = readInt16(buffer)
    if length > maxlen - 2:
        raise MalformedPacket("Length delimited string too long")
    text = buffer[2:2 + length].decode("utf-8")
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise MalformedPacket("[MQTT-1.5.4-1] D800-DFFF found in UTF-8 data")
        if code == 0:
            raise MalformedPacket("[MQTT-1.5.4-2] Null found in UTF-8 data")
        if code == 0xFEFF:
            raise MalformedPacket("[MQTT-1.5.4-3] U+FEFF in UTF-8 data")
    return text, length + 2


def writeBytes(buffer):
    return writeInt16(len(buffer)) + buffer


def readBytes(buffer):
    length = readInt16(buffer)
    return buffer[2:2 + length], length + 2


class VariableByteIntegers:
    """MQTT's Variable Byte Integer: 7 bits per byte, high bit = more follow."""

    @staticmethod
    def encode(x):
        if not 0 <= x <= 268435455:
            raise ValueError(f"Value {x!r} must be in range 0-268435455")
        out = bytearray()
        while True:
            digit, x = x % 128, x // 128
            out.append(digit | (0x80 if x else 0))
            if not x:
                return bytes(out)

    @staticmethod
    def decode(buffer):
        """(value, number of bytes used)."""
        value, shift, used = 0, 0, 0
        while True:
            digit = buffer[used]
            used += 1
            value += (digit & 0x7F) << shift
            if not digit & 0x80:
                return value, used
            shift += 7


_TYPES = ["Byte", "Two Byte Integer", "Four Byte Integer", "Variable Byte Integer",
          "Binary Data", "UTF-8 Encoded String", "UTF-8 String Pair"]
_BYTE, _INT16, _INT32, _VBI, _BINARY, _UTF8, _PAIR = range(7)

_P = PacketTypes
_MESSAGE = [_P.PUBLISH, _P.WILLMESSAGE]
_ALL_BUT_PING = [_P.CONNECT, _P.CONNACK, _P.PUBLISH, _P.PUBACK, _P.PUBREC, _P.PUBREL,
                 _P.PUBCOMP, _P.SUBSCRIBE, _P.SUBACK, _P.UNSUBSCRIBE, _P.UNSUBACK,
                 _P.DISCONNECT, _P.AUTH, _P.WILLMESSAGE]

# identifier: (name, type, packets it may appear in), MQTT 5.0 section 2.2.2.2.
_TABLE = {
    1: ("Payload Format Indicator", _BYTE, _MESSAGE),
    2: ("Message Expiry Interval", _INT32, _MESSAGE),
    3: ("Content Type", _UTF8, _MESSAGE),
    8: ("Response Topic", _UTF8, _MESSAGE),
    9: ("Correlation Data", _BINARY, _MESSAGE),
    11: ("Subscription Identifier", _VBI, [_P.PUBLISH, _P.SUBSCRIBE]),
    17: ("Session Expiry Interval", _INT32, [_P.CONNECT, _P.CONNACK, _P.DISCONNECT]),
    18: ("Assigned Client Identifier", _UTF8, [_P.CONNACK]),
    19: ("Server Keep Alive", _INT16, [_P.CONNACK]),
    21: ("Authentication Method", _UTF8, [_P.CONNECT, _P.CONNACK, _P.AUTH]),
    22: ("Authentication Data", _BINARY, [_P.CONNECT, _P.CONNACK, _P.AUTH]),
    23: ("Request Problem Information", _BYTE, [_P.CONNECT]),
    24: ("Will Delay Interval", _INT32, [_P.WILLMESSAGE]),
    25: ("Request Response Information", _BYTE, [_P.CONNECT]),
    26: ("Response Information", _UTF8, [_P.CONNACK]),
    28: ("Server Reference", _UTF8, [_P.CONNACK, _P.DISCONNECT]),
    31: ("Reason String", _UTF8, [_P.CONNACK, _P.PUBACK, _P.PUBREC, _P.PUBREL, _P.PUBCOMP,
                                  _P.SUBACK, _P.UNSUBACK, _P.DISCONNECT, _P.AUTH]),
    33: ("Receive Maximum", _INT16, [_P.CONNECT, _P.CONNACK]),
    34: ("Topic Alias Maximum", _INT16, [_P.CONNECT, _P.CONNACK]),
    35: ("Topic Alias", _INT16, [_P.PUBLISH]),
    36: ("Maximum QoS", _BYTE, [_P.CONNACK]),
    37: ("Retain Available", _BYTE, [_P.CONNACK]),
    38: ("User Property", _PAIR, _ALL_BUT_PING),
    39: ("Maximum Packet Size", _INT32, [_P.CONNECT, _P.CONNACK]),
    40: ("Wildcard Subscription Available", _BYTE, [_P.CONNACK]),
    41: ("Subscription Identifier Available", _BYTE, [_P.CONNACK]),
    42: ("Shared Subscription Available", _BYTE, [_P.CONNACK]),
}
_MULTIPLE = (11, 38)
# Attribute name (no spaces) -> identifier, in identifier order (the order pack() writes).
_IDENT = {name.replace(" ", ""): ident for ident, (name, _, _) in _TABLE.items()}
_RANGES = {
    "ReceiveMaximum": (1, 65535), "TopicAlias": (1, 65535), "TopicAliasMaximum": (0, 65535),
    "MaximumPacketSize": (1, 268435455), "SubscriptionIdentifier": (1, 268435455),
}
_FLAGS = ("RequestResponseInformation", "RequestProblemInformation", "PayloadFormatIndicator")
_OWN = ("packetType", "types", "names", "properties")


class Properties:
    """The MQTT 5 properties of one packet (``packetType``: a PacketTypes value;
    WILLMESSAGE for a Will's). Unset properties are absent attributes (use hasattr)."""

    def __init__(self, packetType):
        # Every callback with properties makes one of these (each on_publish, for a start), so
        # the descriptive tables below are built only when an application asks for them.
        object.__setattr__(self, "packetType", packetType)

    def __getattr__(self, name):
        # Only for attributes not set: the tables, made on first use (each object its own copy,
        # as paho's are); an unset property stays absent (AttributeError, hasattr() False).
        if name == "types":
            value = list(_TYPES)
        elif name == "names":
            value = {n: ident for ident, (n, _, _) in _TABLE.items()}
        elif name == "properties":
            value = {ident: (kind, list(packets)) for ident, (_, kind, packets) in _TABLE.items()}
        else:
            raise AttributeError(name)
        object.__setattr__(self, name, value)
        return value

    def allowsMultiple(self, compressedName):
        return self.getIdentFromName(compressedName) in _MULTIPLE

    def getIdentFromName(self, compressedName):
        return _IDENT.get(compressedName, -1)

    def getNameFromIdent(self, identifier):
        entry = _TABLE.get(identifier)
        return entry[0] if entry else None

    def __setattr__(self, name, value):
        name = name.replace(" ", "")
        if name in _OWN:
            object.__setattr__(self, name, value)
            return
        ident = _IDENT.get(name)
        if ident is None:
            raise MQTTException(f"Property name must be one of {self.names.keys()}")
        if self.packetType not in _TABLE[ident][2]:
            raise MQTTException(f"Property {name} does not apply to packet type "
                                f"{PacketTypes.Names[self.packetType]}")
        if not isinstance(value, list):
            if name in _RANGES:
                low, high = _RANGES[name]
                if value < low or value > high:
                    raise MQTTException(f"{name} property value must be in the range "
                                        f"{low}-{high}")
            elif name in _FLAGS and value not in (0, 1):
                raise MQTTException(f"{name} property value must be 0 or 1")
        if ident in _MULTIPLE:
            if not isinstance(value, list):
                value = [value]
            if name in self.__dict__:
                value = self.__dict__[name] + value
        object.__setattr__(self, name, value)

    def _present(self):
        """(attribute name, identifier, value) of every set property, in identifier order."""
        d = self.__dict__
        return [(n, i, d[n]) for n, i in _IDENT.items() if n in d]

    def __str__(self):
        return "[" + ", ".join(f"{n} : {v}" for n, _, v in self._present()) + "]"

    def json(self):
        data = {}
        for name, _, value in self._present():
            if name == "CorrelationData" and isinstance(value, bytes):
                value = value.hex()
            data[name] = value
        return data

    def isEmpty(self):
        return not any(n in self.__dict__ for n in _IDENT)

    def clear(self):
        for name in _IDENT:
            self.__dict__.pop(name, None)

    def writeProperty(self, identifier, type, value):
        out = VariableByteIntegers.encode(identifier)
        if type == _BYTE:
            return out + bytes([value])
        if type == _INT16:
            return out + writeInt16(value)
        if type == _INT32:
            return out + writeInt32(value)
        if type == _VBI:
            return out + VariableByteIntegers.encode(value)
        if type == _BINARY:
            return out + writeBytes(value)
        if type == _UTF8:
            return out + writeUTF(value)
        return out + writeUTF(value[0]) + writeUTF(value[1])

    def pack(self):
        body = b""
        for _, ident, value in self._present():
            kind = _TABLE[ident][1]
            for item in (value if ident in _MULTIPLE else [value]):
                body += self.writeProperty(ident, kind, item)
        return VariableByteIntegers.encode(len(body)) + body

    def readProperty(self, buffer, type, propslen):
        if type == _BYTE:
            return buffer[0], 1
        if type == _INT16:
            return readInt16(buffer), 2
        if type == _INT32:
            return readInt32(buffer), 4
        if type == _VBI:
            return VariableByteIntegers.decode(buffer)
        if type == _BINARY:
            return readBytes(buffer)
        if type == _UTF8:
            return readUTF(buffer, propslen)
        name, used = readUTF(buffer, propslen)
        value, used2 = readUTF(buffer[used:], propslen - used)
        return (name, value), used + used2

    def unpack(self, buffer):
        """Replaces the properties with those encoded in `buffer`; (self, bytes consumed)."""
        self.clear()
        length, used = VariableByteIntegers.decode(buffer)
        buffer = buffer[used:]
        left = length
        while left > 0:
            ident, n = VariableByteIntegers.decode(buffer)
            buffer = buffer[n:]
            left -= n
            value, n = self.readProperty(buffer, _TABLE[ident][1], left)
            buffer = buffer[n:]
            left -= n
            name = _TABLE[ident][0].replace(" ", "")
            if ident not in _MULTIPLE and name in self.__dict__:
                raise MQTTException(f"Property '{name}' must not exist more than once")
            setattr(self, name, value)
        return self, length + used
