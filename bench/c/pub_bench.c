/* pub_bench: client CPU per published message, Ouzel's C API against libmosquitto, in one run.
 *
 *   pub_bench mqtt://127.0.0.1:PORT [--qos0=200000] [--qos1=50000] [--payload=64] [--rounds=3]
 *             [--inflight=20] [--window=0] [--mqtt5] [--nodelay=1] [--warmup=1]
 *             [--timeout=120]
 *
 * For each round, each QoS and each client (alternating which client goes first, so that drift
 * on a noisy machine hits both), one run:
 *   1. a fresh client connects to the broker (not measured);
 *   2. measured: the main thread publishes N messages of `payload` bytes to one topic while the
 *      library's own thread (ouzel_client_loop_start / mosquitto_loop_start) does the I/O; the
 *      run ends when every message is complete: written (QoS 0) or acknowledged by PUBACK
 *      (QoS 1), as each library reports it through its on_publish callback;
 *   3. the client disconnects and is destroyed (not measured).
 * CPU is the process's user + system time over step 2 (getrusage RUSAGE_SELF: the publishing
 * thread, the library's thread, and the benchmark's own bookkeeping, which is the same code for
 * both clients). The broker is another process and is not counted.
 *
 * Both clients get the same settings: protocol (3.1.1, or 5 with --mqtt5), at most --inflight
 * QoS 1 messages in flight (20 is both libraries' default), TCP_NODELAY (--nodelay), and the same
 * publisher. By default it publishes in a plain loop, as fast as the library accepts messages, so
 * the libraries queue what the socket cannot take yet. With --window=N it never has more than N
 * messages published but not yet complete, sleeping on a condition variable until half of them
 * are (a producer with back-pressure).
 *
 * Output: one line per run, then a table with the median over the rounds of CPU µs per message
 * and messages per second (wall), and the Ouzel / libmosquitto CPU ratio. Exit status 0, or 1 if
 * a run failed or did not finish within --timeout seconds.
 */
#define _POSIX_C_SOURCE 200809L

#include <mosquitto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/c/bench_common.h"
#include "ouzel.h"

#define MAX_ROUNDS 20

enum { CLIENT_OUZEL = 0, CLIENT_MOSQUITTO = 1, CLIENTS = 2 };
static const char* const kClientNames[CLIENTS] = {"ouzel", "libmosquitto"};

struct config {
  const char* uri;
  char host[256];
  int port;
  long count[2]; /* messages per run, by QoS */
  long payload;
  int rounds;
  int inflight;
  long window;
  int mqtt5;
  int nodelay;
  int warmup;
  int timeout_s;
};

struct result {
  double cpu_s; /* user + system */
  double user_s;
  double sys_s;
  double wall_s;
  long context_switches; /* voluntary + involuntary, all threads */
};

/* The process's resource usage now (all threads) and the wall clock. */
static void measure_start(struct result* start) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  start->user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
  start->sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  start->context_switches = ru.ru_nvcsw + ru.ru_nivcsw;
  start->wall_s = now_seconds();
}

/* Turns `r` (from measure_start) into what was used since. */
static void measure_end(struct result* r) {
  struct result end;
  measure_start(&end);
  r->user_s = end.user_s - r->user_s;
  r->sys_s = end.sys_s - r->sys_s;
  r->cpu_s = r->user_s + r->sys_s;
  r->context_switches = end.context_switches - r->context_switches;
  r->wall_s = end.wall_s - r->wall_s;
}

/* --- Ouzel ------------------------------------------------------------------------------------ */

static void ouzel_on_connect(ouzel_client* c, int32_t rc, int32_t sp, const ouzel_properties* p,
                             void* ud) {
  (void)c;
  (void)rc;
  (void)sp;
  (void)p;
  atomic_store(&((struct tracker*)ud)->connected, 1);
}

