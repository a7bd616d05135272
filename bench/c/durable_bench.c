/* durable_bench: QoS 1 publish throughput with a durable session store, in one run: Ouzel with
 * its file store (OUZEL_OPT_PERSISTENCE_DIR), Ouzel without a store (in memory), and Paho C's
 * MQTTAsync with its default file persistence (MQTTCLIENT_PERSISTENCE_DEFAULT).
 *
 *   durable_bench mqtt://127.0.0.1:PORT [--count=20000] [--payload=64] [--rounds=5]
 *                 [--inflight=20] [--window=20] [--sync=interval|every|never]
 *                 [--sync-interval=100] [--dir=PATH] [--warmup=1] [--timeout=120]
 *
 * For each round and each client (the client that goes first rotates between rounds, so drift on
 * a noisy machine hits all of them), one run:
 *   1. a fresh client (new client id, new persistence directory under --dir) connects with a
 *      persistent session (Clean Session 0, MQTT 3.1.1), not measured;
 *   2. measured: the main thread publishes --count QoS 1 messages of --payload bytes to one topic,
 *      never more than --window unacknowledged (it sleeps on a condition variable until half of
 *      them are), while the library's own thread does the I/O; the run ends when every message
 *      is acknowledged by PUBACK, as the library reports it (Ouzel on_publish, Paho
 *      deliveryComplete);
 *   3. the client disconnects, is destroyed, and its directory removed (not measured).
 * Reported: messages per second (wall time over step 2) and client CPU per message (getrusage of
 * the whole process over step 2), medians over the rounds, and each client's throughput as a
 * ratio of Ouzel in memory.
 *
 * Same settings for all: at most --inflight messages in flight (20, both libraries' default),
 * the same publisher and window. The default window equals the in-flight limit, so no library
 * queues messages it cannot send yet: Paho's MQTTAsync slows down by two orders of magnitude when
 * it must (bench/README.md has the figures). What "durable" means differs and is stated in
 * bench/README.md: Ouzel's ouzel_client_publish returns after the message's record is written to
 * the log (and synced per --sync); Paho's MQTTAsync_sendMessage returns after it wrote the message
 * to its own file (one file per message, not synced).
 *
 * Exit status 0, or 1 if a run failed or did not finish within --timeout seconds.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700

#include <MQTTAsync.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/c/bench_common.h"
#include "ouzel.h"

#define MAX_ROUNDS 20

enum { CLIENT_MEMORY = 0, CLIENT_DURABLE = 1, CLIENT_PAHO = 2, CLIENTS = 3 };
static const char* const kClientNames[CLIENTS] = {"ouzel-memory", "ouzel-durable", "paho-file"};

struct config {
  const char* uri;
  char paho_uri[300];
  long count;
  long payload;
  int rounds;
  int inflight;
  long window;
  int sync;
  long sync_interval_ms;
  char dir[512];
  int warmup;
  int timeout_s;
};

struct result {
  double cpu_s;
  double wall_s;
};

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int remove_entry(const char* path, const struct stat* st, int flag, struct FTW* ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

static void remove_tree(const char* path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* A fresh directory under cfg->dir for one run's persistence. */
static int make_run_dir(const struct config* cfg, char* out, size_t size) {
  snprintf(out, size, "%s/durable-bench-XXXXXX", cfg->dir);
  if (mkdtemp(out) == NULL) {
    fprintf(stderr, "durable_bench: mkdtemp %s: %s\n", out, strerror(errno));
    return 0;
  }
  return 1;
}

/* The publishing loop both libraries share: `send` returns 1 (accepted), 0 (failed) or -1 (the
 * library's in-flight limit: wait for one acknowledgement and try again). */
typedef int (*send_fn)(void* lib, const char* topic, const char* payload, long payload_len);

