#include "tools/ouzel/bench/bench_report.h"

#include <cstring>

namespace ouzel_cli {
namespace {

const char* ModeName(BenchMode m) {
  switch (m) {
    case BenchMode::kConn:
      return "conn";
    case BenchMode::kPub:
      return "pub";
    default:
      return "sub";
  }
}

// What the latency figures measure in each mode.
const char* LatencyMeaning(BenchMode m, int qos) {
  switch (m) {
    case BenchMode::kConn:
      return "connect() to CONNACK";
    case BenchMode::kPub:
      return qos == 0 ? "publish to written" : "publish to acknowledgement";
    default:
      return "payload timestamp to arrival";
  }
}

double Ms(int64_t micros) { return static_cast<double>(micros) / 1000.0; }

double Rate(int64_t delta, double seconds) {
  return seconds > 0 ? static_cast<double>(delta) / seconds : 0;
}

}  // namespace

int64_t ReadMemoryKib(const char* field) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  int64_t kib = 0;
  size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') {
      long long v = 0;
      if (std::sscanf(line + n + 1, "%lld", &v) == 1) kib = v;
      break;
    }
  }
  std::fclose(f);
  return kib;
}

ProgressReporter::ProgressReporter(BenchMode mode, int64_t clients, bool quiet, FILE* csv)
    : mode_(mode), clients_(clients), quiet_(quiet), csv_(csv) {
  if (csv_ != nullptr) {
    std::fputs(
        "time_s,connected,failed,lost,sent,sent_per_s,acked,acked_per_s,received,"
        "received_per_s,latency_p50_ms,latency_p90_ms,latency_p99_ms,latency_max_ms,rss_kib\n",
        csv_);
    std::fflush(csv_);
  }
}

