// ArgReader: walks a command line of mosquitto-style options ("-t TOPIC", "--topic TOPIC",
// "--topic=TOPIC"), keeping the first error so a command can stop at it and print one clear line.
//
//   ArgReader r(argc, argv);
//   while (r.Next()) {
//     if (r.Is("-t", "--topic")) topic = r.Value();
//     else if (r.Is("-q", "--qos")) qos = r.Int(0, 2);
//     else r.Unknown();
//   }
//   if (r.failed()) return Usage(r.error());
#ifndef OUZEL_TOOLS_OUZEL_ARG_READER_H_
#define OUZEL_TOOLS_OUZEL_ARG_READER_H_

#include <cstdint>
#include <optional>
#include <string>

namespace ouzel_cli {

class ArgReader {
 public:
  // argv[0] is the command's own name; options start at argv[1].
  ArgReader(int argc, char** argv) : argc_(argc), argv_(argv) {}

  // Moves to the next argument. False at the end, or once an error was recorded.
  bool Next();

  // The option as written, without its "=value" part ("--topic" for "--topic=a/b").
  const std::string& option() const { return option_; }
  // True when the option is `short_name` or `long_name` (either may be nullptr).
  bool Is(const char* short_name, const char* long_name) const;

  // The option's value: the text after '=', else the next argument. Records an error and returns
  // "" when there is none.
  std::string Value();
  // The value as an integer in [min, max]; records an error (naming the option) otherwise.
  int64_t Int(int64_t min, int64_t max);
  // The value as a number in [min, max].
  double Number(double min, double max);
  // For options that take no value: records an error for "--flag=value".
  void Flag();
  // Records "unknown option" for the current argument.
  void Unknown();
  // Records an error about the current option ("-q: QoS must be 0, 1 or 2").
  void Fail(const std::string& message);

  bool failed() const { return error_.has_value(); }
  const std::string& error() const { return *error_; }

 private:
  int argc_;
  char** argv_;
  int index_ = 0;
  std::string option_;
  std::optional<std::string> inline_value_;
  std::optional<std::string> error_;
};

// Parses a whole decimal integer; false for anything else (sign allowed, no blanks).
bool ParseInt(const std::string& text, int64_t* out);
// Parses a decimal number ("1", "0.25", "1e3"); false for anything else.
bool ParseNumber(const std::string& text, double* out);

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_ARG_READER_H_
