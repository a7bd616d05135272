#include "cc/transport/socket_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/transport/resolver.h"
#include "cc/transport/transport.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

// A listening socket on loopback (or a Unix path) for the transport to reach.
class Listener {
 public:
  static Listener Tcp(const char* ip, int backlog = 16) {
    Listener l;
    std::optional<ResolvedAddress> a = ResolvedAddress::FromLiteral(ip, 0);
    l.fd_ = socket(a->family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(l.fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(l.fd_, reinterpret_cast<const sockaddr*>(&a->storage), a->length) != 0 ||
        listen(l.fd_, backlog) != 0) {
      ADD_FAILURE() << "listen on " << ip << ": " << std::strerror(errno);
    }
    sockaddr_storage bound{};
    socklen_t len = sizeof(bound);
    getsockname(l.fd_, reinterpret_cast<sockaddr*>(&bound), &len);
    l.port_ =
        ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                         : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
    return l;
  }
  static Listener Unix(const std::string& path) {
    Listener l;
    l.fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::strncpy(un.sun_path, path.c_str(), sizeof(un.sun_path) - 1);
    unlink(path.c_str());
    if (bind(l.fd_, reinterpret_cast<sockaddr*>(&un), sizeof(un)) != 0 || listen(l.fd_, 4) != 0) {
      ADD_FAILURE() << "listen on " << path << ": " << std::strerror(errno);
    }
    return l;
  }
  Listener() = default;
  Listener(Listener&& o) noexcept : fd_(o.fd_), port_(o.port_) { o.fd_ = -1; }
  ~Listener() {
    if (fd_ >= 0) close(fd_);
  }
  uint16_t port() const { return port_; }
  int fd() const { return fd_; }
  // -1 when nothing arrives in time.
  int Accept(int timeout_ms = 5000) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1) return -1;
    return accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A port on which nothing listens (bound, then closed).
uint16_t UnusedPort() {
  Listener l = Listener::Tcp("127.0.0.1");
  return l.port();
}

struct Connected {
  std::unique_ptr<Transport> transport;
  absl::Status status;
  absl::Duration elapsed;
};

// Drives StartConnect/ContinueConnect the way the client's loop does: poll the transport's fd
// for its interest plus the context's waker, waking at NextTimeout().
Connected ConnectLikeTheLoop(const std::string& uri, absl::Duration timeout,
                             TransportOptions options = {},
                             std::shared_ptr<Resolver> resolver = nullptr) {
  Connected out;
  absl::StatusOr<ServerAddress> address = ServerAddress::Parse(uri);
  if (!address.ok()) {
    out.status = address.status();
    return out;
  }
  std::shared_ptr<Waker> waker = *Waker::Create();
  auto t = CreateTransport(*address, options, TransportContext{waker, std::move(resolver)});
  if (!t.ok()) {
    out.status = t.status();
    return out;
  }
  out.transport = std::move(*t);
  absl::Time start = absl::Now();
  out.status = out.transport->StartConnect(start, start + timeout);
  bool done = false;
  while (out.status.ok() && !done) {
    absl::StatusOr<bool> r = out.transport->ContinueConnect(absl::Now());
    if (!r.ok()) {
      out.status = r.status();
      break;
    }
    if (*r) break;
    if (absl::Now() - start > timeout + absl::Seconds(5)) {
      out.status = absl::InternalError("the transport overran its deadline");
      break;
    }
    std::vector<pollfd> fds = {{waker->fd(), POLLIN, 0}};
    if (out.transport->fd() >= 0) {
      short events = 0;
      if (WantsRead(out.transport->interest())) events |= POLLIN;
      if (WantsWrite(out.transport->interest())) events |= POLLOUT;
      fds.push_back({out.transport->fd(), events, 0});
    }
    int wait_ms = 1000;
    if (std::optional<absl::Time> t = out.transport->NextTimeout()) {
      wait_ms = std::max<int64_t>(0, absl::ToInt64Milliseconds(*t - absl::Now()) + 1);
    }
    poll(fds.data(), fds.size(), wait_ms);
    waker->Consume();
  }
  out.elapsed = absl::Now() - start;
  return out;
}

std::string ReadAll(int fd, size_t n, int timeout_ms = 5000) {
  std::string out;
  char buf[65536];
  absl::Time deadline = absl::Now() + absl::Milliseconds(timeout_ms);
  while (out.size() < n && absl::Now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) != 1) continue;
    ssize_t r = read(fd, buf, sizeof(buf));
    if (r <= 0) break;
    out.append(buf, r);
  }
  return out;
}

