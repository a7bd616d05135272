// ouzel/events.h without a broker, called as a C program would: the options and their read-back,
// what a queue client refuses (callbacks for queued events, a changed queue in set_options),
// argument and version checks, poll timeouts and interrupts, and the events of a connection that
// cannot be made (CONNECT_FAILED with its detail, LOG lines at the chosen level).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"

namespace {

int64_t GetInt(const ouzel_options* o, int32_t option) {
  int64_t v = -12345;
  EXPECT_EQ(ouzel_options_get_int(o, option, &v), OUZEL_OK) << ouzel_last_error_message();
  return v;
}

struct Client {
  explicit Client(bool queue, const char* uri = "mqtt://127.0.0.1:1") {
    ouzel_options_new(&opts);
    ouzel_options_set_string(opts, OUZEL_OPT_SERVER_URI, uri, SIZE_MAX);
    ouzel_options_set_int(opts, OUZEL_OPT_EVENT_QUEUE, queue ? 1 : 0);
  }
  ~Client() {
    ouzel_client_free(c);
    ouzel_options_free(opts);
  }
  int Create() { return ouzel_client_new(&c, opts); }
  ouzel_options* opts = nullptr;
  ouzel_client* c = nullptr;
};

int releases = 0;
void CountRelease(void*) { ++releases; }
void OnMessage(ouzel_client*, const ouzel_message*, void*) {}
void OnSocket(ouzel_client*, int32_t, void*) {}

TEST(EventQueueOptions, DefaultsBoundsAndReadBack) {
  ouzel_options* o = nullptr;
  ASSERT_EQ(ouzel_options_new(&o), OUZEL_OK);
  EXPECT_EQ(GetInt(o, OUZEL_OPT_EVENT_QUEUE), 0);
  EXPECT_EQ(GetInt(o, OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES), 10000);
  EXPECT_EQ(GetInt(o, OUZEL_OPT_EVENT_QUEUE_MAX_BYTES), 67108864);
  EXPECT_EQ(GetInt(o, OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL), 0);
  EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_EVENT_QUEUE_MAX_BYTES, 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_EVENT_QUEUE, 2), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL, 3), OUZEL_EINVAL);
  EXPECT_EQ(GetInt(o, OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL), 0);  // refused: unchanged
  for (int32_t level :
       {OUZEL_LOG_INFO, OUZEL_LOG_NOTICE, OUZEL_LOG_WARNING, OUZEL_LOG_ERR, OUZEL_LOG_DEBUG, 0}) {
    EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL, level), OUZEL_OK);
    EXPECT_EQ(GetInt(o, OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL), level);
  }
  EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, 7), OUZEL_OK);
  EXPECT_EQ(GetInt(o, OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES), 7);
  ouzel_option_info info;
  ouzel_option_info_init(&info, OUZEL_OPTION_INFO_VERSION);
  ASSERT_EQ(ouzel_option_get_info(OUZEL_OPT_EVENT_QUEUE, &info), OUZEL_OK);
  EXPECT_NE(info.flags & OUZEL_OPTION_FIXED, 0u);
  ouzel_options_free(o);
}

TEST(EventQueueClient, CallbacksForQueuedEventsRefused_HooksAccepted) {
  Client q(true);
  ASSERT_EQ(q.Create(), OUZEL_OK);
  releases = 0;
  int token = 0;
  EXPECT_EQ(ouzel_client_set_on_message(q.c, OnMessage, &token, CountRelease), OUZEL_EINVAL);
  EXPECT_EQ(releases, 0);  // refused: the caller still owns user_data
  EXPECT_EQ(ouzel_client_set_on_message(q.c, nullptr, nullptr, nullptr), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_set_on_socket_open(q.c, OnSocket, &token, CountRelease), OUZEL_OK);
  Client plain(false);
  ASSERT_EQ(plain.Create(), OUZEL_OK);
  EXPECT_EQ(ouzel_client_set_on_message(plain.c, OnMessage, nullptr, nullptr), OUZEL_OK);
}

TEST(EventQueueClient, SetOptionsKeepsTheQueue) {
  Client q(true);
  ASSERT_EQ(q.Create(), OUZEL_OK);
  EXPECT_EQ(ouzel_client_set_options(q.c, q.opts, 0), OUZEL_OK);
  ouzel_options_set_int(q.opts, OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, 5);
  EXPECT_EQ(ouzel_client_set_options(q.c, q.opts, 0), OUZEL_EINVAL);
  ouzel_options_set_int(q.opts, OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, 10000);
  ouzel_options_set_int(q.opts, OUZEL_OPT_EVENT_QUEUE, 0);
  EXPECT_EQ(ouzel_client_set_options(q.c, q.opts, 0), OUZEL_EINVAL);
}

