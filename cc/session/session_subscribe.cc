// Subscribe and unsubscribe: checks against the protocol and the server's limits, SUBSCRIBE and
// UNSUBSCRIBE held until CONNACK or written, their acks, and failing them when the link ends.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/encode.h"
#include "cc/session/session.h"
#include "cc/topic/topic.h"

namespace ouzel {

absl::Status Session::CheckSubscribe(const SubscribePacket& p) const {
  if (p.subscriptions.empty()) {
    return absl::InvalidArgumentError("SUBSCRIBE needs at least one filter [MQTT-3.8.3-2]");
  }
  if (!v5() && !p.properties.empty()) {
    return absl::InvalidArgumentError("SUBSCRIBE properties need MQTT 5");
  }
  if (v5()) OUZEL_RETURN_IF_ERROR(p.properties.Validate(PropertyContext::kSubscribe));
  for (const Subscription& s : p.subscriptions) {
    OUZEL_RETURN_IF_ERROR(ValidateTopicFilter(s.filter));
    if (s.qos > 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter \"", s.filter, "\": QoS ", s.qos, " is not 0, 1 or 2"));
    }
    if (s.retain_handling > 2) {
      return absl::InvalidArgumentError(absl::StrCat("filter \"", s.filter, "\": Retain Handling ",
                                                     s.retain_handling, " is not 0, 1 or 2"));
    }
    const bool shared = ParseSharedSubscription(s.filter).has_value();
    if (!v5() && (s.no_local || s.retain_as_published || s.retain_handling != 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter \"", s.filter,
                       "\": No Local, Retain As Published and Retain Handling need MQTT 5"));
    }
    if (shared && s.no_local) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter \"", s.filter, "\": No Local on a shared subscription [MQTT-3.8.3-4]"));
    }
    if (server_.known) {
      if (shared && !server_.shared_available) {
        return absl::InvalidArgumentError(
            absl::StrCat("filter \"", s.filter,
                         "\": the server does not support shared subscriptions (CONNACK)"));
      }
      if (!server_.wildcard_available && s.filter.find_first_of("+#") != std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("filter \"", s.filter,
                         "\": the server does not support wildcard subscriptions (CONNACK)"));
      }
    }
  }
  if (server_.known && !server_.subscription_identifiers_available &&
      p.properties.Has(PropertyId::kSubscriptionIdentifier)) {
    return absl::InvalidArgumentError(
        "the server does not support subscription identifiers (CONNACK)");
  }
  return absl::OkStatus();
}

absl::Status Session::CheckUnsubscribe(const UnsubscribePacket& p) const {
  if (p.filters.empty()) {
    return absl::InvalidArgumentError("UNSUBSCRIBE needs at least one filter [MQTT-3.10.3-2]");
  }
  if (!v5() && !p.properties.empty()) {
    return absl::InvalidArgumentError("UNSUBSCRIBE properties need MQTT 5");
  }
  if (v5()) OUZEL_RETURN_IF_ERROR(p.properties.Validate(PropertyContext::kUnsubscribe));
  for (const std::string& f : p.filters) OUZEL_RETURN_IF_ERROR(ValidateTopicFilter(f));
  return absl::OkStatus();
}

absl::Status Session::SendControl(const Packet& packet) {
  if (TypeOf(packet) == PacketType::kSubscribe) {
    OUZEL_RETURN_IF_ERROR(CheckSubscribe(std::get<SubscribePacket>(packet)));
  } else {
    OUZEL_RETURN_IF_ERROR(CheckUnsubscribe(std::get<UnsubscribePacket>(packet)));
  }
  OUZEL_ASSIGN_OR_RETURN(size_t size, EncodedPacketSize(packet, options_.version));
  if (server_.maximum_packet_size != 0 && size > server_.maximum_packet_size) {
    return absl::OutOfRangeError(absl::StrCat("the ", PacketTypeName(TypeOf(packet)), " would be ",
                                              size,
                                              " bytes, over the server's Maximum Packet Size of ",
                                              server_.maximum_packet_size, " bytes (CONNACK)"));
  }
  Write(packet);
  return absl::OkStatus();
}

absl::StatusOr<uint16_t> Session::Subscribe(SubscribeRequest request, absl::Time now) {
  if (state_ != SessionState::kConnected && state_ != SessionState::kConnecting) {
    return absl::FailedPreconditionError("not connected: SUBSCRIBE needs a connection");
  }
  SubscribePacket p;
  p.subscriptions = std::move(request.subscriptions);
  p.properties = std::move(request.properties);
  OUZEL_RETURN_IF_ERROR(CheckSubscribe(p));
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ids_.Allocate());
  const size_t count = p.subscriptions.size();
  return SendOrHoldRequest(std::move(p), PendingRequest{true, count});
}

