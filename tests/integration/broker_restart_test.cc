// A real Mosquitto (persistence on) restarted in the middle of a QoS 1 / QoS 2 stream, through the
// C API: a publisher with a persistent session sends 2,000 numbered messages (keeping at most 100
// outstanding, so it is still publishing, partly into its offline queue, when the broker goes
// down) to a subscriber with a persistent session. Nothing may be lost: every message is
// acknowledged to the publisher and reaches the subscriber, at least once for QoS 1 and exactly
// once for QoS 2. The counts are printed ("restart counts: ...") and recorded as test properties.
//
// Mosquitto 2.0.11 itself breaks exactly-once across a restart: when its persistence file is
// read back, outgoing messages beyond its max_inflight_messages are put back in the queue, so a
// QoS 2 message whose PUBREC it had already received (and PUBREL sent) is re-sent as a PUBLISH
// (DUP) after the restart (persist_read.c, persist__client_msg_restore), although the sender
// "MUST NOT re-send the PUBLISH once it has sent the corresponding PUBREL" (3.1.1 [MQTT-4.3.3-1]).
// The subscriber had completed that flow with PUBCOMP, so the packet id is free and the PUBLISH
// is a new publication to it (3.1.1 [MQTT-4.3.3-2]): no client can tell. Seen with a syscall
// trace of the subscriber: PUBLISH m543, PUBREC, PUBREL, PUBCOMP; restart; PUBLISH d1 m543. The QoS
// 2 test reads the broker's packet log and excuses exactly those re-sent messages (and reports how
// many); any other duplicate fails it.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/mosquitto_fixture.h"
#include "tests/integration/capi_harness.h"

namespace ouzel_it {
namespace {

using ouzel::fixtures::MosquittoBroker;
using Clock = std::chrono::steady_clock;

constexpr int kMessages = 2000;
constexpr int kRestartAfter = 600;    // received by the subscriber
constexpr int kMaxOutstanding = 100;  // published but not yet acknowledged
constexpr int kStreamTimeoutMs = 60000;

struct Delivery {
  int mid;
  bool dup;
};

struct StreamResult {
  std::vector<std::vector<Delivery>> deliveries;  // by message index
  // Packet ids of QoS 2 PUBLISHes the broker re-sent after the restart although it had sent
  // their PUBREL before it (see the file comment).
  std::set<int> broker_replayed_after_pubrel;
  std::string report;
};

// From Mosquitto's `log_type all` output: ids for which "Sending PUBREL to <client> (mN)" appears
// before the first restart and "Sending PUBLISH to <client> (d1, q2, ..., mN, ..." after it.
std::set<int> ReplayedAfterPubrel(const std::string& log, const std::string& client) {
  std::set<int> pubrel_before, replayed;
  bool restarted = false;
  std::istringstream lines(log);
  std::string line;
  const std::string pubrel = "Sending PUBREL to " + client + " (m";
  const std::string publish = "Sending PUBLISH to " + client + " (d1, q2, ";
  for (int n = 0; std::getline(lines, line) && n < 10'000'000; ++n) {
    if (line.find("terminating") != std::string::npos) restarted = true;
    size_t at = line.find(pubrel);
    if (!restarted && at != std::string::npos) {
      pubrel_before.insert(std::atoi(line.c_str() + at + pubrel.size()));
      continue;
    }
    at = line.find(publish);
    if (restarted && at != std::string::npos) {
      const size_t m = line.find(", m", at + publish.size());
      if (m == std::string::npos) continue;
      const int mid = std::atoi(line.c_str() + m + 3);
      if (pubrel_before.count(mid) != 0) replayed.insert(mid);
    }
  }
  return replayed;
}

class BrokerRestartTest : public ::testing::TestWithParam<int> {
 protected:
  int version() const { return GetParam(); }

  Options PersistentOptions(int port, const std::string& id) {
    Options o = BaseOptions(port, id, version());
    ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_CLEAN_START, 0), "clean start");
    if (version() == OUZEL_MQTT_V5) {
      Properties p = NewProperties();
      ExpectOk(ouzel_properties_set_int(p.get(), OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 600),
               "session expiry");
      ExpectOk(ouzel_options_set_connect_properties(o.get(), p.get()), "connect props");
    }
    return o;
  }

  // The whole scenario at `qos`. Checks what holds for every QoS (every message acknowledged and
  // received, the restart really mid-stream); the caller checks how often each arrived.
  void RunStream(int qos, StreamResult* result);
};

