#include "tools/ouzel/bench/bench_run.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "tools/ouzel/bench/bench_payload.h"
#include "tools/ouzel/cli_client.h"
#include "tools/ouzel/exit_codes.h"
#include "tools/ouzel/stop_signals.h"

namespace ouzel_cli {
namespace {

int64_t NowUs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000 + ts.tv_nsec / 1000;
}

// How long the clients get to say DISCONNECT at the end.
constexpr int64_t kShutdownMs = 5000;

}  // namespace

BenchRun::BenchRun(const BenchArgs& a, ouzel_options* opts, FILE* csv)
    : a_(a), opts_(opts), progress_(a.mode, a.clients, a.quiet, csv) {}

BenchRun::~BenchRun() {
  for (auto& c : clients_) {
    ouzel_client_free(c->handle);
    loop_.Forget(c->index);
  }
}

void BenchRun::NoteError(const std::string& message) {
  if (summary_.first_error.empty()) summary_.first_error = message;
}

void BenchRun::MarkDone(Client* c) {
  if (c->done) return;
  c->done = true;
  ++done_clients_;
}

bool BenchRun::StartClient(std::string* error) {
  uint32_t index = static_cast<uint32_t>(clients_.size());
  int64_t number = a_.start_number + index;
  std::string id = a_.client_prefix + std::to_string(number);
  ouzel_options_set_string(opts_, OUZEL_OPT_CLIENT_ID, id.data(), id.size());
  auto c = std::make_unique<Client>();
  c->run = this;
  c->index = index;
  c->topic = ExpandTopic(a_.topic, number, a_.clients);
  int rc = ouzel_client_new(&c->handle, opts_);
  if (rc != OUZEL_OK) {
    *error = CliClient::Describe("cannot create client " + std::to_string(number), rc);
    fatal_status_ = rc == OUZEL_EINVAL ? kExitUsage : kExitError;
    return false;
  }
  ouzel_client* h = c->handle;
  Client* raw = c.get();
  clients_.push_back(std::move(c));
  if (!loop_.Add(h, index, error)) {
    fatal_status_ = kExitError;
    return false;
  }
  ouzel_client_set_on_connect(h, OnConnect, raw, nullptr);
  ouzel_client_set_on_connect_fail(h, OnConnectFail, raw, nullptr);
  ouzel_client_set_on_disconnect(h, OnDisconnect, raw, nullptr);
  if (a_.mode == BenchMode::kPub) ouzel_client_set_on_publish(h, OnPublish, raw, nullptr);
  if (a_.mode == BenchMode::kSub) {
    ouzel_client_set_on_subscribe(h, OnSubscribe, raw, nullptr);
    ouzel_client_set_on_message(h, OnMessage, raw, nullptr);
  }
  ++counters_.started;
  raw->connect_started_us = NowUs();
  rc = ouzel_client_connect(h);
  if (rc != OUZEL_OK) {
    raw->state = State::kFailed;
    ++counters_.failed;
    MarkDone(raw);
    NoteError(CliClient::Describe("client " + std::to_string(number) + ": cannot connect", rc));
    return true;
  }
  ++connecting_;
  return true;
}

void BenchRun::PublishOne(Client* c) {
  StampPayload(&payload_, RealtimeNs());
  uint64_t token = 0;
  int rc =
      ouzel_client_publish(c->handle, c->topic.data(), c->topic.size(), payload_.data(),
                           payload_.size(), a_.qos, a_.retain ? 1 : 0, nullptr, &token, nullptr);
  int64_t now = NowUs();
  if (rc != OUZEL_OK) {
    ++counters_.dropped;
    NoteError(CliClient::Describe("publish", rc));
    return;
  }
  if (first_traffic_us_ == 0) first_traffic_us_ = now;
  ++counters_.sent;
  ++c->sent;
  c->sent_at_us[token] = now;
}

