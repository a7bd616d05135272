// BrokerStreamLog: what a broker wrote to its clients, as the FaultRelay read it, reduced to what
// judging QoS 2 exactly-once needs: every PUBLISH (packet id, QoS, DUP, payload) and PUBREL.
//
// Why: Mosquitto 2.0.11 sometimes sends a QoS 2 PUBLISH again (DUP=1) after it has already sent
// the PUBREL for it, when two reconnections follow each other before that PUBREL is answered.
// MQTT 5.0 section 4.3.3 forbids it (once PUBREC is received the sender must not re-send the
// PUBLISH). A receiver that completed the message at the PUBREL has forgotten the packet id, as
// the protocol tells it to, and can only take the PUBLISH as a new message. The fault tests use
// this log to tell such a broker-made duplicate from a client's own.
#ifndef OUZEL_TESTS_FAULT_BROKER_STREAM_LOG_H_
#define OUZEL_TESTS_FAULT_BROKER_STREAM_LOG_H_

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace ouzel_fault {

class BrokerStreamLog {
 public:
  // `v5`: the connections speak MQTT 5 (PUBLISH carries properties before its payload).
  explicit BrokerStreamLog(bool v5) : v5_(v5) {}

  // Splits one connection's broker-to-client bytes into packets (call per chunk, in order).
  class Connection {
   public:
    explicit Connection(BrokerStreamLog* log) : log_(log) {}
    void Feed(absl::string_view bytes);

   private:
    BrokerStreamLog* log_;
    std::string pending_;
  };

  // Payloads of QoS 2 messages the broker sent as PUBLISH again after it had sent their PUBREL.
  std::set<std::string> Qos2PublishedAgainAfterPubrel() const;
  uint64_t packets() const;

 private:
  struct Event {
    bool pubrel;  // else PUBLISH
    uint16_t packet_id;
    std::string payload;  // PUBLISH
  };
  void Add(Event e);

  const bool v5_;
  mutable std::mutex mu_;
  std::vector<Event> events_;  // QoS 2 PUBLISH and PUBREL, in the order they were read
  uint64_t packets_ = 0;
};

}  // namespace ouzel_fault

#endif  // OUZEL_TESTS_FAULT_BROKER_STREAM_LOG_H_
