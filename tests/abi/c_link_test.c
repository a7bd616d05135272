/* A C99 program that uses Ouzel through its public header and libouzel.so only (no C++ objects, no
 * engine libraries on the link line), as a C application would. Needs no broker: it exercises
 * options, properties, errors, client creation and a connection attempt to a port nobody listens
 * on, which must fail cleanly through on_connect_fail. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ouzel.h"

static int failures = 0;
#define CHECK(cond)                                                                \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      fprintf(stderr, "%s:%d: CHECK failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
              ouzel_last_error_message());                                         \
      ++failures;                                                                  \
    }                                                                              \
  } while (0)

struct state {
  int connect_fail_calls;
  int released;
  int32_t error;
};

static void on_connect_fail(ouzel_client* client, int32_t error, int32_t reason_code,
                            void* user_data) {
  struct state* s = (struct state*)user_data;
  (void)client;
  (void)reason_code;
  s->connect_fail_calls++;
  s->error = error;
}

static void release(void* user_data) { ((struct state*)user_data)->released++; }

int main(void) {
  ouzel_options* opts = NULL;
  ouzel_properties* props = NULL;
  ouzel_client* client = NULL;
  struct state st = {0, 0, 0};
  int i;

  CHECK(ouzel_version() == OUZEL_VERSION_NUMBER);
  CHECK(strcmp(ouzel_strerror(OUZEL_EINVAL), "invalid argument") == 0);

  CHECK(ouzel_options_new(&opts) == OUZEL_OK);
  /* Port 1 on loopback: nothing listens there, the connection is refused at once. */
  CHECK(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, "mqtt://127.0.0.1:1", SIZE_MAX) ==
        OUZEL_OK);
  CHECK(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, OUZEL_MQTT_V5) == OUZEL_OK);
  CHECK(ouzel_options_set_int(opts, OUZEL_OPT_RECONNECT, 0) == OUZEL_OK);
  CHECK(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, 6) == OUZEL_EINVAL);
  CHECK(strstr(ouzel_last_error_message(), "protocol version") != NULL);
  CHECK(ouzel_options_set_int(opts, 9999, 1) == OUZEL_EINVAL);

  CHECK(ouzel_properties_new(&props) == OUZEL_OK);
  CHECK(ouzel_properties_set_int(props, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 300) == OUZEL_OK);
  CHECK(ouzel_options_set_connect_properties(opts, props) == OUZEL_OK);
  CHECK(ouzel_properties_set_int(props, OUZEL_PROP_TOPIC_ALIAS, 3) == OUZEL_OK);
  CHECK(ouzel_options_set_connect_properties(opts, props) == OUZEL_EINVAL); /* not in CONNECT */
  ouzel_properties_free(props);

  CHECK(ouzel_client_new(&client, opts) == OUZEL_OK);
  ouzel_options_free(opts);
  CHECK(ouzel_client_set_on_connect_fail(client, on_connect_fail, &st, release) == OUZEL_OK);

  /* Bad input is refused with a clear error and nothing is queued. */
  CHECK(ouzel_client_publish(client, "a/+", SIZE_MAX, "x", 1, 1, 0, NULL, NULL, NULL) ==
        OUZEL_EINVAL);
  CHECK(ouzel_client_publish(client, "a/b", SIZE_MAX, "x", 1, 3, 0, NULL, NULL, NULL) ==
        OUZEL_EINVAL);

  CHECK(ouzel_client_connect(client) == OUZEL_OK);
  for (i = 0; i < 100 && st.connect_fail_calls == 0; ++i) ouzel_client_loop(client, 50);
  CHECK(st.connect_fail_calls == 1);
  CHECK(st.error == OUZEL_EIO);
  CHECK(ouzel_client_is_connected(client) == 0);

  ouzel_client_free(client);
  CHECK(st.released == 1); /* the release hook ran exactly once, at free */
  ouzel_client_free(NULL);

  if (failures != 0) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("C program linked against libouzel.so only: all checks passed\n");
  return 0;
}
