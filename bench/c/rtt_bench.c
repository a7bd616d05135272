/* rtt_bench: QoS 1 round-trip latency, Ouzel's C API against libmosquitto and Paho C, in one run.
 *
 *   rtt_bench mqtt://127.0.0.1:PORT [--count=5000] [--rounds=3] [--payload=64]
 *             [--mode=ack|echo|message] [--mqtt5]
 *             [--clients=ouzel,mosquitto,mosquitto-nodelay,paho]
 *             [--timeout=60]
 *
 * One round trip, one at a time (stop and wait):
 *   --mode=ack  (default) publish one QoS 1 message and wait until the library reports its PUBACK;
 *   --mode=echo the client is subscribed (QoS 1) to the topic it publishes to: publish one QoS 1
 *               message and wait for both its PUBACK and the message coming back (which the
 *               client then acknowledges with its own PUBACK: request/response traffic);
 *   --mode=message  the same, but the round trip ends when the message is back: the next
 *               PUBLISH may leave before the previous PUBACK arrived.
 * Latency is the wall time from the publish call to the last of those. It is the pattern that
 * meets Nagle's algorithm and delayed ACKs (about 40 ms on Linux) when one side writes a small
 * packet while an earlier one is still unacknowledged, so the table shows p50, p99 and max.
 *
 * For each round, each client runs once, and the client that goes first rotates between rounds:
 * a fresh client connects (not measured), does 100 round trips (not measured), then --count
 * measured ones, and disconnects. Each run is bounded by --timeout seconds: a client that stalls
 * on every round trip (5,000 x 40 ms = 200 s) is stopped and reported with the round trips it
 * completed. Each round trip waits at most 5 s.
 *
 * Clients, each with its library's own I/O thread where it has one, and its defaults:
 *   ouzel              ouzel_client_loop_start (TCP_NODELAY on by default)
 *   mosquitto          libmosquitto mosquitto_loop_start (TCP_NODELAY off by default)
 *   mosquitto-nodelay  the same with MOSQ_OPT_TCP_NODELAY 1
 *   paho               Paho C MQTTClient with callbacks (its own receiving thread; MQTT 3.1.1)
 * Output: one line per run, then per client the median over the rounds of p50, p99 and max in
 * microseconds, with the range (min-max over the rounds). Exit status 0, or 1 if a client could
 * not connect or lost a message.
 */
#define _POSIX_C_SOURCE 200809L

#include <MQTTClient.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/c/bench_common.h"
#include "ouzel.h"

#define MAX_ROUNDS 20
#define WARMUP_TRIPS 100
#define TRIP_TIMEOUT_S 5.0
/* A round trip this long is counted as a stall: a delayed ACK meeting Nagle's algorithm costs
 * 40 ms or more on Linux, scheduling noise on a busy machine rarely this much. */
#define STALL_S 0.020

enum {
  CLIENT_OUZEL = 0,
  CLIENT_MOSQUITTO = 1,
  CLIENT_MOSQUITTO_NODELAY = 2,
  CLIENT_PAHO = 3,
  CLIENTS = 4
};
static const char* const kClientNames[CLIENTS] = {"ouzel", "mosquitto", "mosquitto-nodelay",
                                                  "paho"};

struct config {
  const char* uri;
  char host[256];
  int port;
  long count;
  long payload;
  int rounds;
  int echo;       /* --mode=echo or --mode=message: subscribed to the topic */
  int ack_needed; /* the round trip waits for the PUBACK (not with --mode=message) */
  int mqtt5;
  int timeout_s;
  int enabled[CLIENTS];
};

/* One run's outcome: the latencies of the measured round trips, in seconds. */
struct run {
  double* latency;
  long done;   /* measured round trips completed */
  int stopped; /* the run hit --timeout */
};

/* What the library callbacks count a round trip's completions with. Each client's state starts
 * with one (it is the callbacks' context): run_trips raises t.published by the completions one
 * round trip needs (the PUBACK, the echoed message or both) and waits until none is outstanding. */
struct trip_tracker {
  struct tracker t;
  int count_acks; /* PUBACKs complete round trips (not with --mode=message) */
};

