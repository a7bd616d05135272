/* A C99 host that loads libouzel.so as a plugin and drives a whole publish/subscribe against a
 * real broker through the ouzel_get_api table only: dlopen, one dlsym, connect, subscribe at
 * QoS 1, publish at QoS 1 a payload with NUL bytes in it, receive it back, disconnect, free,
 * dlclose. Run by dlopen_pubsub_test.cc, which starts the broker.
 *
 *   dlopen_pubsub path/to/libouzel.so <port> <protocol level 3|4|5>
 *
 * Exit status 0 and a last line "ok: ..." on success; otherwise a line saying what failed. Every
 * wait is bounded: at most kMaxIterations calls to client_loop of kSliceMs each per step. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ouzel.h"

enum { kSliceMs = 50, kMaxIterations = 200 };

static const char kTopic[] = "it/dlopen/echo";
static const char kPayload[] = "dl\0open\0\xff payload"; /* sizeof - 1 bytes, NULs included */

typedef struct {
  const ouzel_api* api;
  int connected;
  int session_present;
  int connect_failed;
  int connect_error;
  int suback_mid;
  int suback_code;
  int published;
  int publish_state;
  uint64_t publish_token;
  int received;
  int received_qos;
  int payload_matches;
  int topic_matches;
  int disconnected;
  int disconnect_error;
  int releases;
} state;

static void on_connect(ouzel_client* c, int32_t rc, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  state* s = (state*)user_data;
  (void)c;
  (void)props;
  if (rc == 0) s->connected++;
  s->session_present = session_present;
}

static void on_connect_fail(ouzel_client* c, int32_t error, int32_t rc, void* user_data) {
  state* s = (state*)user_data;
  (void)c;
  (void)rc;
  s->connect_failed++;
  s->connect_error = error;
}

static void on_subscribe(ouzel_client* c, int32_t mid, const uint8_t* codes, size_t count,
                         const ouzel_properties* props, void* user_data) {
  state* s = (state*)user_data;
  (void)c;
  (void)props;
  s->suback_mid = mid;
  s->suback_code = count == 1 ? codes[0] : -1;
}

static void on_publish(ouzel_client* c, uint64_t token, const ouzel_delivery_status* status,
                       const ouzel_properties* props, void* user_data) {
  state* s = (state*)user_data;
  (void)c;
  (void)props;
  s->published++;
  s->publish_token = token;
  s->publish_state = status->state;
}

static void on_message(ouzel_client* c, const ouzel_message* msg, void* user_data) {
  state* s = (state*)user_data;
  size_t topic_len = 0, payload_len = 0;
  const char* topic = s->api->message_topic(msg, &topic_len);
  const void* payload = s->api->message_payload(msg, &payload_len);
  (void)c;
  s->received++;
  s->received_qos = s->api->message_qos(msg);
  s->topic_matches =
      topic_len == sizeof(kTopic) - 1 && memcmp(topic, kTopic, sizeof(kTopic) - 1) == 0;
  s->payload_matches =
      payload_len == sizeof(kPayload) - 1 && memcmp(payload, kPayload, sizeof(kPayload) - 1) == 0;
}

static void on_disconnect(ouzel_client* c, int32_t error, int32_t rc, int32_t by_server,
                          const ouzel_properties* props, void* user_data) {
  state* s = (state*)user_data;
  (void)c;
  (void)rc;
  (void)by_server;
  (void)props;
  s->disconnected++;
  s->disconnect_error = error;
}

static void release(void* user_data) { ((state*)user_data)->releases++; }

/* Runs the client on this thread until *flag becomes non-zero. */
static int loop_until(const ouzel_api* api, ouzel_client* c, const int* flag, const char* what) {
  int i;
  for (i = 0; i < kMaxIterations && *flag == 0; ++i) api->client_loop(c, kSliceMs);
  if (*flag == 0) {
    printf("FAIL: timed out waiting for %s\n", what);
    return 0;
  }
  return 1;
}

#define CHECK(cond, ...)   \
  do {                     \
    if (!(cond)) {         \
      printf("FAIL: ");    \
      printf(__VA_ARGS__); \
      printf("\n");        \
      return 1;            \
    }                      \
  } while (0)

