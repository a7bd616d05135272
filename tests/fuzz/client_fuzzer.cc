// The whole client (cc/client: Client, Session, codec, timers, reconnection) against a fuzzed
// broker. The input is a script: the first bytes choose the options (protocol version, clean
// start, keep alive, manual acks, QoS 2 delivery mode, inflight limit, topic aliases, MQTT 5
// CONNECT properties, enhanced authentication answered from on_auth), then each step is one of:
// bytes from the broker, the application publishing / subscribing / unsubscribing / acking /
// disconnecting / reconnecting, the clock moving, the broker closing the connection, the broker
// refusing connections, the broker's socket taking only so many bytes per write. A test transport
// (the client's TransportFactory) carries the bytes and a FakeClock the time, so a run is
// deterministic and needs no network.
//
// Checked, besides never crashing, hanging or leaking:
//   - every byte the client writes decodes as a well-formed MQTT packet of the session's version
//     (whatever the broker sent), the first on each connection being CONNECT;
//   - with MQTT 5, no packet after the connection's first CONNACK exceeds that CONNACK's Maximum
//     Packet Size;
//   - on_publish reports each token at most once, and only tokens Publish handed out.
// Seeds (corpus/client_fuzzer, made by make_client_seeds.py) reach a refused and an accepted
// CONNECT, AUTH during CONNECT, messages of every QoS mid-session, both QoS 2 flows with
// duplicated, reordered and missing acknowledgements, and a reconnection inside a QoS 2 flow.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cc/base/clock.h"
#include "cc/client/client.h"
#include "cc/codec/packets.h"
#include "cc/codec/stream_decoder.h"
#include "cc/transport/transport.h"
#include "tests/fuzz/fuzz_input.h"

namespace ouzel {
namespace {

// What both ends of the current connection share with the script.
struct Wire {
  ProtocolVersion version = ProtocolVersion::kV311;
  bool refuse_connections = false;
  size_t write_budget = SIZE_MAX;  // bytes the broker's side takes per Write call
  int connections = 0;

  // The current connection (none when `open` is false).
  bool open = false;
  bool closed_by_peer = false;
  std::string to_client;  // broker bytes not yet read
  StreamDecoder client_stream;
  StreamDecoder broker_stream;
  bool broker_stream_ok = true;
  bool first_client_packet = true;
  std::optional<uint32_t> max_packet_size;  // from this connection's first CONNACK (v5)
  bool connack_seen = false;

  void NewConnection() {
    ++connections;
    open = true;
    closed_by_peer = false;
    to_client.clear();
    client_stream = StreamDecoder({version, kMaxMqttPacketSize});
    broker_stream = StreamDecoder({version, kMaxMqttPacketSize});
    broker_stream_ok = true;
    first_client_packet = true;
    max_packet_size.reset();
    connack_seen = false;
  }

  // The broker sends `bytes`; follows its CONNACK for the size check.
  void FromBroker(absl::string_view bytes) {
    if (!open) return;  // nobody is connected: the bytes go nowhere
    to_client.append(bytes.data(), bytes.size());
    absl::Span<const uint8_t> in(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    while (broker_stream_ok && !in.empty()) {
      absl::StatusOr<std::optional<Packet>> p = broker_stream.Next(&in);
      if (!p.ok()) {
        broker_stream_ok = false;  // the client will refuse it too; nothing more to learn
      } else if (p->has_value() && !connack_seen) {
        if (const auto* connack = std::get_if<ConnackPacket>(&**p)) {
          connack_seen = true;
          max_packet_size = connack->properties.GetInt(PropertyId::kMaximumPacketSize);
        }
      }
    }
  }

  // The client wrote `bytes`: each packet must decode.
  void FromClient(absl::Span<const uint8_t> bytes) {
    const bool size_limited = connack_seen && version == ProtocolVersion::kV5 && max_packet_size;
    while (!bytes.empty()) {
      const size_t before = bytes.size();
      absl::StatusOr<std::optional<Packet>> p = client_stream.Next(&bytes);
      if (!p.ok()) std::abort();  // the client wrote a malformed packet
      if (!p->has_value()) break;
      if (first_client_packet && TypeOf(**p) != PacketType::kConnect) std::abort();
      first_client_packet = false;
      // A packet that began before the CONNACK was read may be larger; the check is for packets
      // written whole after it, which is every packet the limit applies to.
      if (size_limited && before - bytes.size() > *max_packet_size &&
          TypeOf(**p) != PacketType::kConnect) {
        std::abort();
      }
    }
  }
};

class FuzzTransport final : public Transport {
 public:
  explicit FuzzTransport(Wire* wire) : wire_(wire) {}
  ~FuzzTransport() override { Close(); }

