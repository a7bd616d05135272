// Client + FileStore against a REAL Mosquitto (tests/fixtures MosquittoBroker):
//  - messages published while the broker is down are kept by the store, the client is destroyed,
//    a new client on the same store delivers each of them exactly once when the broker is back;
//  - a publishing process SIGKILLed in the middle of a QoS 2 stream is replaced by a new one
//    that resumes from the store: every message reaches the subscriber exactly once.
// The subscriber is a separate client with a persistent session (its messages wait in the
// broker while it is away).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/client/client.h"
#include "cc/client/client_test_util.h"
#include "cc/persistence/file_store.h"
#include "cc/persistence/store_test_util.h"
#include "gtest/gtest.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

using fixtures::MosquittoBroker;
using testing::EventRecorder;
using testing::LoopMode;
using testing::LoopRunner;

constexpr absl::Duration kTimeout = absl::Seconds(20);

ClientOptions BaseOptions(int port, const std::string& id, ProtocolVersion version) {
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", port)};
  o.session.client_id = id;
  o.session.version = version;
  // A persistent session, resumed from the first connection of each process: 3.x Clean
  // Session 0; 5.0 Clean Start 0 and a Session Expiry Interval.
  o.session.clean_start = false;
  if (version == ProtocolVersion::kV5) {
    o.session.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 3600);
  }
  o.reconnect_min_delay = absl::Milliseconds(50);
  o.reconnect_max_delay = absl::Milliseconds(300);
  o.connect_timeout = absl::Seconds(5);
  return o;
}

FileStoreOptions StoreOptions(const std::string& dir, SyncPolicy policy) {
  FileStoreOptions o;
  o.directory = dir;
  o.session_key = "publisher@mosquitto";
  o.sync_policy = policy;
  o.sync_interval = absl::Milliseconds(20);
  return o;
}

class StoreMosquittoTest : public ::testing::TestWithParam<ProtocolVersion> {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    MosquittoBroker::Options o;
    o.persistence = true;  // the subscriber's session and queue survive Stop/Restart
    o.extra_config = {"max_queued_messages 0"};
    absl::StatusOr<std::unique_ptr<MosquittoBroker>> b = MosquittoBroker::Start(o);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = *std::move(b);
    topic_ = absl::StrCat("store/", static_cast<int>(GetParam()), "/", getpid());
  }
  void TearDown() override { RemoveTree(dir_); }

  // The subscriber's persistent session: QoS 2 on topic_, then it goes away.
  void PrepareSubscriber() {
    absl::StatusOr<std::unique_ptr<Client>> c =
        Client::Create(BaseOptions(broker_->port(), "subscriber", GetParam()));
    ASSERT_TRUE(c.ok()) << c.status();
    EventRecorder events;
    events.Attach(c->get());
    LoopRunner runner(c->get(), LoopMode::kCaller);
    ASSERT_TRUE((*c)->ConnectAsync().ok());
    ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout))
        << broker_->Log();
    ASSERT_TRUE((*c)->Subscribe(topic_ + "/#", 2).ok());
    ASSERT_TRUE(runner.RunUntil([&] { return events.subscribed().size() == 1; }, kTimeout));
    ASSERT_TRUE((*c)->Disconnect().ok());
    ASSERT_TRUE(runner.RunUntil([&] { return events.disconnects() == 1; }, kTimeout));
  }

  // Reconnects the subscriber, has `publisher` send a last message, and returns how many times
  // each payload arrived up to that one (the broker delivers a session's queue in order, so a
  // duplicate would arrive before it).
  std::map<std::string, int> Received(Client* publisher, LoopRunner* publisher_runner) {
    std::map<std::string, int> count;
    absl::StatusOr<std::unique_ptr<Client>> c =
        Client::Create(BaseOptions(broker_->port(), "subscriber", GetParam()));
    EXPECT_TRUE(c.ok()) << c.status();
    if (!c.ok()) return count;
    EventRecorder events;
    events.Attach(c->get());
    EXPECT_TRUE((*c)->ConnectAsync().ok());
    EXPECT_TRUE((*c)->LoopStart().ok());
    EXPECT_TRUE(testing::WaitFor([&] { return events.connects() == 1; }, kTimeout));
    EXPECT_TRUE(publisher->Publish(topic_ + "/end", "end", 2).ok());
    const auto has_end = [&] {
      for (const Message& m : events.messages()) {
        if (m.payload == "end") return true;
      }
      return false;
    };
    if (publisher_runner->mode() == LoopMode::kThread) {
      EXPECT_TRUE(testing::WaitFor(has_end, kTimeout));
    } else {
      EXPECT_TRUE(publisher_runner->RunUntil(has_end, kTimeout));
    }
    EXPECT_TRUE((*c)->LoopStop().ok());
    for (const Message& m : events.messages()) {
      if (m.payload != "end") ++count[m.payload];
    }
    return count;
  }

  std::string dir_;
  std::string topic_;
  std::unique_ptr<MosquittoBroker> broker_;
};