static int publish_all(const struct config* cfg, struct tracker* t, send_fn send, void* lib,
                       const char* topic, const char* payload, long count, const char* name,
                       double deadline, struct result* out) {
  double cpu0 = cpu_seconds();
  double wall0 = now_seconds();
  long i;
  for (i = 0; i < count; ++i) {
    if (atomic_load(&t->published) - atomic_load(&t->completed) >= cfg->window &&
        !tracker_wait(t, cfg->window / 2, deadline)) {
      fprintf(stderr, "durable_bench: %s: timed out with %ld of %ld published\n", name, i, count);
      return 0;
    }
    for (;;) {
      int rc;
      atomic_fetch_add(&t->published, 1);
      rc = send(lib, topic, payload, cfg->payload);
      if (rc == 1) break;
      atomic_fetch_sub(&t->published, 1);
      if (rc == 0) return 0;
      if (!tracker_wait(t, atomic_load(&t->published) - atomic_load(&t->completed) - 1, deadline)) {
        fprintf(stderr, "durable_bench: %s: timed out at the in-flight limit\n", name);
        return 0;
      }
    }
  }
  if (!tracker_wait(t, 0, deadline)) {
    fprintf(stderr, "durable_bench: %s: timed out with %ld of %ld acknowledged\n", name,
            atomic_load(&t->completed), count);
    return 0;
  }
  out->wall_s = now_seconds() - wall0;
  out->cpu_s = cpu_seconds() - cpu0;
  if (atomic_load(&t->failed) != 0) {
    fprintf(stderr, "durable_bench: %s: %ld messages were not acknowledged\n", name,
            atomic_load(&t->failed));
    return 0;
  }
  return 1;
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
  fprintf(stderr, "durable_bench: ouzel could not connect: %s (reason code %d)\n",
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
  fprintf(stderr, "durable_bench: ouzel: %s: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

static int ouzel_send(void* lib, const char* topic, const char* payload, long payload_len) {
  int rc = ouzel_client_publish((ouzel_client*)lib, topic, SIZE_MAX, payload, (size_t)payload_len,
                                1, 0, NULL, NULL, NULL);
  return ouzel_check(rc, "publish");
}

static int run_ouzel(const struct config* cfg, int durable, long count, const char* topic,
                     const char* payload, struct result* out) {
  struct tracker t;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  char client_id[64];
  char dir[600] = "";
  double deadline = now_seconds() + cfg->timeout_s;
  static int serial = 0;
  int good = 0;

  tracker_init(&t);
  snprintf(client_id, sizeof client_id, "bench-%s-%ld-%d", durable ? "durable" : "memory",
           (long)getpid(), serial++);
  if (durable && !make_run_dir(cfg, dir, sizeof dir)) goto done;
  if (!ouzel_check(ouzel_options_new(&opts), "options") ||
      !ouzel_check(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, cfg->uri, SIZE_MAX),
                   "server URI") ||
      !ouzel_check(ouzel_options_set_string(opts, OUZEL_OPT_CLIENT_ID, client_id, SIZE_MAX),
                   "client id") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_CLEAN_START, 0), "clean start") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_MAX_INFLIGHT, cfg->inflight),
                   "max inflight") ||
      !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect")) {
    goto done;
  }
  if (durable &&
      (!ouzel_check(ouzel_options_set_string(opts, OUZEL_OPT_PERSISTENCE_DIR, dir, SIZE_MAX),
                    "persistence dir") ||
       !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_PERSISTENCE_SYNC, cfg->sync), "sync") ||
       !ouzel_check(ouzel_options_set_int(opts, OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS,
                                          cfg->sync_interval_ms),
                    "sync interval"))) {
    goto done;
  }
  if (!ouzel_check(ouzel_client_new(&client, opts), "client_new")) goto done;
  ouzel_client_set_on_connect(client, ouzel_on_connect, &t, NULL);
  ouzel_client_set_on_connect_fail(client, ouzel_on_connect_fail, &t, NULL);
  ouzel_client_set_on_publish(client, ouzel_on_publish, &t, NULL);
  if (!ouzel_check(ouzel_client_loop_start(client), "loop_start") ||
      !ouzel_check(ouzel_client_connect(client), "connect")) {
    goto done;
  }
  if (!tracker_wait_connected(&t, deadline)) {
    fprintf(stderr, "durable_bench: ouzel did not connect\n");
    goto done;
  }
  good = publish_all(cfg, &t, ouzel_send, client, topic, payload, count,
                     kClientNames[durable ? CLIENT_DURABLE : CLIENT_MEMORY], deadline, out);
  if (good) ouzel_client_disconnect(client, 0, NULL);

