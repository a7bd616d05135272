// EventQueue: the FIFO behind Client::PollEvents — filled by the loop thread, drained in batches
// by any thread, with the bookkeeping for back-pressure and for acknowledging released messages.
// Internal to cc/client (the Core owns one when ClientOptions::event_queue.enabled).
//
// The descriptor fd() is level-triggered: readable exactly while events wait to be polled (one
// eventfd write when the queue goes from empty to non-empty, one read when a poll empties it), so
// a burst of events read together costs the poller one wake-up.
//
// Locking: the queue has its own mutex, never held while calling out. Methods named ...Locked are
// called with the client's session lock held instead (the loop thread taking the session's events,
// or an acknowledgement being sent), which orders them with the session.
#ifndef OUZEL_CC_CLIENT_EVENT_QUEUE_H_
#define OUZEL_CC_CLIENT_EVENT_QUEUE_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cc/client/queued_event.h"
#include "cc/session/session.h"

namespace ouzel {
namespace client_internal {

class EventQueue {
 public:
  // A received QoS 1/2 message to acknowledge after its release.
  struct PendingAck {
    uint16_t packet_id = 0;
    uint8_t qos = 0;
    uint64_t connection = 0;
    uint64_t session = 0;
  };

  // Internal when no eventfd can be made. `manual_ack`: messages start with ack_on_release false.
  static absl::StatusOr<std::unique_ptr<EventQueue>> Create(EventQueueOptions options,
                                                            bool manual_ack);
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  const EventQueueOptions& options() const { return options_; }
  int fd() const { return fd_; }

  // --- The loop thread --------------------------------------------------------------------------
  // Each session event as it is taken from the session, in order, with the client's lock held:
  // a message starts counting against the bounds and gets its connection and session; a CONNACK
  // starts a connection (`resumed`: the server kept the session; otherwise a new session).
  void NoteTakenLocked(const SessionEvent& event, bool resumed);
  // What the session may still deliver before reading must pause.
  InboundLimit Room() const;
  // The driver stopped (true) or resumed reading for lack of room. While it is stopped, a release
  // asks for the driver to be woken (Release's `wake_driver`).
  void SetReadPaused(bool paused) { read_paused_.store(paused); }
  // Appends `events` (moved out; the vector is cleared) in order; wakes pollers and makes fd()
  // readable if the queue was empty.
  void Push(std::vector<ClientEvent>& events);

  // --- Any thread -------------------------------------------------------------------------------
  // Moves up to `max` events into `out` (appended), waiting up to `timeout` for the first (zero:
  // no wait; InfiniteDuration: until one comes). 0 after a timeout or an Interrupt. Cancelled once
  // Close has begun.
  absl::StatusOr<size_t> Poll(std::vector<QueuedEvent*>& out, size_t max, absl::Duration timeout);
  // Takes back polled events: all of them, or none with InvalidArgument (an id not polled from
  // this queue, released already, or twice in `releases`). Frees them, appends the
  // acknowledgements to send to `acks` (for the Core, in arrival order), sets `wake_driver`
  // when reading is paused and the driver should look again, and counts the accepted
  // connections' events released in `connections_seen` (if not null).
  absl::Status Release(absl::Span<const EventRelease> releases, std::vector<PendingAck>* acks,
                       bool* wake_driver, size_t* connections_seen = nullptr);
  // With the client's lock held: whether `ack` is for the current connection (QoS 1) or session
  // (QoS 2), so its packet identifier still names that message.
  bool AckStillValidLocked(const PendingAck& ack) const;
  // Makes one blocked Poll (or the next one) return 0.
  void Interrupt();
  // Every Poll, blocked or later, returns Cancelled; returns once none is inside Poll.
  void Close();

  // Message events queued or polled and not released, and their bytes.
  size_t messages_held() const { return messages_.load(); }
  size_t bytes_held() const { return bytes_.load(); }
  // Events waiting to be polled / polled and not released.
  size_t waiting() const;
  size_t outstanding() const;

 private:
  EventQueue(EventQueueOptions options, bool manual_ack, int fd, uint64_t id_base);
  void DrainFdLocked();

  const EventQueueOptions options_;
  const bool manual_ack_;
  const int fd_;

  // Back-pressure accounting: messages taken from the session and not released yet.
  std::atomic<size_t> messages_{0};
  std::atomic<size_t> bytes_{0};
  std::atomic<bool> read_paused_{false};

  // The client's lock guards these (NoteTakenLocked, AckStillValidLocked): connections and
  // sessions started, and the stamps of taken messages not yet pushed, in order.
  uint64_t connections_ = 0;
  uint64_t sessions_ = 0;
  struct Stamp {
    size_t bytes;
    uint64_t connection;
    uint64_t session;
  };
  std::deque<Stamp> stamps_;

  mutable std::mutex mu_;
  std::condition_variable cv_;       // events arrived, interrupt, close
  std::condition_variable left_cv_;  // a poller left (for Close)
  std::deque<std::unique_ptr<QueuedEvent>> waiting_;
  absl::flat_hash_map<uint64_t, std::unique_ptr<QueuedEvent>> outstanding_;
  uint64_t next_id_;
  int interrupts_ = 0;
  int pollers_ = 0;
  bool closed_ = false;
};

}  // namespace client_internal
}  // namespace ouzel

#endif  // OUZEL_CC_CLIENT_EVENT_QUEUE_H_
