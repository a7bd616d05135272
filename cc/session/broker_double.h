// BrokerDouble: a test double that plays the broker against a Session, with the codec.
//
// It feeds the session encoded server packets, reads back what the session wrote (decoded, and
// reported written), and keeps a fake clock. Short text forms of packets and events keep tests
// readable: "PUBLISH a q1 id=1 dup", "PUBACK 1", "PublishDone #1 acked".
//
//   BrokerDouble b(options);
//   b.Connect();                                  // OnTransportUp, CONNECT read, CONNACK sent
//   b.session().Publish({.topic = "a", .qos = 1}, b.now());
//   EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1"}));
//   b.Send(PubackPacket{{1}});
#ifndef OUZEL_CC_SESSION_BROKER_DOUBLE_H_
#define OUZEL_CC_SESSION_BROKER_DOUBLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cc/codec/packets.h"
#include "cc/codec/stream_decoder.h"
#include "cc/session/session.h"

namespace ouzel {

using Lines = std::vector<std::string>;

// "CONNECT id=c clean=1 ka=60", "PUBLISH t q1 id=3 dup retain alias=2 expiry=5 'payload'",
// "PUBACK 3", "PUBREL 4 rc=0x92", "SUBSCRIBE 1 a/+ q1, b q0", "DISCONNECT rc=0x82", ...
std::string Brief(const Packet& packet);
// "Connected sp=1", "ConnectFailed rc=0x87 PERMISSION_DENIED", "Disconnected rc=0x82 DATA_LOSS",
// "Disconnected server rc=0x9c UNAVAILABLE", "Message t q1 id=3 'payload'",
// "PublishDone #1 acked", "PublishDone #2 dropped/session-lost rc=0x87", "Suback 1 [0x01]",
// "Unsuback 2 []", "Auth 0x18".
std::string Brief(const SessionEvent& event);

class BrokerDouble {
 public:
  explicit BrokerDouble(SessionOptions options, SessionStore* store = nullptr);

  Session& session() { return session_; }
  absl::Time now() const { return now_; }
  // Moves the clock; Tick also calls OnTimer.
  void Advance(absl::Duration d) { now_ += d; }
  void Tick(absl::Duration d);

  void Up();
  void Down(absl::Status error = absl::UnavailableError("connection reset"));

  // What the session wrote since the last read, reported written.
  std::vector<Packet> ReadPackets();
  Lines Read();
  std::vector<uint8_t> ReadBytes();

  void Send(const Packet& packet);
  void SendBytes(absl::Span<const uint8_t> bytes);

  std::vector<SessionEvent> TakeEvents() { return session_.TakeEvents(); }
  Lines Events();

  // Up, read CONNECT, answer with a successful CONNACK. Returns the CONNECT.
  ConnectPacket Connect(bool session_present = false, Properties connack_properties = {});

 private:
  SessionOptions options_;
  absl::Time now_;
  Session session_;
  StreamDecoder decoder_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_BROKER_DOUBLE_H_
