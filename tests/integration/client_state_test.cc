// ouzel_client_state through a client's life against a real Mosquitto: new, connect requested
// with no loop yet, connected, disconnecting then disconnected, connection lost without
// reconnection, waiting to reconnect while the broker is down and connected again after it is
// back, and a failed first attempt. The caller drives the loop (kCaller), so what the state is
// between two loop steps is deterministic.
#include <memory>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;

int32_t State(TestClient* c) { return ouzel_client_state(c->get()); }

class ClientStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = MosquittoBroker::Start({});
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = *std::move(b);
  }
  std::unique_ptr<MosquittoBroker> broker_;
};

TEST_F(ClientStateTest, NewConnectDisconnect) {
  Options o = BaseOptions(broker_->port(), "state-life", OUZEL_MQTT_V311);
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  EXPECT_EQ(State(c.get()), OUZEL_STATE_DISCONNECTED);
  ASSERT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
  EXPECT_EQ(State(c.get()), OUZEL_STATE_CONNECT_PENDING);  // no loop has run yet
  std::set<int32_t> seen;
  ASSERT_TRUE(RunUntil({c.get()}, [&] {
    seen.insert(State(c.get()));
    return c->events().connect_count() == 1;
  }));
  EXPECT_EQ(State(c.get()), OUZEL_STATE_CONNECTED);
  EXPECT_EQ(ouzel_client_is_connected(c->get()), 1);
  for (int32_t s : seen) {
    EXPECT_TRUE(s == OUZEL_STATE_CONNECT_PENDING || s == OUZEL_STATE_CONNECTING ||
                s == OUZEL_STATE_CONNECTED)
        << s;
  }
  ASSERT_EQ(ouzel_client_disconnect(c->get(), 0, nullptr), OUZEL_OK);
  EXPECT_EQ(State(c.get()), OUZEL_STATE_DISCONNECTING);  // DISCONNECT not yet on the wire
  EXPECT_EQ(ouzel_client_is_connected(c->get()), 0);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().disconnect_count() == 1; }));
  EXPECT_EQ(State(c.get()), OUZEL_STATE_DISCONNECTED);
  EXPECT_EQ(ouzel_client_state(nullptr), OUZEL_EINVAL);
}

TEST_F(ClientStateTest, LostWithoutReconnection_ThenWaitingWhileTheBrokerIsDown) {
  Options o = BaseOptions(broker_->port(), "state-lost", OUZEL_MQTT_V5);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()}));
  ASSERT_TRUE(broker_->Stop().ok());
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().disconnect_count() == 1; }));
  RunFor({c.get()}, 100);
  EXPECT_EQ(State(c.get()), OUZEL_STATE_CONNECTION_LOST);

  // With reconnection on, the client keeps wanting a connection: between attempts it waits
  // (back-off) or is attempting, never "lost".
  Options r = BaseOptions(broker_->port(), "state-lost", OUZEL_MQTT_V5);
  ASSERT_EQ(ouzel_client_set_options(c->get(), r.get(), 0), OUZEL_OK) << ouzel_last_error_message();
  ASSERT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
  std::set<int32_t> seen;
  RunUntil(
      {c.get()},
      [&] {
        seen.insert(State(c.get()));
        return false;
      },
      600);
  EXPECT_EQ(seen.count(OUZEL_STATE_CONNECTION_LOST), 0u);
  EXPECT_EQ(seen.count(OUZEL_STATE_CONNECTED), 0u);
  EXPECT_EQ(seen.count(OUZEL_STATE_CONNECT_PENDING), 1u);  // back-off between refused attempts
  ASSERT_TRUE(broker_->Restart().ok()) << broker_->Log();
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return State(c.get()) == OUZEL_STATE_CONNECTED; }));
  EXPECT_EQ(c->events().connect_count(), 2);
}

TEST_F(ClientStateTest, FailedFirstAttemptWithoutReconnection_IsLost) {
  const int port = broker_->port();
  ASSERT_TRUE(broker_->Stop().ok());
  Options o = BaseOptions(port, "state-refused", OUZEL_MQTT_V311);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_RECONNECT, 0), "reconnect off");
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  ASSERT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().connect_fail_count() == 1; }));
  EXPECT_EQ(State(c.get()), OUZEL_STATE_CONNECTION_LOST);
}

}  // namespace
}  // namespace ouzel_it
