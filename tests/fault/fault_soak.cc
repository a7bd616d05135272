// The soak (issue 17): a publishing client process runs for a long time through the fault relay,
// with about one fault a second, while this harness samples the client's resident memory and open
// descriptors once a second. Not a test (it takes minutes and is not run by CI): scripts/soak runs
// it and plots what it wrote.
//
//   fault_soak <crash_publisher> <csv> [seconds=600] [interval_ms=1000] [version=5]
//
// The client is tests/crash/crash_publisher (ouzel.h only, a durable session in a persistence
// directory, numbered QoS 1 and QoS 2 messages, at most 200 unacknowledged), connecting to
// 127.0.0.1 through a FaultRelay in front of a real Mosquitto; a witness subscribes to the broker
// directly. The CSV has one line a second: elapsed seconds, the client's VmRSS (KiB), its open
// descriptors, faults injected so far, distinct messages the witness received so far. At the end
// faults stop, the client gets 20 s to catch up, and the summary says whether every message it
// had published by then reached the witness.
#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "ouzel.h"
#include "tests/crash/crash_subscriber_client.h"
#include "tests/crash/crash_util.h"
#include "tests/fault/fault_relay.h"
#include "tests/fixtures/fixture_util.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel_fault {
namespace {

using Clock = std::chrono::steady_clock;

// VmRSS of `pid` in KiB, or -1.
int64_t RssKib(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      int64_t kib = -1;
      std::string digits;
      for (char c : line) {
        if (c >= '0' && c <= '9') digits.push_back(c);
      }
      return absl::SimpleAtoi(digits, &kib) ? kib : -1;
    }
  }
  return -1;
}

// Entries of /proc/<pid>/fd, or -1.
int OpenDescriptors(pid_t pid) {
  DIR* d = opendir(absl::StrCat("/proc/", pid, "/fd").c_str());
  if (d == nullptr) return -1;
  int n = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(d);
  return n;
}

int64_t ReadNumber(const std::string& path) {
  std::ifstream in(path);
  int64_t v = 0;
  in >> v;
  return v;
}

int Run(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: fault_soak <crash_publisher> <csv> [seconds] [interval_ms] [version]\n";
    return 2;
  }
  const std::string publisher = ouzel_crash::Absolute(argv[1]);
  const std::string csv_path = argv[2];
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 600;
  const int interval_ms = argc > 4 ? std::atoi(argv[4]) : 1000;
  const int version = argc > 5 ? std::atoi(argv[5]) : OUZEL_MQTT_V5;

  ouzel::fixtures::MosquittoBroker::Options bo;
  bo.extra_config = {"max_queued_messages 0"};
  auto broker = ouzel::fixtures::MosquittoBroker::Start(bo);
  if (!broker.ok()) {
    std::cerr << broker.status() << "\n";
    return 1;
  }
  FaultRelayOptions ro;
  ro.target_port = (*broker)->port();
  ro.seed = 17;
  ro.min_bytes = 200;
  ro.max_bytes = 2000;
  ro.min_interval_ms = interval_ms;
  FaultRelay relay(ro);
  if (!relay.Start().ok()) return 1;

  ouzel_crash::WitnessSubscriber witness;
  std::string error;
  if (!witness.Start((*broker)->port(), version, "crash/#", &error)) {
    std::cerr << "witness: " << error << "\n";
    return 1;
  }
  auto dir = ouzel::fixtures::MakeTempDir("ouzel-soak-");
  if (!dir.ok()) return 1;
  const std::string state = *dir + "/state";
  ouzel_crash::ChildLog log(*dir + "/publisher.log");
  auto pid = ouzel_crash::SpawnChild(
      {publisher, absl::StrCat(relay.port()), *dir + "/store", state, "1000000000", "0",
       absl::StrCat(version), absl::StrCat(OUZEL_SYNC_INTERVAL)},
      log);
  if (!pid.ok()) {
    std::cerr << pid.status() << "\n";
    return 1;
  }

  std::ofstream csv(csv_path);
  csv << "seconds,rss_kib,fds,faults,received\n";
  const auto start = Clock::now();
  for (int s = 1; s <= seconds; ++s) {
    std::this_thread::sleep_until(start + std::chrono::seconds(s));
    int status = 0;
    if (ouzel_crash::ChildExited(*pid, &status)) {
      std::cerr << "the publisher exited early:\n" << log.Contents() << "\n";
      return 1;
    }
    csv << s << "," << RssKib(*pid) << "," << OpenDescriptors(*pid) << "," << relay.stats().faults()
        << "," << witness.distinct() << "\n";
    csv.flush();
  }
  relay.set_paused(true);
  std::this_thread::sleep_for(std::chrono::seconds(20));  // catch up without faults
  ouzel_crash::KillChild(*pid);
  const int64_t published = ReadNumber(state);  // messages 0..published-1 were accepted
  std::vector<bool> seen(static_cast<size_t>(published), false);
  for (const ouzel_crash::Delivery& d : witness.deliveries()) {
    if (d.number >= 0 && d.number < published) seen[static_cast<size_t>(d.number)] = true;
  }
  int64_t missing = 0;
  for (bool b : seen) missing += b ? 0 : 1;
  std::cout << "soak: " << seconds << " s, " << relay.stats().ToString() << ", "
            << relay.stats().connections.load() << " connections; " << published
            << " messages published, " << witness.distinct() << " distinct received, " << missing
            << " of the published not received" << std::endl;
  ouzel::fixtures::RemoveTree(*dir).IgnoreError();
  return missing == 0 ? 0 : 3;
}

}  // namespace
}  // namespace ouzel_fault

int main(int argc, char** argv) { return ouzel_fault::Run(argc, argv); }
