/* The publishing child of tests/crash/publisher_crash_test: a small C program that uses only
 * ouzel.h, keeps its session in a persistence directory, and publishes numbered QoS 1 and QoS 2
 * messages until it is killed (SIGKILL, at a random moment) or reaches its limit.
 *
 *   crash_publisher <port> <persistence dir> <state file> <limit> <incarnation> <version> <sync>
 *                   [<payload bytes> <compact min bytes>]
 *
 * Message k goes to <topic prefix>/q1 at QoS 1 when k is even, to .../q2 at QoS 2 when k is odd,
 * with the payload "k:incarnation", padded to <payload bytes> as "k:incarnation:xxx..." when that
 * is larger: big payloads and a small OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES make the store
 * compact its log many times between kills (issue 10). The store's compactions so far, summed over
 * incarnations, are kept in "<state file>.compactions" for the harness. The state file holds the
 * next k to publish. It is written only after ouzel_client_publish returned OUZEL_OK for k, which
 * with a store means the message is durably queued: a kill after that point loses nothing, and one
 * between the publish and the state write makes the next incarnation publish k again, as a new
 * message with its own incarnation number (the harness tells those apart from library duplicates).
 *
 * Once `limit` is reached it waits until every message is acknowledged, disconnects and exits 0.
 * Exit codes: 0 done, 2 bad arguments, 3 an Ouzel call failed (stderr says which), 4 the state
 * file failed, 5 timed out waiting for acknowledgements.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

#define TOPIC_PREFIX "crash"
/* How many messages may wait unacknowledged before publishing pauses (keeps the store small). */
#define MAX_OUTSTANDING 200
/* Pause between messages: a stream spread over time, so kills land in the middle of it. */
#define PACE_MICROS 250

