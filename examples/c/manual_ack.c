/* manual_ack: acknowledge QoS 1 messages when the work they carry is done, not when they arrive.
 *
 *   manual_ack mqtt://127.0.0.1:1883
 *
 * With OUZEL_OPT_MANUAL_ACK the client sends no PUBACK (QoS 1) or PUBREC (QoS 2) by itself: the
 * application calls ouzel_client_ack(client, mid) when it has finished with a message, from any
 * thread, in any order. Ouzel still sends the acknowledgements in the order the messages arrived,
 * as MQTT requires. A message that was never acknowledged is sent again by the broker after a
 * reconnection (with a persistent session), so a crash between receiving and finishing loses
 * nothing.
 *
 * Two clients driven from this thread by ouzel_client_loop():
 *   1. "worker" (manual acks, persistent session) subscribes to a job topic at QoS 1, and
 *      "producer" publishes job-1, job-2 and job-3.
 *   2. The worker keeps the three messages (ouzel_message_clone) and finishes them in reverse
 *      order, acknowledging each as it goes.
 *   3. The producer publishes job-4; the worker receives it but "crashes" before finishing:
 *      ouzel_client_reconnect drops the connection without acknowledging it.
 *   4. After the reconnection the broker sends job-4 again (DUP set); the worker finishes it and
 *      acknowledges it. No other job comes back: the first three were acknowledged.
 * Exit status 0 when that is what happened, 1 otherwise; every wait is bounded.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

#define WAIT_SECONDS 10.0
#define MAX_HELD 8

struct peer {
  const char* name;
  int connected; /* CONNACKs accepted */
  int session_present;
  int failed;
  int subscribed;
  int acknowledged; /* the producer's PUBACKs */
  int disconnected;
  int received;                  /* the worker's deliveries, duplicates included */
  ouzel_message* held[MAX_HELD]; /* the worker's received, unfinished messages */
  int held_count;
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ok(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "manual_ack: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

static int wait_for(ouzel_client* a, ouzel_client* b, const struct peer* pa, const struct peer* pb,
                    const int* counter, int target, const char* what) {
  double deadline = now_seconds() + WAIT_SECONDS;
  while (*counter < target) {
    if (pa->failed || (pb != NULL && pb->failed)) {
      fprintf(stderr, "manual_ack: a client failed while waiting for %s\n", what);
      return 0;
    }
    if (now_seconds() > deadline) {
      fprintf(stderr, "manual_ack: timed out waiting for %s\n", what);
      return 0;
    }
    ouzel_client_loop(a, 20);
    if (b != NULL) ouzel_client_loop(b, 20);
  }
  return 1;
}

/* Loops both clients for `seconds`, whatever happens (to see that nothing more arrives). */
static void run_for(ouzel_client* a, ouzel_client* b, double seconds) {
  double until = now_seconds() + seconds;
  while (now_seconds() < until) {
    ouzel_client_loop(a, 20);
    ouzel_client_loop(b, 20);
  }
}

/* The worker keeps each message; it is borrowed only until this callback returns. */
static void worker_on_message(ouzel_client* client, const ouzel_message* msg, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  size_t len = 0;
  const char* payload = (const char*)ouzel_message_payload(msg, &len);
  (void)client;
  printf("worker: received %.*s (mid %d%s)\n", (int)len, payload, (int)ouzel_message_mid(msg),
         ouzel_message_dup(msg) ? ", DUP: sent again" : "");
  p->received++;
  if (p->held_count == MAX_HELD ||
      !ok(ouzel_message_clone(&p->held[p->held_count], msg), "ouzel_message_clone")) {
    p->failed = 1;
    return;
  }
  p->held_count++;
}

/* Finishes the held message at `index`: acknowledges it and frees the clone. */
static int finish(ouzel_client* worker, struct peer* p, int index) {
  size_t len = 0;
  const char* payload = (const char*)ouzel_message_payload(p->held[index], &len);
  int32_t mid = ouzel_message_mid(p->held[index]);
  int good;
  printf("worker: finished %.*s, acknowledging mid %d\n", (int)len, payload, (int)mid);
  good = ok(ouzel_client_ack(worker, mid), "ouzel_client_ack");
  ouzel_message_free(p->held[index]);
  p->held[index] = NULL;
  return good;
}

static void drop_held(struct peer* p) {
  int i;
  for (i = 0; i < p->held_count; ++i) ouzel_message_free(p->held[i]);
  p->held_count = 0;
}

static int held_payload_is(const struct peer* p, int index, const char* expected) {
  size_t len = 0;
  const char* payload = (const char*)ouzel_message_payload(p->held[index], &len);
  if (len == strlen(expected) && memcmp(payload, expected, len) == 0) return 1;
  fprintf(stderr, "manual_ack: expected %s, got %.*s\n", expected, (int)len, payload);
  return 0;
}

static void on_connect(ouzel_client* client, int32_t reason_code, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)reason_code;
  (void)props;
  printf("%s: connected, session present %d\n", p->name, (int)session_present);
  p->session_present = session_present;
  p->connected++;
}

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  fprintf(stderr, "manual_ack: %s could not connect: %s (reason code %d)\n", p->name,
          ouzel_strerror(error), (int)reason_code);
  p->failed = 1;
}

