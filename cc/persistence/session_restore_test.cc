// A Session with a FileStore, "restarted" (Session and store destroyed, new ones opened on the same
// directory), resumes exactly as the spec requires: PUBLISH with DUP for messages awaiting PUBACK
// or PUBREC, PUBREL for those awaiting PUBCOMP, in order, then the offline queue; incoming QoS 2
// ids awaiting PUBREL are not delivered twice. The broker is the cc/session BrokerDouble.
#include <memory>
#include <string>

#include "cc/persistence/file_store.h"
#include "cc/persistence/store_test_util.h"
#include "cc/session/broker_double.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

template <typename Ack>
Ack A(uint16_t id) {
  Ack a;
  a.packet_id = id;
  return a;
}

PublishPacket In(uint16_t id, bool dup = false) {
  PublishPacket p = TestMessage("in", 2, id);
  p.payload = "m";
  p.dup = dup;
  return p;
}

class SessionRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { RemoveTree(dir_); }

  std::unique_ptr<FileStore> OpenStore() {
    FileStoreOptions o;
    o.directory = dir_;
    o.session_key = "c1@test";
    o.sync_policy = SyncPolicy::kEveryWrite;
    o.max_messages = max_messages_;
    absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(o);
    EXPECT_TRUE(s.ok()) << s.status();
    if (s.ok()) {
      EXPECT_FALSE((*s)->recovery_report().truncated());
    }
    return s.ok() ? *std::move(s) : nullptr;
  }

  static SessionOptions V5() {
    SessionOptions o;
    o.version = ProtocolVersion::kV5;
    o.client_id = "c1";
    o.keep_alive_seconds = 0;
    o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 300);
    return o;
  }
  static SessionOptions V311() {
    SessionOptions o;
    o.version = ProtocolVersion::kV311;
    o.client_id = "c1";
    o.keep_alive_seconds = 0;
    o.clean_start = false;
    return o;
  }

  // The first life: QoS 1 awaiting PUBACK (#1, id 1), QoS 2 awaiting PUBREC (#2, id 2), QoS 2
  // awaiting PUBCOMP (#3, id 3), incoming QoS 2 id 9 awaiting PUBREL, then offline: QoS 1 #4
  // queued (id 4). Ends as a crash after the loop's write(): flushed, then everything dropped.
  void FirstLife(const SessionOptions& options) {
    std::unique_ptr<FileStore> store = OpenStore();
    BrokerDouble b(options, store.get());
    b.Connect();
    ASSERT_TRUE(b.session().Publish({"a", "x", 1, false, {}}, b.now()).ok());
    ASSERT_TRUE(b.session().Publish({"b", "x", 2, false, {}}, b.now()).ok());
    ASSERT_TRUE(b.session().Publish({"c", "x", 2, false, {}}, b.now()).ok());
    EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1", "PUBLISH b q2 id=2", "PUBLISH c q2 id=3"}));
    b.Send(A<PubrecPacket>(3));
    b.Send(In(9));
    EXPECT_EQ(b.Read(), (Lines{"PUBREL 3", "PUBREC 9"}));
    b.Down();
    ASSERT_TRUE(b.session().Publish({"d", "x", 1, false, {}}, b.now()).ok());
    ASSERT_TRUE(store->Flush().ok());
  }

  std::string dir_;
  size_t max_messages_ = 0;
};

TEST_F(SessionRestoreTest, V5_Restart_ResendsPerSpecAndKeepsExactlyOnce) {
  FirstLife(V5());
  std::unique_ptr<FileStore> store = OpenStore();
  SessionOptions o = V5();
  o.clean_start = true;  // a restored session is resumed all the same
  BrokerDouble b(o, store.get());
  EXPECT_TRUE(b.session().restore_status().ok());
  EXPECT_EQ(b.session().inflight_count(), 3u);
  EXPECT_EQ(b.session().queued_count(), 1u);

  ConnectPacket c = b.Connect(/*session_present=*/true);
  EXPECT_FALSE(c.clean_start);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 dup", "PUBLISH b q2 id=2 dup", "PUBREL 3",
                             "PUBLISH d q1 id=4"}));
  b.Events();
  // The broker re-sends the PUBLISH we had PUBRECed before the restart: answered, not delivered.
  b.Send(In(9, /*dup=*/true));
  EXPECT_EQ(b.Read(), (Lines{"PUBREC 9"}));
  EXPECT_TRUE(b.Events().empty());
  b.Send(A<PubrelPacket>(9));
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 9"}));

  b.Send(A<PubackPacket>(1));
  b.Send(A<PubrecPacket>(2));
  EXPECT_EQ(b.Read(), (Lines{"PUBREL 2"}));
  b.Send(A<PubcompPacket>(2));
  b.Send(A<PubcompPacket>(3));
  b.Send(A<PubackPacket>(4));
  EXPECT_EQ(b.Events(), (Lines{"PublishDone #1 acked", "PublishDone #2 acked",
                               "PublishDone #3 acked", "PublishDone #4 acked"}));
  // New messages take tokens after the block the first process reserved (tokens 1..4096), so
  // none it may have handed out is handed out again.
  absl::StatusOr<MessageToken> t = b.session().Publish({"e", "x", 1, false, {}}, b.now());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 4097u);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH e q1 id=1"})) << "ids are free again once acknowledged";
  b.Send(A<PubackPacket>(1));
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->stats().outgoing, 0u);
  EXPECT_EQ(store->stats().incoming, 0u);
}