done:
  if (client != NULL) ouzel_client_loop_stop(client);
  ouzel_client_free(client);
  ouzel_options_free(opts);
  tracker_destroy(&t);
  if (dir[0] != '\0') remove_tree(dir);
  return good;
}

/* --- Paho C (MQTTAsync) ----------------------------------------------------------------------- */

static void paho_on_connect(void* ctx, MQTTAsync_successData* response) {
  (void)response;
  atomic_store(&((struct tracker*)ctx)->connected, 1);
}

static void paho_on_connect_failure(void* ctx, MQTTAsync_failureData* response) {
  fprintf(stderr, "durable_bench: paho could not connect: %d %s\n", response ? response->code : 0,
          response && response->message ? response->message : "");
  atomic_store(&((struct tracker*)ctx)->connect_failed, 1);
}

static int paho_message_arrived(void* ctx, char* topic, int topic_len, MQTTAsync_message* m) {
  (void)ctx;
  (void)topic_len;
  MQTTAsync_freeMessage(&m);
  MQTTAsync_free(topic);
  return 1;
}

static void paho_delivery_complete(void* ctx, MQTTAsync_token token) {
  (void)token;
  tracker_complete((struct tracker*)ctx, 1);
}

static void paho_connection_lost(void* ctx, char* cause) {
  (void)ctx;
  fprintf(stderr, "durable_bench: paho lost its connection: %s\n", cause ? cause : "");
}

static int paho_send(void* lib, const char* topic, const char* payload, long payload_len) {
  MQTTAsync_message m = MQTTAsync_message_initializer;
  int rc;
  m.payload = (void*)payload;
  m.payloadlen = (int)payload_len;
  m.qos = 1;
  m.retained = 0;
  rc = MQTTAsync_sendMessage((MQTTAsync)lib, topic, &m, NULL);
  if (rc == MQTTASYNC_SUCCESS) return 1;
  if (rc == MQTTASYNC_MAX_MESSAGES_INFLIGHT) return -1;
  fprintf(stderr, "durable_bench: paho: MQTTAsync_sendMessage: %d (%s)\n", rc,
          MQTTAsync_strerror(rc));
  return 0;
}

static int run_paho(const struct config* cfg, long count, const char* topic, const char* payload,
                    struct result* out) {
  struct tracker t;
  MQTTAsync client = NULL;
  MQTTAsync_connectOptions co = MQTTAsync_connectOptions_initializer;
  char client_id[64];
  char dir[600] = "";
  double deadline = now_seconds() + cfg->timeout_s;
  static int serial = 0;
  int good = 0;
  int rc;

  tracker_init(&t);
  snprintf(client_id, sizeof client_id, "bench-paho-%ld-%d", (long)getpid(), serial++);
  if (!make_run_dir(cfg, dir, sizeof dir)) goto done;
  rc = MQTTAsync_create(&client, cfg->paho_uri, client_id, MQTTCLIENT_PERSISTENCE_DEFAULT, dir);
  if (rc != MQTTASYNC_SUCCESS) {
    fprintf(stderr, "durable_bench: MQTTAsync_create: %d\n", rc);
    client = NULL;
    goto done;
  }
  MQTTAsync_setCallbacks(client, &t, paho_connection_lost, paho_message_arrived,
                         paho_delivery_complete);
  co.keepAliveInterval = 60;
  co.cleansession = 0;
  co.maxInflight = cfg->inflight;
  co.automaticReconnect = 0;
  co.onSuccess = paho_on_connect;
  co.onFailure = paho_on_connect_failure;
  co.context = &t;
  rc = MQTTAsync_connect(client, &co);
  if (rc != MQTTASYNC_SUCCESS) {
    fprintf(stderr, "durable_bench: MQTTAsync_connect: %d\n", rc);
    goto done;
  }
  if (!tracker_wait_connected(&t, deadline)) {
    fprintf(stderr, "durable_bench: paho did not connect\n");
    goto done;
  }
  good = publish_all(cfg, &t, paho_send, client, topic, payload, count, kClientNames[CLIENT_PAHO],
                     deadline, out);
  if (good) {
    MQTTAsync_disconnectOptions d = MQTTAsync_disconnectOptions_initializer;
    d.timeout = 1000;
    MQTTAsync_disconnect(client, &d);
    /* MQTTAsync_disconnect returns at once; give it the moment it needs before destroy. */
    for (int i = 0; i < 100 && MQTTAsync_isConnected(client); ++i) {
      struct timespec ms = {0, 10 * 1000 * 1000};
      nanosleep(&ms, NULL);
    }
  }

done:
  if (client != NULL) MQTTAsync_destroy(&client);
  tracker_destroy(&t);
  if (dir[0] != '\0') remove_tree(dir);
  return good;
}