  absl::Status StartConnect(absl::Time, absl::Time) override {
    if (wire_->refuse_connections) return absl::UnavailableError("connection refused (fuzz)");
    return absl::OkStatus();
  }
  absl::StatusOr<bool> ContinueConnect(absl::Time) override {
    if (!connected_) {
      connected_ = true;
      wire_->NewConnection();
    }
    return true;
  }
  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override {
    if (!connected_ || closed_) return absl::UnavailableError("closed");
    if (wire_->to_client.empty()) {
      if (wire_->closed_by_peer) return absl::UnavailableError("connection closed by peer");
      return 0;
    }
    const size_t n = std::min(buffer.size(), wire_->to_client.size());
    std::memcpy(buffer.data(), wire_->to_client.data(), n);
    wire_->to_client.erase(0, n);
    return n;
  }
  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override {
    if (!connected_ || closed_) return absl::UnavailableError("closed");
    if (wire_->closed_by_peer) return absl::UnavailableError("connection reset by peer");
    const size_t n = std::min(data.size(), wire_->write_budget);
    wire_->FromClient(data.subspan(0, n));
    return n;
  }
  bool HasBufferedInput() const override {
    return connected_ && !closed_ && (!wire_->to_client.empty() || wire_->closed_by_peer);
  }
  void Close() override {
    if (connected_ && !closed_) wire_->open = false;
    closed_ = true;
  }
  int fd() const override { return -1; }
  IoInterest interest() const override { return IoInterest::kRead; }
  std::string Describe() const override { return "fuzz"; }

 private:
  Wire* wire_;
  bool connected_ = false;
  bool closed_ = false;
};

constexpr absl::string_view kTopics[] = {"a", "a/b", "t/x/y", "a/+/c", ""};
constexpr absl::string_view kFilters[] = {"a", "a/#", "+/b", "$share/g/a", "#"};

ClientOptions OptionsFrom(FuzzInput& in, const Clock* clock, Wire* wire) {
  ClientOptions o;
  o.servers = {"mqtt://broker.fuzz:1883"};
  o.clock = clock;
  o.transport_factory = [wire](const ServerAddress&, const TransportOptions&, TransportContext) {
    return absl::StatusOr<std::unique_ptr<Transport>>(std::make_unique<FuzzTransport>(wire));
  };
  o.reconnect_min_delay = absl::Milliseconds(10);
  o.reconnect_max_delay = absl::Milliseconds(100);
  o.reconnect_jitter = 0;
  o.connect_timeout = absl::Seconds(5);
  o.close_linger = absl::Seconds(1);
  o.read_buffer_bytes = 1 + in.Below(512);
  o.follow_server_reference = in.Bool();
  const ProtocolVersion versions[] = {ProtocolVersion::kV31, ProtocolVersion::kV311,
                                      ProtocolVersion::kV5};
  SessionOptions& s = o.session;
  s.version = versions[in.Below(3)];
  wire->version = s.version;
  s.client_id = in.Bool() ? "fuzz" : "";
  s.clean_start = in.Bool();
  s.keep_alive_seconds = in.U8();
  s.manual_ack = in.Bool();
  s.qos2_delivery = in.Bool() ? Qos2Delivery::kOnPubrel : Qos2Delivery::kOnPublish;
  s.max_inflight = static_cast<uint16_t>(in.Below(4));
  s.max_queued_messages = in.Below(8);
  s.queue_qos0_while_offline = in.Bool();
  s.lost_session_policy =
      in.Bool() ? LostSessionPolicy::kResendAsNew : LostSessionPolicy::kFailInflight;
  s.number_qos0_messages = in.Bool();
  s.connect_timeout = absl::Seconds(10);
  if (s.version == ProtocolVersion::kV5) {
    s.auto_topic_alias = in.Bool();
    const uint8_t props = in.U8();
    if (props & 1) s.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 3600);
    if (props & 2) s.connect_properties.SetInt(PropertyId::kReceiveMaximum, 2);
    if (props & 4) s.connect_properties.SetInt(PropertyId::kTopicAliasMaximum, 4);
    if (props & 8) s.connect_properties.SetInt(PropertyId::kMaximumPacketSize, 128);
    if (props & 16) s.connect_properties.SetString(PropertyId::kAuthenticationMethod, "SCRAM");
  }
  return o;
}

// The client under test and what its callbacks saw.
struct Harness {
  FakeClock clock;
  Wire wire;
  std::unique_ptr<Client> client;
  std::set<MessageToken> issued;
  std::set<MessageToken> done;

