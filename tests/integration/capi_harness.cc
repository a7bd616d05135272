#include "tests/integration/capi_harness.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace ouzel_it {
namespace {

using Clock = std::chrono::steady_clock;

Recorder* Rec(void* user_data) { return static_cast<Recorder*>(user_data); }

void CbConnect(ouzel_client*, int32_t rc, int32_t sp, const ouzel_properties* props, void* ud) {
  Rec(ud)->OnConnect(rc, sp, props);
}
void CbConnectFail(ouzel_client*, int32_t error, int32_t rc, void* ud) {
  Rec(ud)->OnConnectFail(error, rc);
}
void CbDisconnect(ouzel_client*, int32_t error, int32_t rc, int32_t by_server,
                  const ouzel_properties*, void* ud) {
  Rec(ud)->OnDisconnect(error, rc, by_server);
}
void CbMessage(ouzel_client* c, const ouzel_message* msg, void* ud) { Rec(ud)->OnMessage(c, msg); }
void CbPublish(ouzel_client*, uint64_t token, const ouzel_delivery_status* status,
               const ouzel_properties*, void* ud) {
  Rec(ud)->OnPublish(token, status);
}
void CbSubscribe(ouzel_client*, int32_t mid, const uint8_t* codes, size_t count,
                 const ouzel_properties*, void* ud) {
  Rec(ud)->OnSubscribe(mid, codes, count);
}
void CbRelease(void* ud) { Rec(ud)->OnRelease(); }

std::optional<uint32_t> IntProp(const ouzel_properties* p, int32_t id) {
  uint32_t v = 0;
  if (ouzel_properties_get_int(p, id, &v) != OUZEL_OK) return std::nullopt;
  return v;
}

std::optional<std::string> BytesProp(const ouzel_properties* p, int32_t id) {
  const char* s = nullptr;
  size_t n = 0;
  if (ouzel_properties_get_bytes(p, id, &s, &n) != OUZEL_OK) return std::nullopt;
  return std::string(s, n);
}

// Loop results that a correct client can return while connections come and go.
bool ExpectedLoopResult(int rc) {
  switch (rc) {
    case OUZEL_OK:
    case OUZEL_EWOULDBLOCK:
    case OUZEL_ENOTCONN:
    case OUZEL_EIO:
    case OUZEL_ECLOSED:
    case OUZEL_ETIMEDOUT:
    case OUZEL_EREFUSED:
    case OUZEL_EPROTOCOL:
      return true;
    default:
      return false;
  }
}

void ExternalStep(const std::vector<TestClient*>& clients, int max_wait_ms) {
  std::vector<pollfd> fds;
  std::vector<int> sock_index(clients.size(), -1);
  std::vector<size_t> wake_index(clients.size(), 0);
  int wait_ms = max_wait_ms;
  for (size_t i = 0; i < clients.size(); ++i) {
    ouzel_client* c = clients[i]->get();
    wake_index[i] = fds.size();
    fds.push_back(pollfd{ouzel_client_wake_fd(c), POLLIN, 0});
    const int fd = ouzel_client_socket(c);
    if (fd >= 0) {
      sock_index[i] = static_cast<int>(fds.size());
      const short events = POLLIN | (ouzel_client_want_write(c) ? POLLOUT : 0);
      fds.push_back(pollfd{fd, events, 0});
    }
    const int32_t t = ouzel_client_next_timeout_ms(c);
    if (t >= 0) wait_ms = std::min(wait_ms, static_cast<int>(t));
  }
  const int n = poll(fds.data(), fds.size(), std::max(wait_ms, 0));
  for (size_t i = 0; i < clients.size(); ++i) {
    TestClient* tc = clients[i];
    ouzel_client* c = tc->get();
    if (n > 0 && sock_index[i] >= 0) {
      const short rev = fds[sock_index[i]].revents;
      if (rev & (POLLIN | POLLERR | POLLHUP))
        tc->NoteLoopResult("loop_read", ouzel_client_loop_read(c));
      if (rev & POLLOUT) tc->NoteLoopResult("loop_write", ouzel_client_loop_write(c));
    }
    const bool woken = n > 0 && fds[wake_index[i]].revents != 0;
    if (woken || ouzel_client_next_timeout_ms(c) == 0) {
      tc->NoteLoopResult("loop_misc", ouzel_client_loop_misc(c));
    }
  }
}

}  // namespace

