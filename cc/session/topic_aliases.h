// MQTT 5 Topic Aliases (§3.3.2.3.4), both directions, for one connection at a time.
//
// Outgoing: the server's CONNACK Topic Alias Maximum bounds the aliases we may use. Automatic
// aliasing keeps the most recently used topics mapped (least recently used one evicted and its
// alias re-bound when all are taken): the first PUBLISH of a topic carries topic + alias, later
// ones the alias alone. Manual aliasing takes the alias the application put in the PUBLISH
// properties, validated against the maximum. Mappings last one connection: Reset on each CONNACK.
//
//   OutgoingTopicAliases out;
//   out.Reset(connack_topic_alias_maximum);
//   AliasChoice c = out.Auto("sensors/1");   // {alias 1, omit_topic false}, then {1, true}
//
// Incoming: the server may use aliases up to the Topic Alias Maximum we sent in CONNECT. A PUBLISH
// with topic + alias (re)binds the alias; one with an empty topic is resolved through it. Alias 0
// or above our maximum is 0x94 Topic Alias invalid; an alias never bound is 0x82 Protocol Error.
#ifndef OUZEL_CC_SESSION_TOPIC_ALIASES_H_
#define OUZEL_CC_SESSION_TOPIC_ALIASES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cc/codec/packets.h"

namespace ouzel {

// How to send one PUBLISH's topic.
struct AliasChoice {
  uint16_t alias = 0;       // the Topic Alias property to send; 0 for none
  bool omit_topic = false;  // the server already maps `alias` to the topic: send an empty name
};

class OutgoingTopicAliases {
 public:
  // A new connection whose server allows aliases 1..maximum (0: none). Forgets every mapping.
  void Reset(uint16_t maximum);
  uint16_t maximum() const { return maximum_; }

  // Automatic aliasing for `topic` (a full topic name). With maximum 0, no alias.
  AliasChoice Auto(absl::string_view topic);

  // InvalidArgument unless 1 <= alias <= maximum.
  absl::Status CheckManual(uint16_t alias) const;
  // Manual aliasing: the application asked for `alias` (already checked) for the full `topic`.
  // When it gave the topic itself (`topic_given`), both are sent and the alias is (re)bound;
  // otherwise the alias alone is sent if it is bound to `topic` on this connection, else both.
  AliasChoice Manual(uint16_t alias, absl::string_view topic, bool topic_given);

  // The topic `alias` is bound to on this connection, if any.
  std::optional<absl::string_view> Lookup(uint16_t alias) const;

 private:
  static constexpr uint16_t kNil = 0;
  struct Slot {
    std::string topic;
    bool bound = false;
    uint16_t prev = kNil;  // towards most recently used
    uint16_t next = kNil;  // towards least recently used
  };
  Slot& SlotFor(uint16_t alias);
  void Unlink(uint16_t alias);
  void PushFront(uint16_t alias);
  void Bind(uint16_t alias, absl::string_view topic);

  uint16_t maximum_ = 0;
  std::vector<Slot> slots_;  // index = alias; grows as aliases are first used
  absl::flat_hash_map<std::string, uint16_t> by_topic_;  // automatic mode only
  uint16_t mru_ = kNil;
  uint16_t lru_ = kNil;
};

class IncomingTopicAliases {
 public:
  // A new connection; `maximum` is the Topic Alias Maximum we sent in CONNECT (0: none).
  void Reset(uint16_t maximum);

  // Resolves `publish` in place: binds topic + alias, fills an empty topic from its alias, and
  // removes the Topic Alias property (the message is delivered with its full topic). Errors carry
  // the DISCONNECT reason code (DisconnectReasonOf): 0x94 or 0x82.
  absl::Status Resolve(PublishPacket& publish);

 private:
  uint16_t maximum_ = 0;
  std::vector<std::string> topics_;  // index = alias; empty = not bound
};

}  // namespace ouzel

#endif  // OUZEL_CC_SESSION_TOPIC_ALIASES_H_
