// ouzel_options_set_tls_verify_callback: the application's certificate check, adapted to
// TlsOptions::verify_callback. The registration is shared by every copy of the options (each
// client keeps one, each transport another), so the release hook runs when the last copy goes.
#include "ouzel/tls.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "capi/src/handles.h"
#include "capi/src/status_mapping.h"
#include "ouzel/errors.h"

namespace {

using ouzel::capi::Fail;
using ouzel::capi::Guarded;

struct VerifyRegistration {
  ouzel_tls_verify_fn fn;
  void* user_data;
  ouzel_release_fn release;
  VerifyRegistration(ouzel_tls_verify_fn f, void* ud, ouzel_release_fn r)
      : fn(f), user_data(ud), release(r) {}
  VerifyRegistration(const VerifyRegistration&) = delete;
  VerifyRegistration& operator=(const VerifyRegistration&) = delete;
  ~VerifyRegistration() {
    if (release != nullptr) release(user_data);
  }
};

absl::Status CallVerify(const VerifyRegistration& reg, const ouzel::TlsVerifyInfo& info) {
  std::vector<const uint8_t*> certs;
  std::vector<size_t> lens;
  certs.reserve(info.chain_der.size());
  lens.reserve(info.chain_der.size());
  for (const std::string& der : info.chain_der) {
    certs.push_back(reinterpret_cast<const uint8_t*>(der.data()));
    lens.push_back(der.size());
  }
  const int32_t verdict = reg.fn(info.preverified ? 1 : 0, info.error.c_str(), info.host.c_str(),
                                 certs.empty() ? nullptr : certs.data(),
                                 lens.empty() ? nullptr : lens.data(), certs.size(), reg.user_data);
  if (verdict == 1) return absl::OkStatus();
  // The TLS layer prefixes "verify_callback rejected the certificate: ".
  std::string why =
      absl::StrCat("the application's callback returned ", verdict, " for '", info.host, "'");
  if (verdict != 0) absl::StrAppend(&why, " (not 1, so a rejection)");
  if (!info.preverified && !info.error.empty()) {
    absl::StrAppend(&why, "; Ouzel had refused it too: ", info.error);
  }
  return absl::PermissionDeniedError(why);
}

}  // namespace

extern "C" {

OUZEL_EXTERN int ouzel_options_set_tls_verify_callback(ouzel_options* opts, ouzel_tls_verify_fn cb,
                                                       void* user_data, ouzel_release_fn release) {
  return Guarded([&] {
    if (opts == nullptr) return Fail(OUZEL_EINVAL, "opts must not be NULL");
    ouzel::TlsOptions& tls = opts->options.transport.tls;
    if (cb == nullptr) {
      tls.verify_callback = nullptr;
      if (release != nullptr) release(user_data);
      return OUZEL_OK;
    }
    // The release hook is armed only once nothing can fail any more: a failed call keeps
    // nothing and must not release the caller's data.
    auto reg = std::make_shared<VerifyRegistration>(cb, user_data, nullptr);
    std::function<absl::Status(const ouzel::TlsVerifyInfo&)> f =
        [reg](const ouzel::TlsVerifyInfo& info) { return CallVerify(*reg, info); };
    reg->release = release;
    tls.verify_callback = std::move(f);
    return OUZEL_OK;
  });
}

}  // extern "C"
