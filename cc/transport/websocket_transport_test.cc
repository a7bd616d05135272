// WebSocketTransport against a scripted fake WebSocket peer: a TEST DOUBLE, used only for what a
// real server will not do on demand (wrong accept keys, refusals, missing headers, pings and
// close frames at chosen moments, fragmentation at chosen boundaries, protocol violations).
// The behaviour against a real server is pinned by websocket_mosquitto_test.cc.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "cc/transport/transport.h"
#include "cc/transport/transport_error.h"
#include "cc/transport/websocket_frame.h"
#include "cc/transport/websocket_handshake.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using ::testing::HasSubstr;
using websocket::FrameDecoder;
using websocket::FrameEvent;
using websocket::Opcode;

constexpr int kTimeoutMs = 5000;

std::string Frame(Opcode opcode, bool fin, absl::string_view payload) {
  ByteBuffer out;
  websocket::AppendFrame(
      opcode, fin,
      absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()),
      std::nullopt, &out);
  return std::string(out.view());
}

std::string CloseFrame(uint16_t code, absl::string_view reason) {
  return Frame(Opcode::kClose, true, websocket::EncodeCloseBody(code, reason));
}

// A frame the client sent, as the peer decoded it.
struct ClientFrame {
  Opcode opcode;
  bool fin;
  std::string payload;
  websocket::MaskKey key;
};

// One accepted connection of the fake peer; blocking calls, each bounded by kTimeoutMs.
class PeerConnection {
 public:
  explicit PeerConnection(int fd) : fd_(fd), decoder_({/*expect_masked=*/true}) {}
  ~PeerConnection() { close(fd_); }

  // The request head, up to and including the blank line.
  std::string ReadRequest() {
    while (buffered_.find("\r\n\r\n") == std::string::npos) {
      if (!Fill()) break;
    }
    size_t end = buffered_.find("\r\n\r\n");
    if (end == std::string::npos) return buffered_;
    std::string head = buffered_.substr(0, end + 4);
    buffered_.erase(0, end + 4);
    return head;
  }
  static std::string Header(absl::string_view request, absl::string_view name) {
    for (absl::string_view line : absl::StrSplit(request, "\r\n")) {
      if (absl::StartsWithIgnoreCase(line, absl::StrCat(name, ": "))) {
        return std::string(line.substr(name.size() + 2));
      }
    }
    return "";
  }
  // The usual 101 reply to `request`, with `extra` (raw header lines or frame bytes) after it.
  static std::string Accept(absl::string_view request) {
    return absl::StrCat(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: ",
        websocket::AcceptFor(Header(request, "Sec-WebSocket-Key")),
        "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n");
  }
  void Send(absl::string_view bytes) {
    size_t off = 0;
    while (off < bytes.size()) {
      ssize_t n = send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) {
        ADD_FAILURE() << "peer send: " << std::strerror(errno);
        return;
      }
      off += static_cast<size_t>(n);
    }
  }
  // Reads client frames until `count` have arrived (or the time is up, or the client closed).
  std::vector<ClientFrame> ReadFrames(size_t count) {
    std::vector<ClientFrame> out;
    while (out.size() < count) {
      if (!DecodeBuffered(&out, count)) break;
      if (out.size() >= count) break;
      if (!Fill()) break;
    }
    return out;
  }
  // Closes the peer's side (FIN).
  void HangUp() { shutdown(fd_, SHUT_WR); }
  // True when the client closes the TCP connection within the timeout.
  bool WaitForEof() {
    while (Fill()) buffered_.clear();
    return eof_;
  }

 private:
  bool Fill() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, kTimeoutMs) != 1) return false;
    char buf[65536];
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffered_.append(buf, static_cast<size_t>(n));
    return true;
  }
  bool DecodeBuffered(std::vector<ClientFrame>* out, size_t count) {
    absl::Span<uint8_t> in(reinterpret_cast<uint8_t*>(&buffered_[0]), buffered_.size());
    while (out->size() < count) {
      absl::StatusOr<std::optional<FrameEvent>> e = decoder_.Next(&in);
      if (!e.ok()) {
        ADD_FAILURE() << "client sent a bad frame: " << e.status();
        return false;
      }
      if (!e->has_value()) break;
      const FrameEvent& ev = **e;
      std::string piece(reinterpret_cast<const char*>(ev.payload.data()), ev.payload.size());
      if (ev.frame_start) {
        ClientFrame f{ev.opcode, ev.fin, "", {}};
        // A data payload that starts in this buffer has its masking key just before it (when
        // the header came in an earlier read, the key stays unknown: zero).
        const auto* base = reinterpret_cast<const uint8_t*>(buffered_.data());
        if (ev.kind == FrameEvent::Kind::kData && !ev.payload.empty() &&
            ev.payload.data() - base >= 4) {
          std::memcpy(f.key.data(), ev.payload.data() - 4, 4);
        }
        current_.push_back(f);
      }
      current_.back().payload += piece;
      if (ev.kind == FrameEvent::Kind::kControl || ev.frame_end) {
        out->push_back(current_.back());
        current_.clear();
      }
    }
    buffered_.erase(0, buffered_.size() - in.size());
    return true;
  }

  int fd_;
  FrameDecoder decoder_;
  std::string buffered_;
  std::vector<ClientFrame> current_;
  bool eof_ = false;
};

