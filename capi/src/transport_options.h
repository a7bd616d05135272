// The transport options of ouzel_options (OUZEL_OPT_TLS_*, _WS_*, _PROXY_*, HANDSHAKE_TIMEOUT):
// integer ids 30..59 and string ids 110..139, validated here and stored in
// ouzel::TransportOptions. options.cc hands every id in those ranges to these functions;
// ouzel_client_new runs CheckTransportOptions on its copy.
#ifndef OUZEL_CAPI_SRC_TRANSPORT_OPTIONS_H_
#define OUZEL_CAPI_SRC_TRANSPORT_OPTIONS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "capi/src/option_table.h"
#include "cc/transport/transport.h"

namespace ouzel::capi {

bool IsTransportIntOption(int32_t option);
bool IsTransportStringOption(int32_t option);

// Store a value already checked against `spec`'s bounds (CheckIntValue / CheckStringValue).
// OUZEL_OK, or OUZEL_EINVAL (with the detail recorded) leaving `t` unchanged.
int SetTransportInt(TransportOptions& t, const OptionSpec& spec, int64_t value);
// `value` is NULL when the caller passed NULL (some options treat that as "reset").
int SetTransportString(TransportOptions& t, const OptionSpec& spec, const char* value,
                       absl::string_view v);

// The value an option holds (ouzel_options_get_int / _get_string); OUZEL_EINVAL for an option
// that is not a transport one. String values are copied into *out (transport strings are never
// unset, only empty).
int GetTransportInt(const TransportOptions& t, int32_t option, int64_t* out);
int GetTransportString(const TransportOptions& t, int32_t option, std::string* out);

// Cross-field checks that the order of the setters makes impossible earlier (a key without its
// certificate, PSK with a certificate, min version above max, a proxy without a host), and
// defaults that depend on another field (the proxy port). OUZEL_OK or OUZEL_EINVAL. The TLS
// layer checks the same when it connects; here the mistake shows at ouzel_client_new.
int CheckTransportOptions(TransportOptions& t);

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_TRANSPORT_OPTIONS_H_
