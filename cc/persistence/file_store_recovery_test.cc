// FileStore recovery: a log cut at every byte offset, and a log with a bit flipped in every byte,
// each recovers exactly the records before the damage, cuts the rest off durably and says so.
#include <sys/stat.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cc/persistence/crc32c.h"
#include "cc/persistence/file_store.h"
#include "cc/persistence/memory_store.h"
#include "cc/persistence/record_codec.h"
#include "cc/persistence/store_test_util.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

using Stage = StoredOutgoing::Stage;

// A log image and, for each record boundary, the session it holds up to there.
struct Golden {
  std::vector<uint8_t> bytes;
  std::vector<size_t> boundaries;   // boundaries[0]: end of the header
  std::vector<std::string> states;  // states[i]: Describe() of the session up to boundaries[i]
};

FileStoreOptions Options(const std::string& dir) {
  FileStoreOptions o;
  o.directory = dir;
  o.session_key = "recovery";
  o.sync_policy = SyncPolicy::kNever;
  return o;
}

std::string Describe(SessionStore& s) {
  absl::StatusOr<StoredSession> loaded = s.Load();
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  return loaded.ok() ? Describe(*loaded) : "";
}

off_t FileSize(const std::string& path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_size;
}

// Every operation writes exactly one record, flushed on its own, so the file size after each is a
// record boundary.
Golden MakeGolden(const std::string& dir) {
  Golden g;
  MemoryStore reference;
  absl::StatusOr<std::unique_ptr<FileStore>> opened = FileStore::Open(Options(dir));
  EXPECT_TRUE(opened.ok()) << opened.status();
  FileStore& s = **opened;
  const auto step = [&](const std::function<absl::Status(SessionStore&)>& op) {
    EXPECT_TRUE(op(s).ok());
    EXPECT_TRUE(op(reference).ok());
    EXPECT_TRUE(s.Flush().ok());
    g.boundaries.push_back(static_cast<size_t>(FileSize(s.log_path())));
    g.states.push_back(Describe(reference));
  };
  g.boundaries.push_back(static_cast<size_t>(FileSize(s.log_path())));
  g.states.push_back(Describe(reference));
  step([](SessionStore& x) { return x.PutClientId("c1", 60); });
  step([](SessionStore& x) { return x.PutOutgoing(TestOutgoing(1, 1, 1, Stage::kPublishSent)); });
  step([](SessionStore& x) { return x.PutOutgoing(TestOutgoing(2, 2, 2, Stage::kPublishSent)); });
  step([](SessionStore& x) { return x.PutOutgoing(TestOutgoing(2, 2, 2, Stage::kPubrelSent)); });
  step([](SessionStore& x) { return x.PutIncoming(9, nullptr); });
  step([](SessionStore& x) {
    PublishPacket held = TestMessage("held", 2, 10);
    return x.PutIncoming(10, &held);
  });
  step([](SessionStore& x) { return x.RemoveOutgoing(1); });
  step([](SessionStore& x) { return x.PutOutgoing(TestOutgoing(3, 0, 0)); });
  step([](SessionStore& x) { return x.RemoveIncoming(9); });
  step([](SessionStore& x) { return x.Clear(); });
  step([](SessionStore& x) { return x.PutOutgoing(TestOutgoing(4, 1, 4)); });
  const std::string path = s.log_path();
  opened->reset();
  g.bytes = ReadFileBytes(path);
  EXPECT_EQ(g.bytes.size(), g.boundaries.back());
  return g;
}

class RecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    golden_dir_ = MakeTempDir();
    golden_ = MakeGolden(golden_dir_);
    dir_ = MakeTempDir();
    path_ = FileStore::LogPathFor(dir_, "recovery");
  }
  void TearDown() override {
    RemoveTree(golden_dir_);
    RemoveTree(dir_);
  }
  // The index of the last boundary at or before `offset`, or -1 when the header is incomplete.
  int RecordsBefore(size_t offset) const {
    int k = -1;
    for (size_t i = 0; i < golden_.boundaries.size(); ++i) {
      if (golden_.boundaries[i] <= offset) k = static_cast<int>(i);
    }
    return k;
  }

  std::string golden_dir_, dir_, path_;
  Golden golden_;
};

TEST_F(RecoveryTest, GoldenLogReadsBackCleanly) {
  WriteFileBytes(path_, golden_.bytes);
  absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
  ASSERT_TRUE(s.ok()) << s.status();
  const RecoveryReport& r = (*s)->recovery_report();
  EXPECT_FALSE(r.truncated()) << r.ToString();
  EXPECT_EQ(r.records, golden_.boundaries.size());
  EXPECT_EQ(r.valid_bytes, golden_.bytes.size());
  EXPECT_EQ(Describe(**s), golden_.states.back());
  EXPECT_EQ(Describe(**s),
            "client=c1 expiry=60 next=5 out=[#4 queued q1 id=4 't4' 'payload of t4'; ] in=[]");
}

