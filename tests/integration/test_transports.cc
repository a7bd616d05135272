#include "tests/integration/test_transports.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

namespace ouzel_it {

const char* StreamModeName(StreamMode mode) { return mode == StreamMode::kFd ? "Fd" : "Notify"; }

// ---- One stream (either mode) -------------------------------------------------------------------

class TestStream {
 public:
  TestStream(TransportProbe* probe, ouzel_transport_conn* conn, StreamMode mode)
      : probe_(probe), conn_(conn), mode_(mode) {}
  // Without a close from the engine (a contract breach reported elsewhere), still let go.
  ~TestStream() {
    if (!closed_) Shutdown();
  }

  // Returns an OUZEL_* code; on failure the socket is closed again.
  int Open(const char* host, int32_t port);
  int Connect(int32_t* want);
  int Read(void* buf, size_t len, size_t* n);
  int Write(const void* buf, size_t len, size_t* n);
  int32_t Fd();
  void Close();

 private:
  static constexpr size_t kBufferBytes = 16 * 1024;

  bool Usable(const char* slot);
  void Shutdown();
  int Error(int code, const std::string& message);
  void Relay();
  void WakeRelay();
  void Notify(int32_t events);

  TransportProbe* const probe_;
  ouzel_transport_conn* const conn_;
  const StreamMode mode_;
  int sock_ = -1;
  bool closed_ = false;

  // Notify mode: the relay thread's state, guarded by mu_.
  std::thread relay_;
  int wake_fd_ = -1;  // eventfd: the engine side asks the relay to look again
  std::mutex mu_;
  bool stop_ = false;
  bool connected_ = false;
  std::string failure_;  // the socket failed (connect or I/O): this text
  bool eof_ = false;
  bool writer_waiting_ = false;  // a write found the buffer full: notify WRITABLE on space
  std::string inbound_;          // from the broker, not yet read by the engine
  std::string outbound_;         // from the engine, not yet sent to the broker
};

int TestStream::Error(int code, const std::string& message) {
  ouzel_transport_set_error(conn_, message.data(), message.size());
  return code;
}

bool TestStream::Usable(const char* slot) {
  if (closed_) {
    probe_->Violation(std::string(slot) + " on a closed stream");
    return false;
  }
  if (probe_->destroys.load() > 0) probe_->Violation(std::string(slot) + " after destroy");
  return true;
}

int TestStream::Open(const char* host, int32_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
    return Error(OUZEL_ENOTFOUND,
                 std::string("the test transport takes IPv4 literals, not '") + host + "'");
  }
  sock_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (sock_ < 0) return Error(OUZEL_EIO, std::string("socket: ") + std::strerror(errno));
  const int one = 1;
  setsockopt(sock_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(sock_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 &&
      errno != EINPROGRESS) {
    const std::string why = std::strerror(errno);
    close(sock_);
    sock_ = -1;
    return Error(OUZEL_EIO, "connect: " + why);
  }
  if (mode_ == StreamMode::kNotify) {
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) {
      close(sock_);
      sock_ = -1;
      return Error(OUZEL_EIO, std::string("eventfd: ") + std::strerror(errno));
    }
    relay_ = std::thread([this] { Relay(); });
  }
  return OUZEL_OK;
}

int TestStream::Connect(int32_t* want) {
  if (!Usable("connect")) return OUZEL_EIO;
  if (int code = probe_->fail_connect_code.load(); code != 0) {
    return Error(code, probe_->error_message());
  }
  if (probe_->never_connect.load()) {
    // fd mode: wait for the broker to speak first, which it never does before CONNECT.
    if (mode_ == StreamMode::kFd) *want = OUZEL_TRANSPORT_WANT_READ;
    return OUZEL_EWOULDBLOCK;
  }
  if (mode_ == StreamMode::kNotify) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!failure_.empty()) return Error(OUZEL_EIO, failure_);
    return connected_ ? OUZEL_OK : OUZEL_EWOULDBLOCK;
  }
  if (probe_->want_nothing.load()) return OUZEL_EWOULDBLOCK;
  pollfd p{sock_, POLLOUT, 0};
  if (poll(&p, 1, 0) == 0) {
    *want = OUZEL_TRANSPORT_WANT_WRITE;
    return OUZEL_EWOULDBLOCK;
  }
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(sock_, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return Error(OUZEL_EIO, std::string("connect: ") + std::strerror(err));
  return OUZEL_OK;
}