absl::StatusOr<uint16_t> Session::Unsubscribe(std::vector<std::string> filters,
                                              Properties properties, absl::Time now) {
  if (state_ != SessionState::kConnected && state_ != SessionState::kConnecting) {
    return absl::FailedPreconditionError("not connected: UNSUBSCRIBE needs a connection");
  }
  UnsubscribePacket p;
  p.filters = std::move(filters);
  p.properties = std::move(properties);
  OUZEL_RETURN_IF_ERROR(CheckUnsubscribe(p));
  OUZEL_ASSIGN_OR_RETURN(p.packet_id, ids_.Allocate());
  const size_t count = p.filters.size();
  return SendOrHoldRequest(std::move(p), PendingRequest{false, count});
}

// A SUBSCRIBE or UNSUBSCRIBE with its packet id allocated: held until CONNACK while connecting,
// written otherwise (the id is released if it cannot be), and remembered until its ack.
template <typename RequestPacket>
absl::StatusOr<uint16_t> Session::SendOrHoldRequest(RequestPacket p, PendingRequest pending) {
  const uint16_t id = p.packet_id;
  Packet packet(std::move(p));
  if (state_ == SessionState::kConnecting) {
    held_control_.push_back(std::move(packet));
  } else {
    absl::Status sent = SendControl(packet);
    if (!sent.ok()) {
      ids_.Release(id);
      return sent;
    }
  }
  pending_[id] = pending;
  return id;
}

absl::Status Session::HandleSuback(SubackPacket suback) {
  auto it = pending_.find(suback.packet_id);
  if (it == pending_.end() || !it->second.subscribe) {
    return ProtocolErrorAt(v5() ? "MQTT-3.9.2" : "MQTT-3.1.1 §3.9.2", kNoOffset,
                           absl::StrCat("SUBACK for packet identifier ", suback.packet_id,
                                        ", which no SUBSCRIBE is waiting for"));
  }
  if (suback.reason_codes.size() != it->second.count) {
    return ProtocolErrorAt(
        v5() ? "MQTT-3.9.3-1" : "MQTT-3.1.1 §3.9.3", kNoOffset,
        absl::StrCat("SUBACK has ", suback.reason_codes.size(), " reason codes for a SUBSCRIBE of ",
                     it->second.count, " filters"));
  }
  pending_.erase(it);
  ids_.Release(suback.packet_id);
  SubscribeDoneEvent e;
  e.packet_id = suback.packet_id;
  e.reason_codes = std::move(suback.reason_codes);
  e.properties = std::move(suback.properties);
  events_.emplace_back(std::move(e));
  return absl::OkStatus();
}

absl::Status Session::HandleUnsuback(UnsubackPacket unsuback) {
  auto it = pending_.find(unsuback.packet_id);
  if (it == pending_.end() || it->second.subscribe) {
    return ProtocolErrorAt(v5() ? "MQTT-3.11.2" : "MQTT-3.1.1 §3.11.2", kNoOffset,
                           absl::StrCat("UNSUBACK for packet identifier ", unsuback.packet_id,
                                        ", which no UNSUBSCRIBE is waiting for"));
  }
  if (v5() && unsuback.reason_codes.size() != it->second.count) {
    return ProtocolErrorAt(
        "MQTT-3.11.3-1", kNoOffset,
        absl::StrCat("UNSUBACK has ", unsuback.reason_codes.size(),
                     " reason codes for an UNSUBSCRIBE of ", it->second.count, " filters"));
  }
  pending_.erase(it);
  ids_.Release(unsuback.packet_id);
  UnsubscribeDoneEvent e;
  e.packet_id = unsuback.packet_id;
  e.reason_codes = std::move(unsuback.reason_codes);
  e.properties = std::move(unsuback.properties);
  events_.emplace_back(std::move(e));
  return absl::OkStatus();
}

void Session::FailPending(uint16_t packet_id, PendingRequest request, absl::Status error) {
  pending_.erase(packet_id);
  ids_.Release(packet_id);
  if (request.subscribe) {
    SubscribeDoneEvent e;
    e.packet_id = packet_id;
    e.error = std::move(error);
    events_.emplace_back(std::move(e));
  } else {
    UnsubscribeDoneEvent e;
    e.packet_id = packet_id;
    e.error = std::move(error);
    events_.emplace_back(std::move(e));
  }
}

}  // namespace ouzel