TEST(EventQueueClient, ArgumentsAndVersionsChecked) {
  ouzel_event e[4];
  EXPECT_EQ(ouzel_event_init(nullptr, OUZEL_EVENT_VERSION), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_event_init(e, OUZEL_EVENT_VERSION + 1), OUZEL_EVERSION);
  ASSERT_EQ(ouzel_event_init(e, OUZEL_EVENT_VERSION), OUZEL_OK);

  Client plain(false);
  ASSERT_EQ(plain.Create(), OUZEL_OK);
  EXPECT_EQ(ouzel_client_poll_events(plain.c, e, 4, 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_event_fd(plain.c), -1);
  EXPECT_EQ(ouzel_client_interrupt_poll(plain.c), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_want_read(plain.c), 0);  // no socket

  Client q(true);
  ASSERT_EQ(q.Create(), OUZEL_OK);
  EXPECT_GE(ouzel_client_event_fd(q.c), 0);
  EXPECT_EQ(ouzel_client_poll_events(nullptr, e, 4, 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_poll_events(q.c, nullptr, 4, 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_poll_events(q.c, e, 0, 0), OUZEL_EINVAL);
  ouzel_event stale;
  ouzel_event_init(&stale, OUZEL_EVENT_VERSION);
  stale.version = 99;
  EXPECT_EQ(ouzel_client_poll_events(q.c, &stale, 1, 0), OUZEL_EVERSION);
  EXPECT_EQ(ouzel_client_poll_events(q.c, e, 4, 0), 0);
  EXPECT_EQ(ouzel_client_release_events(q.c, nullptr, 0), OUZEL_OK);
  EXPECT_EQ(ouzel_client_release_events(nullptr, e, 1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_client_release_events(q.c, e, 1), OUZEL_EINVAL);  // never polled
  e[0].internal_ = reinterpret_cast<void*>(uintptr_t{12345});
  EXPECT_EQ(ouzel_client_release_events(q.c, e, 1), OUZEL_EINVAL);  // not from this client
}

TEST(EventQueueClient, PollTimesOut_InterruptEndsAWaitOrTheNextCall) {
  Client q(true);
  ASSERT_EQ(q.Create(), OUZEL_OK);
  ouzel_event e;
  ouzel_event_init(&e, OUZEL_EVENT_VERSION);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ouzel_client_poll_events(q.c, &e, 1, 50), 0);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(45));
  ASSERT_EQ(ouzel_client_interrupt_poll(q.c), OUZEL_OK);
  EXPECT_EQ(ouzel_client_poll_events(q.c, &e, 1, -1), 0);  // returns at once
}

// A thread that alternates ouzel_client_loop and polling events (the Python binding's loop) is
// told to look at its stop condition by ouzel_client_loop_stop, though no loop thread runs.
TEST(EventQueueClient, LoopStopWakesALoopWaitingOnAnotherThread) {
  Client q(true);
  ASSERT_EQ(q.Create(), OUZEL_OK);
  const auto start = std::chrono::steady_clock::now();
  std::thread looper([&] { ouzel_client_loop(q.c, 20000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(ouzel_client_loop_stop(q.c), OUZEL_ENOTFOUND);
  looper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// A free port on loopback that nothing listens on (bound, then closed).
int ClosedPort() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

TEST(EventQueueClient, RefusedConnection_ConnectFailedWithDetail_AndLogLines) {
  const std::string uri = "mqtt://127.0.0.1:" + std::to_string(ClosedPort());
  Client q(true, uri.c_str());
  ouzel_options_set_int(q.opts, OUZEL_OPT_RECONNECT, 0);
  ouzel_options_set_int(q.opts, OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL, OUZEL_LOG_DEBUG);
  ASSERT_EQ(q.Create(), OUZEL_OK);
  ASSERT_EQ(ouzel_client_loop_start(q.c), OUZEL_OK);
  ASSERT_EQ(ouzel_client_connect(q.c), OUZEL_OK);
  std::vector<std::string> logs;
  int failed = 0;
  std::string detail;
  int error = 0;
  int reason = 0;
  bool properties_present = true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  ouzel_event ev[16];
  ouzel_event_init(ev, OUZEL_EVENT_VERSION);
  while (failed == 0 && std::chrono::steady_clock::now() < deadline) {
    const int n = ouzel_client_poll_events(q.c, ev, 16, 200);
    ASSERT_GE(n, 0);
    for (int i = 0; i < n; ++i) {
      properties_present = properties_present && ev[i].properties != nullptr;
      EXPECT_EQ(ev[i].version, OUZEL_EVENT_VERSION);
      if (ev[i].type == OUZEL_EVENT_LOG) {
        logs.emplace_back(ev[i].text, ev[i].text_len);
        EXPECT_GE(ev[i].level, OUZEL_LOG_INFO);
      } else if (ev[i].type == OUZEL_EVENT_CONNECT_FAILED) {
        ++failed;
        detail.assign(ev[i].text, ev[i].text_len);
        error = ev[i].error;
        reason = ev[i].reason_code;
      }
    }
    ASSERT_EQ(ouzel_client_release_events(q.c, ev, static_cast<size_t>(n)), OUZEL_OK);
  }
  ASSERT_EQ(failed, 1);
  EXPECT_EQ(error, OUZEL_EIO);
  EXPECT_EQ(reason, -1);  // no CONNACK came
  EXPECT_FALSE(detail.empty());
  EXPECT_TRUE(properties_present);
  ASSERT_FALSE(logs.empty());
  bool mentions_connecting = false;
  for (const std::string& l : logs) mentions_connecting |= l.find("connecting to") == 0;
  EXPECT_TRUE(mentions_connecting) << logs.front();
}

}  // namespace
