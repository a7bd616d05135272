"""A transport for the engine written in Python (ouzel/sys/transport.h), so that a user's
``ssl.SSLContext`` (paho's ``tls_set_context``) secures the connection exactly as that context
says. Used only for contexts the application built itself; ``tls_set()`` maps its arguments to
the engine's own TLS (BoringSSL), which is faster and needs no Python in the data path.

Everything runs without blocking (fd mode): the TCP connect and the TLS handshake report what
they wait for, reads and writes return OUZEL_EWOULDBLOCK, and bytes the SSL object holds
decrypted (``pending()``) are announced with ``ouzel_transport_notify``.
"""

import ctypes
import errno
import socket
import ssl

from .. import _capi as C


class _Stream:
    __slots__ = ("sock", "tls", "conn", "host", "port", "stage", "address")

    def __init__(self, conn, host, port):
        self.sock = None
        self.tls = None
        self.conn = conn
        self.host = host
        self.port = port
        self.stage = "tcp"
        self.address = None


class PythonTlsTransport:
    """The vtable and its callbacks for one Client (``install(options)``)."""

    def __init__(self, lib, context, server_hostname=None, bind=None, connect_timeout=None):
        self._lib = lib
        self._context = context
        self._server_hostname = server_hostname
        self._bind = bind
        self._streams = {}
        self._next = 1
        self._funcs = (
            C.transport_open_fn(self._open),
            C.transport_connect_fn(self._connect),
            C.transport_read_fn(self._read),
            C.transport_write_fn(self._write),
            C.transport_fd_fn(self._fd),
            C.transport_close_fn(self._close),
            C.transport_destroy_fn(self._destroy),
        )
        self.vtable = C.TransportVtable(C.TRANSPORT_VTABLE_VERSION, *self._funcs)

    def install(self, options_handle):
        rc = self._lib.options_set_transport(options_handle, ctypes.byref(self.vtable), None)
        if rc != C.OK:
            raise ValueError(self._lib.error_message(rc))

    # --- helpers --------------------------------------------------------------------------------

    def _error(self, stream, code, message):
        data = message.encode("utf-8", "replace")
        self._lib.transport_set_error(stream.conn, data, len(data))
        return code

    def _stream(self, key):
        return self._streams.get(key or 0)

    # --- slots ----------------------------------------------------------------------------------

    def _open(self, user, conn, uri, host, port, out):
        try:
            stream = _Stream(conn, host.decode(), port)
            key = self._next
            self._next += 1
            self._streams[key] = stream
            out[0] = key
            infos = socket.getaddrinfo(stream.host, port, type=socket.SOCK_STREAM)
            family, kind, proto, _, address = infos[0]
            s = socket.socket(family, kind, proto)
            s.setblocking(False)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._bind:
                s.bind(self._bind)
            stream.sock = s
            stream.address = address
            err = s.connect_ex(address)
            if err not in (0, errno.EINPROGRESS):
                self._streams.pop(key, None)
                s.close()
                code = C.EREFUSED if err == errno.ECONNREFUSED else C.EIO
                return self._error(stream, code, f"connect: {errno.errorcode.get(err, err)}")
            return C.OK
        except socket.gaierror as e:
            self._streams.pop(out[0] or 0, None)
            return self._error(stream, C.ENOTFOUND, f"{host.decode()}: {e}")
        except Exception as e:  # noqa: BLE001 - must not unwind into C
            self._streams.pop(out[0] or 0, None)
            return C.EIO

    def _connect(self, key, want):
        stream = self._stream(key)
        if stream is None:
            return C.EINVAL
        try:
            if stream.stage == "tcp":
                err = stream.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err == errno.EINPROGRESS or err == 0 and not self._tcp_connected(stream):
                    want[0] = C.TRANSPORT_WANT_WRITE
                    return C.EWOULDBLOCK
                if err:
                    code = C.EREFUSED if err == errno.ECONNREFUSED else C.EIO
                    return self._error(stream, code,
                                       f"connect: {errno.errorcode.get(err, err)} "
                                       f"({__import__('os').strerror(err)})")
                stream.tls = self._context.wrap_socket(
                    stream.sock, server_hostname=self._server_hostname or stream.host,
                    do_handshake_on_connect=False)
                stream.stage = "tls"
            stream.tls.do_handshake()
            stream.stage = "up"
            return C.OK
        except ssl.SSLWantReadError:
            want[0] = C.TRANSPORT_WANT_READ
            return C.EWOULDBLOCK
        except ssl.SSLWantWriteError:
            want[0] = C.TRANSPORT_WANT_WRITE
            return C.EWOULDBLOCK
        except ssl.SSLCertVerificationError as e:
            return self._error(stream, C.ETLS, f"certificate verify failed: {e.verify_message}")
        except ssl.SSLError as e:
            return self._error(stream, C.ETLS, str(e))
        except OSError as e:
            return self._error(stream, C.EIO, str(e))
        except Exception as e:  # noqa: BLE001
            return self._error(stream, C.EIO, repr(e))

    @staticmethod
    def _tcp_connected(stream):
        try:
            stream.sock.getpeername()
            return True
        except OSError:
            return False

    def _read(self, key, buf, length, n):
        stream = self._stream(key)
        if stream is None or stream.tls is None:
            return C.EINVAL
        try:
            data = stream.tls.recv(length)
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
            return C.EWOULDBLOCK
        except ssl.SSLError as e:
            return self._error(stream, C.ETLS, str(e))
        except OSError as e:
            return self._error(stream, C.EIO, str(e))
        ctypes.memmove(buf, data, len(data))
        n[0] = len(data)
        if data and stream.tls.pending():
            # Decrypted bytes poll() cannot see: ask for another read.
            self._lib.transport_notify(stream.conn, C.TRANSPORT_READABLE)
        return C.OK

    def _write(self, key, buf, length, n):
        stream = self._stream(key)
        if stream is None or stream.tls is None:
            return C.EINVAL
        try:
            sent = stream.tls.send(ctypes.string_at(buf, length))
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
            return C.EWOULDBLOCK
        except ssl.SSLError as e:
            return self._error(stream, C.ETLS, str(e))
        except OSError as e:
            return self._error(stream, C.EIO, str(e))
        n[0] = sent
        return C.OK

    def _fd(self, key):
        stream = self._stream(key)
        if stream is None:
            return -1
        # wrap_socket() moves the descriptor to the SSLSocket (the plain one is detached).
        s = stream.tls if stream.tls is not None else stream.sock
        return s.fileno() if s is not None else -1

    def _close(self, key):
        stream = self._streams.pop(key or 0, None)
        if stream is None:
            return
        for s in (stream.tls, stream.sock):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass

    def _destroy(self, user):
        self._streams.clear()
