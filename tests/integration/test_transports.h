// Application-supplied transports (ouzel/sys/transport.h) for the integration tests: real TCP
// connections to the broker, written the way an application would, through the public vtable
// only.
//
//  - StreamMode::kFd: a non-blocking TCP socket the engine polls itself (fd mode).
//  - StreamMode::kNotify: no descriptor for the engine. A relay thread of the "application" owns
//    the TCP socket and moves bytes between it and two small in-memory buffers (16 KiB each, so
//    a large message goes through many would-block rounds in both directions); it tells the
//    engine with ouzel_transport_notify when data arrived or buffer space freed up.
//
// A TransportProbe is the vtable's `user`: it counts opens, closes and destroys, records any
// call the contract forbids (a slot called on a closed stream, anything after destroy, close
// twice) as a violation, and holds switches that inject failures (open or connect refused with a
// code and message, the next read or write failing, a connect that never completes). Streams
// are kept until the probe goes away, so a forbidden late call is caught, not a use-after-free.
//
//   TransportProbe probe;
//   ouzel_options_set_transport(opts, TestTransportVtable(StreamMode::kNotify), &probe);
#ifndef OUZEL_TESTS_INTEGRATION_TEST_TRANSPORTS_H_
#define OUZEL_TESTS_INTEGRATION_TEST_TRANSPORTS_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ouzel.h"
#include "ouzel/sys/transport.h"

namespace ouzel_it {

enum class StreamMode { kFd, kNotify };
const char* StreamModeName(StreamMode mode);

class TestStream;

class TransportProbe {
 public:
  TransportProbe();
  ~TransportProbe();
  TransportProbe(const TransportProbe&) = delete;
  TransportProbe& operator=(const TransportProbe&) = delete;

  // Counters.
  std::atomic<int> opens{0};     // open calls that succeeded
  std::atomic<int> closes{0};    // close calls
  std::atomic<int> destroys{0};  // destroy calls
  std::atomic<int> notifies{0};  // ouzel_transport_notify calls made by relay threads

  // Failure injection. A code of 0 means "do not fail"; the message goes through
  // ouzel_transport_set_error.
  std::atomic<int> fail_open_code{0};
  std::atomic<int> fail_connect_code{0};
  std::atomic<bool> fail_next_read{false};   // one-shot: the next read returns OUZEL_EIO
  std::atomic<bool> fail_next_write{false};  // one-shot: the next write returns OUZEL_EIO
  // connect answers OUZEL_EWOULDBLOCK forever (fd mode: waiting to read, which the broker
  // never makes possible before CONNECT)
  std::atomic<bool> never_connect{false};
  std::atomic<bool> want_nothing{false};  // fd mode: EWOULDBLOCK with *want left at 0
  void set_error_message(std::string message);
  std::string error_message() const;

  // Contract breaches seen so far ("read on a closed stream", ...).
  std::vector<std::string> violations() const;
  void Violation(const std::string& what);

  // Streams opened (successfully), for bookkeeping; owned here.
  void Keep(std::unique_ptr<TestStream> stream);

 private:
  mutable std::mutex mu_;
  std::string error_message_ = "injected failure";
  std::vector<std::string> violations_;
  std::vector<std::unique_ptr<TestStream>> streams_;
};

// The vtable for `mode` (static storage; `user` must be a TransportProbe).
const ouzel_transport_vtable* TestTransportVtable(StreamMode mode);

}  // namespace ouzel_it

#endif  // OUZEL_TESTS_INTEGRATION_TEST_TRANSPORTS_H_
