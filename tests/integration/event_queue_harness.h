// Clients with an event queue (ouzel/events.h) for the integration tests, reached through the
// public C API only: one QueueClient runs its loop in a LoopMode on a driver thread (or the
// library's own) while the test's threads poll and release events, as a Go, Rust or C# binding
// would.
//
//   Options o = BaseOptions(broker->port(), "eq-sub", OUZEL_MQTT_V5);
//   auto sub = QueueClient::Create(o.get(), LoopMode::kExternal);
//   ASSERT_TRUE(sub->ConnectAndWait());
//   ASSERT_TRUE(sub->SubscribeAndWait("a/#", 1));
//   std::vector<SeenEvent> seen;
//   sub->PollAndRelease(100, 1000, &seen);
//
// Every wait is bounded (kTimeoutMs unless given).
#ifndef OUZEL_TESTS_INTEGRATION_EVENT_QUEUE_HARNESS_H_
#define OUZEL_TESTS_INTEGRATION_EVENT_QUEUE_HARNESS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {

// One Mosquitto per test suite, configured for stalled consumers: no per-client queue limit (it
// must hold whatever a consumer has not taken) and a send window of 1,000, past the bounds the
// tests set, so the client's back-pressure is what holds QoS 1 too.
class EventQueueBrokerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static int port() { return broker_->port(); }

 private:
  static ouzel::fixtures::MosquittoBroker* broker_;
};

// What a test looks at in one event, copied out before the event is released.
struct SeenEvent {
  int type = 0;
  int error = 0;
  int reason_code = 0;
  int session_present = 0;
  int mid = 0;
  int qos = -1;
  int dup = 0;
  int state = -1;
  uint64_t token = 0;
  std::string topic;
  std::string payload;
  std::string text;
  std::vector<uint8_t> reason_codes;
};
SeenEvent Copy(const ouzel_event& e);
// "MESSAGE t/1 q1 mid=3 dup=0 '#7'" and so on, for failure output.
std::string Describe(const SeenEvent& e);

// One client with OUZEL_OPT_EVENT_QUEUE = 1 and the thread that runs its loop.
class QueueClient {
 public:
  // Sets OUZEL_OPT_EVENT_QUEUE on `opts`, creates the client and starts its loop: kThread with
  // ouzel_client_loop_start, kCaller with a thread calling ouzel_client_loop, kExternal with a
  // thread poll()ing the socket (for reading only while ouzel_client_want_read is 1, for writing
  // while ouzel_client_want_write is 1) and the wake descriptor. nullptr (and a test failure)
  // when creation fails.
  static std::unique_ptr<QueueClient> Create(ouzel_options* opts, LoopMode mode);
  ~QueueClient();  // Free()
  QueueClient(const QueueClient&) = delete;
  QueueClient& operator=(const QueueClient&) = delete;

  ouzel_client* get() const { return client_; }
  LoopMode mode() const { return mode_; }

  // Stops the driver thread, then ouzel_client_free: an abrupt close, as a crashing program's.
  void Free();
  // Stops the driver thread (kCaller, kExternal) so the test may call ouzel_client_free itself.
  void StopDriver();
  // Driver iterations so far (poll() returns for kExternal, ouzel_client_loop calls for kCaller).
  int64_t driver_iterations() const { return iterations_.load(); }

  // Polls (waiting up to `timeout_ms` for the first), copies each event into `seen`, releases
  // the batch (acknowledging QoS 1/2 messages). The number polled, or a negative OUZEL_E*.
  int PollAndRelease(size_t max, int timeout_ms, std::vector<SeenEvent>* seen);
  // Polls and releases until `done(seen)` or the timeout; returns done(seen).
  bool PollUntil(const std::function<bool(const std::vector<SeenEvent>&)>& done,
                 std::vector<SeenEvent>* seen, int timeout_ms = kTimeoutMs);
  // ouzel_client_connect, then until CONNECTED (false on CONNECT_FAILED or the timeout).
  bool ConnectAndWait(std::vector<SeenEvent>* seen = nullptr);
  // One filter; until its SUBSCRIBE_DONE.
  bool SubscribeAndWait(const std::string& filter, int qos);
  // Publishes a QoS 1 message to `topic` and polls (releasing, into `seen`) until its
  // PUBLISH_DONE: the broker has then read everything this client wrote before it, such as the
  // acknowledgements of released messages (a DISCONNECTED event does not say that).
  bool SyncWithBroker(std::vector<SeenEvent>* seen, const std::string& topic = "eq/sync");

 private:
  QueueClient(ouzel_client* client, LoopMode mode);
  void RunCaller();
  void RunExternal();

  ouzel_client* client_;
  LoopMode mode_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> iterations_{0};
  std::thread driver_;
};

// Counts the events of `type` in `seen`.
size_t CountOf(const std::vector<SeenEvent>& seen, int type);
// The MESSAGE events of `seen`, in order.
std::vector<SeenEvent> MessagesOf(const std::vector<SeenEvent>& seen);
// Publishes `count` QoS `qos` messages NumberedPayload(first..) to `topic` from a callback-mode
// client in kThread mode and waits until all are acknowledged; false (with a test failure) if not.
bool PublishNumbered(int port, const std::string& client_id, const std::string& topic, int first,
                     int count, int qos, int version = OUZEL_MQTT_V5);

}  // namespace ouzel_it

#endif  // OUZEL_TESTS_INTEGRATION_EVENT_QUEUE_HARNESS_H_
