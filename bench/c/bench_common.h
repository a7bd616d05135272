/* What the C benchmarks share: completion tracking between the publishing thread and a client
 * library's callback thread, the monotonic clock, and medians. */
#ifndef OUZEL_BENCH_C_BENCH_COMMON_H
#define OUZEL_BENCH_C_BENCH_COMMON_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* The publisher and the library thread meet here. `completed` is bumped by the library's
 * completion callback; the publisher sleeps only when it has `window` messages outstanding, and
 * the callback takes the mutex only when the publisher is asleep and enough has completed. */
struct tracker {
  atomic_long completed;
  atomic_long failed;
  atomic_long published;
  atomic_long wake_at_outstanding; /* the publisher sleeps until outstanding <= this */
  atomic_int waiting;
  atomic_int connected;
  atomic_int connect_failed;
  pthread_mutex_t mutex;
  pthread_cond_t cond;
};

void tracker_init(struct tracker* t);
void tracker_destroy(struct tracker* t);
/* Wakes the publisher (e.g. when the connection failed and it should stop waiting). */
void tracker_wake(struct tracker* t);
/* Called on the library's thread for every finished message. */
void tracker_complete(struct tracker* t, int success);
/* Sleeps until at most `outstanding` messages are unfinished, or until `deadline` (then 0). */
int tracker_wait(struct tracker* t, long outstanding, double deadline);
/* Waits for `connected` (1) or `connect_failed` / the deadline (0). */
int tracker_wait_connected(struct tracker* t, double deadline);

/* Command-line helpers. `program` prefixes error messages.
 * parse_long_arg: when `arg` is `name=VALUE`, stores VALUE in *out and returns 1, or exits with
 * status 2 when VALUE is not an integer in [min, max]; returns 0 for any other argument. */
int parse_long_arg(const char* program, const char* arg, const char* name, long min, long max,
                   long* out);
/* Splits mqtt://HOST:PORT; 0 when `uri` is not of that form or HOST does not fit in host_size. */
int parse_mqtt_uri(const char* uri, char* host, size_t host_size, int* port);

/* CLOCK_MONOTONIC in seconds. */
double now_seconds(void);
/* The median of n values (n >= 1); `values` is left as it was. */
double median(const double* values, int n);

#endif /* OUZEL_BENCH_C_BENCH_COMMON_H */
