// ProxyTransport over a real socket to ScriptedFakeProxy (a test double): what real proxies will
// not do on demand (close mid-handshake, garbage, truncated replies, tunnel bytes glued to the
// reply, silence), and the exact bytes sent (credentials, locally resolved addresses). The happy
// paths against real tinyproxy and Dante are tests/integration/proxy_test.cc.
#include "cc/transport/proxy_transport.h"

#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/transport/resolver.h"
#include "cc/transport/transport.h"
#include "cc/transport/transport_error.h"
#include "cc/transport/waker.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fixtures/fake_proxy.h"

namespace ouzel {
namespace {

using fixtures::ScriptedFakeProxy;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::Duration kTimeout = absl::Seconds(10);

std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::unique_ptr<ScriptedFakeProxy> MakeProxy() {
  absl::StatusOr<std::unique_ptr<ScriptedFakeProxy>> p = ScriptedFakeProxy::Create();
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

ProxyOptions Proxy(ProxyOptions::Type type, int port) {
  ProxyOptions p;
  p.type = type;
  p.host = "127.0.0.1";
  p.port = static_cast<uint16_t>(port);
  return p;
}

struct Connection {
  std::shared_ptr<Waker> waker;
  std::unique_ptr<Transport> transport;
  absl::Status status;  // of the connect
};

// Creates the transport the client would (socket -> proxy layer) and drives it the way the
// client's loop does until it is ready or fails.
Connection ConnectThrough(const std::string& broker_uri, TransportOptions options,
                          std::shared_ptr<Resolver> resolver = nullptr) {
  Connection c;
  c.waker = *Waker::Create();
  absl::StatusOr<ServerAddress> address = ServerAddress::Parse(broker_uri);
  EXPECT_TRUE(address.ok());
  absl::StatusOr<std::unique_ptr<Transport>> t =
      CreateTransport(*address, options, TransportContext{c.waker, std::move(resolver), nullptr});
  if (!t.ok()) {
    c.status = t.status();
    return c;
  }
  c.transport = std::move(*t);
  absl::Time end = absl::Now() + kTimeout;
  c.status = c.transport->StartConnect(absl::Now(), end);
  while (c.status.ok()) {
    absl::StatusOr<bool> ready = c.transport->ContinueConnect(absl::Now());
    if (!ready.ok()) {
      c.status = ready.status();
      break;
    }
    if (*ready) break;
    if (absl::Now() > end) {
      c.status = absl::DeadlineExceededError("the test's own deadline");
      break;
    }
    std::vector<pollfd> fds = {{c.waker->fd(), POLLIN, 0}};
    if (c.transport->fd() >= 0) {
      IoInterest i = c.transport->interest();
      short events =
          static_cast<short>((WantsRead(i) ? POLLIN : 0) | (WantsWrite(i) ? POLLOUT : 0));
      fds.push_back({c.transport->fd(), events, 0});
    }
    poll(fds.data(), fds.size(), 20);
    c.waker->Consume();
  }
  return c;
}

// Reads what the tunnel delivers until `n` bytes arrived (bounded).
std::string ReadTunnel(Transport* t, size_t n) {
  std::string out;
  absl::Time end = absl::Now() + kTimeout;
  while (out.size() < n && absl::Now() < end) {
    uint8_t buf[64];
    absl::StatusOr<size_t> r = t->Read(absl::MakeSpan(buf));
    if (!r.ok()) break;
    out.append(reinterpret_cast<char*>(buf), *r);
    if (*r == 0 && !t->HasBufferedInput()) {
      pollfd p{t->fd(), POLLIN, 0};
      poll(&p, 1, 20);
    }
  }
  return out;
}

void WriteTunnel(Transport* t, const std::string& bytes) {
  absl::StatusOr<size_t> n =
      t->Write(absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  ASSERT_TRUE(n.ok()) << n.status();
  ASSERT_EQ(*n, bytes.size());
}

TransportOptions With(const ProxyOptions& proxy) {
  TransportOptions o;
  o.proxy = proxy;
  return o;
}

TEST(HttpProxyTransportTest, BytesGluedToTheReplyBelongToTheTunnel) {
  auto proxy = MakeProxy();
  proxy->ExpectHttpHead()
      .Send("HTTP/1.1 200 Connection established\r\n\r\nBROKER-FIRST")
      .ExpectBytes(5)
      .HoldOpen();
  ASSERT_TRUE(proxy->Start().ok());
  ProxyOptions p = Proxy(ProxyOptions::Type::kHttpConnect, proxy->port());
  p.username = "alice";
  p.password = "pw";
  Connection c = ConnectThrough("mqtt://broker.example:1883", With(p));
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_TRUE(c.transport->HasBufferedInput());
  EXPECT_EQ(ReadTunnel(c.transport.get(), 12), "BROKER-FIRST");
  WriteTunnel(c.transport.get(), "hello");
  c.transport->Close();
  EXPECT_TRUE(proxy->Finish(kTimeout).ok());
  EXPECT_THAT(proxy->received(), HasSubstr("CONNECT broker.example:1883 HTTP/1.1\r\n"
                                           "Host: broker.example:1883\r\n"));
  EXPECT_THAT(proxy->received(), HasSubstr("Proxy-Authorization: Basic YWxpY2U6cHc=\r\n"));
  EXPECT_THAT(proxy->received(), ::testing::EndsWith("\r\n\r\nhello"));
  EXPECT_THAT(c.transport->Describe(), HasSubstr("proxy http://alice@127.0.0.1:"));
}

struct Misbehaviour {
  const char* name;
  std::function<void(ScriptedFakeProxy&)> script;
  absl::StatusCode code;
  const char* says;
};

void ExpectRefused(ProxyOptions::Type type, const Misbehaviour& m) {
  SCOPED_TRACE(m.name);
  auto proxy = MakeProxy();
  m.script(*proxy);
  ASSERT_TRUE(proxy->Start().ok());
  Connection c = ConnectThrough("mqtt://broker.example:1883", With(Proxy(type, proxy->port())));
  EXPECT_EQ(c.status.code(), m.code) << c.status;
  EXPECT_EQ(FailedTransportLayer(c.status), TransportLayer::kProxy) << c.status;
  EXPECT_THAT(std::string(c.status.message()), HasSubstr(m.says));
  EXPECT_THAT(c.status.message(),
              HasSubstr(absl::StrCat("127.0.0.1:", proxy->port(), " (to broker.example:1883)")));
  EXPECT_EQ(c.transport->fd(), -1);  // closed after the error
  proxy->Finish(kTimeout).IgnoreError();
}

TEST(HttpProxyTransportTest, Misbehaviour) {
  const Misbehaviour cases[] = {
      {"closes without answering", [](ScriptedFakeProxy& p) { p.ExpectHttpHead().Close(); },
       absl::StatusCode::kUnavailable, "closed the connection during the handshake without"},
      {"closes mid-reply",
       [](ScriptedFakeProxy& p) { p.ExpectHttpHead().Send("HTTP/1.1 200 Conn").Close(); },
       absl::StatusCode::kUnavailable, "after sending \"HTTP/1.1 200 Conn\""},
      {"closes mid-head",
       [](ScriptedFakeProxy& p) {
         p.ExpectHttpHead().Send("HTTP/1.1 200 OK\r\nVia: x\r\n").Close();
       },
       absl::StatusCode::kUnavailable, "closed the connection during the handshake"},
      {"answers in SOCKS",
       [](ScriptedFakeProxy& p) {
         p.ExpectHttpHead().Send(B({5, 0})).HoldOpen();
       },
       absl::StatusCode::kUnavailable, "not an HTTP response"},
      {"garbage status line",
       [](ScriptedFakeProxy& p) { p.ExpectHttpHead().Send("HTTP/1.1 OK\r\n\r\n").HoldOpen(); },
       absl::StatusCode::kUnavailable, "malformed HTTP status line \"HTTP/1.1 OK\""},
      {"407",
       [](ScriptedFakeProxy& p) {
         p.ExpectHttpHead().Send("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n").Close();
       },
       absl::StatusCode::kPermissionDenied, "407 Proxy Authentication Required"},
      {"502",
       [](ScriptedFakeProxy& p) {
         p.ExpectHttpHead()
             .Send("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad")
             .Close();
       },
       absl::StatusCode::kUnavailable, "HTTP/1.1 502 Bad Gateway: the proxy could not reach"},
  };
  for (const Misbehaviour& m : cases) ExpectRefused(ProxyOptions::Type::kHttpConnect, m);
}

TEST(HttpProxyTransportTest, SilentProxyTimesOut) {
  auto proxy = MakeProxy();
  proxy->ExpectHttpHead().HoldOpen();
  ASSERT_TRUE(proxy->Start().ok());
  TransportOptions o = With(Proxy(ProxyOptions::Type::kHttpConnect, proxy->port()));
  o.handshake_timeout = absl::Milliseconds(200);
  Connection c = ConnectThrough("mqtt://broker.example:1883", o);
  EXPECT_EQ(c.status.code(), absl::StatusCode::kDeadlineExceeded) << c.status;
  EXPECT_THAT(c.status.message(), HasSubstr("handshake timed out"));
}

TEST(HttpProxyTransportTest, CredentialsThatCannotBeSentAreRefusedBeforeConnecting) {
  ProxyOptions p = Proxy(ProxyOptions::Type::kHttpConnect, 1);
  p.username = "a:b";
  Connection c = ConnectThrough("mqtt://broker.example:1883", With(p));
  EXPECT_EQ(c.status.code(), absl::StatusCode::kInvalidArgument) << c.status;
  EXPECT_EQ(c.transport, nullptr);
}

TEST(Socks5ProxyTransportTest, BytesGluedToTheReplyBelongToTheTunnel) {
  auto proxy = MakeProxy();
  proxy->ExpectSocksGreeting()
      .Send(B({5, 2}))
      .ExpectSocksAuth()
      .Send(B({1, 0}))
      .ExpectSocksRequest()
      .Send(B({5, 0, 0, 1, 127, 0, 0, 1, 0, 80}) + "X")
      .ExpectBytes(2)
      .HoldOpen();
  ASSERT_TRUE(proxy->Start().ok());
  ProxyOptions p = Proxy(ProxyOptions::Type::kSocks5, proxy->port());
  p.username = "bob";
  p.password = "pw";
  Connection c = ConnectThrough("mqtt://broker.example:1883", With(p));
  ASSERT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(ReadTunnel(c.transport.get(), 1), "X");
  WriteTunnel(c.transport.get(), "hi");
  c.transport->Close();
  EXPECT_TRUE(proxy->Finish(kTimeout).ok());
  EXPECT_EQ(proxy->received(), B({5, 2, 0, 2}) + B({1, 3}) + "bob" + B({2}) + "pw" +
                                   B({5, 1, 0, 3, 14}) + "broker.example" + B({7, 0x5b}) + "hi");
}

// socks5:// resolves through the context's resolver and sends the first address.
TEST(Socks5ProxyTransportTest, LocalResolutionSendsTheAddress) {
  struct Case {
    const char* ip;
    std::string bytes;
  } cases[] = {
      {"10.9.8.7", B({1, 10, 9, 8, 7})},
      {"2001:db8::5", B({4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5})},
  };
  for (const Case& k : cases) {
    auto proxy = MakeProxy();
    proxy->ExpectSocksGreeting()
        .Send(B({5, 0}))
        .ExpectSocksRequest()
        .Send(B({5, 0, 0, 1, 0, 0, 0, 0, 0, 0}))
        .HoldOpen();
    ASSERT_TRUE(proxy->Start().ok());
    auto resolver = std::make_shared<FixedResolver>();
    resolver->Add("127.0.0.1", {"127.0.0.1"});
    resolver->Add("broker.example", {k.ip, "192.0.2.1"});
    ProxyOptions p = Proxy(ProxyOptions::Type::kSocks5, proxy->port());
    p.remote_dns = false;
    Connection c = ConnectThrough("mqtt://broker.example:1883", With(p), resolver);
    ASSERT_TRUE(c.status.ok()) << c.status;
    c.transport->Close();
    EXPECT_TRUE(proxy->Finish(kTimeout).ok());
    EXPECT_EQ(proxy->received(), B({5, 1, 0, 5, 1, 0}) + k.bytes + B({7, 0x5b})) << k.ip;
  }
}

TEST(Socks5ProxyTransportTest, LocalResolutionFailureIsNotFoundNamingTheProxy) {
  auto proxy = MakeProxy();
  proxy->HoldOpen();
  ASSERT_TRUE(proxy->Start().ok());
  auto resolver = std::make_shared<FixedResolver>();
  resolver->Add("127.0.0.1", {"127.0.0.1"});
  ProxyOptions p = Proxy(ProxyOptions::Type::kSocks5, proxy->port());
  p.remote_dns = false;
  Connection c = ConnectThrough("mqtt://nowhere.example:1883", With(p), resolver);
  EXPECT_EQ(c.status.code(), absl::StatusCode::kNotFound) << c.status;
  EXPECT_THAT(c.status.message(), HasSubstr("socks5://127.0.0.1:"));
  EXPECT_THAT(c.status.message(), HasSubstr("cannot resolve 'nowhere.example'"));
  EXPECT_EQ(FailedTransportLayer(c.status), std::nullopt);
}

TEST(Socks5ProxyTransportTest, IpLiteralsAreSentAsAddressesEvenWithRemoteResolution) {
  auto proxy = MakeProxy();
  proxy->ExpectSocksGreeting()
      .Send(B({5, 0}))
      .ExpectSocksRequest()
      .Send(B({5, 0, 0, 1, 0, 0, 0, 0, 0, 0}))
      .HoldOpen();
  ASSERT_TRUE(proxy->Start().ok());
  Connection c =
      ConnectThrough("mqtt://[::1]:8883", With(Proxy(ProxyOptions::Type::kSocks5, proxy->port())));
  ASSERT_TRUE(c.status.ok()) << c.status;
  c.transport->Close();
  EXPECT_TRUE(proxy->Finish(kTimeout).ok());
  EXPECT_EQ(proxy->received(),
            B({5, 1, 0, 5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x22, 0xb3}));
}

TEST(Socks5ProxyTransportTest, Misbehaviour) {
  const Misbehaviour cases[] = {
      {"closes after the greeting", [](ScriptedFakeProxy& p) { p.ExpectSocksGreeting().Close(); },
       absl::StatusCode::kUnavailable, "closed the connection during the handshake without"},
      {"half a method reply",
       [](ScriptedFakeProxy& p) { p.ExpectSocksGreeting().Send(B({5})).Close(); },
       absl::StatusCode::kUnavailable, "after sending \"\\x05\""},
      {"truncated CONNECT reply",
       [](ScriptedFakeProxy& p) {
         p.ExpectSocksGreeting()
             .Send(B({5, 0}))
             .ExpectSocksRequest()
             .Send(B({5, 0, 0, 1, 127}))
             .Close();
       },
       absl::StatusCode::kUnavailable, "closed the connection during the handshake after sending"},
      {"answers in HTTP",
       [](ScriptedFakeProxy& p) {
         p.ExpectSocksGreeting().Send("HTTP/1.1 400 Bad Request\r\n\r\n").HoldOpen();
       },
       absl::StatusCode::kUnavailable, "not a SOCKS5 proxy"},
      {"no acceptable method",
       [](ScriptedFakeProxy& p) {
         p.ExpectSocksGreeting().Send(B({5, 0xff})).Close();
       },
       absl::StatusCode::kPermissionDenied, "accepts no offered authentication method"},
      {"ruleset",
       [](ScriptedFakeProxy& p) {
         p.ExpectSocksGreeting().Send(B({5, 0})).ExpectSocksRequest().Send(B({5, 2})).Close();
       },
       absl::StatusCode::kUnavailable, "connection not allowed by ruleset (reply 0x02)"},
      {"TTL expired",
       [](ScriptedFakeProxy& p) {
         p.ExpectSocksGreeting()
             .Send(B({5, 0}))
             .ExpectSocksRequest()
             .Send(B({5, 6, 0, 1, 0, 0, 0, 0, 0, 0}))
             .HoldOpen();
       },
       absl::StatusCode::kUnavailable, "TTL expired (reply 0x06)"},
  };
  for (const Misbehaviour& m : cases) ExpectRefused(ProxyOptions::Type::kSocks5, m);
}

TEST(Socks5ProxyTransportTest, OverlongNameIsRefusedBeforeConnecting) {
  Connection c = ConnectThrough(absl::StrCat("mqtt://", std::string(256, 'a'), ":1883"),
                                With(Proxy(ProxyOptions::Type::kSocks5, 1)));
  EXPECT_EQ(c.status.code(), absl::StatusCode::kInvalidArgument) << c.status;
  EXPECT_THAT(c.status.message(), HasSubstr("at most 255 bytes"));
}

}  // namespace
}  // namespace ouzel