/* --- Driver ----------------------------------------------------------------------------------- */

static int run_one(const struct config* cfg, int client, long count, const char* topic,
                   const char* payload, struct result* out) {
  switch (client) {
    case CLIENT_MEMORY:
      return run_ouzel(cfg, 0, count, topic, payload, out);
    case CLIENT_DURABLE:
      return run_ouzel(cfg, 1, count, topic, payload, out);
    default:
      return run_paho(cfg, count, topic, payload, out);
  }
}

static const char* sync_name(int sync) {
  return sync == OUZEL_SYNC_EVERY_WRITE ? "every" : sync == OUZEL_SYNC_NEVER ? "never" : "interval";
}

int main(int argc, char** argv) {
  struct config cfg;
  static struct result results[CLIENTS][MAX_ROUNDS];
  char topic[64];
  char* payload;
  int round, i, failures = 0;
  double started = now_seconds();
  MQTTAsync_nameValue* info;
  const char* paho_version = "?";

  memset(&cfg, 0, sizeof cfg);
  cfg.count = 20000;
  cfg.payload = 64;
  cfg.rounds = 5;
  cfg.inflight = 20;
  cfg.window = 20;
  cfg.sync = OUZEL_SYNC_INTERVAL;
  cfg.sync_interval_ms = 100;
  cfg.warmup = 1;
  cfg.timeout_s = 120;
  snprintf(cfg.dir, sizeof cfg.dir, "%s", getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
  if (argc < 2 || strncmp(argv[1], "mqtt://", 7) != 0) {
    fprintf(stderr,
            "usage: %s mqtt://HOST:PORT [--count=N] [--payload=BYTES] [--rounds=N] [--inflight=N]\n"
            "       [--window=N] [--sync=interval|every|never] [--sync-interval=MS] [--dir=PATH]\n"
            "       [--warmup=0|1] [--timeout=SECONDS]\n",
            argv[0]);
    return 2;
  }
  cfg.uri = argv[1];
  snprintf(cfg.paho_uri, sizeof cfg.paho_uri, "tcp://%s", cfg.uri + 7);
  for (i = 2; i < argc; ++i) {
    long v;
    if (strcmp(argv[i], "--sync=interval") == 0) {
      cfg.sync = OUZEL_SYNC_INTERVAL;
    } else if (strcmp(argv[i], "--sync=every") == 0) {
      cfg.sync = OUZEL_SYNC_EVERY_WRITE;
    } else if (strcmp(argv[i], "--sync=never") == 0) {
      cfg.sync = OUZEL_SYNC_NEVER;
    } else if (strncmp(argv[i], "--dir=", 6) == 0) {
      snprintf(cfg.dir, sizeof cfg.dir, "%s", argv[i] + 6);
    } else if (parse_long_arg("durable_bench", argv[i], "--count", 1, 100000000, &v)) {
      cfg.count = v;
    } else if (parse_long_arg("durable_bench", argv[i], "--payload", 0, 1000000, &v)) {
      cfg.payload = v;
    } else if (parse_long_arg("durable_bench", argv[i], "--rounds", 1, MAX_ROUNDS, &v)) {
      cfg.rounds = (int)v;
    } else if (parse_long_arg("durable_bench", argv[i], "--inflight", 1, 65535, &v)) {
      cfg.inflight = (int)v;
    } else if (parse_long_arg("durable_bench", argv[i], "--window", 1, 100000000, &v)) {
      cfg.window = v;
    } else if (parse_long_arg("durable_bench", argv[i], "--sync-interval", 1, 100000, &v)) {
      cfg.sync_interval_ms = v;
    } else if (parse_long_arg("durable_bench", argv[i], "--warmup", 0, 1, &v)) {
      cfg.warmup = (int)v;
    } else if (parse_long_arg("durable_bench", argv[i], "--timeout", 1, 3600, &v)) {
      cfg.timeout_s = (int)v;
    } else {
      fprintf(stderr, "durable_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }

  payload = malloc((size_t)cfg.payload + 1);
  if (payload == NULL) return 1;
  memset(payload, 'x', (size_t)cfg.payload);
  snprintf(topic, sizeof topic, "ouzel/durable-bench/%ld", (long)getpid());
  for (info = MQTTAsync_getVersionInfo(); info != NULL && info->name != NULL; ++info) {
    if (strcmp(info->name, "Version") == 0) paho_version = info->value;
  }
  printf(
      "durable_bench: ouzel %s (file store, sync %s%s) vs ouzel in memory vs Paho C %s "
      "(MQTTAsync, file persistence), broker %s, MQTT 3.1.1\n",
      ouzel_version_string(), sync_name(cfg.sync), cfg.sync == OUZEL_SYNC_INTERVAL ? "" : "",
      paho_version, cfg.uri);
  printf(
      "durable_bench: %ld QoS 1 messages of %ld bytes per run, %d rounds, inflight %d, "
      "window %ld, sync interval %ld ms, directories under %s\n",
      cfg.count, cfg.payload, cfg.rounds, cfg.inflight, cfg.window, cfg.sync_interval_ms, cfg.dir);
  fflush(stdout);

  if (cfg.warmup) {
    struct result ignored;
    long n = cfg.count / 10 < 5000 ? cfg.count / 10 : 5000;
    for (i = 0; i < CLIENTS && n > 0; ++i) {
      if (!run_one(&cfg, i, n, topic, payload, &ignored)) failures++;
    }
  }

  for (round = 0; round < cfg.rounds && failures == 0; ++round) {
    int k;
    for (k = 0; k < CLIENTS; ++k) {
      int client = (k + round) % CLIENTS;
      struct result* r = &results[client][round];
      if (!run_one(&cfg, client, cfg.count, topic, payload, r)) {
        failures++;
        break;
      }
      printf("round %d  %-14s %9ld msgs  wall %7.3f s  %9.0f msgs/s  cpu %6.2f us/msg\n", round + 1,
             kClientNames[client], cfg.count, r->wall_s, (double)cfg.count / r->wall_s,
             r->cpu_s * 1e6 / (double)cfg.count);
      fflush(stdout);
    }
  }

  if (failures == 0) {
    double rate[CLIENTS];
    printf("\n%-15s %9s %10s %11s %18s\n", "client", "messages", "msgs/s", "CPU us/msg",
           "msgs/s vs memory");
    for (i = 0; i < CLIENTS; ++i) {
      double rates[MAX_ROUNDS], cpu[MAX_ROUNDS];
      for (round = 0; round < cfg.rounds; ++round) {
        rates[round] = (double)cfg.count / results[i][round].wall_s;
        cpu[round] = results[i][round].cpu_s * 1e6 / (double)cfg.count;
      }
      rate[i] = median(rates, cfg.rounds);
      printf("%-15s %9ld %10.0f %11.2f %18.2f\n", kClientNames[i], cfg.count, rate[i],
             median(cpu, cfg.rounds), rate[i] / rate[CLIENT_MEMORY]);
    }
    printf("ouzel-durable / paho-file throughput: %.2f\n",
           rate[CLIENT_DURABLE] / rate[CLIENT_PAHO]);
    printf(
        "(medians over %d rounds; msgs/s from wall time until the last PUBACK; CPU = user + "
        "system time of the whole process)\n",
        cfg.rounds);
  }
  printf("durable_bench: %s in %.1f s\n", failures == 0 ? "done" : "FAILED",
         now_seconds() - started);
  free(payload);
  return failures == 0 ? 0 : 1;
}
