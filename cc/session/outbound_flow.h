// OutboundFlow: every outgoing message from Publish to its end — the queue, the inflight window,
// acknowledgements, resending after a reconnect, and the delivery state of each MessageToken.
//
// A message is queued (not yet sent: offline, window full, or behind older messages), then
// inflight (PUBLISH or PUBREL sent, acknowledgement outstanding), then ends acknowledged, expired
// or dropped with a reason. Order is kept: messages are sent in the order they were accepted, and
// resent after a reconnect in the order they were first sent [MQTT-4.4.0-1], before anything new.
//
// - Window: at most min(max_inflight, the server's Receive Maximum) QoS 1/2 messages sent on this
//   connection and not yet PUBACKed / PUBCOMPed (0 max_inflight = no local limit).
// - Queue bounds (messages, bytes of topic + payload) apply to messages that cannot be sent at
// once;
//   QueueFullPolicy says what happens at the limit. A message that fails to be accepted changes
//   nothing.
// - Message Expiry Interval (v5): a queued message whose interval has passed is never sent
//   (kExpired); the owner writes the remaining interval into a PUBLISH sent late.
// - Session Present = 1: inflight messages are sent again (PUBLISH with DUP, or PUBREL for those
//   awaiting PUBCOMP), within the window. Session Present = 0: LostSessionPolicy.
// - QoS 0 messages end when their bytes are written (OnWritten), or with kConnectionLost.
// - StatusOf answers for live messages and for the last `history` finished ones (default 10,000);
//   older finished tokens are forgotten (nullopt).
//
// Writing bytes, events and store records is the owner's, through OutboundSink.
#ifndef OUZEL_CC_SESSION_OUTBOUND_FLOW_H_
#define OUZEL_CC_SESSION_OUTBOUND_FLOW_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cc/codec/packets.h"
#include "cc/session/packet_id_allocator.h"
#include "cc/session/session_events.h"
#include "cc/session/session_options.h"
#include "cc/session/session_store.h"

namespace ouzel {

struct OutgoingMessage {
  using Stage = StoredOutgoing::Stage;

  MessageToken token = 0;
  // The full topic always (never the alias-only form); packet_id set for QoS 1/2; dup as last
  // written. The Topic Alias property, if any, is the application's (manual aliasing).
  PublishPacket publish;
  // Manual aliasing: false when the application gave only the alias (the topic was resolved from
  // it), so the alias-only form may be sent while the server still maps it.
  bool topic_given = true;
  // QoS 0 with SessionOptions::number_qos0_messages: the number it was given.
  uint16_t qos0_number = 0;
  // From the Message Expiry Interval, counted from acceptance.
  std::optional<absl::Time> expires_at;
  Stage stage = Stage::kQueued;
  // For messages from before a restore: the expiry clock starts at the first time we are told.
  bool expiry_clock_pending = false;
  // Inflight only: sent (or resent) on the current connection.
  bool sent_this_connection = false;
  // QoS 0 only: held by the store (queued with keep_qos0_offline), so it is removed when it ends.
  bool stored = false;
  // Awaiting PUBREC or PUBACK (QoS 1/2 once sent).
  bool awaiting_puback() const { return stage == Stage::kPublishSent && publish.qos == 1; }
  bool awaiting_pubrec() const { return stage == Stage::kPublishSent && publish.qos == 2; }
  bool awaiting_pubcomp() const { return stage == Stage::kPubrelSent; }
  size_t queued_bytes() const { return publish.topic.size() + publish.payload.size(); }
};

class OutboundSink {
 public:
  virtual ~OutboundSink() = default;

