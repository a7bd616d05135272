/* mqtt5_properties: request/response over MQTT 5 with Response Topic and Correlation Data, and
 * user properties on the way.
 *
 *   mqtt5_properties mqtt://127.0.0.1:1883
 *
 * Two clients in one program, driven from this thread by ouzel_client_loop():
 *   - "service" subscribes to a request topic. For each request it reads the Response Topic and
 *     the Correlation Data, and publishes a reply there with the same Correlation Data and a user
 *     property of its own. It publishes from inside its on_message callback, which is allowed.
 *   - "requester" subscribes to a response topic of its own, then sends three requests, each with
 *     a Response Topic, distinct Correlation Data, a Content Type and user properties. It matches
 *     every reply to its request by the Correlation Data.
 * Exit status 0 when each request got its reply, 1 otherwise; every wait is bounded.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ouzel.h"

#define REQUESTS 3
#define WAIT_SECONDS 10.0

struct peer {
  const char* name;
  int connected;
  int failed;
  int subscribed;
  int disconnected;
  int handled;                /* service: requests answered */
  int answered[REQUESTS + 1]; /* requester: replies matched, by request number */
  int replies;
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ok(int rc, const char* what) {
  if (rc == OUZEL_OK) return 1;
  fprintf(stderr, "mqtt5_properties: %s failed: %s (%s)\n", what, ouzel_strerror(rc),
          ouzel_last_error_message());
  return 0;
}

static int wait_for(ouzel_client* a, ouzel_client* b, const struct peer* pa, const struct peer* pb,
                    const int* counter, int target, const char* what) {
  double deadline = now_seconds() + WAIT_SECONDS;
  while (*counter < target) {
    if (pa->failed || (pb != NULL && pb->failed)) {
      fprintf(stderr, "mqtt5_properties: a client failed while waiting for %s\n", what);
      return 0;
    }
    if (now_seconds() > deadline) {
      fprintf(stderr, "mqtt5_properties: timed out waiting for %s\n", what);
      return 0;
    }
    ouzel_client_loop(a, 20);
    if (b != NULL) ouzel_client_loop(b, 20);
  }
  return 1;
}

/* Prints every User Property of a message's property list. */
static void print_user_properties(const char* who, const ouzel_properties* props) {
  size_t i;
  for (i = 0; i < ouzel_properties_count(props); ++i) {
    const char* name;
    const char* value;
    size_t name_len;
    size_t value_len;
    if (ouzel_properties_id_at(props, i) != OUZEL_PROP_USER_PROPERTY) continue;
    if (ouzel_properties_user_at(props, i, &name, &name_len, &value, &value_len) == OUZEL_OK) {
      printf("%s:   user property %.*s=%.*s\n", who, (int)name_len, name, (int)value_len, value);
    }
  }
}

/* The service: answer each request on its Response Topic, echoing its Correlation Data. */
static void service_on_message(ouzel_client* client, const ouzel_message* msg, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  const ouzel_properties* props = ouzel_message_properties(msg);
  const char* response_topic;
  const char* correlation;
  const char* payload;
  size_t response_topic_len;
  size_t correlation_len;
  size_t payload_len;
  ouzel_properties* reply = NULL;
  char answer[64];
  int answer_len;

  payload = (const char*)ouzel_message_payload(msg, &payload_len);
  if (ouzel_properties_get_bytes(props, OUZEL_PROP_RESPONSE_TOPIC, &response_topic,
                                 &response_topic_len) != OUZEL_OK) {
    fprintf(stderr, "mqtt5_properties: a request without a Response Topic\n");
    p->failed = 1;
    return;
  }
  /* Correlation Data is binary and optional; an absent one is echoed as absent. */
  if (ouzel_properties_get_bytes(props, OUZEL_PROP_CORRELATION_DATA, &correlation,
                                 &correlation_len) != OUZEL_OK) {
    correlation = NULL;
    correlation_len = 0;
  }
  printf("service: request \"%.*s\", reply to %.*s\n", (int)payload_len, payload,
         (int)response_topic_len, response_topic);
  print_user_properties("service", props);

  answer_len = snprintf(answer, sizeof answer, "answer to %.*s", (int)payload_len, payload);
  if (!ok(ouzel_properties_new(&reply), "ouzel_properties_new") ||
      (correlation != NULL && !ok(ouzel_properties_set_binary(reply, OUZEL_PROP_CORRELATION_DATA,
                                                              correlation, correlation_len),
                                  "correlation data")) ||
      !ok(ouzel_properties_add_user(reply, "served-by", SIZE_MAX, "ouzel-example", SIZE_MAX),
          "user property") ||
      /* The response topic is borrowed from `msg`, valid in this callback; publish copies it. */
      !ok(ouzel_client_publish(client, response_topic, response_topic_len, answer,
                               (size_t)answer_len, 1, 0, reply, NULL, NULL),
          "publish the reply")) {
    p->failed = 1;
  } else {
    p->handled++;
  }
  ouzel_properties_free(reply);
}

