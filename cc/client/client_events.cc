// Core's side of the event queue: polls and releases from the application's threads, the
// acknowledgements a release sends, and back-pressure in the driver (received bytes reach the
// session only as far as the queue has room; reading pauses until releases make more).
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/base/busy_status.h"
#include "cc/client/client_core.h"

namespace ouzel {
namespace client_internal {
namespace {

absl::Status NoQueue() {
  return absl::FailedPreconditionError(
      "this client has no event queue (ClientOptions::event_queue.enabled)");
}

}  // namespace

absl::StatusOr<size_t> Core::PollEvents(std::vector<QueuedEvent*>& out, size_t max,
                                        absl::Duration timeout) {
  if (!event_queue_) return NoQueue();
  // A hook runs on the loop thread: waiting there would wait for itself.
  if (IsLoopThread()) return RefuseInsideCallback("PollEvents");
  return event_queue_->Poll(out, max, timeout);
}

absl::Status Core::ReleaseEvents(absl::Span<const EventRelease> releases) {
  if (!event_queue_) return NoQueue();
  thread_local std::vector<EventQueue::PendingAck> acks;
  acks.clear();
  bool wake = false;
  size_t connections_seen = 0;
  if (absl::Status s = event_queue_->Release(releases, &acks, &wake, &connections_seen); !s.ok()) {
    return s;
  }
  if (connections_seen > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closing_.load()) ConnectionSeenLocked(connections_seen);
    wake = true;  // released output for the loop to write
  }
  if (!acks.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    // Destroyed meanwhile: no ack, the server sends the messages again.
    if (!closing_.load()) {
      for (const EventQueue::PendingAck& ack : acks) {
        // A QoS 1 message of a connection that ended is sent again on the next one, possibly
        // under the same packet identifier as another message: it must not be acknowledged.
        if (event_queue_->AckStillValidLocked(ack)) AckLocked(ack.packet_id);
      }
      wake = true;  // the acks are output for the loop to write
    }
  }
  if (wake) WakeLoop();
  return absl::OkStatus();
}

absl::Status Core::InterruptPoll() {
  if (!event_queue_) return NoQueue();
  event_queue_->Interrupt();
  return absl::OkStatus();
}

void Core::AckLocked(uint16_t packet_id) {
  if (session_.state() == SessionState::kDisconnecting) {
    acks_after_close_.push_back(packet_id);
    return;
  }
  // NotFound (a QoS 1 message of a connection that has closed, a held QoS 2 message of a lost
  // session) needs no ack: the server sends it again or has forgotten it.
  session_.Ack(packet_id, Now()).IgnoreError();
}

void Core::FeedSessionLocked(absl::Span<const uint8_t> bytes, absl::Time now) {
  if (!event_queue_) {
    session_.OnBytesReceived(bytes, now);
    return;
  }
  const size_t used = session_.OnBytesReceived(bytes, now, event_queue_->Room());
  if (used == bytes.size()) return;
  unread_.Append(bytes.subspan(used));
  if (read_paused_) return;
  read_paused_ = true;
  read_paused_mirror_.store(true);
  session_.SetReadPaused(true, now);
  event_queue_->SetReadPaused(true);
  // A release between Room() above and SetReadPaused saw reading not paused and woke nobody:
  // look again, now that any later release will wake the loop.
  const InboundLimit room = event_queue_->Room();
  if (room.messages > 0 && room.bytes > 0) waker_->Wake();
}

bool Core::ResumeReading(absl::Time now) {
  if (!read_paused_) return true;
  const InboundLimit room = event_queue_->Room();
  if (room.messages == 0 || room.bytes == 0) return false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const size_t used = session_.OnBytesReceived(unread_.span(), now, room);
    unread_.Consume(used);
    TakeSessionEventsLocked(now);
    if (!unread_.empty()) return false;
    session_.SetReadPaused(false, now);
  }
  read_paused_ = false;
  read_paused_mirror_.store(false);
  event_queue_->SetReadPaused(false);
  return true;
}

void Core::ClearPausedReading() {
  unread_.Clear();
  if (!read_paused_) return;
  read_paused_ = false;
  read_paused_mirror_.store(false);
  event_queue_->SetReadPaused(false);
}

}  // namespace client_internal
}  // namespace ouzel