int TestStream::Read(void* buf, size_t len, size_t* n) {
  if (!Usable("read")) return OUZEL_EIO;
  if (probe_->fail_next_read.exchange(false)) return Error(OUZEL_EIO, probe_->error_message());
  if (mode_ == StreamMode::kFd) {
    const ssize_t r = recv(sock_, buf, len, MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return OUZEL_EWOULDBLOCK;
      return Error(OUZEL_EIO, std::string("recv: ") + std::strerror(errno));
    }
    *n = static_cast<size_t>(r);  // 0: end of file
    return OUZEL_OK;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!inbound_.empty()) {
    const bool was_full = inbound_.size() >= kBufferBytes;
    *n = std::min(len, inbound_.size());
    std::memcpy(buf, inbound_.data(), *n);
    inbound_.erase(0, *n);
    if (was_full) WakeRelay();  // it stopped reading from the socket
    return OUZEL_OK;
  }
  if (!failure_.empty()) return Error(OUZEL_EIO, failure_);
  if (eof_) {
    *n = 0;
    return OUZEL_OK;
  }
  return OUZEL_EWOULDBLOCK;
}

int TestStream::Write(const void* buf, size_t len, size_t* n) {
  if (!Usable("write")) return OUZEL_EIO;
  if (probe_->fail_next_write.exchange(false)) return Error(OUZEL_EIO, probe_->error_message());
  if (mode_ == StreamMode::kFd) {
    const ssize_t r = send(sock_, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return OUZEL_EWOULDBLOCK;
      return Error(OUZEL_EIO, std::string("send: ") + std::strerror(errno));
    }
    *n = static_cast<size_t>(r);
    return OUZEL_OK;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!failure_.empty()) return Error(OUZEL_EIO, failure_);
  const size_t room = kBufferBytes - std::min(kBufferBytes, outbound_.size());
  if (room == 0) {
    writer_waiting_ = true;
    return OUZEL_EWOULDBLOCK;
  }
  *n = std::min(len, room);
  outbound_.append(static_cast<const char*>(buf), *n);
  WakeRelay();
  return OUZEL_OK;
}

int32_t TestStream::Fd() {
  if (!Usable("fd")) return -1;
  return mode_ == StreamMode::kFd ? sock_ : -1;
}

void TestStream::Close() {
  if (closed_) {
    probe_->Violation("close called twice");
    return;
  }
  closed_ = true;
  probe_->closes.fetch_add(1);
  Shutdown();
}

void TestStream::Shutdown() {
  if (relay_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      WakeRelay();
    }
    relay_.join();  // no ouzel_transport_notify after this: conn becomes invalid on return
  }
  if (wake_fd_ >= 0) close(wake_fd_);
  if (sock_ >= 0) close(sock_);
  wake_fd_ = sock_ = -1;
}

void TestStream::WakeRelay() {
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
}

void TestStream::Notify(int32_t events) {
  probe_->notifies.fetch_add(1);
  if (ouzel_transport_notify(conn_, events) != OUZEL_OK) {
    probe_->Violation(std::string("ouzel_transport_notify failed: ") + ouzel_last_error_message());
  }
}

// The "application's" side of notify mode: the only code that touches the socket.
void TestStream::Relay() {
  char chunk[8192];
  bool connected = false;
  for (;;) {
    pollfd fds[2];
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      short events = 0;
      if (!connected) {
        events = POLLOUT;
      } else if (failure_.empty() && !eof_) {
        if (inbound_.size() < kBufferBytes) events |= POLLIN;
        if (!outbound_.empty()) events |= POLLOUT;
      }
      // Nothing to watch (failed, or at end of file): -1 makes poll skip it, so a socket that
      // keeps reporting POLLHUP does not spin this loop.
      fds[0] = {events != 0 ? sock_ : -1, events, 0};
      fds[1] = {wake_fd_, POLLIN, 0};
    }
    // Bounded wait: the loop re-checks stop_ at least every second even without wake-ups.
    if (poll(fds, 2, 1000) < 0 && errno != EINTR) return;
    if (fds[1].revents & POLLIN) {
      uint64_t drained;
      (void)!read(wake_fd_, &drained, sizeof drained);
    }
    int32_t notify = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      const short rev = fds[0].revents;
      if (!connected && rev != 0) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(sock_, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
          failure_ = std::string("connect: ") + std::strerror(err);
        } else {
          connected = connected_ = true;
        }
        notify |= OUZEL_TRANSPORT_WRITABLE;  // connect can make progress
      } else if (connected) {
        if (rev & (POLLIN | POLLHUP | POLLERR)) {
          const size_t room = kBufferBytes - std::min(kBufferBytes, inbound_.size());
          const ssize_t r = recv(sock_, chunk, std::min(room, sizeof chunk), MSG_DONTWAIT);
          if (r > 0) {
            inbound_.append(chunk, static_cast<size_t>(r));
            notify |= OUZEL_TRANSPORT_READABLE;
          } else if (r == 0) {
            eof_ = true;
            notify |= OUZEL_TRANSPORT_READABLE;
          } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            failure_ = std::string("recv: ") + std::strerror(errno);
            notify |= OUZEL_TRANSPORT_READABLE;
          }
        }
        if ((rev & POLLOUT) && !outbound_.empty()) {
          const ssize_t w =
              send(sock_, outbound_.data(), outbound_.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
          if (w > 0) {
            outbound_.erase(0, static_cast<size_t>(w));
            if (writer_waiting_) {
              writer_waiting_ = false;
              notify |= OUZEL_TRANSPORT_WRITABLE;
            }
          } else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            failure_ = std::string("send: ") + std::strerror(errno);
            notify |= OUZEL_TRANSPORT_READABLE | OUZEL_TRANSPORT_WRITABLE;
          }
        }
      }
    }
    if (notify != 0) Notify(notify);
  }
}

