#include "cc/session/topic_aliases.h"

#include "absl/strings/str_cat.h"
#include "cc/codec/codec_error.h"
#include "cc/codec/properties.h"

namespace ouzel {

// ---------------------------------------------------------------------------------------------
// Outgoing

void OutgoingTopicAliases::Reset(uint16_t maximum) {
  maximum_ = maximum;
  // Keep the slots' string capacity for the next connection; only the bindings go.
  for (Slot& s : slots_) {
    s.topic.clear();
    s.bound = false;
    s.prev = s.next = kNil;
  }
  by_topic_.clear();
  mru_ = lru_ = kNil;
}

OutgoingTopicAliases::Slot& OutgoingTopicAliases::SlotFor(uint16_t alias) {
  if (slots_.size() <= alias) slots_.resize(alias + 1u);
  return slots_[alias];
}

void OutgoingTopicAliases::Unlink(uint16_t alias) {
  Slot& s = slots_[alias];
  if (s.prev != kNil) {
    slots_[s.prev].next = s.next;
  } else {
    mru_ = s.next;
  }
  if (s.next != kNil) {
    slots_[s.next].prev = s.prev;
  } else {
    lru_ = s.prev;
  }
  s.prev = s.next = kNil;
}

void OutgoingTopicAliases::PushFront(uint16_t alias) {
  Slot& s = slots_[alias];
  s.prev = kNil;
  s.next = mru_;
  if (mru_ != kNil) slots_[mru_].prev = alias;
  mru_ = alias;
  if (lru_ == kNil) lru_ = alias;
}

void OutgoingTopicAliases::Bind(uint16_t alias, absl::string_view topic) {
  Slot& s = SlotFor(alias);
  s.topic.assign(topic.data(), topic.size());
  s.bound = true;
}

AliasChoice OutgoingTopicAliases::Auto(absl::string_view topic) {
  if (maximum_ == 0) return {};
  if (auto it = by_topic_.find(topic); it != by_topic_.end()) {
    const uint16_t alias = it->second;
    if (mru_ != alias) {
      Unlink(alias);
      PushFront(alias);
    }
    return {alias, true};
  }
  uint16_t alias;
  if (by_topic_.size() < maximum_) {
    alias = static_cast<uint16_t>(by_topic_.size() + 1);
  } else {
    alias = lru_;
    Unlink(alias);
    by_topic_.erase(slots_[alias].topic);
  }
  Bind(alias, topic);
  PushFront(alias);
  by_topic_.emplace(std::string(topic.data(), topic.size()), alias);
  return {alias, false};
}

absl::Status OutgoingTopicAliases::CheckManual(uint16_t alias) const {
  if (alias == 0 || alias > maximum_) {
    return absl::InvalidArgumentError(
        absl::StrCat("Topic Alias ", alias, " is outside 1..", maximum_,
                     " (the server's Topic Alias Maximum from CONNACK) [MQTT-3.3.2-9]"));
  }
  return absl::OkStatus();
}

AliasChoice OutgoingTopicAliases::Manual(uint16_t alias, absl::string_view topic,
                                         bool topic_given) {
  if (!topic_given) {
    std::optional<absl::string_view> bound = Lookup(alias);
    if (bound.has_value() && *bound == topic) return {alias, true};
  }
  Bind(alias, topic);
  return {alias, false};
}

std::optional<absl::string_view> OutgoingTopicAliases::Lookup(uint16_t alias) const {
  if (alias >= slots_.size() || !slots_[alias].bound) return std::nullopt;
  return absl::string_view(slots_[alias].topic);
}

// ---------------------------------------------------------------------------------------------
// Incoming

void IncomingTopicAliases::Reset(uint16_t maximum) {
  maximum_ = maximum;
  for (std::string& t : topics_) t.clear();
}

absl::Status IncomingTopicAliases::Resolve(PublishPacket& publish) {
  std::optional<uint32_t> alias = publish.properties.GetInt(PropertyId::kTopicAlias);
  if (!alias.has_value()) return absl::OkStatus();
  if (*alias == 0 || *alias > maximum_) {
    return DecodeErrorWithReason(kReasonTopicAliasInvalid, "MQTT-3.3.2-11", kNoOffset,
                                 absl::StrCat("PUBLISH uses Topic Alias ", *alias,
                                              "; our Topic Alias Maximum is ", maximum_));
  }
  if (topics_.size() <= *alias) topics_.resize(*alias + 1u);
  std::string& bound = topics_[*alias];
  if (!publish.topic.empty()) {
    bound.assign(publish.topic);
  } else if (bound.empty()) {
    return ProtocolErrorAt("MQTT-5.0 §3.3.2.3.4", kNoOffset,
                           absl::StrCat("PUBLISH has an empty Topic Name and Topic Alias ", *alias,
                                        ", which no earlier PUBLISH on this connection set"));
  } else {
    publish.topic.assign(bound);
  }
  publish.properties.Remove(PropertyId::kTopicAlias);
  return absl::OkStatus();
}

}  // namespace ouzel
