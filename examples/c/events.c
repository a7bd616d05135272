/* events: take the client's events in batches on your own thread instead of callbacks.
 *
 *   events mqtt://127.0.0.1:1883
 *
 * With OUZEL_OPT_EVENT_QUEUE the library's loop thread (ouzel_client_loop_start) never runs
 * application code: it queues events, and this program's main thread drains them, waiting on the
 * event descriptor with poll() as an event loop would (ouzel_client_poll_events can also block by
 * itself). Each batch is released in one call, which frees it and acknowledges its QoS 1
 * messages, so a crash before the release acknowledges nothing.
 *
 *   1. Connect, subscribe to a topic at QoS 1 and publish COUNT numbered QoS 1 messages to it.
 *   2. Drain: every PUBLISH_DONE must say "acknowledged", every MESSAGE must come in order. The
 *      handler "fails" on the last message: its ack_on_release is set to 0 before the release,
 *      and the program acknowledges it later with ouzel_client_ack.
 *   3. Report how many wake-ups the COUNT completions and COUNT messages took (bursts of
 *      acknowledgements read together come as one batch), disconnect, free.
 * Exit status 0 when that is what happened, 1 otherwise; every wait is bounded.
 */
#define _POSIX_C_SOURCE 200809L

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

#define COUNT 2000
#define BATCH 256
#define WAIT_SECONDS 20.0

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ok(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "events: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

struct tally {
  int connected;
  int subscribed;
  int completed; /* PUBLISH_DONE, acknowledged */
  int received;  /* MESSAGE, in order */
  int disconnected;
  int wakeups;
  int withheld_mid; /* the message whose handler "failed" */
  int errors;
};

/* Handles one event; returns 0 when it is not what this program expects. */
static int handle(ouzel_event* e, struct tally* t) {
  switch (e->type) {
    case OUZEL_EVENT_CONNECTED:
      t->connected++;
      return 1;
    case OUZEL_EVENT_CONNECT_FAILED:
      fprintf(stderr, "events: connect failed: %.*s\n", (int)e->text_len, e->text);
      return 0;
    case OUZEL_EVENT_SUBSCRIBE_DONE:
      t->subscribed++;
      return e->reason_code_count == 1 && e->reason_codes[0] == 1;
    case OUZEL_EVENT_PUBLISH_DONE:
      if (e->state != OUZEL_DELIVERY_ACKNOWLEDGED) return 0;
      t->completed++;
      return 1;
    case OUZEL_EVENT_MESSAGE: {
      char expected[32];
      int n = snprintf(expected, sizeof expected, "message %d", t->received);
      if (e->payload_len != (size_t)n || memcmp(e->payload, expected, (size_t)n) != 0) {
        fprintf(stderr, "events: expected '%s', got '%.*s'\n", expected, (int)e->payload_len,
                (const char*)e->payload);
        return 0;
      }
      if (t->received == COUNT - 1) {
        /* The handler failed: no acknowledgement when released (acknowledged below). The last
         * message, because acknowledgements leave in arrival order: those of later messages
         * would wait behind it, and the broker stops sending once its window is full. */
        e->ack_on_release = 0;
        t->withheld_mid = e->mid;
      }
      t->received++;
      return 1;
    }
    case OUZEL_EVENT_DISCONNECTED:
      t->disconnected++;
      return 1;
    default:
      return 1;
  }
}

/* Waits on the event descriptor until `*counter` reaches `target`, draining every batch. */
static int drain_until(ouzel_client* c, struct tally* t, const int* counter, int target,
                       const char* what) {
  ouzel_event batch[BATCH];
  struct pollfd p;
  double deadline = now_seconds() + WAIT_SECONDS;
  ouzel_event_init(batch, OUZEL_EVENT_VERSION);
  p.fd = ouzel_client_event_fd(c);
  p.events = POLLIN;
  while (*counter < target) {
    int n;
    int i;
    if (now_seconds() > deadline) {
      fprintf(stderr, "events: timed out waiting for %s (%d of %d)\n", what, *counter, target);
      return 0;
    }
    if (poll(&p, 1, 100) <= 0) continue;
    t->wakeups++;
    /* Readable until the last waiting event is taken: drain without waiting. */
    while ((n = ouzel_client_poll_events(c, batch, BATCH, 0)) > 0) {
      for (i = 0; i < n; ++i) {
        if (!handle(&batch[i], t)) t->errors++;
      }
      if (!ok(ouzel_client_release_events(c, batch, (size_t)n), "release")) return 0;
    }
    if (n < 0) return ok(n, "poll events");
  }
  return t->errors == 0;
}

int main(int argc, char** argv) {
  ouzel_options* opts = NULL;
  ouzel_client* c = NULL;
  ouzel_subscription sub;
  struct tally t;
  char topic[64];
  char id[64];
  int i;
  int status = 1;
  if (argc < 2) {
    fprintf(stderr, "usage: events BROKER_URI\n");
    return 2;
  }
  memset(&t, 0, sizeof t);
  snprintf(id, sizeof id, "events-%ld", (long)getpid());
  snprintf(topic, sizeof topic, "ouzel/examples/events/%ld/%ld", (long)getpid(), (long)time(NULL));

  if (!ok(ouzel_options_new(&opts), "options")) return 1;
  ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, argv[1], SIZE_MAX);
  ouzel_options_set_string(opts, OUZEL_OPT_CLIENT_ID, id, SIZE_MAX);
  ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, OUZEL_MQTT_V5);
  ouzel_options_set_int(opts, OUZEL_OPT_EVENT_QUEUE, 1);
  /* Back-pressure: at most 1,000 messages taken and not released before reading pauses. */
  ouzel_options_set_int(opts, OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, 1000);
  ouzel_options_set_int(opts, OUZEL_OPT_MAX_INFLIGHT, 100);
  if (!ok(ouzel_client_new(&c, opts), "client")) goto done;

  if (!ok(ouzel_client_loop_start(c), "loop start") || !ok(ouzel_client_connect(c), "connect") ||
      !drain_until(c, &t, &t.connected, 1, "CONNACK")) {
    goto done;
  }
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = topic;
  sub.qos = 1;
  if (!ok(ouzel_client_subscribe(c, &sub, 1, NULL, NULL), "subscribe") ||
      !drain_until(c, &t, &t.subscribed, 1, "SUBACK")) {
    goto done;
  }
  for (i = 0; i < COUNT; ++i) {
    char payload[32];
    int n = snprintf(payload, sizeof payload, "message %d", i);
    if (!ok(ouzel_client_publish(c, topic, strlen(topic), payload, (size_t)n, 1, 0, NULL, NULL,
                                 NULL),
            "publish")) {
      goto done;
    }
  }
  t.wakeups = 0;
  if (!drain_until(c, &t, &t.completed, COUNT, "acknowledgements") ||
      !drain_until(c, &t, &t.received, COUNT, "messages")) {
    goto done;
  }
  printf("events: %d publishes acknowledged and %d messages received in %d wake-ups\n", t.completed,
         t.received, t.wakeups);
  /* The failed handler's message, acknowledged now (until then a reconnection would have brought
   * it back). */
  if (!ok(ouzel_client_ack(c, t.withheld_mid), "ack")) goto done;
  if (!ok(ouzel_client_disconnect(c, 0, NULL), "disconnect") ||
      !drain_until(c, &t, &t.disconnected, 1, "the disconnection")) {
    goto done;
  }
  status = 0;
done:
  ouzel_client_free(c);
  ouzel_options_free(opts);
  return status;
}