static void ouzel_on_connect_fail(ouzel_client* c, int32_t error, int32_t rc, void* ud) {
  (void)c;
  fprintf(stderr, "pub_bench: ouzel could not connect: %s (reason code %d)\n",
          ouzel_strerror(error), (int)rc);
  atomic_store(&((struct tracker*)ud)->connect_failed, 1);
}

static void ouzel_on_publish(ouzel_client* c, uint64_t token, const ouzel_delivery_status* status,
                             const ouzel_properties* p, void* ud) {
  (void)c;
  (void)token;
  (void)p;
  tracker_complete((struct tracker*)ud, status->state == OUZEL_DELIVERY_ACKNOWLEDGED);
}

static int ouzel_check(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "pub_bench: ouzel: %s: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

static int run_ouzel(const struct config* cfg, int qos, long count, const char* topic,
                     const char* payload, struct result* out) {
  struct tracker t;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  char client_id[64];
  size_t topic_len = strlen(topic);
  double deadline = now_seconds() + cfg->timeout_s;
  long i;
  int good = 0;

  tracker_init(&t);
  snprintf(client_id, sizeof client_id, "bench-ouzel-%ld", (long)getpid());
  if (!ouzel_check(ouzel_options_new(&opts), "options") ||
      !ouzel_check(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, cfg->uri, SIZE_MAX),
                   "server URI") ||
      !ouzel_check(ouzel_options_set_string(opts, OUZEL_OPT_CLIENT_ID, client_id, SIZE_MAX),
                   "client id") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION,
                                         cfg->mqtt5 ? OUZEL_MQTT_V5 : OUZEL_MQTT_V311),
                   "protocol") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_MAX_INFLIGHT, cfg->inflight),
                   "max inflight") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_TCP_NODELAY, cfg->nodelay), "nodelay") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect") ||
      !ouzel_check(ouzel_client_new(&client, opts), "client_new")) {
    goto done;
  }
  ouzel_client_set_on_connect(client, ouzel_on_connect, &t, NULL);
  ouzel_client_set_on_connect_fail(client, ouzel_on_connect_fail, &t, NULL);
  ouzel_client_set_on_publish(client, ouzel_on_publish, &t, NULL);
  if (!ouzel_check(ouzel_client_loop_start(client), "loop_start") ||
      !ouzel_check(ouzel_client_connect(client), "connect")) {
    goto done;
  }
  if (!tracker_wait_connected(&t, deadline)) {
    fprintf(stderr, "pub_bench: ouzel did not connect\n");
    goto done;
  }

  measure_start(out);
  for (i = 0; i < count; ++i) {
    if (cfg->window > 0 && atomic_load(&t.published) - atomic_load(&t.completed) >= cfg->window &&
        !tracker_wait(&t, cfg->window / 2, deadline)) {
      fprintf(stderr, "pub_bench: ouzel: timed out with %ld of %ld published\n", i, count);
      goto done;
    }
    atomic_fetch_add(&t.published, 1);
    if (!ouzel_check(ouzel_client_publish(client, topic, topic_len, payload, (size_t)cfg->payload,
                                          qos, 0, NULL, NULL, NULL),
                     "publish")) {
      goto done;
    }
  }
  if (!tracker_wait(&t, 0, deadline)) {
    fprintf(stderr, "pub_bench: ouzel: timed out with %ld of %ld complete\n",
            atomic_load(&t.completed), count);
    goto done;
  }
  measure_end(out);
  if (atomic_load(&t.failed) != 0) {
    fprintf(stderr, "pub_bench: ouzel: %ld messages were not delivered\n", atomic_load(&t.failed));
    goto done;
  }
  good = 1;
  ouzel_client_disconnect(client, 0, NULL);

done:
  if (client != NULL) ouzel_client_loop_stop(client);
  ouzel_client_free(client);
  ouzel_options_free(opts);
  tracker_destroy(&t);
  return good;
}

/* --- libmosquitto ----------------------------------------------------------------------------- */

