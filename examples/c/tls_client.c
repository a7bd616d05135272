/* tls_client: MQTT over TLS with the server's certificate verified against a CA file, and
 * optionally a client certificate for brokers that require one.
 *
 *   tls_client mqtts://localhost:8883 ca.pem                    # verify the server only
 *   tls_client mqtts://localhost:8883 ca.pem client.pem key.pem # and present a certificate
 *
 * Verification is on by default (the chain against the CA file, and the host name against the
 * certificate); this program says so explicitly and adds a verification callback that only
 * reports what it saw and keeps Ouzel's verdict. A refused handshake ends the program with
 * OUZEL_ETLS and the reason ("... which is not among the trusted CAs", "host name mismatch ...").
 *
 * It connects, subscribes, publishes one QoS 1 message, waits for it to come back, and
 * disconnects. The loop runs on this thread (ouzel_client_loop), so callbacks share `struct
 * state` with main() without locks. Exit status 0 on success, 1 with a message otherwise.
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
  int verify_calls; /* how many handshakes the callback saw */
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ok(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "tls_client: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

static int wait_for(ouzel_client* client, const struct state* st, const int* counter,
                    const char* what) {
  double deadline = now_seconds() + WAIT_SECONDS;
  while (*counter == 0) {
    if (st->failed) return 0; /* the callback said why */
    if (now_seconds() > deadline) {
      fprintf(stderr, "tls_client: timed out waiting for %s\n", what);
      return 0;
    }
    ouzel_client_loop(client, 100);
  }
  return 1;
}

/* Runs during the handshake, after Ouzel checked the chain and the host name. Returning
 * `preverified` keeps that verdict; an application pinning a certificate would compare chain[0]
 * (the server's certificate, DER) with the one it expects instead. */
static int32_t on_verify(int32_t preverified, const char* error, const char* host,
                         const uint8_t* const* chain, const size_t* chain_lens, size_t count,
                         void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)chain;
  st->verify_calls++;
  printf("server certificate for %s: %s%s (%u certificates, leaf %u bytes)\n", host,
         preverified ? "verified" : "NOT verified: ", preverified ? "" : error, (unsigned)count,
         count > 0 ? (unsigned)chain_lens[0] : 0u);
  return preverified;
}

static void on_connect(ouzel_client* client, int32_t reason_code, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  (void)client, (void)reason_code, (void)session_present, (void)props;
  printf("connected over TLS\n");
  ((struct state*)user_data)->connected = 1;
}

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  (void)client, (void)reason_code;
  /* Inside this callback ouzel_last_error_message() says why the attempt failed. */
  fprintf(stderr, "tls_client: could not connect: %s: %s\n", ouzel_strerror(error),
          ouzel_last_error_message());
  ((struct state*)user_data)->failed = 1;
}

static void on_disconnect(ouzel_client* client, int32_t error, int32_t reason_code,
                          int32_t by_server, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client, (void)reason_code, (void)by_server, (void)props;
  st->disconnected = 1;
  if (error != OUZEL_OK) {
    fprintf(stderr, "tls_client: connection lost: %s: %s\n", ouzel_strerror(error),
            ouzel_last_error_message());
    st->failed = 1;
  }
}

static void on_subscribe(ouzel_client* client, int32_t mid, const uint8_t* reason_codes,
                         size_t count, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client, (void)mid, (void)props;
  if (count != 1 || reason_codes[0] >= 0x80) {
    fprintf(stderr, "tls_client: subscription refused\n");
    st->failed = 1;
    return;
  }
  st->subscribed = 1;
}

static void on_message(ouzel_client* client, const ouzel_message* msg, void* user_data) {
  size_t topic_len = 0, payload_len = 0;
  const char* topic = ouzel_message_topic(msg, &topic_len);
  const char* payload = (const char*)ouzel_message_payload(msg, &payload_len);
  (void)client;
  printf("received on %.*s: %.*s\n", (int)topic_len, topic, (int)payload_len, payload);
  ((struct state*)user_data)->received = 1;
}

int main(int argc, char** argv) {
  struct state st;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  ouzel_subscription sub;
  char topic[64];
  int result = 1;

  if (argc != 3 && argc != 5) {
    fprintf(stderr, "usage: %s mqtts://HOST:PORT CA_FILE [CERT_FILE KEY_FILE]\n", argv[0]);
    return 2;
  }
  memset(&st, 0, sizeof st);
  snprintf(topic, sizeof topic, "ouzel/tls-example/%ld-%ld", (long)getpid(), (long)time(NULL));

  if (!ok(ouzel_options_new(&opts), "ouzel_options_new") ||
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, argv[1], SIZE_MAX), "server URI") ||
      /* The CA that signed the broker's certificate. The file is checked here: a missing or
       * unreadable one fails at once with OUZEL_EINVAL naming it. */
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_TLS_CA_FILE, argv[2], SIZE_MAX), "CA file") ||
      /* Both are the defaults; turning either off is insecure. */
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_TLS_VERIFY_PEER, 1), "verify peer") ||
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_TLS_VERIFY_HOSTNAME, 1), "verify host name") ||
      !ok(ouzel_options_set_tls_verify_callback(opts, on_verify, &st, NULL), "verify callback") ||
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect option") ||
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_CONNECT_TIMEOUT_MS, 5000), "connect timeout")) {
    goto done;
  }
  if (argc == 5 && (!ok(ouzel_options_set_string(opts, OUZEL_OPT_TLS_CERT_FILE, argv[3], SIZE_MAX),
                        "certificate file") ||
                    !ok(ouzel_options_set_string(opts, OUZEL_OPT_TLS_KEY_FILE, argv[4], SIZE_MAX),
                        "key file"))) {
    goto done;
  }
  if (!ok(ouzel_client_new(&client, opts), "ouzel_client_new")) goto done;
  ouzel_client_set_on_connect(client, on_connect, &st, NULL);
  ouzel_client_set_on_connect_fail(client, on_connect_fail, &st, NULL);
  ouzel_client_set_on_disconnect(client, on_disconnect, &st, NULL);
  ouzel_client_set_on_subscribe(client, on_subscribe, &st, NULL);
  ouzel_client_set_on_message(client, on_message, &st, NULL);

  if (!ok(ouzel_client_connect(client), "ouzel_client_connect") ||
      !wait_for(client, &st, &st.connected, "the CONNACK")) {
    goto done;
  }
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = topic;
  sub.qos = 1;
  if (!ok(ouzel_client_subscribe(client, &sub, 1, NULL, NULL), "ouzel_client_subscribe") ||
      !wait_for(client, &st, &st.subscribed, "the SUBACK") ||
      !ok(ouzel_client_publish(client, topic, SIZE_MAX, "hello over TLS", 14, 1, 0, NULL, NULL,
                               NULL),
          "ouzel_client_publish") ||
      !wait_for(client, &st, &st.received, "the message") ||
      !ok(ouzel_client_disconnect(client, 0, NULL), "ouzel_client_disconnect") ||
      !wait_for(client, &st, &st.disconnected, "the disconnection")) {
    goto done;
  }
  if (st.verify_calls != 1) {
    fprintf(stderr, "tls_client: the verification callback ran %d times\n", st.verify_calls);
    goto done;
  }
  printf("tls_client: OK\n");
  result = 0;

done:
  ouzel_client_free(client);
  ouzel_options_free(opts);
  return result;
}
