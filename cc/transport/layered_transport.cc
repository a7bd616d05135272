#include "cc/transport/layered_transport.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"

namespace ouzel {

LayeredTransport::LayeredTransport(std::unique_ptr<Transport> inner,
                                   absl::Duration handshake_timeout)
    : inner_(std::move(inner)), handshake_timeout_(handshake_timeout) {}

absl::Status LayeredTransport::StartConnect(absl::Time now, absl::Time deadline) {
  deadline_ = deadline;
  stage_ = Stage::kInner;
  return inner_->StartConnect(now, deadline);
}

absl::StatusOr<bool> LayeredTransport::ContinueConnect(absl::Time now) {
  switch (stage_) {
    case Stage::kOpen:
      return true;
    case Stage::kIdle:
    case Stage::kClosed:
      return absl::FailedPreconditionError(
          absl::StrCat(Describe(), ": ContinueConnect without StartConnect"));
    case Stage::kInner: {
      absl::StatusOr<bool> ready = inner_->ContinueConnect(now);
      if (!ready.ok()) {
        Close();
        return InnerConnectFailed(ready.status());
      }
      if (!*ready) return false;
      stage_ = Stage::kHandshake;
      handshake_deadline_ = std::min(deadline_, now + handshake_timeout_);
      break;
    }
    case Stage::kHandshake:
      break;
  }
  if (now >= handshake_deadline_) {
    Close();
    return absl::DeadlineExceededError(absl::StrCat(Describe(), ": handshake timed out"));
  }
  absl::Status flushed = FlushOutput();
  absl::StatusOr<bool> done = flushed.ok() ? HandshakeStep(now) : absl::StatusOr<bool>(flushed);
  if (done.ok()) {
    absl::Status after = FlushOutput();
    if (!after.ok()) done = after;
  }
  if (!done.ok()) {
    Close();
    return done.status();
  }
  if (*done) stage_ = Stage::kOpen;
  return *done;
}

void LayeredTransport::Close() {
  if (stage_ != Stage::kIdle) stage_ = Stage::kClosed;
  output_.Clear();
  inner_->Close();
}

IoInterest LayeredTransport::interest() const {
  IoInterest own = IoInterest::kNone;
  switch (stage_) {
    case Stage::kInner:
      return inner_->interest();
    case Stage::kHandshake:
      own = HandshakeInterest();
      break;
    case Stage::kOpen:
      own = IoInterest::kRead;
      break;
    case Stage::kIdle:
    case Stage::kClosed:
      return IoInterest::kNone;
  }
  if (!output_.empty()) own = own | IoInterest::kWrite;
  return own | inner_->interest();
}

std::optional<absl::Time> LayeredTransport::NextTimeout() const {
  std::optional<absl::Time> inner = inner_->NextTimeout();
  if (stage_ != Stage::kHandshake) return inner;
  if (!inner.has_value()) return handshake_deadline_;
  return std::min(*inner, handshake_deadline_);
}

void LayeredTransport::QueueOutput(absl::Span<const uint8_t> bytes) {
  output_.Reserve(bytes.size());
  output_.Append(bytes);
}

absl::Status LayeredTransport::FlushOutput() {
  while (!output_.empty()) {
    OUZEL_ASSIGN_OR_RETURN(size_t n, inner_->Write(output_.span()));
    if (n == 0) break;
    output_.Consume(n);
  }
  return inner_->Flush();
}

}  // namespace ouzel