TEST(SocketTransportTest, ConnectsOverIpv4AndCarriesBytesBothWays) {
  Listener l = Listener::Tcp("127.0.0.1");
  Connected c = ConnectLikeTheLoop(absl::StrCat("mqtt://127.0.0.1:", l.port()), absl::Seconds(5));
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(c.transport->interest(), IoInterest::kRead);
  EXPECT_EQ(c.transport->Describe(), absl::StrCat("tcp 127.0.0.1:", l.port()));
  int peer = l.Accept();
  ASSERT_GE(peer, 0);

  const std::string hello = "\x10\x0c\x00\x04MQTT";
  absl::StatusOr<size_t> w = c.transport->Write(
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(hello.data()), hello.size()));
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(*w, hello.size());
  EXPECT_EQ(ReadAll(peer, hello.size()), hello);

  uint8_t buf[16];
  absl::StatusOr<size_t> nothing = c.transport->Read(absl::MakeSpan(buf));
  ASSERT_TRUE(nothing.ok()) << nothing.status();
  EXPECT_EQ(*nothing, 0u) << "no data must read as 0 (would block), not block";

  ASSERT_EQ(write(peer, "\x20\x02\x00\x00", 4), 4);
  pollfd p{c.transport->fd(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 5000), 1);
  absl::StatusOr<size_t> r = c.transport->Read(absl::MakeSpan(buf));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), *r), std::string("\x20\x02\x00\x00", 4));

  close(peer);
  ASSERT_EQ(poll(&p, 1, 5000), 1);
  absl::StatusOr<size_t> eof = c.transport->Read(absl::MakeSpan(buf));
  EXPECT_EQ(eof.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(eof.status().message().find("closed by peer"), absl::string_view::npos);
}

TEST(SocketTransportTest, ConnectsToBracketedIpv6Loopback) {
  Listener l = Listener::Tcp("::1");
  Connected c = ConnectLikeTheLoop(absl::StrCat("tcp://[::1]:", l.port()), absl::Seconds(5));
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(c.transport->Describe(), absl::StrCat("tcp [::1]:", l.port()));
  EXPECT_GE(l.Accept(), 0);
}

TEST(SocketTransportTest, NonListeningPortFailsFastWithAClearError) {
  uint16_t port = UnusedPort();
  Connected c = ConnectLikeTheLoop(absl::StrCat("mqtt://127.0.0.1:", port), absl::Seconds(10));
  EXPECT_EQ(c.status.code(), absl::StatusCode::kUnavailable) << c.status;
  EXPECT_NE(c.status.message().find(absl::StrCat("127.0.0.1:", port, ": Connection refused")),
            absl::string_view::npos)
      << c.status;
  EXPECT_LT(c.elapsed, absl::Seconds(1)) << "a refused connect must not wait for the timeout";
  EXPECT_EQ(c.transport->fd(), -1) << "a failed transport is closed";
}