void BenchRun::TopUp(Client* c) {
  while (c->state == State::kConnected && (a_.limit == 0 || c->sent < a_.limit) &&
         c->sent - c->finished < a_.window) {
    int64_t before = c->sent;
    PublishOne(c);
    if (c->sent == before) break;  // refused; counted as dropped
  }
}

void BenchRun::OnConnect(ouzel_client*, int32_t, int32_t, const ouzel_properties*, void* client) {
  Client* c = static_cast<Client*>(client);
  BenchRun* r = c->run;
  int64_t now = NowUs();
  c->state = State::kConnected;
  --r->connecting_;
  ++r->counters_.connected;
  ++r->counters_.ever_connected;
  r->last_connack_us_ = now;
  r->connect_latency_.Record(now - c->connect_started_us);
  if (r->a_.mode == BenchMode::kConn) {
    r->interval_latency_.Record(now - c->connect_started_us);
  } else if (r->a_.mode == BenchMode::kSub) {
    ouzel_subscription sub;
    ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
    sub.filter = c->topic.data();
    sub.filter_len = c->topic.size();
    sub.qos = r->a_.qos;
    int rc = ouzel_client_subscribe(c->handle, &sub, 1, nullptr, nullptr);
    if (rc != OUZEL_OK) {
      ++r->counters_.refused;
      r->NoteError(CliClient::Describe("subscribe", rc));
    }
  } else if (r->a_.publish_interval_ms > 0) {
    // Spread the clients' first messages over one interval (golden-ratio steps), so clients
    // connected together do not publish in lockstep.
    double phase = std::fmod(c->index * 0.6180339887, 1.0);
    r->publish_due_.push(
        {NowMs() + static_cast<int64_t>(phase * r->a_.publish_interval_ms), c->index});
  } else {
    r->TopUp(c);
  }
}

void BenchRun::OnConnectFail(ouzel_client*, int32_t error, int32_t reason_code, void* client) {
  Client* c = static_cast<Client*>(client);
  BenchRun* r = c->run;
  if (c->state != State::kConnecting) return;
  c->state = State::kFailed;
  --r->connecting_;
  ++r->counters_.failed;
  r->MarkDone(c);
  std::string why = ouzel_strerror(error);
  std::string detail = ouzel_last_error_message();
  if (!detail.empty()) why += " (" + detail + ")";
  if (reason_code > 0) why += ", CONNACK reason code " + std::to_string(reason_code);
  r->NoteError("cannot connect: " + why);
}

void BenchRun::OnDisconnect(ouzel_client*, int32_t error, int32_t, int32_t by_server,
                            const ouzel_properties*, void* client) {
  Client* c = static_cast<Client*>(client);
  BenchRun* r = c->run;
  if (c->state != State::kConnected) return;
  --r->counters_.connected;
  r->MarkDone(c);
  if (r->shutting_down_ && error == OUZEL_OK && by_server == 0) {
    c->state = State::kClosed;
    return;
  }
  c->state = State::kLost;
  ++r->counters_.lost;
  std::string why = error == OUZEL_OK ? "the broker sent DISCONNECT" : ouzel_strerror(error);
  std::string detail = ouzel_last_error_message();
  if (!detail.empty()) why += " (" + detail + ")";
  r->NoteError("connection lost: " + why);
}

void BenchRun::OnPublish(ouzel_client*, uint64_t token, const ouzel_delivery_status* status,
                         const ouzel_properties*, void* client) {
  Client* c = static_cast<Client*>(client);
  BenchRun* r = c->run;
  int64_t now = NowUs();
  ++c->finished;
  r->last_traffic_us_ = now;
  auto it = c->sent_at_us.find(token);
  if (status->state == OUZEL_DELIVERY_ACKNOWLEDGED) {
    ++r->counters_.acked;
    if (it != c->sent_at_us.end()) r->interval_latency_.Record(now - it->second);
  } else {
    ++r->counters_.dropped;
    r->NoteError("a message was not delivered (state " + std::to_string(status->state) +
                 ", drop reason " + std::to_string(status->drop_reason) + ", reason code " +
                 std::to_string(status->reason_code) + ")");
  }
  if (it != c->sent_at_us.end()) c->sent_at_us.erase(it);
  if (r->a_.limit > 0 && c->sent >= r->a_.limit && c->finished == c->sent) r->MarkDone(c);
  if (r->a_.publish_interval_ms == 0) r->TopUp(c);
}

