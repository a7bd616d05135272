// The harness's own subscriber for tests/crash: an Ouzel client (C API, library thread) with a
// persistent session and a QoS 2 subscription, recording every message's number, incarnation and
// QoS from payloads "k:incarnation". It is never killed; it is the witness.
#ifndef OUZEL_TESTS_CRASH_CRASH_SUBSCRIBER_CLIENT_H_
#define OUZEL_TESTS_CRASH_CRASH_SUBSCRIBER_CLIENT_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "ouzel.h"

namespace ouzel_crash {

struct Delivery {
  int64_t number = -1;
  int incarnation = -1;
  int qos = -1;
  int dup = 0;  // the DUP flag it arrived with
  int mid = 0;  // its packet identifier
  std::string topic;
};

class WitnessSubscriber {
 public:
  WitnessSubscriber() = default;
  ~WitnessSubscriber();
  WitnessSubscriber(const WitnessSubscriber&) = delete;
  WitnessSubscriber& operator=(const WitnessSubscriber&) = delete;

  // Connects to 127.0.0.1:port and subscribes to `filter` at QoS 2; false (with `*error`) when
  // that does not complete within 20 s.
  bool Start(int port, int version, const std::string& filter, std::string* error);
  // Waits up to `timeout_ms` until `done(deliveries)` holds.
  bool WaitFor(const std::function<bool(const std::vector<Delivery>&)>& done, int timeout_ms);
  std::vector<Delivery> deliveries() const;
  size_t count() const;     // deliveries so far, without copying them
  size_t distinct() const;  // distinct numbers among them
  int malformed() const;

  // Callback trampolines.
  void OnMessage(const ouzel_message* msg);
  void OnConnect(int32_t reason_code);
  void OnSubscribe(const uint8_t* codes, size_t count);

 private:
  ouzel_client* client_ = nullptr;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Delivery> deliveries_;
  std::set<int64_t> numbers_;
  int malformed_ = 0;
  bool connected_ = false;
  bool subscribed_ = false;
  int suback_code_ = -1;
};

}  // namespace ouzel_crash

#endif  // OUZEL_TESTS_CRASH_CRASH_SUBSCRIBER_CLIENT_H_