static void mosq_on_connect(struct mosquitto* m, void* ud, int rc) {
  struct tracker* t = (struct tracker*)ud;
  (void)m;
  if (rc == 0) {
    atomic_store(&t->connected, 1);
  } else {
    fprintf(stderr, "pub_bench: libmosquitto: CONNACK refused: %s\n", mosquitto_connack_string(rc));
    atomic_store(&t->connect_failed, 1);
  }
}

/* libmosquitto calls on_publish when a QoS 0 message is written and when a QoS 1 PUBACK
 * arrives. */
static void mosq_on_publish(struct mosquitto* m, void* ud, int mid) {
  (void)m;
  (void)mid;
  tracker_complete((struct tracker*)ud, 1);
}

static int mosq_check(int rc, const char* what) {
  if (rc == MOSQ_ERR_SUCCESS) return 1;
  fprintf(stderr, "pub_bench: libmosquitto: %s: %s\n", what, mosquitto_strerror(rc));
  return 0;
}

static int run_mosquitto(const struct config* cfg, int qos, long count, const char* topic,
                         const char* payload, struct result* out) {
  struct tracker t;
  struct mosquitto* m = NULL;
  char client_id[64];
  double deadline = now_seconds() + cfg->timeout_s;
  int loop_started = 0;
  long i;
  int good = 0;

  tracker_init(&t);
  snprintf(client_id, sizeof client_id, "bench-mosq-%ld", (long)getpid());
  m = mosquitto_new(client_id, true, &t);
  if (m == NULL) {
    fprintf(stderr, "pub_bench: mosquitto_new failed\n");
    goto done;
  }
  mosquitto_connect_callback_set(m, mosq_on_connect);
  mosquitto_publish_callback_set(m, mosq_on_publish);
  if (!mosq_check(mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION,
                                       cfg->mqtt5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311),
                  "protocol") ||
      !mosq_check(mosquitto_int_option(m, MOSQ_OPT_SEND_MAXIMUM, cfg->inflight), "inflight") ||
      !mosq_check(mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, cfg->nodelay), "nodelay") ||
      !mosq_check(mosquitto_connect(m, cfg->host, cfg->port, 60), "connect") ||
      !mosq_check(mosquitto_loop_start(m), "loop_start")) {
    goto done;
  }
  loop_started = 1;
  if (!tracker_wait_connected(&t, deadline)) {
    fprintf(stderr, "pub_bench: libmosquitto did not connect\n");
    goto done;
  }

  measure_start(out);
  for (i = 0; i < count; ++i) {
    if (cfg->window > 0 && atomic_load(&t.published) - atomic_load(&t.completed) >= cfg->window &&
        !tracker_wait(&t, cfg->window / 2, deadline)) {
      fprintf(stderr, "pub_bench: libmosquitto: timed out with %ld of %ld published\n", i, count);
      goto done;
    }
    atomic_fetch_add(&t.published, 1);
    if (!mosq_check(mosquitto_publish(m, NULL, topic, (int)cfg->payload, payload, qos, false),
                    "publish")) {
      goto done;
    }
  }
  if (!tracker_wait(&t, 0, deadline)) {
    fprintf(stderr, "pub_bench: libmosquitto: timed out with %ld of %ld complete\n",
            atomic_load(&t.completed), count);
    goto done;
  }
  measure_end(out);
  good = 1;
  mosquitto_disconnect(m);

done:
  if (loop_started) mosquitto_loop_stop(m, good ? false : true);
  mosquitto_destroy(m);
  tracker_destroy(&t);
  return good;
}

/* --- Driver ----------------------------------------------------------------------------------- */

static int run_one(const struct config* cfg, int client, int qos, long count, const char* topic,
                   const char* payload, struct result* out) {
  return client == CLIENT_OUZEL ? run_ouzel(cfg, qos, count, topic, payload, out)
                                : run_mosquitto(cfg, qos, count, topic, payload, out);
}

