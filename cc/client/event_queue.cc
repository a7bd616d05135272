// EventQueue: the FIFO, the blocking poll, and the bookkeeping of released events.
#include "cc/client/event_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ouzel {
namespace client_internal {
namespace {

// Event ids are (client number << 40) + sequence: unique per client, and an id from another
// client's queue is never mistaken for one of ours.
constexpr int kIdSequenceBits = 40;
std::atomic<uint64_t> g_queues_created{0};

bool IsCountedMessage(const ClientEvent& e) {
  const auto* s = std::get_if<SessionEvent>(&e);
  return s != nullptr && std::holds_alternative<MessageEvent>(*s);
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventQueue>> EventQueue::Create(EventQueueOptions options,
                                                               bool manual_ack) {
  const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("cannot create the event queue's descriptor: ", std::strerror(errno)));
  }
  const uint64_t base = (g_queues_created.fetch_add(1) + 1) << kIdSequenceBits;
  return std::unique_ptr<EventQueue>(new EventQueue(std::move(options), manual_ack, fd, base));
}

EventQueue::EventQueue(EventQueueOptions options, bool manual_ack, int fd, uint64_t id_base)
    : options_(std::move(options)), manual_ack_(manual_ack), fd_(fd), next_id_(id_base) {}

EventQueue::~EventQueue() { close(fd_); }

void EventQueue::NoteTakenLocked(const SessionEvent& event, bool resumed) {
  if (const auto* m = std::get_if<MessageEvent>(&event)) {
    const size_t bytes = m->message.topic.size() + m->message.payload.size();
    messages_.fetch_add(1);
    bytes_.fetch_add(bytes);
    stamps_.push_back({bytes, connections_, sessions_});
  } else if (const auto* c = std::get_if<ConnectedEvent>(&event)) {
    if (c->reason_code == 0) {
      ++connections_;
      if (!resumed) ++sessions_;
    }
  }
}

InboundLimit EventQueue::Room() const {
  const size_t messages = messages_.load();
  const size_t bytes = bytes_.load();
  InboundLimit room;
  room.messages = messages >= options_.max_messages ? 0 : options_.max_messages - messages;
  room.bytes = bytes >= options_.max_bytes ? 0 : options_.max_bytes - bytes;
  return room;
}

void EventQueue::Push(std::vector<ClientEvent>& events) {
  if (events.empty()) return;
  // Built outside the lock: the poller is not kept waiting while events are wrapped.
  std::vector<std::unique_ptr<QueuedEvent>> nodes;
  nodes.reserve(events.size());
  for (ClientEvent& e : events) {
    std::unique_ptr<QueuedEvent> node =
        options_.make_event ? options_.make_event() : std::make_unique<QueuedEvent>();
    if (IsCountedMessage(e)) {
      const Message& m = std::get<MessageEvent>(std::get<SessionEvent>(e)).message;
      // Every message event was noted when taken; the stamps come back in the same order.
      const Stamp stamp = stamps_.front();
      stamps_.pop_front();
      node->counted_ = true;
      node->counted_bytes_ = stamp.bytes;
      node->packet_id_ = m.packet_id;
      node->qos_ = m.qos;
      node->connection_ = stamp.connection;
      node->session_ = stamp.session;
      node->ack_on_release = m.qos > 0 && !manual_ack_;
    }
    node->event = std::move(e);
    nodes.push_back(std::move(node));
  }
  events.clear();
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    was_empty = waiting_.empty();
    for (std::unique_ptr<QueuedEvent>& node : nodes) {
      node->id_ = next_id_++;
      waiting_.push_back(std::move(node));
    }
    if (was_empty) {
      const uint64_t one = 1;
      // Cannot fail short of a broken descriptor: the counter is far from overflowing, since it
      // is drained whenever the queue empties.
      [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof(one));
    }
  }
  if (was_empty) cv_.notify_all();
}

void EventQueue::DrainFdLocked() {
  uint64_t value;
  [[maybe_unused]] ssize_t n = read(fd_, &value, sizeof(value));
}

