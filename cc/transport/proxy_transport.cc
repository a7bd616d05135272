#include "cc/transport/proxy_transport.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "cc/base/secret.h"
#include "cc/base/status_macros.h"
#include "cc/transport/http_connect.h"
#include "cc/transport/layered_transport.h"
#include "cc/transport/resolver.h"
#include "cc/transport/socks5.h"
#include "cc/transport/transport_error.h"

namespace ouzel {
namespace {

// Handshake replies are small; a larger read only moves tunnel bytes into tunnel_input_.
constexpr size_t kReadChunk = 1024;
constexpr size_t kQuoteBytes = 48;

class ProxyTransport final : public LayeredTransport {
 public:
  ProxyTransport(std::unique_ptr<Transport> inner, ServerAddress broker, ProxyOptions proxy,
                 absl::Duration handshake_timeout, TransportContext context)
      : LayeredTransport(std::move(inner), handshake_timeout),
        broker_(std::move(broker)),
        proxy_(std::move(proxy)),
        context_(std::move(context)) {}
  // A handshake that failed half-way leaves the credentials in the output buffer.
  ~ProxyTransport() override { WipeSentOutput(); }

  absl::Status StartConnect(absl::Time now, absl::Time deadline) override {
    std::optional<ResolvedAddress> literal =
        ResolvedAddress::FromLiteral(broker_.host, broker_.port);
    if (proxy_.type == ProxyOptions::Type::kSocks5) {
      if (literal.has_value()) {
        OUZEL_ASSIGN_OR_RETURN(Socks5Target t, Socks5Target::Address(*literal));
        socks_target_ = std::move(t);
      } else if (proxy_.remote_dns) {
        socks_target_ = Socks5Target::Name(broker_.host, broker_.port);
      } else {
        // Resolve while the connection to the proxy is being made.
        std::shared_ptr<Resolver> resolver =
            context_.resolver ? context_.resolver : SystemResolver();
        absl::StatusOr<std::shared_ptr<ResolveJob>> job =
            resolver->Start(broker_.host, broker_.port, context_.waker);
        if (!job.ok()) return Named(job.status());
        resolve_job_ = *std::move(job);
      }
    }
    return LayeredTransport::StartConnect(now, deadline);
  }

  absl::StatusOr<size_t> Read(absl::Span<uint8_t> buffer) override {
    if (!tunnel_input_.empty()) {
      size_t n = std::min(buffer.size(), tunnel_input_.size());
      std::memcpy(buffer.data(), tunnel_input_.data(), n);
      tunnel_input_.erase(0, n);
      return n;
    }
    return inner().Read(buffer);
  }

  absl::StatusOr<size_t> Write(absl::Span<const uint8_t> data) override {
    return inner().Write(data);
  }

  bool HasBufferedInput() const override {
    return !tunnel_input_.empty() || inner().HasBufferedInput();
  }

  std::string Describe() const override {
    return absl::StrCat("proxy ", DescribeProxy(proxy_), " to ", broker_.HostPort(), " (",
                        inner().Describe(), ")");
  }

 protected:
  absl::StatusOr<bool> HandshakeStep(absl::Time now) override {
    if (!started_) {
      OUZEL_ASSIGN_OR_RETURN(bool ready, StartHandshake());
      if (!ready) return false;
      started_ = true;
    }
    std::vector<uint8_t> buffer(kReadChunk);
    while (true) {
      absl::StatusOr<size_t> n = inner().Read(absl::MakeSpan(buffer));
      if (!n.ok()) {
        return Refused(absl::UnavailableError(
            absl::StrCat("the proxy closed the connection during the handshake",
                         received_.empty() ? " without answering"
                                           : absl::StrCat(" after sending ", Quote(received_)),
                         " (", n.status().message(), ")")));
      }
      if (*n == 0) return false;
      absl::string_view bytes(reinterpret_cast<const char*>(buffer.data()), *n);
      if (received_.size() < kQuoteBytes) {
        absl::StrAppend(&received_, bytes.substr(0, kQuoteBytes - received_.size()));
      }
      absl::StatusOr<size_t> used = Feed(bytes);
      if (!used.ok()) return Refused(used.status());
      if (Done()) {
        WipeSentOutput();  // the request with the proxy credentials was sent
        // Bytes after the reply are the broker's: hand them to whoever reads the tunnel.
        absl::StrAppend(&tunnel_input_, bytes.substr(*used));
        return true;
      }
    }
  }

  IoInterest HandshakeInterest() const override {
    return started_ || resolve_job_ == nullptr ? IoInterest::kRead : IoInterest::kNone;
  }