TEST(SocketTransportTest, LocalhostTriesIpv6ThenIpv4) {
  uint16_t port = UnusedPort();
  // Nothing listens: both loopbacks are tried, in order, and both reasons reported.
  Connected none = ConnectLikeTheLoop(absl::StrCat("mqtt://localhost:", port), absl::Seconds(10));
  EXPECT_EQ(none.status.code(), absl::StatusCode::kUnavailable);
  std::string m(none.status.message());
  size_t v6 = m.find(absl::StrCat("[::1]:", port));
  size_t v4 = m.find(absl::StrCat("127.0.0.1:", port));
  ASSERT_NE(v6, std::string::npos) << m;
  ASSERT_NE(v4, std::string::npos) << m;
  EXPECT_LT(v6, v4) << m;

  // A broker on either loopback alone is found.
  Listener only_v4 = Listener::Tcp("127.0.0.1");
  Connected c4 =
      ConnectLikeTheLoop(absl::StrCat("mqtt://localhost:", only_v4.port()), absl::Seconds(5));
  ASSERT_TRUE(c4.status.ok()) << c4.status;
  EXPECT_EQ(c4.transport->Describe(), absl::StrCat("tcp 127.0.0.1:", only_v4.port()));

  Listener only_v6 = Listener::Tcp("::1");
  Connected c6 =
      ConnectLikeTheLoop(absl::StrCat("mqtt://localhost:", only_v6.port()), absl::Seconds(5));
  ASSERT_TRUE(c6.status.ok()) << c6.status;
  EXPECT_EQ(c6.transport->Describe(), absl::StrCat("tcp [::1]:", only_v6.port()));
}

TEST(SocketTransportTest, TheNextAddressGetsAnotherDescriptorNumber) {
  // An epoll driver knows a socket by its number: a closed socket leaves the epoll set, and a new
  // socket under the same number would never be watched. So moving from a refusing address to
  // the next one must change fd().
  Listener l = Listener::Tcp("127.0.0.1");
  auto resolver = std::make_shared<FixedResolver>();
  resolver->Add("broker", {"::1", "127.0.0.1"});  // nothing listens on ::1 at this port
  absl::StatusOr<ServerAddress> address =
      ServerAddress::Parse(absl::StrCat("mqtt://broker:", l.port()));
  ASSERT_TRUE(address.ok());
  std::shared_ptr<Waker> waker = *Waker::Create();
  auto t = CreateTransport(*address, {}, TransportContext{waker, resolver, nullptr});
  ASSERT_TRUE(t.ok()) << t.status();
  absl::Time start = absl::Now();
  ASSERT_TRUE((*t)->StartConnect(start, start + absl::Seconds(5)).ok());
  int first = -1;
  bool connected = false;
  bool started = true;  // look at fd() once before the first ContinueConnect too
  while (!connected && absl::Now() - start < absl::Seconds(5)) {
    if (!started) {
      absl::StatusOr<bool> r = (*t)->ContinueConnect(absl::Now());
      ASSERT_TRUE(r.ok()) << r.status();
      connected = *r;
    }
    started = false;
    int fd = (*t)->fd();
    if (first < 0 && fd >= 0) {
      sockaddr_storage local{};
      socklen_t len = sizeof(local);
      ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len), 0);
      if (local.ss_family != AF_INET6) GTEST_SKIP() << "no IPv6 socket here to refuse";
      first = fd;
    }
    if (!connected) {
      pollfd p = fd >= 0 ? pollfd{fd, POLLOUT, 0} : pollfd{waker->fd(), POLLIN, 0};
      poll(&p, 1, 100);
      waker->Consume();
    }
  }
  ASSERT_TRUE(connected);
  EXPECT_EQ((*t)->Describe(), absl::StrCat("tcp 127.0.0.1:", l.port()));
  EXPECT_NE((*t)->fd(), first);
}

TEST(SocketTransportTest, EveryResolvedAddressIsTriedInOrder) {
  Listener l = Listener::Tcp("127.0.0.1");
  auto resolver = std::make_shared<FixedResolver>();
  // 127.0.0.2 and ::1 refuse (nothing listens there on this port); the third address works.
  resolver->Add("broker", {"::1", "127.0.0.2", "127.0.0.1"});
  Connected c =
      ConnectLikeTheLoop(absl::StrCat("mqtt://broker:", l.port()), absl::Seconds(5), {}, resolver);
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(c.transport->Describe(), absl::StrCat("tcp 127.0.0.1:", l.port()));
}

