// InboundTracker: the receiving side of QoS 1 and 2 — acknowledgements, exactly-once delivery and
// our Receive Maximum.
//
// - QoS 2 packet identifiers are remembered from PUBLISH until PUBCOMP. A PUBLISH re-sent for an
//   identifier still remembered is answered (PUBREC again) but not delivered again, so the
//   application sees each QoS 2 message exactly once [MQTT-4.3.3-10 (5.0)].
// - Qos2Delivery::kOnPublish delivers at PUBLISH and sends PUBREC (at once, or at Ack in manual
//   mode); kOnPubrel holds the message, sends PUBREC at once, delivers at PUBREL and sends PUBCOMP
//   after delivery (at Ack in manual mode).
// - Manual acknowledgement: the application acks in any order; PUBACK and PUBREC still go out in
//   the order the PUBLISHes arrived [MQTT-4.6.0-2, MQTT-4.6.0-3] (one queue for both, which
//   satisfies the per-QoS rule too).
// - MQTT 5: more unacknowledged QoS 1/2 PUBLISHes on one connection than the Receive Maximum we
//   sent in CONNECT is a 0x93 Receive Maximum exceeded [MQTT-3.3.4-9]. A message counts from its
//   PUBLISH until we send its PUBACK or PUBCOMP.
//
// Ack order is per connection (a closed connection's pending acks are dropped: the server re-sends
// those PUBLISHes); QoS 2 state is per session (kept across connections until Session Present = 0).
// The owner supplies an InboundSink for deliveries, acknowledgements and store writes.
#ifndef OUZEL_CC_SESSION_INBOUND_TRACKER_H_
#define OUZEL_CC_SESSION_INBOUND_TRACKER_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "cc/codec/packets.h"
#include "cc/session/session_events.h"
#include "cc/session/session_options.h"

namespace ouzel {

class InboundSink {
 public:
  virtual ~InboundSink() = default;
  // Hands a message to the application.
  virtual void Deliver(Message message) = 0;
  // Writes PUBACK, PUBREC or PUBCOMP.
  virtual void SendAck(PacketType type, uint16_t packet_id, uint8_t reason_code) = 0;
  // SessionStore::PutIncoming / RemoveIncoming, called before the PUBREC / PUBCOMP they protect.
  virtual void PersistIncoming(uint16_t packet_id, const PublishPacket* held) = 0;
  virtual void ForgetIncoming(uint16_t packet_id) = 0;
};

class InboundTracker {
 public:
  struct Options {
    bool manual_ack = false;
    Qos2Delivery qos2_delivery = Qos2Delivery::kOnPublish;
    bool v5 = false;
    // Ours, as sent in CONNECT (absent: 65535). Enforced for MQTT 5 only.
    uint16_t receive_maximum = 65535;
  };

  InboundTracker(Options options, InboundSink* sink) : options_(options), sink_(sink) {}

  // A connection is established (after CONNACK): acknowledgements may be written.
  void OnConnected() { connected_ = true; }
  // Our Receive Maximum changed (a new CONNECT will send it).
  void SetReceiveMaximum(uint16_t receive_maximum) { options_.receive_maximum = receive_maximum; }
  // The connection closed: pending acknowledgements and the Receive Maximum count are dropped.
  void OnConnectionLost();
  // The server has no session for us (Session Present = 0): QoS 2 state is forgotten. Messages
  // held for PUBREL are delivered now: we took them over with PUBREC and their PUBREL can no
  // longer come.
  void DiscardSession();

  // An incoming PUBLISH (topic already resolved). Errors carry the DISCONNECT reason code
  // (DisconnectReasonOf): 0x93 Receive Maximum exceeded. Nothing is delivered then.
  absl::Status OnPublish(PublishPacket publish);
  // Errors: 0x82 for a PUBREL before we sent PUBREC for that identifier.
  absl::Status OnPubrel(const PubrelPacket& pubrel);

  // Manual acknowledgement (Session::Ack). FailedPrecondition when manual_ack is off or the
  // message was already acknowledged, InvalidArgument for 0, NotFound for an identifier with no
  // delivered, unacknowledged message (e.g. a QoS 1 message from a connection that has closed: the
  // server sends it again).
  absl::Status Ack(uint16_t packet_id);

  // Restoring a session: a QoS 2 identifier we had sent PUBREC for, with the message when it was
  // held for PUBREL. AlreadyExists for a duplicate.
  absl::Status Restore(uint16_t packet_id, std::optional<PublishPacket> held);

  // QoS 2 identifiers remembered (awaiting PUBREL, or awaiting the application's ack).
  size_t qos2_count() const { return qos2_.size(); }
  // QoS 1/2 messages received on this connection and not yet PUBACKed / PUBCOMPed.
  size_t unacknowledged_count() const { return unacked_count_; }
  bool IsQos2Known(uint16_t packet_id) const { return qos2_.contains(packet_id); }

 private:
  struct Qos2State {
    std::optional<PublishPacket> held;  // kOnPubrel: not delivered yet
    bool app_acked = false;    // the manual step done (PUBREC for kOnPublish, else PUBCOMP)
    bool pubrec_sent = false;  // and persisted
    bool pubrel_seen = false;  // delivered at PUBREL, PUBCOMP waiting for the application
    bool in_ack_queue = false;
  };
  struct PendingAck {
    uint16_t packet_id;
    uint8_t qos;
    bool acked;
  };

  absl::Status CountUnacked(uint16_t packet_id);
  void Uncount(uint16_t packet_id);
  void Release();
  void Complete(uint16_t packet_id);
  static Message ToMessage(PublishPacket&& p);

  Options options_;
  InboundSink* sink_;
  bool connected_ = false;
  std::deque<PendingAck> ack_queue_;  // arrival order, this connection
  absl::flat_hash_map<uint16_t, Qos2State> qos2_;
  std::bitset<65536> unacked_;  // this connection
  size_t unacked_count_ = 0;
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_INBOUND_TRACKER_H_