void BenchRun::OnSubscribe(ouzel_client*, int32_t, const uint8_t* codes, size_t count,
                           const ouzel_properties*, void* client) {
  Client* c = static_cast<Client*>(client);
  BenchRun* r = c->run;
  int version = r->a_.conn.ProtocolVersion();
  if (count == 1 && ouzel_reason_code_is_error(version, OUZEL_PACKET_SUBACK, codes[0]) != 1) {
    ++r->counters_.subscribed;
    return;
  }
  ++r->counters_.refused;
  const char* name =
      count == 1 ? ouzel_reason_code_name(version, OUZEL_PACKET_SUBACK, codes[0]) : nullptr;
  r->NoteError("subscription to " + c->topic + " refused: " + (name ? name : "?"));
}

void BenchRun::OnMessage(ouzel_client*, const ouzel_message* msg, void* client) {
  BenchRun* r = static_cast<Client*>(client)->run;
  int64_t now = NowUs();
  if (r->first_traffic_us_ == 0) r->first_traffic_us_ = now;
  r->last_traffic_us_ = now;
  ++r->counters_.received;
  size_t len = 0;
  const void* payload = ouzel_message_payload(msg, &len);
  int64_t sent_ns = 0;
  if (ReadStamp(payload, len, &sent_ns)) {
    r->interval_latency_.Record((RealtimeNs() - sent_ns) / 1000);
  }
}

bool BenchRun::Finished(int64_t now_ms, std::string* reason) {
  if (settled_ms_ < 0) return false;
  switch (a_.mode) {
    case BenchMode::kConn:
      if (now_ms < settled_ms_ + static_cast<int64_t>(a_.hold_s * 1000)) return false;
      *reason = a_.hold_s > 0 ? "every connection attempt ended and --hold passed"
                              : "every connection attempt ended";
      return true;
    case BenchMode::kPub:
      if (done_clients_ < a_.clients) return false;
      *reason = a_.limit > 0 ? "every client sent -L messages" : "no client left connected";
      return true;
    case BenchMode::kSub:
      if (a_.limit > 0 && counters_.received >= a_.limit) {
        *reason = "-L messages received";
        return true;
      }
      if (counters_.connected > 0) return false;
      *reason = "no client left connected";
      return true;
  }
  return false;
}

void BenchRun::Shutdown() {
  shutting_down_ = true;
  for (auto& c : clients_) {
    if (c->state == State::kConnected) ouzel_client_disconnect(c->handle, 0, nullptr);
  }
  int64_t deadline = NowMs() + kShutdownMs;
  while (counters_.connected > 0 && NowMs() < deadline) {
    loop_.RunTimers();
    loop_.Wait(loop_.MillisUntilNextTimer(50));
  }
  for (auto& c : clients_) {
    ouzel_client_free(c->handle);
    c->handle = nullptr;
    loop_.Forget(c->index);
  }
}

int BenchRun::ExitStatus(const std::string& end_reason) const {
  if (fatal_status_ != 0) return fatal_status_;
  if (end_reason == "interrupted") return kExitInterrupted;
  if (counters_.failed > 0) return kExitConnectFailed;
  if (counters_.lost > 0) return kExitConnectionLost;
  if (counters_.dropped > 0 || counters_.refused > 0) return kExitRejected;
  bool bounded = a_.mode == BenchMode::kConn || a_.limit > 0;
  if (end_reason == "--duration passed" && bounded) return kExitTimeout;
  return kExitOk;
}

