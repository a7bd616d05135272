#include "cc/transport/resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ouzel {

std::string ResolvedAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {0};
  if (family() == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    return absl::StrCat(text, ":", ntohs(in->sin_port));
  }
  if (family() == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&storage);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    return absl::StrCat("[", text, "]:", ntohs(in6->sin6_port));
  }
  return absl::StrCat("<family ", family(), ">");
}

namespace {

std::vector<ResolvedAddress> FromAddrinfo(const addrinfo* list) {
  std::vector<ResolvedAddress> out;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    ResolvedAddress a;
    std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
    a.length = ai->ai_addrlen;
    bool duplicate = false;
    for (const ResolvedAddress& seen : out) {
      if (seen.length == a.length && std::memcmp(&seen.storage, &a.storage, a.length) == 0) {
        duplicate = true;
        break;
      }
    }
    if (!duplicate) out.push_back(a);
  }
  return out;
}

absl::StatusOr<std::vector<ResolvedAddress>> GetAddrInfo(const std::string& host, uint16_t port,
                                                         int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  // Not AI_ADDRCONFIG: glibc ignores loopback when deciding which families are configured, so it
  // would hide ::1 on a host whose only IPv6 address is loopback.
  hints.ai_flags = flags | AI_NUMERICSERV;
  std::string service = std::to_string(port);
  addrinfo* list = nullptr;
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  if (rc != 0) {
    std::string why = rc == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(rc);
    std::string message = absl::StrCat("cannot resolve '", host, "': ", why);
    if (rc == EAI_AGAIN || rc == EAI_MEMORY || rc == EAI_SYSTEM) {
      return absl::UnavailableError(message);
    }
    return absl::NotFoundError(message);
  }
  std::vector<ResolvedAddress> out = FromAddrinfo(list);
  freeaddrinfo(list);
  if (out.empty()) {
    return absl::NotFoundError(absl::StrCat("cannot resolve '", host, "': no IP addresses"));
  }
  return out;
}

// A result known when the job starts.
class ReadyJob : public ResolveJob {
 public:
  explicit ReadyJob(absl::StatusOr<std::vector<ResolvedAddress>> result)
      : result_(std::move(result)) {}
  std::optional<absl::StatusOr<std::vector<ResolvedAddress>>> TakeResult() override {
    if (taken_) return std::nullopt;
    taken_ = true;
    return std::move(result_);
  }

 private:
  absl::StatusOr<std::vector<ResolvedAddress>> result_;
  bool taken_ = false;
};

std::atomic<int> g_lookups_running{0};

// A getaddrinfo on a helper thread. The thread holds a reference to the shared state, so the
// job may be dropped at any time.
class ThreadJob : public ResolveJob {
 public:
  struct State {
    std::mutex mu;
    bool done = false;
    bool taken = false;
    absl::StatusOr<std::vector<ResolvedAddress>> result{std::vector<ResolvedAddress>{}};
  };

  explicit ThreadJob(std::shared_ptr<State> state) : state_(std::move(state)) {}

  std::optional<absl::StatusOr<std::vector<ResolvedAddress>>> TakeResult() override {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->done || state_->taken) return std::nullopt;
    state_->taken = true;
    return std::move(state_->result);
  }

 private:
  std::shared_ptr<State> state_;
};

bool IsLocalhost(absl::string_view host) {
  std::string lower = absl::AsciiStrToLower(host);
  if (!lower.empty() && lower.back() == '.') lower.pop_back();
  return lower == "localhost" || absl::EndsWith(lower, ".localhost");
}

class SystemResolverImpl : public Resolver {
 public:
  absl::StatusOr<std::shared_ptr<ResolveJob>> Start(absl::string_view host, uint16_t port,
                                                    std::shared_ptr<Waker> waker) override {
    if (host.empty()) return absl::InvalidArgumentError("empty host name");
    if (std::optional<ResolvedAddress> literal = ResolvedAddress::FromLiteral(host, port)) {
      return std::shared_ptr<ResolveJob>(
          new ReadyJob(std::vector<ResolvedAddress>{std::move(*literal)}));
    }
    if (IsLocalhost(host)) {
      std::vector<ResolvedAddress> loopback = {*ResolvedAddress::FromLiteral("::1", port),
                                               *ResolvedAddress::FromLiteral("127.0.0.1", port)};
      return std::shared_ptr<ResolveJob>(new ReadyJob(std::move(loopback)));
    }
    if (g_lookups_running.fetch_add(1) >= kMaxConcurrentLookups) {
      g_lookups_running.fetch_sub(1);
      return absl::ResourceExhaustedError(absl::StrCat(
          "cannot resolve '", host, "': ", kMaxConcurrentLookups, " name lookups already running"));
    }
    auto state = std::make_shared<ThreadJob::State>();
    std::string name(host);
    try {
      std::thread([state, name, port, waker]() {
        absl::StatusOr<std::vector<ResolvedAddress>> result = GetAddrInfo(name, port, 0);
        {
          std::lock_guard<std::mutex> lock(state->mu);
          state->result = std::move(result);
          state->done = true;
        }
        if (waker) waker->Wake();
        g_lookups_running.fetch_sub(1);
      }).detach();
    } catch (const std::system_error& e) {
      g_lookups_running.fetch_sub(1);
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot resolve '", host, "': no thread for the lookup: ", e.what()));
    }
    return std::shared_ptr<ResolveJob>(new ThreadJob(std::move(state)));
  }
};

}  // namespace

std::optional<ResolvedAddress> ResolvedAddress::FromLiteral(absl::string_view ip, uint16_t port) {
  // AI_NUMERICHOST: getaddrinfo parses the literal and never consults hosts files or DNS.
  if (ip.empty()) return std::nullopt;
  absl::StatusOr<std::vector<ResolvedAddress>> r =
      GetAddrInfo(std::string(ip), port, AI_NUMERICHOST);
  if (!r.ok() || r->empty()) return std::nullopt;
  return (*r)[0];
}

std::shared_ptr<Resolver> SystemResolver() {
  // Not a leaked heap singleton: libouzel.so can be dlclose()d. Lookups in flight use their own job
  // state, never this object, so destroying it at exit or unload is safe.
  static const std::shared_ptr<Resolver> resolver = std::make_shared<SystemResolverImpl>();
  return resolver;
}

void FixedResolver::Add(absl::string_view host, std::vector<std::string> ips) {
  table_[absl::AsciiStrToLower(host)] = std::move(ips);
}

absl::StatusOr<std::shared_ptr<ResolveJob>> FixedResolver::Start(absl::string_view host,
                                                                 uint16_t port,
                                                                 std::shared_ptr<Waker> waker) {
  auto it = table_.find(absl::AsciiStrToLower(host));
  if (it == table_.end()) {
    if (fallback_) return fallback_->Start(host, port, std::move(waker));
    return absl::NotFoundError(absl::StrCat("cannot resolve '", host, "': not in the table"));
  }
  std::vector<ResolvedAddress> out;
  for (const std::string& ip : it->second) {
    std::optional<ResolvedAddress> a = ResolvedAddress::FromLiteral(ip, port);
    if (!a) return absl::InvalidArgumentError(absl::StrCat("'", ip, "' is not an IP address"));
    out.push_back(*a);
  }
  return std::shared_ptr<ResolveJob>(new ReadyJob(std::move(out)));
}

}  // namespace ouzel