// Listens on 127.0.0.1 and runs `script` on its own thread against the first connection.
class FakeWebSocketPeer {
 public:
  explicit FakeWebSocketPeer(std::function<void(PeerConnection&)> script) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || listen(listen_fd_, 4) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ADD_FAILURE() << "listen: " << std::strerror(errno);
    }
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, script = std::move(script)] {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, kTimeoutMs) != 1) {
        ADD_FAILURE() << "the client never connected";
        return;
      }
      PeerConnection c(accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC));
      script(c);
    });
  }
  ~FakeWebSocketPeer() {
    thread_.join();
    close(listen_fd_);
  }
  int port() const { return port_; }
  std::string uri(absl::string_view path = "") const {
    return absl::StrCat("ws://127.0.0.1:", port_, path);
  }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// ---- Driving the transport the way the client's loop does ----

struct Connected {
  std::unique_ptr<Transport> transport;
  absl::Status status;
};

Connected Connect(const std::string& uri, TransportOptions options = {}) {
  Connected out;
  absl::StatusOr<ServerAddress> address = ServerAddress::Parse(uri);
  if (!address.ok()) {
    out.status = address.status();
    return out;
  }
  std::shared_ptr<Waker> waker = *Waker::Create();
  auto t = CreateTransport(*address, options, TransportContext{waker, nullptr, nullptr});
  if (!t.ok()) {
    out.status = t.status();
    return out;
  }
  out.transport = std::move(*t);
  const absl::Time start = absl::Now();
  out.status = out.transport->StartConnect(start, start + absl::Seconds(10));
  while (out.status.ok()) {
    absl::StatusOr<bool> r = out.transport->ContinueConnect(absl::Now());
    if (!r.ok()) {
      out.status = r.status();
      break;
    }
    if (*r) break;
    if (absl::Now() - start > absl::Seconds(15)) {
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
  return out;
}

// Reads until `n` bytes came or Read fails; polls only when the transport has nothing buffered.
struct ReadResult {
  std::string bytes;
  absl::Status status;
};
ReadResult ReadBytes(Transport& t, size_t n, size_t buffer_size = 1024) {
  ReadResult out;
  std::vector<uint8_t> buf(buffer_size);
  const absl::Time deadline = absl::Now() + absl::Milliseconds(kTimeoutMs);
  while (out.bytes.size() < n && absl::Now() < deadline) {
    if (!t.HasBufferedInput()) {
      short events = POLLIN;
      if (WantsWrite(t.interest())) events |= POLLOUT;
      pollfd p{t.fd(), events, 0};
      poll(&p, 1, 100);
      if (p.revents & POLLOUT) (void)t.Flush();
    }
    absl::StatusOr<size_t> r = t.Read(absl::MakeSpan(buf));
    if (!r.ok()) {
      out.status = r.status();
      break;
    }
    out.bytes.append(reinterpret_cast<const char*>(buf.data()), *r);
  }
  return out;
}

absl::Status WriteAll(Transport& t, absl::string_view data) {
  size_t off = 0;
  const absl::Time deadline = absl::Now() + absl::Milliseconds(kTimeoutMs);
  while ((off < data.size() || WantsWrite(t.interest())) && absl::Now() < deadline) {
    if (off < data.size()) {
      absl::StatusOr<size_t> n = t.Write(absl::MakeConstSpan(
          reinterpret_cast<const uint8_t*>(data.data()) + off, data.size() - off));
      if (!n.ok()) return n.status();
      off += *n;
      if (*n > 0) continue;
    }
    pollfd p{t.fd(), POLLOUT, 0};
    poll(&p, 1, 100);
    if (absl::Status s = t.Flush(); !s.ok()) return s;
  }
  return off == data.size() ? absl::OkStatus() : absl::DeadlineExceededError("write stalled");
}

// ---- The opening handshake ----

TEST(WebSocketTransportTest, SendsAWellFormedUpgradeAndConnects) {
  std::string request;
  FakeWebSocketPeer peer([&](PeerConnection& c) {
    request = c.ReadRequest();
    c.Send(PeerConnection::Accept(request));
    c.WaitForEof();
  });
  TransportOptions o;
  o.websocket.headers = {{"Authorization", "Bearer t0ken"}};
  Connected c = Connect(peer.uri("/custom/path?x=1"), o);
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(c.transport->Describe(),
            absl::StrCat("ws://127.0.0.1:", peer.port(),
                         "/custom/path?x=1 over tcp 127.0.0.1:", peer.port()));
  EXPECT_EQ(c.transport->interest(), IoInterest::kRead);
  EXPECT_FALSE(c.transport->HasBufferedInput());
  c.transport->Close();
  c.transport.reset();
  EXPECT_THAT(request, ::testing::StartsWith("GET /custom/path?x=1 HTTP/1.1\r\n"));
  EXPECT_EQ(PeerConnection::Header(request, "Host"), absl::StrCat("127.0.0.1:", peer.port()));
  EXPECT_EQ(PeerConnection::Header(request, "Upgrade"), "websocket");
  EXPECT_EQ(PeerConnection::Header(request, "Sec-WebSocket-Version"), "13");
  EXPECT_EQ(PeerConnection::Header(request, "Sec-WebSocket-Protocol"), "mqtt");
  EXPECT_EQ(PeerConnection::Header(request, "Sec-WebSocket-Key").size(), 24u);
  EXPECT_EQ(PeerConnection::Header(request, "Authorization"), "Bearer t0ken");
}

struct RefusalCase {
  const char* name;
  std::function<std::string(const std::string& request)> reply;
  absl::StatusCode code;
  const char* message;
  bool hang_up = false;  // the peer closes after its reply
};

class WebSocketRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(WebSocketRefusalTest, FailsTheConnectWithAWebSocketErrorNamingTheProblem) {
  const RefusalCase& rc = GetParam();
  FakeWebSocketPeer peer([&](PeerConnection& c) {
    c.Send(rc.reply(c.ReadRequest()));
    if (rc.hang_up) c.HangUp();
    c.WaitForEof();
  });
  Connected c = Connect(peer.uri());
  ASSERT_FALSE(c.status.ok());
  EXPECT_EQ(c.status.code(), rc.code) << c.status;
  EXPECT_THAT(std::string(c.status.message()), HasSubstr(rc.message));
  EXPECT_THAT(std::string(c.status.message()),
              HasSubstr(absl::StrCat("ws://127.0.0.1:", peer.port(), "/mqtt: ")));
  EXPECT_EQ(FailedTransportLayer(c.status), TransportLayer::kWebSocket);
  EXPECT_EQ(c.transport->fd(), -1);  // closed after the failure
}

std::string Without(std::string reply, absl::string_view header) {
  size_t at = reply.find(absl::StrCat(header, ": "));
  reply.erase(at, reply.find("\r\n", at) + 2 - at);
  return reply;
}

INSTANTIATE_TEST_SUITE_P(
    Refusals, WebSocketRefusalTest,
    ::testing::Values(
        RefusalCase{"BadAcceptKey",
                    [](const std::string& r) {
                      std::string reply = PeerConnection::Accept(r);
                      size_t at = reply.find("Sec-WebSocket-Accept: ") + 22;
                      reply[at] = reply[at] == 'A' ? 'B' : 'A';
                      return reply;
                    },
                    absl::StatusCode::kDataLoss, "does not match the key sent"},
        RefusalCase{"Forbidden",
                    [](const std::string&) {
                      return std::string(
                          "HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nforbidden");
                    },
                    absl::StatusCode::kPermissionDenied,
                    "WebSocket upgrade refused: 'HTTP/1.1 403 Forbidden'"},
        RefusalCase{"ForbiddenStatusLineOnly",
                    [](const std::string&) { return std::string("HTTP/1.1 403 Forbidden\r\n"); },
                    absl::StatusCode::kPermissionDenied, "'HTTP/1.1 403 Forbidden'"},
        RefusalCase{
            "MissingUpgradeHeader",
            [](const std::string& r) { return Without(PeerConnection::Accept(r), "Upgrade"); },
            absl::StatusCode::kDataLoss, "no Upgrade header"},
        RefusalCase{"ConnectionWithoutUpgrade",
                    [](const std::string& r) {
                      std::string reply = PeerConnection::Accept(r);
                      reply.replace(reply.find("Connection: Upgrade"), 19, "Connection: close");
                      return reply;
                    },
                    absl::StatusCode::kDataLoss, "Connection header 'close' does not list"},
        RefusalCase{"WrongSubprotocol",
                    [](const std::string& r) {
                      std::string reply = PeerConnection::Accept(r);
                      reply.replace(reply.find("Protocol: mqtt"), 14, "Protocol: chat");
                      return reply;
                    },
                    absl::StatusCode::kDataLoss, "chose subprotocol 'chat'"},
        RefusalCase{"NotHttp",
                    [](const std::string&) { return std::string("\x20\x02\x00\x00\n", 5); },
                    absl::StatusCode::kDataLoss, "does not start with an HTTP status line"},
        RefusalCase{"HangUpMidReply", [](const std::string&) { return std::string("HTTP/1.1 10"); },
                    absl::StatusCode::kUnavailable,
                    "connection lost during the WebSocket upgrade after a partial reply: "
                    "'HTTP/1.1 10'",
                    true},
        RefusalCase{"HangUpAfterTheStatusLine",
                    [](const std::string&) {
                      return std::string(
                          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n");
                    },
                    absl::StatusCode::kUnavailable,
                    "connection lost during the WebSocket upgrade after the reply's status line "
                    "'HTTP/1.1 101 Switching Protocols' and 1 header(s)",
                    true},
        RefusalCase{"HangUpWithoutReply", [](const std::string&) { return std::string(); },
                    absl::StatusCode::kUnavailable,
                    "connection lost during the WebSocket upgrade after no reply", true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(WebSocketTransportTest, SilentServerTimesOutTheHandshake) {
  FakeWebSocketPeer peer([&](PeerConnection& c) {
    c.ReadRequest();
    c.WaitForEof();
  });
  TransportOptions o;
  o.handshake_timeout = absl::Milliseconds(200);
  Connected c = Connect(peer.uri(), o);
  EXPECT_EQ(c.status.code(), absl::StatusCode::kDeadlineExceeded) << c.status;
  EXPECT_THAT(std::string(c.status.message()), HasSubstr("handshake timed out"));
}

TEST(WebSocketTransportTest, OptionsThatCannotBeSentFailBeforeAnyIo) {
  TransportOptions o;
  o.websocket.headers = {{"X-Evil", "a\r\nHost: other"}};
  Connected c = Connect("ws://127.0.0.1:1/mqtt", o);
  EXPECT_EQ(c.status.code(), absl::StatusCode::kInvalidArgument) << c.status;
  EXPECT_EQ(c.transport, nullptr);
}

// ---- Frames from the server ----

TEST(WebSocketTransportTest, PacketSpanningFragmentedFramesArrivesAsOneStream) {
  // An MQTT PUBLISH split over three frames of one fragmented message and a fourth message; the
  // first frame travels in the same segment as the 101 reply.
  const std::string packet = std::string(
      "\x30\x0c\x00\x03"
      "a/bhello!!",
      14);
  FakeWebSocketPeer peer([&](PeerConnection& c) {
    std::string request = c.ReadRequest();
    c.Send(PeerConnection::Accept(request) + Frame(Opcode::kBinary, false, packet.substr(0, 1)));
    c.Send(Frame(Opcode::kContinuation, false, packet.substr(1, 6)));
    c.Send(Frame(Opcode::kContinuation, true, packet.substr(7, 5)));
    c.Send(Frame(Opcode::kBinary, true, packet.substr(12)));
    c.WaitForEof();
  });
  Connected c = Connect(peer.uri());
  ASSERT_TRUE(c.status.ok()) << c.status;
  ReadResult r = ReadBytes(*c.transport, packet.size(), /*buffer_size=*/3);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.bytes, packet);
}

TEST(WebSocketTransportTest, FramesThatCameWithTheReplyAreBufferedInput) {
  FakeWebSocketPeer peer([&](PeerConnection& c) {
    c.Send(PeerConnection::Accept(c.ReadRequest()) + Frame(Opcode::kBinary, true, "\x20\x02"));
    c.WaitForEof();
  });
  Connected c = Connect(peer.uri());
  ASSERT_TRUE(c.status.ok()) << c.status;
  // Already read from the socket: the driver must learn about it without polling.
  EXPECT_TRUE(c.transport->HasBufferedInput());
  uint8_t buf[8];
  absl::StatusOr<size_t> n = c.transport->Read(absl::MakeSpan(buf));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), *n), "\x20\x02");
  EXPECT_FALSE(c.transport->HasBufferedInput());
}

TEST(WebSocketTransportTest, PingMidStreamIsAnsweredWithAPongEchoingIt) {
  std::vector<ClientFrame> answered;
  {
    FakeWebSocketPeer peer([&](PeerConnection& c) {
      c.Send(PeerConnection::Accept(c.ReadRequest()));
      c.Send(Frame(Opcode::kBinary, false, "ab") + Frame(Opcode::kPing, true, "are you there") +
             Frame(Opcode::kContinuation, true, "cd"));
      answered = c.ReadFrames(1);
      c.Send(Frame(Opcode::kPing, true, "") + Frame(Opcode::kBinary, true, "ef"));
      std::vector<ClientFrame> second = c.ReadFrames(1);
      answered.insert(answered.end(), second.begin(), second.end());
      c.WaitForEof();
    });
    Connected c = Connect(peer.uri());
    ASSERT_TRUE(c.status.ok()) << c.status;
    ReadResult r = ReadBytes(*c.transport, 6);
    ASSERT_TRUE(r.status.ok()) << r.status;
    EXPECT_EQ(r.bytes, "abcdef");
    c.transport->Close();
  }  // the peer's thread is joined: `answered` is complete
  ASSERT_EQ(answered.size(), 2u);
  EXPECT_EQ(answered[0].opcode, Opcode::kPong);
  EXPECT_EQ(answered[0].payload, "are you there");
  EXPECT_EQ(answered[1].opcode, Opcode::kPong);
  EXPECT_EQ(answered[1].payload, "");
}

TEST(WebSocketTransportTest, CloseFrameIsAnsweredAndReportedAfterTheDataBeforeIt) {
  std::vector<ClientFrame> reply;
  bool eof = false;
  {
    FakeWebSocketPeer peer([&](PeerConnection& c) {
      c.Send(PeerConnection::Accept(c.ReadRequest()));
      c.Send(Frame(Opcode::kBinary, true, "last") + CloseFrame(1000, "bye now"));
      reply = c.ReadFrames(1);
      eof = c.WaitForEof();
    });
    Connected c = Connect(peer.uri());
    ASSERT_TRUE(c.status.ok()) << c.status;
    ReadResult r = ReadBytes(*c.transport, 100);
    EXPECT_EQ(r.bytes, "last");
    EXPECT_EQ(r.status.code(), absl::StatusCode::kUnavailable) << r.status;
    EXPECT_EQ(r.status.message(),
              "peer closed the WebSocket: code 1000 (normal closure) reason \"bye now\"");
    // Sticky, and writes fail the same way.
    uint8_t buf[4];
    EXPECT_EQ(c.transport->Read(absl::MakeSpan(buf)).status(), r.status);
    EXPECT_EQ(c.transport->Write(absl::MakeConstSpan(buf, 1)).status(), r.status);
    c.transport->Close();
  }
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(reply[0].opcode, Opcode::kClose);
  EXPECT_EQ(reply[0].payload, websocket::EncodeCloseBody(1000, ""));
  EXPECT_TRUE(eof);
}

struct ViolationCase {
  const char* name;
  std::string frames;
  size_t max_message_bytes;
  const char* message;
  uint16_t close_code;
};

class WebSocketViolationTest : public ::testing::TestWithParam<ViolationCase> {};

TEST_P(WebSocketViolationTest, FailsTheStreamAndTellsThePeerWhy) {
  const ViolationCase& vc = GetParam();
  std::vector<ClientFrame> reply;
  {
    FakeWebSocketPeer peer([&](PeerConnection& c) {
      c.Send(PeerConnection::Accept(c.ReadRequest()));
      c.Send(Frame(Opcode::kBinary, true, "ok") + vc.frames);
      reply = c.ReadFrames(1);
      c.WaitForEof();
    });
    TransportOptions o;
    o.websocket.max_message_bytes = vc.max_message_bytes;
    Connected c = Connect(peer.uri(), o);
    ASSERT_TRUE(c.status.ok()) << c.status;
    ReadResult r = ReadBytes(*c.transport, 100);
    EXPECT_EQ(r.bytes, "ok");  // what came before the violation is delivered
    EXPECT_EQ(r.status.code(), absl::StatusCode::kDataLoss) << r.status;
    EXPECT_THAT(std::string(r.status.message()), HasSubstr(vc.message));
    EXPECT_EQ(FailedTransportLayer(r.status), TransportLayer::kWebSocket);
    c.transport->Close();
  }
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(reply[0].opcode, Opcode::kClose);
  ASSERT_EQ(reply[0].payload.size(), 2u);
  EXPECT_EQ(
      (static_cast<uint8_t>(reply[0].payload[0]) << 8) | static_cast<uint8_t>(reply[0].payload[1]),
      vc.close_code);
}

std::string MaskedFrame() {
  ByteBuffer out;
  const uint8_t payload[] = {1, 2, 3};
  websocket::AppendFrame(Opcode::kBinary, true, payload, websocket::MaskKey{1, 2, 3, 4}, &out);
  return std::string(out.view());
}

INSTANTIATE_TEST_SUITE_P(
    Violations, WebSocketViolationTest,
    ::testing::Values(ViolationCase{"MaskedFrame", MaskedFrame(), 0,
                                    "masked binary frame from the server",
                                    websocket::kCloseProtocolError},
                      ViolationCase{"TextFrame", Frame(Opcode::kText, true, "{}"), 0,
                                    "MQTT travels in binary frames only (MQTT-6.0.0-1)",
                                    websocket::kCloseUnsupportedData},
                      ViolationCase{"ReservedBits", std::string("\xC2\x00", 2), 0,
                                    "reserved bits set", websocket::kCloseProtocolError},
                      ViolationCase{"OrphanContinuation", Frame(Opcode::kContinuation, true, "x"),
                                    0, "continuation frame without a fragmented message",
                                    websocket::kCloseProtocolError},
                      ViolationCase{"MessageTooBig",
                                    Frame(Opcode::kBinary, true, std::string(300, 'x')), 256,
                                    "message of at least 300 bytes exceeds the limit of 256 bytes",
                                    websocket::kCloseTooBig}),
    [](const auto& info) { return std::string(info.param.name); });

// ---- Frames to the server ----

TEST(WebSocketTransportTest, WritesGoOutAsMaskedBinaryFramesOfAtMostMaxFrameBytes) {
  std::string data(200 * 1024, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 + i / 7);
  std::vector<ClientFrame> frames;
  {
    FakeWebSocketPeer peer([&](PeerConnection& c) {
      c.Send(PeerConnection::Accept(c.ReadRequest()));
      size_t got = 0;
      while (got < data.size()) {
        std::vector<ClientFrame> more = c.ReadFrames(1);
        if (more.empty()) break;
        got += more[0].payload.size();
        frames.push_back(more[0]);
      }
      c.WaitForEof();
    });
    TransportOptions o;
    o.websocket.max_frame_bytes = 1000;
    Connected c = Connect(peer.uri(), o);
    ASSERT_TRUE(c.status.ok()) << c.status;
    ASSERT_TRUE(WriteAll(*c.transport, data).ok());
    c.transport->Close();
  }
  std::string joined;
  std::set<std::string> keys;
  for (const ClientFrame& f : frames) {
    EXPECT_EQ(f.opcode, Opcode::kBinary);
    EXPECT_TRUE(f.fin);
    EXPECT_LE(f.payload.size(), 1000u);
    joined += f.payload;
    keys.insert(std::string(f.key.begin(), f.key.end()));
  }
  EXPECT_EQ(joined, data);
  EXPECT_GE(frames.size(), 205u);
  EXPECT_GT(keys.size(), frames.size() / 2) << "mask keys must vary from frame to frame";
}

TEST(WebSocketTransportTest, CloseSendsANormalCloseFrame) {
  std::vector<ClientFrame> frames;
  {
    FakeWebSocketPeer peer([&](PeerConnection& c) {
      c.Send(PeerConnection::Accept(c.ReadRequest()));
      frames = c.ReadFrames(2);
      c.WaitForEof();
    });
    Connected c = Connect(peer.uri());
    ASSERT_TRUE(c.status.ok()) << c.status;
    ASSERT_TRUE(WriteAll(*c.transport, std::string("\xe0\x00", 2)).ok());  // MQTT DISCONNECT
    c.transport->Close();
    EXPECT_EQ(c.transport->fd(), -1);
    EXPECT_FALSE(c.transport->HasBufferedInput());
  }
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].payload, std::string("\xe0\x00", 2));
  EXPECT_EQ(frames[1].opcode, Opcode::kClose);
  EXPECT_EQ(frames[1].payload, websocket::EncodeCloseBody(1000, ""));
}

}  // namespace
}  // namespace ouzel
