// ClientLoop: drives thousands of clients from one thread through the C API's external-loop mode
// (ouzel/loop.h) and one epoll instance. Each client's wake descriptor is watched for reading
// (then ouzel_client_loop_misc), its socket for reading and, while output waits, writing (the
// on_socket_* hooks keep the epoll set in step), and its timers sit in one min-heap keyed by
// ouzel_client_next_timeout_ms, so an idle client costs nothing per iteration.
//
//   ClientLoop loop;
//   loop.Init(&error);
//   loop.Add(client, index);      // before ouzel_client_connect
//   while (...) { loop.RunTimers(); loop.Wait(loop.MillisUntilNextTimer(100)); }
//
// Not thread-safe: everything happens on the thread that calls Wait. Callbacks of the clients
// run inside Wait and RunTimers.
#ifndef OUZEL_TOOLS_OUZEL_BENCH_CLIENT_LOOP_H_
#define OUZEL_TOOLS_OUZEL_BENCH_CLIENT_LOOP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "ouzel.h"

namespace ouzel_cli {

class ClientLoop {
 public:
  ClientLoop() = default;
  ~ClientLoop();
  ClientLoop(const ClientLoop&) = delete;
  ClientLoop& operator=(const ClientLoop&) = delete;

  bool Init(std::string* error);

  // Takes charge of driving `client`, known by `index` (which must be new). Registers the socket
  // hooks, so call it before the client connects.
  bool Add(ouzel_client* client, uint32_t index, std::string* error);
  // Forgets a client after ouzel_client_free (whose on_socket_close hook still reaches this loop,
  // and which closes the descriptors, taking them out of the epoll set).
  void Forget(uint32_t index);

  // Waits up to `timeout_ms` for descriptors and handles what is ready.
  void Wait(int timeout_ms);
  // Runs ouzel_client_loop_misc for every client whose timer is due.
  void RunTimers();
  // After an API call on a client from this thread outside its callbacks: re-reads its timer.
  void Touch(uint32_t index);
  // Milliseconds until the earliest client timer, at most `cap`.
  int MillisUntilNextTimer(int cap);

 private:
  struct Slot {
    ClientLoop* loop = nullptr;
    ouzel_client* client = nullptr;
    uint32_t index = 0;
    int fd = -1;
    bool want_write = false;
    int64_t scheduled = INT64_MAX;  // the earliest timer entry in the heap for this client
  };

  static void OnSocketOpen(ouzel_client*, int32_t fd, void* slot);
  static void OnSocketClose(ouzel_client*, int32_t fd, void* slot);
  static void OnRegisterWrite(ouzel_client*, int32_t fd, void* slot);
  static void OnUnregisterWrite(ouzel_client*, int32_t fd, void* slot);

  Slot* SlotAt(uint32_t index);
  void Schedule(Slot* s);
  void Watch(Slot* s, int op);

  int epoll_fd_ = -1;
  std::vector<std::unique_ptr<Slot>> slots_;
  using Entry = std::pair<int64_t, uint32_t>;  // (due time in ms, index)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> timers_;
};

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_BENCH_CLIENT_LOOP_H_
