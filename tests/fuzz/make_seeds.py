#!/usr/bin/env python3
"""Writes the seed inputs of client_fuzzer, proxy_reply_fuzzer and store_recovery_fuzzer
(corpus/<target>/seed-*), so that each starts from inputs that reach the states named below.

- client_fuzzer: scripts in client_fuzzer.cc's format (option bytes, then steps: broker bytes,
  application calls, time, connection faults) built from MQTT packets written out by hand: a
  refused and an accepted CONNECT, AUTH during CONNECT, every QoS mid-session, both QoS 2 flows
  with duplicated, missing and reordered acknowledgements, reconnections inside them.
- proxy_reply_fuzzer: HTTP CONNECT replies (200 with broker bytes after it, 1xx first, 407, 502,
  not HTTP) and SOCKS5 replies (no auth, username/password accepted and refused, every address
  type, refusals), each for the parsers and for the whole ProxyTransport.
- store_recovery_fuzzer: whole log images (a header and one record of each type) and the two
  structured forms (framed payloads, records from fields), clean, cut short and with a flipped
  byte.

    tests/fuzz/make_seeds.py      # rewrites the seed-* files, leaves the others
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

V31, V311, V5 = 0, 1, 2


# ---- FuzzInput encodings (big-endian; Below(n) reads a U32) --------------------------------------

def u8(v):
    return bytes([v & 0xFF])


def u16(v):
    return struct.pack(">H", v)


def below(v):
    return struct.pack(">I", v)


def boolean(v):
    return u8(1 if v else 0)


def string(s):
    return u8(len(s)) + s


def options(version=V311, clean=True, keep_alive=60, manual_ack=False, on_pubrel=False,
            max_inflight=0, max_queued=0, queue_qos0=False, resend=False, number_qos0=False,
            auto_alias=False, props=0, read_buffer=511, follow_reference=False, client_id=True):
    out = below(read_buffer) + boolean(follow_reference) + below(version) + boolean(client_id)
    out += boolean(clean) + u8(keep_alive) + boolean(manual_ack) + boolean(on_pubrel)
    out += below(max_inflight) + below(max_queued) + boolean(queue_qos0) + boolean(resend)
    out += boolean(number_qos0)
    if version == V5:
        out += boolean(auto_alias) + u8(props)
    return out


# Steps.
def broker(data):
    assert len(data) < 1024
    hi, lo = divmod(len(data), 256)
    return below(0) + u8(lo) + boolean(hi > 0) + (u8(hi) if hi else b"") + data


def publish(topic_index, qos, payload=b"p", retain=False):
    return below(3) + below(topic_index) + below(qos) + boolean(retain) + string(payload)


def subscribe(filter_index, qos):
    return below(4) + below(filter_index) + below(qos)


def unsubscribe(filter_index):
    return below(5) + below(filter_index)


def advance(ms):
    return below(6) + u16(ms)


def peer_close():
    return below(7)


def disconnect(reason=0):
    return below(8) + u8(reason)


def connect():
    return below(9)


def write_budget(b):
    return below(10) + u8(b)


def ack(packet_id):
    return below(11) + u16(packet_id)


def reconnect():
    return below(12)


def refuse(on):
    return below(13) + boolean(on)


# ---- MQTT packets from the broker ----------------------------------------------------------------

def varint(n):
    out = b""
    while True:
        b = n % 128
        n //= 128
        out += u8(b | (0x80 if n else 0))
        if not n:
            return out


def packet(first, body):
    return u8(first) + varint(len(body)) + body


def mqtt_string(s):
    return u16(len(s)) + s


def props(*items):
    body = b"".join(items)
    return varint(len(body)) + body


def p_int4(pid, v):
    return u8(pid) + struct.pack(">I", v)


def p_int2(pid, v):
    return u8(pid) + u16(v)


def p_str(pid, s):
    return u8(pid) + mqtt_string(s)


def connack(v5, session_present=False, rc=0, properties=b""):
    body = u8(1 if session_present else 0) + u8(rc)
    if v5:
        body += props(properties)
    return packet(0x20, body)


def pub(v5, topic, payload, qos=0, pid=0, dup=False, retain=False, properties=b""):
    first = 0x30 | (qos << 1) | (0x08 if dup else 0) | (1 if retain else 0)
    body = mqtt_string(topic)
    if qos:
        body += u16(pid)
    if v5:
        body += props(properties)
    return packet(first, body + payload)


def ack_packet(first, v5, pid, rc=None):
    body = u16(pid)
    if v5 and rc is not None:
        body += u8(rc) + props(b"")
    return packet(first, body)


def puback(v5, pid, rc=None):
    return ack_packet(0x40, v5, pid, rc)


def pubrec(v5, pid, rc=None):
    return ack_packet(0x50, v5, pid, rc)


def pubrel(v5, pid, rc=None):
    return ack_packet(0x62, v5, pid, rc)


def pubcomp(v5, pid, rc=None):
    return ack_packet(0x70, v5, pid, rc)


def suback(v5, pid, codes):
    body = u16(pid) + (props(b"") if v5 else b"") + bytes(codes)
    return packet(0x90, body)


def unsuback(v5, pid, codes=(0,)):
    body = u16(pid) + ((props(b"") + bytes(codes)) if v5 else b"")
    return packet(0xB0, body)


PINGRESP = packet(0xD0, b"")


def server_disconnect(rc, properties=b""):
    return packet(0xE0, u8(rc) + props(properties))


def auth(rc, properties=b""):
    return packet(0xF0, u8(rc) + props(properties))


# ---- The seeds -----------------------------------------------------------------------------------

def seeds():
    s = {}
    s["connect-refused-311"] = options() + broker(connack(False, rc=5))
    s["connect-refused-5"] = options(version=V5) + broker(
        connack(True, rc=0x87, properties=p_str(0x1F, b"not authorized")))
    s["connect-garbage"] = options() + broker(b"\x20\x03\x00\x00\x00\xff\xff\xff\xff\x7f")
    s["connect-timeout"] = options() + advance(11000) + advance(11000)
    s["connect-v31"] = (options(version=V31) + broker(connack(False)) + publish(0, 1)
                        + broker(puback(False, 1)) + broker(pub(False, b"a", b"x", 1, 5)))
    s["auth-during-connect"] = (
        options(version=V5, props=16)
        + broker(auth(0x18, p_str(0x15, b"SCRAM") + p_str(0x16, b"xx")))
        + broker(connack(True, properties=p_str(0x15, b"SCRAM"))))
    s["session-v311"] = (
        options(clean=False) + broker(connack(False, True)) + subscribe(1, 2)
        + broker(suback(False, 1, [2])) + publish(1, 0) + publish(1, 1) + publish(1, 2)
        + broker(puback(False, 2) + pubrec(False, 3)) + broker(pubcomp(False, 3))
        + broker(pub(False, b"a/b", b"q0")) + broker(pub(False, b"a/b", b"q1", 1, 9))
        + advance(60000) + broker(PINGRESP) + unsubscribe(1) + broker(unsuback(False, 4))
        + disconnect())
    s["session-v5-limits"] = (
        options(version=V5, auto_alias=True, props=0x0F)
        + broker(connack(True, properties=p_int4(0x27, 40) + p_int2(0x21, 1) + p_int2(0x22, 2)
                         + p_str(0x12, b"assigned-id")))
        + publish(1, 1, b"x" * 60) + publish(1, 1) + publish(1, 1) + broker(puback(True, 1, 0x10))
        + broker(puback(True, 2)) + broker(pub(True, b"a", b"alias", 1, 3,
                                               properties=p_int2(0x23, 1)))
        + broker(pub(True, b"", b"by alias", 0, properties=p_int2(0x23, 1)))
        + subscribe(3, 1) + broker(suback(True, 3, [0x9E])))
    s["qos2-out"] = (
        options() + broker(connack(False)) + publish(0, 2) + broker(pubrec(False, 1))
        + broker(pubrec(False, 1)) + broker(pubcomp(False, 1)) + broker(pubcomp(False, 1))
        + publish(0, 2) + broker(pubcomp(False, 2)) + broker(pubrel(False, 2)))
    s["qos2-out-v5-error"] = (
        options(version=V5) + broker(connack(True)) + publish(0, 2) + broker(pubrec(True, 1, 0x80))
        + publish(0, 2) + broker(pubrec(True, 2)) + broker(pubcomp(True, 2, 0x92)))
    s["qos2-in"] = (
        options(on_pubrel=True) + broker(connack(False))
        + broker(pub(False, b"a", b"two", 2, 7)) + broker(pub(False, b"a", b"two", 2, 7, dup=True))
        + broker(pubrel(False, 7)) + broker(pubrel(False, 7))
        + broker(pub(False, b"a", b"W-withheld", 2, 8)) + broker(pubrel(False, 8)))
    s["qos2-in-reconnect"] = (
        options(clean=False) + broker(connack(False)) + broker(pub(False, b"a", b"two", 2, 9))
        + peer_close() + advance(50) + broker(connack(False, True))
        + broker(pub(False, b"a", b"two", 2, 9, dup=True)) + broker(pubrel(False, 9)))
    s["qos2-out-reconnect"] = (
        options(version=V5, clean=False, props=1) + broker(connack(True)) + publish(1, 2)
        + broker(pubrec(True, 1)) + peer_close() + advance(50) + broker(connack(True, True))
        + broker(pubcomp(True, 1)) + publish(1, 2) + reconnect() + advance(20)
        + broker(connack(True, False)))
    s["server-disconnect-reference"] = (
        options(version=V5, follow_reference=True) + broker(connack(True))
        + broker(server_disconnect(0x9C, p_str(0x1C, b"mqtt://other.fuzz:1884")))
        + advance(100) + broker(connack(True)))
    s["keepalive-timeout"] = (
        options(keep_alive=1) + broker(connack(False)) + advance(1000) + advance(1000)
        + advance(1000) + refuse(True) + advance(200) + refuse(False) + advance(200))
    s["blocked-writes"] = (
        options(max_inflight=1, max_queued=2) + write_budget(0) + broker(connack(False))
        + publish(0, 1, b"x" * 30) + publish(0, 1) + publish(0, 0) + write_budget(3)
        + write_budget(255) + broker(puback(False, 1)) + disconnect() + connect()
        + broker(connack(False)))
    s["manual-ack"] = (
        options(manual_ack=True, queue_qos0=True, number_qos0=True) + publish(0, 0)
        + broker(connack(False)) + broker(pub(False, b"a", b"R-reply", 1, 3))
        + broker(pub(False, b"a", b"m", 2, 4)) + ack(4) + ack(3) + ack(3)
        + broker(pubrel(False, 4)))
    return s


# ---- proxy_reply_fuzzer: mode byte, chunk seed, config byte, reply -------------------------------

def proxy_seeds():
    s = {}
    http = {
        "200-then-broker": b"HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\n\x20\x02\x00\x00",
        "100-then-200": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\n\r\n",
        "407": (b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b"Proxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n"),
        "502": b"HTTP/1.1 502 Bad Gateway\r\n\r\nbody",
        "not-http": b"SSH-2.0-OpenSSH_9.2\r\n",
        "bare-lf": b"HTTP/1.1 200 OK\nX: y\n\n",
    }
    for name, reply in http.items():
        s["http-" + name] = b"\x00\x07\x00" + reply
        s["transport-http-" + name] = b"\x02\x05\x02" + reply
    ipv4_ok = b"\x05\x00\x00\x01\x7f\x00\x00\x01\x9c\x40"
    socks = {
        "none-ipv4": b"\x05\x00" + ipv4_ok + b"\x20\x02\x00\x00",
        "auth-ok": b"\x05\x02\x01\x00" + ipv4_ok,
        "auth-refused": b"\x05\x02\x01\x01",
        "no-method": b"\x05\xff",
        "name-reply": b"\x05\x00\x05\x00\x00\x03\x09localhost\x07\x5b",
        "ipv6-reply": b"\x05\x00\x05\x00\x00\x04" + b"\x00" * 15 + b"\x01\x07\x5b",
        "refused": b"\x05\x00\x05\x05\x00\x01",
        "http-answer": b"HTTP/1.1 400 Bad Request\r\n\r\n",
    }
    for name, reply in socks.items():
        for config in (0, 1, 2, 4):
            s["socks-%s-%d" % (name, config)] = b"\x01\x03" + bytes([config]) + reply
        s["transport-socks-" + name] = b"\x02\x09\x03" + reply
    return s


# ---- store_recovery_fuzzer ------------------------------------------------------------------------

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def le(v, n):
    return v.to_bytes(n, "little")


def frame(rtype, payload):
    body = le(len(payload), 4) + bytes([rtype]) + payload
    return le(crc32c(body), 4) + body


def message(topic, payload, qos, pid):
    return bytes([qos]) + le(pid, 2) + le(len(topic), 2) + topic + b"\x00" + payload


def store_log():
    log = frame(1, b"OUZELSES" + le(1, 2) + b"fuzz-session")
    log += frame(7, le(3600, 4) + b"client-a")
    log += frame(9, le(4097, 8))
    log += frame(2, le(1, 8) + b"\x01" + message(b"a/b", b"one", 1, 1))
    log += frame(2, le(2, 8) + b"\x00" + message(b"a/b", b"two", 2, 0))
    log += frame(3, le(2, 8) + b"\x02" + le(2, 2) + b"\x00")
    log += frame(5, le(7, 2) + b"\x01" + message(b"in", b"held", 2, 7))
    log += frame(5, le(8, 2) + b"\x00")
    log += frame(4, le(1, 8))
    log += frame(6, le(8, 2))
    log += frame(8, b"")
    return log


def store_seeds():
    log = store_log()
    s = {
        "raw-log": b"\x00" + log,
        "raw-log-torn": b"\x00" + log[:-5],
        "raw-log-flipped": b"\x00" + log[:60] + bytes([log[60] ^ 0x40]) + log[61:],
        "raw-empty": b"\x00",
    }
    # Mode 1: header choice, then (continue, type, payload) frames, then no damage.
    framed = b"\x01" + below(2)
    for rtype, payload in ((7, le(1, 4) + b"c"), (9, le(9, 8)), (4, le(1, 8)), (12, b"x")):
        framed += below(1) + u8(rtype) + string(payload)
    s["framed"] = framed + below(0) + below(3)
    # Mode 2: records from fields: put, stage, incoming, identity, clear, next token, remove.
    fields = b"\x02" + below(2)
    records = [
        below(0) + below(0) + string(b"a/b") + string(b"x") + below(1) + u8(0) + u8(0) + below(0)
        + below(1),
        below(1) + below(0) + below(2) + below(1) + u8(0),
        below(3) + below(3) + u8(1) + string(b"in") + string(b"h") + below(2) + u8(0) + u8(0)
        + below(2),
        below(5) + string(b"cid") + struct.pack(">I", 60),
        below(7) + below(12),
        below(2) + below(1),
        below(4) + below(3),
        below(6),
    ]
    for r in records:
        fields += below(1) + r
    s["fields"] = fields + below(0) + below(3)
    s["fields-cut"] = fields + below(0) + below(0) + below(40)
    s["fields-flipped"] = fields + below(0) + below(1) + below(30) + below(7)
    s["other-key"] = b"\x02" + below(0) + below(1) + below(6) + below(0) + below(3)
    s["newer-version"] = b"\x01" + below(1) + below(0) + below(3)
    return s


def write(target, seeds):
    out = os.path.join(CORPUS, target)
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.startswith("seed-"):
            os.remove(os.path.join(out, name))
    for name, data in seeds.items():
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)


def main():
    write("client_fuzzer", seeds())
    write("proxy_reply_fuzzer", proxy_seeds())
    write("store_recovery_fuzzer", store_seeds())


if __name__ == "__main__":
    main()