static void trip_tracker_init(struct trip_tracker* tt, const struct config* cfg) {
  tracker_init(&tt->t);
  tt->count_acks = cfg->ack_needed;
}

static long completions_per_trip(const struct config* cfg) {
  return (cfg->echo ? 1 : 0) + (cfg->ack_needed ? 1 : 0);
}

/* A PUBACK (ok) or a failed QoS 1 delivery arrived. */
static void trip_ack(struct trip_tracker* tt, int ok) {
  if (tt->count_acks) {
    tracker_complete(&tt->t, ok);
  } else if (!ok) {
    atomic_fetch_add(&tt->t.failed, 1);
  }
}

/* Publishes one message and returns 1 when the library accepted it. */
typedef int (*publish_fn)(void* client, const char* topic, const char* payload, long len);

/* Runs warm-up and measured round trips. 0 when a round trip failed or took longer than
 * TRIP_TIMEOUT_S before the run's deadline; a run that reached its deadline ends with
 * out->stopped set. */
static int run_trips(struct trip_tracker* tt, publish_fn publish, const struct config* cfg,
                     const char* topic, const char* payload, struct run* out) {
  double run_deadline = now_seconds() + cfg->timeout_s;
  long i;
  for (i = 0; i < WARMUP_TRIPS + cfg->count; ++i) {
    double start = now_seconds();
    double deadline = start + TRIP_TIMEOUT_S;
    if (run_deadline < deadline) deadline = run_deadline;
    atomic_fetch_add(&tt->t.published, completions_per_trip(cfg));
    if (!publish(tt, topic, payload, cfg->payload)) return 0;
    if (!tracker_wait(&tt->t, 0, deadline)) {
      if (now_seconds() >= run_deadline) {
        out->stopped = 1;
        return 1;
      }
      fprintf(stderr, "rtt_bench: a round trip took longer than %.0f s\n", TRIP_TIMEOUT_S);
      return 0;
    }
    if (i >= WARMUP_TRIPS) out->latency[out->done++] = now_seconds() - start;
  }
  return 1;
}

/* Subscribes (QoS 1) through `subscribe` and waits for the SUBACK, which the library's callback
 * counts as one completion. */
static int subscribe_and_wait(struct trip_tracker* tt, int (*subscribe)(void*, const char*),
                              const char* topic, const char* who) {
  atomic_fetch_add(&tt->t.published, 1);
  if (!subscribe(tt, topic)) return 0;
  if (!tracker_wait(&tt->t, 0, now_seconds() + 10) || atomic_load(&tt->t.failed) != 0) {
    fprintf(stderr, "rtt_bench: %s: no SUBACK granting QoS 1\n", who);
    return 0;
  }
  return 1;
}

/* --- Ouzel ------------------------------------------------------------------------------------ */

struct ouzel_bench_client {
  struct trip_tracker tt; /* first: the callbacks' context */
  ouzel_client* client;
};

static void ouzel_on_connect(ouzel_client* c, int32_t rc, int32_t sp, const ouzel_properties* p,
                             void* ud) {
  (void)c;
  (void)rc;
  (void)sp;
  (void)p;
  atomic_store(&((struct trip_tracker*)ud)->t.connected, 1);
}

static void ouzel_on_connect_fail(ouzel_client* c, int32_t error, int32_t rc, void* ud) {
  (void)c;
  fprintf(stderr, "rtt_bench: ouzel could not connect: %s (reason code %d)\n",
          ouzel_strerror(error), (int)rc);
  atomic_store(&((struct trip_tracker*)ud)->t.connect_failed, 1);
}

static void ouzel_on_publish(ouzel_client* c, uint64_t token, const ouzel_delivery_status* status,
                             const ouzel_properties* p, void* ud) {
  (void)c;
  (void)token;
  (void)p;
  trip_ack((struct trip_tracker*)ud, status->state == OUZEL_DELIVERY_ACKNOWLEDGED);
}

