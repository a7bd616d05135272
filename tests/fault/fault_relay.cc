#include "tests/fault/fault_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>

#include "absl/strings/str_cat.h"

namespace ouzel_fault {
namespace {

constexpr int kPollMs = 50;

// Writes all of `n` bytes to a blocking socket; false once the peer is gone.
bool WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

void CloseWithReset(int fd) {
  linger l{1, 0};  // close() then sends RST instead of FIN
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  close(fd);
}

int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

}  // namespace

const char* FaultName(Fault f) {
  switch (f) {
    case Fault::kClose:
      return "close";
    case Fault::kReset:
      return "reset";
    case Fault::kTruncate:
      return "truncate";
    case Fault::kDuplicate:
      return "duplicate";
    case Fault::kDelay:
      return "delay";
  }
  return "?";
}

uint64_t FaultStats::faults() const {
  uint64_t n = 0;
  for (const auto& k : by_kind) n += k.load();
  return n;
}

std::string FaultStats::ToString() const {
  std::string s = absl::StrCat(faults(), " faults over ", connections.load(), " connections (");
  for (int i = 0; i < 5; ++i) {
    absl::StrAppend(&s, i == 0 ? "" : ", ", FaultName(static_cast<Fault>(i)), " ",
                    by_kind[i].load());
  }
  return s + ")";
}

absl::Status FaultRelay::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return absl::ErrnoToStatus(errno, "socket");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = 0;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    return absl::ErrnoToStatus(errno, "relay listen");
  }
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
  return absl::OkStatus();
}

void FaultRelay::Stop() {
  if (stop_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  listen_fd_ = -1;
  std::vector<std::thread> pumps;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pumps.swap(pumps_);
  }
  for (std::thread& t : pumps) t.join();
}

void FaultRelay::AcceptLoop() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, kPollMs) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ++stats_.connections;
    const uint64_t seed = rng_();
    std::lock_guard<std::mutex> lock(mu_);
    pumps_.emplace_back([this, fd, seed] { Pump(fd, seed); });
  }
}

Fault FaultRelay::NextFault(std::mt19937_64& rng) const {
  std::vector<Fault> allowed;
  for (int i = 0; i < 5; ++i) {
    if (options_.kinds & (1u << i)) allowed.push_back(static_cast<Fault>(i));
  }
  if (allowed.empty()) return Fault::kDelay;
  return allowed[std::uniform_int_distribution<size_t>(0, allowed.size() - 1)(rng)];
}

bool FaultRelay::ClaimFaultSlot() {
  if (options_.min_interval_ms <= 0) return true;
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  int64_t last = last_fault_ns_.load();
  const int64_t interval = int64_t{options_.min_interval_ms} * 1000000;
  while (now - last >= interval) {
    if (last_fault_ns_.compare_exchange_weak(last, now)) return true;
  }
  return false;
}

void FaultRelay::Pump(int client_fd, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> budget_dist(options_.min_bytes, options_.max_bytes);
  const int broker_fd = ConnectLoopback(options_.target_port);
  if (broker_fd < 0) {
    close(client_fd);
    return;
  }
  size_t budget = budget_dist(rng);
  std::optional<BrokerStreamLog::Connection> observed;
  if (options_.broker_log != nullptr) observed.emplace(options_.broker_log);
  std::string connect_bytes;  // the client's first chunk: its CONNECT, for kDuplicate
  char buf[16384];
  bool open = true;
  while (open && !stop_.load()) {
    pollfd p[2] = {{client_fd, POLLIN, 0}, {broker_fd, POLLIN, 0}};
    if (poll(p, 2, kPollMs) <= 0) continue;
    for (int side = 0; side < 2 && open; ++side) {
      if ((p[side].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const int from = side == 0 ? client_fd : broker_fd;
      const int to = side == 0 ? broker_fd : client_fd;
      const ssize_t n = recv(from, buf, sizeof(buf), 0);
      if (n <= 0) {
        open = false;
        break;
      }
      const auto got = static_cast<size_t>(n);
      if (side == 0 && connect_bytes.empty()) connect_bytes.assign(buf, got);
      // Everything the broker wrote, including what a fault below keeps from the client.
      if (side == 1 && observed.has_value()) observed->Feed(absl::string_view(buf, got));
      if (paused_.load() || got < budget || !ClaimFaultSlot()) {
        // Past its budget but too soon after the last fault, the budget stays spent: the fault
        // comes with the first chunk once the interval is over.
        if (!paused_.load() && got < budget) budget -= got;
        open = WriteAll(to, buf, got);
        continue;
      }
      // The budget ends inside this chunk: the fault happens here.
      const Fault f = NextFault(rng);
      ++stats_.by_kind[static_cast<int>(f)];
      budget = budget_dist(rng);
      switch (f) {
        case Fault::kClose:
          open = false;
          break;
        case Fault::kReset:
          CloseWithReset(client_fd);
          CloseWithReset(broker_fd);
          return;
        case Fault::kTruncate: {
          const size_t keep = std::uniform_int_distribution<size_t>(0, got - 1)(rng);
          WriteAll(to, buf, keep);
          open = false;
          break;
        }
        case Fault::kDuplicate: {
          // A twin connection with the same CONNECT: the broker takes the session over and
          // closes this one. The twin then goes away without DISCONNECT.
          open = WriteAll(to, buf, got);
          const int twin = ConnectLoopback(options_.target_port);
          if (twin >= 0) {
            WriteAll(twin, connect_bytes.data(), connect_bytes.size());
            pollfd tp{twin, POLLIN, 0};
            if (poll(&tp, 1, 200) > 0) recv(twin, buf, sizeof(buf), 0);  // its CONNACK
            CloseWithReset(twin);
          }
          break;
        }
        case Fault::kDelay:
          std::this_thread::sleep_for(std::chrono::milliseconds(
              std::uniform_int_distribution<int>(1, options_.max_delay_ms)(rng)));
          open = WriteAll(to, buf, got);
          break;
      }
    }
  }
  close(client_fd);
  close(broker_fd);
}

}  // namespace ouzel_fault