// ---- The probe
// ------------------------------------------------------------------------------------

TransportProbe::TransportProbe() = default;
TransportProbe::~TransportProbe() = default;

void TransportProbe::set_error_message(std::string message) {
  std::lock_guard<std::mutex> lock(mu_);
  error_message_ = std::move(message);
}

std::string TransportProbe::error_message() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_message_;
}

std::vector<std::string> TransportProbe::violations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return violations_;
}

void TransportProbe::Violation(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  if (violations_.size() < 20) violations_.push_back(what);
}

void TransportProbe::Keep(std::unique_ptr<TestStream> stream) {
  std::lock_guard<std::mutex> lock(mu_);
  streams_.push_back(std::move(stream));
}

// ---- The vtables
// ----------------------------------------------------------------------------------

namespace {

TransportProbe* Probe(void* user) { return static_cast<TransportProbe*>(user); }
TestStream* Stream(void* stream) { return static_cast<TestStream*>(stream); }

template <StreamMode kMode>
int OpenSlot(void* user, ouzel_transport_conn* conn, const char* uri, const char* host,
             int32_t port, void** stream) {
  TransportProbe* probe = Probe(user);
  if (probe->destroys.load() > 0) probe->Violation("open after destroy");
  if (conn == nullptr || uri == nullptr || host == nullptr || stream == nullptr) {
    probe->Violation("open got a NULL argument");
    return OUZEL_EINVAL;
  }
  // The engine's own argument checks, seen from a real connection handle.
  if (ouzel_transport_notify(conn, 4) != OUZEL_EINVAL) probe->Violation("notify took event 4");
  if (int code = probe->fail_open_code.load(); code != 0) {
    const std::string message = probe->error_message();
    ouzel_transport_set_error(conn, message.data(), message.size());
    return code;
  }
  auto s = std::make_unique<TestStream>(probe, conn, kMode);
  const int rc = s->Open(host, port);
  if (rc != OUZEL_OK) return rc;
  *stream = s.get();
  probe->Keep(std::move(s));
  probe->opens.fetch_add(1);
  return OUZEL_OK;
}

int ConnectSlot(void* stream, int32_t* want) { return Stream(stream)->Connect(want); }
int ReadSlot(void* stream, void* buf, size_t len, size_t* n) {
  return Stream(stream)->Read(buf, len, n);
}
int WriteSlot(void* stream, const void* buf, size_t len, size_t* n) {
  return Stream(stream)->Write(buf, len, n);
}
int32_t FdSlot(void* stream) { return Stream(stream)->Fd(); }

// close needs the probe for counting; the stream knows it.
void CloseSlot(void* stream) { Stream(stream)->Close(); }

void DestroySlot(void* user) {
  TransportProbe* probe = Probe(user);
  if (probe->destroys.fetch_add(1) != 0) probe->Violation("destroy called twice");
}

const ouzel_transport_vtable kFdVtable = {OUZEL_TRANSPORT_VTABLE_VERSION,
                                          OpenSlot<StreamMode::kFd>,
                                          ConnectSlot,
                                          ReadSlot,
                                          WriteSlot,
                                          FdSlot,
                                          CloseSlot,
                                          DestroySlot};
// Notify mode leaves `fd` NULL: the engine never gets a descriptor.
const ouzel_transport_vtable kNotifyVtable = {OUZEL_TRANSPORT_VTABLE_VERSION,
                                              OpenSlot<StreamMode::kNotify>,
                                              ConnectSlot,
                                              ReadSlot,
                                              WriteSlot,
                                              nullptr,
                                              CloseSlot,
                                              DestroySlot};

}  // namespace

const ouzel_transport_vtable* TestTransportVtable(StreamMode mode) {
  return mode == StreamMode::kFd ? &kFdVtable : &kNotifyVtable;
}

}  // namespace ouzel_it