static void ouzel_on_message(ouzel_client* c, const ouzel_message* m, void* ud) {
  (void)c;
  (void)m;
  tracker_complete(&((struct trip_tracker*)ud)->t, 1);
}

static void ouzel_on_subscribe(ouzel_client* c, int32_t mid, const uint8_t* codes, size_t n,
                               const ouzel_properties* p, void* ud) {
  (void)c;
  (void)mid;
  (void)p;
  tracker_complete(&((struct trip_tracker*)ud)->t, n == 1 && codes[0] == 1);
}

static int ouzel_check(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "rtt_bench: ouzel: %s: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

static int ouzel_publish_one(void* client, const char* topic, const char* payload, long len) {
  struct ouzel_bench_client* b = (struct ouzel_bench_client*)client;
  return ouzel_check(ouzel_client_publish(b->client, topic, SIZE_MAX, payload, (size_t)len, 1, 0,
                                          NULL, NULL, NULL),
                     "publish");
}

static int ouzel_subscribe(void* client, const char* topic) {
  struct ouzel_bench_client* b = (struct ouzel_bench_client*)client;
  ouzel_subscription sub;
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = topic;
  sub.filter_len = SIZE_MAX;
  sub.qos = 1;
  return ouzel_check(ouzel_client_subscribe(b->client, &sub, 1, NULL, NULL), "subscribe");
}

static int run_ouzel(const struct config* cfg, const char* topic, const char* payload,
                     struct run* out) {
  struct ouzel_bench_client b;
  ouzel_options* opts = NULL;
  char client_id[64];
  int good = 0;

  memset(&b, 0, sizeof b);
  trip_tracker_init(&b.tt, cfg);
  snprintf(client_id, sizeof client_id, "rtt-ouzel-%ld", (long)getpid());
  if (!ouzel_check(ouzel_options_new(&opts), "options") ||
      !ouzel_check(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, cfg->uri, SIZE_MAX),
                   "server URI") ||
      !ouzel_check(ouzel_options_set_string(opts, OUZEL_OPT_CLIENT_ID, client_id, SIZE_MAX),
                   "client id") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION,
                                         cfg->mqtt5 ? OUZEL_MQTT_V5 : OUZEL_MQTT_V311),
                   "protocol") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect") ||
      !ouzel_check(ouzel_client_new(&b.client, opts), "client_new")) {
    goto done;
  }
  ouzel_client_set_on_connect(b.client, ouzel_on_connect, &b.tt, NULL);
  ouzel_client_set_on_connect_fail(b.client, ouzel_on_connect_fail, &b.tt, NULL);
  ouzel_client_set_on_publish(b.client, ouzel_on_publish, &b.tt, NULL);
  ouzel_client_set_on_message(b.client, ouzel_on_message, &b.tt, NULL);
  ouzel_client_set_on_subscribe(b.client, ouzel_on_subscribe, &b.tt, NULL);
  if (!ouzel_check(ouzel_client_loop_start(b.client), "loop_start") ||
      !ouzel_check(ouzel_client_connect(b.client), "connect")) {
    goto done;
  }
  if (!tracker_wait_connected(&b.tt.t, now_seconds() + 10)) {
    fprintf(stderr, "rtt_bench: ouzel did not connect\n");
    goto done;
  }
  if (cfg->echo && !subscribe_and_wait(&b.tt, ouzel_subscribe, topic, "ouzel")) goto done;
  good = run_trips(&b.tt, ouzel_publish_one, cfg, topic, payload, out) &&
         atomic_load(&b.tt.t.failed) == 0;
  ouzel_client_disconnect(b.client, 0, NULL);

done:
  if (b.client != NULL) ouzel_client_loop_stop(b.client);
  ouzel_client_free(b.client);
  ouzel_options_free(opts);
  tracker_destroy(&b.tt.t);
  return good;
}

/* --- libmosquitto ----------------------------------------------------------------------------- */

struct mosq_bench_client {
  struct trip_tracker tt; /* first: the callbacks' context */
  struct mosquitto* m;
};

