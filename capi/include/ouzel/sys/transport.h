/* Ouzel C API extension point: a transport supplied by the application.
 *
 * Instead of Ouzel's own TCP / TLS / proxy stack, the client reads and writes MQTT bytes through
 * a byte stream the application provides: TLS done by another library (Python's ssl.SSLContext,
 * as paho's tls_set_context), a serial line, an in-process pipe, a test harness. For ws:// and
 * wss:// server URIs the stream stands for the TCP (wss: TLS) connection to the server's host
 * and port, and Ouzel speaks WebSocket over it (upgrade request, frames); for every other scheme
 * the stream carries MQTT directly.
 * The application fills a versioned table of functions (the SQLite VFS model):
 *
 *   static const ouzel_transport_vtable my_transport = {
 *     OUZEL_TRANSPORT_VTABLE_VERSION, my_open, my_connect, my_read, my_write, my_fd, my_close,
 *     my_destroy};
 *   ouzel_options_set_transport(opts, &my_transport, my_state);
 *
 * Like everything under ouzel/sys/, this interface may still change between minor versions (the
 * version field then changes, and a library that does not know a table's version refuses it
 * with OUZEL_EVERSION). ouzel.h does not include this header: include "ouzel/sys/transport.h".
 *
 * The engine's side of one connection is an `ouzel_transport_conn` handle, passed to `open`. The
 * stream is driven without blocking, in one of two ways chosen by the `fd` slot:
 *  - fd mode: `fd` returns a descriptor the engine polls (or hands to an external event loop
 *    through ouzel_client_socket). The engine calls `read` when it is readable and `write` when
 *    it has bytes (and again when it is writable after a short write). Bytes the stream holds
 *    itself, which poll cannot see (decrypted TLS records, SSLSocket.pending()), must be
 *    announced with ouzel_transport_notify(conn, OUZEL_TRANSPORT_READABLE).
 *  - notify mode: `fd` is NULL or returns -1. The application calls ouzel_transport_notify when
 *    the stream becomes readable or writable (or connected), from any thread; the engine then
 *    retries what was waiting. It reads until `read` returns OUZEL_EWOULDBLOCK.
 *
 * Calls and threads: every slot of one connection is called from one thread at a time, the
 * thread driving the client (the loop thread, the caller of ouzel_client_connect_blocking, or
 * the thread freeing the client for `close`), never two at once. Connections of different
 * clients made from the same options share `user` and may be opened concurrently on different
 * threads. Slots must not block for long (they hold up the client's loop) and must not call
 * this client's functions.
 *
 * Lifetimes: `close` is called exactly once for each `open` that returned OUZEL_OK, and after it
 * no slot is called for that stream. `destroy` (may be NULL) is called exactly once with `user`
 * after every stream is closed and the vtable is no longer referenced: when it was replaced on
 * the options (or the options freed) and every client created from the options was freed.
 *
 * Errors: a slot returns OUZEL_OK, OUZEL_EWOULDBLOCK where allowed, or an error code, and may
 * first describe the error with ouzel_transport_set_error. The connection then ends with that
 * error: on_connect_fail / on_disconnect receive the code, and ouzel_last_error_message() inside
 * those callbacks (or after ouzel_client_connect_blocking) gives "custom transport <slot>
 * (<uri>): <message>" (the code's ouzel_strerror text when no message was set). The codes passed
 * through as they are: OUZEL_EIO (network failure or reset), OUZEL_ETLS, OUZEL_EREFUSED,
 * OUZEL_ETIMEDOUT, OUZEL_EPROTOCOL, OUZEL_ENOTFOUND (name does not resolve), OUZEL_ENOTSUP,
 * OUZEL_EINVAL; any other becomes OUZEL_EIO, its value named in the message.
 */
#ifndef OUZEL_SYS_TRANSPORT_H
#define OUZEL_SYS_TRANSPORT_H

#include "ouzel/common.h"
#include "ouzel/errors.h"
#include "ouzel/options.h"

OUZEL_BEGIN_DECLS

/* The engine's side of one connection: for ouzel_transport_notify and ouzel_transport_set_error.
 * Valid from the start of `open` until `close` returns (never after an `open` that failed). */
typedef struct ouzel_transport_conn ouzel_transport_conn;

/* What `connect` waits for in fd mode (*want). */
#define OUZEL_TRANSPORT_WANT_READ 1
#define OUZEL_TRANSPORT_WANT_WRITE 2

/* ouzel_transport_notify events (a bit set). */
#define OUZEL_TRANSPORT_READABLE 1
#define OUZEL_TRANSPORT_WRITABLE 2

#define OUZEL_TRANSPORT_VTABLE_VERSION 1

