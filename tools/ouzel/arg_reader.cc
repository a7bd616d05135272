#include "tools/ouzel/arg_reader.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ouzel_cli {

bool ParseInt(const std::string& text, int64_t* out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end == text.c_str() || *end != '\0' || text[0] == ' ') return false;
  *out = value;
  return true;
}

bool ParseNumber(const std::string& text, double* out) {
  if (text.empty() || text[0] == ' ') return false;
  errno = 0;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end == text.c_str() || *end != '\0' || !std::isfinite(value)) return false;
  *out = value;
  return true;
}

bool ArgReader::Next() {
  if (failed() || index_ + 1 >= argc_) return false;
  ++index_;
  std::string arg = argv_[index_];
  inline_value_.reset();
  // Only long options carry "=value"; "-t=x" stays the option "-t=x" and is unknown.
  size_t eq = arg.find('=');
  if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
    inline_value_ = arg.substr(eq + 1);
    arg.resize(eq);
  }
  option_ = arg;
  return true;
}

bool ArgReader::Is(const char* short_name, const char* long_name) const {
  return (short_name != nullptr && option_ == short_name) ||
         (long_name != nullptr && option_ == long_name);
}

std::string ArgReader::Value() {
  if (failed()) return "";
  if (inline_value_.has_value()) {
    std::string value = *inline_value_;
    inline_value_.reset();
    return value;
  }
  if (index_ + 1 >= argc_) {
    Fail("needs a value");
    return "";
  }
  return argv_[++index_];
}

int64_t ArgReader::Int(int64_t min, int64_t max) {
  std::string text = Value();
  if (failed()) return min;
  int64_t value = 0;
  if (!ParseInt(text, &value) || value < min || value > max) {
    Fail("'" + text + "' is not a whole number from " + std::to_string(min) + " to " +
         std::to_string(max));
    return min;
  }
  return value;
}

double ArgReader::Number(double min, double max) {
  std::string text = Value();
  if (failed()) return min;
  double value = 0;
  if (!ParseNumber(text, &value) || value < min || value > max) {
    char range[96];
    std::snprintf(range, sizeof range, "%g to %g", min, max);
    Fail("'" + text + "' is not a number from " + range);
    return min;
  }
  return value;
}

void ArgReader::Flag() {
  if (inline_value_.has_value()) Fail("takes no value");
}

void ArgReader::Unknown() {
  if (failed()) return;
  if (option_.empty() || option_[0] != '-') {
    error_ = "unexpected argument '" + option_ + "'";
  } else {
    error_ = "unknown option '" + option_ + "'";
  }
}

void ArgReader::Fail(const std::string& message) {
  if (!failed()) error_ = option_ + ": " + message;
}

}  // namespace ouzel_cli