static void mosq_on_connect(struct mosquitto* m, void* ud, int rc) {
  struct tracker* t = &((struct trip_tracker*)ud)->t;
  (void)m;
  if (rc == 0) {
    atomic_store(&t->connected, 1);
  } else {
    fprintf(stderr, "rtt_bench: libmosquitto: CONNACK refused: %s\n", mosquitto_connack_string(rc));
    atomic_store(&t->connect_failed, 1);
  }
}

static void mosq_on_publish(struct mosquitto* m, void* ud, int mid) {
  (void)m;
  (void)mid;
  trip_ack((struct trip_tracker*)ud, 1);
}

static void mosq_on_message(struct mosquitto* m, void* ud, const struct mosquitto_message* msg) {
  (void)m;
  (void)msg;
  tracker_complete(&((struct trip_tracker*)ud)->t, 1);
}

static void mosq_on_subscribe(struct mosquitto* m, void* ud, int mid, int n, const int* granted) {
  (void)m;
  (void)mid;
  tracker_complete(&((struct trip_tracker*)ud)->t, n == 1 && granted[0] == 1);
}

static int mosq_check(int rc, const char* what) {
  if (rc == MOSQ_ERR_SUCCESS) return 1;
  fprintf(stderr, "rtt_bench: libmosquitto: %s: %s\n", what, mosquitto_strerror(rc));
  return 0;
}

static int mosq_publish_one(void* client, const char* topic, const char* payload, long len) {
  struct mosq_bench_client* b = (struct mosq_bench_client*)client;
  return mosq_check(mosquitto_publish(b->m, NULL, topic, (int)len, payload, 1, false), "publish");
}

static int mosq_subscribe(void* client, const char* topic) {
  struct mosq_bench_client* b = (struct mosq_bench_client*)client;
  return mosq_check(mosquitto_subscribe(b->m, NULL, topic, 1), "subscribe");
}

static int run_mosquitto(const struct config* cfg, int nodelay, const char* topic,
                         const char* payload, struct run* out) {
  struct mosq_bench_client b;
  char client_id[64];
  int loop_started = 0;
  int good = 0;

  memset(&b, 0, sizeof b);
  trip_tracker_init(&b.tt, cfg);
  snprintf(client_id, sizeof client_id, "rtt-mosq-%ld", (long)getpid());
  b.m = mosquitto_new(client_id, true, &b.tt);
  if (b.m == NULL) {
    fprintf(stderr, "rtt_bench: mosquitto_new failed\n");
    goto done;
  }
  mosquitto_connect_callback_set(b.m, mosq_on_connect);
  mosquitto_publish_callback_set(b.m, mosq_on_publish);
  mosquitto_message_callback_set(b.m, mosq_on_message);
  mosquitto_subscribe_callback_set(b.m, mosq_on_subscribe);
  if (!mosq_check(mosquitto_int_option(b.m, MOSQ_OPT_PROTOCOL_VERSION,
                                       cfg->mqtt5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311),
                  "protocol") ||
      (nodelay && !mosq_check(mosquitto_int_option(b.m, MOSQ_OPT_TCP_NODELAY, 1), "nodelay")) ||
      !mosq_check(mosquitto_connect(b.m, cfg->host, cfg->port, 60), "connect") ||
      !mosq_check(mosquitto_loop_start(b.m), "loop_start")) {
    goto done;
  }
  loop_started = 1;
  if (!tracker_wait_connected(&b.tt.t, now_seconds() + 10)) {
    fprintf(stderr, "rtt_bench: libmosquitto did not connect\n");
    goto done;
  }
  if (cfg->echo && !subscribe_and_wait(&b.tt, mosq_subscribe, topic, "libmosquitto")) goto done;
  good = run_trips(&b.tt, mosq_publish_one, cfg, topic, payload, out) &&
         atomic_load(&b.tt.t.failed) == 0;
  mosquitto_disconnect(b.m);

done:
  if (loop_started) mosquitto_loop_stop(b.m, good ? false : true);
  mosquitto_destroy(b.m);
  tracker_destroy(&b.tt.t);
  return good;
}

/* --- Paho C (MQTTClient with callbacks) ----------------------------------------------------------
 */