TEST(SocketTransportTest, ConnectTimesOutWhenTheListenerNeverAnswers) {
  // A listener whose accept queue is full leaves further SYNs unanswered.
  Listener l = Listener::Tcp("127.0.0.1", /*backlog=*/0);
  std::vector<int> fillers;
  bool hung = false;
  for (int i = 0; i < 16 && !hung; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(l.port());
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(fd, reinterpret_cast<sockaddr*>(&in), sizeof(in));
    pollfd p{fd, POLLOUT, 0};
    hung = poll(&p, 1, 200) == 0;
    fillers.push_back(fd);
  }
  if (!hung) {
    for (int fd : fillers) close(fd);
    GTEST_SKIP() << "this kernel answers SYNs beyond the backlog; cannot make a connect hang";
  }
  Connected c =
      ConnectLikeTheLoop(absl::StrCat("mqtt://127.0.0.1:", l.port()), absl::Milliseconds(300));
  for (int fd : fillers) close(fd);
  EXPECT_EQ(c.status.code(), absl::StatusCode::kDeadlineExceeded) << c.status;
  EXPECT_NE(c.status.message().find("timed out"), absl::string_view::npos) << c.status;
  EXPECT_GE(c.elapsed, absl::Milliseconds(250));
  EXPECT_LT(c.elapsed, absl::Seconds(2));
}

TEST(SocketTransportTest, PartialWritesReportTheAcceptedPrefix) {
  Listener l = Listener::Tcp("127.0.0.1");
  TransportOptions small_buffers;
  small_buffers.send_buffer_bytes = 16 * 1024;
  Connected c = ConnectLikeTheLoop(absl::StrCat("mqtt://127.0.0.1:", l.port()), absl::Seconds(5),
                                   small_buffers);
  ASSERT_TRUE(c.status.ok()) << c.status;
  int peer = l.Accept();
  ASSERT_GE(peer, 0);
  int small = 16 * 1024;
  setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));

  std::string data(8 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + 7);
  auto span = absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(data.data()), data.size());

  // The peer does not read yet: the kernel takes a prefix, then nothing.
  absl::StatusOr<size_t> first = c.transport->Write(span);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GT(*first, 0u);
  EXPECT_LT(*first, data.size()) << "8 MiB fit in the socket buffers; the test proves nothing";
  size_t written = *first;
  absl::StatusOr<size_t> blocked = c.transport->Write(span.subspan(written));
  ASSERT_TRUE(blocked.ok()) << blocked.status();
  written += *blocked;
  EXPECT_LT(written, data.size());

  // Now the peer drains while we keep writing the rest, waiting for writability in between.
  std::string received;
  std::thread reader([&] { received = ReadAll(peer, data.size(), 20000); });
  int polls = 0;
  while (written < data.size() && polls < 100000) {
    pollfd p{c.transport->fd(), POLLOUT, 0};
    poll(&p, 1, 1000);
    ++polls;
    absl::StatusOr<size_t> n = c.transport->Write(span.subspan(written));
    ASSERT_TRUE(n.ok()) << n.status();
    written += *n;
  }
  reader.join();
  EXPECT_EQ(written, data.size());
  EXPECT_TRUE(received == data) << "received " << received.size() << " bytes, not the same";
  close(peer);
}

