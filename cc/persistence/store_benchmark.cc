// QoS 1 publish throughput to a local Mosquitto with each session store: none, MemoryStore,
// FileStore (kInterval, kEveryWrite, kNever). Same broker, same run, rounds interleaved so machine
// noise hits every configuration alike; the median of the rounds is reported with its ratio to
// MemoryStore.
//
//   bazel run -c opt //cc/persistence:store_benchmark -- [messages] [window] [rounds] [dir]
//
// `window`: messages published and not yet acknowledged, at most. `dir`: where the FileStore
// writes (default: TEST_TMPDIR or /tmp); put it on the disk you care about, fdatasync costs
// depend on it.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/client/client.h"
#include "cc/persistence/file_store.h"
#include "cc/persistence/memory_store.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

struct Config {
  std::string name;
  // Makes the store for one run (null: none). `syncs` receives the FileStore's sync count.
  std::function<absl::StatusOr<std::shared_ptr<SessionStore>>()> make;
};

struct Result {
  double msgs_per_s = 0;
  uint64_t syncs = 0;
  uint64_t writes = 0;
};

absl::StatusOr<Result> Run(int port, const Config& config, int messages, int window, int round) {
  ClientOptions o;
  o.servers = {absl::StrCat("mqtt://127.0.0.1:", port)};
  o.session.client_id = absl::StrCat("store-bench-", config.name, "-", round);
  o.session.version = ProtocolVersion::kV5;
  o.session.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  o.session.max_inflight = 0;  // the window below is the only limit
  absl::StatusOr<std::shared_ptr<SessionStore>> store = config.make();
  if (!store.ok()) return store.status();
  o.shared_store = *store;
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(o);
  if (!client.ok()) return client.status();
  std::atomic<int> done{0};
  std::atomic<int> failed{0};
  std::atomic<bool> connected{false};
  (*client)->SetOnPublish([&](const PublishDoneEvent& e) {
    if (e.status.state != DeliveryState::kAcknowledged) failed.fetch_add(1);
    done.fetch_add(1, std::memory_order_relaxed);
  });
  (*client)->SetOnConnect([&](const ConnectedEvent&) { connected = true; });
  if (absl::Status s = (*client)->ConnectAsync(); !s.ok()) return s;
  if (absl::Status s = (*client)->LoopStart(); !s.ok()) return s;
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!connected.load() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  if (!connected.load()) return absl::DeadlineExceededError("not connected");

  const std::string payload(64, 'x');
  const absl::Time t0 = absl::Now();
  for (int i = 0; i < messages; ++i) {
    while (i - done.load(std::memory_order_relaxed) >= window) {
      absl::SleepFor(absl::Microseconds(20));
    }
    absl::StatusOr<MessageToken> t = (*client)->Publish("bench/store", payload, 1);
    if (!t.ok()) return t.status();
  }
  deadline = absl::Now() + absl::Seconds(300);
  while (done.load() < messages && absl::Now() < deadline) absl::SleepFor(absl::Microseconds(100));
  const absl::Duration wall = absl::Now() - t0;
  if (done.load() < messages || failed.load() > 0) {
    return absl::InternalError(absl::StrCat(done.load(), " done, ", failed.load(), " failed"));
  }
  Result r;
  r.msgs_per_s = messages / absl::ToDoubleSeconds(wall);
  if (auto* fs = dynamic_cast<FileStore*>(store->get())) {
    r.syncs = fs->stats().syncs;
    r.writes = fs->stats().writes;
  }
  (*client)->Disconnect().IgnoreError();
  absl::SleepFor(absl::Milliseconds(20));
  (*client)->LoopStop().IgnoreError();
  return r;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int Main(int argc, char** argv) {
  const int messages = argc > 1 ? std::atoi(argv[1]) : 50000;
  const int window = argc > 2 ? std::atoi(argv[2]) : 100;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string base = argc > 4 ? argv[4] : (tmp != nullptr ? tmp : "/tmp");
  const std::string dir = absl::StrCat(base, "/ouzel-store-bench-", getpid());

  fixtures::MosquittoBroker::Options bo;
  bo.extra_config = {"max_queued_messages 0", "max_inflight_messages 0"};
  absl::StatusOr<std::unique_ptr<fixtures::MosquittoBroker>> broker =
      fixtures::MosquittoBroker::Start(bo);
  if (!broker.ok()) {
    std::fprintf(stderr, "%s\n", broker.status().ToString().c_str());
    return 1;
  }

  int run_id = 0;
  const auto file = [&](SyncPolicy policy) {
    return [&, policy]() -> absl::StatusOr<std::shared_ptr<SessionStore>> {
      FileStoreOptions fo;
      fo.directory = dir;
      fo.session_key = absl::StrCat("bench-", ++run_id);  // a fresh log each run
      fo.sync_policy = policy;
      fo.sync_interval = absl::Milliseconds(100);
      absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(fo);
      if (!s.ok()) return s.status();
      return std::shared_ptr<SessionStore>(*std::move(s));
    };
  };
  const std::vector<Config> configs = {
      {"none", [] { return absl::StatusOr<std::shared_ptr<SessionStore>>(nullptr); }},
      {"memory", [] { return std::shared_ptr<SessionStore>(std::make_shared<MemoryStore>()); }},
      {"file-interval-100ms", file(SyncPolicy::kInterval)},
      {"file-every-write", file(SyncPolicy::kEveryWrite)},
      {"file-never", file(SyncPolicy::kNever)},
  };
  std::vector<std::vector<double>> rates(configs.size());
  std::vector<Result> last(configs.size());
  for (int round = 0; round < rounds; ++round) {
    for (size_t c = 0; c < configs.size(); ++c) {
      absl::StatusOr<Result> r = Run((*broker)->port(), configs[c], messages, window, round);
      if (!r.ok()) {
        std::fprintf(stderr, "%s: %s\n", configs[c].name.c_str(), r.status().ToString().c_str());
        return 1;
      }
      rates[c].push_back(r->msgs_per_s);
      last[c] = *r;
    }
  }
  std::printf("QoS 1, %d messages of 64 bytes, window %d, median of %d rounds, store in %s\n",
              messages, window, rounds, dir.c_str());
  const double memory = Median(rates[1]);
  for (size_t c = 0; c < configs.size(); ++c) {
    const double m = Median(rates[c]);
    std::printf("  %-22s %9.0f msg/s  %5.2fx memory", configs[c].name.c_str(), m, m / memory);
    if (last[c].writes > 0) {
      std::printf("  (last run: %llu writes, %llu syncs)",
                  static_cast<unsigned long long>(last[c].writes),
                  static_cast<unsigned long long>(last[c].syncs));
    }
    std::printf("\n");
  }
  for (int i = 1; i <= run_id; ++i) {
    FileStore::Destroy(dir, absl::StrCat("bench-", i)).IgnoreError();
  }
  return 0;
}

}  // namespace
}  // namespace ouzel

int main(int argc, char** argv) { return ouzel::Main(argc, argv); }