static void sleep_micros(long us) {
  struct timespec ts;
  ts.tv_sec = us / 1000000;
  ts.tv_nsec = (us % 1000000) * 1000;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void die(const char* what, int rc) {
  fprintf(stderr, "crash_publisher: %s: %d (%s) %s\n", what, rc, ouzel_strerror(rc),
          ouzel_last_error_message());
  exit(3);
}

static void check(int rc, const char* what) {
  if (rc != OUZEL_OK) die(what, rc);
}

/* The state is one fixed-width line written in place with one pwrite: a SIGKILL cannot tear a
 * single small write into the page cache, so the file always holds either the old or the new
 * number. (SIGKILL does not lose written data; an OS crash is not what this harness simulates.) */
static int64_t read_state(int fd) {
  char buf[32] = {0};
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return 0;
  return strtoll(buf, NULL, 10);
}

static void write_state(int fd, int64_t next) {
  char buf[24];
  int len = snprintf(buf, sizeof(buf), "%019" PRId64 "\n", next);
  if (pwrite(fd, buf, (size_t)len, 0) != len) {
    perror("crash_publisher: state file");
    exit(4);
  }
}

static int64_t outstanding(const ouzel_client* c) {
  int64_t queued = 0, inflight = 0;
  check(ouzel_client_stat(c, OUZEL_STAT_QUEUED, &queued), "stat queued");
  check(ouzel_client_stat(c, OUZEL_STAT_INFLIGHT, &inflight), "stat inflight");
  return queued + inflight;
}

int main(int argc, char** argv) {
  if (argc != 8 && argc != 10) {
    fprintf(stderr,
            "usage: crash_publisher <port> <dir> <state file> <limit> <incarnation> <version> "
            "<sync> [<payload bytes> <compact min bytes>]\n");
    return 2;
  }
  const size_t payload_bytes = argc == 10 ? (size_t)strtoull(argv[8], NULL, 10) : 0;
  const int64_t compact_min_bytes = argc == 10 ? strtoll(argv[9], NULL, 10) : 0;
  const char* port = argv[1];
  const char* dir = argv[2];
  const char* state_path = argv[3];
  const int64_t limit = strtoll(argv[4], NULL, 10);
  const int incarnation = atoi(argv[5]);
  const int version = atoi(argv[6]);
  const int sync = atoi(argv[7]);

  int state_fd = open(state_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (state_fd < 0) {
    perror("crash_publisher: open state file");
    return 4;
  }
  int64_t next = read_state(state_fd);
  char compactions_path[4096];
  snprintf(compactions_path, sizeof(compactions_path), "%s.compactions", state_path);
  int compactions_fd = open(compactions_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (compactions_fd < 0) {
    perror("crash_publisher: open compactions file");
    return 4;
  }
  const int64_t earlier_compactions = read_state(compactions_fd);
  int64_t compactions = 0;

  ouzel_options* o = NULL;
  check(ouzel_options_new(&o), "options_new");
  char uri[64];
  snprintf(uri, sizeof(uri), "mqtt://127.0.0.1:%s", port);
  check(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX), "uri");
  check(ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, "crash-publisher", SIZE_MAX), "id");
  check(ouzel_options_set_int(o, OUZEL_OPT_PROTOCOL_VERSION, version), "version");
  check(ouzel_options_set_int(o, OUZEL_OPT_CLEAN_START, 0), "clean start");
  if (version == OUZEL_MQTT_V5) {
    ouzel_properties* p = NULL;
    check(ouzel_properties_new(&p), "properties_new");
    check(ouzel_properties_set_int(p, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 3600), "expiry");
    check(ouzel_options_set_connect_properties(o, p), "connect properties");
    ouzel_properties_free(p);
  }
  check(ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MIN_DELAY_MS, 20), "reconnect min");
  check(ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MAX_DELAY_MS, 200), "reconnect max");
  check(ouzel_options_set_string(o, OUZEL_OPT_PERSISTENCE_DIR, dir, SIZE_MAX), "dir");
  check(ouzel_options_set_int(o, OUZEL_OPT_PERSISTENCE_SYNC, sync), "sync");
  check(ouzel_options_set_int(o, OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS, 20), "sync interval");
  if (compact_min_bytes > 0) {
    check(ouzel_options_set_int(o, OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES, compact_min_bytes),
          "compact min bytes");
  }

  ouzel_client* c = NULL;
  check(ouzel_client_new(&c, o), "client_new");
  ouzel_options_free(o);
  ouzel_persistence_report report;
  check(ouzel_persistence_report_init(&report, OUZEL_PERSISTENCE_REPORT_VERSION), "report init");
  check(ouzel_client_persistence_report(c, &report), "report");
  /* One line per start, for the harness's log: where this incarnation resumes. */
  fprintf(stderr, "crash_publisher %d: next %" PRId64 "; %s\n", incarnation, next, report.summary);

  check(ouzel_client_loop_start(c), "loop_start");
  check(ouzel_client_connect(c), "connect");

  char* payload = malloc(payload_bytes + 48);
  if (payload == NULL) die("malloc", OUZEL_ENOMEM);
  for (; next < limit; ++next) {
    while (outstanding(c) >= MAX_OUTSTANDING) sleep_micros(1000);
    const int qos = (next % 2 == 0) ? 1 : 2;
    const char* topic = qos == 1 ? TOPIC_PREFIX "/q1" : TOPIC_PREFIX "/q2";
    int len = snprintf(payload, 48, "%" PRId64 ":%d", next, incarnation);
    if ((size_t)len < payload_bytes) {
      payload[len] = ':';
      memset(payload + len + 1, 'x', payload_bytes - (size_t)len - 1);
      len = (int)payload_bytes;
    }
    int rc;
    while ((rc = ouzel_client_publish(c, topic, SIZE_MAX, payload, (size_t)len, qos, 0, NULL, NULL,
                                      NULL)) == OUZEL_EQUEUEFULL) {
      sleep_micros(1000);
    }
    if (rc != OUZEL_OK) die("publish", rc);
    write_state(state_fd, next + 1); /* only now is `next` counted as sent */
    int64_t now_compactions = 0;
    check(ouzel_client_stat(c, OUZEL_STAT_STORE_COMPACTIONS, &now_compactions), "stat");
    if (now_compactions != compactions) {
      compactions = now_compactions;
      write_state(compactions_fd, earlier_compactions + compactions);
    }
    sleep_micros(PACE_MICROS);
  }

  /* Done: wait (bounded) until the broker acknowledged everything, then leave cleanly. */
  int waited_ms = 0;
  while (outstanding(c) > 0) {
    if (waited_ms >= 120000) {
      fprintf(stderr, "crash_publisher: %" PRId64 " messages still unacknowledged after 120 s\n",
              outstanding(c));
      return 5;
    }
    sleep_micros(10000);
    waited_ms += 10;
  }
  ouzel_client_disconnect(c, 0, NULL);
  ouzel_client_loop_stop(c);
  ouzel_client_free(c);
  close(state_fd);
  close(compactions_fd);
  free(payload);
  return 0;
}