// The peer sends `bytes`; the transport reads them all (bounded by poll).
void PeerSendsAndTransportReads(int peer, Transport& t, const std::string& bytes) {
  ASSERT_EQ(write(peer, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  pollfd p{t.fd(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 5000), 1);
  uint8_t buf[64];
  absl::StatusOr<size_t> r = t.Read(absl::MakeSpan(buf));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(*r, bytes.size());
}

void TransportWrites(Transport& t, const std::string& bytes) {
  absl::StatusOr<size_t> w =
      t.Write(absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_EQ(*w, bytes.size());
}

int NoDelay(int fd) {
  int v = -1;
  socklen_t len = sizeof(v);
  getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len);
  return v;
}

// A broker with Nagle on (Mosquitto's default) holds its next small packet until its last one
// is acknowledged, and Linux delays that ACK by up to 40 ms when the reader sends nothing back.
// AcknowledgeNow asks for the ACK at once, but only for bytes no write has acknowledged since:
// with TCP_NODELAY every write carries the ACK, so a read answered by a write costs nothing.
TEST(SocketTransportTest, AcknowledgesAtOnceOnlyWhatNoWriteCarried) {
  Listener l = Listener::Tcp("127.0.0.1");
  Connected c = ConnectLikeTheLoop(absl::StrCat("mqtt://127.0.0.1:", l.port()), absl::Seconds(5));
  ASSERT_TRUE(c.status.ok()) << c.status;
  auto* socket = dynamic_cast<SocketTransport*>(c.transport.get());
  ASSERT_NE(socket, nullptr);
  int peer = l.Accept();
  ASSERT_GE(peer, 0);
  EXPECT_EQ(NoDelay(socket->fd()), 1) << "TCP_NODELAY is the default";

  socket->AcknowledgeNow();
  EXPECT_EQ(socket->quick_acks(), 0u) << "nothing read, nothing to acknowledge";

  PeerSendsAndTransportReads(peer, *socket, "\x40\x02\x00\x01");  // a PUBACK: no reply
  socket->AcknowledgeNow();
  EXPECT_EQ(socket->quick_acks(), 1u);
  socket->AcknowledgeNow();
  EXPECT_EQ(socket->quick_acks(), 1u) << "acknowledged once is enough";

  PeerSendsAndTransportReads(peer, *socket, "\x32\x05\x00\x01t\x00\x07");  // QoS 1 PUBLISH
  TransportWrites(*socket, "\x40\x02\x00\x07");  // its PUBACK carries the ACK
  socket->AcknowledgeNow();
  EXPECT_EQ(socket->quick_acks(), 1u) << "the write carried the ACK: no system call";

  TransportWrites(*socket, "\xc0\x00");
  PeerSendsAndTransportReads(peer, *socket, "\xd0\x00");  // read after the last write
  socket->AcknowledgeNow();
  EXPECT_EQ(socket->quick_acks(), 2u);
  close(peer);
}

TEST(SocketTransportTest, WithNagleOnAWriteDoesNotCountAsTheAck) {
  Listener l = Listener::Tcp("127.0.0.1");
  TransportOptions options;
  options.tcp_nodelay = false;
  Connected c =
      ConnectLikeTheLoop(absl::StrCat("mqtt://127.0.0.1:", l.port()), absl::Seconds(5), options);
  ASSERT_TRUE(c.status.ok()) << c.status;
  auto* socket = dynamic_cast<SocketTransport*>(c.transport.get());
  ASSERT_NE(socket, nullptr);
  int peer = l.Accept();
  ASSERT_GE(peer, 0);
  EXPECT_EQ(NoDelay(socket->fd()), 0);
  PeerSendsAndTransportReads(peer, *socket, "\x40\x02\x00\x01");
  TransportWrites(*socket, "\xc0\x00");  // Nagle may hold this back, and its ACK with it
  socket->AcknowledgeNow();
  EXPECT_EQ(socket->quick_acks(), 1u);
  close(peer);
}

TEST(SocketTransportTest, UnixSocketConnects) {
  // TEST_TMPDIR is too long for sun_path; a short private directory under /tmp instead.
  char dir[] = "/tmp/ouzel-transport-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = absl::StrCat(dir, "/s.sock");
  Listener l = Listener::Unix(path);
  Connected c = ConnectLikeTheLoop(absl::StrCat("unix://", path), absl::Seconds(5));
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(c.transport->Describe(), absl::StrCat("unix ", path));
  int peer = l.Accept();
  ASSERT_GE(peer, 0);
  absl::StatusOr<size_t> w =
      c.transport->Write(absl::MakeConstSpan(reinterpret_cast<const uint8_t*>("ab"), 2));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(ReadAll(peer, 2), "ab");
  PeerSendsAndTransportReads(peer, *c.transport, "cd");
  c.transport->AcknowledgeNow();  // no TCP, no ACK to send
  auto* socket = dynamic_cast<SocketTransport*>(c.transport.get());
  ASSERT_NE(socket, nullptr);
  EXPECT_EQ(socket->quick_acks(), 0u);
  close(peer);
  unlink(path.c_str());
  rmdir(dir);
}

TEST(SocketTransportTest, UnixAbstractSocketConnects) {
  std::string name = absl::StrCat("ouzel-transport-test-", getpid());
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::memcpy(un.sun_path + 1, name.data(), name.size());
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&un), len), 0) << std::strerror(errno);
  ASSERT_EQ(listen(fd, 4), 0);
  Connected c = ConnectLikeTheLoop(absl::StrCat("unix:@", name), absl::Seconds(5));
  EXPECT_TRUE(c.status.ok()) << c.status;
  close(fd);
}

