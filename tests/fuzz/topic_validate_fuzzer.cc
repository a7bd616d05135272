// Fuzzes ValidateTopicName and ValidateTopicFilter on arbitrary bytes. Beyond not crashing, each
// verdict is checked against properties that follow from the MQTT rules by a different route, so a
// validator that accepts too much or rejects for the wrong reason aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "cc/topic/topic.h"

namespace {

constexpr absl::string_view kSharePrefix = "$share/";

void Check(bool ok, const char* invariant, absl::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "invariant violated: %s\ninput (%zu bytes): %.*s\n", invariant, input.size(),
               static_cast<int>(input.size()), input.data());
  std::abort();
}

template <typename Status>
void CheckError(const Status& status, absl::string_view input) {
  if (status.ok()) return;
  // Every rejection is InvalidArgument and names the spec rule it enforces.
  Check(status.ToString().rfind("INVALID_ARGUMENT:", 0) == 0, "rejection is InvalidArgument",
        input);
  Check(status.ToString().find("[MQTT-") != std::string::npos, "rejection cites a spec rule",
        input);
}

bool StartsWith(absl::string_view s, absl::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Wildcard placement checked level by level, independently of the validator's character scan.
bool WildcardsWellPlaced(absl::string_view filter) {
  size_t begin = 0;
  while (true) {
    size_t end = filter.find('/', begin);
    const bool last = end == absl::string_view::npos;
    if (last) end = filter.size();
    const absl::string_view level = filter.substr(begin, end - begin);
    if (level.find('#') != absl::string_view::npos && !(level == "#" && last)) {
      return false;
    }
    if (level.find('+') != absl::string_view::npos && level != "+") return false;
    if (last) return true;
    begin = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const auto name_status = ouzel::ValidateTopicName(input);
  const auto filter_status = ouzel::ValidateTopicFilter(input);
  CheckError(name_status, input);
  CheckError(filter_status, input);

  const bool basic_shape = !input.empty() && input.size() <= ouzel::kMaxTopicLength &&
                           input.find('\0') == absl::string_view::npos;
  if (name_status.ok()) {
    Check(basic_shape, "valid name is non-empty, short enough, without U+0000", input);
    Check(input.find_first_of("+#") == absl::string_view::npos, "valid topic name has no wildcard",
          input);
    if (!StartsWith(input, kSharePrefix)) {
      Check(filter_status.ok(), "valid name is also a valid filter", input);
      Check(ouzel::TopicMatchesFilter(input, input), "a name matches itself as a filter", input);
    }
  }

  if (filter_status.ok()) {
    Check(basic_shape, "valid filter is non-empty, short enough, without U+0000", input);
    const std::optional<ouzel::SharedFilter> shared = ouzel::ParseSharedSubscription(input);
    Check(shared.has_value() == StartsWith(input, kSharePrefix),
          "valid filter parses as shared exactly when it has the $share/ prefix", input);
    absl::string_view inner = input;
    if (shared.has_value()) {
      Check(!shared->share_name.empty(), "ShareName is non-empty", input);
      Check(shared->share_name.find_first_of("/+#") == absl::string_view::npos,
            "ShareName has no '/', '+' or '#'", input);
      Check(!shared->filter.empty(), "shared filter has a filter after the ShareName", input);
      Check(shared->share_name.data() + shared->share_name.size() + 1 == shared->filter.data(),
            "share name and filter are adjacent views of the input", input);
      inner = shared->filter;
    }
    Check(WildcardsWellPlaced(inner), "wildcards occupy whole levels, '#' only last", input);
  } else if (basic_shape && !StartsWith(input, kSharePrefix) && name_status.ok()) {
    Check(false, "a valid name outside $share/ is never an invalid filter", input);
  }

  // Matching must be safe on anything, valid or not.
  const size_t half = input.size() / 2;
  (void)ouzel::TopicMatchesFilter(input.substr(0, half), input.substr(half));
  (void)ouzel::TopicMatchesFilter(input, input);
  return 0;
}
