// Early-return helpers for absl::Status and absl::StatusOr.
//
// Abseil 20220623 (the version Debian ships) has no public RETURN_IF_ERROR, so Ouzel keeps its own.
//
//   absl::Status Parse(Reader& r) {
//     OUZEL_RETURN_IF_ERROR(r.ExpectByte(0x10));
//     OUZEL_ASSIGN_OR_RETURN(uint16_t id, r.ReadU16());
//     ...
//   }
#ifndef OUZEL_CC_BASE_STATUS_MACROS_H_
#define OUZEL_CC_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status) once and returns it from the enclosing function if it is not
// OK.
#define OUZEL_RETURN_IF_ERROR(expr)                                    \
  do {                                                                 \
    ::absl::Status ouzel_status_ = (expr);                             \
    if (ABSL_PREDICT_FALSE(!ouzel_status_.ok())) return ouzel_status_; \
  } while (false)

#define OUZEL_STATUS_MACROS_CONCAT_INNER_(a, b) a##b
#define OUZEL_STATUS_MACROS_CONCAT_(a, b) OUZEL_STATUS_MACROS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, otherwise moves the value
// into `lhs`, which may be a declaration (`OUZEL_ASSIGN_OR_RETURN(auto x, F())`) or an lvalue.
#define OUZEL_ASSIGN_OR_RETURN(lhs, rexpr) \
  OUZEL_ASSIGN_OR_RETURN_IMPL_(OUZEL_STATUS_MACROS_CONCAT_(ouzel_statusor_, __LINE__), lhs, rexpr)

#define OUZEL_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr)                     \
  auto statusor = (rexpr);                                                     \
  if (ABSL_PREDICT_FALSE(!statusor.ok())) return std::move(statusor).status(); \
  lhs = *std::move(statusor)

#endif  // OUZEL_CC_BASE_STATUS_MACROS_H_
