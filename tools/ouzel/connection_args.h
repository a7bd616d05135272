// ConnectionArgs: the options `ouzel pub`, `ouzel sub` and `ouzel bench` share — where the broker
// is, how to reach it (TLS, WebSocket and Unix socket URIs, proxies), who the client is, its Will
// and its MQTT 5 properties — named as mosquitto_pub/_sub name them, plus Ouzel's own.
// ParseConnectionOption reads one of them; BuildOptions turns them into an ouzel_options.
#ifndef OUZEL_TOOLS_OUZEL_CONNECTION_ARGS_H_
#define OUZEL_TOOLS_OUZEL_CONNECTION_ARGS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ouzel.h"
#include "tools/ouzel/arg_reader.h"
#include "tools/ouzel/property_args.h"

namespace ouzel_cli {

struct ConnectionArgs {
  std::string host = "localhost";
  int port = 0;  // 0: 1883, or 8883 with TLS
  std::string unix_path;
  std::vector<std::string> uris;  // -L, in order: the first is tried first
  std::string url_topic;          // the /topic of an mqtt(s):// -L URL, as mosquitto takes it

  std::string client_id;
  std::string id_prefix;
  bool have_username = false;
  std::string username;
  bool have_password = false;
  std::string password;
  int keepalive = 60;
  int protocol = 0;  // 0: not given (3.1.1, or 5 when -D or -x asks for it)
  bool clean = true;
  bool have_session_expiry = false;
  uint32_t session_expiry = 0;
  int max_inflight = -1;
  std::string bind_address;
  int connect_timeout_s = 30;

  std::string cafile, capath, cert, key, key_password, ciphers, tls_version, alpn;
  std::string psk, psk_identity;
  bool insecure = false;
  bool tls_use_os_certs = false;
  std::string proxy;
  std::vector<std::string> ws_headers;
  std::string persistence_dir;

  std::string will_topic, will_payload;
  bool have_will_payload = false;
  int will_qos = 0;
  bool will_retain = false;
  bool have_will_options = false;  // --will-payload/-qos/-retain given

  bool debug = false;
  bool quiet = false;
  PropertyArgs properties;

  // The protocol level to use (OUZEL_MQTT_V31/V311/V5).
  int ProtocolVersion() const;
  // The server URIs the client tries, in order.
  std::vector<std::string> ServerUris() const;
};

// Reads the current option of `r` when it is a connection option; returns false (nothing read)
// otherwise. Errors are recorded in `r`.
bool ParseConnectionOption(ArgReader& r, ConnectionArgs* a);

// Checks the options together (a Will payload without a Will topic, -c without a client id, -D
// with MQTT 3.1.1, ...) and fills `opts` for a client named `client_id`. On failure returns false
// with a message for the user in *error (every such failure is a usage error).
bool BuildOptions(const ConnectionArgs& a, const std::string& client_id, ouzel_options* opts,
                  std::string* error);

using OptionsPtr = std::unique_ptr<ouzel_options, void (*)(ouzel_options*)>;
using PropertiesPtr = std::unique_ptr<ouzel_properties, void (*)(ouzel_properties*)>;

// New options made by BuildOptions for the client id ClientIdFor(a, default_id_prefix); nullptr
// with *error when they cannot be made.
OptionsPtr MakeOptions(const ConnectionArgs& a, const std::string& default_id_prefix,
                       std::string* error);

// Prints "NAME: message (see NAME --help)" to stderr unless `quiet`; returns kExitUsage.
int UsageError(const char* name, const std::string& message, bool quiet);

// Prints a command's --help: its own text, the shared options, its exit statuses.
void PrintHelp(const char* command_help, const char* exit_help);

// The client id to use: -i, else -I plus the process id, else `default_prefix` plus the pid.
std::string ClientIdFor(const ConnectionArgs& a, const std::string& default_prefix);

// The help text of the shared options, for the commands' --help.
extern const char kConnectionHelp[];

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_CONNECTION_ARGS_H_
