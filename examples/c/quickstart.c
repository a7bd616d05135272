/* quickstart: connect, subscribe, publish at QoS 0, 1 and 2, print what arrives, disconnect.
 *
 *   quickstart mqtt://127.0.0.1:1883            # MQTT 5
 *   quickstart mqtt://127.0.0.1:1883 --mqtt311  # MQTT 3.1.1
 *
 * The client runs on this thread: ouzel_client_loop() waits for the network and runs the
 * callbacks inside the call, so the callbacks and main() share `struct state` without locks.
 * (ouzel_client_loop_start() runs the same loop on a library thread instead.)
 *
 * Exit status 0 when all three messages came back, 1 with a message on stderr otherwise. Every
 * wait is bounded, so a broker that never answers ends the program within seconds.
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
  int connected;    /* CONNACK accepted */
  int failed;       /* the connection could not be made, or dropped */
  int subscribed;   /* SUBACK arrived */
  int received;     /* messages that arrived */
  int acknowledged; /* publishes finished (QoS 0: written; QoS 1/2: acknowledged) */
  int disconnected; /* on_disconnect ran */
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prints the failure of an Ouzel call and returns 0, or returns 1 when rc is OUZEL_OK. */
static int ok(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "quickstart: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

/* Runs the client's loop until *counter reaches target, the connection fails, or the time is up.
 */
static int wait_for(ouzel_client* client, const struct state* st, const int* counter, int target,
                    const char* what) {
  double deadline = now_seconds() + WAIT_SECONDS;
  while (*counter < target) {
    if (st->failed) {
      fprintf(stderr, "quickstart: the connection failed while waiting for %s\n", what);
      return 0;
    }
    if (now_seconds() > deadline) {
      fprintf(stderr, "quickstart: timed out after %.0f s waiting for %s\n", WAIT_SECONDS, what);
      return 0;
    }
    ouzel_client_loop(client, 100);
  }
  return 1;
}

static void on_connect(ouzel_client* client, int32_t reason_code, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client;
  (void)props;
  printf("connected (reason code %d, session present %d)\n", (int)reason_code,
         (int)session_present);
  st->connected = 1;
}

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client;
  if (reason_code >= 0) {
    fprintf(stderr, "quickstart: connection refused: %s, CONNACK reason code 0x%02x\n",
            ouzel_strerror(error), (unsigned)reason_code);
  } else {
    fprintf(stderr, "quickstart: could not connect: %s\n", ouzel_strerror(error));
  }
  st->failed = 1;
}

