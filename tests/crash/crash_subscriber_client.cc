#include "tests/crash/crash_subscriber_client.h"

#include <chrono>
#include <cstdlib>
#include <functional>

namespace ouzel_crash {
namespace {

void OnMessageC(ouzel_client*, const ouzel_message* msg, void* user_data) {
  static_cast<WitnessSubscriber*>(user_data)->OnMessage(msg);
}
void OnConnectC(ouzel_client*, int32_t reason_code, int32_t, const ouzel_properties*,
                void* user_data) {
  static_cast<WitnessSubscriber*>(user_data)->OnConnect(reason_code);
}
void OnSubscribeC(ouzel_client*, int32_t, const uint8_t* codes, size_t count,
                  const ouzel_properties*, void* user_data) {
  static_cast<WitnessSubscriber*>(user_data)->OnSubscribe(codes, count);
}

}  // namespace

WitnessSubscriber::~WitnessSubscriber() { ouzel_client_free(client_); }

bool WitnessSubscriber::Start(int port, int version, const std::string& filter,
                              std::string* error) {
  ouzel_options* o = nullptr;
  ouzel_options_new(&o);
  const std::string uri = "mqtt://127.0.0.1:" + std::to_string(port);
  ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, uri.data(), uri.size());
  ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, "crash-witness", SIZE_MAX);
  ouzel_options_set_int(o, OUZEL_OPT_PROTOCOL_VERSION, version);
  ouzel_options_set_int(o, OUZEL_OPT_CLEAN_START, 0);
  ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MIN_DELAY_MS, 20);
  ouzel_options_set_int(o, OUZEL_OPT_RECONNECT_MAX_DELAY_MS, 200);
  if (version == OUZEL_MQTT_V5) {
    ouzel_properties* p = nullptr;
    ouzel_properties_new(&p);
    ouzel_properties_set_int(p, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, 3600);
    ouzel_options_set_connect_properties(o, p);
    ouzel_properties_free(p);
  }
  const int rc = ouzel_client_new(&client_, o);
  ouzel_options_free(o);
  if (rc != OUZEL_OK) {
    *error = std::string("ouzel_client_new: ") + ouzel_last_error_message();
    return false;
  }
  ouzel_client_set_on_message(client_, OnMessageC, this, nullptr);
  ouzel_client_set_on_connect(client_, OnConnectC, this, nullptr);
  ouzel_client_set_on_subscribe(client_, OnSubscribeC, this, nullptr);
  if (ouzel_client_loop_start(client_) != OUZEL_OK || ouzel_client_connect(client_) != OUZEL_OK) {
    *error = std::string("connect: ") + ouzel_last_error_message();
    return false;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_until(lock, deadline, [&] { return connected_; })) {
      *error = "no CONNACK within 20 s";
      return false;
    }
  }
  ouzel_subscription sub;
  ouzel_subscription_init(&sub, OUZEL_SUBSCRIPTION_VERSION);
  sub.filter = filter.c_str();
  sub.qos = 2;
  if (ouzel_client_subscribe(client_, &sub, 1, nullptr, nullptr) != OUZEL_OK) {
    *error = std::string("subscribe: ") + ouzel_last_error_message();
    return false;
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_until(lock, deadline, [&] { return subscribed_; })) {
    *error = "no SUBACK within 20 s";
    return false;
  }
  if (suback_code_ != 2) {
    *error = "SUBACK granted " + std::to_string(suback_code_) + ", not QoS 2";
    return false;
  }
  return true;
}

bool WitnessSubscriber::WaitFor(const std::function<bool(const std::vector<Delivery>&)>& done,
                                int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return done(deliveries_); });
}

size_t WitnessSubscriber::count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return deliveries_.size();
}

size_t WitnessSubscriber::distinct() const {
  std::lock_guard<std::mutex> lock(mu_);
  return numbers_.size();
}

std::vector<Delivery> WitnessSubscriber::deliveries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return deliveries_;
}

int WitnessSubscriber::malformed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return malformed_;
}

void WitnessSubscriber::OnMessage(const ouzel_message* msg) {
  size_t len = 0, topic_len = 0;
  const char* p = static_cast<const char*>(ouzel_message_payload(msg, &len));
  const char* t = ouzel_message_topic(msg, &topic_len);
  const std::string payload(p, len);
  Delivery d;
  d.qos = ouzel_message_qos(msg);
  d.dup = ouzel_message_dup(msg);
  d.mid = ouzel_message_mid(msg);
  d.topic.assign(t, topic_len);
  const size_t colon = payload.find(':');
  char* end = nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  if (colon == std::string::npos) {
    ++malformed_;
  } else {
    d.number = std::strtoll(payload.c_str(), &end, 10);
    d.incarnation = std::atoi(payload.c_str() + colon + 1);
    if (end != payload.c_str() + colon) {
      ++malformed_;
    } else {
      numbers_.insert(d.number);
      deliveries_.push_back(std::move(d));
    }
  }
  cv_.notify_all();
}

void WitnessSubscriber::OnConnect(int32_t reason_code) {
  std::lock_guard<std::mutex> lock(mu_);
  connected_ = reason_code == 0;
  cv_.notify_all();
}

void WitnessSubscriber::OnSubscribe(const uint8_t* codes, size_t count) {
  std::lock_guard<std::mutex> lock(mu_);
  subscribed_ = true;
  suback_code_ = count > 0 ? codes[0] : -1;
  cv_.notify_all();
}

}  // namespace ouzel_crash