  absl::Status InnerConnectFailed(absl::Status status) override {
    return absl::Status(status.code(), absl::StrCat("cannot reach proxy ", DescribeProxy(proxy_),
                                                    ": ", status.message()));
  }

 private:
  // Queues the first message; false while a local name lookup is still running.
  absl::StatusOr<bool> StartHandshake() {
    if (proxy_.type == ProxyOptions::Type::kHttpConnect) {
      http_reply_.emplace();
      std::string request =
          HttpConnectRequest(broker_.host, broker_.port, proxy_.username, proxy_.password);
      QueueOutput(
          absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(request.data()), request.size()));
      WipeString(&request);
      return true;
    }
    if (!socks_target_.has_value()) {
      std::optional<absl::StatusOr<std::vector<ResolvedAddress>>> result =
          resolve_job_->TakeResult();
      if (!result.has_value()) return false;
      if (!result->ok()) return Named(result->status());
      if ((*result)->empty()) {
        return Named(
            absl::NotFoundError(absl::StrCat("cannot resolve '", broker_.host, "': no addresses")));
      }
      OUZEL_ASSIGN_OR_RETURN(Socks5Target t, Socks5Target::Address((*result)->front()));
      socks_target_ = std::move(t);
      resolve_job_.reset();
    }
    socks_.emplace(*socks_target_, proxy_.username, proxy_.password);
    OUZEL_RETURN_IF_ERROR(Named(socks_->Validate()));
    QueueSocksOutput();
    return true;
  }

  absl::StatusOr<size_t> Feed(absl::string_view bytes) {
    if (http_reply_.has_value()) {
      OUZEL_ASSIGN_OR_RETURN(size_t used, http_reply_->Feed(bytes));
      if (http_reply_->done() && !http_reply_->tunnel_open()) {
        return http_reply_->Refusal(!proxy_.username.empty());
      }
      return used;
    }
    OUZEL_ASSIGN_OR_RETURN(size_t used, socks_->Feed(bytes));
    QueueSocksOutput();
    return used;
  }

  bool Done() const { return http_reply_.has_value() ? http_reply_->done() : socks_->done(); }

  void QueueSocksOutput() {
    std::string out = socks_->TakeOutput();
    QueueOutput(absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(out.data()), out.size()));
    WipeString(&out);  // the SOCKS5 credentials message
  }

  // The message with the proxy and the broker in front.
  absl::Status Named(const absl::Status& status) const {
    if (status.ok()) return status;
    return absl::Status(status.code(), absl::StrCat("proxy ", DescribeProxy(proxy_), " (to ",
                                                    broker_.HostPort(), "): ", status.message()));
  }
  absl::Status Refused(const absl::Status& status) const {
    return TransportError(TransportLayer::kProxy, Named(status));
  }

  static std::string Quote(absl::string_view bytes) {
    return absl::StrCat("\"", absl::CHexEscape(bytes), "\"",
                        bytes.size() >= kQuoteBytes ? "..." : "");
  }

  ServerAddress broker_;
  ProxyOptions proxy_;
  TransportContext context_;
  std::shared_ptr<ResolveJob> resolve_job_;
  std::optional<Socks5Target> socks_target_;
  bool started_ = false;
  std::optional<HttpConnectReply> http_reply_;
  std::optional<Socks5Handshake> socks_;
  std::string received_;      // the first bytes of the reply, for error messages
  std::string tunnel_input_;  // broker bytes that arrived with the end of the reply
};

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> CreateProxyTransport(std::unique_ptr<Transport> inner,
                                                                const ServerAddress& address,
                                                                const ProxyOptions& proxy,
                                                                const TransportOptions& options,
                                                                const TransportContext& context) {
  if (inner == nullptr) return absl::InvalidArgumentError("CreateProxyTransport: no transport");
  switch (proxy.type) {
    case ProxyOptions::Type::kNone:
      return absl::InvalidArgumentError("CreateProxyTransport: the proxy type is kNone");
    case ProxyOptions::Type::kHttpConnect:
      OUZEL_RETURN_IF_ERROR(
          ValidateHttpConnectTarget(address.host, proxy.username, proxy.password));
      break;
    case ProxyOptions::Type::kSocks5: {
      // Names and credentials are checked now; a locally resolved address always fits.
      Socks5Handshake probe(Socks5Target::Name(address.host, address.port), proxy.username,
                            proxy.password);
      OUZEL_RETURN_IF_ERROR(probe.Validate());
      break;
    }
  }
  return std::unique_ptr<Transport>(
      new ProxyTransport(std::move(inner), address, proxy, options.handshake_timeout, context));
}

}  // namespace ouzel