typedef struct ouzel_transport_vtable {
  uint32_t version; /* OUZEL_TRANSPORT_VTABLE_VERSION */

  /* Starts one connection attempt to the server at `uri` (as configured, without a password:
   * "mqtts://broker.example:8883"), whose host ("" for unix:// URIs; IPv6 without brackets) and
   * port (0 for unix://) are given parsed. Creates the stream, stores what the other slots need
   * in *stream (any value, NULL included; it is passed back to them), keeps `conn` if it will
   * notify or set errors, and begins connecting without blocking. OUZEL_OK (OUZEL_EWOULDBLOCK
   * counts as OK: `connect` does the waiting) or an error; after an error nothing else is called
   * for this attempt (open cleans up itself). Required. */
  int (*open)(void* user, ouzel_transport_conn* conn, const char* uri, const char* host,
              int32_t port, void** stream);

  /* Continues connecting; called right after open, then whenever what it waits for may have
   * happened (fd mode: the fd is ready for *want; notify mode: after ouzel_transport_notify, and
   * on every loop iteration). OUZEL_OK once the stream carries MQTT bytes (TLS handshake done).
   * OUZEL_EWOULDBLOCK when not yet: in fd mode set *want to OUZEL_TRANSPORT_WANT_READ and/or
   * _WRITE (it starts as 0, and 0 is an error in fd mode). Or an error. The client's connect
   * timeout (OUZEL_OPT_CONNECT_TIMEOUT_MS) bounds the whole attempt: past it the attempt fails
   * with OUZEL_ETIMEDOUT and `close` is called. Required. */
  int (*connect)(void* stream, int32_t* want);

  /* Reads up to `len` (> 0) bytes into `buf` and sets *n: OUZEL_OK with *n > 0; OUZEL_OK with
   * *n == 0 when the peer closed the stream (end of file, as recv); OUZEL_EWOULDBLOCK when
   * nothing is available now; or an error. Required. */
  int (*read)(void* stream, void* buf, size_t len, size_t* n);

  /* Writes a prefix of `buf` (`len` > 0 bytes) and sets *n to its length (1..len):
   * OUZEL_OK, or OUZEL_EWOULDBLOCK (or OUZEL_OK with *n == 0) when it cannot take any byte now
   * (the engine retries when the fd is writable, or after ouzel_transport_notify(WRITABLE) in
   * notify mode), or an error. Bytes accepted are the stream's to deliver. The next call after a
   * short write passes the remaining bytes again, possibly followed by more. Required. */
  int (*write)(void* stream, const void* buf, size_t len, size_t* n);

  /* The descriptor to poll, or -1 for notify mode. Asked after open and after each `connect`
   * call; it may change while connecting, not once connected. The engine never closes it. NULL:
   * always notify mode. */
  int32_t (*fd)(void* stream);

  /* Closes the stream and frees what open allocated. Exactly once per successful open, from the
   * thread driving or freeing the client; no slot is called for `stream` afterwards and `conn`
   * becomes invalid when it returns, so stop any thread that might still call
   * ouzel_transport_notify first. Required. */
  void (*close)(void* stream);

  /* Releases `user`: exactly once, after the last close, when the vtable is no longer
   * referenced (see Lifetimes above). May run on any thread. May be NULL. */
  void (*destroy)(void* user);
} ouzel_transport_vtable;

/* Makes clients created from `opts` connect through `vtable` (copied; it need not outlive the
 * call) with `user`, instead of Ouzel's transports. Every server URI is handed to `open` as it
 * is, whatever its scheme; the OUZEL_OPT_TLS_*, _WS_*, _PROXY_* and TCP options do not apply.
 * vtable NULL goes back to Ouzel's own transports. The vtable previously set (if any) is
 * released as described under Lifetimes. On success `user` belongs to the library until
 * `destroy`. Errors, after which nothing is kept and `destroy` is not called: OUZEL_EVERSION for
 * a version this library does not know (0, or newer than OUZEL_TRANSPORT_VTABLE_VERSION of its
 * header); OUZEL_EINVAL for NULL opts or a required slot that is NULL (the message names it).
 * Thread-compatible. */
OUZEL_EXTERN int ouzel_options_set_transport(ouzel_options* opts,
                                             const ouzel_transport_vtable* vtable, void* user);

/* Tells the engine that the stream of `conn` became readable (OUZEL_TRANSPORT_READABLE: `read`
 * will return data, or end of file, or an error) and/or writable or connected
 * (OUZEL_TRANSPORT_WRITABLE: `write` or `connect` can make progress), and wakes the loop.
 * Notifications coalesce; one too many costs a spurious wake-up, one too few stalls the stream.
 * OUZEL_EINVAL for NULL conn or events outside OUZEL_TRANSPORT_READABLE | _WRITABLE.
 * Thread-safe: any thread, between the start of `open` and the return of `close`. */
OUZEL_EXTERN int ouzel_transport_notify(ouzel_transport_conn* conn, int32_t events);

/* Describes the error the slot being run is about to return (copied; `len` SIZE_MAX for
 * NUL-terminated). Call it from inside a slot of `conn`'s stream, on that thread; the message
 * goes with the slot's next error return and is then cleared. OUZEL_EINVAL for NULL conn. */
OUZEL_EXTERN int ouzel_transport_set_error(ouzel_transport_conn* conn, const char* message,
                                           size_t len);

OUZEL_END_DECLS

#endif /* OUZEL_SYS_TRANSPORT_H */