TEST_F(RecoveryTest, TruncatedAtEveryOffset_RecoversEveryWholeRecordAndReportsTheRest) {
  const std::string empty_state = "client= expiry=0 next=1 out=[] in=[]";
  for (size_t n = 0; n < golden_.bytes.size(); ++n) {
    SCOPED_TRACE(absl::StrCat("cut at ", n, " of ", golden_.bytes.size()));
    WriteFileBytes(path_, std::vector<uint8_t>(golden_.bytes.begin(), golden_.bytes.begin() + n));
    absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
    ASSERT_TRUE(s.ok()) << s.status();
    const RecoveryReport& r = (*s)->recovery_report();
    const int k = RecordsBefore(n);
    if (n == 0) {
      EXPECT_TRUE(r.created);
      EXPECT_FALSE(r.truncated());
    } else if (k < 0) {
      EXPECT_FALSE(r.created);
      EXPECT_TRUE(r.truncated());
      EXPECT_EQ(r.records, 0u);
      EXPECT_EQ(r.discarded_bytes, n);
      EXPECT_EQ(Describe(**s), empty_state);
    } else {
      const size_t b = golden_.boundaries[static_cast<size_t>(k)];
      EXPECT_EQ(r.records, static_cast<uint64_t>(k) + 1);
      EXPECT_EQ(r.valid_bytes, b);
      EXPECT_EQ(r.discarded_bytes, n - b);
      EXPECT_EQ(r.truncated(), n != b);
      if (n != b) {
        EXPECT_NE(r.reason.find("ends inside"), std::string::npos) << r.reason;
        EXPECT_NE(r.ToString().find(absl::StrCat("discarded ", n - b, " bytes at offset ", b)),
                  std::string::npos)
            << r.ToString();
      }
      EXPECT_EQ(Describe(**s), golden_.states[static_cast<size_t>(k)]);
      EXPECT_EQ(static_cast<size_t>(FileSize(path_)), b) << "the torn tail is cut off";
    }
    // The store works after recovery: a new record follows the last good one.
    ASSERT_TRUE((*s)->PutOutgoing(TestOutgoing(100, 1, 100)).ok());
    s->reset();
    absl::StatusOr<std::unique_ptr<FileStore>> again = FileStore::Open(Options(dir_));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_FALSE((*again)->recovery_report().truncated()) << (*again)->recovery_report().ToString();
    EXPECT_NE(Describe(**again).find("#100 queued"), std::string::npos);
    again->reset();
  }
}

TEST_F(RecoveryTest, BitFlippedInEveryByte_StopsAtTheDamagedRecord) {
  for (size_t p = 0; p < golden_.bytes.size(); ++p) {
    SCOPED_TRACE(absl::StrCat("bit ", p % 8, " of byte ", p));
    std::vector<uint8_t> damaged = golden_.bytes;
    damaged[p] ^= static_cast<uint8_t>(1u << (p % 8));
    WriteFileBytes(path_, damaged);
    absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
    ASSERT_TRUE(s.ok()) << s.status();
    const RecoveryReport& r = (*s)->recovery_report();
    // The damaged record is the one containing byte p; everything before it is intact.
    const int k = RecordsBefore(p);
    const size_t good = k < 0 ? 0 : golden_.boundaries[static_cast<size_t>(k)];
    EXPECT_TRUE(r.truncated());
    EXPECT_FALSE(r.reason.empty());
    EXPECT_EQ(r.valid_bytes, good);
    EXPECT_EQ(r.discarded_bytes, damaged.size() - good);
    EXPECT_EQ(r.records, static_cast<uint64_t>(k + 1));
    EXPECT_EQ(Describe(**s), k < 0 ? "client= expiry=0 next=1 out=[] in=[]"
                                   : golden_.states[static_cast<size_t>(k)]);
    s->reset();
    absl::StatusOr<std::unique_ptr<FileStore>> again = FileStore::Open(Options(dir_));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_FALSE((*again)->recovery_report().truncated()) << "the cut was made durable";
    again->reset();
  }
}

TEST_F(RecoveryTest, GarbageAfterTheLastRecord_Discarded) {
  std::vector<uint8_t> bytes = golden_.bytes;
  for (int i = 0; i < 100; ++i) bytes.push_back(static_cast<uint8_t>(i * 37 + 11));
  WriteFileBytes(path_, bytes);
  absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ((*s)->recovery_report().discarded_bytes, 100u);
  EXPECT_EQ(Describe(**s), golden_.states.back());
}

