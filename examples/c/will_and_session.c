/* will_and_session: a Will message, and a persistent session that keeps messages for a client
 * while it is offline.
 *
 *   will_and_session mqtt://127.0.0.1:1883             # MQTT 5 (Session Expiry Interval)
 *   will_and_session mqtt://127.0.0.1:1883 --mqtt311   # MQTT 3.1.1 (Clean Session = 0)
 *
 * Two clients in one program, both driven from this thread by ouzel_client_loop():
 *   1. "monitor" subscribes to the device's status topic.
 *   2. "device" connects with a Will ("offline" on its status topic) and a persistent session,
 *      subscribes to its command topic at QoS 1, then dies without a DISCONNECT (ouzel_client_free
 *      closes the socket abruptly): the broker publishes the Will, and the monitor sees it.
 *   3. While the device is away, the monitor sends it a QoS 1 command. The broker keeps it in the
 *      device's session.
 *   4. The device comes back with the same client id and Clean Start = 0: the CONNACK says the
 *      session is present and the stored command is delivered.
 *   5. The device disconnects normally (no Will this time); with MQTT 5 it also sets the Session
 *      Expiry Interval to 0 in the DISCONNECT, so the broker forgets the session.
 * Exit status 0 when all of that happened, 1 otherwise; every wait is bounded.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

#define WAIT_SECONDS 10.0

struct peer {
  const char* name;
  int connected;
  int session_present;
  int failed;
  int subscribed;
  int received;
  int acknowledged;
  int disconnected;
  char last_topic[128];
  char last_payload[128];
};

static int32_t protocol = OUZEL_MQTT_V5;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ok(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "will_and_session: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

/* Loops both clients (either may be NULL) until *counter >= target. */
static int wait_for(ouzel_client* a, ouzel_client* b, const struct peer* watched,
                    const int* counter, int target, const char* what) {
  double deadline = now_seconds() + WAIT_SECONDS;
  while (*counter < target) {
    if (watched->failed) {
      fprintf(stderr, "will_and_session: %s failed while waiting for %s\n", watched->name, what);
      return 0;
    }
    if (now_seconds() > deadline) {
      fprintf(stderr, "will_and_session: timed out waiting for %s\n", what);
      return 0;
    }
    if (a != NULL) ouzel_client_loop(a, 20);
    if (b != NULL) ouzel_client_loop(b, 20);
  }
  return 1;
}

static void on_connect(ouzel_client* client, int32_t reason_code, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)reason_code;
  (void)props;
  printf("%s: connected, session present %d\n", p->name, (int)session_present);
  p->session_present = session_present;
  p->connected++;
}

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  fprintf(stderr, "will_and_session: %s could not connect: %s (reason code %d)\n", p->name,
          ouzel_strerror(error), (int)reason_code);
  p->failed = 1;
}

static void on_disconnect(ouzel_client* client, int32_t error, int32_t reason_code,
                          int32_t by_server, const ouzel_properties* props, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)reason_code;
  (void)by_server;
  (void)props;
  p->disconnected++;
  if (error != OUZEL_OK) {
    fprintf(stderr, "will_and_session: %s lost its connection: %s\n", p->name,
            ouzel_strerror(error));
    p->failed = 1;
  }
}

static void on_subscribe(ouzel_client* client, int32_t mid, const uint8_t* reason_codes,
                         size_t count, const ouzel_properties* props, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)mid;
  (void)props;
  if (count != 1 || reason_codes[0] >= 0x80) {
    fprintf(stderr, "will_and_session: %s's subscription was refused\n", p->name);
    p->failed = 1;
    return;
  }
  p->subscribed++;
}

static void on_message(ouzel_client* client, const ouzel_message* msg, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  size_t topic_len = 0;
  size_t payload_len = 0;
  const char* topic = ouzel_message_topic(msg, &topic_len);
  const char* payload = (const char*)ouzel_message_payload(msg, &payload_len);
  (void)client;
  printf("%s: received on %.*s: %.*s\n", p->name, (int)topic_len, topic, (int)payload_len, payload);
  snprintf(p->last_topic, sizeof p->last_topic, "%.*s", (int)topic_len, topic);
  snprintf(p->last_payload, sizeof p->last_payload, "%.*s", (int)payload_len, payload);
  p->received++;
}

