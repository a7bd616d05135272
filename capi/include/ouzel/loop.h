/* Ouzel C API: running the client.
 *
 * One driver, three ways to run it:
 *  1. A library-owned thread: ouzel_client_loop_start / ouzel_client_loop_stop.
 *  2. The caller's thread: ouzel_client_loop (one iteration) or ouzel_client_loop_forever.
 *  3. An external event loop (epoll, libuv, asyncio, Go): watch ouzel_client_socket for reading
 *     while ouzel_client_want_read is 1 and for writing while ouzel_client_want_write is 1, and
 *     ouzel_client_wake_fd for reading; call ouzel_client_loop_read / ouzel_client_loop_write
 *     when ready and ouzel_client_loop_misc when the wake descriptor is readable and at least
 *     every ouzel_client_next_timeout_ms.
 * Use one of them at a time per client. Callbacks run inside these calls (or on the library's
 * thread for mode 1).
 */
#ifndef OUZEL_LOOP_H
#define OUZEL_LOOP_H

#include "ouzel/client.h"
#include "ouzel/common.h"

OUZEL_BEGIN_DECLS

/* Starts the library's loop thread. OUZEL_EBUSY when already running. Thread-safe. */
OUZEL_EXTERN int ouzel_client_loop_start(ouzel_client* client);
/* Stops and joins the loop thread (the connection stays as it is). Inside one of this client's
 * callbacks (on that thread) it cannot join: it asks the thread to end once the callback returns
 * and returns OUZEL_OK, as paho's loop_stop does. OUZEL_ENOTFOUND when no loop thread (or
 * ouzel_client_loop_forever) is running; an ouzel_client_loop waiting on another thread is woken
 * all the same (it returns early). Thread-safe. */
OUZEL_EXTERN int ouzel_client_loop_stop(ouzel_client* client);

/* Runs one iteration: waits up to `timeout_ms` for the network, handles what came, runs timers.
 * With OUZEL_OPT_EVENT_QUEUE it returns without waiting when the iteration queued events before
 * its wait, so a thread that alternates ouzel_client_loop and ouzel_client_poll_events gets them
 * at once.
 * OUZEL_OK, or the connection's error (OUZEL_ENOTCONN, OUZEL_EIO, ...) when it is down.
 * Loop thread only. */
OUZEL_EXTERN int ouzel_client_loop(ouzel_client* client, int32_t timeout_ms);
/* Loops, reconnecting per the options, until ouzel_client_disconnect (returns OUZEL_OK) or an error
 * with reconnection off. `retry_first_connection` 1: keep retrying a first connection that fails.
 * Also returns OUZEL_OK after ouzel_client_loop_stop, and while OUZEL_OPT_LOOP_INTERRUPT_FD is
 * readable. Loop thread only. */
OUZEL_EXTERN int ouzel_client_loop_forever(ouzel_client* client, int32_t retry_first_connection);

/* External loop: the socket to watch, or -1 when there is none. Thread-safe. */
OUZEL_EXTERN int32_t ouzel_client_socket(const ouzel_client* client);
/* External loop: a descriptor that becomes readable when another thread needs the loop (an API
 * call queued output, a name lookup finished); call ouzel_client_loop_misc then. Thread-safe. */
OUZEL_EXTERN int32_t ouzel_client_wake_fd(const ouzel_client* client);
/* 1 when output is waiting (watch the socket for writing), else 0. Thread-safe. */
OUZEL_EXTERN int32_t ouzel_client_want_write(const ouzel_client* client);
/* 1 while the client reads from its socket (watch it for reading), else 0: no socket, or a client
 * with OUZEL_OPT_EVENT_QUEUE whose unreleased messages reached the queue's bounds (ouzel/events.h).
 * Reading resumes when releases make room; the wake descriptor then becomes readable, so an
 * external loop that calls ouzel_client_loop_misc for it and asks again after every loop call
 * never spins on a socket the client will not read. Thread-safe. */
OUZEL_EXTERN int32_t ouzel_client_want_read(const ouzel_client* client);
/* Reads what is available and handles it. OUZEL_EWOULDBLOCK when nothing was there. */
OUZEL_EXTERN int ouzel_client_loop_read(ouzel_client* client);
/* Writes what is waiting, as much as the socket takes. */
OUZEL_EXTERN int ouzel_client_loop_write(ouzel_client* client);
/* Timers: keepalive, timeouts, reconnection back-off, message expiry. */
OUZEL_EXTERN int ouzel_client_loop_misc(ouzel_client* client);
/* Milliseconds until ouzel_client_loop_misc must run again (-1: no timer pending). Thread-safe. */
OUZEL_EXTERN int32_t ouzel_client_next_timeout_ms(const ouzel_client* client);

OUZEL_END_DECLS

#endif /* OUZEL_LOOP_H */