struct paho_bench_client {
  struct trip_tracker tt; /* first: the callbacks' context */
  MQTTClient c;
};

static int paho_check(int rc, const char* what) {
  if (rc == MQTTCLIENT_SUCCESS) return 1;
  fprintf(stderr, "rtt_bench: paho: %s: error %d\n", what, rc);
  return 0;
}

static void paho_on_lost(void* ud, char* cause) {
  (void)ud;
  fprintf(stderr, "rtt_bench: paho: connection lost: %s\n", cause != NULL ? cause : "?");
}

static int paho_on_message(void* ud, char* topic, int topic_len, MQTTClient_message* msg) {
  (void)topic_len;
  MQTTClient_freeMessage(&msg);
  MQTTClient_free(topic);
  tracker_complete(&((struct trip_tracker*)ud)->t, 1);
  return 1;
}

static void paho_on_delivered(void* ud, MQTTClient_deliveryToken token) {
  (void)token;
  trip_ack((struct trip_tracker*)ud, 1);
}

static int paho_publish_one(void* client, const char* topic, const char* payload, long len) {
  struct paho_bench_client* b = (struct paho_bench_client*)client;
  return paho_check(MQTTClient_publish(b->c, topic, (int)len, payload, 1, 0, NULL), "publish");
}

static int run_paho(const struct config* cfg, const char* topic, const char* payload,
                    struct run* out) {
  struct paho_bench_client b;
  MQTTClient_connectOptions conn = MQTTClient_connectOptions_initializer;
  char client_id[64];
  char uri[300];
  int created = 0;
  int good = 0;

  memset(&b, 0, sizeof b);
  trip_tracker_init(&b.tt, cfg);
  snprintf(client_id, sizeof client_id, "rtt-paho-%ld", (long)getpid());
  snprintf(uri, sizeof uri, "tcp://%s:%d", cfg->host, cfg->port);
  if (!paho_check(MQTTClient_create(&b.c, uri, client_id, MQTTCLIENT_PERSISTENCE_NONE, NULL),
                  "create")) {
    goto done;
  }
  created = 1;
  if (!paho_check(
          MQTTClient_setCallbacks(b.c, &b.tt, paho_on_lost, paho_on_message, paho_on_delivered),
          "setCallbacks")) {
    goto done;
  }
  conn.keepAliveInterval = 60;
  conn.cleansession = 1;
  conn.MQTTVersion = MQTTVERSION_3_1_1;
  conn.connectTimeout = 10;
  if (!paho_check(MQTTClient_connect(b.c, &conn), "connect")) goto done;
  if (cfg->echo && !paho_check(MQTTClient_subscribe(b.c, topic, 1), "subscribe")) goto done;
  good = run_trips(&b.tt, paho_publish_one, cfg, topic, payload, out) &&
         atomic_load(&b.tt.t.failed) == 0;
  MQTTClient_disconnect(b.c, 1000);

done:
  if (created) MQTTClient_destroy(&b.c);
  tracker_destroy(&b.tt.t);
  return good;
}

/* --- Driver ----------------------------------------------------------------------------------- */

static int run_one(const struct config* cfg, int client, const char* topic, const char* payload,
                   struct run* out) {
  switch (client) {
    case CLIENT_OUZEL:
      return run_ouzel(cfg, topic, payload, out);
    case CLIENT_MOSQUITTO:
      return run_mosquitto(cfg, 0, topic, payload, out);
    case CLIENT_MOSQUITTO_NODELAY:
      return run_mosquitto(cfg, 1, topic, payload, out);
    default:
      return run_paho(cfg, topic, payload, out);
  }
}

static int compare_doubles(const void* a, const void* b) {
  double x = *(const double*)a;
  double y = *(const double*)b;
  return (x > y) - (x < y);
}

