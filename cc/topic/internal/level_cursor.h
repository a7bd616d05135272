// Walks the `/`-separated levels of a topic name or filter without allocating, for the matcher and
// the subscription index, which must agree on what a level is.
//
//   LevelCursor levels("a//b/");  // yields "a", "", "b", ""
//   while (!levels.done()) Use(levels.Next());
#ifndef OUZEL_CC_TOPIC_INTERNAL_LEVEL_CURSOR_H_
#define OUZEL_CC_TOPIC_INTERNAL_LEVEL_CURSOR_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace ouzel {
namespace topic_internal {

// A string with k slashes has k + 1 levels, so a trailing `/` yields a final empty level and the
// empty string yields one empty level.
class LevelCursor {
 public:
  explicit LevelCursor(absl::string_view s) : s_(s) {}

  bool done() const { return pos_ > s_.size(); }

  // Requires !done().
  absl::string_view Next() {
    size_t end = s_.find('/', pos_);
    if (end == absl::string_view::npos) end = s_.size();
    const absl::string_view level = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return level;
  }

 private:
  absl::string_view s_;
  // Start of the next level; one past the end once every level has been returned.
  size_t pos_ = 0;
};

}  // namespace topic_internal
}  // namespace ouzel

#endif  // OUZEL_CC_TOPIC_INTERNAL_LEVEL_CURSOR_H_
