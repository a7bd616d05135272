// The definitions behind the C API's opaque handles. Only capi/src sees them.
#ifndef OUZEL_CAPI_SRC_HANDLES_H_
#define OUZEL_CAPI_SRC_HANDLES_H_

#include <utility>

#include "cc/codec/properties.h"
#include "cc/session/session_events.h"

struct ouzel_properties {
  ouzel::Properties props;
};

// ouzel_message_properties hands out an ouzel_properties*, so the message's properties live in
// `properties` and `message.properties` stays empty: build one with FromMessage.
struct ouzel_message {
  ouzel::Message message;
  ouzel_properties properties;

  static ouzel_message FromMessage(ouzel::Message m) {
    ouzel_message out;
    out.properties.props = std::move(m.properties);
    m.properties.Clear();
    out.message = std::move(m);
    return out;
  }
};

#endif  // OUZEL_CAPI_SRC_HANDLES_H_