const char* LoopModeName(LoopMode mode) {
  switch (mode) {
    case LoopMode::kThread:
      return "Thread";
    case LoopMode::kCaller:
      return "Caller";
    case LoopMode::kExternal:
      return "External";
  }
  return "?";
}

const char* VersionName(int version) {
  switch (version) {
    case OUZEL_MQTT_V31:
      return "V31";
    case OUZEL_MQTT_V311:
      return "V311";
    case OUZEL_MQTT_V5:
      return "V5";
  }
  return "V?";
}

void ExpectOk(int rc, const char* what) {
  EXPECT_EQ(rc, OUZEL_OK) << what << ": " << ouzel_strerror(rc) << " ("
                          << ouzel_last_error_message() << ")";
}

Properties NewProperties() {
  ouzel_properties* p = nullptr;
  ExpectOk(ouzel_properties_new(&p), "ouzel_properties_new");
  return Properties(p);
}

Options BaseOptions(int port, const std::string& client_id, int version) {
  ouzel_options* o = nullptr;
  ExpectOk(ouzel_options_new(&o), "ouzel_options_new");
  const std::string uri = "mqtt://127.0.0.1:" + std::to_string(port);
  ExpectOk(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, uri.data(), uri.size()), "uri");
  ExpectOk(ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, client_id.data(), client_id.size()),
           "client id");
  ExpectOk(ouzel_options_set_int(o, OUZEL_OPT_PROTOCOL_VERSION, version), "protocol version");
  ExpectOk(ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MIN_DELAY_MS, 50), "reconnect min");
  ExpectOk(ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MAX_DELAY_MS, 500), "reconnect max");
  ExpectOk(ouzel_options_set_int(o, OUZEL_OPT_CONNECT_TIMEOUT_MS, 5000), "connect timeout");
  ExpectOk(ouzel_options_set_int(o, OUZEL_OPT_KEEPALIVE_SECONDS, 30), "keepalive");
  return Options(o);
}

// ---- Recorder
// -------------------------------------------------------------------------------------

class Recorder::Scope {
 public:
  explicit Scope(Recorder* r) : r_(r) { r_->Enter(); }
  ~Scope() { r_->Leave(); }

 private:
  Recorder* r_;
};

void Recorder::Enter() {
  std::lock_guard<std::mutex> lock(mu_);
  if (active_ > 0) overlapped_ = true;
  ++active_;
  threads_.insert(std::this_thread::get_id());
}

void Recorder::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  --active_;
}

int Recorder::Attach(ouzel_client* c) {
  ExpectOk(ouzel_client_set_on_connect(c, CbConnect, this, CbRelease), "set_on_connect");
  ExpectOk(ouzel_client_set_on_connect_fail(c, CbConnectFail, this, CbRelease),
           "set_on_connect_fail");
  ExpectOk(ouzel_client_set_on_disconnect(c, CbDisconnect, this, CbRelease), "set_on_disconnect");
  ExpectOk(ouzel_client_set_on_message(c, CbMessage, this, CbRelease), "set_on_message");
  ExpectOk(ouzel_client_set_on_publish(c, CbPublish, this, CbRelease), "set_on_publish");
  ExpectOk(ouzel_client_set_on_subscribe(c, CbSubscribe, this, CbRelease), "set_on_subscribe");
  return 6;
}

void Recorder::set_message_hook(MessageHook hook) {
  std::lock_guard<std::mutex> lock(mu_);
  hook_ = std::move(hook);
}

void Recorder::OnConnect(int32_t reason_code, int32_t session_present,
                         const ouzel_properties* props) {
  Scope s(this);
  ConnectRecord r;
  r.reason_code = reason_code;
  r.session_present = session_present;
  r.topic_alias_maximum = IntProp(props, OUZEL_PROP_TOPIC_ALIAS_MAXIMUM);
  r.maximum_packet_size = IntProp(props, OUZEL_PROP_MAXIMUM_PACKET_SIZE);
  std::lock_guard<std::mutex> lock(mu_);
  connects_.push_back(r);
}

void Recorder::OnConnectFail(int32_t error, int32_t reason_code) {
  Scope s(this);
  std::lock_guard<std::mutex> lock(mu_);
  connect_fails_.push_back(ConnectFailRecord{error, reason_code, ouzel_last_error_message()});
}