TEST_F(SessionRestoreTest, V311_CleanSessionFalse_Restart_ResendsPerSpec) {
  FirstLife(V311());
  std::unique_ptr<FileStore> store = OpenStore();
  BrokerDouble b(V311(), store.get());
  ConnectPacket c = b.Connect(/*session_present=*/true);
  EXPECT_FALSE(c.clean_start);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 dup", "PUBLISH b q2 id=2 dup", "PUBREL 3",
                             "PUBLISH d q1 id=4"}));
  b.Send(In(9, /*dup=*/true));
  EXPECT_EQ(b.Read(), (Lines{"PUBREC 9"}));
  b.Events();
  b.Send(A<PubrelPacket>(9));
  EXPECT_EQ(b.Read(), (Lines{"PUBCOMP 9"}));
  EXPECT_TRUE(b.Events().empty()) << "id 9 was delivered in the first life";
}

TEST_F(SessionRestoreTest, BrokerLostTheSession_FailInflight_ApplicationToldAndStoreEmptied) {
  FirstLife(V5());
  std::unique_ptr<FileStore> store = OpenStore();
  BrokerDouble b(V5(), store.get());  // lost_session_policy defaults to kFailInflight
  b.Connect(/*session_present=*/false);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH d q1 id=4"}));
  EXPECT_EQ(b.Events(),
            (Lines{"Connected sp=0", "PublishDone #1 dropped/session-lost",
                   "PublishDone #2 dropped/session-lost", "PublishDone #3 dropped/session-lost"}));
  b.Send(A<PubackPacket>(4));
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->stats().outgoing, 0u);
  EXPECT_EQ(store->stats().incoming, 0u) << "the broker's QoS 2 state is gone too";
}

TEST_F(SessionRestoreTest, BrokerLostTheSession_ResendAsNew_NewIdsNoDup) {
  FirstLife(V5());
  std::unique_ptr<FileStore> store = OpenStore();
  SessionOptions o = V5();
  o.lost_session_policy = LostSessionPolicy::kResendAsNew;
  BrokerDouble b(o, store.get());
  b.Connect(/*session_present=*/false);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1", "PUBLISH b q2 id=2", "PUBLISH c q2 id=3",
                             "PUBLISH d q1 id=4"}));
  // Restarting again before the acks: the re-queued messages were stored as new publications.
  ASSERT_TRUE(store->Flush().ok());
  absl::StatusOr<StoredSession> s = store->Load();
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->outgoing.size(), 4u);
  for (const StoredOutgoing& m : s->outgoing) {
    EXPECT_EQ(m.stage, StoredOutgoing::Stage::kPublishSent);
    EXPECT_FALSE(m.publish.dup);
  }
}

TEST_F(SessionRestoreTest, Qos0OfflineQueue_SurvivesRestart) {
  SessionOptions o = V5();
  o.queue_qos0_while_offline = true;
  {
    std::unique_ptr<FileStore> store = OpenStore();
    BrokerDouble b(o, store.get());
    ASSERT_TRUE(b.session().Publish({"zero", "x", 0, false, {}}, b.now()).ok());
    ASSERT_TRUE(b.session().Publish({"one", "x", 1, false, {}}, b.now()).ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  std::unique_ptr<FileStore> store = OpenStore();
  BrokerDouble b(o, store.get());
  EXPECT_EQ(b.session().queued_count(), 2u);
  b.Connect(/*session_present=*/false);
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH zero q0", "PUBLISH one q1 id=1"}));
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->stats().outgoing, 1u) << "the QoS 0 message left the store once handed out";
}

TEST_F(SessionRestoreTest, StoreFull_PublishRefusedNothingLost) {
  max_messages_ = 2;
  std::unique_ptr<FileStore> store = OpenStore();
  BrokerDouble b(V5(), store.get());
  ASSERT_TRUE(b.session().Publish({"a", "x", 1, false, {}}, b.now()).ok());
  ASSERT_TRUE(b.session().Publish({"b", "x", 1, false, {}}, b.now()).ok());
  absl::StatusOr<MessageToken> full = b.session().Publish({"c", "x", 1, false, {}}, b.now());
  EXPECT_EQ(full.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(full.status().message().find("session store full"), absl::string_view::npos);
  EXPECT_EQ(b.session().queued_count(), 2u);
  b.Connect();
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1", "PUBLISH b q1 id=2"}));
  b.Send(A<PubackPacket>(1));
  EXPECT_TRUE(b.session().Publish({"c", "x", 1, false, {}}, b.now()).ok()) << "room again";
}

}  // namespace
}  // namespace ouzel
