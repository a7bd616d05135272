// Test helpers for cc/client: run a Client in any of its three loop modes, and record callbacks.
//
//   EventRecorder events;
//   events.Attach(client.get());
//   LoopRunner runner(client.get(), LoopMode::kExternal);
//   ASSERT_TRUE(runner.RunUntil([&] { return events.connects() > 0; }, absl::Seconds(5)));
#ifndef OUZEL_CC_CLIENT_CLIENT_TEST_UTIL_H_
#define OUZEL_CC_CLIENT_CLIENT_TEST_UTIL_H_

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "cc/client/client.h"

namespace ouzel {
namespace testing {

enum class LoopMode { kThread, kCaller, kExternal };
const char* LoopModeName(LoopMode mode);

// Drives a client the way an application in `mode` would:
//   kThread:   LoopStart() in the constructor, LoopStop() in the destructor; RunUntil just waits.
//   kCaller:   RunUntil calls Loop(20ms) on the calling thread.
//   kExternal: RunUntil is a poll(2) loop over Socket() (as told by the on_socket_* hooks, which
//              it installs) and WakeFd(), calling LoopRead/LoopWrite/LoopMisc as an event loop
//              would. It checks that the hooks agree with Socket() and WantWrite().
class LoopRunner {
 public:
  LoopRunner(Client* client, LoopMode mode);
  ~LoopRunner();
  // Runs (or waits) until `done()` or `timeout`; returns done(). Bounded.
  bool RunUntil(const std::function<bool()>& done, absl::Duration timeout);
  // Runs for `d` regardless.
  void RunFor(absl::Duration d);
  LoopMode mode() const { return mode_; }
  // kExternal: the descriptors the hooks opened and closed, and hook inconsistencies seen.
  std::vector<std::string> hook_errors() const;
  int sockets_opened() const;

 private:
  void ExternalStep(absl::Duration max_wait);

  Client* client_;
  LoopMode mode_;
  mutable std::mutex mu_;
  int hooked_fd_ = -1;
  bool write_watched_ = false;
  int sockets_opened_ = 0;
  std::vector<std::string> hook_errors_;
};

// Records every callback of a client (thread-safe), and on which thread it ran.
class EventRecorder {
 public:
  // Installs on_connect, on_connect_failed, on_disconnect, on_message, on_publish, on_subscribe,
  // on_unsubscribe and on_log (debug and up).
  void Attach(Client* client);

  int connects() const;
  int connect_failures() const;
  int disconnects() const;
  std::vector<ConnectedEvent> connected() const;
  std::vector<ConnectFailedEvent> connect_failed() const;
  std::vector<DisconnectedEvent> disconnected() const;
  std::vector<Message> messages() const;
  std::vector<PublishDoneEvent> published() const;
  std::vector<SubscribeDoneEvent> subscribed() const;
  std::vector<UnsubscribeDoneEvent> unsubscribed() const;
  std::vector<std::string> logs() const;
  // "connect", "message a/b", ... in callback order.
  std::vector<std::string> order() const;
  // Distinct threads callbacks ran on.
  size_t callback_threads() const;
  // Whether two callbacks ever overlapped in time (they must not).
  bool overlapped() const;

 private:
  struct Scope;
  void Enter(const std::string& what);
  void Leave();

  mutable std::mutex mu_;
  int active_ = 0;
  bool overlapped_ = false;
  std::set<std::thread::id> threads_;
  std::vector<std::string> order_;
  std::vector<ConnectedEvent> connected_;
  std::vector<ConnectFailedEvent> connect_failed_;
  std::vector<DisconnectedEvent> disconnected_;
  std::vector<Message> messages_;
  std::vector<PublishDoneEvent> published_;
  std::vector<SubscribeDoneEvent> subscribed_;
  std::vector<UnsubscribeDoneEvent> unsubscribed_;
  std::vector<std::string> logs_;
};

// Polls `done` every millisecond until true or `timeout`. For kThread-driven clients.
bool WaitFor(const std::function<bool()>& done, absl::Duration timeout);

}  // namespace testing
}  // namespace ouzel

#endif  // OUZEL_CC_CLIENT_CLIENT_TEST_UTIL_H_