  struct WriteResult {
    // kNone: written. kTooLarge (over the server's Maximum Packet Size) or kRejected (the server
    // does not allow its QoS or retain; `reason_code` 0x9B / 0x9A): not written, the message ends.
    DropReason drop = DropReason::kNone;
    uint8_t reason_code = 0;
    // The output stream offset just past the packet (for QoS 0 completion).
    uint64_t end_offset = 0;
  };
  // Writes m.publish (dup already set) as a PUBLISH. `resend`: sent again after a reconnect, so
  // with its full topic and no alias.
  virtual WriteResult WritePublish(OutgoingMessage& m, bool resend, absl::Time now) = 0;
  virtual void WritePubrel(uint16_t packet_id, uint8_t reason_code) = 0;
  // A message ended (PublishDoneEvent).
  virtual void Done(MessageToken token, const MessageStatus& status, Properties properties) = 0;
  // SessionStore::PutOutgoing (QoS 1/2, and QoS 0 queued with keep_qos0_offline, so the offline
  // queue survives a restart; `m.stage` says which) and RemoveOutgoing. The sink may move
  // m.publish out and back to avoid a copy.
  virtual absl::Status PersistOutgoing(OutgoingMessage& m) = 0;
  virtual void ForgetOutgoing(MessageToken token) = 0;
  // SessionStore::ReserveTokens.
  virtual absl::Status ReserveTokens(uint64_t end) { return absl::OkStatus(); }
};

class OutboundFlow {
 public:
  struct Limits {
    uint16_t max_inflight = 20;      // 0: no local limit
    size_t max_queued_messages = 0;  // 0: unbounded
    size_t max_queued_bytes = 0;     // 0: unbounded
    QueueFullPolicy queue_full_policy = QueueFullPolicy::kRefuseNew;
    bool keep_qos0_offline = false;  // queue_qos0_while_offline
    bool number_qos0 = false;        // number_qos0_messages
    size_t history = 10000;          // finished tokens StatusOf remembers
  };

  OutboundFlow(Limits limits, PacketIdAllocator* ids, OutboundSink* sink);

  // Takes a validated message: gives it a token (and a packet id for QoS 1/2, or a number for QoS 0
  // when numbering), stores it (QoS 1/2; QoS 0 when it is queued and keep_qos0_offline), then
  // sends or queues it. ResourceExhausted when the
  // queue is full (per policy) or every packet id is in use; a store failure is returned as is.
  // On failure nothing changed.
  absl::StatusOr<MessageToken> Accept(OutgoingMessage message, absl::Time now);

  // CONNACK accepted. `receive_maximum`: the server's (65535 when absent or 3.x). `hold`: send
  // nothing (resends, queue, new messages, which queue behind) until Release.
  void OnConnected(bool session_present, uint16_t receive_maximum, LostSessionPolicy policy,
                   bool hold, absl::Time now);
  // Ends the hold OnConnected started and sends what the window allows. Nothing otherwise.
  void Release(absl::Time now) {
    if (!held_) return;
    held_ = false;
    Pump(now);
  }
  void OnConnectionLost();

  // New limits (the history size is kept). A smaller window or queue drops nothing: it only
  // holds back what comes next. The owner calls Pump afterwards when connected.
  void SetLimits(Limits limits) {
    limits.history = limits_.history;
    limits_ = limits;
  }

  // Sends what the window and the queue allow (after an ack, or when the owner's limits changed).
  void Pump(absl::Time now);

  // Acknowledgements. NotFound for an identifier no inflight message has (the owner logs and
  // ignores it; for MQTT 5 PUBREC a PUBREL 0x92 was written); a status carrying reason 0x82
  // (DisconnectReasonOf) when the ack contradicts the message's state.
  absl::Status OnPuback(const PublishAck& ack, absl::Time now);
  absl::Status OnPubrec(const PublishAck& ack, bool v5, absl::Time now);
  absl::Status OnPubcomp(const PublishAck& ack, absl::Time now);

  // The output stream has been written up to `written_offset`: QoS 0 messages before it end.
  void OnWritten(uint64_t written_offset);

  // Expires queued messages whose interval has passed.
  void OnTimer(absl::Time now);
  std::optional<absl::Time> NextExpiry() const;

