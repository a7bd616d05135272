/* proxy_client: reaching a broker through an HTTP CONNECT or SOCKS5 proxy.
 *
 *   proxy_client mqtt://broker.example:1883 http://127.0.0.1:3128
 *   proxy_client mqtt://broker.example:1883 socks5h://user:password@127.0.0.1:1080
 *   proxy_client mqtts://broker.example:8883 socks5h://127.0.0.1:1080 ca.pem   # TLS inside
 *
 * The proxy is one option, OUZEL_OPT_PROXY_URI: http:// (CONNECT, Basic authentication when a
 * user is given), socks5:// (the broker's name resolved here) or socks5h:// (resolved by the
 * proxy). Everything else is as without a proxy; TLS and WebSockets run inside the tunnel. A
 * proxy that refuses (wrong password, a port it will not tunnel to) fails the connection with
 * OUZEL_EREFUSED and the proxy's answer; one that cannot be reached with OUZEL_EIO.
 * (OUZEL_OPT_PROXY_FROM_ENVIRONMENT would take the proxy from $mqtt_proxy instead.)
 *
 * It connects, subscribes, publishes one QoS 1 message, waits for it to come back, and
 * disconnects, running the loop on this thread. Exit status 0 on success, 1 with a message.
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
  fprintf(stderr, "proxy_client: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

static int wait_for(ouzel_client* client, const struct state* st, const int* counter,
                    const char* what) {
  double deadline = now_seconds() + WAIT_SECONDS;
  while (*counter == 0) {
    if (st->failed) return 0;
    if (now_seconds() > deadline) {
      fprintf(stderr, "proxy_client: timed out waiting for %s\n", what);
      return 0;
    }
    ouzel_client_loop(client, 100);
  }
  return 1;
}

static void on_connect(ouzel_client* client, int32_t reason_code, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  (void)client, (void)reason_code, (void)session_present, (void)props;
  printf("connected through the proxy\n");
  ((struct state*)user_data)->connected = 1;
}

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  (void)client, (void)reason_code;
  /* The proxy's answer or the network's, e.g. "network error: cannot reach proxy
   * http://127.0.0.1:3128: ... Connection refused", or OUZEL_EREFUSED when the proxy rejected
   * the user name and password (its status line is in the message, the password is not). */
  fprintf(stderr, "proxy_client: could not connect: %s: %s\n", ouzel_strerror(error),
          ouzel_last_error_message());
  ((struct state*)user_data)->failed = 1;
}

static void on_disconnect(ouzel_client* client, int32_t error, int32_t reason_code,
                          int32_t by_server, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client, (void)reason_code, (void)by_server, (void)props;
  st->disconnected = 1;
  if (error != OUZEL_OK) {
    fprintf(stderr, "proxy_client: connection lost: %s: %s\n", ouzel_strerror(error),
            ouzel_last_error_message());
    st->failed = 1;
  }
}

static void on_subscribe(ouzel_client* client, int32_t mid, const uint8_t* reason_codes,
                         size_t count, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client, (void)mid, (void)props;
  if (count != 1 || reason_codes[0] >= 0x80) {
    fprintf(stderr, "proxy_client: subscription refused\n");
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

int main(int argc, char** argv) {
  struct state st;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  ouzel_subscription sub;
  char topic[64];
  int result = 1;

  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: %s BROKER_URI PROXY_URI [CA_FILE]\n", argv[0]);
    return 2;
  }
  memset(&st, 0, sizeof st);
  snprintf(topic, sizeof topic, "ouzel/proxy-example/%ld-%ld", (long)getpid(), (long)time(NULL));

  if (!ok(ouzel_options_new(&opts), "ouzel_options_new") ||
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, argv[1], SIZE_MAX), "server URI") ||
      /* Parsed here: an unknown scheme or a malformed URI fails at once with OUZEL_EINVAL. */
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_PROXY_URI, argv[2], SIZE_MAX), "proxy URI") ||
      (argc == 4 &&
       !ok(ouzel_options_set_string(opts, OUZEL_OPT_TLS_CA_FILE, argv[3], SIZE_MAX), "CA file")) ||
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
      !wait_for(client, &st, &st.connected, "the CONNACK") ||
      !ok(ouzel_client_subscribe(client, &sub, 1, NULL, NULL), "ouzel_client_subscribe") ||
      !wait_for(client, &st, &st.subscribed, "the SUBACK") ||
      !ok(ouzel_client_publish(client, topic, SIZE_MAX, "hello through a proxy", 21, 1, 0, NULL,
                               NULL, NULL),
          "ouzel_client_publish") ||
      !wait_for(client, &st, &st.received, "the message") ||
      !ok(ouzel_client_disconnect(client, 0, NULL), "ouzel_client_disconnect") ||
      !wait_for(client, &st, &st.disconnected, "the disconnection")) {
    goto done;
  }
  printf("proxy_client: OK\n");
  result = 0;

done:
  ouzel_client_free(client);
  ouzel_options_free(opts);
  return result;
}
