// What the client puts on a TCP connection to a real Mosquitto with its default configuration
// (Nagle's algorithm on, `set_tcp_nodelay false`), in each loop mode: TCP_NODELAY on every socket
// it connects, one write per small PUBLISH, and an immediate ACK (TCP_QUICKACK) for bytes it read
// and does not answer. Without that ACK the broker holds its next packet behind Linux's delayed
// ACK and request/response traffic stalls for ~40 ms (bench/c/rtt_bench.c measures it). The
// checks count system-call decisions; none of them depends on timing.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/client/client.h"
#include "cc/client/client_test_util.h"
#include "cc/transport/socket_transport.h"
#include "gtest/gtest.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

using fixtures::MosquittoBroker;
using testing::EventRecorder;
using testing::LoopMode;
using testing::LoopRunner;

constexpr absl::Duration kTimeout = absl::Seconds(15);

// What the wrapped transports saw, read by the test while the loop runs.
struct WireCounts {
  std::atomic<int> connected{0};          // sockets that finished connecting
  std::atomic<int> connected_nodelay{0};  // ... with TCP_NODELAY set
  std::atomic<int> writes{0};             // Write calls that took bytes
  std::atomic<size_t> bytes_written{0};
  std::atomic<uint64_t> quick_acks{0};    // immediate ACKs the socket asked the kernel for
  std::atomic<int> acknowledge_calls{0};  // the driver's AcknowledgeNow calls
  std::atomic<int> acknowledge_calls_at_last_write{0};
};

// Forwards to the default transport and counts; the innermost transport of mqtt:// is a
// SocketTransport, whose own count of quick ACKs is the one that matters.
class CountingTransport final : public Transport {
 public:
  CountingTransport(std::unique_ptr<Transport> inner, std::shared_ptr<WireCounts> counts)
      : inner_(std::move(inner)), counts_(std::move(counts)) {}
  ~CountingTransport() override { Report(); }

  absl::Status StartConnect(absl::Time now, absl::Time deadline) override {
    return inner_->StartConnect(now, deadline);
  }
  absl::StatusOr<bool> ContinueConnect(absl::Time now) override {
    absl::StatusOr<bool> r = inner_->ContinueConnect(now);
    if (r.ok() && *r && !counted_) {
      counted_ = true;
      int v = 0;
      socklen_t len = sizeof(v);
      getsockopt(inner_->fd(), IPPROTO_TCP, TCP_NODELAY, &v, &len);
      counts_->connected++;
      if (v == 1) counts_->connected_nodelay++;
    }
    return r;
  }
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override { return inner_->Read(buffer); }
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override {
    absl::StatusOr<size_t> r = inner_->Write(data);
    if (r.ok() && *r > 0) {
      counts_->acknowledge_calls_at_last_write = counts_->acknowledge_calls.load();
      counts_->writes++;
      counts_->bytes_written += *r;
    }
    return r;
  }
  absl::Status Flush() override { return inner_->Flush(); }
  bool HasBufferedInput() const override { return inner_->HasBufferedInput(); }
  void AcknowledgeNow() override {
    inner_->AcknowledgeNow();
    Report();
    counts_->acknowledge_calls++;
  }
  void Close() override {
    Report();
    inner_->Close();
  }
  int fd() const override { return inner_->fd(); }
  IoInterest interest() const override { return inner_->interest(); }
  std::optional<absl::Time> NextTimeout() const override { return inner_->NextTimeout(); }
  std::string Describe() const override { return inner_->Describe(); }

 private:
  void Report() {
    auto* socket = dynamic_cast<SocketTransport*>(inner_.get());
    if (socket == nullptr) return;
    counts_->quick_acks += socket->quick_acks() - reported_;
    reported_ = socket->quick_acks();
  }

  std::unique_ptr<Transport> inner_;
  std::shared_ptr<WireCounts> counts_;
  bool counted_ = false;
  uint64_t reported_ = 0;
};

class ClientTcpTest : public ::testing::TestWithParam<LoopMode> {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<MosquittoBroker>> b = MosquittoBroker::Start({});
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }
  void TearDown() override {
    // In thread mode the runner stops the loop thread, so it goes first. Otherwise the client goes
    // first: it calls the runner's socket hooks as it closes (external mode), and destroying the
    // runner before it was a use after free that ThreadSanitizer reported.
    if (GetParam() == LoopMode::kThread) runner_.reset();
    client_.reset();
    runner_.reset();
  }

  std::unique_ptr<Client> MakeClient(const std::string& id) {
    ClientOptions o;
    o.servers = {absl::StrCat("mqtt://127.0.0.1:", broker_->port())};
    o.session.client_id = absl::StrCat(id, "-", testing::LoopModeName(GetParam()));
    o.reconnect_min_delay = absl::Milliseconds(20);
    std::shared_ptr<WireCounts> counts = counts_;
    o.transport_factory =
        [counts](const ServerAddress& address, const TransportOptions& options,
                 TransportContext context) -> absl::StatusOr<std::unique_ptr<Transport>> {
      absl::StatusOr<std::unique_ptr<Transport>> t =
          CreateTransport(address, options, std::move(context));
      if (!t.ok()) return t.status();
      return std::unique_ptr<Transport>(new CountingTransport(std::move(*t), counts));
    };
    absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }

  // A counted client, connected, driven in this test's loop mode.
  void Connect(const std::string& id) {
    ASSERT_NE(broker_, nullptr);
    client_ = MakeClient(id);
    ASSERT_NE(client_, nullptr);
    events_.Attach(client_.get());
    runner_ = std::make_unique<LoopRunner>(client_.get(), GetParam());
    ASSERT_TRUE(client_->ConnectAsync().ok());
    ASSERT_TRUE(runner_->RunUntil([&] { return events_.connects() == 1; }, kTimeout));
  }

  static MosquittoBroker* broker_;
  std::shared_ptr<WireCounts> counts_ = std::make_shared<WireCounts>();
  std::unique_ptr<Client> client_;
  EventRecorder events_;
  std::unique_ptr<LoopRunner> runner_;  // destroyed after client_ (TearDown)
};
MosquittoBroker* ClientTcpTest::broker_ = nullptr;