  // Restoring from SessionStore::Load (before any connection).
  // Returns how many records were skipped or re-queued under a new packet id (invalid or
  // duplicate).
  size_t Restore(std::vector<StoredOutgoing> stored, uint64_t next_token);

  std::optional<MessageStatus> StatusOf(MessageToken token) const;
  size_t queued_count() const { return queue_.size(); }
  size_t queued_bytes() const { return queued_bytes_; }
  size_t inflight_count() const { return inflight_.size() + qos0_unwritten_.size() - qos0_head_; }
  size_t window_used() const { return window_used_; }
  bool connected() const { return connected_; }

  // For Maximum QoS / Retain Available checks of queued messages, and tests.
  template <typename F>
  void ForEachQueued(F&& f) const {
    for (const OutgoingMessage& m : queue_) f(m);
  }

 private:
  using List = std::list<OutgoingMessage>;

  // Bounded memory of finished tokens: a ring of the last `capacity` and an index over it.
  class History {
   public:
    explicit History(size_t capacity);
    void Add(MessageToken token, const MessageStatus& status);
    const MessageStatus* Find(MessageToken token) const;

   private:
    size_t capacity_;
    std::vector<MessageToken> ring_;
    size_t next_ = 0;
    absl::flat_hash_map<MessageToken, MessageStatus> by_token_;
  };

  struct Qos0Written {
    uint64_t end_offset;
    MessageToken token;
    uint16_t number;
  };

  bool WindowOpen() const;
  bool HasPendingResends() const { return pending_resends_ > 0; }
  // The queued messages to drop (QueueFullPolicy) so that `m` fits, or why it cannot fit.
  absl::StatusOr<std::vector<List::iterator>> PlanRoom(const OutgoingMessage& m);
  void Finish(List& list, List::iterator it, DeliveryState state, DropReason reason,
              uint8_t reason_code, Properties properties);
  void FinishQos0(MessageToken token, uint16_t number, DeliveryState state, DropReason reason);
  void StartRestoredClocks(absl::Time now);
  void WatchExpiry(const OutgoingMessage& m);
  bool Expired(const OutgoingMessage& m, absl::Time now) const {
    return m.expires_at.has_value() && now >= *m.expires_at;
  }
  void SendQueued(absl::Time now);
  void Resend(absl::Time now);
  absl::StatusOr<List::iterator> FindInflight(uint16_t packet_id);

  Limits limits_;
  PacketIdAllocator* ids_;
  OutboundSink* sink_;
  bool connected_ = false;
  bool held_ = false;  // OnConnected(hold) until Release
  uint16_t server_receive_maximum_ = 65535;
  uint64_t next_token_ = 1;
  // Tokens below this are reserved in the store (SessionStore::ReserveTokens), a block at a time.
  uint64_t token_reserved_end_ = 0;

  List queue_;     // kQueued, in acceptance order
  List inflight_;  // QoS 1/2 sent at least once, in first-send order
  absl::flat_hash_map<MessageToken, List::iterator> by_token_;
  absl::flat_hash_map<uint16_t, List::iterator> inflight_by_id_;
  size_t queued_bytes_ = 0;
  size_t window_used_ = 0;      // inflight messages sent on this connection
  size_t pending_resends_ = 0;  // inflight messages not yet sent on this connection
  bool restored_clocks_pending_ = false;

  // QoS 0 messages handed to the output, in token order, from qos0_head_ on. A vector with a
  // moving head rather than a deque: a deque frees and allocates a block every few dozen
  // messages.
  std::vector<Qos0Written> qos0_unwritten_;
  size_t qos0_head_ = 0;
  // Queued messages with an expiry, earliest first. Entries go stale when their message is sent
  // or finished; they are skipped, and the heap is rebuilt when mostly stale.
  using ExpiryEntry = std::pair<absl::Time, MessageToken>;
  std::priority_queue<ExpiryEntry, std::vector<ExpiryEntry>, std::greater<ExpiryEntry>> expiry_;

  History history_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_OUTBOUND_FLOW_H_
