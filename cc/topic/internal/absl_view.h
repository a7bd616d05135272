// Bridges std::string_view, which cc/topic's API uses, to absl::string_view, which Abseil's
// functions take.
//
// Debian's Abseil 20220623 is built with ABSL_OPTION_USE_STD_STRING_VIEW 0, so absl::string_view is
// a separate class with no conversion from std::string_view. Without this bridge, StrCat and the
// heterogeneous lookups of flat_hash_map<std::string, ...> reject std::string_view.
//
//   auto it = children.find(topic_internal::AsAbsl(level));
#ifndef OUZEL_CC_TOPIC_INTERNAL_ABSL_VIEW_H_
#define OUZEL_CC_TOPIC_INTERNAL_ABSL_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace ouzel {
namespace topic_internal {

inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace topic_internal
}  // namespace ouzel

#endif  // OUZEL_CC_TOPIC_INTERNAL_ABSL_VIEW_H_
