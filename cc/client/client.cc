// Client: the public handle (client.h) on a shared Core, so a callback can destroy it safely;
// option checks shared by Create and UpdateOptions. The Core's jobs live in client_*.cc.
#include "cc/client/client.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cc/client/client_core.h"
#include "cc/transport/address.h"
#include "cc/transport/waker.h"

namespace ouzel {

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

const char* ConnectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::kDisconnected:
      return "disconnected";
    case ConnectionState::kConnectPending:
      return "connect pending";
    case ConnectionState::kConnecting:
      return "connecting";
    case ConnectionState::kConnected:
      return "connected";
    case ConnectionState::kDisconnecting:
      return "disconnecting";
    case ConnectionState::kConnectionLost:
      return "connection lost";
  }
  return "?";
}

// ----------------------------------------------------------------------------------------------
// Client: a handle on the shared core, so a callback can destroy it safely.
// ----------------------------------------------------------------------------------------------

namespace {

// Parses the server URIs and checks what Create and UpdateOptions both need; credentials in the
// first URI fill in a user name (and password) the options lack.
absl::StatusOr<std::vector<ServerAddress>> PrepareOptions(ClientOptions& options) {
  std::vector<ServerAddress> servers;
  for (const std::string& uri : options.servers) {
    absl::StatusOr<ServerAddress> a = ServerAddress::Parse(uri);
    if (!a.ok()) return a.status();
    servers.push_back(std::move(*a));
  }
  if (!servers.empty() && !options.session.username && servers[0].username) {
    options.session.username = servers[0].username;
    if (!options.session.password) options.session.password = servers[0].password;
  }
  if (options.reconnect_min_delay < absl::ZeroDuration() ||
      options.reconnect_max_delay < options.reconnect_min_delay) {
    return absl::InvalidArgumentError("reconnect delays: need 0 <= min <= max");
  }
  if (options.connect_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("connect_timeout must be positive");
  }
  if (options.event_queue.enabled &&
      (options.event_queue.max_messages == 0 || options.event_queue.max_bytes == 0)) {
    return absl::InvalidArgumentError("event queue bounds must be at least 1");
  }
  if (absl::Status valid = Session::ValidateOptions(options.session); !valid.ok()) return valid;
  return servers;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  absl::StatusOr<std::vector<ServerAddress>> servers = PrepareOptions(options);
  if (!servers.ok()) return servers.status();
  absl::StatusOr<std::shared_ptr<Waker>> waker = Waker::Create();
  if (!waker.ok()) return waker.status();
  std::unique_ptr<client_internal::EventQueue> event_queue;
  if (options.event_queue.enabled) {
    absl::StatusOr<std::unique_ptr<client_internal::EventQueue>> q =
        client_internal::EventQueue::Create(options.event_queue, options.session.manual_ack);
    if (!q.ok()) return q.status();
    event_queue = *std::move(q);
  }
  auto core = std::make_shared<client_internal::Core>(std::move(options), *std::move(servers),
                                                      std::move(*waker), std::move(event_queue));
  return std::unique_ptr<Client>(new Client(std::move(core)));
}

Client::Client(std::shared_ptr<client_internal::Core> core) : core_(std::move(core)) {}

Client::~Client() {
  // Polls blocked in PollEvents return Cancelled and leave before anything they use changes.
  core_->CloseEventQueue();
  std::shared_ptr<client_internal::Core> core = std::move(core_);
  core->Shutdown();
}

void Client::SetCallbacks(ClientCallbacks callbacks) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c = std::move(callbacks); });
}
void Client::SetOnConnect(std::function<void(const ConnectedEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_connect = std::move(f); });
}
void Client::SetOnConnectFailed(std::function<void(const ConnectFailedEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_connect_failed = std::move(f); });
}
void Client::SetOnDisconnect(std::function<void(const DisconnectedEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_disconnect = std::move(f); });
}
void Client::SetOnMessage(std::function<void(const Message&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_message = std::move(f); });
}
void Client::SetOnPublish(std::function<void(const PublishDoneEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_publish = std::move(f); });
}
void Client::SetOnSubscribe(std::function<void(const SubscribeDoneEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_subscribe = std::move(f); });
}
void Client::SetOnUnsubscribe(std::function<void(const UnsubscribeDoneEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_unsubscribe = std::move(f); });
}
void Client::SetOnAuth(std::function<void(const AuthEvent&)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_auth = std::move(f); });
}
void Client::SetOnLog(std::function<void(LogLevel, absl::string_view)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_log = std::move(f); });
}
void Client::SetLogLevel(LogLevel min_level) { core_->SetLogLevel(min_level); }
void Client::SetOnPreConnect(std::function<void()> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_pre_connect = std::move(f); });
}
void Client::SetOnSocketOpen(std::function<void(int fd)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_socket_open = std::move(f); });
}
void Client::SetOnSocketClose(std::function<void(int fd)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_socket_close = std::move(f); });
}
void Client::SetOnSocketRegisterWrite(std::function<void(int fd)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_socket_register_write = std::move(f); });
}
void Client::SetOnSocketUnregisterWrite(std::function<void(int fd)> f) {
  core_->UpdateCallbacks([&](ClientCallbacks& c) { c.on_socket_unregister_write = std::move(f); });
}

