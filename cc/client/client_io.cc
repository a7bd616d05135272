// Bytes between the transport and the session: reading, output flushing (the store flushed before
// the bytes its records protect) and closing once the session's last bytes are out.
#include "cc/client/client_core.h"

namespace ouzel {
namespace client_internal {

size_t Core::ReadAvailable(absl::Time now) {
  size_t total = 0;
  for (int i = 0; i < kMaxReadsPerCall && link_ == Link::kUp; ++i) {
    // The event queue is full: nothing more is read until releases make room.
    if (read_paused_ && !ResumeReading(now)) break;
    absl::StatusOr<size_t> r = transport_->Read(absl::MakeSpan(read_buf_));
    if (!r.ok()) {
      DropLink(now, r.status(), /*schedule=*/true);
      break;
    }
    size_t n = *r;
    if (n > 0) {
      total += n;
      bytes_received_.fetch_add(n, std::memory_order_relaxed);
      std::lock_guard<std::mutex> lock(mu_);
      FeedSessionLocked(absl::MakeConstSpan(read_buf_.data(), n), now);
      TakeSessionEventsLocked(now);
      if (session_.wants_close()) break;  // nothing more is read from a connection being closed
      if (read_paused_) break;
    }
    // Level-triggered: a short read means the socket is drained (no extra EAGAIN syscall).
    if (n < read_buf_.size() && !transport_->HasBufferedInput()) break;
  }
  return total;
}

bool Core::FlushStore(absl::Time now) {
  if (store_ == nullptr) return true;
  absl::Status s = store_->Flush();
  if (s.ok()) {
    store_error_ = absl::OkStatus();
    return true;
  }
  s = absl::Status(s.code(), absl::StrCat("session store: ", s.message()));
  if (s != store_error_) Log(LogLevel::kError, s.ToString());
  store_error_ = s;
  // Sending what the store could not record would break what it promises after a restart.
  DropLink(now, s, /*schedule=*/true);
  return false;
}

size_t Core::FlushOutput(absl::Time now) {
  if (link_ != Link::kUp || !transport_) {
    // Offline: the offline queue's records reach the store within one iteration. While a link
    // is up the store is flushed only before bytes are written (below), so records that protect
    // no packet (e.g. a removal after PUBACK: losing it means at most a resend after a crash)
    // share the next write and sync instead of costing one each.
    FlushStore(now);
    return 0;
  }
  if (WantsWrite(transport_->interest())) {
    absl::Status flushed = transport_->Flush();
    if (!flushed.ok()) {
      DropLink(now, flushed, /*schedule=*/true);
      return 0;
    }
  }
  // Take everything the session has (from every thread's calls since the last flush) and write
  // it in as few system calls as the socket allows.
  // Returns whether new bytes were taken: their store records must then be flushed first.
  auto take_more = [&]() -> bool {
    absl::Span<const uint8_t> pending = session_.PendingOutput();
    if (pending.size() < copied_) {
      // The session dropped output we had copied; it never does while a link is up.
      write_buf_.Clear();
      write_off_ = 0;
      copied_ = 0;
    }
    if (pending.size() > copied_) {
      if (write_off_ == write_buf_.size()) {
        write_buf_.Clear();
        write_off_ = 0;
      }
      write_buf_.Append(pending.subspan(copied_));
      copied_ = pending.size();
      return true;
    }
    return false;
  };
  bool taken;
  {
    std::lock_guard<std::mutex> lock(mu_);
    taken = take_more();
  }
  // Another thread's Publish may have stored records since the flush above.
  if (taken && !FlushStore(now)) return 0;
  size_t total = 0;
  while (write_off_ < write_buf_.size() && link_ == Link::kUp) {
    absl::StatusOr<size_t> r = transport_->Write(
        absl::MakeConstSpan(write_buf_.data() + write_off_, write_buf_.size() - write_off_));
    if (!r.ok()) {
      DropLink(now, r.status(), /*schedule=*/true);
      return total;
    }
    size_t n = *r;
    if (n == 0) break;
    write_off_ += n;
    total += n;
    {
      std::lock_guard<std::mutex> lock(mu_);
      copied_ -= n;
      session_.OnOutputWritten(n, now);
      TakeSessionEventsLocked(now);
      taken = take_more();
    }
    if (taken && !FlushStore(now)) break;
  }
  if (write_off_ == write_buf_.size()) {
    write_buf_.Clear();
    write_off_ = 0;
  } else if (write_off_ >= kCompactWriteBufferAt) {
    write_buf_.Consume(write_off_);
    write_off_ = 0;
  }
  if (total > 0) bytes_sent_.fetch_add(total, std::memory_order_relaxed);
  return total;
}

void Core::MaybeClose(absl::Time now) {
  if (link_ != Link::kUp) return;
  bool wants_close, drained;
  {
    std::lock_guard<std::mutex> lock(mu_);
    wants_close = session_.wants_close();
    drained = session_.PendingOutput().empty();
  }
  if (!wants_close) return;
  if (close_deadline_ == absl::InfiniteFuture()) close_deadline_ = now + options_.close_linger;
  if (!drained && now < close_deadline_) return;
  DropLink(now, absl::OkStatus(), /*schedule=*/true);
}

}  // namespace client_internal
}  // namespace ouzel
