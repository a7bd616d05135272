/* external_loop: drive a client from your own poll() loop, as an epoll, libuv, asyncio or Go
 * program would, instead of ouzel_client_loop() or the library's thread.
 *
 *   external_loop mqtt://127.0.0.1:1883
 *
 * The application owns the loop. It watches three things:
 *   - the client's socket for reading (ouzel_client_loop_read when readable) and, while the client
 *     has output waiting, for writing (ouzel_client_loop_write when writable). The on_socket_*
 *     hooks say when the socket opens and closes and when write interest starts and stops, which
 *     is what an epoll or libuv program needs to (un)register the descriptor;
 *   - ouzel_client_wake_fd(), readable when the client needs its loop (a publish from another
 *     thread, a name lookup that finished): then ouzel_client_loop_misc;
 *   - time: ouzel_client_loop_misc again when ouzel_client_next_timeout_ms() has passed
 *     (keepalive, timeouts, reconnection back-off).
 * Callbacks run inside those calls, on this thread.
 *
 * The program connects, subscribes, publishes five QoS 1 messages to itself, waits until all five
 * arrived and were acknowledged, disconnects and exits 0 (1 on any failure, every wait bounded).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

#define MESSAGES 5
#define WAIT_SECONDS 10.0

struct state {
  int fd;         /* the client's socket, from the on_socket_open/close hooks; -1 when none */
  int want_write; /* from the on_socket_register_write/unregister_write hooks */
  int connected;
  int failed;
  int subscribed;
  int received;
  int acknowledged;
  int disconnected;
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ok(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "external_loop: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

/* --- The event loop ---------------------------------------------------------------------------
 * One poll() per iteration over the wake descriptor and the socket, with the client's next timer
 * as the timeout. Returns 0 on a poll error or when a loop call reports a broken connection. */
static int run_once(ouzel_client* client, struct state* st, int max_wait_ms) {
  struct pollfd fds[2];
  nfds_t n = 1;
  int timeout = ouzel_client_next_timeout_ms(client); /* -1: no timer pending */
  int ready;
  int rc;

  if (timeout < 0 || timeout > max_wait_ms) timeout = max_wait_ms;
  fds[0].fd = ouzel_client_wake_fd(client);
  fds[0].events = POLLIN;
  fds[0].revents = 0;
  if (st->fd >= 0) {
    fds[1].fd = st->fd;
    fds[1].events = (short)(POLLIN | (st->want_write ? POLLOUT : 0));
    fds[1].revents = 0;
    n = 2;
  }

  ready = poll(fds, n, timeout);
  if (ready < 0) {
    if (errno == EINTR) return 1;
    perror("external_loop: poll");
    return 0;
  }
  if (n == 2 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
    rc = ouzel_client_loop_read(client);
    if (rc != OUZEL_OK && rc != OUZEL_EWOULDBLOCK && !st->disconnected) return ok(rc, "loop_read");
  }
  /* The socket may have closed inside loop_read (st->fd is then -1). */
  if (n == 2 && st->fd >= 0 && (fds[1].revents & POLLOUT) != 0) {
    rc = ouzel_client_loop_write(client);
    if (rc != OUZEL_OK && rc != OUZEL_EWOULDBLOCK && !st->disconnected) return ok(rc, "loop_write");
  }
  /* A wake, or a timer that is due (keepalive, connection attempts, closing). */
  if ((fds[0].revents & POLLIN) != 0 || ouzel_client_next_timeout_ms(client) == 0) {
    rc = ouzel_client_loop_misc(client);
    if (rc != OUZEL_OK && rc != OUZEL_ENOTCONN && !st->disconnected) return ok(rc, "loop_misc");
  }
  return 1;
}

/* Runs the loop until *counter reaches target; 0 on failure or after WAIT_SECONDS. */
static int run_until(ouzel_client* client, struct state* st, const int* counter, int target,
                     const char* what) {
  double deadline = now_seconds() + WAIT_SECONDS;
  while (*counter < target) {
    if (st->failed) {
      fprintf(stderr, "external_loop: the connection failed while waiting for %s\n", what);
      return 0;
    }
    if (now_seconds() > deadline) {
      fprintf(stderr, "external_loop: timed out waiting for %s\n", what);
      return 0;
    }
    if (!run_once(client, st, 100)) return 0;
  }
  return 1;
}

/* --- Hooks: what an epoll or libuv program would (un)register ----------------------------------
 */
static void on_socket_open(ouzel_client* client, int32_t fd, void* user_data) {
  (void)client;
  printf("socket %d opened: watch it for reading\n", (int)fd);
  ((struct state*)user_data)->fd = fd;
}

static void on_socket_close(ouzel_client* client, int32_t fd, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client;
  printf("socket %d closing: stop watching it\n", (int)fd);
  st->fd = -1;
  st->want_write = 0;
}

static void on_register_write(ouzel_client* client, int32_t fd, void* user_data) {
  (void)client;
  (void)fd;
  ((struct state*)user_data)->want_write = 1;
}

static void on_unregister_write(ouzel_client* client, int32_t fd, void* user_data) {
  (void)client;
  (void)fd;
  ((struct state*)user_data)->want_write = 0;
}

/* --- MQTT callbacks ------------------------------------------------------------------------- */
static void on_connect(ouzel_client* client, int32_t reason_code, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  (void)client;
  (void)reason_code;
  (void)session_present;
  (void)props;
  printf("connected\n");
  ((struct state*)user_data)->connected = 1;
}

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  (void)client;
  fprintf(stderr, "external_loop: could not connect: %s (reason code %d)\n", ouzel_strerror(error),
          (int)reason_code);
  ((struct state*)user_data)->failed = 1;
}