static void on_disconnect(ouzel_client* client, int32_t error, int32_t reason_code,
                          int32_t by_server, const ouzel_properties* props, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)reason_code;
  (void)by_server;
  (void)props;
  p->disconnected++;
  printf("%s: disconnected (%s)\n", p->name, ouzel_strerror(error));
}

static void on_subscribe(ouzel_client* client, int32_t mid, const uint8_t* reason_codes,
                         size_t count, const ouzel_properties* props, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)mid;
  (void)props;
  if (count != 1 || reason_codes[0] >= 0x80) {
    fprintf(stderr, "manual_ack: %s's subscription was refused\n", p->name);
    p->failed = 1;
    return;
  }
  p->subscribed = 1;
}

static void on_publish(ouzel_client* client, uint64_t token, const ouzel_delivery_status* status,
                       const ouzel_properties* props, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)token;
  (void)props;
  if (status->state == OUZEL_DELIVERY_ACKNOWLEDGED) {
    p->acknowledged++;
  } else {
    p->failed = 1;
  }
}

static ouzel_client* make_client(const char* uri, const char* client_id, int worker,
                                 struct peer* p) {
  ouzel_options* opts = NULL;
  ouzel_properties* props = NULL;
  ouzel_client* client = NULL;
  int good = ok(ouzel_options_new(&opts), "ouzel_options_new") &&
             ok(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX), "URI") &&
             ok(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, OUZEL_MQTT_V5), "v5") &&
             ok(ouzel_options_set_string(opts, OUZEL_OPT_CLIENT_ID, client_id, SIZE_MAX), "id") &&
             ok(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect");
  if (good && worker) {
    /* Manual acks, and a session the broker keeps for 60 s across connections, so that what
     * was not acknowledged is sent again. */
    good = ok(ouzel_options_set_int(opts, OUZEL_OPT_MANUAL_ACK, 1), "manual ack") &&
           ok(ouzel_options_set_int(opts, OUZEL_OPT_CLEAN_START, 0), "clean start") &&
           ok(ouzel_properties_new(&props), "ouzel_properties_new") &&
           ok(ouzel_properties_set_int(props, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 60), "expiry") &&
           ok(ouzel_options_set_connect_properties(opts, props), "connect properties");
  }
  if (good) good = ok(ouzel_client_new(&client, opts), "ouzel_client_new");
  ouzel_properties_free(props);
  ouzel_options_free(opts);
  if (!good) return NULL;
  ouzel_client_set_on_connect(client, on_connect, p, NULL);
  ouzel_client_set_on_connect_fail(client, on_connect_fail, p, NULL);
  ouzel_client_set_on_disconnect(client, on_disconnect, p, NULL);
  ouzel_client_set_on_subscribe(client, on_subscribe, p, NULL);
  ouzel_client_set_on_publish(client, on_publish, p, NULL);
  if (worker) ouzel_client_set_on_message(client, worker_on_message, p, NULL);
  return client;
}

static int publish_job(ouzel_client* producer, const char* topic, const char* job) {
  return ok(
      ouzel_client_publish(producer, topic, SIZE_MAX, job, strlen(job), 1, 0, NULL, NULL, NULL),
      "publish a job");
}