int main(int argc, char** argv) {
  struct config cfg;
  struct result results[CLIENTS][2][MAX_ROUNDS];
  char topic[64];
  char window[32];
  char* payload;
  int major;
  int minor;
  int revision;
  int round;
  int qos;
  int i;
  int failures = 0;
  double started = now_seconds();

  memset(&cfg, 0, sizeof cfg);
  memset(results, 0, sizeof results);
  cfg.count[0] = 200000;
  cfg.count[1] = 50000;
  cfg.payload = 64;
  cfg.rounds = 3;
  cfg.inflight = 20;
  cfg.window = 0; /* none */
  cfg.nodelay = 1;
  cfg.warmup = 1;
  cfg.timeout_s = 120;
  if (argc < 2) {
    fprintf(stderr,
            "usage: %s mqtt://HOST:PORT [--qos0=N] [--qos1=N] [--payload=BYTES] [--rounds=N]\n"
            "       [--inflight=N] [--window=N] [--mqtt5] [--nodelay=0|1] [--warmup=0|1]\n"
            "       [--timeout=SECONDS]\n",
            argv[0]);
    return 2;
  }
  cfg.uri = argv[1];
  if (!parse_mqtt_uri(cfg.uri, cfg.host, sizeof cfg.host, &cfg.port)) {
    fprintf(stderr, "pub_bench: expected mqtt://HOST:PORT, got %s\n", cfg.uri);
    return 2;
  }
  for (i = 2; i < argc; ++i) {
    long v;
    if (strcmp(argv[i], "--mqtt5") == 0) {
      cfg.mqtt5 = 1;
    } else if (parse_long_arg("pub_bench", argv[i], "--qos0", 0, 100000000, &v)) {
      cfg.count[0] = v;
    } else if (parse_long_arg("pub_bench", argv[i], "--qos1", 0, 100000000, &v)) {
      cfg.count[1] = v;
    } else if (parse_long_arg("pub_bench", argv[i], "--payload", 0, 1000000, &v)) {
      cfg.payload = v;
    } else if (parse_long_arg("pub_bench", argv[i], "--rounds", 1, MAX_ROUNDS, &v)) {
      cfg.rounds = (int)v;
    } else if (parse_long_arg("pub_bench", argv[i], "--inflight", 1, 65535, &v)) {
      cfg.inflight = (int)v;
    } else if (parse_long_arg("pub_bench", argv[i], "--window", 0, 100000000, &v)) {
      cfg.window = v;
    } else if (parse_long_arg("pub_bench", argv[i], "--nodelay", 0, 1, &v)) {
      cfg.nodelay = (int)v;
    } else if (parse_long_arg("pub_bench", argv[i], "--warmup", 0, 1, &v)) {
      cfg.warmup = (int)v;
    } else if (parse_long_arg("pub_bench", argv[i], "--timeout", 1, 3600, &v)) {
      cfg.timeout_s = (int)v;
    } else {
      fprintf(stderr, "pub_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }

  payload = malloc((size_t)cfg.payload + 1);
  if (payload == NULL) return 1;
  memset(payload, 'x', (size_t)cfg.payload);
  snprintf(topic, sizeof topic, "ouzel/bench/%ld", (long)getpid());
  mosquitto_lib_init();
  mosquitto_lib_version(&major, &minor, &revision);

  printf("pub_bench: ouzel %s vs libmosquitto %d.%d.%d, broker %s, MQTT %s\n",
         ouzel_version_string(), major, minor, revision, cfg.uri, cfg.mqtt5 ? "5" : "3.1.1");
  if (cfg.window > 0) {
    snprintf(window, sizeof window, "%ld", cfg.window);
  } else {
    snprintf(window, sizeof window, "none");
  }
  printf(
      "pub_bench: %ld QoS 0 and %ld QoS 1 messages of %ld bytes per run, %d rounds, "
      "inflight %d, window %s, TCP_NODELAY %d\n",
      cfg.count[0], cfg.count[1], cfg.payload, cfg.rounds, cfg.inflight, window, cfg.nodelay);
  fflush(stdout);

  if (cfg.warmup) {
    /* One short run per client and QoS first: page faults, allocator arenas, the broker's own
     * warm-up. Not reported. */
    for (qos = 0; qos <= 1; ++qos) {
      long n = cfg.count[qos] / 10 < 10000 ? cfg.count[qos] / 10 : 10000;
      struct result ignored;
      if (n == 0) continue;
      for (i = 0; i < CLIENTS; ++i) {
        if (!run_one(&cfg, i, qos, n, topic, payload, &ignored)) failures++;
      }
    }
  }

  for (round = 0; round < cfg.rounds && failures == 0; ++round) {
    for (qos = 0; qos <= 1; ++qos) {
      int k;
      if (cfg.count[qos] == 0) continue;
      for (k = 0; k < CLIENTS; ++k) {
        /* Alternate which client goes first. */
        int client = (k + round) % CLIENTS;
        struct result* r = &results[client][qos][round];
        if (!run_one(&cfg, client, qos, cfg.count[qos], topic, payload, r)) {
          failures++;
          break;
        }
        printf(
            "round %d  %-12s QoS %d  %9ld msgs  cpu %6.3f s (user %6.3f sys %6.3f)  "
            "wall %6.3f s  %8ld ctx switches  %6.2f us/msg\n",
            round + 1, kClientNames[client], qos, cfg.count[qos], r->cpu_s, r->user_s, r->sys_s,
            r->wall_s, r->context_switches, r->cpu_s * 1e6 / (double)cfg.count[qos]);
        fflush(stdout);
      }
    }
  }

  if (failures == 0) {
    printf("\n%-13s %-4s %9s %11s %8s %8s %9s %14s\n", "client", "QoS", "messages", "CPU us/msg",
           "user", "sys", "msgs/s", "ouzel/libmosq");
    for (qos = 0; qos <= 1; ++qos) {
      double cpu[CLIENTS];
      if (cfg.count[qos] == 0) continue;
      for (i = 0; i < CLIENTS; ++i) {
        double per_msg[MAX_ROUNDS];
        double user[MAX_ROUNDS];
        double sys[MAX_ROUNDS];
        double rate[MAX_ROUNDS];
        for (round = 0; round < cfg.rounds; ++round) {
          const struct result* r = &results[i][qos][round];
          per_msg[round] = r->cpu_s * 1e6 / (double)cfg.count[qos];
          user[round] = r->user_s * 1e6 / (double)cfg.count[qos];
          sys[round] = r->sys_s * 1e6 / (double)cfg.count[qos];
          rate[round] = (double)cfg.count[qos] / r->wall_s;
        }
        cpu[i] = median(per_msg, cfg.rounds);
        printf("%-13s %-4d %9ld %11.2f %8.2f %8.2f %9.0f", kClientNames[i], qos, cfg.count[qos],
               cpu[i], median(user, cfg.rounds), median(sys, cfg.rounds), median(rate, cfg.rounds));
        if (i == CLIENT_MOSQUITTO && cpu[CLIENT_MOSQUITTO] > 0) {
          printf(" %14.2f", cpu[CLIENT_OUZEL] / cpu[CLIENT_MOSQUITTO]);
        }
        printf("\n");
      }
    }
    printf(
        "(medians over %d rounds; CPU = user + system time of the whole client process, in us per "
        "message; msgs/s from wall time)\n",
        cfg.rounds);
  }
  printf("pub_bench: %s in %.1f s\n", failures == 0 ? "done" : "FAILED", now_seconds() - started);

  mosquitto_lib_cleanup();
  free(payload);
  return failures == 0 ? 0 : 1;
}