TEST_P(StoreMosquittoTest, PublishedWhileBrokerDown_NewClientDeliversEachExactlyOnce) {
  ASSERT_NO_FATAL_FAILURE(PrepareSubscriber());
  ASSERT_TRUE(broker_->Stop().ok());
  constexpr int kMessages = 20;
  const std::string id = "publisher";
  {
    absl::StatusOr<std::unique_ptr<FileStore>> store =
        FileStore::Open(StoreOptions(dir_, SyncPolicy::kEveryWrite));
    ASSERT_TRUE(store.ok()) << store.status();
    ClientOptions o = BaseOptions(broker_->port(), id, GetParam());
    o.store = store->get();
    absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
    ASSERT_TRUE(c.ok()) << c.status();
    ASSERT_TRUE((*c)->ConnectAsync().ok());
    ASSERT_TRUE((*c)->LoopStart().ok());  // attempts fail: the broker is down
    for (int i = 0; i < kMessages; ++i) {
      absl::StatusOr<MessageToken> t =
          (*c)->Publish(topic_ + "/x", absl::StrCat("m", i), static_cast<uint8_t>(1 + i % 2));
      ASSERT_TRUE(t.ok()) << t.status();
    }
    EXPECT_FALSE((*c)->IsConnected());
    c->reset();  // the client goes; the store saw every message
    EXPECT_EQ((*store)->stats().outgoing, static_cast<size_t>(kMessages));
  }
  ASSERT_TRUE(broker_->Restart().ok()) << broker_->Log();

  absl::StatusOr<std::unique_ptr<FileStore>> store =
      FileStore::Open(StoreOptions(dir_, SyncPolicy::kEveryWrite));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_FALSE((*store)->recovery_report().truncated()) << (*store)->recovery_report().ToString();
  ASSERT_EQ((*store)->stats().outgoing, static_cast<size_t>(kMessages));
  ClientOptions o = BaseOptions(broker_->port(), id, GetParam());
  o.store = store->get();
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  ASSERT_TRUE(c.ok()) << c.status();
  EventRecorder events;
  events.Attach(c->get());
  LoopRunner runner(c->get(), LoopMode::kThread);
  ASSERT_TRUE((*c)->ConnectAsync().ok());
  ASSERT_TRUE(testing::WaitFor(
      [&] { return events.published().size() == static_cast<size_t>(kMessages); }, kTimeout))
      << broker_->Log();
  for (const PublishDoneEvent& e : events.published()) {
    EXPECT_EQ(e.status.state, DeliveryState::kAcknowledged) << e.token;
  }
  std::map<std::string, int> got = Received(c->get(), &runner);
  EXPECT_EQ(got.size(), static_cast<size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(got[absl::StrCat("m", i)], 1) << i;
  ASSERT_TRUE(testing::WaitFor([&] { return (*store)->stats().outgoing == 0; }, kTimeout));
}

// The publishing process is SIGKILLed while QoS 2 messages are inflight in every stage; a new
// process resumes from the store. Nothing is lost, nothing duplicated.
TEST_P(StoreMosquittoTest, PublisherKilledMidStream_RestartedProcessResumesExactlyOnce) {
  ASSERT_NO_FATAL_FAILURE(PrepareSubscriber());
  constexpr int kMessages = 300;
  constexpr int kAckedBeforeKill = 100;
  const std::string id = "publisher";
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    // The first process. No gtest assertions here: exit codes tell the parent what failed.
    close(ready[0]);
    absl::StatusOr<std::unique_ptr<FileStore>> store =
        FileStore::Open(StoreOptions(dir_, SyncPolicy::kInterval));
    if (!store.ok()) _exit(10);
    ClientOptions o = BaseOptions(broker_->port(), id, GetParam());
    o.store = store->get();
    o.session.max_inflight = 10;
    absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
    if (!c.ok()) _exit(11);
    EventRecorder events;
    events.Attach(c->get());
    LoopRunner runner(c->get(), LoopMode::kCaller);
    if (!(*c)->ConnectAsync().ok()) _exit(12);
    for (int i = 0; i < kMessages; ++i) {
      if (!(*c)->Publish(topic_ + "/x", absl::StrCat("m", i), 2).ok()) _exit(13);
    }
    if (!runner.RunUntil([&] { return events.published().size() >= kAckedBeforeKill; }, kTimeout)) {
      _exit(14);
    }
    const char byte = 'k';
    if (write(ready[1], &byte, 1) != 1) _exit(15);
    runner.RunFor(kTimeout);  // keeps publishing until killed
    _exit(16);
  }
  close(ready[1]);
  char byte = 0;
  const ssize_t n = read(ready[0], &byte, 1);
  close(ready[0]);
  if (n != 1) {
    int status = 0;
    waitpid(pid, &status, 0);
    FAIL() << "the first process failed early, exit code "
           << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << "\n"
           << broker_->Log();
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));

  absl::StatusOr<std::unique_ptr<FileStore>> store =
      FileStore::Open(StoreOptions(dir_, SyncPolicy::kInterval));
  ASSERT_TRUE(store.ok()) << store.status() << " (the killed process's lock must be gone)";
  const size_t left = (*store)->stats().outgoing;
  absl::StatusOr<StoredSession> saved = (*store)->Load();
  ASSERT_TRUE(saved.ok());
  int sent = 0, pubrel = 0;
  for (const StoredOutgoing& m : saved->outgoing) {
    sent += m.stage == StoredOutgoing::Stage::kPublishSent;
    pubrel += m.stage == StoredOutgoing::Stage::kPubrelSent;
  }
  std::cerr << "killed with " << left << " messages stored (" << sent << " awaiting PUBREC, "
            << pubrel << " awaiting PUBCOMP); " << (*store)->recovery_report().ToString() << "\n";
  EXPECT_GT(left, 0u);
  EXPECT_LE(left, static_cast<size_t>(kMessages - kAckedBeforeKill));

  ClientOptions o = BaseOptions(broker_->port(), id, GetParam());
  o.store = store->get();
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  ASSERT_TRUE(c.ok()) << c.status();
  EventRecorder events;
  events.Attach(c->get());
  LoopRunner runner(c->get(), LoopMode::kThread);
  ASSERT_TRUE((*c)->ConnectAsync().ok());
  ASSERT_TRUE(testing::WaitFor([&] { return events.published().size() == left; }, kTimeout))
      << events.published().size() << " of " << left << "\n"
      << broker_->Log();
  ASSERT_TRUE(events.connected().size() == 1 && events.connected()[0].session_present)
      << "the broker kept the publisher's session";
  for (const PublishDoneEvent& e : events.published()) {
    EXPECT_EQ(e.status.state, DeliveryState::kAcknowledged) << e.token;
  }
  std::map<std::string, int> got = Received(c->get(), &runner);
  EXPECT_EQ(got.size(), static_cast<size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(got[absl::StrCat("m", i)], 1) << i;
}

