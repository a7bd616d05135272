// What every C scenario uses besides ouzel.h: the brokers the driver started
// (tests/scenarios/README.md), unique names, broker-ctl, and child processes to kill.
//
// Clients are made and recorded with the integration tests' harness
// (tests/integration/capi_harness.h: TestClient, Recorder, RunUntil), which reaches Ouzel through
// ouzel.h only; the scenarios themselves spell out the ouzel_* calls a C program makes.
#ifndef OUZEL_TESTS_SCENARIOS_C_SCENARIO_H_
#define OUZEL_TESTS_SCENARIOS_C_SCENARIO_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "ouzel.h"
#include "tests/integration/capi_harness.h"

namespace scen {

using ouzel_it::BaseOptions;
using ouzel_it::ConnectAll;
using ouzel_it::DisconnectAndWait;
using ouzel_it::ExpectOk;
using ouzel_it::LoopMode;
using ouzel_it::NewProperties;
using ouzel_it::Options;
using ouzel_it::Properties;
using ouzel_it::PublishAndWait;
using ouzel_it::ReceivedMessage;
using ouzel_it::RunUntil;
using ouzel_it::SubscribeAndWait;
using ouzel_it::TestClient;

// $OUZEL_SCEN_<name>, or "" (with a test failure) when the driver did not set it.
std::string Env(const char* name);
// $OUZEL_SCEN_<which>_PORT; `which` "" for the main listener (OUZEL_SCEN_PORT).
int Port(const std::string& which);
// "scheme://127.0.0.1:port" for a listener ("mqtt", "mqtts", "ws").
std::string Uri(const std::string& scheme, const std::string& which);
// A topic or client id no other scenario (or earlier run on the same broker) uses.
std::string Unique(const std::string& prefix);

// A client on the library's thread (ouzel_client_loop_start) against the main listener.
std::unique_ptr<TestClient> Client(const std::string& client_id, int version = OUZEL_MQTT_V5);
std::unique_ptr<TestClient> Client(const ouzel_options* opts);

// Waits until `pred` holds, at most OUZEL_SCEN_TIMEOUT; the callbacks run on library threads.
bool WaitFor(const std::function<bool()>& pred);

// Runs `$OUZEL_SCEN_BROKER_CTL args...`; returns its output words, and fails the test (empty
// result) when it fails.
std::vector<std::string> BrokerCtl(const std::vector<std::string>& args);

// A helper process (child.c, built next to the tests) that prints "ready" when it is; waited for
// at most OUZEL_SCEN_TIMEOUT. Kill() sends SIGKILL and reaps it.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args);
  ~Child();
  bool ready() const { return ready_; }
  void Kill();

 private:
  pid_t pid_ = -1;
  bool ready_ = false;
};

}  // namespace scen

#endif  // OUZEL_TESTS_SCENARIOS_C_SCENARIO_H_
