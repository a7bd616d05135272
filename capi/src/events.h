// The C API's side of the event queue (ouzel/events.h): what ouzel_client_new and the options need
// from events.cc.
#ifndef OUZEL_CAPI_SRC_EVENTS_H_
#define OUZEL_CAPI_SRC_EVENTS_H_

#include <cstdint>

#include "cc/client/queued_event.h"
#include "ouzel/options.h"

namespace ouzel::capi {

// Events are kept in objects that also hold the C views of them (ouzel_event's message and
// properties pointers), so a poll allocates nothing beyond the event itself.
void UseCEvents(EventQueueOptions* options);

// OUZEL_OPT_EVENT_QUEUE*: whether `option` is one of them, setting one (validated; nothing
// changes on error) and reading one back.
bool IsEventQueueOption(int32_t option);
int SetEventQueueOption(ouzel_options* opts, int32_t option, int64_t value);
int GetEventQueueOption(const ouzel_options& opts, int32_t option, int64_t* out);

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_EVENTS_H_
