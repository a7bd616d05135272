#define _POSIX_C_SOURCE 200809L

#include "bench/c/bench_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void tracker_init(struct tracker* t) {
  atomic_init(&t->completed, 0);
  atomic_init(&t->failed, 0);
  atomic_init(&t->published, 0);
  atomic_init(&t->wake_at_outstanding, 0);
  atomic_init(&t->waiting, 0);
  atomic_init(&t->connected, 0);
  atomic_init(&t->connect_failed, 0);
  pthread_mutex_init(&t->mutex, NULL);
  pthread_cond_init(&t->cond, NULL);
}

void tracker_destroy(struct tracker* t) {
  pthread_mutex_destroy(&t->mutex);
  pthread_cond_destroy(&t->cond);
}

void tracker_wake(struct tracker* t) {
  pthread_mutex_lock(&t->mutex);
  pthread_cond_broadcast(&t->cond);
  pthread_mutex_unlock(&t->mutex);
}

void tracker_complete(struct tracker* t, int success) {
  long done = atomic_fetch_add(&t->completed, 1) + 1;
  if (!success) atomic_fetch_add(&t->failed, 1);
  if (atomic_load(&t->waiting) &&
      atomic_load(&t->published) - done <= atomic_load(&t->wake_at_outstanding)) {
    tracker_wake(t);
  }
}

double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int tracker_wait(struct tracker* t, long outstanding, double deadline) {
  int good = 1;
  pthread_mutex_lock(&t->mutex);
  atomic_store(&t->wake_at_outstanding, outstanding);
  atomic_store(&t->waiting, 1);
  while (atomic_load(&t->published) - atomic_load(&t->completed) > outstanding) {
    struct timespec until;
    if (now_seconds() > deadline) {
      good = 0;
      break;
    }
    /* pthread_cond_timedwait takes CLOCK_REALTIME; a short slice keeps the bound simple. */
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 100 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec += 1;
      until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&t->cond, &t->mutex, &until);
  }
  atomic_store(&t->waiting, 0);
  pthread_mutex_unlock(&t->mutex);
  return good;
}

int tracker_wait_connected(struct tracker* t, double deadline) {
  while (!atomic_load(&t->connected)) {
    if (atomic_load(&t->connect_failed) || now_seconds() > deadline) return 0;
    struct timespec ms = {0, 1000 * 1000};
    nanosleep(&ms, NULL);
  }
  return 1;
}

static int compare_doubles(const void* a, const void* b) {
  double x = *(const double*)a;
  double y = *(const double*)b;
  return (x > y) - (x < y);
}

double median(const double* values, int n) {
  double* sorted = malloc((size_t)n * sizeof *values);
  if (sorted == NULL) abort();
  memcpy(sorted, values, (size_t)n * sizeof *values);
  qsort(sorted, (size_t)n, sizeof *sorted, compare_doubles);
  double m = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  free(sorted);
  return m;
}

int parse_long_arg(const char* program, const char* arg, const char* name, long min, long max,
                   long* out) {
  size_t len = strlen(name);
  char* end = NULL;
  long value;
  if (strncmp(arg, name, len) != 0 || arg[len] != '=') return 0;
  errno = 0;
  value = strtol(arg + len + 1, &end, 10);
  if (errno != 0 || *end != '\0' || value < min || value > max) {
    fprintf(stderr, "%s: %s must be between %ld and %ld\n", program, name, min, max);
    exit(2);
  }
  *out = value;
  return 1;
}

int parse_mqtt_uri(const char* uri, char* host, size_t host_size, int* port) {
  const char* rest;
  const char* colon;
  size_t host_len;
  if (strncmp(uri, "mqtt://", 7) != 0) return 0;
  rest = uri + 7;
  colon = strrchr(rest, ':');
  if (colon == NULL) return 0;
  host_len = (size_t)(colon - rest);
  if (host_len == 0 || host_len >= host_size) return 0;
  memcpy(host, rest, host_len);
  host[host_len] = '\0';
  *port = atoi(colon + 1);
  return *port > 0 && *port < 65536;
}
