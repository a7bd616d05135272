// SIGINT and SIGTERM as a request to stop: the commands finish cleanly (DISCONNECT, a summary)
// instead of dying. Handlers are installed without SA_RESTART, so a blocking read of stdin returns
// EINTR and the command sees the request at once. SIGPIPE is ignored: the library never raises it
// (MSG_NOSIGNAL), and a closed stdout is reported as a write error instead.
#ifndef OUZEL_TOOLS_OUZEL_STOP_SIGNALS_H_
#define OUZEL_TOOLS_OUZEL_STOP_SIGNALS_H_

namespace ouzel_cli {

void InstallStopSignals();
// True once SIGINT or SIGTERM arrived.
bool StopRequested();

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_STOP_SIGNALS_H_