static int run(const char* uri) {
  struct peer wrk;
  struct peer prd;
  ouzel_client* worker = NULL;
  ouzel_client* producer = NULL;
  ouzel_subscription sub;
  char suffix[40];
  char worker_id[64];
  char producer_id[64];
  char topic[96];
  int disconnects;
  int result = 0;

  memset(&wrk, 0, sizeof wrk);
  memset(&prd, 0, sizeof prd);
  wrk.name = "worker";
  prd.name = "producer";
  snprintf(suffix, sizeof suffix, "%ld-%ld", (long)getpid(), (long)time(NULL));
  snprintf(worker_id, sizeof worker_id, "worker-%s", suffix);
  snprintf(producer_id, sizeof producer_id, "producer-%s", suffix);
  snprintf(topic, sizeof topic, "ouzel/jobs/%s", suffix);

  /* 1. Connect both; the worker subscribes at QoS 1; three jobs go out. */
  worker = make_client(uri, worker_id, 1, &wrk);
  producer = make_client(uri, producer_id, 0, &prd);
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = topic;
  sub.filter_len = SIZE_MAX;
  sub.qos = 1;
  if (worker == NULL || producer == NULL || !ok(ouzel_client_connect(worker), "connect") ||
      !ok(ouzel_client_connect(producer), "connect") ||
      !wait_for(worker, producer, &wrk, &prd, &wrk.connected, 1, "the worker's CONNACK") ||
      !wait_for(worker, producer, &wrk, &prd, &prd.connected, 1, "the producer's CONNACK") ||
      !ok(ouzel_client_subscribe(worker, &sub, 1, NULL, NULL), "subscribe") ||
      !wait_for(worker, producer, &wrk, &prd, &wrk.subscribed, 1, "the SUBACK") ||
      !publish_job(producer, topic, "job-1") || !publish_job(producer, topic, "job-2") ||
      !publish_job(producer, topic, "job-3") ||
      !wait_for(worker, producer, &wrk, &prd, &wrk.received, 3, "three jobs")) {
    goto done;
  }

  /* 2. Finish them in reverse order. The PUBACKs still leave in arrival order: none goes out
   *    until job-1 is acknowledged, then all three do. */
  if (!held_payload_is(&wrk, 0, "job-1") || !held_payload_is(&wrk, 2, "job-3") ||
      !finish(worker, &wrk, 2) || !finish(worker, &wrk, 1) || !finish(worker, &wrk, 0)) {
    goto done;
  }
  wrk.held_count = 0;

  /* 3. job-4 arrives and the worker "crashes" before finishing it. */
  if (!publish_job(producer, topic, "job-4") ||
      !wait_for(worker, producer, &wrk, &prd, &wrk.received, 4, "job-4")) {
    goto done;
  }
  printf("worker: dropping the connection with job-4 unacknowledged\n");
  drop_held(&wrk);
  if (!ok(ouzel_client_reconnect(worker), "ouzel_client_reconnect") ||
      !wait_for(worker, producer, &wrk, &prd, &wrk.connected, 2, "the worker's second CONNACK")) {
    goto done;
  }
  if (!wrk.session_present) {
    fprintf(stderr, "manual_ack: the broker did not keep the worker's session\n");
    goto done;
  }

  /* 4. The broker sends job-4 again, and only job-4. */
  if (!wait_for(worker, producer, &wrk, &prd, &wrk.received, 5, "job-4 again")) goto done;
  if (!held_payload_is(&wrk, 0, "job-4")) goto done;
  if (!ouzel_message_dup(wrk.held[0])) {
    fprintf(stderr, "manual_ack: the re-sent job-4 does not have DUP set\n");
    goto done;
  }
  if (!finish(worker, &wrk, 0)) goto done;
  wrk.held_count = 0;
  run_for(worker, producer, 0.3);
  if (wrk.received != 5) {
    fprintf(stderr, "manual_ack: %d deliveries, expected 5: an acknowledged job came back\n",
            wrk.received);
    goto done;
  }

  disconnects = wrk.disconnected;
  if (!ok(ouzel_client_disconnect(worker, 0, NULL), "disconnect") ||
      !ok(ouzel_client_disconnect(producer, 0, NULL), "disconnect") ||
      !wait_for(worker, producer, &wrk, &prd, &wrk.disconnected, disconnects + 1,
                "the worker's disconnection") ||
      !wait_for(producer, NULL, &prd, NULL, &prd.disconnected, 1, "the producer's disconnection")) {
    goto done;
  }
  result = 1;

done:
  drop_held(&wrk);
  ouzel_client_free(worker);
  ouzel_client_free(producer);
  return result;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s mqtt://HOST:PORT\n", argv[0]);
    return 2;
  }
  if (!run(argv[1])) return 1;
  printf("manual_ack: OK\n");
  return 0;
}
