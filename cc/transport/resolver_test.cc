#include "cc/transport/resolver.h"

#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace ouzel {
namespace {

std::vector<std::string> Strings(const std::vector<ResolvedAddress>& v) {
  std::vector<std::string> out;
  for (const ResolvedAddress& a : v) out.push_back(a.ToString());
  return out;
}

absl::StatusOr<std::vector<ResolvedAddress>> ResolveNow(Resolver& r, absl::string_view host,
                                                        uint16_t port) {
  auto job = r.Start(host, port, nullptr);
  if (!job.ok()) return job.status();
  auto result = (*job)->TakeResult();
  if (!result) return absl::InternalError("not ready at once");
  return *result;
}

TEST(ResolverTest, LiteralsAreAnsweredAtOnceWithoutAThread) {
  auto v4 = ResolveNow(*SystemResolver(), "127.0.0.1", 1883);
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(Strings(*v4), std::vector<std::string>{"127.0.0.1:1883"});
  auto v6 = ResolveNow(*SystemResolver(), "::1", 8883);
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(Strings(*v6), std::vector<std::string>{"[::1]:8883"});
}

TEST(ResolverTest, LocalhostIsIpv6LoopbackThenIpv4LoopbackWhateverHostsSays) {
  for (absl::string_view name : {"localhost", "LOCALHOST", "localhost.", "broker.localhost"}) {
    auto r = ResolveNow(*SystemResolver(), name, 1883);
    ASSERT_TRUE(r.ok()) << name << ": " << r.status();
    EXPECT_EQ(Strings(*r), (std::vector<std::string>{"[::1]:1883", "127.0.0.1:1883"})) << name;
  }
}

bool InEtcHosts(const std::string& name) {
  std::ifstream hosts("/etc/hosts");
  std::string line;
  while (std::getline(hosts, line)) {
    if (line.find(name) != std::string::npos && line[0] != '#') return true;
  }
  return false;
}

TEST(ResolverTest, NamesResolveOnAHelperThreadAndWakeTheLoop) {
  char name[256] = {0};
  ASSERT_EQ(gethostname(name, sizeof(name) - 1), 0);
  if (!InEtcHosts(name)) GTEST_SKIP() << "host name '" << name << "' is not in /etc/hosts";
  std::shared_ptr<Waker> waker = *Waker::Create();
  auto job = SystemResolver()->Start(name, 1883, waker);
  ASSERT_TRUE(job.ok()) << job.status();
  pollfd p{waker->fd(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 10000), 1) << "the lookup never woke the loop";
  EXPECT_TRUE(waker->Consume());
  auto result = (*job)->TakeResult();
  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(result->ok()) << result->status();
  EXPECT_FALSE((*result)->empty());
  EXPECT_FALSE((*job)->TakeResult().has_value()) << "a result is handed out once";
}

TEST(ResolverTest, AbandonedLookupIsHarmless) {
  char name[256] = {0};
  ASSERT_EQ(gethostname(name, sizeof(name) - 1), 0);
  std::shared_ptr<Waker> waker = *Waker::Create();
  { auto job = SystemResolver()->Start(name, 1883, waker); }
  // The helper thread still holds the waker and its state; polling shows it finishing cleanly.
  pollfd p{waker->fd(), POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 10000), 1);
}

TEST(ResolverTest, FixedResolverAnswersFromItsTableInOrder) {
  FixedResolver r;
  r.Add("Broker", {"::1", "127.0.0.1", "10.0.0.1"});
  auto a = ResolveNow(r, "broker", 1);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(Strings(*a), (std::vector<std::string>{"[::1]:1", "127.0.0.1:1", "10.0.0.1:1"}));
  auto missing = r.Start("other", 1, nullptr);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(ResolverTest, UnknownNameIsNotFoundWithTheName) {
  FixedResolver r;  // no fallback: never touches DNS
  auto job = r.Start("no-such-host.invalid", 1, nullptr);
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("no-such-host.invalid"), absl::string_view::npos);
}

}  // namespace
}  // namespace ouzel
