// Resolver: host name to socket addresses, without blocking the loop thread.
//
// The system resolver answers at once, on the calling thread, for what needs no lookup:
//   - IP literals (getaddrinfo with AI_NUMERICHOST, which never queries DNS; IPv6 scopes work);
//   - "localhost" and "*.localhost", which are always [::1, 127.0.0.1] (RFC 6761 §6.3, as curl
//     does), so a broker listening on either loopback is found whatever /etc/hosts says.
// Anything else runs getaddrinfo(AF_UNSPEC, SOCK_STREAM) on a short-lived detached helper
// thread; the job signals the Waker it was given when the answer is in, and the loop collects it
// with TakeResult(). An abandoned job (connect timeout, client destroyed) finishes in the
// background and its answer is dropped; the job's state is shared with the thread, so nothing
// dangles. At most kMaxConcurrentLookups lookups run at once per process (a dead DNS server
// cannot pile up threads): past that, Start fails with ResourceExhausted.
//
//   std::shared_ptr<ResolveJob> job = SystemResolver()->Start("broker.example", 1883, waker);
//   ... when the waker fires:  if (auto r = job->TakeResult()) use(**r);
#ifndef OUZEL_CC_TRANSPORT_RESOLVER_H_
#define OUZEL_CC_TRANSPORT_RESOLVER_H_

#include <sys/socket.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cc/transport/waker.h"

namespace ouzel {

struct ResolvedAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const { return storage.ss_family; }
  // "127.0.0.1:1883", "[::1]:1883".
  std::string ToString() const;
  // IPv4 or IPv6 literal (with optional %scope), any port.
  static std::optional<ResolvedAddress> FromLiteral(absl::string_view ip, uint16_t port);
};

// One lookup in progress.
class ResolveJob {
 public:
  virtual ~ResolveJob() = default;
  // Nothing until the lookup finished; then the addresses in the order to try them, or NotFound
  // ("cannot resolve 'x': Name or service not known") / Unavailable (temporary DNS failure).
  virtual std::optional<absl::StatusOr<std::vector<ResolvedAddress>>> TakeResult() = 0;
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  // Starts resolving; `waker` (may be null) is woken when the result becomes available later
  // than this call.
  virtual absl::StatusOr<std::shared_ptr<ResolveJob>> Start(absl::string_view host, uint16_t port,
                                                            std::shared_ptr<Waker> waker) = 0;
};

inline constexpr int kMaxConcurrentLookups = 16;

// The process-wide system resolver described above.
std::shared_ptr<Resolver> SystemResolver();

// Answers from a fixed table (names are matched case-insensitively), and asks `fallback` (may be
// null: NotFound) about anything else. For tests, and for applications that pin names to
// addresses as curl's --resolve does.
class FixedResolver : public Resolver {
 public:
  explicit FixedResolver(std::shared_ptr<Resolver> fallback = nullptr)
      : fallback_(std::move(fallback)) {}
  // Addresses are IP literals, tried in the order given.
  void Add(absl::string_view host, std::vector<std::string> ips);

  absl::StatusOr<std::shared_ptr<ResolveJob>> Start(absl::string_view host, uint16_t port,
                                                    std::shared_ptr<Waker> waker) override;

 private:
  std::shared_ptr<Resolver> fallback_;
  std::map<std::string, std::vector<std::string>> table_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_TRANSPORT_RESOLVER_H_
