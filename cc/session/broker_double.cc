#include "cc/session/broker_double.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cc/codec/encode.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

std::string Hex2(uint8_t b) { return absl::StrCat("0x", absl::Hex(b, absl::kZeroPad2)); }

std::string Rc(uint8_t rc) { return rc == 0 ? "" : absl::StrCat(" rc=", Hex2(rc)); }

std::string AckBrief(const char* name, const PublishAck& a) {
  return absl::StrCat(name, " ", a.packet_id, Rc(a.reason_code));
}

std::string AuthProps(const Properties& p) {
  std::string out;
  if (auto m = p.GetString(PropertyId::kAuthenticationMethod)) {
    absl::StrAppend(&out, " method=", *m);
  }
  if (auto d = p.GetString(PropertyId::kAuthenticationData)) absl::StrAppend(&out, " data=", *d);
  return out;
}

std::string CodeName(const absl::Status& s) { return absl::StatusCodeToString(s.code()); }

std::string DropName(DropReason r) {
  return r == DropReason::kNone ? "" : absl::StrCat("/", DropReasonName(r));
}

std::string Codes(const std::vector<uint8_t>& codes) {
  return absl::StrCat(
      "[",
      absl::StrJoin(codes, ",", [](std::string* out, uint8_t c) { absl::StrAppend(out, Hex2(c)); }),
      "]");
}

}  // namespace

std::string Brief(const Packet& packet) {
  return std::visit(
      [](const auto& p) -> std::string {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, ConnectPacket>) {
          return absl::StrCat("CONNECT id=", p.client_id, " clean=", p.clean_start ? 1 : 0,
                              " ka=", p.keep_alive);
        } else if constexpr (std::is_same_v<T, ConnackPacket>) {
          return absl::StrCat("CONNACK sp=", p.session_present ? 1 : 0, Rc(p.reason_code));
        } else if constexpr (std::is_same_v<T, PublishPacket>) {
          std::string s =
              absl::StrCat("PUBLISH ", p.topic.empty() ? "''" : p.topic, " q", int{p.qos});
          if (p.qos > 0) absl::StrAppend(&s, " id=", p.packet_id);
          if (p.dup) absl::StrAppend(&s, " dup");
          if (p.retain) absl::StrAppend(&s, " retain");
          if (auto a = p.properties.GetInt(PropertyId::kTopicAlias)) {
            absl::StrAppend(&s, " alias=", *a);
          }
          if (auto e = p.properties.GetInt(PropertyId::kMessageExpiryInterval)) {
            absl::StrAppend(&s, " expiry=", *e);
          }
          return s;
        } else if constexpr (std::is_same_v<T, PubackPacket>) {
          return AckBrief("PUBACK", p);
        } else if constexpr (std::is_same_v<T, PubrecPacket>) {
          return AckBrief("PUBREC", p);
        } else if constexpr (std::is_same_v<T, PubrelPacket>) {
          return AckBrief("PUBREL", p);
        } else if constexpr (std::is_same_v<T, PubcompPacket>) {
          return AckBrief("PUBCOMP", p);
        } else if constexpr (std::is_same_v<T, SubscribePacket>) {
          std::vector<std::string> subs;
          for (const Subscription& s : p.subscriptions) {
            subs.push_back(absl::StrCat(s.filter, " q", int{s.qos}));
          }
          return absl::StrCat("SUBSCRIBE ", p.packet_id, " ", absl::StrJoin(subs, ", "));
        } else if constexpr (std::is_same_v<T, SubackPacket>) {
          return absl::StrCat("SUBACK ", p.packet_id, " ", Codes(p.reason_codes));
        } else if constexpr (std::is_same_v<T, UnsubscribePacket>) {
          return absl::StrCat("UNSUBSCRIBE ", p.packet_id, " ", absl::StrJoin(p.filters, ", "));
        } else if constexpr (std::is_same_v<T, UnsubackPacket>) {
          return absl::StrCat("UNSUBACK ", p.packet_id, " ", Codes(p.reason_codes));
        } else if constexpr (std::is_same_v<T, PingreqPacket>) {
          return "PINGREQ";
        } else if constexpr (std::is_same_v<T, PingrespPacket>) {
          return "PINGRESP";
        } else if constexpr (std::is_same_v<T, DisconnectPacket>) {
          return absl::StrCat("DISCONNECT", Rc(p.reason_code));
        } else {
          static_assert(std::is_same_v<T, AuthPacket>);
          return absl::StrCat("AUTH", Rc(p.reason_code), AuthProps(p.properties));
        }
      },
      packet);
}