void BrokerRestartTest::RunStream(int qos, StreamResult* result) {
  MosquittoBroker::Options bo;
  bo.persistence = true;
  bo.verbose_log = true;                        // the packet log, read for the QoS 2 verdict
  bo.extra_config = {"max_queued_messages 0"};  // an offline or slow session keeps everything
  auto started = MosquittoBroker::Start(bo);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<MosquittoBroker> broker = *std::move(started);

  const std::string name = std::string(VersionName(version())) + "_Qos" + std::to_string(qos);
  const std::string topic = "it/restart/" + name;
  const std::string sub_id = "restart-sub-" + name;
  Options so = PersistentOptions(broker->port(), sub_id);
  Options po = PersistentOptions(broker->port(), "restart-pub-" + name);
  auto sub = TestClient::Create(so.get(), LoopMode::kThread);
  auto pub = TestClient::Create(po.get(), LoopMode::kThread);
  ASSERT_TRUE(sub && pub);
  ASSERT_TRUE(ConnectAll({sub.get(), pub.get()})) << broker->Log();
  ASSERT_TRUE(SubscribeAndWait(sub.get(), topic, qos));

  std::atomic<bool> stop{false};
  std::atomic<int> published{0};
  std::atomic<int> published_offline{0};
  std::atomic<int> publish_errors{0};
  std::thread publisher([&] {
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(kStreamTimeoutMs);
    for (int i = 0; i < kMessages && !stop; ++i) {
      while (i - pub->events().publish_count() >= kMaxOutstanding && !stop &&
             Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      const bool online = ouzel_client_is_connected(pub->get()) == 1;
      const std::string p = NumberedPayload(i);
      if (ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(), qos, 0,
                               nullptr, nullptr, nullptr) != OUZEL_OK) {
        ++publish_errors;
        continue;
      }
      ++published;
      if (!online) ++published_offline;
    }
  });

  const bool reached = RunUntil({sub.get(), pub.get()},
                                [&] { return sub->events().message_count() >= kRestartAfter; });
  const int sub_at_restart = sub->events().message_count();
  const int acked_at_restart = pub->events().publish_count();
  const int published_at_restart = published;
  const auto restart_status = broker->Restart();
  const bool all_done = reached && restart_status.ok() &&
                        RunUntil(
                            {sub.get(), pub.get()},
                            [&] {
                              return pub->events().publish_count() >= kMessages &&
                                     sub->events().message_count() >= kMessages;
                            },
                            kStreamTimeoutMs);
  stop = true;
  publisher.join();
  ASSERT_TRUE(reached) << "the stream never got going\n" << broker->Log();
  ASSERT_TRUE(restart_status.ok()) << restart_status;
  // Late duplicates (a QoS 2 message delivered twice) would show up now.
  RunFor({sub.get(), pub.get()}, 300);

  result->deliveries.assign(kMessages, {});
  int dup_flagged = 0, out_of_order = 0, foreign = 0, last = -1;
  const std::vector<ReceivedMessage> got = sub->events().messages();
  for (const ReceivedMessage& m : got) {
    const int index = PayloadIndex(m.payload);
    if (index < 0 || index >= kMessages || m.topic != topic || m.qos != qos) {
      ++foreign;
      continue;
    }
    result->deliveries[index].push_back(Delivery{m.mid, m.dup != 0});
    if (m.dup) ++dup_flagged;
    if (index < last) ++out_of_order;
    last = index;
  }
  int missing = 0, duplicated = 0;
  for (const std::vector<Delivery>& d : result->deliveries) {
    if (d.empty()) ++missing;
    if (d.size() > 1) duplicated += static_cast<int>(d.size()) - 1;
  }
  int acked = 0, not_acked = 0;
  std::map<std::string, int> endings;  // state and drop reason of what was not acknowledged
  for (const PublishRecord& r : pub->events().published()) {
    if (r.state == OUZEL_DELIVERY_ACKNOWLEDGED) {
      ++acked;
    } else {
      ++not_acked;
      ++endings["state " + std::to_string(r.state) + " drop " + std::to_string(r.drop_reason)];
    }
  }
  std::map<std::string, int> pub_ends;  // how the publisher's connections ended
  for (const DisconnectRecord& d : pub->events().disconnects()) {
    ++pub_ends[std::string(ouzel_strerror(d.error)) + " reason " + std::to_string(d.reason_code) +
               (d.by_server ? " by server" : "")];
  }
  result->broker_replayed_after_pubrel = ReplayedAfterPubrel(broker->Log(), sub_id);

  std::string details;
  int shown = 0;
  for (int i = 0; i < kMessages; ++i) {
    if (result->deliveries[i].size() < 2 || shown++ >= 3) continue;
    details += "; message " + std::to_string(i) + " delivered as";
    for (const Delivery& d : result->deliveries[i]) {
      details += " mid " + std::to_string(d.mid) + (d.dup ? " dup" : "");
    }
  }
  for (const auto& [what, count] : endings) {
    details += "; not acknowledged: " + what + " x" + std::to_string(count);
  }
  for (const auto& [what, count] : pub_ends) {
    details += "; publisher connection ended: " + what + " x" + std::to_string(count);
  }
  const int64_t pub_reconnects = pub->Stat(OUZEL_STAT_RECONNECTS);
  const int64_t sub_reconnects = sub->Stat(OUZEL_STAT_RECONNECTS);
  result->report =
      name + ": published " + std::to_string(published.load()) + " (" +
      std::to_string(published_offline.load()) + " while offline), acknowledged " +
      std::to_string(acked) + ", not acknowledged " + std::to_string(not_acked) + "; received " +
      std::to_string(got.size()) + " (missing " + std::to_string(missing) + ", duplicates " +
      std::to_string(duplicated) + ", DUP-flagged " + std::to_string(dup_flagged) +
      ", out of order " + std::to_string(out_of_order) + "); at the restart: received " +
      std::to_string(sub_at_restart) + ", acknowledged " + std::to_string(acked_at_restart) +
      ", published " + std::to_string(published_at_restart) + "; reconnects pub " +
      std::to_string(pub_reconnects) + " sub " + std::to_string(sub_reconnects) +
      "; broker re-sent PUBLISH after PUBREL " +
      std::to_string(result->broker_replayed_after_pubrel.size()) + details;
  std::printf("restart counts: %s\n", result->report.c_str());
  RecordProperty("restart_counts", result->report);

  EXPECT_TRUE(all_done) << result->report << "\n" << broker->Log();
  EXPECT_EQ(publish_errors.load(), 0);
  EXPECT_EQ(published.load(), kMessages);
  // The restart really happened mid-stream, and both clients lived through it.
  EXPECT_LT(sub_at_restart, kMessages);
  EXPECT_LT(acked_at_restart, kMessages);
  EXPECT_GE(pub_reconnects, 1);
  EXPECT_GE(sub_reconnects, 1);
  // Nothing lost.
  EXPECT_EQ(acked, kMessages) << result->report;
  EXPECT_EQ(not_acked, 0) << result->report;
  EXPECT_EQ(missing, 0) << result->report;
  EXPECT_EQ(foreign, 0) << result->report;
  EXPECT_TRUE(sub->loop_errors().empty());
  EXPECT_TRUE(pub->loop_errors().empty());
}

