// ouzel_strerror, ouzel_last_error_message, ouzel_version*.
#include "ouzel/errors.h"

#include "capi/src/status_mapping.h"
#include "ouzel/version.h"

#define OUZEL_STRINGIFY_INNER(x) #x
#define OUZEL_STRINGIFY(x) OUZEL_STRINGIFY_INNER(x)

extern "C" {

OUZEL_EXTERN const char* ouzel_strerror(int code) {
  switch (code) {
    case OUZEL_OK:
      return "success";
    case OUZEL_EINVAL:
      return "invalid argument";
    case OUZEL_ENOMEM:
      return "out of memory";
    case OUZEL_ENOTCONN:
      return "not connected";
    case OUZEL_EQUEUEFULL:
      return "outgoing queue is full";
    case OUZEL_ETIMEDOUT:
      return "timed out";
    case OUZEL_ECLOSED:
      return "client is closed";
    case OUZEL_EREFUSED:
      return "refused by the server";
    case OUZEL_EPROTOCOL:
      return "protocol error";
    case OUZEL_ETLS:
      return "TLS error";
    case OUZEL_ETOOLARGE:
      return "too large";
    case OUZEL_EWOULDBLOCK:
      return "operation would block";
    case OUZEL_EBUSY:
      return "busy or not allowed here";
    case OUZEL_EIO:
      return "network error";
    case OUZEL_ENOTSUP:
      return "not supported";
    case OUZEL_ENOTFOUND:
      return "not found";
    case OUZEL_EVERSION:
      return "unknown struct or interface version";
    case OUZEL_EINTERNAL:
      return "internal error";
    case OUZEL_ESTORE:
      return "session store error";
    default:
      return "unknown error";
  }
}

OUZEL_EXTERN const char* ouzel_last_error_message(void) { return ouzel::capi::LastErrorMessage(); }

OUZEL_EXTERN int32_t ouzel_version(void) { return OUZEL_VERSION_NUMBER; }

OUZEL_EXTERN const char* ouzel_version_string(void) {
  return OUZEL_STRINGIFY(OUZEL_VERSION_MAJOR) "." OUZEL_STRINGIFY(
      OUZEL_VERSION_MINOR) "." OUZEL_STRINGIFY(OUZEL_VERSION_PATCH);
}

}  // extern "C"
