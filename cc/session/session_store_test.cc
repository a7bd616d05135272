// Session: what it tells the SessionStore, and resuming from what a store holds.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/session/broker_double.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

// Keeps a StoredSession in memory and logs every call: "put #1 sent id=1", "remove #1",
// "put-in 4", "put-in 4 held", "remove-in 4", "client c1 60", "clear".
class FakeStore : public SessionStore {
 public:
  absl::Status PutOutgoing(const StoredOutgoing& m) override {
    if (!fail_puts.ok()) return fail_puts;
    const char* stage = m.stage == StoredOutgoing::Stage::kQueued        ? "queued"
                        : m.stage == StoredOutgoing::Stage::kPublishSent ? "sent"
                                                                         : "pubrel";
    log.push_back(absl::StrCat("put #", m.token, " ", stage, " id=", m.publish.packet_id));
    outgoing[m.token] = m;
    return absl::OkStatus();
  }
  absl::Status RemoveOutgoing(uint64_t token) override {
    log.push_back(absl::StrCat("remove #", token));
    outgoing.erase(token);
    return absl::OkStatus();
  }
  absl::Status PutIncoming(uint16_t id, const PublishPacket* held) override {
    log.push_back(absl::StrCat("put-in ", id, held ? " held" : ""));
    incoming[id] = held != nullptr;
    return absl::OkStatus();
  }
  absl::Status RemoveIncoming(uint16_t id) override {
    log.push_back(absl::StrCat("remove-in ", id));
    incoming.erase(id);
    return absl::OkStatus();
  }
  absl::Status PutClientId(const std::string& id, uint32_t expiry) override {
    log.push_back(absl::StrCat("client ", id, " ", expiry));
    return absl::OkStatus();
  }
  absl::Status Clear() override {
    log.push_back("clear");
    outgoing.clear();
    incoming.clear();
    return absl::OkStatus();
  }
  absl::StatusOr<StoredSession> Load() override {
    if (!load_error.ok()) return load_error;
    return to_load;
  }

  Lines Take() { return std::exchange(log, {}); }

  Lines log;
  std::map<uint64_t, StoredOutgoing> outgoing;
  std::map<uint16_t, bool> incoming;
  StoredSession to_load;
  absl::Status load_error;
  absl::Status fail_puts;
};

SessionOptions Options() {
  SessionOptions o;
  o.version = ProtocolVersion::kV5;
  o.client_id = "c1";
  o.keep_alive_seconds = 0;
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  return o;
}

PublishPacket Pub(absl::string_view topic, uint8_t qos, uint16_t id, bool dup = false) {
  PublishPacket p;
  p.topic = std::string(topic.data(), topic.size());
  p.payload = "m";
  p.qos = qos;
  p.packet_id = id;
  p.dup = dup;
  return p;
}

template <typename Ack>
Ack A(uint16_t id) {
  Ack a;
  a.packet_id = id;
  return a;
}

