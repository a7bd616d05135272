// Network faults between an Ouzel client and a real Mosquitto (issue 17): numbered QoS 1 and
// QoS 2 streams through a FaultRelay that closes, resets, truncates, duplicates and delays the
// connection at random points, at least OUZEL_FAULTS (1,000) times per run. Nothing may be lost,
// no QoS 2 message may arrive twice, and every bounded wait must return within its timeout.
//
// Publishing side: the client under test publishes through the relay (persistent session, the
// library's thread, automatic reconnection); a witness subscribes to the broker directly.
// Receiving side: a plain publisher feeds the broker directly; the client under test subscribes
// through the relay (persistent session) and records what it is given.
//
// Environment: OUZEL_FAULTS (1000), OUZEL_FAULT_SEED (random; printed), OUZEL_FAULT_SECONDS
// (240: the longest the fault phase may last).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/crash/crash_subscriber_client.h"
#include "tests/fault/fault_relay.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel_fault {
namespace {

using Clock = std::chrono::steady_clock;
using ouzel::fixtures::MosquittoBroker;
using ouzel_crash::Delivery;
using ouzel_crash::WitnessSubscriber;

struct RunParams {
  uint64_t faults = 1000;
  uint64_t seed = 0;
  int seconds = 240;
  uint32_t kinds = 0x1f;  // OUZEL_FAULT_KINDS: a bit per Fault (close 1, reset 2, truncate 4,
                          // duplicate 8, delay 16)
  static RunParams FromEnv() {
    RunParams p;
    if (const char* f = std::getenv("OUZEL_FAULTS")) p.faults = std::strtoull(f, nullptr, 10);
    if (const char* s = std::getenv("OUZEL_FAULT_SEED")) {
      p.seed = std::strtoull(s, nullptr, 10);
    } else {
      p.seed = std::random_device()();
    }
    if (const char* t = std::getenv("OUZEL_FAULT_SECONDS")) p.seconds = std::atoi(t);
    if (const char* k = std::getenv("OUZEL_FAULT_KINDS")) {
      p.kinds = static_cast<uint32_t>(std::strtoul(k, nullptr, 0));
    }
    return p;
  }
};

void Check(int rc, const char* what) {
  ASSERT_EQ(rc, OUZEL_OK) << what << ": " << ouzel_strerror(rc) << " "
                          << ouzel_last_error_message();
}

// A client with a persistent session that reconnects quickly, on the library's thread.
ouzel_client* NewPersistentClient(int port, const std::string& id, int version) {
  ouzel_options* o = nullptr;
  ouzel_options_new(&o);
  const std::string uri = absl::StrCat("mqtt://127.0.0.1:", port);
  ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, uri.data(), uri.size());
  ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, id.data(), id.size());
  ouzel_options_set_int(o, OUZEL_OPT_PROTOCOL_VERSION, version);
  ouzel_options_set_int(o, OUZEL_OPT_CLEAN_START, 0);
  ouzel_options_set_int(o, OUZEL_OPT_KEEPALIVE_SECONDS, 5);
  ouzel_options_set_int(o, OUZEL_OPT_CONNECT_TIMEOUT_MS, 3000);
  ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MIN_DELAY_MS, 5);
  ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MAX_DELAY_MS, 50);
  if (version == OUZEL_MQTT_V5) {
    ouzel_properties* p = nullptr;
    ouzel_properties_new(&p);
    ouzel_properties_set_int(p, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 3600);
    ouzel_options_set_connect_properties(o, p);
    ouzel_properties_free(p);
  }
  ouzel_client* c = nullptr;
  const int rc = ouzel_client_new(&c, o);
  ouzel_options_free(o);
  EXPECT_EQ(rc, OUZEL_OK) << ouzel_last_error_message();
  return rc == OUZEL_OK ? c : nullptr;
}

int64_t Outstanding(ouzel_client* c) {
  int64_t queued = 0, inflight = 0;
  ouzel_client_stat(c, OUZEL_STAT_QUEUED, &queued);
  ouzel_client_stat(c, OUZEL_STAT_INFLIGHT, &inflight);
  return queued + inflight;
}

struct Tally {
  int64_t distinct = 0;
  int64_t qos1_duplicates = 0;
  int64_t qos2_duplicates = 0;
  int64_t duplicates_with_dup_flag = 0;
  std::vector<std::string> qos2_examples;
  std::vector<int64_t> qos2_duplicated;  // numbers delivered more than once at QoS 2
  std::vector<int64_t> missing;
};