// Entry points copy the core pointer first: if a callback destroys this Client meanwhile, the
// core stays alive until the call returns and `this` is never touched again.
absl::Status Client::ConnectAsync() { return core_->ConnectAsync(); }
absl::Status Client::Connect() {
  auto core = core_;
  return core->Connect();
}
absl::Status Client::Reconnect() { return core_->Reconnect(); }
absl::Status Client::Disconnect(uint8_t reason_code, Properties properties) {
  return core_->Disconnect(reason_code, std::move(properties));
}
bool Client::IsConnected() const { return core_->IsConnected(); }
absl::Status Client::CheckPublishSize(size_t topic_len, size_t payload_len, uint8_t qos,
                                      size_t properties_len) const {
  return core_->CheckPublishSize(topic_len, payload_len, qos, properties_len);
}
ConnectionState Client::connection_state() const { return core_->connection_state(); }
absl::Status Client::SetServers(const std::vector<std::string>& uris) {
  return core_->SetServers(uris);
}
void Client::SetReconnect(bool enabled, absl::Duration min_delay, absl::Duration max_delay) {
  core_->SetReconnect(enabled, min_delay, max_delay);
}
absl::Status Client::UpdateOptions(ClientOptions options, bool as_first_connection) {
  absl::StatusOr<std::vector<ServerAddress>> servers = PrepareOptions(options);
  if (!servers.ok()) return servers.status();
  return core_->UpdateOptions(std::move(options), *std::move(servers), as_first_connection);
}

absl::StatusOr<MessageToken> Client::Publish(PublishRequest request, uint16_t* packet_id) {
  return core_->Publish(std::move(request), packet_id);
}
absl::StatusOr<MessageToken> Client::Publish(absl::string_view topic, absl::string_view payload,
                                             uint8_t qos, bool retain) {
  PublishRequest r;
  r.topic = std::string(topic);
  r.payload = std::string(payload);
  r.qos = qos;
  r.retain = retain;
  return core_->Publish(std::move(r), nullptr);
}
absl::StatusOr<uint16_t> Client::Subscribe(SubscribeRequest request) {
  return core_->Subscribe(std::move(request));
}
absl::StatusOr<uint16_t> Client::Subscribe(absl::string_view filter, uint8_t qos) {
  SubscribeRequest r;
  Subscription s;
  s.filter = std::string(filter);
  s.qos = qos;
  r.subscriptions.push_back(std::move(s));
  return core_->Subscribe(std::move(r));
}
absl::StatusOr<uint16_t> Client::Unsubscribe(std::vector<std::string> filters,
                                             Properties properties) {
  return core_->Unsubscribe(std::move(filters), std::move(properties));
}
absl::Status Client::Ack(uint16_t packet_id) { return core_->Ack(packet_id); }
absl::Status Client::WithholdAck() { return core_->WithholdAck(); }
absl::Status Client::ContinueAuthentication(Properties properties) {
  return core_->ContinueAuthentication(std::move(properties));
}
absl::Status Client::Reauthenticate(Properties properties) {
  return core_->Reauthenticate(std::move(properties));
}
std::optional<MessageStatus> Client::DeliveryStatus(MessageToken token) const {
  return core_->DeliveryStatus(token);
}
absl::StatusOr<MessageStatus> Client::WaitForPublish(MessageToken token, absl::Duration timeout) {
  auto core = core_;
  return core->WaitForPublish(token, timeout);
}

absl::Status Client::LoopStart() { return core_->LoopStart(); }
absl::Status Client::LoopStop() {
  auto core = core_;
  return core->LoopStop();
}
absl::Status Client::Loop(absl::Duration timeout) {
  auto core = core_;
  return core->Loop(timeout);
}
absl::Status Client::LoopForever(bool retry_first_connection) {
  auto core = core_;
  return core->LoopForever(retry_first_connection);
}
int Client::Socket() const { return core_->Socket(); }
int Client::WakeFd() const { return core_->WakeFd(); }
bool Client::WantWrite() const { return core_->WantWrite(); }
absl::StatusOr<size_t> Client::LoopRead() {
  auto core = core_;
  return core->LoopRead();
}
absl::StatusOr<size_t> Client::LoopWrite() {
  auto core = core_;
  return core->LoopWrite();
}
absl::Status Client::LoopMisc() {
  auto core = core_;
  return core->LoopMisc();
}
std::optional<absl::Duration> Client::NextTimeout() const { return core_->NextTimeout(); }
bool Client::WantRead() const { return core_->WantRead(); }

absl::StatusOr<size_t> Client::PollEvents(std::vector<QueuedEvent*>& out, size_t max,
                                          absl::Duration timeout) {
  return core_->PollEvents(out, max, timeout);
}
absl::Status Client::ReleaseEvents(absl::Span<const EventRelease> releases) {
  return core_->ReleaseEvents(releases);
}
absl::Status Client::ReleaseEvents(absl::Span<QueuedEvent* const> events) {
  std::vector<EventRelease> releases;
  releases.reserve(events.size());
  for (const QueuedEvent* e : events) releases.push_back({e->id(), e->ack_on_release});
  return core_->ReleaseEvents(releases);
}
int Client::EventFd() const { return core_->EventFd(); }
absl::Status Client::InterruptPoll() { return core_->InterruptPoll(); }
ClientStats Client::Stats() const { return core_->Stats(); }
std::string Client::ClientId() const { return core_->ClientId(); }
SessionState Client::session_state() const { return core_->session_state(); }

}  // namespace ouzel