void ProgressReporter::Second(double time_s, const BenchCounters& c,
                              const LatencyHistogram& interval) {
  double span = time_s - last_time_s_;
  double sent_rate = Rate(c.sent - last_.sent, span);
  double acked_rate = Rate(c.acked - last_.acked, span);
  double received_rate = Rate(c.received - last_.received, span);
  int64_t rss = ReadMemoryKib("VmRSS");
  if (!quiet_) {
    std::string line;
    char buf[256];
    std::snprintf(buf, sizeof buf, "[%6.1fs] conn %lld/%lld", time_s,
                  static_cast<long long>(c.connected), static_cast<long long>(clients_));
    line += buf;
    if (c.failed + c.lost > 0) {
      std::snprintf(buf, sizeof buf, " (failed %lld, lost %lld)", static_cast<long long>(c.failed),
                    static_cast<long long>(c.lost));
      line += buf;
    }
    if (mode_ == BenchMode::kPub) {
      std::snprintf(buf, sizeof buf, "  sent %.0f/s  acked %.0f/s", sent_rate, acked_rate);
      line += buf;
    } else if (mode_ == BenchMode::kSub) {
      std::snprintf(buf, sizeof buf, "  subscribed %lld  recv %.0f/s",
                    static_cast<long long>(c.subscribed), received_rate);
      line += buf;
    }
    if (interval.count() > 0) {
      std::snprintf(buf, sizeof buf, "  latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f",
                    Ms(interval.Percentile(0.5)), Ms(interval.Percentile(0.9)),
                    Ms(interval.Percentile(0.99)), Ms(interval.max()));
      line += buf;
    }
    std::snprintf(buf, sizeof buf, "  rss %.1f MiB", static_cast<double>(rss) / 1024.0);
    line += buf;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  if (csv_ != nullptr) {
    std::fprintf(csv_,
                 "%.3f,%lld,%lld,%lld,%lld,%.1f,%lld,%.1f,%lld,%.1f,%.3f,%.3f,%.3f,%.3f,%lld\n",
                 time_s, static_cast<long long>(c.connected), static_cast<long long>(c.failed),
                 static_cast<long long>(c.lost), static_cast<long long>(c.sent), sent_rate,
                 static_cast<long long>(c.acked), acked_rate, static_cast<long long>(c.received),
                 received_rate, Ms(interval.Percentile(0.5)), Ms(interval.Percentile(0.9)),
                 Ms(interval.Percentile(0.99)), Ms(interval.max()), static_cast<long long>(rss));
    std::fflush(csv_);
  }
  last_time_s_ = time_s;
  last_ = c;
}

void PrintSummary(FILE* out, const BenchArgs& a, const BenchCounters& c,
                  const LatencyHistogram& latency, const LatencyHistogram& connect_latency,
                  const BenchSummary& s) {
  auto ll = [](int64_t v) { return static_cast<long long>(v); };
  std::fprintf(out, "ouzel bench %s: %lld clients", ModeName(a.mode), ll(a.clients));
  if (a.mode != BenchMode::kConn) {
    std::fprintf(out, ", topic %s, QoS %d", a.topic.c_str(), a.qos);
  }
  if (a.mode == BenchMode::kPub) {
    std::fprintf(out, ", %lld-byte payloads, every %g ms", ll(a.payload_size),
                 a.publish_interval_ms);
  }
  std::fprintf(out, "\n");
  std::fprintf(out, "end: %s\n", s.end_reason.c_str());
  std::fprintf(out, "elapsed_s: %.3f\n", s.elapsed_s);
  std::fprintf(out, "connected: %lld\nfailed: %lld\nlost: %lld\n", ll(c.ever_connected),
               ll(c.failed), ll(c.lost));
  std::fprintf(out, "connect_time_s: %.3f\n", s.connect_time_s);
  if (s.connect_time_s > 0) {
    std::fprintf(out, "connect_rate_per_s: %.1f\n",
                 static_cast<double>(c.ever_connected) / s.connect_time_s);
  }
  std::fprintf(out, "connect_latency_ms: p50 %.2f p90 %.2f p99 %.2f max %.2f\n",
               Ms(connect_latency.Percentile(0.5)), Ms(connect_latency.Percentile(0.9)),
               Ms(connect_latency.Percentile(0.99)), Ms(connect_latency.max()));
  if (a.mode == BenchMode::kSub) {
    std::fprintf(out, "subscribed: %lld\nrefused: %lld\n", ll(c.subscribed), ll(c.refused));
  }
  if (a.mode == BenchMode::kPub) {
    std::fprintf(out, "sent: %lld\nacked: %lld\ndropped: %lld\n", ll(c.sent), ll(c.acked),
                 ll(c.dropped));
    std::fprintf(out, "acked_per_s: %.1f\n",
                 s.traffic_time_s > 0 ? static_cast<double>(c.acked) / s.traffic_time_s : 0);
  }
  if (a.mode == BenchMode::kSub) {
    std::fprintf(out, "received: %lld\n", ll(c.received));
    std::fprintf(out, "received_per_s: %.1f\n",
                 s.traffic_time_s > 0 ? static_cast<double>(c.received) / s.traffic_time_s : 0);
  }
  if (a.mode != BenchMode::kConn) {
    std::fprintf(out, "latency (%s) ms: p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f (%llu)\n",
                 LatencyMeaning(a.mode, a.qos), Ms(latency.Percentile(0.5)),
                 Ms(latency.Percentile(0.9)), Ms(latency.Percentile(0.99)),
                 Ms(latency.Percentile(0.999)), Ms(latency.max()),
                 static_cast<unsigned long long>(latency.count()));
  }
  std::fprintf(out, "rss_start_kib: %lld\nrss_connected_kib: %lld\nrss_peak_kib: %lld\n",
               ll(s.rss_start_kib), ll(s.rss_connected_kib), ll(s.rss_peak_kib));
  if (c.ever_connected > 0 && s.rss_connected_kib > s.rss_start_kib) {
    std::fprintf(out, "kib_per_connection: %.1f\n",
                 static_cast<double>(s.rss_connected_kib - s.rss_start_kib) /
                     static_cast<double>(c.ever_connected));
  }
  std::fprintf(out, "open_files_limit: %lld\n", ll(s.open_files_limit));
  if (!s.first_error.empty()) std::fprintf(out, "first_error: %s\n", s.first_error.c_str());
  std::fflush(out);
}

}  // namespace ouzel_cli