Tally Analyse(const std::vector<Delivery>& got, int64_t total) {
  Tally t;
  std::map<int64_t, int> seen;
  std::map<int64_t, size_t> first;  // number -> index of its first delivery
  for (size_t i = 0; i < got.size(); ++i) {
    const Delivery& d = got[i];
    first.emplace(d.number, i);
    if (++seen[d.number] > 1) {
      (d.qos == 2 ? t.qos2_duplicates : t.qos1_duplicates)++;
      if (d.dup) ++t.duplicates_with_dup_flag;
      if (d.qos == 2) {
        t.qos2_duplicated.push_back(d.number);
        if (t.qos2_examples.size() < 5) {
          const size_t f = first[d.number];
          t.qos2_examples.push_back(
              absl::StrCat("#", d.number, ": delivery ", f, " mid ", got[f].mid, " dup ",
                           got[f].dup, ", again at delivery ", i, " mid ", d.mid, " dup ", d.dup));
        }
      }
    }
  }
  t.distinct = static_cast<int64_t>(seen.size());
  for (int64_t k = 0; k < total && t.missing.size() < 20; ++k) {
    if (seen.count(k) == 0) t.missing.push_back(k);
  }
  return t;
}

std::string Join(const std::vector<int64_t>& v) {
  std::string s;
  for (int64_t x : v) absl::StrAppend(&s, s.empty() ? "" : ",", x);
  return s;
}

class FaultStreamTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    params_ = RunParams::FromEnv();
    std::cout << "fault run: " << params_.faults << " faults, seed " << params_.seed << std::endl;
    RecordProperty("seed", std::to_string(params_.seed));
    MosquittoBroker::Options bo;
    // An offline persistent session keeps everything (Mosquitto's default drops after 1,000).
    bo.extra_config = {"max_queued_messages 0"};
    auto b = MosquittoBroker::Start(bo);
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = *std::move(b);
    broker_log_ = std::make_unique<BrokerStreamLog>(GetParam() == OUZEL_MQTT_V5);
    FaultRelayOptions ro;
    ro.broker_log = broker_log_.get();
    ro.target_port = broker_->port();
    ro.seed = params_.seed;
    ro.kinds = params_.kinds;
    relay_ = std::make_unique<FaultRelay>(ro);
    ASSERT_TRUE(relay_->Start().ok());
  }
  void TearDown() override {
    if (relay_ != nullptr) relay_->Stop();
  }

  // Runs `step` until the relay has injected params_.faults faults or the time is up.
  void UntilEnoughFaults(const std::function<void()>& step) {
    const auto limit = Clock::now() + std::chrono::seconds(params_.seconds);
    while (relay_->stats().faults() < params_.faults && Clock::now() < limit) step();
  }

  RunParams params_;
  std::unique_ptr<MosquittoBroker> broker_;
  std::unique_ptr<BrokerStreamLog> broker_log_;
  std::unique_ptr<FaultRelay> relay_;
};

TEST_P(FaultStreamTest, PublishingThroughFaults_NothingLost_Qos2ExactlyOnce) {
  const int version = GetParam();
  WitnessSubscriber witness;
  std::string error;
  ASSERT_TRUE(witness.Start(broker_->port(), version, "fault/#", &error)) << error;
  ouzel_client* c = NewPersistentClient(relay_->port(), "fault-publisher", version);
  ASSERT_NE(c, nullptr);
  Check(ouzel_client_loop_start(c), "loop_start");
  Check(ouzel_client_connect(c), "connect");

  const auto started = Clock::now();
  int64_t next = 0;
  int waits = 0, waits_timed_out = 0;
  double worst_overshoot_ms = 0;
  UntilEnoughFaults([&] {
    if (Outstanding(c) >= 100) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return;
    }
    const int qos = next % 2 == 0 ? 1 : 2;
    const std::string payload = absl::StrCat(next, ":0");
    const char* topic = qos == 1 ? "fault/q1" : "fault/q2";
    uint64_t token = 0;
    const int rc = ouzel_client_publish(c, topic, SIZE_MAX, payload.data(), payload.size(), qos, 0,
                                        nullptr, &token, nullptr);
    ASSERT_EQ(rc, OUZEL_OK) << ouzel_last_error_message();
    ++next;
    if (next % 97 == 0) {
      // A bounded wait must come back within its timeout whatever the network does.
      constexpr int kTimeoutMs = 300;
      const auto t0 = Clock::now();
      const int w = ouzel_client_wait_for_publish(c, token, kTimeoutMs);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      ++waits;
      if (w == OUZEL_ETIMEDOUT) ++waits_timed_out;
      EXPECT_TRUE(w == OUZEL_OK || w == OUZEL_ETIMEDOUT) << ouzel_strerror(w);
      worst_overshoot_ms = std::max(worst_overshoot_ms, ms - kTimeoutMs);
    }
  });
  const uint64_t faults = relay_->stats().faults();
  relay_->set_paused(true);  // let everything drain
  const auto drain_limit = Clock::now() + std::chrono::seconds(60);
  while (Outstanding(c) > 0 && Clock::now() < drain_limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(Outstanding(c), 0) << "messages still unacknowledged 60 s after the faults stopped";
  witness.WaitFor(
      [&](const std::vector<Delivery>& d) {
        std::set<int64_t> s;
        for (const Delivery& x : d) s.insert(x.number);
        return static_cast<int64_t>(s.size()) >= next;
      },
      60000);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // late duplicates show up too
  const Tally t = Analyse(witness.deliveries(), next);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  int64_t reconnects = 0;
  ouzel_client_stat(c, OUZEL_STAT_RECONNECTS, &reconnects);
  std::cout << "fault publisher (MQTT level " << version << "): " << relay_->stats().ToString()
            << "; published " << next << ", distinct received " << t.distinct
            << ", QoS 1 duplicates " << t.qos1_duplicates << ", QoS 2 duplicates "
            << t.qos2_duplicates << ", reconnects " << reconnects << ", bounded waits " << waits
            << " (" << waits_timed_out << " timed out, worst overshoot " << worst_overshoot_ms
            << " ms), " << seconds << " s" << std::endl;
  RecordProperty("faults", std::to_string(faults));
  RecordProperty("published", std::to_string(next));
  EXPECT_GE(faults, params_.faults) << "the run ended on time before enough faults";
  EXPECT_EQ(t.distinct, next) << "missing: " << Join(t.missing);
  EXPECT_EQ(t.qos2_duplicates, 0);
  EXPECT_LT(worst_overshoot_ms, 250) << "a bounded wait overran its timeout";
  ouzel_client_disconnect(c, 0, nullptr);
  ouzel_client_loop_stop(c);
  ouzel_client_free(c);
}