TEST_F(RecoveryTest, ZeroFilledTail_ReportedAsAnUnwrittenTail) {
  std::vector<uint8_t> bytes = golden_.bytes;
  bytes.resize(bytes.size() + 4096, 0);
  WriteFileBytes(path_, bytes);
  absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
  ASSERT_TRUE(s.ok()) << s.status();
  const RecoveryReport& r = (*s)->recovery_report();
  EXPECT_EQ(r.discarded_bytes, 4096u);
  EXPECT_NE(r.reason.find("zero bytes"), std::string::npos) << r.reason;
  EXPECT_EQ(Describe(**s), golden_.states.back());
}

// A frame whose length and checksum are right but whose content is not a record this log can
// hold (a payload that does not decode, a second header, a first record that is not the header):
// recovery stops before it and cuts it off, so the next open reads a clean log and keeps what was
// written after the recovery. (Found by tests/fuzz:store_recovery_fuzzer: the cut was after such
// a frame, so every later open stopped at it again and dropped the records appended since.)
TEST_F(RecoveryTest, WellFramedButUnusableRecord_CutOffBeforeIt_LaterWritesSurvive) {
  ByteBuffer undecodable;  // kRemoveOutgoing wants an 8-byte token; this one has 3 bytes
  uint8_t* f = undecodable.AppendUninitialized(kRecordFrameSize + 3);
  const uint8_t body[] = {3, 0, 0, 0, static_cast<uint8_t>(RecordType::kRemoveOutgoing), 1, 2, 3};
  std::memcpy(f + 4, body, sizeof(body));
  const uint32_t crc = Crc32c(f + 4, sizeof(body));
  for (int i = 0; i < 4; ++i) f[i] = static_cast<uint8_t>(crc >> (8 * i));
  ByteBuffer second_header;
  AppendHeaderRecord(HeaderRecord{kLogFormatVersion, "recovery"}, &second_header);
  ByteBuffer identity;
  AppendIdentityRecord(IdentityRecord{"first", 5}, &identity);

  struct Case {
    const char* name;
    std::vector<uint8_t> bytes;
    std::string state;       // recovered
    uint64_t discarded = 0;  // bytes cut off
  };
  std::vector<Case> cases;
  for (const ByteBuffer* bad : {&undecodable, &second_header}) {
    Case c{bad == &undecodable ? "undecodable payload" : "second header", golden_.bytes,
           golden_.states.back(), bad->size() + identity.size()};
    c.bytes.insert(c.bytes.end(), bad->data(), bad->data() + bad->size());
    c.bytes.insert(c.bytes.end(), identity.data(), identity.data() + identity.size());
    cases.push_back(std::move(c));
  }
  Case no_header{"no header", {}, "client= expiry=0 next=1 out=[] in=[]", identity.size()};
  no_header.bytes.assign(identity.data(), identity.data() + identity.size());
  cases.push_back(std::move(no_header));

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    WriteFileBytes(path_, c.bytes);
    {
      absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
      ASSERT_TRUE(s.ok()) << s.status();
      const RecoveryReport& r = (*s)->recovery_report();
      EXPECT_TRUE(r.truncated());
      EXPECT_EQ(r.discarded_bytes, c.discarded) << r.ToString();
      EXPECT_EQ(r.valid_bytes + r.discarded_bytes, c.bytes.size()) << r.ToString();
      EXPECT_EQ(Describe(**s), c.state);
      ASSERT_TRUE((*s)->PutClientId("after", 7).ok());
      ASSERT_TRUE((*s)->Flush().ok());
    }
    absl::StatusOr<std::unique_ptr<FileStore>> again = FileStore::Open(Options(dir_));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_FALSE((*again)->recovery_report().truncated()) << (*again)->recovery_report().ToString();
    absl::StatusOr<StoredSession> loaded = (*again)->Load();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->client_id, "after");
    EXPECT_EQ(loaded->session_expiry_interval, 7u);
  }
}

TEST_F(RecoveryTest, NewerFormatVersion_RefusedUntouched) {
  ByteBuffer header;
  AppendHeaderRecord(HeaderRecord{static_cast<uint16_t>(kLogFormatVersion + 1), "recovery"},
                     &header);
  const std::vector<uint8_t> bytes(header.data(), header.data() + header.size());
  WriteFileBytes(path_, bytes);
  absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options(dir_));
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("format version"), absl::string_view::npos) << s.status();
  EXPECT_EQ(ReadFileBytes(path_), bytes);
}

}  // namespace
}  // namespace ouzel
