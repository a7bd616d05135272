// The one table mapping engine statuses to OUZEL_E* codes, and the thread-local error detail.
//
// Every exported function ends in one of these helpers, so the mapping cannot drift between
// functions:
//
//   return ouzel::capi::Fail(OUZEL_EINVAL, "topic must not be NULL");
//   return ouzel::capi::FromStatus(session.Publish(...).status());
#ifndef OUZEL_CAPI_SRC_STATUS_MAPPING_H_
#define OUZEL_CAPI_SRC_STATUS_MAPPING_H_

#include <new>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ouzel::capi {

// The OUZEL_E* code for `status` (OUZEL_OK for OK). Records its message as the thread's last error.
int FromStatus(const absl::Status& status);
// The same code without recording anything (for errors reported as data, e.g. in events).
int CodeOf(const absl::Status& status);
// The reverse, for errors the application reports to the engine (a custom transport's slots):
// a status that FromStatus maps back to `code` for OUZEL_EIO, ETLS, EREFUSED, ETIMEDOUT,
// EPROTOCOL, ENOTFOUND, ENOTSUP and EINVAL. Any other code gives an Unavailable status (OUZEL_EIO)
// whose message names the code. `code` must not be OUZEL_OK.
absl::Status StatusFromCode(int code, absl::string_view message);
// Records `detail` as the thread's last error and returns `code`.
int Fail(int code, absl::string_view detail);
// Clears the thread's last error (successful calls leave the previous detail alone, as errno does;
// this is for calls that want a clean slate).
void ClearLastError();
const char* LastErrorMessage();

// Runs `body` (returning an OUZEL_* int) so that no C++ exception can cross the C boundary:
// allocation failure becomes OUZEL_ENOMEM, anything else OUZEL_EINTERNAL.
template <typename Body>
int Guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(-2 /* OUZEL_ENOMEM */, "out of memory");
  } catch (...) {
    return Fail(-17 /* OUZEL_EINTERNAL */, "unexpected C++ exception inside Ouzel");
  }
}

// A (pointer, length) string argument; SIZE_MAX means NUL-terminated. NULL gives "".
absl::string_view StringArg(const char* s, size_t len);

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_STATUS_MAPPING_H_
