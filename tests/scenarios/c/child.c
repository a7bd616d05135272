/* The processes S05 and S21 kill, as a C program: each prints "ready" once it is, then waits at
 * most a minute for the SIGKILL (so a test that dies cannot leave it behind).
 *
 *   child will URI TOPIC                     connects with a Will, then waits
 *   child queue URI CLIENT_ID DIR TOPIC N    queues N QoS 1 messages in a durable session
 *                                            (never connecting), then waits
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

static int check(int rc, const char* what) {
  if (rc != OUZEL_OK) {
    fprintf(stderr, "child: %s: %s (%s)\n", what, ouzel_strerror(rc), ouzel_last_error_message());
    exit(1);
  }
  return rc;
}

static void will(ouzel_options* o, const char* topic) {
  static const char goodbye[] = "lost without a goodbye";
  ouzel_client* client = NULL;
  int i;
  check(ouzel_options_set_will(o, topic, SIZE_MAX, goodbye, strlen(goodbye), 1, 0, NULL), "will");
  check(ouzel_client_new(&client, o), "ouzel_client_new");
  check(ouzel_client_connect(client), "connect");
  check(ouzel_client_loop_start(client), "loop_start");
  for (i = 0; i < 2000 && !ouzel_client_is_connected(client); ++i) { /* at most 20 s */
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
  }
  if (!ouzel_client_is_connected(client)) {
    fprintf(stderr, "child: no CONNACK\n");
    exit(1);
  }
  /* Never freed: the process is killed with the connection up. */
}

static void queue(ouzel_options* o, const char* client_id, const char* dir, const char* topic,
                  int count) {
  ouzel_client* client = NULL;
  int i;
  check(ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, client_id, SIZE_MAX), "client id");
  check(ouzel_options_set_int(o, OUZEL_OPT_CLEAN_START, 0), "clean start");
  check(ouzel_options_set_string(o, OUZEL_OPT_PERSISTENCE_DIR, dir, SIZE_MAX), "persistence");
  check(ouzel_client_new(&client, o), "ouzel_client_new");
  for (i = 0; i < count; ++i) {
    char payload[32];
    int len = snprintf(payload, sizeof payload, "durable %d", i);
    /* Offline, QoS 1: OUZEL_OK means the message is in the session file. */
    check(
        ouzel_client_publish(client, topic, SIZE_MAX, payload, (size_t)len, 1, 0, NULL, NULL, NULL),
        "publish");
  }
}

int main(int argc, char** argv) {
  ouzel_options* o = NULL;
  check(ouzel_options_new(&o), "ouzel_options_new");
  if (argc == 4 && strcmp(argv[1], "will") == 0) {
    check(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, argv[2], SIZE_MAX), "uri");
    will(o, argv[3]);
  } else if (argc == 7 && strcmp(argv[1], "queue") == 0) {
    check(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, argv[2], SIZE_MAX), "uri");
    queue(o, argv[3], argv[4], argv[5], atoi(argv[6]));
  } else {
    fprintf(stderr, "usage: child will URI TOPIC | child queue URI CLIENT_ID DIR TOPIC N\n");
    return 2;
  }
  printf("ready\n");
  fflush(stdout);
  sleep(60);
  return 0;
}