static void on_publish(ouzel_client* client, uint64_t token, const ouzel_delivery_status* status,
                       const ouzel_properties* props, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)token;
  (void)props;
  if (status->state == OUZEL_DELIVERY_ACKNOWLEDGED) {
    p->acknowledged++;
  } else {
    p->failed = 1;
  }
}

static ouzel_client* make_client(const char* uri, const char* client_id, int persistent,
                                 const char* will_topic, struct peer* p) {
  ouzel_options* opts = NULL;
  ouzel_properties* props = NULL;
  ouzel_client* client = NULL;
  int good = ok(ouzel_options_new(&opts), "ouzel_options_new") &&
             ok(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX), "URI") &&
             ok(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, protocol), "protocol") &&
             ok(ouzel_options_set_string(opts, OUZEL_OPT_CLIENT_ID, client_id, SIZE_MAX), "id") &&
             ok(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect");
  if (good && persistent) {
    /* MQTT 3.1.1: Clean Session = 0 keeps the session until the client connects with 1.
     * MQTT 5: Clean Start = 0 resumes a session, and the Session Expiry Interval (seconds) says
     * how long the broker keeps it after the connection ends; 0 (the default) ends it at once. */
    good = ok(ouzel_options_set_int(opts, OUZEL_OPT_CLEAN_START, 0), "clean start");
    if (good && protocol == OUZEL_MQTT_V5) {
      good = ok(ouzel_properties_new(&props), "ouzel_properties_new") &&
             ok(ouzel_properties_set_int(props, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 300),
                "session expiry") &&
             ok(ouzel_options_set_connect_properties(opts, props), "connect properties");
    }
  }
  if (good && will_topic != NULL) {
    /* Published by the broker if this client's connection ends without a DISCONNECT. (Real
     * devices often make it retained, so that a monitor subscribing later still sees it.) */
    good = ok(ouzel_options_set_will(opts, will_topic, SIZE_MAX, "offline", 7, 1, 0, NULL), "will");
  }
  if (good) good = ok(ouzel_client_new(&client, opts), "ouzel_client_new");
  ouzel_properties_free(props);
  ouzel_options_free(opts);
  if (!good) return NULL;
  ouzel_client_set_on_connect(client, on_connect, p, NULL);
  ouzel_client_set_on_connect_fail(client, on_connect_fail, p, NULL);
  ouzel_client_set_on_disconnect(client, on_disconnect, p, NULL);
  ouzel_client_set_on_subscribe(client, on_subscribe, p, NULL);
  ouzel_client_set_on_message(client, on_message, p, NULL);
  ouzel_client_set_on_publish(client, on_publish, p, NULL);
  return client;
}

static int subscribe(ouzel_client* client, const char* filter, int32_t qos) {
  ouzel_subscription sub;
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = filter;
  sub.filter_len = SIZE_MAX;
  sub.qos = qos;
  return ok(ouzel_client_subscribe(client, &sub, 1, NULL, NULL), "ouzel_client_subscribe");
}