TEST_P(BrokerRestartTest, BrokerRestartMidStream_Qos1_AtLeastOnce) {
  StreamResult r;
  ASSERT_NO_FATAL_FAILURE(RunStream(1, &r));
  ASSERT_EQ(static_cast<int>(r.deliveries.size()), kMessages);
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_GE(r.deliveries[i].size(), 1u) << "message " << i << " lost; " << r.report;
  }
}

TEST_P(BrokerRestartTest, BrokerRestartMidStream_Qos2_ExactlyOnce) {
  StreamResult r;
  ASSERT_NO_FATAL_FAILURE(RunStream(2, &r));
  ASSERT_EQ(static_cast<int>(r.deliveries.size()), kMessages);
  int excused = 0;
  for (int i = 0; i < kMessages; ++i) {
    const std::vector<Delivery>& d = r.deliveries[i];
    ASSERT_GE(d.size(), 1u) << "message " << i << " lost; " << r.report;
    // A second delivery is acceptable only when the broker provably re-sent the PUBLISH after
    // its PUBREL (then with the DUP flag and the same packet id).
    for (size_t k = 1; k < d.size(); ++k) {
      const bool broker_replay =
          d[k].dup && d[k].mid == d[0].mid && r.broker_replayed_after_pubrel.count(d[k].mid) != 0;
      EXPECT_TRUE(broker_replay) << "QoS 2 message " << i << " delivered twice (mids " << d[0].mid
                                 << ", " << d[k].mid << ") without the broker re-sending it "
                                 << "after PUBREL; " << r.report;
      if (broker_replay) ++excused;
    }
  }
  RecordProperty("qos2_duplicates_caused_by_broker", std::to_string(excused));
}

INSTANTIATE_TEST_SUITE_P(Versions, BrokerRestartTest,
                         ::testing::Values(OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(VersionName(info.param));
                         });

// MQTT 3.1 has no Session Present flag; with Clean Session 0 the session assumes the broker kept
// it (Session::HandleConnack), which is what this run checks.
INSTANTIATE_TEST_SUITE_P(V31, BrokerRestartTest, ::testing::Values(OUZEL_MQTT_V31),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(VersionName(info.param));
                         });

}  // namespace
}  // namespace ouzel_it