std::string Brief(const SessionEvent& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, ConnectedEvent>) {
          return absl::StrCat("Connected sp=", e.session_present ? 1 : 0);
        } else if constexpr (std::is_same_v<T, ConnectFailedEvent>) {
          return absl::StrCat("ConnectFailed",
                              e.reason_code ? absl::StrCat(" rc=", Hex2(*e.reason_code)) : "", " ",
                              CodeName(e.error));
        } else if constexpr (std::is_same_v<T, DisconnectedEvent>) {
          return absl::StrCat("Disconnected", e.by_server ? " server" : "", Rc(e.reason_code), " ",
                              CodeName(e.error));
        } else if constexpr (std::is_same_v<T, MessageEvent>) {
          const Message& m = e.message;
          std::string s = absl::StrCat("Message ", m.topic, " q", int{m.qos});
          if (m.qos > 0) absl::StrAppend(&s, " id=", m.packet_id);
          if (m.dup) absl::StrAppend(&s, " dup");
          if (m.retain) absl::StrAppend(&s, " retain");
          absl::StrAppend(&s, " '", m.payload, "'");
          return s;
        } else if constexpr (std::is_same_v<T, PublishDoneEvent>) {
          return absl::StrCat("PublishDone #", e.token, " ", DeliveryStateName(e.status.state),
                              DropName(e.status.drop_reason), Rc(e.status.reason_code));
        } else if constexpr (std::is_same_v<T, SubscribeDoneEvent>) {
          return absl::StrCat("Suback ", e.packet_id, " ", Codes(e.reason_codes),
                              e.error.ok() ? "" : absl::StrCat(" ", CodeName(e.error)));
        } else if constexpr (std::is_same_v<T, UnsubscribeDoneEvent>) {
          return absl::StrCat("Unsuback ", e.packet_id, " ", Codes(e.reason_codes),
                              e.error.ok() ? "" : absl::StrCat(" ", CodeName(e.error)));
        } else {
          static_assert(std::is_same_v<T, AuthEvent>);
          return absl::StrCat("Auth ", Hex2(e.reason_code), AuthProps(e.properties));
        }
      },
      event);
}

BrokerDouble::BrokerDouble(SessionOptions options, SessionStore* store)
    : options_(options),
      now_(absl::UnixEpoch() + absl::Hours(1)),
      session_(std::move(options), store),
      decoder_(StreamDecoder::Options{options_.version, kMaxMqttPacketSize}) {}

void BrokerDouble::Tick(absl::Duration d) {
  now_ += d;
  session_.OnTimer(now_);
}

void BrokerDouble::Up() {
  decoder_.Reset();
  session_.OnTransportUp(now_);
}

void BrokerDouble::Down(absl::Status error) { session_.OnTransportDown(now_, std::move(error)); }

std::vector<uint8_t> BrokerDouble::ReadBytes() {
  absl::Span<const uint8_t> out = session_.PendingOutput();
  std::vector<uint8_t> bytes(out.begin(), out.end());
  session_.OnOutputWritten(bytes.size(), now_);
  return bytes;
}

std::vector<Packet> BrokerDouble::ReadPackets() {
  std::vector<uint8_t> bytes = ReadBytes();
  std::vector<Packet> packets;
  absl::Span<const uint8_t> input(bytes);
  while (!input.empty()) {
    absl::StatusOr<std::optional<Packet>> p = decoder_.Next(&input);
    if (!p.ok()) {
      ADD_FAILURE() << "the session wrote an undecodable packet: " << p.status();
      break;
    }
    if (p->has_value()) packets.push_back(**std::move(p));
  }
  EXPECT_FALSE(decoder_.mid_packet()) << "the session wrote a partial packet";
  return packets;
}

Lines BrokerDouble::Read() {
  Lines lines;
  for (const Packet& p : ReadPackets()) lines.push_back(Brief(p));
  return lines;
}

void BrokerDouble::Send(const Packet& packet) {
  ByteBuffer out;
  absl::Status s = EncodePacket(packet, options_.version, &out);
  ASSERT_TRUE(s.ok()) << s;
  session_.OnBytesReceived(out.span(), now_);
}

void BrokerDouble::SendBytes(absl::Span<const uint8_t> bytes) {
  session_.OnBytesReceived(bytes, now_);
}

Lines BrokerDouble::Events() {
  Lines lines;
  for (const SessionEvent& e : session_.TakeEvents()) lines.push_back(Brief(e));
  return lines;
}

ConnectPacket BrokerDouble::Connect(bool session_present, Properties connack_properties) {
  Up();
  std::vector<Packet> packets = ReadPackets();
  ConnectPacket connect;
  if (packets.size() != 1 || !std::holds_alternative<ConnectPacket>(packets[0])) {
    ADD_FAILURE() << "expected one CONNECT, got " << packets.size() << " packets";
  } else {
    connect = std::get<ConnectPacket>(packets[0]);
  }
  ConnackPacket connack;
  connack.session_present = session_present;
  connack.properties = std::move(connack_properties);
  Send(connack);
  return connect;
}

}  // namespace ouzel