static void on_disconnect(ouzel_client* client, int32_t error, int32_t reason_code,
                          int32_t by_server, const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client;
  (void)props;
  st->disconnected = 1;
  if (error != OUZEL_OK) {
    fprintf(stderr, "quickstart: connection lost: %s (reason code 0x%02x, by %s)\n",
            ouzel_strerror(error), (unsigned)reason_code, by_server ? "server" : "client");
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
  /* One reason code per filter: the granted QoS (0..2), or 0x80 and above for a refusal. */
  if (count != 1 || reason_codes[0] >= 0x80) {
    fprintf(stderr, "quickstart: subscription refused (reason code 0x%02x)\n",
            count > 0 ? (unsigned)reason_codes[0] : 0u);
    st->failed = 1;
    return;
  }
  printf("subscribed (granted QoS %u)\n", (unsigned)reason_codes[0]);
  st->subscribed = 1;
}

static void on_message(ouzel_client* client, const ouzel_message* msg, void* user_data) {
  struct state* st = (struct state*)user_data;
  size_t topic_len = 0;
  size_t payload_len = 0;
  const char* topic = ouzel_message_topic(msg, &topic_len);
  const char* payload = (const char*)ouzel_message_payload(msg, &payload_len);
  (void)client;
  /* Topics and payloads are (pointer, length), not NUL-terminated. */
  printf("received on %.*s (QoS %d): %.*s\n", (int)topic_len, topic, (int)ouzel_message_qos(msg),
         (int)payload_len, payload);
  st->received++;
}

static void on_publish(ouzel_client* client, uint64_t token, const ouzel_delivery_status* status,
                       const ouzel_properties* props, void* user_data) {
  struct state* st = (struct state*)user_data;
  (void)client;
  (void)token;
  (void)props;
  if (status->state != OUZEL_DELIVERY_ACKNOWLEDGED) {
    fprintf(stderr, "quickstart: a publish ended in state %d (drop reason %d)\n",
            (int)status->state, (int)status->drop_reason);
    st->failed = 1;
    return;
  }
  st->acknowledged++;
}

static int run(const char* uri, int32_t protocol) {
  struct state st;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  ouzel_subscription sub;
  char client_id[64];
  char topic[64];
  int32_t qos;
  int result = 0;

  memset(&st, 0, sizeof st);
  /* A topic and client id of our own, so two runs against one broker do not see each other. */
  snprintf(client_id, sizeof client_id, "ouzel-quickstart-%ld-%ld", (long)getpid(),
           (long)time(NULL));
  snprintf(topic, sizeof topic, "ouzel/quickstart/%ld-%ld", (long)getpid(), (long)time(NULL));

  if (!ok(ouzel_options_new(&opts), "ouzel_options_new") ||
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX), "server URI") ||
      !ok(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, protocol), "protocol") ||
      !ok(ouzel_options_set_string(opts, OUZEL_OPT_CLIENT_ID, client_id, SIZE_MAX), "client id") ||
      /* Report a failed connection instead of retrying it in the background. */
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
  ouzel_client_set_on_publish(client, on_publish, &st, NULL);

  printf("connecting to %s with MQTT %s\n", uri, protocol == OUZEL_MQTT_V5 ? "5.0" : "3.1.1");
  if (!ok(ouzel_client_connect(client), "ouzel_client_connect") ||
      !wait_for(client, &st, &st.connected, 1, "the CONNACK")) {
    goto done;
  }

  /* Subscribe at QoS 2 so each message arrives at the QoS it was published with. */
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = topic;
  sub.filter_len = SIZE_MAX;
  sub.qos = 2;
  if (!ok(ouzel_client_subscribe(client, &sub, 1, NULL, NULL), "ouzel_client_subscribe") ||
      !wait_for(client, &st, &st.subscribed, 1, "the SUBACK")) {
    goto done;
  }

  for (qos = 0; qos <= 2; ++qos) {
    char payload[32];
    int len = snprintf(payload, sizeof payload, "hello at QoS %d", (int)qos);
    if (!ok(ouzel_client_publish(client, topic, SIZE_MAX, payload, (size_t)len, qos, 0, NULL, NULL,
                                 NULL),
            "ouzel_client_publish")) {
      goto done;
    }
  }
  if (!wait_for(client, &st, &st.received, 3, "the three messages") ||
      !wait_for(client, &st, &st.acknowledged, 3, "the acknowledgements")) {
    goto done;
  }

  if (!ok(ouzel_client_disconnect(client, 0, NULL), "ouzel_client_disconnect") ||
      !wait_for(client, &st, &st.disconnected, 1, "the disconnection")) {
    goto done;
  }
  result = 1;

done:
  ouzel_client_free(client);
  ouzel_options_free(opts);
  return result;
}

int main(int argc, char** argv) {
  int32_t protocol = OUZEL_MQTT_V5;
  if (argc == 3 && strcmp(argv[2], "--mqtt311") == 0) {
    protocol = OUZEL_MQTT_V311;
  } else if (argc != 2) {
    fprintf(stderr, "usage: %s mqtt://HOST:PORT [--mqtt311]\n", argv[0]);
    return 2;
  }
  if (!run(argv[1], protocol)) return 1;
  printf("quickstart: OK\n");
  return 0;
}
