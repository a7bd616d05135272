// The table of every OUZEL_OPT_* option: its name, type, bounds and flags. The one place bounds
// live: ouzel_options_set_int / _set_string check values against it (CheckIntValue,
// CheckStringValue) before the option's setter stores them, and ouzel_option_get_info reports it
// with the defaults a fresh ouzel_options holds (read through the getters, so defaults stay where
// the engine keeps them: ClientOptions, TransportOptions, PersistenceSettings).
//
//   const OptionSpec* spec = FindOption(OUZEL_OPT_KEEPALIVE_SECONDS);  // 0..65535, int
//   if (int rc = CheckIntValue(*spec, value); rc != OUZEL_OK) return rc;
#ifndef OUZEL_CAPI_SRC_OPTION_TABLE_H_
#define OUZEL_CAPI_SRC_OPTION_TABLE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ouzel::capi {

struct OptionSpec {
  int32_t id;
  const char* name;  // "OUZEL_OPT_..."
  int32_t type;      // OUZEL_OPTTYPE_*
  uint32_t flags;    // OUZEL_OPTION_*
  // Integers: the accepted range (OUZEL_OPTION_ENUM: the extremes of the named values, which the
  // option's setter checks). Strings: the accepted length in bytes.
  int64_t min;
  int64_t max;
  int32_t read_instead;  // OUZEL_OPTION_WRITE_ONLY: where the value reads back
};

// The spec of `id`, or null for an id this library does not know.
const OptionSpec* FindOption(int32_t id);
// Every option, ascending by id.
absl::Span<const OptionSpec> AllOptions();

// The spec of `id` when it is an option of `type`, else null with OUZEL_EINVAL recorded
// ("unknown integer option 59", or "OUZEL_OPT_CLIENT_ID is a string option").
const OptionSpec* FindOptionOfType(int32_t id, int32_t type);

// OUZEL_OK when `value` is within the spec's range (ENUM options are left to their setter), else
// OUZEL_EINVAL naming the option and the range.
int CheckIntValue(const OptionSpec& spec, int64_t value);
// OUZEL_OK when the length is within the spec's bounds, else OUZEL_EINVAL naming the option.
int CheckStringValue(const OptionSpec& spec, absl::string_view value);

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_OPTION_TABLE_H_