static int run(const char* uri) {
  struct peer mon;
  struct peer dev;
  ouzel_client* monitor = NULL;
  ouzel_client* device = NULL;
  ouzel_properties* bye = NULL;
  char suffix[40];
  char device_id[64];
  char monitor_id[64];
  char status_topic[96];
  char command_topic[96];
  int result = 0;

  memset(&mon, 0, sizeof mon);
  memset(&dev, 0, sizeof dev);
  mon.name = "monitor";
  dev.name = "device";
  snprintf(suffix, sizeof suffix, "%ld-%ld", (long)getpid(), (long)time(NULL));
  snprintf(device_id, sizeof device_id, "device-%s", suffix);
  snprintf(monitor_id, sizeof monitor_id, "monitor-%s", suffix);
  snprintf(status_topic, sizeof status_topic, "ouzel/devices/%s/status", device_id);
  snprintf(command_topic, sizeof command_topic, "ouzel/devices/%s/command", device_id);

  /* 1. The monitor watches the device's status. */
  monitor = make_client(uri, monitor_id, 0, NULL, &mon);
  if (monitor == NULL || !ok(ouzel_client_connect(monitor), "monitor connect") ||
      !wait_for(monitor, NULL, &mon, &mon.connected, 1, "the monitor's CONNACK") ||
      !subscribe(monitor, status_topic, 1) ||
      !wait_for(monitor, NULL, &mon, &mon.subscribed, 1, "the monitor's SUBACK")) {
    goto done;
  }

  /* 2. The device connects with a Will and a persistent session, subscribes, and dies. */
  device = make_client(uri, device_id, 1, status_topic, &dev);
  if (device == NULL || !ok(ouzel_client_connect(device), "device connect") ||
      !wait_for(device, monitor, &dev, &dev.connected, 1, "the device's CONNACK") ||
      !subscribe(device, command_topic, 1) ||
      !wait_for(device, monitor, &dev, &dev.subscribed, 1, "the device's SUBACK")) {
    goto done;
  }
  printf("device: closing its connection without DISCONNECT\n");
  ouzel_client_free(device);
  device = NULL;
  if (!wait_for(monitor, NULL, &mon, &mon.received, 1, "the Will")) goto done;
  if (strcmp(mon.last_topic, status_topic) != 0 || strcmp(mon.last_payload, "offline") != 0) {
    fprintf(stderr, "will_and_session: expected the Will, got %s: %s\n", mon.last_topic,
            mon.last_payload);
    goto done;
  }

  /* 3. A command for the device while it is offline: the broker keeps it in its session. */
  if (!ok(ouzel_client_publish(monitor, command_topic, SIZE_MAX, "reboot", 6, 1, 0, NULL, NULL,
                               NULL),
          "publish the command") ||
      !wait_for(monitor, NULL, &mon, &mon.acknowledged, 1, "the command's PUBACK")) {
    goto done;
  }

  /* 4. The device comes back (a new process would do the same) and resumes its session. */
  memset(&dev, 0, sizeof dev);
  dev.name = "device";
  device = make_client(uri, device_id, 1, status_topic, &dev);
  if (device == NULL || !ok(ouzel_client_connect(device), "device reconnect") ||
      !wait_for(device, monitor, &dev, &dev.connected, 1, "the device's second CONNACK")) {
    goto done;
  }
  if (!dev.session_present) {
    fprintf(stderr, "will_and_session: the broker did not keep the device's session\n");
    goto done;
  }
  if (!wait_for(device, monitor, &dev, &dev.received, 1, "the stored command")) goto done;
  if (strcmp(dev.last_payload, "reboot") != 0) {
    fprintf(stderr, "will_and_session: expected the command, got %s\n", dev.last_payload);
    goto done;
  }

  /* 5. A normal disconnect: no Will. With MQTT 5, Session Expiry 0 ends the session too. */
  if (protocol == OUZEL_MQTT_V5) {
    if (!ok(ouzel_properties_new(&bye), "ouzel_properties_new") ||
        !ok(ouzel_properties_set_int(bye, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 0), "expiry 0")) {
      goto done;
    }
  }
  if (!ok(ouzel_client_disconnect(device, 0, bye), "device disconnect") ||
      !wait_for(device, monitor, &dev, &dev.disconnected, 1, "the device's disconnection")) {
    goto done;
  }
  /* Give a (wrong) Will time to reach the monitor before checking that none came. */
  {
    double until = now_seconds() + 0.3;
    while (now_seconds() < until) ouzel_client_loop(monitor, 20);
  }
  if (!ok(ouzel_client_disconnect(monitor, 0, NULL), "monitor disconnect") ||
      !wait_for(monitor, NULL, &mon, &mon.disconnected, 1, "the monitor's disconnection")) {
    goto done;
  }
  if (mon.received != 1) {
    fprintf(stderr,
            "will_and_session: the monitor got %d messages; a clean disconnect sent a Will?\n",
            mon.received);
    goto done;
  }
  result = 1;

done:
  ouzel_properties_free(bye);
  ouzel_client_free(device);
  ouzel_client_free(monitor);
  return result;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[2], "--mqtt311") == 0) {
    protocol = OUZEL_MQTT_V311;
  } else if (argc != 2) {
    fprintf(stderr, "usage: %s mqtt://HOST:PORT [--mqtt311]\n", argv[0]);
    return 2;
  }
  if (!run(argv[1])) return 1;
  printf("will_and_session: OK\n");
  return 0;
}
