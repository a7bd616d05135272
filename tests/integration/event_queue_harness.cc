#include "tests/integration/event_queue_harness.h"

#include <poll.h>

#include <algorithm>
#include <chrono>

#include "gtest/gtest.h"

namespace ouzel_it {

ouzel::fixtures::MosquittoBroker* EventQueueBrokerTest::broker_ = nullptr;

void EventQueueBrokerTest::SetUpTestSuite() {
  ouzel::fixtures::MosquittoBroker::Options o;
  o.extra_config = {"max_queued_messages 0"};
  o.max_inflight_messages = 1000;
  auto b = ouzel::fixtures::MosquittoBroker::Start(o);
  ASSERT_TRUE(b.ok()) << b.status();
  broker_ = b->release();
}

void EventQueueBrokerTest::TearDownTestSuite() {
  delete broker_;
  broker_ = nullptr;
}

SeenEvent Copy(const ouzel_event& e) {
  SeenEvent s;
  s.type = e.type;
  s.error = e.error;
  s.reason_code = e.reason_code;
  s.session_present = e.session_present;
  s.mid = e.mid;
  s.qos = e.qos;
  s.dup = e.dup;
  s.state = e.state;
  s.token = e.token;
  if (e.topic != nullptr) s.topic.assign(e.topic, e.topic_len);
  if (e.payload != nullptr) s.payload.assign(static_cast<const char*>(e.payload), e.payload_len);
  if (e.text != nullptr) s.text.assign(e.text, e.text_len);
  if (e.reason_codes != nullptr) {
    s.reason_codes.assign(e.reason_codes, e.reason_codes + e.reason_code_count);
  }
  return s;
}

std::string Describe(const SeenEvent& e) {
  switch (e.type) {
    case OUZEL_EVENT_MESSAGE:
      return "MESSAGE " + e.topic + " q" + std::to_string(e.qos) + " mid=" + std::to_string(e.mid) +
             " dup=" + std::to_string(e.dup) + " #" + std::to_string(PayloadIndex(e.payload));
    case OUZEL_EVENT_PUBLISH_DONE:
      return "PUBLISH_DONE token=" + std::to_string(e.token) + " state=" + std::to_string(e.state);
    default:
      return "event type " + std::to_string(e.type) + " error=" + std::to_string(e.error) +
             " rc=" + std::to_string(e.reason_code) + " '" + e.text + "'";
  }
}

std::unique_ptr<QueueClient> QueueClient::Create(ouzel_options* opts, LoopMode mode) {
  ExpectOk(ouzel_options_set_int(opts, OUZEL_OPT_EVENT_QUEUE, 1), "OUZEL_OPT_EVENT_QUEUE");
  ouzel_client* c = nullptr;
  const int rc = ouzel_client_new(&c, opts);
  if (rc != OUZEL_OK) {
    ADD_FAILURE() << "ouzel_client_new: " << ouzel_strerror(rc) << ": "
                  << ouzel_last_error_message();
    return nullptr;
  }
  std::unique_ptr<QueueClient> q(new QueueClient(c, mode));
  switch (mode) {
    case LoopMode::kThread:
      ExpectOk(ouzel_client_loop_start(c), "ouzel_client_loop_start");
      break;
    case LoopMode::kCaller:
      q->driver_ = std::thread([p = q.get()] { p->RunCaller(); });
      break;
    case LoopMode::kExternal:
      q->driver_ = std::thread([p = q.get()] { p->RunExternal(); });
      break;
  }
  return q;
}

QueueClient::QueueClient(ouzel_client* client, LoopMode mode) : client_(client), mode_(mode) {}

QueueClient::~QueueClient() { Free(); }

void QueueClient::StopDriver() {
  stop_.store(true);
  if (driver_.joinable()) driver_.join();
}

void QueueClient::Free() {
  StopDriver();
  if (client_ != nullptr) ouzel_client_free(client_);
  client_ = nullptr;
}

void QueueClient::RunCaller() {
  while (!stop_.load()) {
    iterations_.fetch_add(1);
    const int rc = ouzel_client_loop(client_, 20);
    // Idle (not connected yet, or between connections): nothing to wait on but time.
    if (rc == OUZEL_ENOTCONN) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void QueueClient::RunExternal() {
  while (!stop_.load()) {
    pollfd fds[2];
    nfds_t n = 1;
    fds[0] = {ouzel_client_wake_fd(client_), POLLIN, 0};
    const int sock = ouzel_client_socket(client_);
    if (sock >= 0) {
      short events = 0;
      if (ouzel_client_want_read(client_)) events |= POLLIN;
      if (ouzel_client_want_write(client_)) events |= POLLOUT;
      if (events != 0) {
        fds[1] = {sock, events, 0};
        n = 2;
      }
    }
    int timeout = ouzel_client_next_timeout_ms(client_);
    if (timeout < 0 || timeout > 50) timeout = 50;  // and look at stop_ now and then
    const int ready = poll(fds, n, timeout);
    iterations_.fetch_add(1);
    if (ready > 0 && n == 2) {
      if (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) ouzel_client_loop_read(client_);
      if (fds[1].revents & POLLOUT) ouzel_client_loop_write(client_);
    }
    ouzel_client_loop_misc(client_);
  }
}

int QueueClient::PollAndRelease(size_t max, int timeout_ms, std::vector<SeenEvent>* seen) {
  std::vector<ouzel_event> events(max);
  ouzel_event_init(events.data(), OUZEL_EVENT_VERSION);
  const int n = ouzel_client_poll_events(client_, events.data(), max, timeout_ms);
  if (n <= 0) return n;
  for (int i = 0; i < n; ++i) seen->push_back(Copy(events[static_cast<size_t>(i)]));
  ExpectOk(ouzel_client_release_events(client_, events.data(), static_cast<size_t>(n)),
           "ouzel_client_release_events");
  return n;
}

bool QueueClient::PollUntil(const std::function<bool(const std::vector<SeenEvent>&)>& done,
                            std::vector<SeenEvent>* seen, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done(*seen)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return done(*seen);
    const int n = PollAndRelease(1024, static_cast<int>(std::min<int64_t>(left, 200)), seen);
    if (n < 0) {
      ADD_FAILURE() << "ouzel_client_poll_events: " << ouzel_strerror(n);
      return false;
    }
  }
  return true;
}

bool QueueClient::ConnectAndWait(std::vector<SeenEvent>* seen) {
  std::vector<SeenEvent> local;
  std::vector<SeenEvent>* out = seen != nullptr ? seen : &local;
  const size_t from = out->size();
  ExpectOk(ouzel_client_connect(client_), "ouzel_client_connect");
  auto settled = [&](const std::vector<SeenEvent>& s) {
    for (size_t i = from; i < s.size(); ++i) {
      if (s[i].type == OUZEL_EVENT_CONNECTED || s[i].type == OUZEL_EVENT_CONNECT_FAILED) {
        return true;
      }
    }
    return false;
  };
  if (!PollUntil(settled, out)) return false;
  for (size_t i = from; i < out->size(); ++i) {
    if ((*out)[i].type == OUZEL_EVENT_CONNECTED) return true;
    if ((*out)[i].type == OUZEL_EVENT_CONNECT_FAILED) {
      ADD_FAILURE() << "connect failed: " << Describe((*out)[i]);
      return false;
    }
  }
  return false;
}

bool QueueClient::SubscribeAndWait(const std::string& filter, int qos) {
  ouzel_subscription sub;
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = filter.data();
  sub.filter_len = filter.size();
  sub.qos = qos;
  int32_t mid = 0;
  ExpectOk(ouzel_client_subscribe(client_, &sub, 1, nullptr, &mid), "ouzel_client_subscribe");
  std::vector<SeenEvent> seen;
  return PollUntil(
      [&](const std::vector<SeenEvent>& s) {
        return std::any_of(s.begin(), s.end(), [&](const SeenEvent& e) {
          return e.type == OUZEL_EVENT_SUBSCRIBE_DONE && e.mid == mid;
        });
      },
      &seen);
}

bool QueueClient::SyncWithBroker(std::vector<SeenEvent>* seen, const std::string& topic) {
  uint64_t token = 0;
  ExpectOk(ouzel_client_publish(client_, topic.data(), topic.size(), "sync", 4, 1, 0, nullptr,
                                &token, nullptr),
           "sync publish");
  return PollUntil(
      [&](const std::vector<SeenEvent>& s) {
        return std::any_of(s.begin(), s.end(), [&](const SeenEvent& e) {
          return e.type == OUZEL_EVENT_PUBLISH_DONE && e.token == token;
        });
      },
      seen);
}

size_t CountOf(const std::vector<SeenEvent>& seen, int type) {
  return static_cast<size_t>(
      std::count_if(seen.begin(), seen.end(), [&](const SeenEvent& e) { return e.type == type; }));
}

std::vector<SeenEvent> MessagesOf(const std::vector<SeenEvent>& seen) {
  std::vector<SeenEvent> out;
  for (const SeenEvent& e : seen) {
    if (e.type == OUZEL_EVENT_MESSAGE) out.push_back(e);
  }
  return out;
}

bool PublishNumbered(int port, const std::string& client_id, const std::string& topic, int first,
                     int count, int qos, int version) {
  Options o = BaseOptions(port, client_id, version);
  ExpectOk(ouzel_options_set_int(o.get(), OUZEL_OPT_MAX_INFLIGHT, 200), "max inflight");
  std::unique_ptr<TestClient> pub = TestClient::Create(o.get(), LoopMode::kThread);
  if (!pub || !ConnectAll({pub.get()})) {
    ADD_FAILURE() << "publisher " << client_id << " did not connect";
    return false;
  }
  // At most kWindow unacknowledged: the rest waits here rather than in the client's queue.
  constexpr int kWindow = 2000;
  for (int i = first; i < first + count; ++i) {
    if (i - first >= kWindow &&
        !RunUntil(
            {pub.get()}, [&] { return pub->events().publish_count() > i - first - kWindow; },
            kTimeoutMs)) {
      ADD_FAILURE() << "publisher " << client_id << ": no acknowledgement for " << kTimeoutMs
                    << " ms";
      return false;
    }
    const std::string p = NumberedPayload(i);
    const int rc = ouzel_client_publish(pub->get(), topic.data(), topic.size(), p.data(), p.size(),
                                        qos, 0, nullptr, nullptr, nullptr);
    if (rc != OUZEL_OK) {
      ADD_FAILURE() << "publish " << i << ": " << ouzel_strerror(rc);
      return false;
    }
  }
  if (!RunUntil(
          {pub.get()}, [&] { return pub->events().publish_count() == count; }, 4 * kTimeoutMs)) {
    ADD_FAILURE() << "publisher " << client_id << ": " << pub->events().publish_count() << " of "
                  << count << " acknowledged";
    return false;
  }
  return DisconnectAndWait(pub.get());
}

}  // namespace ouzel_it
