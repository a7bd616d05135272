// Enhanced authentication (MQTT 5): the server's AUTH during connect and re-authentication, the
// application's answers (ContinueAuthentication) and Reauthenticate.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cc/base/status_macros.h"
#include "cc/codec/codec_error.h"
#include "cc/session/internal/session_helpers.h"
#include "cc/session/session.h"

namespace ouzel {

using session_internal::Hex2;

namespace {

constexpr uint8_t kReAuthenticate = 0x19;
constexpr uint8_t kContinueAuthentication = 0x18;

}  // namespace

absl::Status Session::HandleAuth(AuthPacket auth) {
  // The decoder refuses AUTH before MQTT 5.
  if (!auth_method_.has_value()) {
    return ProtocolErrorAt("MQTT-4.12.0-6", kNoOffset,
                           "the broker sent AUTH, but CONNECT had no Authentication Method");
  }
  const std::optional<absl::string_view> method =
      auth.properties.GetString(PropertyId::kAuthenticationMethod);
  if (!method.has_value() || *method != *auth_method_) {
    return ProtocolErrorAt("MQTT-4.12.0-5", kNoOffset,
                           absl::StrCat("AUTH has Authentication Method \"", method.value_or(""),
                                        "\"; CONNECT used \"", *auth_method_, "\""));
  }
  const bool continue_auth = auth.reason_code == kContinueAuthentication;
  const bool success = auth.reason_code == 0x00;
  if (state_ == SessionState::kConnecting) {
    if (!continue_auth) {
      return ProtocolErrorAt("MQTT-4.12.0-2", kNoOffset,
                             absl::StrCat("AUTH ", Hex2(auth.reason_code),
                                          " before CONNACK (only 0x18 Continue is valid there)"));
    }
  } else if (!reauthenticating_) {
    return ProtocolErrorAt("MQTT-4.12.1-1", kNoOffset,
                           absl::StrCat("AUTH ", Hex2(auth.reason_code),
                                        " while no re-authentication is in progress"));
  } else if (!continue_auth && !success) {
    return ProtocolErrorAt(
        "MQTT-3.15.2-1", kNoOffset,
        absl::StrCat("AUTH ", Hex2(auth.reason_code), " from the broker during re-authentication"));
  }
  if (success) {
    reauthenticating_ = false;
    auth_awaiting_app_ = false;
  } else {
    auth_awaiting_app_ = true;
  }
  AuthEvent e;
  e.reason_code = auth.reason_code;
  e.properties = std::move(auth.properties);
  events_.emplace_back(std::move(e));
  return absl::OkStatus();
}

absl::Status Session::CheckAuthMethod(Properties& properties) const {
  if (!v5()) return absl::FailedPreconditionError("enhanced authentication needs MQTT 5");
  if (!auth_method_.has_value()) {
    return absl::FailedPreconditionError(
        "CONNECT had no Authentication Method, so AUTH may not be sent [MQTT-4.12.0-7]");
  }
  if (auto method = properties.GetString(PropertyId::kAuthenticationMethod)) {
    if (*method != *auth_method_) {
      return absl::InvalidArgumentError(absl::StrCat("Authentication Method \"", *method,
                                                     "\" differs from CONNECT's \"", *auth_method_,
                                                     "\" [MQTT-4.12.0-5]"));
    }
  } else {
    properties.SetString(PropertyId::kAuthenticationMethod, *auth_method_);
  }
  return properties.Validate(PropertyContext::kAuth);
}

absl::Status Session::ContinueAuthentication(Properties properties, absl::Time now) {
  OUZEL_RETURN_IF_ERROR(CheckAuthMethod(properties));
  if (!auth_awaiting_app_ ||
      (state_ != SessionState::kConnecting && state_ != SessionState::kConnected)) {
    return absl::FailedPreconditionError("no AUTH from the broker is waiting for an answer");
  }
  AuthPacket a;
  a.reason_code = kContinueAuthentication;
  a.properties = std::move(properties);
  Write(Packet(std::move(a)));
  auth_awaiting_app_ = false;
  return absl::OkStatus();
}

absl::Status Session::Reauthenticate(Properties properties, absl::Time now) {
  OUZEL_RETURN_IF_ERROR(CheckAuthMethod(properties));
  if (state_ != SessionState::kConnected) {
    return absl::FailedPreconditionError("re-authentication needs an established connection");
  }
  if (reauthenticating_) {
    return absl::FailedPreconditionError("a re-authentication is already in progress");
  }
  AuthPacket a;
  a.reason_code = kReAuthenticate;
  a.properties = std::move(properties);
  Write(Packet(std::move(a)));
  reauthenticating_ = true;
  auth_awaiting_app_ = false;
  reauth_deadline_ = options_.connect_timeout > absl::ZeroDuration()
                         ? now + options_.connect_timeout
                         : absl::InfiniteFuture();
  return absl::OkStatus();
}

}  // namespace ouzel