  void Run(int iterations) {
    for (int i = 0; i < iterations; ++i) {
      client->Loop(absl::ZeroDuration()).IgnoreError();
      if (wire.to_client.empty() || !wire.open) break;
    }
  }
};

}  // namespace
}  // namespace ouzel

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ouzel;  // NOLINT(build/namespaces)
  FuzzInput in(data, size);
  Harness h;
  absl::StatusOr<std::unique_ptr<Client>> created =
      Client::Create(OptionsFrom(in, &h.clock, &h.wire));
  if (!created.ok()) return 0;
  h.client = *std::move(created);
  Client* client = h.client.get();
  client->SetOnAuth([client](const AuthEvent& e) {
    Properties p;
    p.SetString(PropertyId::kAuthenticationMethod, "SCRAM");
    p.SetString(PropertyId::kAuthenticationData, "response");
    client->ContinueAuthentication(std::move(p)).IgnoreError();
  });
  client->SetOnPublish([&h](const PublishDoneEvent& e) {
    if (std::getenv("OUZEL_FUZZ_VERBOSE") != nullptr) {
      std::fprintf(stderr, "on_publish: token %llu state %d\n",
                   static_cast<unsigned long long>(e.token), static_cast<int>(e.status.state));
    }
    if (h.issued.count(e.token) == 0 || !h.done.insert(e.token).second) std::abort();
  });
  const bool verbose = std::getenv("OUZEL_FUZZ_VERBOSE") != nullptr;
  client->SetOnMessage([client, verbose, &h](const Message& m) {
    if (verbose) std::fprintf(stderr, "on_message: qos %d id %u\n", m.qos, m.packet_id);
    // A handler that fails ('W'), or answers ('R'): both call back into the client.
    if (!m.payload.empty() && m.payload[0] == 'W') client->WithholdAck().IgnoreError();
    if (!m.payload.empty() && m.payload[0] == 'R') {
      absl::StatusOr<MessageToken> t = client->Publish("r", "reply", 1);
      if (t.ok()) h.issued.insert(*t);
    }
  });
  if (std::getenv("OUZEL_FUZZ_VERBOSE") != nullptr) {  // to see what a seed reaches
    client->SetLogLevel(LogLevel::kDebug);
    client->SetOnLog([](LogLevel, absl::string_view m) {
      std::fprintf(stderr, "log: %.*s\n", static_cast<int>(m.size()), m.data());
    });
    client->SetOnConnect([](const ConnectedEvent& e) {
      std::fprintf(stderr, "on_connect: session_present %d\n", e.session_present);
    });
    client->SetOnConnectFailed([](const ConnectFailedEvent& e) {
      std::fprintf(stderr, "on_connect_failed: %s\n", e.error.ToString().c_str());
    });
    client->SetOnDisconnect([](const DisconnectedEvent& e) {
      std::fprintf(stderr, "on_disconnect: %s\n", e.error.ToString().c_str());
    });
    client->SetOnSubscribe([](const SubscribeDoneEvent& e) {
      std::fprintf(stderr, "on_subscribe: %u\n", e.packet_id);
    });
  }
  if (!client->ConnectAsync().ok()) return 0;
  h.Run(4);

  int steps = 0;
  while (!in.empty() && ++steps <= 200) {
    switch (in.Below(14)) {
      case 0:
      case 1:
      case 2: {  // broker bytes (the most common step)
        const size_t n = in.U8() + (in.Bool() ? 256 * static_cast<size_t>(in.U8() % 4) : 0);
        std::string bytes(reinterpret_cast<const char*>(in.rest()), std::min(n, in.rest_size()));
        for (size_t i = 0; i < bytes.size(); ++i) in.U8();  // consume them
        h.wire.FromBroker(bytes);
        break;
      }
      case 3: {
        PublishRequest r;
        r.topic = std::string(kTopics[in.Below(5)]);
        r.qos = static_cast<uint8_t>(in.Below(3));
        r.retain = in.Bool();
        r.payload = in.String(40);
        absl::StatusOr<MessageToken> t = client->Publish(std::move(r));
        if (t.ok()) h.issued.insert(*t);
        break;
      }
      case 4:
        client->Subscribe(kFilters[in.Below(5)], static_cast<uint8_t>(in.Below(3))).IgnoreError();
        break;
      case 5:
        client->Unsubscribe({std::string(kFilters[in.Below(5)])}).IgnoreError();
        break;
      case 6:  // time passes: keep alive, timeouts, reconnection backoff
        h.clock.Advance(absl::Milliseconds(in.U16()));
        break;
      case 7:  // the broker closes the connection
        h.wire.closed_by_peer = h.wire.open;
        break;
      case 8:
        client->Disconnect(in.U8()).IgnoreError();
        break;
      case 9:
        client->ConnectAsync().IgnoreError();
        break;
      case 10: {
        const uint8_t b = in.U8();
        h.wire.write_budget = b == 0 ? 0 : b == 255 ? SIZE_MAX : b;
        break;
      }
      case 11:
        client->Ack(in.U16()).IgnoreError();
        break;
      case 12:
        client->Reconnect().IgnoreError();
        break;
      case 13:
        h.wire.refuse_connections = in.Bool();
        break;
    }
    h.Run(8);
  }
  // Let it finish what it can: a writable socket, time for every timer.
  h.wire.write_budget = SIZE_MAX;
  for (int i = 0; i < 4; ++i) {
    h.clock.Advance(absl::Seconds(30));
    h.Run(4);
  }
  return 0;
}