void Recorder::OnDisconnect(int32_t error, int32_t reason_code, int32_t by_server) {
  Scope s(this);
  std::lock_guard<std::mutex> lock(mu_);
  disconnects_.push_back(
      DisconnectRecord{error, reason_code, by_server, ouzel_last_error_message()});
}

void Recorder::OnMessage(ouzel_client* client, const ouzel_message* msg) {
  Scope s(this);
  ReceivedMessage m;
  size_t n = 0;
  const char* topic = ouzel_message_topic(msg, &n);
  m.topic.assign(topic, n);
  const void* payload = ouzel_message_payload(msg, &n);
  m.payload.assign(static_cast<const char*>(payload), n);
  m.qos = ouzel_message_qos(msg);
  m.retain = ouzel_message_retain(msg);
  m.dup = ouzel_message_dup(msg);
  m.mid = ouzel_message_mid(msg);
  const ouzel_properties* props = ouzel_message_properties(msg);
  m.response_topic = BytesProp(props, OUZEL_PROP_RESPONSE_TOPIC);
  m.correlation_data = BytesProp(props, OUZEL_PROP_CORRELATION_DATA);
  m.topic_alias = IntProp(props, OUZEL_PROP_TOPIC_ALIAS);
  MessageHook hook;
  {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.push_back(std::move(m));
    hook = hook_;
  }
  if (hook) hook(client, msg);
}

void Recorder::OnPublish(uint64_t token, const ouzel_delivery_status* status) {
  Scope s(this);
  PublishRecord r;
  r.token = token;
  r.state = status->state;
  r.drop_reason = status->drop_reason;
  r.mid = status->mid;
  r.reason_code = status->reason_code;
  r.version = static_cast<int>(status->version);
  if (status->version >= 2) r.qos = status->qos;
  std::lock_guard<std::mutex> lock(mu_);
  published_.push_back(r);
}

void Recorder::OnSubscribe(int32_t mid, const uint8_t* codes, size_t count) {
  Scope s(this);
  SubscribeRecord r;
  r.mid = mid;
  r.reason_codes.assign(codes, codes + count);
  std::lock_guard<std::mutex> lock(mu_);
  subscribed_.push_back(std::move(r));
}

void Recorder::OnRelease() {
  std::lock_guard<std::mutex> lock(mu_);
  ++releases_;
}

#define OUZEL_IT_GETTER(type, name, expr)  \
  type Recorder::name() const {            \
    std::lock_guard<std::mutex> lock(mu_); \
    return expr;                           \
  }
OUZEL_IT_GETTER(int, connect_count, static_cast<int>(connects_.size()))
OUZEL_IT_GETTER(int, connect_fail_count, static_cast<int>(connect_fails_.size()))
OUZEL_IT_GETTER(int, disconnect_count, static_cast<int>(disconnects_.size()))
OUZEL_IT_GETTER(int, message_count, static_cast<int>(messages_.size()))
OUZEL_IT_GETTER(int, publish_count, static_cast<int>(published_.size()))
OUZEL_IT_GETTER(std::vector<ConnectRecord>, connects, connects_)
OUZEL_IT_GETTER(std::vector<ConnectFailRecord>, connect_fails, connect_fails_)
OUZEL_IT_GETTER(std::vector<DisconnectRecord>, disconnects, disconnects_)
OUZEL_IT_GETTER(std::vector<ReceivedMessage>, messages, messages_)
OUZEL_IT_GETTER(std::vector<PublishRecord>, published, published_)
OUZEL_IT_GETTER(std::vector<SubscribeRecord>, subscribed, subscribed_)
OUZEL_IT_GETTER(int, releases, releases_)
OUZEL_IT_GETTER(size_t, thread_count, threads_.size())
OUZEL_IT_GETTER(std::set<std::thread::id>, threads, threads_)
OUZEL_IT_GETTER(bool, overlapped, overlapped_)
#undef OUZEL_IT_GETTER

bool Recorder::HasSuback(int mid) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const SubscribeRecord& r : subscribed_) {
    if (r.mid == mid) return true;
  }
  return false;
}

// ---- TestClient
// -----------------------------------------------------------------------------------

