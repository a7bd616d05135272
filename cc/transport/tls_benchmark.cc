// Reconnect cost over TLS with and without session resumption, against a local Mosquitto TLS
// listener (started here, certificates generated here). Each iteration is what a client does on
// reconnect: TCP connect, TLS handshake, MQTT CONNECT/CONNACK, close. Reported per mode: the
// handshake (StartConnect until the transport is open) and the whole reconnect, median and p90
// wall time, and the client's own CPU time; then the ratios. Broker-side CPU is not included.
//
//   bazel run -c opt //cc/transport:tls_benchmark -- [iterations, default 300]
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/transport/tls_transport.h"
#include "cc/transport/transport.h"
#include "tests/fixtures/certs.h"
#include "tests/fixtures/fixture_util.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace ouzel {
namespace {

using fixtures::MosquittoBroker;
using fixtures::TestCertificates;

absl::Duration ThreadCpu() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return absl::DurationFromTimespec(ts);
}

void Wait(Transport& t, bool want_write) {
  if (t.HasBufferedInput()) return;
  pollfd p{t.fd(), 0, 0};
  if (WantsRead(t.interest())) p.events |= POLLIN;
  if (want_write || WantsWrite(t.interest())) p.events |= POLLOUT;
  poll(&p, 1, 1000);
}

struct Sample {
  absl::Duration handshake;
  absl::Duration reconnect;
  absl::Duration cpu;
  bool resumed = false;
};

absl::StatusOr<Sample> OneReconnect(const ServerAddress& address, const TransportOptions& options,
                                    const TransportContext& context) {
  // CONNECT, MQTT 3.1.1, clean session, keep alive 60, client id "bench".
  static const std::string kConnect(
      "\x10\x11\x00\x04MQTT\x04\x02\x00\x3c\x00\x05"
      "bench",
      19);
  Sample s;
  const absl::Duration cpu0 = ThreadCpu();
  const absl::Time t0 = absl::Now();
  absl::StatusOr<std::unique_ptr<Transport>> t = CreateTransport(address, options, context);
  if (!t.ok()) return t.status();
  Transport& tr = **t;
  absl::Status st = tr.StartConnect(t0, t0 + absl::Seconds(10));
  while (st.ok()) {
    absl::StatusOr<bool> r = tr.ContinueConnect(absl::Now());
    if (!r.ok()) return r.status();
    if (*r) break;
    Wait(tr, false);
  }
  if (!st.ok()) return st;
  s.handshake = absl::Now() - t0;
  s.resumed = tr.Describe().find("resumed") != std::string::npos;
  size_t sent = 0, got = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (got < 4) {
    if (absl::Now() > deadline) return absl::DeadlineExceededError("no CONNACK");
    if (WantsWrite(tr.interest())) {
      absl::Status f = tr.Flush();
      if (!f.ok()) return f;
    }
    if (sent < kConnect.size()) {
      absl::StatusOr<size_t> w = tr.Write(absl::MakeConstSpan(
          reinterpret_cast<const uint8_t*>(kConnect.data()) + sent, kConnect.size() - sent));
      if (!w.ok()) return w.status();
      sent += *w;
    }
    uint8_t buf[256];
    absl::StatusOr<size_t> r = tr.Read(absl::MakeSpan(buf));
    if (!r.ok()) return r.status();
    got += *r;
    if (*r == 0) Wait(tr, sent < kConnect.size());
  }
  tr.Close();
  s.reconnect = absl::Now() - t0;
  s.cpu = ThreadCpu() - cpu0;
  return s;
}

