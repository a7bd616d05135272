// S01 connect and disconnect cleanly, S02 a server-assigned client id, S18 bad credentials.
#include <pthread.h>
#include <time.h>

#include <cstring>

#include "gtest/gtest.h"
#include "scenario.h"

namespace scen {
namespace {

TEST(Connect, S01_Mqtt311ConnectAndCleanDisconnect) {
  const std::string topic = Unique("scen/s01");
  Options o = BaseOptions(Port(""), Unique("s01"), OUZEL_MQTT_V311);
  std::unique_ptr<TestClient> client = Client(o.get());
  ASSERT_TRUE(client);
  ASSERT_TRUE(ConnectAll({client.get()}));
  EXPECT_EQ(client->events().connects()[0].reason_code, 0);
  ASSERT_TRUE(SubscribeAndWait(client.get(), topic, 1));

  // ouzel_client_disconnect returns at once; on_disconnect then reports OUZEL_OK.
  ASSERT_EQ(ouzel_client_disconnect(client->get(), 0, nullptr), OUZEL_OK);
  ASSERT_TRUE(WaitFor([&] { return client->events().disconnect_count() == 1; }));
  EXPECT_EQ(client->events().disconnects()[0].error, OUZEL_OK);
  ASSERT_EQ(ouzel_client_loop_stop(client->get()), OUZEL_OK);
  EXPECT_EQ(ouzel_client_is_connected(client->get()), 0);

  // Nothing calls back after the close: a message on the topic it was subscribed to reaches a
  // second subscriber but not the closed client.
  std::unique_ptr<TestClient> witness = Client(Unique("s01-witness"));
  ASSERT_TRUE(ConnectAll({witness.get()}));
  ASSERT_TRUE(SubscribeAndWait(witness.get(), topic, 1));
  ASSERT_EQ(PublishAndWait(witness.get(), topic, "after close", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return witness->events().message_count() == 1; }));
  EXPECT_EQ(client->events().message_count(), 0);
  EXPECT_EQ(client->events().disconnect_count(), 1);
  EXPECT_EQ(client->events().connect_count(), 1);
}

// S02 written the way a C program without any harness would: its own state, a mutex and a
// condition variable, the library's loop thread, a bounded wait.
struct Connack {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
  int done = 0;
  int32_t reason_code = -1;
  char assigned_id[256] = "";
};

void OnConnect(ouzel_client*, int32_t reason_code, int32_t, const ouzel_properties* props,
               void* user_data) {
  Connack* c = static_cast<Connack*>(user_data);
  const char* id = nullptr;
  size_t len = 0;
  pthread_mutex_lock(&c->mu);
  c->reason_code = reason_code;
  if (ouzel_properties_get_bytes(props, OUZEL_PROP_ASSIGNED_CLIENT_IDENTIFIER, &id, &len) ==
          OUZEL_OK &&
      len < sizeof c->assigned_id) {
    std::memcpy(c->assigned_id, id, len);
    c->assigned_id[len] = '\0';
  }
  c->done = 1;
  pthread_cond_signal(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

TEST(Connect, S02_Mqtt5EmptyClientIdGetsTheServerAssignedId) {
  Connack connack;
  ouzel_options* opts = nullptr;
  ouzel_client* client = nullptr;
  const std::string uri = Uri("mqtt", "");
  ASSERT_EQ(ouzel_options_new(&opts), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, uri.c_str(), SIZE_MAX), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, OUZEL_MQTT_V5), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_string(opts, OUZEL_OPT_CLIENT_ID, "", 0), OUZEL_OK);
  ASSERT_EQ(ouzel_client_new(&client, opts), OUZEL_OK);
  ouzel_options_free(opts);
  ouzel_client_set_on_connect(client, OnConnect, &connack, nullptr);
  ASSERT_EQ(ouzel_client_connect(client), OUZEL_OK);
  ASSERT_EQ(ouzel_client_loop_start(client), OUZEL_OK);

  timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 20;
  pthread_mutex_lock(&connack.mu);
  while (!connack.done) {
    if (pthread_cond_timedwait(&connack.cv, &connack.mu, &deadline) != 0) break;
  }
  const int done = connack.done;
  pthread_mutex_unlock(&connack.mu);

  ouzel_client_disconnect(client, 0, nullptr);
  ouzel_client_free(client);  // stops the loop thread; no callback runs after it returns
  ASSERT_TRUE(done) << "no CONNACK";
  EXPECT_EQ(connack.reason_code, 0);
  EXPECT_STRNE(connack.assigned_id, "") << "no Assigned Client Identifier in the CONNACK";
}

TEST(Connect, S18_BadPasswordFailsWithTheBrokersReasonCode) {
  auto connect_with = [](const std::string& password) {
    Options o = BaseOptions(Port("AUTH"), Unique("s18"), OUZEL_MQTT_V5);
    const std::string user = Env("AUTH_USER");
    ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_USERNAME, user.data(), user.size()),
             "user");
    ExpectOk(
        ouzel_options_set_string(o.get(), OUZEL_OPT_PASSWORD, password.data(), password.size()),
        "password");
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "no reconnect");
    std::unique_ptr<TestClient> c = Client(o.get());
    if (c) ExpectOk(ouzel_client_connect(c->get()), "connect");
    return c;
  };

  std::unique_ptr<TestClient> refused = connect_with("not-the-password");
  ASSERT_TRUE(refused);
  ASSERT_TRUE(WaitFor([&] { return refused->events().connect_fail_count() == 1; }));
  const ouzel_it::ConnectFailRecord fail = refused->events().connect_fails()[0];
  EXPECT_EQ(fail.error, OUZEL_EREFUSED) << ouzel_strerror(fail.error);
  // The CONNACK's reason code as the broker sent it: Mosquitto 2.0.11 answers a wrong password
  // with 0x87 Not authorized (MQTT 5).
  EXPECT_EQ(fail.reason_code, 0x87) << fail.message;
  EXPECT_EQ(refused->events().connect_count(), 0);

  // The same broker accepts the right password, so the refusal was about the password.
  std::unique_ptr<TestClient> accepted = connect_with(Env("AUTH_PASSWORD"));
  ASSERT_TRUE(accepted);
  ASSERT_TRUE(WaitFor([&] { return accepted->events().connect_count() == 1; }));
}

}  // namespace
}  // namespace scen
