// Keepalive: the connection's timers — connect timeout, PINGREQ when idle, PINGRESP timeout.
//
// MQTT's Keep Alive obliges the client to send some packet at least every Keep Alive seconds
// (5.0 §3.1.2.10, 3.1.1 §3.1.2.10): receiving does not count. So a PINGREQ is due when nothing
// was written for the interval, and the connection is dead when its PINGRESP does not come within
// the ping timeout. Before CONNACK only the connect timeout runs. Pure: it is told the time.
// While the client has stopped reading (SetReadPaused: its application is behind) PINGREQs are
// still sent every Keep Alive interval, but no PINGRESP is awaited: an answer that cannot be read
// says nothing about the server. The wait starts again when reading resumes.
//
//   Keepalive k;
//   k.StartConnect(now, absl::Seconds(30));
//   ...CONNACK...
//   k.Start(now, absl::Seconds(60), absl::ZeroDuration());  // ping timeout = keep alive
//   switch (k.Check(now)) { case Keepalive::Action::kSendPingreq: ... }
#ifndef OUZEL_CC_SESSION_KEEPALIVE_H_
#define OUZEL_CC_SESSION_KEEPALIVE_H_

#include <optional>

#include "absl/time/time.h"

namespace ouzel {

class Keepalive {
 public:
  enum class Action {
    kNone,
    kSendPingreq,      // write a PINGREQ now (Check has recorded it as outstanding)
    kConnectTimedOut,  // no CONNACK within the connect timeout
    kPingTimedOut,     // no PINGRESP within the ping timeout: the connection is dead
  };

  // Transport up, CONNECT written: CONNACK is due within `timeout` (zero or less: no limit).
  void StartConnect(absl::Time now, absl::Duration timeout);
  // CONNACK received. `keep_alive` zero disables pings; `ping_timeout` zero means `keep_alive`.
  void Start(absl::Time now, absl::Duration keep_alive, absl::Duration ping_timeout);
  // No connection: no deadlines.
  void Stop();

  // Bytes reached the transport at `now`.
  void OnSent(absl::Time now) { last_sent_ = now; }
  void OnPingresp() { ping_outstanding_ = false; }
  // The client stopped (true) or resumed (false) reading from the connection at `now`.
  void SetReadPaused(bool paused, absl::Time now);

  // What is due at `now`. kSendPingreq starts the PINGRESP timeout.
  Action Check(absl::Time now);
  std::optional<absl::Time> NextDeadline() const;

  bool ping_outstanding() const { return ping_outstanding_; }
  bool read_paused() const { return read_paused_; }
  absl::Duration keep_alive() const { return keep_alive_; }

 private:
  enum class Mode { kOff, kConnecting, kConnected };
  Mode mode_ = Mode::kOff;
  absl::Time connect_deadline_ = absl::InfiniteFuture();
  absl::Duration keep_alive_ = absl::ZeroDuration();
  absl::Duration ping_timeout_ = absl::ZeroDuration();
  absl::Time last_sent_ = absl::InfinitePast();
  bool ping_outstanding_ = false;
  absl::Time ping_deadline_ = absl::InfiniteFuture();
  bool read_paused_ = false;
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_KEEPALIVE_H_
