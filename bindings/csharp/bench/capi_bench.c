/* The C API's side of scripts/bench-csharp: the C# benchmark's three measurements (Bench.cs) done
 * through libouzel directly, with the client in the same mode as the binding's (the event queue,
 * drained by a poller thread of the program's own), so the difference per message is the
 * binding's cost.
 *
 *   capi_bench URI QOS0_COUNT QOS1_COUNT RTT_COUNT PAYLOAD_BYTES
 *
 * Prints one line per measurement: "c <name> <messages> <seconds> <cpu_seconds> <extra>". */
#define _POSIX_C_SOURCE 200809L

#include <ouzel.h>
#include <ouzel/events.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench/c/bench_common.h"

#define BATCH 256

struct bench_client {
  ouzel_client* client;
  struct tracker tracker;
  pthread_t poller;
  atomic_int stop;
};

static void* poll_events(void* arg) {
  struct bench_client* b = arg;
  ouzel_event events[BATCH];
  ouzel_event_init(events, OUZEL_EVENT_VERSION);
  while (!atomic_load(&b->stop)) {
    int n = ouzel_client_poll_events(b->client, events, BATCH, -1);
    if (n < 0) break;
    for (int i = 0; i < n; ++i) {
      const ouzel_event* e = &events[i];
      if (e->type == OUZEL_EVENT_PUBLISH_DONE) {
        tracker_complete(&b->tracker, e->state == OUZEL_DELIVERY_ACKNOWLEDGED);
      } else if (e->type == OUZEL_EVENT_CONNECTED) {
        atomic_store(&b->tracker.connected, 1);
      } else if (e->type == OUZEL_EVENT_CONNECT_FAILED) {
        atomic_store(&b->tracker.connect_failed, 1);
      }
    }
    if (n > 0) ouzel_client_release_events(b->client, events, (size_t)n);
  }
  return NULL;
}

static int start(struct bench_client* b, const char* uri) {
  char id[64];
  snprintf(id, sizeof id, "ouzel-c-bench-%d", (int)getpid());
  ouzel_options* o;
  if (ouzel_options_new(&o) != OUZEL_OK) return 0;
  ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX);
  ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, id, SIZE_MAX);
  ouzel_options_set_int(o, OUZEL_OPT_EVENT_QUEUE, 1);
  int rc = ouzel_client_new(&b->client, o);
  ouzel_options_free(o);
  if (rc != OUZEL_OK) {
    fprintf(stderr, "capi_bench: ouzel_client_new: %s\n", ouzel_last_error_message());
    return 0;
  }
  tracker_init(&b->tracker);
  atomic_init(&b->stop, 0);
  pthread_create(&b->poller, NULL, poll_events, b);
  ouzel_client_loop_start(b->client);
  ouzel_client_connect(b->client);
  if (!tracker_wait_connected(&b->tracker, now_seconds() + 30)) {
    fprintf(stderr, "capi_bench: no connection to %s\n", uri);
    return 0;
  }
  return 1;
}

static void finish(struct bench_client* b) {
  ouzel_client_disconnect(b->client, 0, NULL);
  atomic_store(&b->stop, 1);
  ouzel_client_interrupt_poll(b->client);
  pthread_join(b->poller, NULL);
  ouzel_client_free(b->client);
  tracker_destroy(&b->tracker);
}

static double cpu_seconds(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}

static int publish(struct bench_client* b, const char* topic, const char* payload, size_t size,
                   int qos) {
  atomic_fetch_add(&b->tracker.published, 1);
  int rc = ouzel_client_publish(b->client, topic, strlen(topic), payload, size, qos, 0, NULL, NULL,
                                NULL);
  if (rc != OUZEL_OK) {
    fprintf(stderr, "capi_bench: publish: %s\n", ouzel_last_error_message());
    return 0;
  }
  return 1;
}

static int throughput(const char* uri, const char* name, int qos, long n, const char* payload,
                      size_t size) {
  struct bench_client b;
  if (!start(&b, uri)) return 0;
  const char* topic = "ouzel/bench/c";
  long warm = n < 2000 ? n : 2000;
  for (long i = 0; i < warm; ++i)
    if (!publish(&b, topic, payload, size, qos)) return 0;
  if (!tracker_wait(&b.tracker, 0, now_seconds() + 120)) return 0;
  double cpu0 = cpu_seconds(), t0 = now_seconds();
  for (long i = 0; i < n; ++i)
    if (!publish(&b, topic, payload, size, qos)) return 0;
  if (!tracker_wait(&b.tracker, 0, now_seconds() + 120)) {
    fprintf(stderr, "capi_bench: %s did not complete\n", name);
    return 0;
  }
  double wall = now_seconds() - t0, cpu = cpu_seconds() - cpu0;
  printf("c %s %ld %.6f %.6f -\n", name, n, wall, cpu);
  finish(&b);
  return 1;
}

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static int round_trip(const char* uri, long n, const char* payload, size_t size) {
  struct bench_client b;
  if (!start(&b, uri)) return 0;
  const char* topic = "ouzel/bench/c-rtt";
  for (long i = 0; i < (n < 200 ? n : 200); ++i) {
    if (!publish(&b, topic, payload, size, 1)) return 0;
    if (!tracker_wait(&b.tracker, 0, now_seconds() + 30)) return 0;
  }
  double* samples = malloc(sizeof(double) * (size_t)n);
  double cpu0 = cpu_seconds(), t0 = now_seconds();
  for (long i = 0; i < n; ++i) {
    double s = now_seconds();
    if (!publish(&b, topic, payload, size, 1)) return 0;
    if (!tracker_wait(&b.tracker, 0, now_seconds() + 30)) return 0;
    samples[i] = (now_seconds() - s) * 1e6;
  }
  double wall = now_seconds() - t0, cpu = cpu_seconds() - cpu0;
  qsort(samples, (size_t)n, sizeof(double), cmp_double);
  long p99 = (long)(n * 0.99);
  if (p99 >= n) p99 = n - 1;
  printf("c rtt %ld %.6f %.6f %.1f/%.1f\n", n, wall, cpu, samples[n / 2], samples[p99]);
  free(samples);
  finish(&b);
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: capi_bench URI QOS0_COUNT QOS1_COUNT RTT_COUNT PAYLOAD_BYTES\n");
    return 2;
  }
  const char* uri = argv[1];
  long qos0 = atol(argv[2]), qos1 = atol(argv[3]), rtt = atol(argv[4]);
  size_t size = (size_t)atol(argv[5]);
  char* payload = calloc(size + 1, 1);
  for (size_t i = 0; i < size; ++i) payload[i] = (char)i;
  int ok = 1;
  if (qos0 > 0) ok = ok && throughput(uri, "qos0", 0, qos0, payload, size);
  if (qos1 > 0) ok = ok && throughput(uri, "qos1", 1, qos1, payload, size);
  if (rtt > 0) ok = ok && round_trip(uri, rtt, payload, size);
  free(payload);
  return ok ? 0 : 1;
}
