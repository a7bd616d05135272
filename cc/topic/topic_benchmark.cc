// Benchmarks for topic matching and the subscription index.
//
//   bazel run -c opt //cc/topic:topic_benchmark
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "cc/topic/subscription_index.h"
#include "cc/topic/topic.h"

namespace ouzel {
namespace {

constexpr int kFilterCount = 100000;

void BM_TopicMatchesFilter(benchmark::State& state, const char* filter_chars,
                           const char* topic_chars) {
  const absl::string_view filter = filter_chars;
  const absl::string_view topic = topic_chars;
  for (auto _ : state) {
    benchmark::DoNotOptimize(TopicMatchesFilter(filter, topic));
  }
}
BENCHMARK_CAPTURE(BM_TopicMatchesFilter, literal_hit, "site/42/device/4242/temp",
                  "site/42/device/4242/temp");
BENCHMARK_CAPTURE(BM_TopicMatchesFilter, literal_miss_first_level, "site/42/device/4242/temp",
                  "home/42/device/4242/temp");
BENCHMARK_CAPTURE(BM_TopicMatchesFilter, plus_hit, "site/+/device/+/temp",
                  "site/42/device/4242/temp");
BENCHMARK_CAPTURE(BM_TopicMatchesFilter, hash_hit, "site/42/#", "site/42/device/4242/temp");
BENCHMARK_CAPTURE(BM_TopicMatchesFilter, shared_plus_hit, "$share/g/site/+/device/#",
                  "site/42/device/4242/temp");
BENCHMARK_CAPTURE(BM_TopicMatchesFilter, dollar_rule_miss, "#", "$SYS/broker/uptime");

void BM_ValidateTopicFilter(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(ValidateTopicFilter("site/+/device/4242/#"));
  }
}
BENCHMARK(BM_ValidateTopicFilter);

// A realistic mix: mostly per-device literal filters, some per-device wildcards, a few broad ones.
std::vector<std::string> MakeFilters() {
  std::vector<std::string> filters;
  filters.reserve(kFilterCount);
  for (int i = 0; filters.size() < kFilterCount - 3; ++i) {
    const int site = i % 100;
    switch (i % 10) {
      case 7:
        filters.push_back(absl::StrCat("site/", site, "/device/", i, "/+"));
        break;
      case 8:
        filters.push_back(absl::StrCat("site/+/device/", i, "/temp"));
        break;
      case 9:
        filters.push_back(absl::StrCat("site/", site, "/device/", i, "/#"));
        break;
      default:
        filters.push_back(absl::StrCat("site/", site, "/device/", i, "/temp"));
    }
  }
  filters.emplace_back("site/+/device/+/temp");
  filters.emplace_back("site/#");
  filters.emplace_back("$SYS/#");
  return filters;
}

const SubscriptionIndex& FullIndex() {
  static const SubscriptionIndex* index = [] {
    auto* built = new SubscriptionIndex;
    uint64_t id = 0;
    for (const std::string& filter : MakeFilters()) {
      if (!built->Add(filter, id++).ok()) std::abort();
    }
    return built;
  }();
  return *index;
}

std::vector<std::string> MakeTopics(const char* device_suffix, bool known_device) {
  std::mt19937 rng(1);
  std::vector<std::string> topics;
  for (int i = 0; i < 1024; ++i) {
    const int device = rng() % kFilterCount + (known_device ? 0 : kFilterCount);
    topics.push_back(absl::StrCat("site/", device % 100, "/device/", device, device_suffix));
  }
  return topics;
}

void MatchTopics(benchmark::State& state, const std::vector<std::string>& topics) {
  const SubscriptionIndex& index = FullIndex();
  std::vector<uint64_t> ids;
  size_t matched = 0;
  size_t i = 0;
  for (auto _ : state) {
    ids.clear();
    index.Match(topics[i++ & 1023], &ids);
    matched += ids.size();
    benchmark::DoNotOptimize(ids.data());
  }
  state.counters["ids_per_match"] =
      static_cast<double>(matched) / static_cast<double>(state.iterations());
}

void BM_IndexMatch_100kFilters_DeviceTopic(benchmark::State& state) {
  static const std::vector<std::string>* topics =
      new std::vector<std::string>(MakeTopics("/temp", true));
  MatchTopics(state, *topics);
}
BENCHMARK(BM_IndexMatch_100kFilters_DeviceTopic);

void BM_IndexMatch_100kFilters_UnknownDevice(benchmark::State& state) {
  static const std::vector<std::string>* topics =
      new std::vector<std::string>(MakeTopics("/temp", false));
  MatchTopics(state, *topics);
}
BENCHMARK(BM_IndexMatch_100kFilters_UnknownDevice);

void BM_IndexMatch_100kFilters_DeepTopic(benchmark::State& state) {
  static const std::vector<std::string>* topics =
      new std::vector<std::string>(MakeTopics("/temp/raw/celsius/x", true));
  MatchTopics(state, *topics);
}
BENCHMARK(BM_IndexMatch_100kFilters_DeepTopic);

void BM_IndexMatch_100kFilters_DollarTopic(benchmark::State& state) {
  MatchTopics(state, std::vector<std::string>(1024, "$SYS/broker/clients/connected"));
}
BENCHMARK(BM_IndexMatch_100kFilters_DollarTopic);

// Cost of one Add, averaged over filling an index with the 100,000-filter mix.
void BM_IndexAdd_100kFilterMix(benchmark::State& state) {
  const std::vector<std::string> filters = MakeFilters();
  SubscriptionIndex index;
  size_t i = 0;
  for (auto _ : state) {
    if (i == filters.size()) {
      state.PauseTiming();
      index.Clear();
      i = 0;
      state.ResumeTiming();
    }
    if (!index.Add(filters[i], i).ok()) std::abort();
    ++i;
  }
}
BENCHMARK(BM_IndexAdd_100kFilterMix);

// Cost of Remove, which also prunes the branches it empties.
void BM_IndexAddThenRemove_100kFilterMix(benchmark::State& state) {
  const std::vector<std::string> filters = MakeFilters();
  SubscriptionIndex index;
  for (size_t i = 0; i < filters.size(); ++i) {
    if (!index.Add(filters[i], i).ok()) std::abort();
  }
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % filters.size();
    if (!index.Remove(filters[k], k)) std::abort();
    if (!index.Add(filters[k], k).ok()) std::abort();
  }
}
BENCHMARK(BM_IndexAddThenRemove_100kFilterMix);

}  // namespace
}  // namespace ouzel
