/* websocket_client: MQTT over WebSockets, plain (ws://) and over TLS (wss://).
 *
 *   websocket_client ws://127.0.0.1:8080/mqtt
 *   websocket_client ws://127.0.0.1:8080/mqtt wss://localhost:8081/mqtt ca.pem
 *
 * The scheme chooses WebSockets; the path (default /mqtt) is the upgrade request's target. The
 * OUZEL_OPT_WS_* options tune the upgrade: an extra header (here an Authorization token, which
 * the broker is free to ignore), the subprotocol (default "mqtt"), the largest frame sent. For
 * wss:// the TLS options apply as for mqtts:// (here the CA file that signed the broker's
 * certificate). A refused upgrade ends the attempt with OUZEL_EPROTOCOL and the server's status
 * line.
 *
 * For each URI it connects, subscribes, publishes one QoS 1 message, waits for it to come back,
 * and disconnects, running the loop on this thread. Exit status 0 on success, 1 with a message.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

#define WAIT_SECONDS 10.0

struct state {
  int connected, failed, subscribed, received, disconnected;
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ok(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "websocket_client: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

static int wait_for(ouzel_client* client, const struct state* st, const int* counter,
                    const char* what) {
  double deadline = now_seconds() + WAIT_SECONDS;
  while (*counter == 0) {
    if (st->failed) return 0;
    if (now_seconds() > deadline) {
      fprintf(stderr, "websocket_client: timed out waiting for %s\n", what);
      return 0;
    }
    ouzel_client_loop(client, 100);
  }
  return 1;
}

static void on_connect(ouzel_client* client, int32_t reason_code, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  (void)client, (void)reason_code, (void)session_present, (void)props;
  ((struct state*)user_data)->connected = 1;
}

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  (void)client, (void)reason_code;
  /* e.g. "protocol error: ws://127.0.0.1:8080/mqtt: WebSocket upgrade refused: 'HTTP/1.1 403
   * Forbidden'" */
  fprintf(stderr, "websocket_client: could not connect: %s: %s\n", ouzel_strerror(error),
          ouzel_last_error_message());
  ((struct state*)user_data)->failed = 1;
}

static void on_disconnect(ouzel_client* client, int32_t error, int32_t reason_code,
                          int32_t by_server, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client, (void)reason_code, (void)by_server, (void)props;
  st->disconnected = 1;
  if (error != OUZEL_OK) {
    fprintf(stderr, "websocket_client: connection lost: %s: %s\n", ouzel_strerror(error),
            ouzel_last_error_message());
    st->failed = 1;
  }
}

static void on_subscribe(ouzel_client* client, int32_t mid, const uint8_t* reason_codes,
                         size_t count, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client, (void)mid, (void)props;
  if (count != 1 || reason_codes[0] >= 0x80) {
    fprintf(stderr, "websocket_client: subscription refused\n");
    st->failed = 1;
    return;
  }
  st->subscribed = 1;
}

static void on_message(ouzel_client* client, const ouzel_message* msg, void* user_data) {
  size_t payload_len = 0;
  const char* payload = (const char*)ouzel_message_payload(msg, &payload_len);
  (void)client;
  printf("received: %.*s\n", (int)payload_len, payload);
  ((struct state*)user_data)->received = 1;
}

/* One connection to `uri`, one message there and back. */
static int round_trip(const char* uri, const char* ca_file) {
  struct state st;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  ouzel_subscription sub;
  char topic[64];
  int result = 0;

  memset(&st, 0, sizeof st);
  snprintf(topic, sizeof topic, "ouzel/ws-example/%ld-%ld", (long)getpid(), (long)time(NULL));
  if (!ok(ouzel_options_new(&opts), "ouzel_options_new") ||
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX), "server URI") ||
      /* "Name: value", checked here: no CR/LF, not one of the handshake's own headers. */
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_WS_ADD_HEADER,
                                   "Authorization: Bearer example-token", SIZE_MAX),
          "extra header") ||
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_WS_SUBPROTOCOL, "mqtt", SIZE_MAX),
          "subprotocol") ||
      /* Longer MQTT packets span several frames. */
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_WS_MAX_FRAME_BYTES, 16 * 1024), "frame size") ||
      (ca_file != NULL &&
       !ok(ouzel_options_set_string(opts, OUZEL_OPT_TLS_CA_FILE, ca_file, SIZE_MAX), "CA file")) ||
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect option") ||
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_CONNECT_TIMEOUT_MS, 5000), "connect timeout") ||
      !ok(ouzel_client_new(&client, opts), "ouzel_client_new")) {
    goto done;
  }
  ouzel_client_set_on_connect(client, on_connect, &st, NULL);
  ouzel_client_set_on_connect_fail(client, on_connect_fail, &st, NULL);
  ouzel_client_set_on_disconnect(client, on_disconnect, &st, NULL);
  ouzel_client_set_on_subscribe(client, on_subscribe, &st, NULL);
  ouzel_client_set_on_message(client, on_message, &st, NULL);

  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = topic;
  sub.qos = 1;
  if (!ok(ouzel_client_connect(client), "ouzel_client_connect") ||
      !wait_for(client, &st, &st.connected, "the CONNACK")) {
    goto done;
  }
  printf("connected to %s\n", uri);
  if (!ok(ouzel_client_subscribe(client, &sub, 1, NULL, NULL), "ouzel_client_subscribe") ||
      !wait_for(client, &st, &st.subscribed, "the SUBACK") ||
      !ok(ouzel_client_publish(client, topic, SIZE_MAX, "hello over WebSockets", 21, 1, 0, NULL,
                               NULL, NULL),
          "ouzel_client_publish") ||
      !wait_for(client, &st, &st.received, "the message") ||
      !ok(ouzel_client_disconnect(client, 0, NULL), "ouzel_client_disconnect") ||
      !wait_for(client, &st, &st.disconnected, "the disconnection")) {
    goto done;
  }
  result = 1;

done:
  ouzel_client_free(client);
  ouzel_options_free(opts);
  return result;
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    fprintf(stderr, "usage: %s ws://HOST:PORT[/PATH] [wss://HOST:PORT[/PATH] CA_FILE]\n", argv[0]);
    return 2;
  }
  if (!round_trip(argv[1], NULL)) return 1;
  if (argc == 4 && !round_trip(argv[2], argv[3])) return 1;
  printf("websocket_client: OK\n");
  return 0;
}
