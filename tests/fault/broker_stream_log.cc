#include "tests/fault/broker_stream_log.h"

#include <map>

namespace ouzel_fault {
namespace {

constexpr uint8_t kPublish = 3;
constexpr uint8_t kPubrel = 6;

uint16_t U16(absl::string_view s, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(s[at]) << 8) |
                               static_cast<uint8_t>(s[at + 1]));
}

}  // namespace

void BrokerStreamLog::Connection::Feed(absl::string_view bytes) {
  pending_.append(bytes.data(), bytes.size());
  size_t at = 0;
  while (pending_.size() - at >= 2) {
    // Fixed header: type/flags, then the remaining length as a variable byte integer.
    size_t length = 0, multiplier = 1, i = at + 1;
    bool complete_length = false;
    for (; i < pending_.size() && i < at + 5; ++i) {
      const auto b = static_cast<uint8_t>(pending_[i]);
      length += (b & 0x7f) * multiplier;
      multiplier *= 128;
      if ((b & 0x80) == 0) {
        complete_length = true;
        break;
      }
    }
    if (!complete_length) break;
    const size_t body = i + 1;
    if (pending_.size() < body + length) break;
    const absl::string_view packet(pending_.data() + body, length);
    const auto header = static_cast<uint8_t>(pending_[at]);
    const uint8_t type = header >> 4;
    const int qos = (header >> 1) & 3;
    if (type == kPublish && qos == 2 && packet.size() >= 4) {
      const uint16_t topic_len = U16(packet, 0);
      if (packet.size() >= 2u + topic_len + 2u) {
        Event e{false, U16(packet, 2 + topic_len), ""};
        size_t payload_at = 2 + topic_len + 2;
        if (log_->v5_) {  // skip the properties: their length, then that many bytes
          size_t props = 0, mul = 1;
          while (payload_at < packet.size()) {
            const auto b = static_cast<uint8_t>(packet[payload_at++]);
            props += (b & 0x7f) * mul;
            mul *= 128;
            if ((b & 0x80) == 0) break;
          }
          payload_at += props;
        }
        if (payload_at <= packet.size()) {
          e.payload = std::string(packet.substr(payload_at));
          log_->Add(std::move(e));
        }
      }
    } else if (type == kPubrel && packet.size() >= 2) {
      log_->Add(Event{true, U16(packet, 0), ""});
    }
    {
      std::lock_guard<std::mutex> lock(log_->mu_);
      ++log_->packets_;
    }
    at = body + length;
  }
  pending_.erase(0, at);
}

void BrokerStreamLog::Add(Event e) {
  std::lock_guard<std::mutex> lock(mu_);
  events_.push_back(std::move(e));
}

uint64_t BrokerStreamLog::packets() const {
  std::lock_guard<std::mutex> lock(mu_);
  return packets_;
}

std::set<std::string> BrokerStreamLog::Qos2PublishedAgainAfterPubrel() const {
  std::lock_guard<std::mutex> lock(mu_);
  struct Last {
    std::string payload;
    bool pubrel_sent = false;
  };
  std::map<uint16_t, Last> by_id;
  std::set<std::string> again;
  for (const Event& e : events_) {
    Last& l = by_id[e.packet_id];
    if (e.pubrel) {
      l.pubrel_sent = true;
    } else if (l.pubrel_sent && e.payload == l.payload) {
      again.insert(e.payload);
    } else if (e.payload != l.payload) {
      l = Last{e.payload, false};  // a new message under this id
    }
  }
  return again;
}

}  // namespace ouzel_fault