TestClient::TestClient(ouzel_client* client, LoopMode mode, std::unique_ptr<Recorder> recorder,
                       int registered)
    : client_(client), mode_(mode), recorder_(std::move(recorder)), registered_(registered) {}

std::unique_ptr<TestClient> TestClient::Create(const ouzel_options* opts, LoopMode mode,
                                               Recorder::MessageHook hook) {
  ouzel_client* c = nullptr;
  const int rc = ouzel_client_new(&c, opts);
  ExpectOk(rc, "ouzel_client_new");
  if (rc != OUZEL_OK) return nullptr;
  auto recorder = std::make_unique<Recorder>();
  if (hook) recorder->set_message_hook(std::move(hook));
  const int registered = recorder->Attach(c);
  std::unique_ptr<TestClient> tc(new TestClient(c, mode, std::move(recorder), registered));
  if (mode == LoopMode::kThread) ExpectOk(ouzel_client_loop_start(c), "ouzel_client_loop_start");
  return tc;
}

TestClient::~TestClient() { Free(); }

void TestClient::Free() {
  if (client_ == nullptr) return;
  ouzel_client_free(client_);
  client_ = nullptr;
  // "The hook runs exactly once after the last possible call" (CAPI.md): the client is gone.
  EXPECT_EQ(recorder_->releases(), registered_) << "release hooks after ouzel_client_free";
}

void TestClient::NoteLoopResult(const char* what, int rc) {
  if (ExpectedLoopResult(rc)) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (loop_errors_.size() < 20) {
    loop_errors_.push_back(std::string(what) + ": " + ouzel_strerror(rc) + " (" +
                           ouzel_last_error_message() + ")");
  }
}

std::vector<std::string> TestClient::loop_errors() const {
  std::lock_guard<std::mutex> lock(mu_);
  return loop_errors_;
}

void TestClient::CallerStep(int timeout_ms) {
  NoteLoopResult("loop", ouzel_client_loop(client_, timeout_ms));
}

int64_t TestClient::Stat(int32_t stat) const {
  int64_t v = -1;
  ExpectOk(ouzel_client_stat(client_, stat, &v), "ouzel_client_stat");
  return v;
}

// ---- Driving
// --------------------------------------------------------------------------------------

bool RunUntil(const std::vector<TestClient*>& clients, const std::function<bool()>& done,
              int timeout_ms) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::vector<TestClient*> caller, external;
  for (TestClient* c : clients) {
    if (c == nullptr || c->freed()) continue;
    if (c->mode() == LoopMode::kCaller) caller.push_back(c);
    if (c->mode() == LoopMode::kExternal) external.push_back(c);
  }
  // One client alone may block in its loop for a while; several take short turns.
  const int slice = caller.size() + (external.empty() ? 0 : 1) > 1 ? 2 : 20;
  // Bounded by the deadline; the count is a second guard against a clock that does not move.
  for (int64_t i = 0; i < 10'000'000; ++i) {
    if (done()) return true;
    if (Clock::now() >= deadline) return done();
    for (TestClient* c : caller) c->CallerStep(slice);
    if (!external.empty()) ExternalStep(external, slice);
    if (caller.empty() && external.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return done();
}

bool RunUntil(std::initializer_list<TestClient*> clients, const std::function<bool()>& done,
              int timeout_ms) {
  return RunUntil(std::vector<TestClient*>(clients), done, timeout_ms);
}

void RunFor(std::initializer_list<TestClient*> clients, int ms) {
  RunUntil(
      clients, [] { return false; }, ms);
}

bool ConnectAll(std::initializer_list<TestClient*> clients) {
  std::vector<int> before;
  for (TestClient* c : clients) {
    before.push_back(c->events().connect_count());
    const int rc = ouzel_client_connect(c->get());
    ExpectOk(rc, "ouzel_client_connect");
    if (rc != OUZEL_OK) return false;
  }
  const bool ok = RunUntil(clients, [&] {
    size_t i = 0;
    for (TestClient* c : clients) {
      if (c->events().connect_count() <= before[i++]) return false;
    }
    return true;
  });
  EXPECT_TRUE(ok) << "not every client connected";
  return ok;
}

bool SubscribeAndWait(TestClient* c, const std::string& filter, int qos,
                      std::vector<uint8_t>* codes, const ouzel_subscription* tmpl,
                      std::initializer_list<TestClient*> also_run) {
  ouzel_subscription sub;
  if (tmpl != nullptr) {
    sub = *tmpl;
  } else {
    ExpectOk(ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION), "subscription_init");
  }
  sub.filter = filter.data();
  sub.filter_len = filter.size();
  sub.qos = qos;
  int32_t mid = 0;
  const int rc = ouzel_client_subscribe(c->get(), &sub, 1, nullptr, &mid);
  ExpectOk(rc, "ouzel_client_subscribe");
  if (rc != OUZEL_OK) return false;
  std::vector<TestClient*> run(also_run);
  run.push_back(c);
  const bool ok = RunUntil(run, [&] { return c->events().HasSuback(mid); });
  EXPECT_TRUE(ok) << "no SUBACK for " << filter;
  if (ok && codes != nullptr) {
    for (const SubscribeRecord& r : c->events().subscribed()) {
      if (r.mid == mid) *codes = r.reason_codes;
    }
  }
  return ok;
}