/* The requester: match the reply to its request by Correlation Data ("request-<n>"). */
static void requester_on_message(ouzel_client* client, const ouzel_message* msg, void* user_data) {
  struct peer* p = (struct peer*)user_data;
  const ouzel_properties* props = ouzel_message_properties(msg);
  const char* correlation;
  const char* payload;
  size_t correlation_len;
  size_t payload_len;
  int n = 0;
  char got[32];
  char expected[32];
  (void)client;

  payload = (const char*)ouzel_message_payload(msg, &payload_len);
  if (ouzel_properties_get_bytes(props, OUZEL_PROP_CORRELATION_DATA, &correlation,
                                 &correlation_len) != OUZEL_OK ||
      correlation_len >= sizeof got) {
    fprintf(stderr, "mqtt5_properties: a reply without the Correlation Data we sent\n");
    p->failed = 1;
    return;
  }
  /* Binary data is (pointer, length), not NUL-terminated. */
  memcpy(got, correlation, correlation_len);
  got[correlation_len] = '\0';
  if (sscanf(got, "request-%d", &n) == 1 && n >= 1 && n <= REQUESTS) {
    snprintf(expected, sizeof expected, "request-%d", n);
  }
  if (n < 1 || n > REQUESTS || strcmp(got, expected) != 0 || p->answered[n]) {
    fprintf(stderr, "mqtt5_properties: unexpected or repeated Correlation Data \"%s\"\n", got);
    p->failed = 1;
    return;
  }
  printf("requester: reply for %s: \"%.*s\"\n", got, (int)payload_len, payload);
  print_user_properties("requester", props);
  p->answered[n] = 1;
  p->replies++;
}

static void on_connect(ouzel_client* client, int32_t reason_code, int32_t session_present,
                       const ouzel_properties* props, void* user_data) {
  uint32_t receive_maximum = 0;
  struct peer* p = (struct peer*)user_data;
  (void)client;
  (void)reason_code;
  (void)session_present;
  /* CONNACK properties tell what the broker allows (absent ones have their default). */
  if (ouzel_properties_get_int(props, OUZEL_PROP_RECEIVE_MAXIMUM, &receive_maximum) == OUZEL_OK) {
    printf("%s: connected; the broker accepts %u unacknowledged QoS 1/2 messages\n", p->name,
           (unsigned)receive_maximum);
  } else {
    printf("%s: connected\n", p->name);
  }
  p->connected = 1;
}

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  struct peer* p = (struct peer*)user_data;
  (void)client;
  fprintf(stderr, "mqtt5_properties: %s could not connect: %s (reason code %d)\n", p->name,
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
  p->disconnected = 1;
  if (error != OUZEL_OK) {
    fprintf(stderr, "mqtt5_properties: %s lost its connection: %s\n", p->name,
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
    fprintf(stderr, "mqtt5_properties: %s's subscription was refused\n", p->name);
    p->failed = 1;
    return;
  }
  p->subscribed = 1;
}

static ouzel_client* make_client(const char* uri, struct peer* p, ouzel_on_message_fn on_message) {
  ouzel_options* opts = NULL;
  ouzel_client* client = NULL;
  int good = ok(ouzel_options_new(&opts), "ouzel_options_new") &&
             ok(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX), "URI") &&
             ok(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, OUZEL_MQTT_V5), "v5") &&
             ok(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0), "reconnect") &&
             ok(ouzel_client_new(&client, opts), "ouzel_client_new");
  ouzel_options_free(opts);
  if (!good) return NULL;
  ouzel_client_set_on_connect(client, on_connect, p, NULL);
  ouzel_client_set_on_connect_fail(client, on_connect_fail, p, NULL);
  ouzel_client_set_on_disconnect(client, on_disconnect, p, NULL);
  ouzel_client_set_on_subscribe(client, on_subscribe, p, NULL);
  ouzel_client_set_on_message(client, on_message, p, NULL);
  return client;
}