absl::StatusOr<size_t> EventQueue::Poll(std::vector<QueuedEvent*>& out, size_t max,
                                        absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (closed_) return absl::CancelledError("the client is being destroyed");
  ++pollers_;
  auto ready = [&] { return closed_ || interrupts_ > 0 || !waiting_.empty(); };
  if (!ready() && timeout > absl::ZeroDuration()) {
    if (timeout == absl::InfiniteDuration()) {
      cv_.wait(lock, ready);
    } else {
      cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout), ready);
    }
  }
  absl::StatusOr<size_t> result = size_t{0};
  if (closed_) {
    result = absl::CancelledError("the client is being destroyed");
  } else if (interrupts_ > 0) {
    --interrupts_;
  } else {
    const size_t n = std::min(max, waiting_.size());
    out.reserve(out.size() + n);
    for (size_t i = 0; i < n; ++i) {
      std::unique_ptr<QueuedEvent>& node = waiting_.front();
      QueuedEvent* raw = node.get();
      outstanding_.emplace(raw->id_, std::move(node));
      waiting_.pop_front();
      out.push_back(raw);
    }
    if (n > 0 && waiting_.empty()) DrainFdLocked();
    result = n;
  }
  if (--pollers_ == 0 && closed_) left_cv_.notify_all();
  return result;
}

absl::Status EventQueue::Release(absl::Span<const EventRelease> releases,
                                 std::vector<PendingAck>* acks, bool* wake_driver,
                                 size_t* connections_seen) {
  *wake_driver = false;
  size_t seen = 0;
  if (releases.empty()) return absl::OkStatus();
  std::vector<std::unique_ptr<QueuedEvent>> freed;
  freed.reserve(releases.size());
  size_t messages = 0;
  size_t bytes = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < releases.size(); ++i) {
      auto it = outstanding_.find(releases[i].id);
      if (it == outstanding_.end()) {
        // Put back what this call took: a failed release changes nothing.
        for (std::unique_ptr<QueuedEvent>& node : freed) {
          const uint64_t id = node->id_;
          outstanding_.emplace(id, std::move(node));
        }
        return absl::InvalidArgumentError(
            absl::StrCat("event ", i, " of ", releases.size(),
                         " was not polled from this client, or was already released"));
      }
      freed.push_back(std::move(it->second));
      outstanding_.erase(it);
    }
  }
  for (size_t i = 0; i < freed.size(); ++i) {
    const QueuedEvent& node = *freed[i];
    if (const auto* e = std::get_if<SessionEvent>(&node.event)) {
      if (const auto* c = std::get_if<ConnectedEvent>(e); c != nullptr && c->reason_code == 0) {
        ++seen;
      }
    }
    if (!node.counted_) continue;
    ++messages;
    bytes += node.counted_bytes_;
    // The session sends acknowledgements in arrival order whatever order they come in.
    if (releases[i].ack && node.qos_ > 0) {
      acks->push_back({node.packet_id_, node.qos_, node.connection_, node.session_});
    }
  }
  if (messages > 0) {
    messages_.fetch_sub(messages);
    bytes_.fetch_sub(bytes);
    // Sequentially consistent with the driver's SetReadPaused(true) and then Room(): either it
    // sees this room, or this sees it paused and wakes it.
    *wake_driver = read_paused_.load();
  }
  if (connections_seen != nullptr) *connections_seen = seen;
  return absl::OkStatus();  // `freed` is destroyed outside the lock
}

bool EventQueue::AckStillValidLocked(const PendingAck& ack) const {
  return ack.qos == 1 ? ack.connection == connections_ : ack.session == sessions_;
}

void EventQueue::Interrupt() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++interrupts_;
  }
  cv_.notify_all();
}

void EventQueue::Close() {
  std::unique_lock<std::mutex> lock(mu_);
  closed_ = true;
  cv_.notify_all();
  left_cv_.wait(lock, [&] { return pollers_ == 0; });
}

size_t EventQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_.size();
}

size_t EventQueue::outstanding() const {
  std::lock_guard<std::mutex> lock(mu_);
  return outstanding_.size();
}

}  // namespace client_internal
}  // namespace ouzel