TEST(SocketTransportTest, UnixSocketErrorsNameThePath) {
  Connected missing = ConnectLikeTheLoop("unix:///nonexistent/ouzel.sock", absl::Seconds(5));
  EXPECT_EQ(missing.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(missing.status.message().find("/nonexistent/ouzel.sock: No such file"),
            absl::string_view::npos)
      << missing.status;
  Connected too_long =
      ConnectLikeTheLoop(absl::StrCat("unix:///", std::string(200, 'x')), absl::Seconds(5));
  EXPECT_EQ(too_long.status.code(), absl::StatusCode::kInvalidArgument) << too_long.status;
}

// Every scheme has its layers now (TLS: tls_transport_test.cc, WebSockets:
// websocket_transport_test.cc); the factory stacks them innermost first.
TEST(SocketTransportTest, FactoryStacksTheLayersEachSchemeNeeds) {
  std::shared_ptr<Waker> waker = *Waker::Create();
  const std::pair<const char*, const char*> kCases[] = {
      {"mqtt://127.0.0.1", "tcp 127.0.0.1:1883"},
      {"mqtts://127.0.0.1", "tls over tcp 127.0.0.1:8883"},
      {"ssl://127.0.0.1", "tls over tcp 127.0.0.1:8883"},
      {"ws://127.0.0.1", "ws://127.0.0.1:80/mqtt over tcp 127.0.0.1:80"},
      {"wss://127.0.0.1/x", "wss://127.0.0.1:443/x over tls over tcp 127.0.0.1:443"},
  };
  for (const auto& [uri, description] : kCases) {
    absl::StatusOr<ServerAddress> address = ServerAddress::Parse(uri);
    ASSERT_TRUE(address.ok()) << address.status();
    auto t =
        CreateTransport(*address, TransportOptions(), TransportContext{waker, nullptr, nullptr});
    ASSERT_TRUE(t.ok()) << uri << ": " << t.status();
    EXPECT_EQ((*t)->Describe(), description);
  }
}

TEST(SocketTransportTest, BindAddressOfTheOtherFamilyIsSkipped) {
  Listener l = Listener::Tcp("127.0.0.1");
  TransportOptions bind_v4;
  bind_v4.bind_address = "127.0.0.1";
  // localhost is [::1, 127.0.0.1]; the IPv6 address cannot use an IPv4 bind address.
  Connected c =
      ConnectLikeTheLoop(absl::StrCat("mqtt://localhost:", l.port()), absl::Seconds(5), bind_v4);
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(c.transport->Describe(), absl::StrCat("tcp 127.0.0.1:", l.port()));
}

}  // namespace
}  // namespace ouzel
