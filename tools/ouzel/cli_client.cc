#include "tools/ouzel/cli_client.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "tools/ouzel/exit_codes.h"
#include "tools/ouzel/stop_signals.h"

namespace ouzel_cli {

int64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

CliClient::CliClient(std::string name, bool quiet, bool debug)
    : name_(std::move(name)), quiet_(quiet), debug_(debug) {}

CliClient::~CliClient() { ouzel_client_free(client_); }

std::string CliClient::Describe(const std::string& what, int rc) {
  std::string text = what + ": " + ouzel_strerror(rc);
  std::string detail = ouzel_last_error_message();
  if (!detail.empty()) text += " (" + detail + ")";
  return text;
}

void CliClient::Error(const std::string& message) const {
  if (!quiet_) std::fprintf(stderr, "%s: %s\n", name_.c_str(), message.c_str());
}

int CliClient::Create(const ouzel_options* opts, int protocol_version) {
  protocol_version_ = protocol_version;
  int rc = ouzel_client_new(&client_, opts);
  if (rc != OUZEL_OK) {
    Error(Describe("cannot create the client", rc));
    return rc == OUZEL_EINVAL ? kExitUsage : kExitError;
  }
  ouzel_client_set_on_connect(client_, OnConnect, this, nullptr);
  ouzel_client_set_on_connect_fail(client_, OnConnectFail, this, nullptr);
  ouzel_client_set_on_disconnect(client_, OnDisconnect, this, nullptr);
  if (debug_) ouzel_client_set_on_log(client_, OnLog, OUZEL_LOG_DEBUG, this, nullptr);
  return kExitOk;
}

int CliClient::Connect(int timeout_s) {
  int rc = ouzel_client_loop_start(client_);
  if (rc != OUZEL_OK) {
    Error(Describe("cannot start the network thread", rc));
    return kExitError;
  }
  rc = ouzel_client_connect(client_);
  if (rc != OUZEL_OK) {
    Error(Describe("cannot connect", rc));
    return rc == OUZEL_EINVAL ? kExitUsage : kExitConnectFailed;
  }
  // The library gives up after its own connect timeout; the margin only guards against a bug.
  Wait w = WaitUntil([this] { return connected_ || connect_failed_; },
                     NowMs() + int64_t{timeout_s} * 1000 + 5000);
  std::lock_guard<std::mutex> lock(mu_);
  if (connected_) return kExitOk;
  if (connect_failed_) {
    const char* reason =
        fail_reason_ > 0
            ? ouzel_reason_code_name(protocol_version_, OUZEL_PACKET_CONNACK, fail_reason_)
            : nullptr;
    if (reason != nullptr) {
      char code[16];
      std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned>(fail_reason_));
      Error(std::string("the broker refused the connection: ") + reason + " (" + code + ")");
      return kExitRefused;
    }
    std::string text = std::string("cannot connect: ") + ouzel_strerror(fail_error_);
    if (!fail_detail_.empty()) text += " (" + fail_detail_ + ")";
    Error(text);
    return fail_error_ == OUZEL_EINVAL ? kExitUsage : kExitConnectFailed;
  }
  if (w == Wait::kInterrupted) return kExitInterrupted;
  Error("cannot connect: no answer within " + std::to_string(timeout_s) + " s");
  return kExitConnectFailed;
}

CliClient::Wait CliClient::WaitUntil(const std::function<bool()>& done, int64_t deadline_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (done()) return Wait::kDone;
    if (lost_) return Wait::kLost;
    if (StopRequested()) return Wait::kInterrupted;
    int64_t now = NowMs();
    if (deadline_ms >= 0 && now >= deadline_ms) return Wait::kTimedOut;
    // Signals cannot notify a condition variable, so the wait wakes every 50 ms to look.
    int64_t step = 50;
    if (deadline_ms >= 0 && deadline_ms - now < step) step = deadline_ms - now;
    cv_.wait_for(lock, std::chrono::milliseconds(step));
  }
}

void CliClient::Disconnect(const ouzel_properties* props) {
  if (client_ == nullptr) return;
  bool connected;
  {
    std::lock_guard<std::mutex> lock(mu_);
    connected = connected_;
  }
  if (connected && ouzel_client_disconnect(client_, 0, props) == OUZEL_OK) {
    WaitUntil([this] { return disconnected_; }, NowMs() + 5000);
  }
  ouzel_client_loop_stop(client_);
}

std::string CliClient::lost_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lost_reason_;
}

void CliClient::OnConnect(ouzel_client*, int32_t, int32_t session_present, const ouzel_properties*,
                          void* self) {
  CliClient* c = static_cast<CliClient*>(self);
  bool reconnected;
  {
    std::lock_guard<std::mutex> lock(c->mu_);
    reconnected = c->ever_connected_;
    c->connected_ = true;
    c->ever_connected_ = true;
  }
  if (reconnected) c->Error("connected again");
  if (c->on_connected_) c->on_connected_(session_present != 0);
  c->cv_.notify_all();
}

void CliClient::OnConnectFail(ouzel_client*, int32_t error, int32_t reason_code, void* self) {
  CliClient* c = static_cast<CliClient*>(self);
  std::lock_guard<std::mutex> lock(c->mu_);
  // After a first connection, failures are reconnection attempts: the library keeps trying.
  if (c->ever_connected_) return;
  c->connect_failed_ = true;
  c->fail_error_ = error;
  c->fail_reason_ = reason_code;
  c->fail_detail_ = ouzel_last_error_message();
  c->cv_.notify_all();
}

void CliClient::OnDisconnect(ouzel_client*, int32_t error, int32_t reason_code, int32_t by_server,
                             const ouzel_properties*, void* self) {
  CliClient* c = static_cast<CliClient*>(self);
  std::string why;
  if (error != OUZEL_OK) {
    why = ouzel_strerror(error);
    std::string detail = ouzel_last_error_message();
    if (!detail.empty()) why += " (" + detail + ")";
  }
  if (by_server != 0) {
    const char* name =
        ouzel_reason_code_name(c->protocol_version_, OUZEL_PACKET_DISCONNECT, reason_code);
    why = std::string("the broker sent DISCONNECT: ") + (name != nullptr ? name : "?") +
          (why.empty() ? "" : "; " + why);
  }
  bool report = false;
  {
    std::lock_guard<std::mutex> lock(c->mu_);
    c->connected_ = false;
    if (error == OUZEL_OK && by_server == 0) {
      c->disconnected_ = true;
    } else if (c->reconnect_) {
      report = true;
    } else {
      c->lost_ = true;
      c->lost_reason_ = why;
    }
  }
  if (report) c->Error("connection lost: " + why + "; reconnecting");
  c->cv_.notify_all();
}

void CliClient::OnLog(ouzel_client*, int32_t, const char* message, void* self) {
  CliClient* c = static_cast<CliClient*>(self);
  std::fprintf(stderr, "%s: [debug] %s\n", c->name_.c_str(), message);
}

}  // namespace ouzel_cli