/* The q-quantile (0..1) of n sorted values, nearest rank. */
static double quantile(const double* sorted, long n, double q) {
  long rank = (long)(q * (double)n + 0.999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

static int parse_clients(const char* list, struct config* cfg) {
  char buf[256];
  char* save = NULL;
  char* name;
  int i;
  if (strlen(list) >= sizeof buf) return 0;
  strcpy(buf, list);
  for (i = 0; i < CLIENTS; ++i) cfg->enabled[i] = 0;
  for (name = strtok_r(buf, ",", &save); name != NULL; name = strtok_r(NULL, ",", &save)) {
    int found = 0;
    for (i = 0; i < CLIENTS; ++i) {
      if (strcmp(name, kClientNames[i]) == 0) cfg->enabled[i] = found = 1;
    }
    if (!found) return 0;
  }
  return 1;
}

/* Median and range over the rounds of one statistic, multiplied by `scale`. */
static void print_stat(const double* values, int n, double scale) {
  double lo = values[0];
  double hi = values[0];
  int i;
  for (i = 1; i < n; ++i) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  printf(" %9.0f (%.0f-%.0f)", median(values, n) * scale, lo * scale, hi * scale);
}

int main(int argc, char** argv) {
  static struct run runs[CLIENTS][MAX_ROUNDS];
  /* per client and round: p50, p99, max (seconds), stalls (count) */
  static double stats[CLIENTS][4][MAX_ROUNDS];
  struct config cfg;
  char topic[64];
  char* payload;
  int major;
  int minor;
  int revision;
  int round;
  int i;
  int failures = 0;
  int stopped = 0;
  double started = now_seconds();

  memset(&cfg, 0, sizeof cfg);
  cfg.count = 5000;
  cfg.payload = 64;
  cfg.rounds = 3;
  cfg.timeout_s = 60;
  cfg.ack_needed = 1;
  for (i = 0; i < CLIENTS; ++i) cfg.enabled[i] = 1;
  if (argc < 2) {
    fprintf(stderr,
            "usage: %s mqtt://HOST:PORT [--count=N] [--rounds=N] [--payload=BYTES]\n"
            "       [--mode=ack|echo|message] [--mqtt5] "
            "[--clients=ouzel,mosquitto,mosquitto-nodelay,paho]\n"
            "       [--timeout=SECONDS]\n",
            argv[0]);
    return 2;
  }
  cfg.uri = argv[1];
  if (!parse_mqtt_uri(cfg.uri, cfg.host, sizeof cfg.host, &cfg.port)) {
    fprintf(stderr, "rtt_bench: expected mqtt://HOST:PORT, got %s\n", cfg.uri);
    return 2;
  }
  for (i = 2; i < argc; ++i) {
    long v;
    if (strcmp(argv[i], "--mqtt5") == 0) {
      cfg.mqtt5 = 1;
    } else if (strcmp(argv[i], "--mode=ack") == 0) {
      cfg.echo = 0;
      cfg.ack_needed = 1;
    } else if (strcmp(argv[i], "--mode=echo") == 0) {
      cfg.echo = 1;
      cfg.ack_needed = 1;
    } else if (strcmp(argv[i], "--mode=message") == 0) {
      cfg.echo = 1;
      cfg.ack_needed = 0;
    } else if (strncmp(argv[i], "--clients=", 10) == 0) {
      if (!parse_clients(argv[i] + 10, &cfg)) {
        fprintf(stderr,
                "rtt_bench: --clients takes a comma-separated list of ouzel, mosquitto, "
                "mosquitto-nodelay, paho\n");
        return 2;
      }
    } else if (parse_long_arg("rtt_bench", argv[i], "--count", 1, 10000000, &v)) {
      cfg.count = v;
    } else if (parse_long_arg("rtt_bench", argv[i], "--payload", 0, 1000000, &v)) {
      cfg.payload = v;
    } else if (parse_long_arg("rtt_bench", argv[i], "--rounds", 1, MAX_ROUNDS, &v)) {
      cfg.rounds = (int)v;
    } else if (parse_long_arg("rtt_bench", argv[i], "--timeout", 1, 3600, &v)) {
      cfg.timeout_s = (int)v;
    } else {
      fprintf(stderr, "rtt_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (cfg.mqtt5) cfg.enabled[CLIENT_PAHO] = 0; /* the paho runs here are MQTT 3.1.1 */

  payload = malloc((size_t)cfg.payload + 1);
  if (payload == NULL) return 1;
  memset(payload, 'x', (size_t)cfg.payload);
  snprintf(topic, sizeof topic, "ouzel/rtt/%ld", (long)getpid());
  mosquitto_lib_init();
  mosquitto_lib_version(&major, &minor, &revision);
  for (i = 0; i < CLIENTS; ++i) {
    for (round = 0; round < cfg.rounds; ++round) {
      runs[i][round].latency = malloc((size_t)cfg.count * sizeof(double));
      if (runs[i][round].latency == NULL) return 1;
    }
  }

  printf("rtt_bench: ouzel %s, libmosquitto %d.%d.%d, Paho C MQTTClient; broker %s, MQTT %s\n",
         ouzel_version_string(), major, minor, revision, cfg.uri, cfg.mqtt5 ? "5" : "3.1.1");
  printf(
      "rtt_bench: QoS 1 %s, %ld round trips of %ld bytes per run (after %d not measured), "
      "%d rounds, at most %d s per run\n",
      !cfg.echo        ? "publish -> PUBACK"
      : cfg.ack_needed ? "publish -> PUBACK + echoed message"
                       : "publish -> echoed message",
      cfg.count, cfg.payload, WARMUP_TRIPS, cfg.rounds, cfg.timeout_s);
  fflush(stdout);

  for (round = 0; round < cfg.rounds && failures == 0; ++round) {
    int k;
    for (k = 0; k < CLIENTS; ++k) {
      int client = (k + round) % CLIENTS;
      struct run* r = &runs[client][round];
      if (!cfg.enabled[client]) continue;
      if (!run_one(&cfg, client, topic, payload, r) || r->done == 0) {
        fprintf(stderr, "rtt_bench: %s failed\n", kClientNames[client]);
        failures++;
        break;
      }
      qsort(r->latency, (size_t)r->done, sizeof(double), compare_doubles);
      stats[client][0][round] = quantile(r->latency, r->done, 0.50);
      stats[client][1][round] = quantile(r->latency, r->done, 0.99);
      stats[client][2][round] = r->latency[r->done - 1];
      stats[client][3][round] = 0;
      for (i = 0; i < r->done; ++i) {
        if (r->latency[i] >= STALL_S) stats[client][3][round] += 1;
      }
      if (r->stopped) stopped = 1;
      printf(
          "round %d  %-18s %7ld trips%s  p50 %8.0f us  p99 %8.0f us  max %8.0f us  "
          ">= %.0f ms: %.0f\n",
          round + 1, kClientNames[client], r->done, r->stopped ? " (stopped at --timeout)" : "",
          stats[client][0][round] * 1e6, stats[client][1][round] * 1e6,
          stats[client][2][round] * 1e6, STALL_S * 1e3, stats[client][3][round]);
      fflush(stdout);
    }
  }

  if (failures == 0) {
    printf("\n%-18s %20s %20s %20s %20s\n", "client", "p50 us (range)", "p99 us (range)",
           "max us (range)", "trips >= 20 ms");
    for (i = 0; i < CLIENTS; ++i) {
      if (!cfg.enabled[i]) continue;
      printf("%-18s", kClientNames[i]);
      print_stat(stats[i][0], cfg.rounds, 1e6);
      print_stat(stats[i][1], cfg.rounds, 1e6);
      print_stat(stats[i][2], cfg.rounds, 1e6);
      print_stat(stats[i][3], cfg.rounds, 1);
      printf("\n");
    }
    printf("(medians over %d rounds, min-max over the rounds in brackets%s)\n", cfg.rounds,
           stopped ? "; a run stopped at --timeout counts the round trips it completed" : "");
  }
  printf("rtt_bench: %s in %.1f s\n", failures == 0 ? "done" : "FAILED", now_seconds() - started);

  mosquitto_lib_cleanup();
  for (i = 0; i < CLIENTS; ++i) {
    for (round = 0; round < cfg.rounds; ++round) free(runs[i][round].latency);
  }
  free(payload);
  return failures == 0 ? 0 : 1;
}