static int connect_and_subscribe(ouzel_client* client, struct peer* p, const char* filter) {
  ouzel_subscription sub;
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = filter;
  sub.filter_len = SIZE_MAX;
  sub.qos = 1;
  return ok(ouzel_client_connect(client), "ouzel_client_connect") &&
         wait_for(client, NULL, p, NULL, &p->connected, 1, "a CONNACK") &&
         ok(ouzel_client_subscribe(client, &sub, 1, NULL, NULL), "ouzel_client_subscribe") &&
         wait_for(client, NULL, p, NULL, &p->subscribed, 1, "a SUBACK");
}

static int send_request(ouzel_client* requester, const char* request_topic,
                        const char* response_topic, int n) {
  ouzel_properties* props = NULL;
  char correlation[32];
  char payload[32];
  int payload_len = snprintf(payload, sizeof payload, "what is %d + %d?", n, n);
  int good;
  snprintf(correlation, sizeof correlation, "request-%d", n);
  good = ok(ouzel_properties_new(&props), "ouzel_properties_new") &&
         ok(ouzel_properties_set_string(props, OUZEL_PROP_RESPONSE_TOPIC, response_topic, SIZE_MAX),
            "response topic") &&
         ok(ouzel_properties_set_binary(props, OUZEL_PROP_CORRELATION_DATA, correlation,
                                        strlen(correlation)),
            "correlation data") &&
         ok(ouzel_properties_set_string(props, OUZEL_PROP_CONTENT_TYPE, "text/plain", SIZE_MAX),
            "content type") &&
         /* User properties keep their order, and a name may repeat. */
         ok(ouzel_properties_add_user(props, "tenant", SIZE_MAX, "example", SIZE_MAX), "user") &&
         ok(ouzel_properties_add_user(props, "trace", SIZE_MAX, correlation, SIZE_MAX), "user") &&
         ok(ouzel_client_publish(requester, request_topic, SIZE_MAX, payload, (size_t)payload_len,
                                 1, 0, props, NULL, NULL),
            "publish the request");
  ouzel_properties_free(props); /* publish copied it */
  return good;
}

static int run(const char* uri) {
  struct peer svc;
  struct peer req;
  ouzel_client* service = NULL;
  ouzel_client* requester = NULL;
  char request_topic[96];
  char response_topic[96];
  int n;
  int result = 0;

  memset(&svc, 0, sizeof svc);
  memset(&req, 0, sizeof req);
  svc.name = "service";
  req.name = "requester";
  snprintf(request_topic, sizeof request_topic, "ouzel/example/%ld-%ld/service/requests",
           (long)getpid(), (long)time(NULL));
  snprintf(response_topic, sizeof response_topic, "ouzel/example/%ld-%ld/requester/replies",
           (long)getpid(), (long)time(NULL));

  service = make_client(uri, &svc, service_on_message);
  requester = make_client(uri, &req, requester_on_message);
  if (service == NULL || requester == NULL ||
      !connect_and_subscribe(service, &svc, request_topic) ||
      !connect_and_subscribe(requester, &req, response_topic)) {
    goto done;
  }

  for (n = 1; n <= REQUESTS; ++n) {
    if (!send_request(requester, request_topic, response_topic, n)) goto done;
  }
  if (!wait_for(requester, service, &req, &svc, &req.replies, REQUESTS, "the replies")) goto done;
  if (svc.handled != REQUESTS) {
    fprintf(stderr, "mqtt5_properties: the service handled %d requests, expected %d\n", svc.handled,
            REQUESTS);
    goto done;
  }

  if (!ok(ouzel_client_disconnect(requester, 0, NULL), "disconnect") ||
      !ok(ouzel_client_disconnect(service, 0, NULL), "disconnect") ||
      !wait_for(requester, NULL, &req, NULL, &req.disconnected, 1, "the disconnection") ||
      !wait_for(service, NULL, &svc, NULL, &svc.disconnected, 1, "the disconnection")) {
    goto done;
  }
  result = 1;

done:
  ouzel_client_free(requester);
  ouzel_client_free(service);
  return result;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s mqtt://HOST:PORT\n", argv[0]);
    return 2;
  }
  if (!run(argv[1])) return 1;
  printf("mqtt5_properties: OK\n");
  return 0;
}