static void on_disconnect(ouzel_client* client, int32_t error, int32_t reason_code,
                          int32_t by_server, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client;
  (void)reason_code;
  (void)by_server;
  (void)props;
  st->disconnected = 1;
  if (error != OUZEL_OK) {
    fprintf(stderr, "external_loop: connection lost: %s\n", ouzel_strerror(error));
    st->failed = 1;
  } else {
    printf("disconnected\n");
  }
}

static void on_subscribe(ouzel_client* client, int32_t mid, const uint8_t* reason_codes,
                         size_t count, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client;
  (void)mid;
  (void)props;
  if (count != 1 || reason_codes[0] >= 0x80) {
    fprintf(stderr, "external_loop: subscription refused\n");
    st->failed = 1;
    return;
  }
  st->subscribed = 1;
}

static void on_message(ouzel_client* client, const ouzel_message* msg, void* user_data) {
  size_t len = 0;
  const char* payload = (const char*)ouzel_message_payload(msg, &len);
  (void)client;
  printf("received: %.*s\n", (int)len, payload);
  ((struct state*)user_data)->received++;
}

static void on_publish(ouzel_client* client, uint64_t token, const ouzel_delivery_status* status,
                       const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client;
  (void)props;
  if (status->state != OUZEL_DELIVERY_ACKNOWLEDGED) {
    fprintf(stderr, "external_loop: message %llu ended in state %d\n", (unsigned long long)token,
            (int)status->state);
    st->failed = 1;
    return;
  }
  st->acknowledged++;
}

int main(int argc, char** argv) {
  struct state st;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  ouzel_subscription sub;
  char topic[64];
  int i;
  int result = 1;

  if (argc != 2) {
    fprintf(stderr, "usage: %s mqtt://HOST:PORT\n", argv[0]);
    return 2;
  }
  memset(&st, 0, sizeof st);
  st.fd = -1;
  snprintf(topic, sizeof topic, "ouzel/external_loop/%ld-%ld", (long)getpid(), (long)time(NULL));

  if (!ok(ouzel_options_new(&opts), "ouzel_options_new") ||
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, argv[1], SIZE_MAX), "server URI") ||
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, OUZEL_MQTT_V5), "protocol") ||
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect option") ||
      !ok(ouzel_client_new(&client, opts), "ouzel_client_new")) {
    goto done;
  }
  ouzel_client_set_on_socket_open(client, on_socket_open, &st, NULL);
  ouzel_client_set_on_socket_close(client, on_socket_close, &st, NULL);
  ouzel_client_set_on_socket_register_write(client, on_register_write, &st, NULL);
  ouzel_client_set_on_socket_unregister_write(client, on_unregister_write, &st, NULL);
  ouzel_client_set_on_connect(client, on_connect, &st, NULL);
  ouzel_client_set_on_connect_fail(client, on_connect_fail, &st, NULL);
  ouzel_client_set_on_disconnect(client, on_disconnect, &st, NULL);
  ouzel_client_set_on_subscribe(client, on_subscribe, &st, NULL);
  ouzel_client_set_on_message(client, on_message, &st, NULL);
  ouzel_client_set_on_publish(client, on_publish, &st, NULL);

  /* Asynchronous: the loop makes the connection (the socket appears through on_socket_open). */
  if (!ok(ouzel_client_connect(client), "ouzel_client_connect") ||
      !run_until(client, &st, &st.connected, 1, "the connection")) {
    goto done;
  }

  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = topic;
  sub.filter_len = SIZE_MAX;
  sub.qos = 1;
  if (!ok(ouzel_client_subscribe(client, &sub, 1, NULL, NULL), "ouzel_client_subscribe") ||
      !run_until(client, &st, &st.subscribed, 1, "the SUBACK")) {
    goto done;
  }

  for (i = 1; i <= MESSAGES; ++i) {
    char payload[32];
    int len = snprintf(payload, sizeof payload, "message %d of %d", i, MESSAGES);
    if (!ok(ouzel_client_publish(client, topic, SIZE_MAX, payload, (size_t)len, 1, 0, NULL, NULL,
                                 NULL),
            "ouzel_client_publish")) {
      goto done;
    }
  }
  if (!run_until(client, &st, &st.received, MESSAGES, "the messages") ||
      !run_until(client, &st, &st.acknowledged, MESSAGES, "the PUBACKs")) {
    goto done;
  }

  if (!ok(ouzel_client_disconnect(client, 0, NULL), "ouzel_client_disconnect") ||
      !run_until(client, &st, &st.disconnected, 1, "the disconnection")) {
    goto done;
  }
  printf("external_loop: OK\n");
  result = 0;

done:
  ouzel_client_free(client);
  ouzel_options_free(opts);
  return result;
}
