// ouzel_client_loop*: the three ways to run a client, over ouzel::Client's driver.
#include "ouzel/loop.h"

#include <limits>

#include "capi/src/handles.h"
#include "capi/src/status_mapping.h"
#include "ouzel/errors.h"

namespace {

using ouzel::capi::Fail;
using ouzel::capi::FromStatus;
using ouzel::capi::Guarded;

// The engine marks "not here, not now" (another driver, inside a callback) as busy, so
// FromStatus gives OUZEL_EBUSY for those and OUZEL_ENOTCONN for a client that is not connected.
int LoopStatus(const absl::Status& s) { return FromStatus(s); }

// For read/write: 0 bytes means the socket had nothing for us.
int IoResult(const absl::StatusOr<size_t>& n) {
  if (!n.ok()) return LoopStatus(n.status());
  return *n == 0 ? OUZEL_EWOULDBLOCK : OUZEL_OK;
}

}  // namespace

extern "C" {

OUZEL_EXTERN int ouzel_client_loop_start(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return LoopStatus(client->client->LoopStart());
  });
}

OUZEL_EXTERN int ouzel_client_loop_stop(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return LoopStatus(client->client->LoopStop());
  });
}

OUZEL_EXTERN int ouzel_client_loop(ouzel_client* client, int32_t timeout_ms) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    const absl::Duration timeout =
        timeout_ms < 0 ? absl::InfiniteDuration() : absl::Milliseconds(timeout_ms);
    absl::Status s = client->client->Loop(timeout);
    // "Not connected" is what a loop on an idle client reports; callers compare with ENOTCONN.
    return LoopStatus(s);
  });
}

OUZEL_EXTERN int ouzel_client_loop_forever(ouzel_client* client, int32_t retry_first_connection) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return LoopStatus(client->client->LoopForever(retry_first_connection != 0));
  });
}

OUZEL_EXTERN int32_t ouzel_client_socket(const ouzel_client* client) {
  return client == nullptr ? -1 : client->client->Socket();
}

OUZEL_EXTERN int32_t ouzel_client_wake_fd(const ouzel_client* client) {
  return client == nullptr ? -1 : client->client->WakeFd();
}

OUZEL_EXTERN int32_t ouzel_client_want_write(const ouzel_client* client) {
  return client != nullptr && client->client->WantWrite() ? 1 : 0;
}

OUZEL_EXTERN int32_t ouzel_client_want_read(const ouzel_client* client) {
  return client != nullptr && client->client->WantRead() ? 1 : 0;
}

OUZEL_EXTERN int ouzel_client_loop_read(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return IoResult(client->client->LoopRead());
  });
}

OUZEL_EXTERN int ouzel_client_loop_write(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return IoResult(client->client->LoopWrite());
  });
}

OUZEL_EXTERN int ouzel_client_loop_misc(ouzel_client* client) {
  return Guarded([&] {
    if (client == nullptr) return Fail(OUZEL_EINVAL, "client must not be NULL");
    return LoopStatus(client->client->LoopMisc());
  });
}

OUZEL_EXTERN int32_t ouzel_client_next_timeout_ms(const ouzel_client* client) {
  if (client == nullptr) return -1;
  std::optional<absl::Duration> t = client->client->NextTimeout();
  if (!t.has_value()) return -1;
  // Round up: waking a millisecond early would find the timer not yet due and spin.
  const int64_t ms = absl::ToInt64Milliseconds(absl::Ceil(*t, absl::Milliseconds(1)));
  if (ms < 0) return 0;
  return ms > std::numeric_limits<int32_t>::max() ? std::numeric_limits<int32_t>::max()
                                                  : static_cast<int32_t>(ms);
}

}  // extern "C"
