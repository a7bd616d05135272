// The integration tests' view of Ouzel: clients made and driven through the public C API only
// (ouzel.h), as a C program would, with what their callbacks saw recorded for the test to check.
//
//   Options o = BaseOptions(broker->port(), "it-sub", OUZEL_MQTT_V5);
//   std::unique_ptr<TestClient> sub = TestClient::Create(o.get(), LoopMode::kExternal);
//   ASSERT_TRUE(ConnectAll({sub.get()}));
//   ASSERT_TRUE(SubscribeAndWait(sub.get(), "a/b", 1));
//   ASSERT_TRUE(RunUntil({sub.get()}, [&] { return sub->events().message_count() == 3; }));
//
// Nothing here includes an engine header: the client is reached through `ouzel_*` functions only.
// Every wait is bounded by a timeout (kTimeoutMs unless given) and every loop by a count.
// Recorders use std::mutex (ThreadSanitizer cannot see Debian's uninstrumented absl::Mutex).
#ifndef OUZEL_TESTS_INTEGRATION_CAPI_HARNESS_H_
#define OUZEL_TESTS_INTEGRATION_CAPI_HARNESS_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "ouzel.h"

namespace ouzel_it {

// Long enough for a loaded 2-core machine under ASan; a passing test never waits this long.
constexpr int kTimeoutMs = 20000;

// The three ways to run a client (ouzel/loop.h).
enum class LoopMode {
  kThread,    // ouzel_client_loop_start: the library's thread
  kCaller,    // ouzel_client_loop on the test's thread
  kExternal,  // poll() on ouzel_client_socket / ouzel_client_wake_fd, then loop_read/write/misc
};
const char* LoopModeName(LoopMode mode);
// "V31", "V311", "V5" for OUZEL_MQTT_V31 / V311 / V5.
const char* VersionName(int version);

// ---- Owned C objects --------------------------------------------------------------------------

struct OptionsDeleter {
  void operator()(ouzel_options* o) const { ouzel_options_free(o); }
};
using Options = std::unique_ptr<ouzel_options, OptionsDeleter>;

struct PropertiesDeleter {
  void operator()(ouzel_properties* p) const { ouzel_properties_free(p); }
};
using Properties = std::unique_ptr<ouzel_properties, PropertiesDeleter>;
Properties NewProperties();

// Options for 127.0.0.1:`port` with this client id and protocol, fast reconnection (50..500 ms)
// and a 5 s connect timeout. Failing setters are reported as test failures.
Options BaseOptions(int port, const std::string& client_id, int version);
// Reports a test failure (with ouzel_last_error_message) when rc is not OUZEL_OK.
void ExpectOk(int rc, const char* what);

// ---- What callbacks saw -------------------------------------------------------------------------

struct ReceivedMessage {
  std::string topic;
  std::string payload;
  int qos = -1;
  int retain = -1;
  int dup = -1;
  int mid = -1;
  std::optional<std::string> response_topic;
  std::optional<std::string> correlation_data;
  std::optional<uint32_t> topic_alias;
};

struct ConnectRecord {
  int reason_code = -1;
  int session_present = -1;
  std::optional<uint32_t> topic_alias_maximum;  // CONNACK property (v5)
  std::optional<uint32_t> maximum_packet_size;  // CONNACK property (v5)
};

struct ConnectFailRecord {
  int error = 0;
  int reason_code = 0;
  std::string message;  // ouzel_last_error_message() inside the callback
};

struct DisconnectRecord {
  int error = 0;
  int reason_code = 0;
  int by_server = 0;
  std::string message;  // ouzel_last_error_message() inside the callback
};

struct PublishRecord {
  uint64_t token = 0;
  int state = -1;
  int drop_reason = -1;
  int mid = -1;
  int reason_code = -1;
  int qos = -1;     // ouzel_delivery_status version 2
  int version = 0;  // the status version on_publish was given
};

struct SubscribeRecord {
  int mid = 0;
  std::vector<uint8_t> reason_codes;
};

// Registers every callback of one client (user_data = the recorder, release = a counting hook)
// and keeps what they report. Accessors are thread-safe and return copies.
class Recorder {
 public:
  // Called inside on_message, after the message is recorded (e.g. to answer a request).
  using MessageHook = std::function<void(ouzel_client*, const ouzel_message*)>;

  Recorder() = default;
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Registers the callbacks. Returns how many were registered (each must be released once).
  int Attach(ouzel_client* client);
  void set_message_hook(MessageHook hook);

  int connect_count() const;
  int connect_fail_count() const;
  int disconnect_count() const;
  int message_count() const;
  int publish_count() const;
  std::vector<ConnectRecord> connects() const;
  std::vector<ConnectFailRecord> connect_fails() const;
  std::vector<DisconnectRecord> disconnects() const;
  std::vector<ReceivedMessage> messages() const;
  std::vector<PublishRecord> published() const;
  std::vector<SubscribeRecord> subscribed() const;
  bool HasSuback(int mid) const;

  int releases() const;         // release hooks that ran
  size_t thread_count() const;  // distinct threads callbacks ran on
  std::set<std::thread::id> threads() const;
  bool overlapped() const;  // two callbacks of this client ran at once

