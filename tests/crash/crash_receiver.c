/* The receiving child of tests/crash/receiver_crash_test: a small C program that uses only
 * ouzel.h, keeps its session in a persistence directory, and records every message it is given.
 *
 *   crash_receiver <port> <persistence dir> <delivery file> <mode> <version>
 *
 * mode "manual": QoS 2 messages are delivered on PUBLISH and acknowledged by the program
 *   (OUZEL_OPT_MANUAL_ACK) only after the delivery is recorded and synced.
 * mode "pubrel": QoS 2 messages are held until PUBREL (OUZEL_QOS2_DELIVERY_ON_PUBREL) and recorded
 *   when delivered.
 * Each delivery appends "<payload>\n" to the delivery file and fdatasyncs it. The program runs
 * until it is killed (at most 120 s). Exit codes: 2 bad arguments, 3 an Ouzel call failed,
 * 4 the delivery file failed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

static int g_delivery_fd = -1;
static int g_manual = 0;

static void check(int rc, const char* what) {
  if (rc != OUZEL_OK) {
    fprintf(stderr, "crash_receiver: %s: %d (%s) %s\n", what, rc, ouzel_strerror(rc),
            ouzel_last_error_message());
    exit(3);
  }
}

static void on_message(ouzel_client* c, const ouzel_message* msg, void* user_data) {
  (void)user_data;
  size_t len = 0;
  const char* payload = (const char*)ouzel_message_payload(msg, &len);
  char line[256];
  if (len > sizeof(line) - 1) len = sizeof(line) - 1;
  memcpy(line, payload, len);
  line[len] = '\n';
  if (write(g_delivery_fd, line, len + 1) != (ssize_t)(len + 1) || fdatasync(g_delivery_fd) != 0) {
    perror("crash_receiver: delivery file");
    exit(4);
  }
  /* Only a recorded delivery is acknowledged. */
  if (g_manual && ouzel_message_qos(msg) > 0)
    check(ouzel_client_ack(c, ouzel_message_mid(msg)), "ack");
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr,
            "usage: crash_receiver <port> <dir> <delivery file> <manual|pubrel> <version>\n");
    return 2;
  }
  const int version = atoi(argv[5]);
  g_manual = strcmp(argv[4], "manual") == 0;
  if (!g_manual && strcmp(argv[4], "pubrel") != 0) {
    fprintf(stderr, "crash_receiver: unknown mode %s\n", argv[4]);
    return 2;
  }
  g_delivery_fd = open(argv[3], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (g_delivery_fd < 0) {
    perror("crash_receiver: open delivery file");
    return 4;
  }

  ouzel_options* o = NULL;
  check(ouzel_options_new(&o), "options_new");
  char uri[64];
  snprintf(uri, sizeof(uri), "mqtt://127.0.0.1:%s", argv[1]);
  check(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX), "uri");
  check(ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, "crash-receiver", SIZE_MAX), "id");
  check(ouzel_options_set_int(o, OUZEL_OPT_PROTOCOL_VERSION, version), "version");
  check(ouzel_options_set_int(o, OUZEL_OPT_CLEAN_START, 0), "clean start");
  if (version == OUZEL_MQTT_V5) {
    ouzel_properties* p = NULL;
    check(ouzel_properties_new(&p), "properties_new");
    check(ouzel_properties_set_int(p, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 3600), "expiry");
    check(ouzel_options_set_connect_properties(o, p), "connect properties");
    ouzel_properties_free(p);
  }
  if (g_manual) {
    check(ouzel_options_set_int(o, OUZEL_OPT_MANUAL_ACK, 1), "manual ack");
  } else {
    check(ouzel_options_set_int(o, OUZEL_OPT_QOS2_DELIVERY, OUZEL_QOS2_DELIVERY_ON_PUBREL),
          "qos2 delivery");
  }
  check(ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MIN_DELAY_MS, 20), "reconnect min");
  check(ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MAX_DELAY_MS, 200), "reconnect max");
  check(ouzel_options_set_string(o, OUZEL_OPT_PERSISTENCE_DIR, argv[2], SIZE_MAX), "dir");

  ouzel_client* c = NULL;
  check(ouzel_client_new(&c, o), "client_new");
  ouzel_options_free(o);
  ouzel_persistence_report report;
  check(ouzel_persistence_report_init(&report, OUZEL_PERSISTENCE_REPORT_VERSION), "report init");
  check(ouzel_client_persistence_report(c, &report), "report");
  fprintf(stderr, "crash_receiver: %s\n", report.summary);
  check(ouzel_client_set_on_message(c, on_message, NULL, NULL), "on_message");
  check(ouzel_client_loop_start(c), "loop_start");
  check(ouzel_client_connect(c), "connect");
  for (int i = 0; i < 1200; ++i) {
    struct timespec ts = {0, 100 * 1000 * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
  }
  fprintf(stderr, "crash_receiver: not killed within 120 s\n");
  ouzel_client_free(c);
  return 0;
}
