// The exit statuses of the `ouzel` command, one meaning each, so scripts can branch on them.
// docs/cli.md lists them; the values are part of the command's interface and never change.
#ifndef OUZEL_TOOLS_OUZEL_EXIT_CODES_H_
#define OUZEL_TOOLS_OUZEL_EXIT_CODES_H_

namespace ouzel_cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,           // anything not listed below (out of memory, an Ouzel bug, I/O)
  kExitUsage = 2,           // bad command line: unknown option, bad value, unreadable file
  kExitConnectFailed = 3,   // no connection: refused, unreachable, name lookup, TLS, timeout
  kExitRefused = 4,         // the broker answered CONNACK with a failure (bad credentials, ...)
  kExitConnectionLost = 5,  // the connection ended before the work was done
  kExitRejected = 6,        // a SUBSCRIBE or PUBLISH was refused, or a message was dropped
  kExitTimeout = 7,         // -W passed before -C messages arrived (sub), or a bench bound
  kExitInterrupted = 8,     // SIGINT/SIGTERM before the work was done (pub, bench)
};

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_EXIT_CODES_H_