TEST_P(ClientTcpTest, EveryConnectedSocketHasNoDelay) {
  ASSERT_NO_FATAL_FAILURE(Connect("tcp-nodelay"));
  ASSERT_TRUE(client_->Reconnect().ok());
  ASSERT_TRUE(runner_->RunUntil([&] { return events_.connects() == 2; }, kTimeout));
  EXPECT_EQ(counts_->connected.load(), 2);
  EXPECT_EQ(counts_->connected_nodelay.load(), 2);
}

// A stop-and-wait QoS 1 publisher: each PUBLISH leaves in one write, and each PUBACK, which the
// client does not answer, is acknowledged at once (one quick ACK per round trip).
TEST_P(ClientTcpTest, OneWritePerPublishAndAnImmediateAckForEachPuback) {
  ASSERT_NO_FATAL_FAILURE(Connect("tcp-puback"));
  // The CONNACK needed no answer either.
  ASSERT_TRUE(runner_->RunUntil([&] { return counts_->quick_acks.load() == 1; }, kTimeout));

  const std::string topic = "ouzel/tcp/puback";  // 16 bytes
  const std::string payload(64, 'x');
  // Fixed header (2) + topic length (2) + topic + packet id (2) + payload, MQTT 3.1.1.
  const size_t packet_size = 2 + 2 + topic.size() + 2 + payload.size();
  for (int i = 1; i <= 20; ++i) {
    int writes = counts_->writes.load();
    size_t bytes = counts_->bytes_written.load();
    ASSERT_TRUE(client_->Publish(topic, payload, 1).ok());
    ASSERT_TRUE(
        runner_->RunUntil([&] { return events_.published().size() == size_t(i); }, kTimeout));
    ASSERT_TRUE(
        runner_->RunUntil([&] { return counts_->quick_acks.load() == uint64_t(1 + i); }, kTimeout))
        << "round trip " << i << ": the PUBACK was not acknowledged at once";
    EXPECT_EQ(counts_->writes.load() - writes, 1) << "round trip " << i;
    EXPECT_EQ(counts_->bytes_written.load() - bytes, packet_size) << "round trip " << i;
  }
}

// A received QoS 1 message is answered by a PUBACK, which carries the ACK: no extra system call.
TEST_P(ClientTcpTest, AnAnsweredMessageNeedsNoQuickAck) {
  ASSERT_NO_FATAL_FAILURE(Connect("tcp-receiver"));
  const std::string topic = absl::StrCat("ouzel/tcp/answered/", testing::LoopModeName(GetParam()));
  ASSERT_TRUE(client_->Subscribe(topic, 1).ok());
  ASSERT_TRUE(runner_->RunUntil([&] { return events_.subscribed().size() == 1; }, kTimeout));
  // CONNACK and SUBACK each got one.
  ASSERT_TRUE(runner_->RunUntil([&] { return counts_->quick_acks.load() == 2; }, kTimeout));

  // The publisher is a plain client with its own thread; its transports are not counted.
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", broker_->port())};
  o.session.client_id = absl::StrCat("tcp-sender-", testing::LoopModeName(GetParam()));
  absl::StatusOr<std::unique_ptr<Client>> sender = Client::Create(std::move(o));
  ASSERT_TRUE(sender.ok()) << sender.status();
  ASSERT_TRUE((*sender)->LoopStart().ok());
  ASSERT_TRUE((*sender)->ConnectAsync().ok());
  for (int i = 1; i <= 5; ++i) {
    int writes = counts_->writes.load();
    absl::StatusOr<MessageToken> t = (*sender)->Publish(topic, "answer me", 1);
    ASSERT_TRUE(t.ok()) << t.status();
    ASSERT_TRUE(
        runner_->RunUntil([&] { return events_.messages().size() == size_t(i); }, kTimeout));
    ASSERT_TRUE(runner_->RunUntil([&] { return counts_->writes.load() == writes + 1; }, kTimeout))
        << "message " << i << ": no PUBACK written";
    // The driver's AcknowledgeNow after that write must find nothing to do.
    ASSERT_TRUE(runner_->RunUntil(
        [&] {
          return counts_->acknowledge_calls.load() >
                 counts_->acknowledge_calls_at_last_write.load();
        },
        kTimeout));
    EXPECT_EQ(counts_->quick_acks.load(), 2u) << "message " << i;
  }
  (*sender)->LoopStop();
}

INSTANTIATE_TEST_SUITE_P(Modes, ClientTcpTest,
                         ::testing::Values(LoopMode::kThread, LoopMode::kCaller,
                                           LoopMode::kExternal),
                         [](const ::testing::TestParamInfo<LoopMode>& info) {
                           return std::string(testing::LoopModeName(info.param));
                         });

}  // namespace
}  // namespace ouzel