TEST(SessionStore, EveryChangeIsStoredBeforeItsPacketIsHandedOut) {
  FakeStore store;
  BrokerDouble b(Options(), &store);
  b.Connect();
  EXPECT_EQ(store.Take(), (Lines{"client c1 60"}));
  ASSERT_TRUE(b.session().Publish({"a", "x", 1, false, {}}, b.now()).ok());
  EXPECT_EQ(store.Take(), (Lines{"put #1 sent id=1"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1"}));
  b.Send(A<PubackPacket>(1));
  EXPECT_EQ(store.Take(), (Lines{"remove #1"}));

  ASSERT_TRUE(b.session().Publish({"b", "x", 2, false, {}}, b.now()).ok());
  b.Read();
  b.Send(A<PubrecPacket>(2));
  EXPECT_EQ(store.Take(), (Lines{"put #2 sent id=2", "put #2 pubrel id=2"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBREL 2"}));
  b.Send(A<PubcompPacket>(2));
  EXPECT_EQ(store.Take(), (Lines{"remove #2"}));

  b.Send(Pub("in", 2, 9));
  EXPECT_EQ(store.Take(), (Lines{"put-in 9"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBREC 9"}));
  b.Send(PubrelPacket{A<PubrelPacket>(9)});
  EXPECT_EQ(store.Take(), (Lines{"remove-in 9"}));

  ASSERT_TRUE(b.session().Publish({"c", "x", 0, false, {}}, b.now()).ok());
  EXPECT_TRUE(store.Take().empty()) << "QoS 0 sent at once is never stored";
}

TEST(SessionStore, QueuedWhileOfflineThenSent) {
  FakeStore store;
  BrokerDouble b(Options(), &store);
  ASSERT_TRUE(b.session().Publish({"a", "x", 1, false, {}}, b.now()).ok());
  EXPECT_EQ(store.Take(), (Lines{"put #1 queued id=1"}));
  b.Connect();
  EXPECT_EQ(store.Take(), (Lines{"client c1 60", "put #1 sent id=1"}));
}

TEST(SessionStore, Qos0QueuedOffline_StoredUntilHandedOut) {
  FakeStore store;
  SessionOptions o = Options();
  o.queue_qos0_while_offline = true;
  BrokerDouble b(o, &store);
  ASSERT_TRUE(b.session().Publish({"a", "x", 0, false, {}}, b.now()).ok());
  EXPECT_EQ(store.Take(), (Lines{"put #1 queued id=0"}));
  b.Connect();
  EXPECT_EQ(store.Take(), (Lines{"client c1 60", "remove #1"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q0"}));
}

TEST(SessionStore, Qos0QueuedOffline_NotStoredWithoutQueueQos0WhileOffline) {
  FakeStore store;
  SessionOptions o = Options();
  o.max_inflight = 1;
  BrokerDouble b(o, &store);
  b.Connect();
  ASSERT_TRUE(b.session().Publish({"a", "x", 1, false, {}}, b.now()).ok());
  ASSERT_TRUE(b.session().Publish({"b", "x", 1, false, {}}, b.now()).ok());  // window full
  store.Take();
  // Queued behind it, but dropped at a disconnection: not worth storing.
  ASSERT_TRUE(b.session().Publish({"c", "x", 0, false, {}}, b.now()).ok());
  EXPECT_EQ(b.session().queued_count(), 2u);
  EXPECT_TRUE(store.Take().empty());
}

TEST(SessionStore, Qos0QueuedOffline_RestoredAndSent) {
  FakeStore store;
  store.to_load.client_id = "c1";
  StoredOutgoing q0;
  q0.token = 3;
  q0.publish = Pub("zero", 0, 0);
  StoredOutgoing q1;
  q1.token = 4;
  q1.publish = Pub("one", 1, 5);
  store.to_load.outgoing = {q0, q1};
  BrokerDouble b(Options(), &store);
  EXPECT_EQ(b.session().queued_count(), 2u);
  b.Connect(/*session_present=*/true);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH zero q0", "PUBLISH one q1 id=5"}));
  const Lines log = store.Take();
  EXPECT_NE(std::find(log.begin(), log.end(), "remove #3"), log.end());
}

TEST(SessionStore, HeldQos2MessageStoredWithItsPubrec) {
  FakeStore store;
  SessionOptions o = Options();
  o.qos2_delivery = Qos2Delivery::kOnPubrel;
  BrokerDouble b(o, &store);
  b.Connect();
  store.Take();
  b.Send(Pub("in", 2, 3));
  EXPECT_EQ(store.Take(), (Lines{"put-in 3 held"}));
}

TEST(SessionStore, AssignedClientIdAndDisconnectExpiryStored) {
  FakeStore store;
  SessionOptions o = Options();
  o.client_id = "";
  BrokerDouble b(o, &store);
  Properties props;
  props.SetString(PropertyId::kAssignedClientIdentifier, "auto-1");
  b.Connect(false, props);
  Properties d;
  d.SetInt(PropertyId::kSessionExpiryInterval, 600);
  ASSERT_TRUE(b.session().Disconnect(0, d, b.now()).ok());
  EXPECT_EQ(store.Take(), (Lines{"client auto-1 60", "client auto-1 600"}));
}

TEST(SessionStore, PutFailure_PublishRefusedWithTheStoreError) {
  FakeStore store;
  store.fail_puts = absl::UnavailableError("disk full");
  BrokerDouble b(Options(), &store);
  b.Connect();
  absl::StatusOr<MessageToken> t = b.session().Publish({"a", "x", 1, false, {}}, b.now());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(b.Read().empty());
  EXPECT_EQ(b.session().inflight_count(), 0u);
}

StoredSession SavedSession() {
  StoredSession s;
  s.client_id = "c1";
  s.session_expiry_interval = 60;
  s.next_token = 10;
  StoredOutgoing sent;
  sent.token = 5;
  sent.publish = Pub("a", 1, 7);
  sent.stage = StoredOutgoing::Stage::kPublishSent;
  StoredOutgoing pubrel;
  pubrel.token = 6;
  pubrel.publish = Pub("b", 2, 8);
  pubrel.stage = StoredOutgoing::Stage::kPubrelSent;
  StoredOutgoing queued;
  queued.token = 9;
  queued.publish = Pub("c", 1, 1);
  queued.stage = StoredOutgoing::Stage::kQueued;
  s.outgoing = {sent, pubrel, queued};
  s.incoming_awaiting_pubrel = {4, 11};
  s.incoming_held = {Pub("held", 2, 11)};
  return s;
}

TEST(SessionStore, Restore_ResumesResendsAndKeepsExactlyOnce) {
  FakeStore store;
  store.to_load = SavedSession();
  SessionOptions o = Options();
  o.clean_start = true;  // a restored session is resumed all the same
  BrokerDouble b(o, &store);
  EXPECT_TRUE(b.session().restore_status().ok());
  EXPECT_EQ(b.session().inflight_count(), 2u);
  EXPECT_EQ(b.session().queued_count(), 1u);
  EXPECT_EQ(b.session().StatusOf(5)->state, DeliveryState::kInflight);

  ConnectPacket c = b.Connect(/*session_present=*/true);
  EXPECT_FALSE(c.clean_start);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=7 dup", "PUBREL 8", "PUBLISH c q1 id=1"}));
  b.Events();
  // QoS 2 state: a re-sent PUBLISH is not delivered again; the held one is delivered at PUBREL.
  b.Send(Pub("dup", 2, 4, true));
  EXPECT_EQ(b.Read(), (Lines{"PUBREC 4"}));
  b.Send(A<PubrelPacket>(11));
  EXPECT_EQ(b.Events(), (Lines{"Message held q2 id=11 'm'"}));
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 11"}));
  // New messages continue the token sequence and avoid the restored ids.
  absl::StatusOr<MessageToken> t = b.session().Publish({"d", "x", 1, false, {}}, b.now());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 10u);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH d q1 id=2"}));
  b.Send(A<PubackPacket>(7));
  b.Send(A<PubcompPacket>(8));
  EXPECT_EQ(b.Events(), (Lines{"PublishDone #5 acked", "PublishDone #6 acked"}));
}

TEST(SessionStore, Restore_BrokerLostTheSession_InflightFailedAndForgotten) {
  FakeStore store;
  store.to_load = SavedSession();
  BrokerDouble b(Options(), &store);
  b.Connect(/*session_present=*/false);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH c q1 id=1"}));
  EXPECT_EQ(b.Events(),
            (Lines{"Connected sp=0", "Message held q2 id=11 'm'",
                   "PublishDone #5 dropped/session-lost", "PublishDone #6 dropped/session-lost"}));
  const Lines log = store.Take();
  for (const char* want : {"remove #5", "remove #6", "remove-in 4", "remove-in 11"}) {
    EXPECT_NE(std::find(log.begin(), log.end(), want), log.end()) << want;
  }
}

TEST(SessionStore, Restore_NotPersistent_FirstConnectStartsClean) {
  FakeStore store;
  store.to_load = SavedSession();
  SessionOptions o = Options();
  o.connect_properties = {};  // Session Expiry 0: nothing to resume
  BrokerDouble b(o, &store);
  EXPECT_TRUE(b.Connect().clean_start);
}

TEST(SessionStore, Restore_AnotherClientsSession_Discarded) {
  FakeStore store;
  store.to_load = SavedSession();
  store.to_load.client_id = "someone-else";
  BrokerDouble b(Options(), &store);
  EXPECT_EQ(store.Take(), (Lines{"clear"}));
  EXPECT_EQ(b.session().inflight_count(), 0u);
  EXPECT_TRUE(b.Connect().clean_start);
  EXPECT_FALSE(b.session().TakeLogs().empty());
}

TEST(SessionStore, Restore_EmptyClientIdTakesTheStoredOne) {
  FakeStore store;
  store.to_load = SavedSession();
  SessionOptions o = Options();
  o.client_id = "";
  BrokerDouble b(o, &store);
  EXPECT_EQ(b.session().client_id(), "c1");
  EXPECT_EQ(b.Connect(true).client_id, "c1");
}

TEST(SessionStore, LoadFailure_StartsEmptyAndSaysWhy) {
  FakeStore store;
  store.load_error = absl::DataLossError("corrupt file");
  BrokerDouble b(Options(), &store);
  EXPECT_EQ(b.session().restore_status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(b.session().inflight_count(), 0u);
  std::vector<SessionLog> logs = b.session().TakeLogs();
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].level, LogLevel::kError);
}

}  // namespace
}  // namespace ouzel
