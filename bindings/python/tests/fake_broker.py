"""FakeBroker: a scripted MQTT peer (a test double, not a broker) that records every packet a
client sends, byte for byte, and answers with minimal acknowledgements. Used where a real broker
cannot help: comparing the exact bytes with paho-mqtt's, and server behaviour on demand (a
DISCONNECT with a reason code, a refused CONNACK).

    with FakeBroker(v5=True) as fb:
        client.connect("127.0.0.1", fb.port)
        ...
        fb.wait_packets(3)
        assert fb.packets[0][0] == 0x10   # CONNECT
"""

import socket
import threading
import time


def encode_length(n):
    out = bytearray()
    while True:
        digit, n = n % 128, n // 128
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def packet(first_byte, body=b""):
    return bytes([first_byte]) + encode_length(len(body)) + body


class FakeBroker:
    def __init__(self, v5=False, auto=True, connack=None, no_answer=()):
        self.v5 = v5
        self.auto = auto  # answer CONNECT/SUBSCRIBE/PUBLISH/... automatically
        self.no_answer = set(no_answer)  # packet types (4-bit) left unanswered
        self.connack = connack  # bytes of a CONNACK to send instead of the default
        self.packets = []  # every packet received, complete (fixed header included)
        self.connections = 0
        self._cond = threading.Condition()
        self._conn = None
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(4)
        self.port = self._listener.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._stop = True
        try:
            self._listener.close()
        except OSError:
            pass
        self.drop()
        self._thread.join(5)

    def drop(self):
        """Closes the current connection (as a crashing broker would)."""
        with self._cond:
            conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def send(self, data):
        """Sends raw bytes to the connected client."""
        with self._cond:
            assert self.wait_connected(), "no client connected"
            self._conn.sendall(data)

    def wait_connected(self, timeout=20):
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._conn is None and time.monotonic() < deadline:
                self._cond.wait(0.05)
            return self._conn is not None

    def wait_packets(self, count, timeout=20):
        """Waits until `count` packets were received; returns them."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.packets) < count and time.monotonic() < deadline:
                self._cond.wait(0.05)
            assert len(self.packets) >= count, f"got {len(self.packets)} packets: " + \
                ", ".join(p.hex() for p in self.packets)
            return list(self.packets)

    def wait_type(self, first_byte_type, timeout=20):
        deadline = time.monotonic() + timeout
        with self._cond:
            while time.monotonic() < deadline:
                for p in self.packets:
                    if p[0] >> 4 == first_byte_type >> 4:
                        return p
                self._cond.wait(0.05)
        raise AssertionError(f"no packet of type {first_byte_type:#x}: "
                             + ", ".join(p.hex() for p in self.packets))

    # --- Serving -----------------------------------------------------------------------------

    def _serve(self):
        self._listener.settimeout(0.1)
        while not self._stop:
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._cond:
                self._conn = conn
                self.connections += 1
                self._cond.notify_all()
            self._read_loop(conn)

    def _read_loop(self, conn):
        buf = b""
        conn.settimeout(0.1)
        while not self._stop:
            try:
                chunk = conn.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            while True:
                pkt, buf = self._split(buf)
                if pkt is None:
                    break
                # Record and answer under the one lock that waiting and send() take: a test
                # that waits for a packet and then sends something cannot overtake the automatic
                # answer (a DISCONNECT before the CONNACK would be a protocol violation), and a
                # client that got the answer finds its packet already recorded.
                with self._cond:
                    self.packets.append(pkt)
                    if self.auto:
                        try:
                            self._answer(conn, pkt)
                        except OSError:
                            pass
                    self._cond.notify_all()
        with self._cond:
            if self._conn is conn:
                self._conn = None
        conn.close()

    @staticmethod
    def _split(buf):
        if len(buf) < 2:
            return None, buf
        length, mult, i = 0, 1, 1
        while True:
            if i >= len(buf):
                return None, buf
            b = buf[i]
            length += (b & 0x7F) * mult
            mult *= 128
            i += 1
            if not b & 0x80:
                break
        end = i + length
        if len(buf) < end:
            return None, buf
        return buf[:end], buf[end:]

    @staticmethod
    def _body(pkt):
        i = 1
        while pkt[i] & 0x80:
            i += 1
        return pkt[i + 1:]

    def _answer(self, conn, pkt):
        kind = pkt[0] >> 4
        if kind in self.no_answer:
            return
        body = self._body(pkt)
        if kind == 1:  # CONNECT
            conn.sendall(self.connack or (packet(0x20, b"\x00\x00\x00") if self.v5
                                          else packet(0x20, b"\x00\x00")))
        elif kind == 8:  # SUBSCRIBE: grant what was asked
            mid = body[:2]
            rest = body[2:]
            if self.v5:
                plen, n = self._vbi(rest)
                rest = rest[n + plen:]
            granted = bytearray()
            while rest:
                flen = int.from_bytes(rest[:2], "big")
                granted.append(rest[2 + flen] & 0x03)
                rest = rest[3 + flen:]
            conn.sendall(packet(0x90, mid + (b"\x00" if self.v5 else b"") + bytes(granted)))
        elif kind == 10:  # UNSUBSCRIBE
            mid = body[:2]
            if self.v5:
                rest = body[2:]
                plen, n = self._vbi(rest)
                rest = rest[n + plen:]
                count = 0
                while rest:
                    flen = int.from_bytes(rest[:2], "big")
                    rest = rest[2 + flen:]
                    count += 1
                conn.sendall(packet(0xB0, mid + b"\x00" + b"\x00" * count))
            else:
                conn.sendall(packet(0xB0, mid))
        elif kind == 3:  # PUBLISH
            qos = (pkt[0] >> 1) & 3
            if qos:
                tlen = int.from_bytes(body[:2], "big")
                mid = body[2 + tlen:4 + tlen]
                conn.sendall(packet(0x40 if qos == 1 else 0x50, mid))
        elif kind == 5:  # PUBREC for a message we sent: release it
            conn.sendall(packet(0x62, body[:2]))
        elif kind == 6:  # PUBREL
            conn.sendall(packet(0x70, body[:2]))
        elif kind == 12:  # PINGREQ
            conn.sendall(packet(0xD0))
        elif kind == 14:  # DISCONNECT
            conn.shutdown(socket.SHUT_RDWR)

    @staticmethod
    def _vbi(buf):
        value, mult, i = 0, 1, 0
        while True:
            b = buf[i]
            value += (b & 0x7F) * mult
            mult *= 128
            i += 1
            if not b & 0x80:
                return value, i
