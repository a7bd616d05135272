/* Ouzel C API: versions. */
#ifndef OUZEL_VERSION_H
#define OUZEL_VERSION_H

#include "ouzel/common.h"

#define OUZEL_VERSION_MAJOR 0
#define OUZEL_VERSION_MINOR 1
#define OUZEL_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, for compile-time comparisons. */
#define OUZEL_VERSION_NUMBER \
  (OUZEL_VERSION_MAJOR * 10000 + OUZEL_VERSION_MINOR * 100 + OUZEL_VERSION_PATCH)

OUZEL_BEGIN_DECLS

/* The runtime library's version as OUZEL_VERSION_NUMBER would give it. A binding compares this with
 * the version it was written for at load time. Thread-safe. */
OUZEL_EXTERN int32_t ouzel_version(void);

/* The runtime version as "MAJOR.MINOR.PATCH". Static; thread-safe. */
OUZEL_EXTERN const char* ouzel_version_string(void);

OUZEL_END_DECLS

#endif /* OUZEL_VERSION_H */
