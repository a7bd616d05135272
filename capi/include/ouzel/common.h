/* Ouzel C API: export macro and the C/C++ linkage wrapper shared by every header. */
#ifndef OUZEL_COMMON_H
#define OUZEL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define OUZEL_EXTERN __declspec(dllimport)
#elif defined(__GNUC__)
#define OUZEL_EXTERN __attribute__((visibility("default")))
#else
#define OUZEL_EXTERN
#endif

#ifdef __cplusplus
#define OUZEL_BEGIN_DECLS extern "C" {
#define OUZEL_END_DECLS }
#else
#define OUZEL_BEGIN_DECLS
#define OUZEL_END_DECLS
#endif

#endif /* OUZEL_COMMON_H */
