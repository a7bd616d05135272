#include "cc/session/keepalive.h"

namespace ouzel {

void Keepalive::StartConnect(absl::Time now, absl::Duration timeout) {
  mode_ = Mode::kConnecting;
  connect_deadline_ = timeout > absl::ZeroDuration() ? now + timeout : absl::InfiniteFuture();
  ping_outstanding_ = false;
}

void Keepalive::Start(absl::Time now, absl::Duration keep_alive, absl::Duration ping_timeout) {
  mode_ = Mode::kConnected;
  keep_alive_ = keep_alive;
  ping_timeout_ = ping_timeout > absl::ZeroDuration() ? ping_timeout : keep_alive;
  ping_outstanding_ = false;
  read_paused_ = false;
  // CONNECT was the last packet sent; if the writes were never reported, count from now.
  if (last_sent_ == absl::InfinitePast()) last_sent_ = now;
}

void Keepalive::Stop() {
  mode_ = Mode::kOff;
  ping_outstanding_ = false;
  read_paused_ = false;
  last_sent_ = absl::InfinitePast();
}

Keepalive::Action Keepalive::Check(absl::Time now) {
  switch (mode_) {
    case Mode::kOff:
      return Action::kNone;
    case Mode::kConnecting:
      return now >= connect_deadline_ ? Action::kConnectTimedOut : Action::kNone;
    case Mode::kConnected:
      break;
  }
  if (keep_alive_ <= absl::ZeroDuration()) return Action::kNone;
  if (ping_outstanding_ && !read_paused_) {
    return now >= ping_deadline_ ? Action::kPingTimedOut : Action::kNone;
  }
  if (now >= last_sent_ + keep_alive_) {
    ping_outstanding_ = true;
    ping_deadline_ = now + ping_timeout_;
    return Action::kSendPingreq;
  }
  return Action::kNone;
}

void Keepalive::SetReadPaused(bool paused, absl::Time now) {
  if (paused == read_paused_) return;
  read_paused_ = paused;
  // The PINGRESP of a PINGREQ sent before or during the pause may be among the bytes not read
  // yet: it gets a whole ping timeout from now.
  if (!paused && ping_outstanding_) ping_deadline_ = now + ping_timeout_;
}

std::optional<absl::Time> Keepalive::NextDeadline() const {
  switch (mode_) {
    case Mode::kOff:
      return std::nullopt;
    case Mode::kConnecting:
      if (connect_deadline_ == absl::InfiniteFuture()) return std::nullopt;
      return connect_deadline_;
    case Mode::kConnected:
      break;
  }
  if (keep_alive_ <= absl::ZeroDuration()) return std::nullopt;
  if (ping_outstanding_ && !read_paused_) return ping_deadline_;
  return last_sent_ + keep_alive_;
}

}  // namespace ouzel
