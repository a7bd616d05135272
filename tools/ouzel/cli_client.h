// CliClient: one MQTT client for `ouzel pub` and `ouzel sub`, run on the library's own loop
// thread (ouzel_client_loop_start) while the command's thread waits on a condition variable, so
// the command can block on stdin or on a deadline and still keep the connection alive. It owns
// the connection callbacks and turns their outcomes into the command's exit codes and one-line
// messages; the command registers its own message/publish/subscribe callbacks and guards the
// state they change with mu().
#ifndef OUZEL_TOOLS_OUZEL_CLI_CLIENT_H_
#define OUZEL_TOOLS_OUZEL_CLI_CLIENT_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "ouzel.h"

namespace ouzel_cli {

// Monotonic milliseconds.
int64_t NowMs();

class CliClient {
 public:
  // `name` prefixes every message ("ouzel sub"); `quiet` silences them; `debug` prints the
  // library's log.
  CliClient(std::string name, bool quiet, bool debug);
  ~CliClient();
  CliClient(const CliClient&) = delete;
  CliClient& operator=(const CliClient&) = delete;

  // Creates the client; on failure prints why and returns the exit code (kExitUsage for options
  // the library refuses), else kExitOk.
  int Create(const ouzel_options* opts, int protocol_version);
  ouzel_client* get() const { return client_; }
  int protocol_version() const { return protocol_version_; }

  // Called on the loop thread after every accepted CONNACK (the first and any reconnection),
  // without mu() held; may call the client (subscribe, publish).
  void set_on_connected(std::function<void(bool session_present)> fn) {
    on_connected_ = std::move(fn);
  }
  // With reconnection on, a lost connection is reported and retried instead of ending the wait.
  void set_reconnect(bool on) { reconnect_ = on; }

  // Starts the loop thread and connects; waits for the CONNACK up to `timeout_s` (plus a margin
  // over the library's own connect timeout). Returns kExitOk, or prints why and returns
  // kExitConnectFailed, kExitRefused or kExitInterrupted.
  int Connect(int timeout_s);

  enum class Wait { kDone, kLost, kInterrupted, kTimedOut };
  // Waits until `done()` (called with mu() held) is true, the connection is lost for good, a
  // stop signal arrives, or `deadline_ms` (NowMs() based; -1: none) passes.
  Wait WaitUntil(const std::function<bool()>& done, int64_t deadline_ms);
  std::mutex& mu() { return mu_; }
  // Wakes WaitUntil; call after changing (under mu()) what a `done` reads.
  void Notify() { cv_.notify_all(); }

  // Sends DISCONNECT (MQTT 5 `props` may be nullptr), waits up to 5 s for it to go out, stops
  // the loop thread. Harmless when not connected.
  void Disconnect(const ouzel_properties* props);

  // Why the connection was lost (after Wait::kLost).
  std::string lost_reason() const;
  // Prints "NAME: message" to stderr unless quiet.
  void Error(const std::string& message) const;
  // A failing call's text: "what: strerror (detail)".
  static std::string Describe(const std::string& what, int rc);

 private:
  static void OnConnect(ouzel_client*, int32_t reason_code, int32_t session_present,
                        const ouzel_properties*, void* self);
  static void OnConnectFail(ouzel_client*, int32_t error, int32_t reason_code, void* self);
  static void OnDisconnect(ouzel_client*, int32_t error, int32_t reason_code, int32_t by_server,
                           const ouzel_properties*, void* self);
  static void OnLog(ouzel_client*, int32_t level, const char* message, void* self);

  std::string name_;
  bool quiet_;
  bool debug_;
  bool reconnect_ = false;
  int protocol_version_ = OUZEL_MQTT_V311;
  ouzel_client* client_ = nullptr;
  std::function<void(bool)> on_connected_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool connected_ = false;
  bool ever_connected_ = false;
  bool connect_failed_ = false;
  int32_t fail_error_ = 0;
  int32_t fail_reason_ = -1;
  std::string fail_detail_;
  bool lost_ = false;
  bool disconnected_ = false;
  std::string lost_reason_;
};

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_CLI_CLIENT_H_
