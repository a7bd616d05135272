// Engine values as the C API reports them, shared by the callback trampolines (client.cc) and the
// event queue (events.cc) so both say the same thing.
#ifndef OUZEL_CAPI_SRC_EVENT_CODES_H_
#define OUZEL_CAPI_SRC_EVENT_CODES_H_

#include <cstdint>
#include <string>

#include "cc/session/session_events.h"

namespace ouzel::capi {

int32_t DropReasonCode(DropReason reason);  // OUZEL_DROP_*
int32_t LogLevelCode(LogLevel level);       // OUZEL_LOG_*
// The engine level for an OUZEL_LOG_* threshold (paho's numbering: DEBUG is 16).
LogLevel EngineLogLevel(int32_t level);
// A failed connection attempt: the OUZEL_E* code (OUZEL_EREFUSED for a CONNACK refusal) and the
// detail ouzel_last_error_message() gives inside on_connect_fail.
int ConnectFailCode(const ConnectFailedEvent& event, std::string* detail);

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_EVENT_CODES_H_