struct Summary {
  double handshake_median_us, handshake_p90_us, reconnect_median_us, reconnect_p90_us, cpu_mean_us;
  int resumed;
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

Summary Summarize(const std::vector<Sample>& samples) {
  std::vector<double> hs, rc;
  double cpu = 0;
  int resumed = 0;
  for (const Sample& s : samples) {
    hs.push_back(absl::ToDoubleMicroseconds(s.handshake));
    rc.push_back(absl::ToDoubleMicroseconds(s.reconnect));
    cpu += absl::ToDoubleMicroseconds(s.cpu);
    resumed += s.resumed ? 1 : 0;
  }
  return {Percentile(hs, 0.5), Percentile(hs, 0.9),  Percentile(rc, 0.5),
          Percentile(rc, 0.9), cpu / samples.size(), resumed};
}

int Main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::max(10, std::atoi(argv[1])) : 300;
  absl::StatusOr<TestCertificates> certs = TestCertificates::Generate("/tmp");
  if (!certs.ok()) {
    std::fprintf(stderr, "certificates: %s\n", certs.status().ToString().c_str());
    return 1;
  }
  // Mosquitto's default leaves Nagle on. With TLS 1.3 it writes its session tickets after the
  // handshake, and the CONNACK then waits for their ACK, which Linux delays by up to 40 ms unless
  // the client asks for quick ACKs (TlsTransport does, for the first reads after a TLS 1.3
  // handshake). The second broker has `set_tcp_nodelay true`: both should now show the same.
  for (bool nodelay : {false, true}) {
    MosquittoBroker::Options bo;
    MosquittoBroker::TlsListener l;
    l.cafile = certs->ca_cert;
    l.certfile = certs->server_cert;
    l.keyfile = certs->server_key;
    bo.tls.push_back(l);
    if (nodelay) bo.extra_config = {"set_tcp_nodelay true"};
    absl::StatusOr<std::unique_ptr<MosquittoBroker>> broker = MosquittoBroker::Start(bo);
    if (!broker.ok()) {
      std::fprintf(stderr, "broker: %s\n", broker.status().ToString().c_str());
      return 1;
    }
    absl::StatusOr<ServerAddress> address =
        ServerAddress::Parse(absl::StrCat("mqtts://127.0.0.1:", (*broker)->tls_port()));
    std::printf(
        "\nTLS reconnects to Mosquitto 2.0.11 (set_tcp_nodelay %s) on loopback, %d per "
        "mode, ECDSA P-256 server certificate\n",
        nodelay ? "true" : "false (default)", iterations);
    std::printf("%-26s %12s %12s %12s %12s %12s %8s\n", "mode", "hs med us", "hs p90 us",
                "recon med us", "recon p90 us", "cpu mean us", "resumed");
    for (uint16_t version : {uint16_t{0x0304}, uint16_t{0x0303}}) {
      Summary results[2];
      for (int resume = 0; resume < 2; ++resume) {
        TransportOptions o;
        o.tls.ca_file = certs->ca_cert;
        o.tls.max_version = version;
        o.tls.session_resumption = resume == 1;
        // As in a client: the cache always exists (the context is reused either way); only
        // session_resumption differs.
        TransportContext context{*Waker::Create(), nullptr, std::make_shared<TlsSessionCache>()};
        std::vector<Sample> samples;
        // One warm-up reconnect (fills the session cache; pages in the code), not counted.
        for (int i = 0; i <= iterations; ++i) {
          absl::StatusOr<Sample> s = OneReconnect(*address, o, context);
          if (!s.ok()) {
            std::fprintf(stderr, "reconnect failed: %s\n", s.status().ToString().c_str());
            return 1;
          }
          if (i > 0) samples.push_back(*s);
        }
        Summary r = Summarize(samples);
        results[resume] = r;
        std::printf("%-26s %12.0f %12.0f %12.0f %12.0f %12.0f %8d\n",
                    absl::StrCat(version == 0x0304 ? "TLS 1.3" : "TLS 1.2",
                                 resume ? " resumed" : " full handshake")
                        .c_str(),
                    r.handshake_median_us, r.handshake_p90_us, r.reconnect_median_us,
                    r.reconnect_p90_us, r.cpu_mean_us, r.resumed);
      }
      std::printf(
          "%s: resumed / full = %.2fx handshake time, %.2fx reconnect time, %.2fx "
          "client CPU\n",
          version == 0x0304 ? "TLS 1.3" : "TLS 1.2",
          results[1].handshake_median_us / results[0].handshake_median_us,
          results[1].reconnect_median_us / results[0].reconnect_median_us,
          results[1].cpu_mean_us / results[0].cpu_mean_us);
    }
  }
  // What reusing the client's TLS context saves when trust comes from the system CA bundle (the
  // default): CreateTransport alone, no I/O.
  {
    absl::StatusOr<ServerAddress> address = ServerAddress::Parse("mqtts://127.0.0.1:8883");
    TransportOptions o;  // use_system_cas
    double ms[2];
    for (int reuse = 0; reuse < 2; ++reuse) {
      TransportContext context{*Waker::Create(), nullptr,
                               reuse ? std::make_shared<TlsSessionCache>() : nullptr};
      const int n = std::max(10, iterations / 10);
      const absl::Time t0 = absl::Now();
      for (int i = 0; i < n; ++i) {
        if (!CreateTransport(*address, o, context).ok()) return 1;
      }
      ms[reuse] = absl::ToDoubleMilliseconds(absl::Now() - t0) / n;
    }
    std::printf(
        "\nCreateTransport with the system CAs: %.2f ms building the context each time, "
        "%.3f ms reusing the client's (%.0fx)\n",
        ms[0], ms[1], ms[0] / ms[1]);
  }
  fixtures::RemoveTree(certs->dir).IgnoreError();
  return 0;
}

}  // namespace
}  // namespace ouzel

int main(int argc, char** argv) { return ouzel::Main(argc, argv); }