// A store that can no longer write makes the client stop sending and say why, rather than send
// packets whose records are not safe.
TEST_P(StoreMosquittoTest, StoreFailure_ConnectionDroppedWithTheStoreErrorNothingLost) {
  std::atomic<int> sync_error{0};
  FileStoreOptions so = StoreOptions(dir_, SyncPolicy::kEveryWrite);
  so.sync_function = [&](int) { return sync_error.load(); };
  absl::StatusOr<std::unique_ptr<FileStore>> store = FileStore::Open(so);
  ASSERT_TRUE(store.ok()) << store.status();
  ClientOptions o = BaseOptions(broker_->port(), "failing-store", GetParam());
  o.store = store->get();
  o.auto_reconnect = false;
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
  ASSERT_TRUE(c.ok()) << c.status();
  EventRecorder events;
  events.Attach(c->get());
  LoopRunner runner(c->get(), LoopMode::kCaller);
  ASSERT_TRUE((*c)->ConnectAsync().ok());
  ASSERT_TRUE(runner.RunUntil([&] { return events.connects() == 1; }, kTimeout));

  sync_error = EIO;
  absl::StatusOr<MessageToken> t = (*c)->Publish(topic_ + "/x", "kept", 1);
  ASSERT_TRUE(t.ok()) << t.status() << " (accepted into the batch; the failure comes at Flush)";
  ASSERT_TRUE(runner.RunUntil([&] { return events.disconnects() == 1; }, kTimeout));
  const DisconnectedEvent d = events.disconnected()[0];
  EXPECT_NE(d.error.message().find("session store"), absl::string_view::npos) << d.error;
  EXPECT_NE(d.error.message().find("fdatasync"), absl::string_view::npos) << d.error;
  bool logged = false;
  for (const std::string& line : events.logs()) {
    logged = logged || line.find("session store") != std::string::npos;
  }
  EXPECT_TRUE(logged);
  // The message is neither lost nor reported sent; new publishes are refused with the error.
  std::optional<MessageStatus> status = (*c)->DeliveryStatus(*t);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->state == DeliveryState::kInflight || status->state == DeliveryState::kQueued);
  absl::StatusOr<MessageToken> refused = (*c)->Publish(topic_ + "/x", "refused", 1);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("no longer usable"), absl::string_view::npos)
      << refused.status();
}

INSTANTIATE_TEST_SUITE_P(Versions, StoreMosquittoTest,
                         ::testing::Values(ProtocolVersion::kV311, ProtocolVersion::kV5),
                         [](const ::testing::TestParamInfo<ProtocolVersion>& p) {
                           return p.param == ProtocolVersion::kV5 ? "V5" : "V311";
                         });

}  // namespace
}  // namespace ouzel
