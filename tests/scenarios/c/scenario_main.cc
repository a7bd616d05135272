// main() of the C scenarios: GoogleTest, plus a listener that appends one result line per
// scenario to $OUZEL_SCEN_RESULTS (format: tests/scenarios/README.md). A test named S07_... reports
// S07; its result is GoogleTest's own verdict, with the failure messages as the detail (for a
// pass, the test's "note" property, if any).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

namespace {

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

class ResultLines : public testing::EmptyTestEventListener {
 public:
  explicit ResultLines(std::string path) : path_(std::move(path)) {}

  void OnTestEnd(const testing::TestInfo& info) override {
    const std::string name = info.name();
    if (name.size() < 4 || name[0] != 'S' || name[3] != '_') return;
    const testing::TestResult& r = *info.result();
    std::string result = "pass", detail;
    for (int i = 0; i < r.total_part_count(); ++i) {
      const testing::TestPartResult& part = r.GetTestPartResult(i);
      if (part.failed() || part.skipped()) {
        if (!detail.empty()) detail += " | ";
        if (part.file_name() != nullptr) {
          detail += std::string(part.file_name()) + ":" + std::to_string(part.line_number()) + ": ";
        }
        detail += part.message();
      }
    }
    if (r.Failed()) {
      result = "fail";
    } else if (r.Skipped()) {
      result = "skip";
    } else {
      // A passing scenario may leave a note: RecordProperty("note", "...").
      for (int i = 0; i < r.test_property_count(); ++i) {
        if (std::string(r.GetTestProperty(i).key()) == "note")
          detail = r.GetTestProperty(i).value();
      }
    }
    if (detail.size() > 2000) detail.resize(2000);
    FILE* f = std::fopen(path_.c_str(), "a");
    if (f == nullptr) return;
    std::fprintf(f,
                 "{\"lang\": %s, \"id\": %s, \"result\": \"%s\", \"ms\": %lld, \"detail\": %s}\n",
                 JsonString(Lang()).c_str(), JsonString(name.substr(0, 3)).c_str(), result.c_str(),
                 static_cast<long long>(r.elapsed_time()), JsonString(detail).c_str());
    std::fclose(f);
  }

 private:
  static std::string Lang() {
    const char* l = std::getenv("OUZEL_SCEN_LANG");
    return l != nullptr ? l : "c";
  }
  std::string path_;
};

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (const char* path = std::getenv("OUZEL_SCEN_RESULTS")) {
    testing::UnitTest::GetInstance()->listeners().Append(new ResultLines(path));
  }
  return RUN_ALL_TESTS();
}
