// A Session over a FileStore across a simulated crash: what the next process may hand out.
// (Session-level behaviour with a fake store is in cc/session/session_store_test.cc.)
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "cc/persistence/file_store.h"
#include "cc/persistence/store_test_util.h"
#include "cc/session/broker_double.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

SessionOptions Options() {
  SessionOptions o;
  o.version = ProtocolVersion::kV5;
  o.client_id = "c1";
  o.keep_alive_seconds = 0;
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 3600);
  o.clean_start = false;
  return o;
}

std::unique_ptr<FileStore> OpenStore(const std::string& dir) {
  FileStoreOptions o;
  o.directory = dir;
  o.session_key = "c1";
  o.sync_policy = SyncPolicy::kNever;  // a killed process loses nothing written; fast
  o.compact_min_bytes = 4096;          // compactions along the way, too
  absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(o);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : nullptr;
}

// Issue 10: a store opened after a crash must never hand out a token, or a packet identifier
// still in use, that the process that crashed had handed out. The first process publishes QoS 0
// and QoS 1 messages (tokens for QoS 0 are never stored with a message), the broker acknowledges
// some; the process "crashes" right after the client's last store flush (the point past which a
// client writes bytes); the second process resumes and publishes again.
TEST(FileStoreSession, AfterACrash_NoTokenOrInflightIdHandedOutAgain) {
  const std::string dir = MakeTempDir();
  std::set<MessageToken> used_tokens;
  std::set<uint16_t> inflight_ids;
  {
    std::unique_ptr<FileStore> store = OpenStore(dir);
    ASSERT_NE(store, nullptr);
    BrokerDouble b(Options(), store.get());
    b.Connect();
    for (int i = 0; i < 10000; ++i) {
      const uint8_t qos = i % 3 == 0 ? 1 : 0;
      absl::StatusOr<MessageToken> t =
          b.session().Publish({"t", "payload", qos, false, {}}, b.now());
      ASSERT_TRUE(t.ok()) << t.status();
      used_tokens.insert(*t);
      ASSERT_TRUE(store->Flush().ok());  // as the client does before the bytes leave
      for (const Packet& p : b.ReadPackets()) {
        const auto* pub = std::get_if<PublishPacket>(&p);
        if (pub == nullptr || pub->qos == 0) continue;
        if (inflight_ids.size() < 10) {
          inflight_ids.insert(pub->packet_id);  // never acknowledged: in flight at the crash
        } else {
          b.Send(PubackPacket{{pub->packet_id}});  // acknowledged: its id may be used again
        }
      }
    }
    for (int i = 0; i < 50; ++i) {  // the last tokens handed out belong to unstored messages
      absl::StatusOr<MessageToken> t = b.session().Publish({"t", "last", 0, false, {}}, b.now());
      ASSERT_TRUE(t.ok()) << t.status();
      used_tokens.insert(*t);
    }
    ASSERT_TRUE(store->Flush().ok());
    b.ReadPackets();
    // The crash: nothing more reaches the file (the destructor would only add records written
    // after the last flush, and there are none; a killed process writes none either).
    ASSERT_GT(store->stats().compactions, 0u);
  }
  std::unique_ptr<FileStore> store = OpenStore(dir);
  ASSERT_NE(store, nullptr);
  BrokerDouble b(Options(), store.get());
  ASSERT_TRUE(b.session().restore_status().ok());
  b.Connect(/*session_present=*/true);
  b.ReadPackets();  // the resent in-flight messages
  const MessageToken highest_used = *used_tokens.rbegin();
  for (int i = 0; i < 300; ++i) {
    const uint8_t qos = i % 2 == 0 ? 1 : 0;
    absl::StatusOr<MessageToken> t = b.session().Publish({"t", "again", qos, false, {}}, b.now());
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_GT(*t, highest_used) << "token " << *t << " was handed out before the crash";
    for (const Packet& p : b.ReadPackets()) {
      const auto* pub = std::get_if<PublishPacket>(&p);
      if (pub == nullptr || pub->qos == 0) continue;
      EXPECT_EQ(inflight_ids.count(pub->packet_id), 0u)
          << "packet id " << pub->packet_id << " is still in flight from before the crash";
      b.Send(PubackPacket{{pub->packet_id}});
    }
  }
  RemoveTree(dir);
}

}  // namespace
}  // namespace ouzel
