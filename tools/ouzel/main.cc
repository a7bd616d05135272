// ouzel: the command-line client built on Ouzel's C API (ouzel.h, libouzel.so only).
//   ouzel pub ...     publish (mosquitto_pub's options)
//   ouzel sub ...     subscribe and print (mosquitto_sub's options)
//   ouzel bench ...   many clients in one process: connect, publish, subscribe (emqtt-bench)
// docs/cli.md is the manual.
#include <cstdio>
#include <cstring>

#include "ouzel.h"
#include "tools/ouzel/commands.h"
#include "tools/ouzel/exit_codes.h"

namespace {

constexpr char kHelp[] = R"(usage: ouzel COMMAND [options]
  ouzel pub ...     publish a message (mosquitto_pub's options)
  ouzel sub ...     subscribe and print messages (mosquitto_sub's options)
  ouzel bench conn|pub|sub ...   load a broker with many clients (emqtt-bench's options)
  ouzel --version   the command's and the library's versions
Each command has its own --help. Manual: docs/cli.md.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kHelp, stderr);
    return ouzel_cli::kExitUsage;
  }
  const char* command = argv[1];
  if (std::strcmp(command, "pub") == 0) return ouzel_cli::RunPub(argc - 1, argv + 1);
  if (std::strcmp(command, "sub") == 0) return ouzel_cli::RunSub(argc - 1, argv + 1);
  if (std::strcmp(command, "bench") == 0) return ouzel_cli::RunBench(argc - 1, argv + 1);
  if (std::strcmp(command, "--help") == 0 || std::strcmp(command, "-h") == 0 ||
      std::strcmp(command, "help") == 0) {
    std::fputs(kHelp, stdout);
    return ouzel_cli::kExitOk;
  }
  if (std::strcmp(command, "--version") == 0 || std::strcmp(command, "version") == 0) {
    // The header's version is what this command was built with; the library's is what runs.
    std::printf("ouzel %d.%d.%d (libouzel %s)\n", OUZEL_VERSION_MAJOR, OUZEL_VERSION_MINOR,
                OUZEL_VERSION_PATCH, ouzel_version_string());
    return ouzel_cli::kExitOk;
  }
  std::fprintf(stderr, "ouzel: unknown command '%s' (see ouzel --help)\n", command);
  return ouzel_cli::kExitUsage;
}
