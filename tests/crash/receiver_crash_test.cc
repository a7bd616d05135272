// The receiving side across crashes: a child process (crash_receiver.c, ouzel.h only, with
// OUZEL_OPT_PERSISTENCE_DIR and a persistent session) is killed with SIGKILL inside the QoS 2
// window between its PUBREC and the broker's PUBREL, and restarted; the QoS 2 message must not be
// delivered to it twice (nor lost). Its deliveries are recorded in a file with fdatasync before it
// acknowledges (manual ack) or, when messages are held until PUBREL, when they are delivered.
//
// The broker is ScriptedFakeBroker, a TEST DOUBLE, because the window has to be held open on
// purpose: a real broker sends PUBREL as soon as it has the PUBREC and cannot be told to wait. The
// fake plays a broker's side of a persistent session: for each round it sends a QoS 2 PUBLISH,
// waits for PUBREC, then withholds PUBREL while the child is killed at a random moment (a seeded
// delay of 0..40 ms), accepts the restarted child with Session Present 1, sometimes re-sends the
// PUBLISH with DUP (as a broker that missed the PUBREC would), then sends PUBREL and expects
// PUBCOMP. Seeded (OUZEL_CRASH_SEED, printed); rounds: OUZEL_CRASH_ROUNDS (12).
//
// Usage (from BUILD.bazel): receiver_crash_test <crash_receiver binary>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/crash/crash_util.h"
#include "tests/fixtures/fake_broker.h"
#include "tests/fixtures/fixture_util.h"

namespace ouzel_crash {
namespace {

using ouzel::ConnackPacket;
using ouzel::ConnectPacket;
using ouzel::Packet;
using ouzel::PacketType;
using ouzel::PubcompPacket;
using ouzel::PublishPacket;
using ouzel::PubrecPacket;
using ouzel::PubrelPacket;
using ouzel::fixtures::ScriptedFakeBroker;

std::string g_receiver;

int Rounds() {
  const char* v = std::getenv("OUZEL_CRASH_ROUNDS");
  int n = 0;
  return v != nullptr && absl::SimpleAtoi(v, &n) && n > 0 ? n : 12;
}

// The predicate for an acknowledgement of `id`.
template <typename Ack>
ScriptedFakeBroker::Predicate AckOf(uint16_t id) {
  return [id](const Packet& p) {
    const Ack* a = std::get_if<Ack>(&p);
    return a != nullptr && a->packet_id == id;
  };
}

ScriptedFakeBroker::Predicate ResumingConnect() {
  return [](const Packet& p) {
    const ConnectPacket* c = std::get_if<ConnectPacket>(&p);
    return c != nullptr && !c->clean_start && c->client_id == "crash-receiver";
  };
}

PublishPacket Message(int round, bool dup) {
  PublishPacket p;
  p.topic = "crash/in";
  p.payload = absl::StrCat("m", round);
  p.qos = 2;
  p.packet_id = static_cast<uint16_t>(round + 1);
  p.dup = dup;
  return p;
}

template <typename Ack>
Ack MakeAck(uint16_t id) {
  Ack a;
  a.packet_id = id;
  return a;
}

class ReceiverCrashTest : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(ReceiverCrashTest, KilledBetweenPubrecAndPubrel_Qos2DeliveredExactlyOnce) {
  ASSERT_FALSE(g_receiver.empty());
  const std::string mode = std::get<0>(GetParam());
  const int version = std::get<1>(GetParam());
  const CrashParams params = CrashParams::FromEnv(0);
  const int rounds = Rounds();
  std::cout << "receiver crash harness (" << mode << ", MQTT level " << version
            << "): rounds=" << rounds << " seed=" << params.seed
            << " (replay: --test_env=OUZEL_CRASH_SEED=" << params.seed << ")" << std::endl;
  RecordProperty("seed", std::to_string(params.seed));
  std::mt19937_64 rng(params.seed);

