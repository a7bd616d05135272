// ouzel_client_set_options against a real Mosquitto: one ouzel_client reconfigured between
// connections (what paho-style bindings do: username_pw_set, will_set, connect(...) again) keeps
// its session and sends the new credentials, Will and Clean Start. Also on_pre_connect.
#include <atomic>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

std::unique_ptr<MosquittoBroker> StartBroker(bool with_users) {
  MosquittoBroker::Options o;
  if (with_users) {
    o.allow_anonymous = false;
    o.users = {{"alice", "secret"}, {"watcher", "w"}};
  }
  auto b = MosquittoBroker::Start(o);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *std::move(b) : nullptr;
}

void SetString(ouzel_options* o, int32_t id, const std::string& v) {
  ExpectOk(ouzel_options_set_string(o, id, v.data(), v.size()), "set_string");
}

TEST(SetOptions, NewPassword_IsSentByTheNextConnect) {
  auto broker = StartBroker(/*with_users=*/true);
  ASSERT_TRUE(broker);
  Options o = BaseOptions(broker->port(), "so-creds", OUZEL_MQTT_V311);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
  SetString(o.get(), OUZEL_OPT_USERNAME, "alice");
  SetString(o.get(), OUZEL_OPT_PASSWORD, "wrong");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  ASSERT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_fail_count() == 1; }));
  EXPECT_EQ(c->events().connect_fails()[0].error, OUZEL_EREFUSED);
  EXPECT_EQ(c->events().connect_fails()[0].reason_code, 5);  // not authorised

  SetString(o.get(), OUZEL_OPT_PASSWORD, "secret");
  ASSERT_EQ(ouzel_client_set_options(c->get(), o.get(), 0), OUZEL_OK);
  ASSERT_TRUE(ConnectAll({c.get()}));
  EXPECT_EQ(c->events().connects().back().reason_code, 0);
}

TEST(SetOptions, WillSetWhileConnected_IsTheNextConnectionsWill) {
  auto broker = StartBroker(/*with_users=*/false);
  ASSERT_TRUE(broker);
  Options wo = BaseOptions(broker->port(), "so-watcher", OUZEL_MQTT_V311);
  auto watcher = TestClient::Create(wo.get(), LoopMode::kThread);
  ASSERT_TRUE(watcher);
  ASSERT_TRUE(ConnectAll({watcher.get()}));
  ASSERT_TRUE(SubscribeAndWait(watcher.get(), "so/will", 1));

  Options o = BaseOptions(broker->port(), "so-will", OUZEL_MQTT_V311);
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()}));
  const std::string topic = "so/will", payload = "gone";
  ExpectOk(ouzel_options_set_will(o.get(), topic.data(), topic.size(), payload.data(),
                                  payload.size(), 1, 0, nullptr),
           "set_will");
  ASSERT_EQ(ouzel_client_set_options(c->get(), o.get(), 0), OUZEL_OK);
  // Dropped without DISCONNECT: the connection that is closed had no Will.
  ASSERT_EQ(ouzel_client_reconnect(c->get()), OUZEL_OK);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_count() == 2; }));
  c->Free();  // abrupt close of the second connection, which carries the Will
  ASSERT_TRUE(RunUntil({watcher.get()}, [&] { return watcher->events().message_count() == 1; }));
  RunFor({watcher.get()}, 300);
  ASSERT_EQ(watcher->events().message_count(), 1) << Describe(watcher->events().messages());
  EXPECT_EQ(watcher->events().messages()[0].payload, "gone");
}

TEST(SetOptions, CleanStartPerConnection_BrokerReportsSessionPresent) {
  auto broker = StartBroker(/*with_users=*/false);
  ASSERT_TRUE(broker);
  Options o = BaseOptions(broker->port(), "so-clean", OUZEL_MQTT_V5);
  Properties p = NewProperties();
  ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 300), "expiry");
  ExpectOk(ouzel_options_set_connect_properties(o.get(), p.get()), "connect props");
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 1), "clean start");
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT_CLEAN_START, 1), "always clean");
  auto c = TestClient::Create(o.get(), LoopMode::kThread);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()}));
  ASSERT_TRUE(SubscribeAndWait(c.get(), "so/clean", 1));  // something for the session to hold
  auto reconnect_and_session_present = [&]() {
    const int before = c->events().connect_count();
    EXPECT_EQ(ouzel_client_reconnect(c->get()), OUZEL_OK);
    EXPECT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_count() > before; }));
    return c->events().connects().back().session_present;
  };
  EXPECT_EQ(reconnect_and_session_present(), 0);  // OUZEL_OPT_RECONNECT_CLEAN_START 1
  ASSERT_TRUE(SubscribeAndWait(c.get(), "so/clean", 1));

  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT_CLEAN_START, -1), "automatic");
  ASSERT_EQ(ouzel_client_set_options(c->get(), o.get(), 0), OUZEL_OK);
  EXPECT_EQ(reconnect_and_session_present(), 1);  // resumed: expiry 300

  ASSERT_EQ(ouzel_client_set_options(c->get(), o.get(), OUZEL_SET_OPTIONS_FIRST_CONNECTION),
            OUZEL_OK);
  EXPECT_EQ(reconnect_and_session_present(), 0);  // clean start, as a first connection
}

TEST(SetOptions, RefusesChangesTheSessionCannotTake) {
  Options o = BaseOptions(1, "so-fixed", OUZEL_MQTT_V311);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  Options other = BaseOptions(1, "so-other", OUZEL_MQTT_V311);
  EXPECT_EQ(ouzel_client_set_options(c, other.get(), 0), OUZEL_EINVAL);
  EXPECT_NE(std::string(ouzel_last_error_message()).find("client id"), std::string::npos)
      << ouzel_last_error_message();
  Options v5 = BaseOptions(1, "so-fixed", OUZEL_MQTT_V5);
  EXPECT_EQ(ouzel_client_set_options(c, v5.get(), 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_set_options(c, o.get(), 0x80u), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_set_options(c, nullptr, 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_set_options(nullptr, o.get(), 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_set_options(c, o.get(), 0), OUZEL_OK);
  ouzel_client_free(c);
}

void CountPreConnect(ouzel_client*, void* user_data) {
  static_cast<std::atomic<int>*>(user_data)->fetch_add(1);
}
void CountRelease(void* user_data) { static_cast<std::atomic<int>*>(user_data)->fetch_add(100); }

TEST(SetOptions, PreConnectHook_RunsBeforeEveryAttemptAndIsReleasedOnce) {
  auto broker = StartBroker(/*with_users=*/false);
  ASSERT_TRUE(broker);
  Options o = BaseOptions(broker->port(), "so-pre", OUZEL_MQTT_V311);
  std::atomic<int> calls{0};
  {
    auto c = TestClient::Create(o.get(), LoopMode::kCaller);
    ASSERT_TRUE(c);
    ASSERT_EQ(ouzel_client_set_on_pre_connect(c->get(), CountPreConnect, &calls, CountRelease),
              OUZEL_OK);
    ASSERT_EQ(ouzel_client_connect_blocking(c->get()), OUZEL_OK);  // hook on this thread
    EXPECT_EQ(calls.load(), 1);
    ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_count() == 1; }));
    ASSERT_EQ(ouzel_client_reconnect(c->get()), OUZEL_OK);
    ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_count() == 2; }));
    EXPECT_EQ(calls.load(), 2);
  }
  EXPECT_EQ(calls.load(), 102);  // released exactly once, by ouzel_client_free
}

}  // namespace
}  // namespace ouzel_it
