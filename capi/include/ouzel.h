/* Ouzel: an MQTT 3.1 / 3.1.1 / 5.0 client library. The umbrella header.
 *
 * Conventions (capi/README.md has the full list): functions return int, OUZEL_OK (0) or a negative
 * OUZEL_E* code, with detail from ouzel_last_error_message(); objects are opaque, created by
 * ouzel_<object>_new(&out, ...) and released by ouzel_<object>_free (NULL is a no-op); inputs are
 * copied; pointers returned by getters are borrowed from their parent object.
 */
#ifndef OUZEL_H
#define OUZEL_H

#include "ouzel/api.h"
#include "ouzel/client.h"
#include "ouzel/common.h"
#include "ouzel/errors.h"
#include "ouzel/events.h"
#include "ouzel/loop.h"
#include "ouzel/message.h"
#include "ouzel/options.h"
#include "ouzel/persistence.h"
#include "ouzel/properties.h"
#include "ouzel/protocol.h"
#include "ouzel/tls.h"
#include "ouzel/topic.h"
#include "ouzel/version.h"

/* Not included here: ouzel/sys/transport.h (a transport supplied by the application) and
 * ouzel/sys/store.h (a session store supplied by the application), extension points that may
 * still change. Include them yourself to use them. */

#endif /* OUZEL_H */