  absl::StatusOr<std::string> dir = ouzel::fixtures::MakeTempDir("crash-recv-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string deliveries = *dir + "/deliveries";
  ChildLog log(*dir + "/children.log");

  ScriptedFakeBroker::Options fo;
  fo.auto_pingresp = true;
  fo.step_timeout = absl::Seconds(20);  // a child restart under ASan on a loaded machine
  fo.accept_timeout = absl::Seconds(20);
  auto fake = ScriptedFakeBroker::Create(fo);
  ASSERT_TRUE(fake.ok()) << fake.status();
  ScriptedFakeBroker& b = **fake;

  std::atomic<pid_t> child{0};
  int resent_publish = 0;
  b.ExpectPacket(PacketType::kConnect).Send(ConnackPacket{false, 0, {}});
  std::uniform_int_distribution<int> delay_ms(0, 40);
  for (int r = 0; r < rounds; ++r) {
    const uint16_t id = static_cast<uint16_t>(r + 1);
    b.Send(Message(r, false)).ExpectPacket(PacketType::kPubrec, AckOf<PubrecPacket>(id));
    // PUBREL withheld: the child dies somewhere in the window.
    b.Delay(absl::Milliseconds(delay_ms(rng)));
    b.Invoke("SIGKILL the child", [&child] {
      return kill(child.load(), SIGKILL) == 0 ? absl::OkStatus()
                                              : absl::InternalError("kill failed");
    });
    b.AcceptNext().ExpectPacket(PacketType::kConnect, ResumingConnect());
    b.Send(ConnackPacket{true, 0, {}});
    if (rng() % 2 == 0) {
      // A broker that did not see the PUBREC sends the PUBLISH again, DUP set, same id.
      ++resent_publish;
      b.Send(Message(r, true)).ExpectPacket(PacketType::kPubrec, AckOf<PubrecPacket>(id));
    }
    b.Send(MakeAck<PubrelPacket>(id)).ExpectPacket(PacketType::kPubcomp, AckOf<PubcompPacket>(id));
  }
  // Time for a late, wrong second delivery to show up in the file.
  b.ExpectNoPacket(absl::Milliseconds(300));
  ASSERT_TRUE(b.Start().ok());

  auto spawn = [&](int incarnation) {
    absl::StatusOr<pid_t> pid = SpawnChild({g_receiver, std::to_string(b.port()), *dir + "/store",
                                            deliveries, mode, std::to_string(version)},
                                           log);
    if (pid.ok()) child.store(*pid);
    return pid.status();
  };
  ASSERT_TRUE(spawn(0).ok());
  int kills = 0;
  for (int r = 0; r < rounds; ++r) {
    // The script kills the child; a new incarnation takes over.
    absl::StatusOr<int> status = WaitChild(child.load(), absl::Seconds(60));
    ASSERT_TRUE(status.ok()) << "round " << r << ": the child was not killed\n"
                             << b.Transcript() << "\n--- children ---\n"
                             << log.Contents();
    ASSERT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
        << "round " << r << ": " << ouzel::fixtures::DescribeWaitStatus(*status)
        << "\n--- children ---\n"
        << log.Contents();
    ++kills;
    ASSERT_TRUE(spawn(r + 1).ok());
  }
  absl::Status script = b.Finish(absl::Seconds(60));
  KillChild(child.load());
  EXPECT_TRUE(script.ok()) << script << "\n--- children ---\n" << log.Contents();

  absl::StatusOr<std::string> got = ouzel::fixtures::ReadFile(deliveries);
  ASSERT_TRUE(got.ok()) << got.status();
  std::map<std::string, int> count;
  for (absl::string_view line : absl::StrSplit(*got, '\n', absl::SkipEmpty())) {
    ++count[std::string(line)];
  }
  int duplicates = 0;
  for (int r = 0; r < rounds; ++r) {
    const int n = count[absl::StrCat("m", r)];
    EXPECT_EQ(n, 1) << "message m" << r << " delivered " << n << " times";
    if (n > 1) duplicates += n - 1;
  }
  EXPECT_EQ(count.size(), static_cast<size_t>(rounds)) << *got;
  std::cout << "receiver crash counts (" << mode << ", MQTT level " << version << "): messages "
            << rounds << ", deliveries recorded " << std::count(got->begin(), got->end(), '\n')
            << ", duplicates " << duplicates << ", kills " << kills << ", PUBLISH re-sent after "
            << resent_publish << " of them" << std::endl;
  RecordProperty("kills", std::to_string(kills));
  if (HasFailure()) std::cout << b.Transcript() << "\n" << log.Contents() << std::endl;
  ouzel::fixtures::RemoveTree(*dir).IgnoreError();
}

INSTANTIATE_TEST_SUITE_P(ModesAndVersions, ReceiverCrashTest,
                         ::testing::Combine(::testing::Values("manual", "pubrel"),
                                            ::testing::Values(OUZEL_MQTT_V311, OUZEL_MQTT_V5)),
                         [](const ::testing::TestParamInfo<ReceiverCrashTest::ParamType>& info) {
                           return std::get<0>(info.param) +
                                  (std::get<1>(info.param) == OUZEL_MQTT_V5 ? "_V5" : "_V311");
                         });

}  // namespace
}  // namespace ouzel_crash

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <crash_receiver>" << std::endl;
    return 2;
  }
  ouzel_crash::g_receiver = ouzel_crash::Absolute(argv[1]);
  return RUN_ALL_TESTS();
}