bool DisconnectAndWait(TestClient* c) {
  const int before = c->events().disconnect_count();
  const int rc = ouzel_client_disconnect(c->get(), 0, nullptr);
  ExpectOk(rc, "ouzel_client_disconnect");
  if (rc != OUZEL_OK) return false;
  const bool ok = RunUntil({c}, [&] { return c->events().disconnect_count() > before; });
  EXPECT_TRUE(ok) << "no on_disconnect";
  return ok;
}

int PublishAndWait(TestClient* c, const std::string& topic, const std::string& payload, int qos,
                   int retain, const ouzel_properties* props,
                   std::initializer_list<TestClient*> also_run) {
  uint64_t token = 0;
  const int rc = ouzel_client_publish(c->get(), topic.data(), topic.size(), payload.data(),
                                      payload.size(), qos, retain, props, &token, nullptr);
  ExpectOk(rc, "ouzel_client_publish");
  if (rc != OUZEL_OK) return -1;
  std::vector<TestClient*> run(also_run);
  run.push_back(c);
  int state = -1;
  RunUntil(run, [&] {
    for (const PublishRecord& r : c->events().published()) {
      if (r.token == token) {
        state = r.state;
        return true;
      }
    }
    return false;
  });
  EXPECT_NE(state, -1) << "no on_publish for the message to " << topic;
  return state;
}

std::string Describe(const std::vector<ReceivedMessage>& messages) {
  std::string out = std::to_string(messages.size()) + " messages:";
  size_t shown = 0;
  for (const ReceivedMessage& m : messages) {
    if (++shown > 10) {
      out += " ...";
      break;
    }
    std::string printable;
    for (char ch : m.payload.substr(0, 24)) printable.push_back(ch >= 32 && ch < 127 ? ch : '.');
    out += " [topic '" + m.topic + "' qos " + std::to_string(m.qos) + " retain " +
           std::to_string(m.retain) + " dup " + std::to_string(m.dup) + " payload " +
           std::to_string(m.payload.size()) + " bytes '" + printable + "']";
  }
  return out;
}

// ---- Payloads
// -------------------------------------------------------------------------------------

std::string NumberedPayload(int index) {
  std::string p = "#" + std::to_string(index);
  p.push_back('\0');
  p.push_back(static_cast<char>(index & 0xff));
  p.append("\0\xff\x01tail", 7);
  return p;
}

int PayloadIndex(const std::string& payload) {
  if (payload.size() < 2 || payload[0] != '#') return -1;
  const size_t nul = payload.find('\0');
  if (nul == std::string::npos || nul < 2) return -1;
  int v = 0;
  for (size_t i = 1; i < nul; ++i) {
    if (payload[i] < '0' || payload[i] > '9') return -1;
    v = v * 10 + (payload[i] - '0');
  }
  return payload == NumberedPayload(v) ? v : -1;
}

std::string PatternPayload(size_t size, uint32_t seed) {
  std::string p(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < size; ++i) {
    x = x * 1664525u + 1013904223u;
    // Every 97th byte is NUL; the rest come from the high bits (which include NUL too).
    p[i] = (i % 97 == 0) ? '\0' : static_cast<char>(x >> 24);
  }
  return p;
}

}  // namespace ouzel_it