int BenchRun::Run() {
  std::string error;
  if (!loop_.Init(&error)) {
    std::fprintf(stderr, "ouzel bench: %s\n", error.c_str());
    return kExitError;
  }
  if (a_.mode == BenchMode::kPub) payload_ = MakePayload(static_cast<size_t>(a_.payload_size));
  summary_.rss_start_kib = ReadMemoryKib("VmRSS");
  start_ms_ = NowMs();
  int64_t start_us = NowUs();
  const int64_t deadline = start_ms_ + static_cast<int64_t>(a_.duration_s * 1000);
  int64_t next_report = start_ms_ + 1000;
  const double interval = a_.connect_interval_ms;
  std::string end_reason;
  while (true) {
    int64_t now = NowMs();
    while (counters_.started < a_.clients &&
           now >= start_ms_ + static_cast<int64_t>(counters_.started * interval)) {
      if (!StartClient(&error)) break;
    }
    if (fatal_status_ != 0) {
      std::fprintf(stderr, "ouzel bench: %s\n", error.c_str());
      end_reason = "a client could not be created";
      break;
    }
    while (!publish_due_.empty() && publish_due_.top().first <= now) {
      Due due = publish_due_.top();
      publish_due_.pop();
      Client* c = clients_[due.second].get();
      if (c->state != State::kConnected) continue;
      if (a_.limit == 0 || c->sent < a_.limit) PublishOne(c);
      if (a_.limit > 0 && c->sent >= a_.limit) continue;
      int64_t step = static_cast<int64_t>(a_.publish_interval_ms);
      int64_t next = due.first + std::max<int64_t>(step, 1);
      // Falling behind (a busy machine) drops the missed slots instead of bursting to catch up.
      if (next < now - step) next = now;
      publish_due_.push({next, due.second});
    }
    loop_.RunTimers();
    if (settled_ms_ < 0 && counters_.started == a_.clients && connecting_ == 0) {
      settled_ms_ = now;
      summary_.rss_connected_kib = ReadMemoryKib("VmRSS");
      if (last_connack_us_ > 0) {
        summary_.connect_time_s = static_cast<double>(last_connack_us_ - start_us) / 1e6;
      }
    }
    if (now >= next_report) {
      progress_.Second(static_cast<double>(now - start_ms_) / 1000.0, counters_, interval_latency_);
      latency_.Merge(interval_latency_);
      interval_latency_.Clear();
      next_report += 1000;
    }
    if (Finished(now, &end_reason)) break;
    if (now >= deadline) {
      end_reason = "--duration passed";
      break;
    }
    if (StopRequested()) {
      end_reason = "interrupted";
      break;
    }
    int64_t wake = std::min(next_report, deadline);
    if (counters_.started < a_.clients) {
      wake = std::min(wake, start_ms_ + static_cast<int64_t>(counters_.started * interval));
    }
    if (!publish_due_.empty()) wake = std::min(wake, publish_due_.top().first);
    int timeout = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(wake - now, 1000)));
    loop_.Wait(loop_.MillisUntilNextTimer(timeout));
  }
  summary_.elapsed_s = static_cast<double>(NowMs() - start_ms_) / 1000.0;
  if (summary_.elapsed_s > progress_.last_time_s() + 0.001) {
    progress_.Second(summary_.elapsed_s, counters_, interval_latency_);  // the last part-second
  }
  latency_.Merge(interval_latency_);
  if (settled_ms_ < 0) {
    summary_.rss_connected_kib = ReadMemoryKib("VmRSS");
    if (last_connack_us_ > 0) {
      summary_.connect_time_s = static_cast<double>(last_connack_us_ - start_us) / 1e6;
    }
  }
  if (last_traffic_us_ > first_traffic_us_) {
    summary_.traffic_time_s = static_cast<double>(last_traffic_us_ - first_traffic_us_) / 1e6;
  }
  summary_.end_reason = end_reason;
  BenchCounters at_end = counters_;  // before the final disconnects change "connected"
  Shutdown();
  summary_.rss_peak_kib = ReadMemoryKib("VmHWM");
  PrintSummary(stdout, a_, at_end, latency_, connect_latency_, summary_);
  return ExitStatus(end_reason);
}

}  // namespace ouzel_cli