  // Trampolines (public so the C callbacks in the .cc can reach them).
  void OnConnect(int32_t reason_code, int32_t session_present, const ouzel_properties* props);
  void OnConnectFail(int32_t error, int32_t reason_code);
  void OnDisconnect(int32_t error, int32_t reason_code, int32_t by_server);
  void OnMessage(ouzel_client* client, const ouzel_message* msg);
  void OnPublish(uint64_t token, const ouzel_delivery_status* status);
  void OnSubscribe(int32_t mid, const uint8_t* codes, size_t count);
  void OnRelease();

 private:
  class Scope;
  void Enter();
  void Leave();

  mutable std::mutex mu_;
  int active_ = 0;
  bool overlapped_ = false;
  std::set<std::thread::id> threads_;
  int releases_ = 0;
  MessageHook hook_;
  std::vector<ConnectRecord> connects_;
  std::vector<ConnectFailRecord> connect_fails_;
  std::vector<DisconnectRecord> disconnects_;
  std::vector<ReceivedMessage> messages_;
  std::vector<PublishRecord> published_;
  std::vector<SubscribeRecord> subscribed_;
};

// ---- A client and the way it runs ---------------------------------------------------------------

// One ouzel_client with a Recorder attached, run in one LoopMode. In kThread mode the library's
// thread is started at creation; the destructor frees the client (which stops that thread and
// closes without DISCONNECT) and checks that every release hook ran exactly once.
class TestClient {
 public:
  // nullptr (with a test failure) when ouzel_client_new fails.
  static std::unique_ptr<TestClient> Create(const ouzel_options* opts, LoopMode mode,
                                            Recorder::MessageHook hook = nullptr);
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  ouzel_client* get() const { return client_; }
  LoopMode mode() const { return mode_; }
  Recorder& events() { return *recorder_; }
  const Recorder& events() const { return *recorder_; }

  // ouzel_client_free now: an abrupt close (no DISCONNECT), as a crashing program would.
  // Idempotent.
  void Free();
  bool freed() const { return client_ == nullptr; }

  // One non-blocking step of kCaller mode (ouzel_client_loop with this timeout).
  void CallerStep(int timeout_ms);
  // Loop function results that can only mean a misuse or a bug (EBUSY, EINVAL, EINTERNAL, ...).
  std::vector<std::string> loop_errors() const;
  void NoteLoopResult(const char* what, int rc);

  int64_t Stat(int32_t stat) const;

 private:
  TestClient(ouzel_client* client, LoopMode mode, std::unique_ptr<Recorder> recorder,
             int registered);

  ouzel_client* client_;
  LoopMode mode_;
  std::unique_ptr<Recorder> recorder_;
  int registered_;
  mutable std::mutex mu_;
  std::vector<std::string> loop_errors_;
};

// Drives `clients` (each in its own mode) until `done` returns true or `timeout_ms` passes; returns
// done(). kThread clients need nothing; kCaller ones get ouzel_client_loop slices in turn;
// kExternal ones share one poll() over their sockets and wake descriptors.
bool RunUntil(std::initializer_list<TestClient*> clients, const std::function<bool()>& done,
              int timeout_ms = kTimeoutMs);
bool RunUntil(const std::vector<TestClient*>& clients, const std::function<bool()>& done,
              int timeout_ms = kTimeoutMs);
// Drives them for `ms` milliseconds.
void RunFor(std::initializer_list<TestClient*> clients, int ms);

// ouzel_client_connect on each, then drives them until each has one more on_connect.
bool ConnectAll(std::initializer_list<TestClient*> clients);
// ouzel_client_subscribe with one filter; drives `c` until its SUBACK. `codes` (may be null)
// receives the reason codes.
bool SubscribeAndWait(TestClient* c, const std::string& filter, int qos,
                      std::vector<uint8_t>* codes = nullptr,
                      const ouzel_subscription* tmpl = nullptr,
                      std::initializer_list<TestClient*> also_run = {});
// ouzel_client_disconnect(0) and drives `c` until on_disconnect.
bool DisconnectAndWait(TestClient* c);

// Publishes and drives `c` (and `also_run`) until on_publish reports its token; returns the
// delivery state from on_publish, or -1.
int PublishAndWait(TestClient* c, const std::string& topic, const std::string& payload, int qos,
                   int retain, const ouzel_properties* props = nullptr,
                   std::initializer_list<TestClient*> also_run = {});

// "2 messages: [topic 'a' qos 1 retain 0 dup 0 payload 5 bytes '...'] ..." for failure output.
std::string Describe(const std::vector<ReceivedMessage>& messages);

// Payloads that catch truncation at NUL and off-by-one copies: `index` and bytes 0x00..0xff.
std::string NumberedPayload(int index);
// `size` bytes of a fixed pseudo-random pattern with NULs in it.
std::string PatternPayload(size_t size, uint32_t seed);
// Parses NumberedPayload's index back (-1 if it is not one).
int PayloadIndex(const std::string& payload);

}  // namespace ouzel_it

#endif  // OUZEL_TESTS_INTEGRATION_CAPI_HARNESS_H_