static int run(const ouzel_api* api, const char* port, int version) {
  state s;
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  ouzel_subscription sub;
  ouzel_delivery_status status;
  char uri[64];
  char client_id[32];
  int32_t sub_mid = 0, pub_mid = 0;
  uint64_t token = 0;
  int rc;

  memset(&s, 0, sizeof(s));
  s.api = api;
  snprintf(uri, sizeof(uri), "mqtt://127.0.0.1:%s", port);
  snprintf(client_id, sizeof(client_id), "dlopen-host-v%d", version);
  CHECK(api->options_new(&opts) == OUZEL_OK, "options_new");
  CHECK(api->options_set_string(opts, OUZEL_OPT_SERVER_URI, uri, (size_t)-1) == OUZEL_OK, "uri");
  CHECK(api->options_set_string(opts, OUZEL_OPT_CLIENT_ID, client_id, (size_t)-1) == OUZEL_OK,
        "client id");
  CHECK(api->options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, version) == OUZEL_OK,
        "protocol version %d: %s", version, api->last_error_message());
  CHECK(api->options_set_int(opts, OUZEL_OPT_RECONNECT, 0) == OUZEL_OK, "reconnect");
  CHECK(api->client_new(&client, opts) == OUZEL_OK, "client_new: %s", api->last_error_message());
  api->options_free(opts);

  api->client_set_on_connect(client, on_connect, &s, release);
  api->client_set_on_connect_fail(client, on_connect_fail, &s, release);
  api->client_set_on_subscribe(client, on_subscribe, &s, release);
  api->client_set_on_publish(client, on_publish, &s, release);
  api->client_set_on_message(client, on_message, &s, release);
  api->client_set_on_disconnect(client, on_disconnect, &s, release);

  CHECK(api->client_connect(client) == OUZEL_OK, "connect: %s", api->last_error_message());
  for (rc = 0; rc < kMaxIterations && s.connected == 0 && s.connect_failed == 0; ++rc) {
    api->client_loop(client, kSliceMs);
  }
  CHECK(s.connected == 1, "not connected (failures %d, error %s)", s.connect_failed,
        api->strerror(s.connect_error));
  CHECK(api->client_is_connected(client) == 1, "client_is_connected");

  CHECK(api->subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION) == OUZEL_OK, "subscription_init");
  sub.filter = kTopic;
  sub.filter_len = sizeof(kTopic) - 1;
  sub.qos = 1;
  CHECK(api->client_subscribe(client, &sub, 1, NULL, &sub_mid) == OUZEL_OK, "subscribe: %s",
        api->last_error_message());
  if (!loop_until(api, client, &s.suback_mid, "SUBACK")) return 1;
  CHECK(s.suback_mid == sub_mid && s.suback_code == 1, "SUBACK mid %d code %d", s.suback_mid,
        s.suback_code);

  CHECK(api->client_publish(client, kTopic, sizeof(kTopic) - 1, kPayload, sizeof(kPayload) - 1, 1,
                            0, NULL, &token, &pub_mid) == OUZEL_OK,
        "publish: %s", api->last_error_message());
  CHECK(pub_mid > 0, "a QoS 1 publish has a packet id");
  if (!loop_until(api, client, &s.received, "the message to come back")) return 1;
  if (!loop_until(api, client, &s.published, "PUBACK")) return 1;
  CHECK(s.received == 1 && s.received_qos == 1, "received %d at QoS %d", s.received,
        s.received_qos);
  CHECK(s.topic_matches && s.payload_matches, "topic or payload differ");
  CHECK(s.published == 1 && s.publish_token == token &&
            s.publish_state == OUZEL_DELIVERY_ACKNOWLEDGED,
        "on_publish: %d calls, state %d", s.published, s.publish_state);
  CHECK(api->delivery_status_init(&status, OUZEL_DELIVERY_STATUS_VERSION) == OUZEL_OK,
        "status init");
  CHECK(api->client_delivery_status(client, token, &status) == OUZEL_OK &&
            status.state == OUZEL_DELIVERY_ACKNOWLEDGED && status.mid == pub_mid,
        "delivery_status");

  CHECK(api->client_disconnect(client, 0, NULL) == OUZEL_OK, "disconnect: %s",
        api->last_error_message());
  if (!loop_until(api, client, &s.disconnected, "on_disconnect")) return 1;
  CHECK(s.disconnect_error == OUZEL_OK, "on_disconnect error %s",
        api->strerror(s.disconnect_error));
  api->client_free(client);
  CHECK(s.releases == 6, "%d release hooks ran, expected 6", s.releases);
  printf("ok: v%d connected, subscribed, published and received %u bytes at QoS 1, disconnected\n",
         version, (unsigned)(sizeof(kPayload) - 1));
  return 0;
}

int main(int argc, char** argv) {
  void* lib;
  ouzel_get_api_fn get_api;
  const ouzel_api* api;
  int rc;

  if (argc != 4) {
    fprintf(stderr, "usage: %s path/to/libouzel.so <port> <protocol level>\n", argv[0]);
    return 2;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    printf("FAIL: dlopen: %s\n", dlerror());
    return 1;
  }
  *(void**)(&get_api) = dlsym(lib, "ouzel_get_api");
  if (get_api == NULL) {
    printf("FAIL: dlsym(ouzel_get_api): %s\n", dlerror());
    return 1;
  }
  api = get_api(OUZEL_API_VERSION);
  if (api == NULL || api->api_size < sizeof(ouzel_api)) {
    printf("FAIL: no usable function table\n");
    return 1;
  }
  rc = run(api, argv[2], atoi(argv[3]));
  if (dlclose(lib) != 0) {
    printf("FAIL: dlclose: %s\n", dlerror());
    return 1;
  }
  return rc;
}
