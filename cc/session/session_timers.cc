// Keepalive and the other timers: PINGREQ when idle, connect / ping / re-authentication timeouts
// ending the connection, and message expiry (OnTimer).
#include "absl/strings/str_cat.h"
#include "cc/session/session.h"

namespace ouzel {

namespace {

constexpr uint8_t kUnspecifiedError = 0x80;
constexpr uint8_t kKeepAliveTimeout = 0x8D;

}  // namespace

void Session::OnTimer(absl::Time now) {
  outbound_.OnTimer(now);
  switch (keepalive_.Check(now)) {
    case Keepalive::Action::kNone:
      break;
    case Keepalive::Action::kSendPingreq:
      Write(Packet(PingreqPacket{}));
      break;
    case Keepalive::Action::kConnectTimedOut:
      Abort(absl::DeadlineExceededError(absl::StrCat("no CONNACK within the connect timeout (",
                                                     absl::FormatDuration(options_.connect_timeout),
                                                     ")")),
            0, /*send_disconnect=*/false);
      return;
    case Keepalive::Action::kPingTimedOut:
      Abort(absl::DeadlineExceededError(
                absl::StrCat("no PINGRESP within the ping timeout (",
                             absl::FormatDuration(options_.ping_timeout > absl::ZeroDuration()
                                                      ? options_.ping_timeout
                                                      : keepalive_.keep_alive()),
                             "): the connection is considered dead")),
            kKeepAliveTimeout, /*send_disconnect=*/false);
      return;
  }
  if (reauthenticating_ && now >= reauth_deadline_) {
    Abort(absl::DeadlineExceededError(
              absl::StrCat("re-authentication did not complete within the connect timeout (",
                           absl::FormatDuration(options_.connect_timeout), ")")),
          kUnspecifiedError, /*send_disconnect=*/true);
  }
}

}  // namespace ouzel