TEST_P(FaultStreamTest, ReceivingThroughFaults_NothingLost_Qos2ExactlyOnce) {
  const int version = GetParam();
  // The subject subscribes through the relay with a persistent session.
  WitnessSubscriber subject;
  std::string error;
  relay_->set_paused(true);  // subscribe first, then the faults begin
  ASSERT_TRUE(subject.Start(relay_->port(), version, "faultin/#", &error)) << error;
  relay_->set_paused(false);
  ouzel_client* pub = NewPersistentClient(broker_->port(), "fault-feeder", version);
  ASSERT_NE(pub, nullptr);
  Check(ouzel_client_loop_start(pub), "loop_start");
  Check(ouzel_client_connect(pub), "connect");

  const auto started = Clock::now();
  int64_t next = 0;
  UntilEnoughFaults([&] {
    // The feeder stays at most 300 messages ahead of the subject, so the run measures faults,
    // not how fast a broker can queue for a subscriber that cannot keep up.
    if (Outstanding(pub) >= 100 || next - static_cast<int64_t>(subject.distinct()) > 300) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return;
    }
    const int qos = next % 2 == 0 ? 1 : 2;
    const std::string payload = absl::StrCat(next, ":0");
    const char* topic = qos == 1 ? "faultin/q1" : "faultin/q2";
    ASSERT_EQ(ouzel_client_publish(pub, topic, SIZE_MAX, payload.data(), payload.size(), qos, 0,
                                   nullptr, nullptr, nullptr),
              OUZEL_OK)
        << ouzel_last_error_message();
    ++next;
  });
  const uint64_t faults = relay_->stats().faults();
  relay_->set_paused(true);
  subject.WaitFor(
      [&](const std::vector<Delivery>& d) {
        std::set<int64_t> s;
        for (const Delivery& x : d) s.insert(x.number);
        return static_cast<int64_t>(s.size()) >= next;
      },
      60000);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  relay_->Stop();  // the broker log is complete
  const Tally t = Analyse(subject.deliveries(), next);
  // A QoS 2 duplicate is the client's fault unless the broker itself sent that PUBLISH again
  // after its PUBREL (see broker_stream_log.h): the client had completed and forgotten it.
  const std::set<std::string> resent = broker_log_->Qos2PublishedAgainAfterPubrel();
  std::vector<int64_t> client_made;
  for (int64_t n : t.qos2_duplicated) {
    if (resent.count(absl::StrCat(n, ":0")) == 0) client_made.push_back(n);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "fault receiver (MQTT level " << version << "): " << relay_->stats().ToString()
            << "; published " << next << ", distinct received " << t.distinct
            << ", QoS 1 duplicates " << t.qos1_duplicates << ", QoS 2 duplicates "
            << t.qos2_duplicates << " (" << client_made.size()
            << " not explained by the broker sending a PUBLISH again after its PUBREL, which it "
            << "did for " << resent.size() << " messages), " << seconds << " s" << std::endl;
  for (const std::string& e : t.qos2_examples) std::cout << "  QoS 2 duplicate " << e << std::endl;
  RecordProperty("faults", std::to_string(faults));
  RecordProperty("broker_qos2_resent_after_pubrel", std::to_string(resent.size()));
  EXPECT_GE(faults, params_.faults) << "the run ended on time before enough faults";
  EXPECT_EQ(t.distinct, next) << "missing: " << Join(t.missing);
  EXPECT_TRUE(client_made.empty())
      << client_made.size() << " QoS 2 duplicates the broker did not cause, e.g. #"
      << (client_made.empty() ? -1 : client_made[0]);
  ouzel_client_disconnect(pub, 0, nullptr);
  ouzel_client_loop_stop(pub);
  ouzel_client_free(pub);
}

INSTANTIATE_TEST_SUITE_P(Versions, FaultStreamTest,
                         ::testing::Values(OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == OUZEL_MQTT_V5 ? "V5" : "V311";
                         });

}  // namespace
}  // namespace ouzel_fault
