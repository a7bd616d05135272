// What the loop functions return around a real Mosquitto connection, per ouzel/loop.h and
// ouzel/client.h: OUZEL_EBUSY only for "not here" (another thread drives the client, or a blocking
// call inside a callback), OUZEL_ENOTCONN when there is no connection.
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

class LoopContractTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto b = MosquittoBroker::Start({});
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }
  static MosquittoBroker* broker_;
};
MosquittoBroker* LoopContractTest::broker_ = nullptr;

// BUG (capi/src/loop.cc, LoopStatus): every absl::FailedPrecondition from the engine becomes
// OUZEL_EBUSY, but the engine also uses FailedPrecondition for "not connected"
// (cc/client/client.cc, Core::LinkStatusLocked). So ouzel_client_loop on a client that has
// disconnected (or never connected) returns OUZEL_EBUSY "busy or not allowed here" with the detail
// "not connected", where ouzel/loop.h promises "OUZEL_OK, or the connection's error
// (OUZEL_ENOTCONN, OUZEL_EIO, ...) when it is down" (and loop.cc's own comment says callers
// compare with ENOTCONN). loop_read / loop_write / loop_misc do the same. A paho-style binding
// that reconnects on "not connected" and treats EBUSY as a programming error cannot tell them
// apart. Enable this test when it is fixed (capi_harness.cc's NoteLoopResult tolerates it until
// then).
TEST_F(LoopContractTest, LoopFunctionsOnADisconnectedClient_ReturnEnotconn) {
  ASSERT_NE(broker_, nullptr);
  Options o = BaseOptions(broker_->port(), "loop-contract-idle", OUZEL_MQTT_V311);
  auto c = TestClient::Create(o.get(), LoopMode::kCaller);
  ASSERT_TRUE(c);
  // Never connected.
  EXPECT_EQ(ouzel_client_loop(c->get(), 0), OUZEL_ENOTCONN) << ouzel_last_error_message();
  ASSERT_TRUE(ConnectAll({c.get()}));
  ASSERT_TRUE(DisconnectAndWait(c.get()));
  // Disconnected by the application.
  EXPECT_EQ(ouzel_client_loop(c->get(), 0), OUZEL_ENOTCONN) << ouzel_last_error_message();
  EXPECT_EQ(ouzel_client_loop_read(c->get()), OUZEL_ENOTCONN) << ouzel_last_error_message();
  EXPECT_EQ(ouzel_client_loop_write(c->get()), OUZEL_ENOTCONN) << ouzel_last_error_message();
  EXPECT_EQ(ouzel_client_loop_misc(c->get()), OUZEL_ENOTCONN) << ouzel_last_error_message();
}

TEST_F(LoopContractTest, SecondDriverAndBlockingCallsInCallbacks_Ebusy) {
  ASSERT_NE(broker_, nullptr);
  Options o = BaseOptions(broker_->port(), "loop-contract-busy", OUZEL_MQTT_V5);
  std::atomic<int> wait_in_callback{1}, loop_in_callback{1}, connect_in_callback{1};
  auto c = TestClient::Create(o.get(), LoopMode::kThread,
                              [&](ouzel_client* client, const ouzel_message*) {
                                wait_in_callback = ouzel_client_wait_for_publish(client, 1, 1000);
                                loop_in_callback = ouzel_client_loop(client, 0);
                                connect_in_callback = ouzel_client_connect_blocking(client);
                              });
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()})) << broker_->Log();
  // The library's thread drives the client: the test's thread may not.
  EXPECT_EQ(ouzel_client_loop(c->get(), 0), OUZEL_EBUSY);
  EXPECT_EQ(ouzel_client_loop_read(c->get()), OUZEL_EBUSY);
  EXPECT_EQ(ouzel_client_loop_start(c->get()), OUZEL_EBUSY);
  ASSERT_TRUE(SubscribeAndWait(c.get(), "it/loop-contract", 1));
  ASSERT_EQ(PublishAndWait(c.get(), "it/loop-contract", "x", 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().message_count() == 1; }));
  // Blocking calls inside a callback are refused, not deadlocked.
  EXPECT_EQ(wait_in_callback, OUZEL_EBUSY);
  EXPECT_EQ(loop_in_callback, OUZEL_EBUSY);
  EXPECT_EQ(connect_in_callback, OUZEL_EBUSY);
  EXPECT_EQ(ouzel_client_is_connected(c->get()), 1);
}

// Inside a callback loop_stop cannot join the thread it runs on: it asks the thread to end after
// the callback and returns OK (paho's loop_stop does the same). The client is then no longer
// driven until the application drives it itself.
TEST_F(LoopContractTest, LoopStopInsideCallback_ThreadEndsAfterTheCallback) {
  ASSERT_NE(broker_, nullptr);
  Options o = BaseOptions(broker_->port(), "loop-contract-stop", OUZEL_MQTT_V311);
  std::atomic<int> stop_in_callback{1};
  std::atomic<bool> stopped_once{false};
  // Only the first message stops the thread: the test later publishes to the same topic, and a
  // second stop would end the restarted thread before that message's PUBACK is handled.
  auto c = TestClient::Create(o.get(), LoopMode::kThread,
                              [&](ouzel_client* client, const ouzel_message*) {
                                if (!stopped_once.exchange(true)) {
                                  stop_in_callback = ouzel_client_loop_stop(client);
                                }
                              });
  ASSERT_TRUE(c);
  ASSERT_TRUE(ConnectAll({c.get()})) << broker_->Log();
  ASSERT_TRUE(SubscribeAndWait(c.get(), "it/loop-contract-stop", 1));
  ASSERT_EQ(PublishAndWait(c.get(), "it/loop-contract-stop", "x", 0, 0),
            OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(RunUntil({c.get()}, [&] { return c->events().message_count() == 1; }));
  EXPECT_EQ(stop_in_callback, OUZEL_OK);
  // The library's thread ends after the callback: the test's thread may then drive the client
  // (while the thread ran, a second driver got OUZEL_EBUSY). Bounded: 5 s.
  int rc = OUZEL_EBUSY;
  for (int i = 0; i < 100 && rc == OUZEL_EBUSY; ++i) {
    rc = ouzel_client_loop(c->get(), 50);
  }
  EXPECT_EQ(rc, OUZEL_OK) << ouzel_last_error_message();
  // And a new loop thread can be started.
  EXPECT_EQ(ouzel_client_loop_start(c->get()), OUZEL_OK);
  EXPECT_EQ(PublishAndWait(c.get(), "it/loop-contract-stop", "y", 1, 0),
            OUZEL_DELIVERY_ACKNOWLEDGED);
}

}  // namespace
}  // namespace ouzel_it
