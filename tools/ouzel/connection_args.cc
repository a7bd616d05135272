#include "tools/ouzel/connection_args.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>

#include "tools/ouzel/exit_codes.h"

namespace ouzel_cli {
namespace {

bool StartsWith(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

// mqtt://, mqtts:// (and their aliases tcp://, ssl://, tls://) URLs carry the topic as their
// path, as mosquitto's -L does; ws(s):// keep their path (the HTTP request target) and unix://
// names a socket. Returns the URI to give the library and sets *topic for the first kind.
std::string SplitUrlTopic(const std::string& url, std::string* topic) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  std::string scheme = url.substr(0, scheme_end);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "mqtt" && scheme != "mqtts" && scheme != "tcp" && scheme != "ssl" &&
      scheme != "tls") {
    return url;
  }
  size_t slash = url.find('/', scheme_end + 3);
  if (slash == std::string::npos) return url;
  *topic = url.substr(slash + 1);
  return url.substr(0, slash);
}

bool UsesTls(const ConnectionArgs& a) {
  return !a.cafile.empty() || !a.capath.empty() || !a.cert.empty() || !a.psk.empty() ||
         a.tls_use_os_certs;
}

bool SetInt(ouzel_options* opts, int32_t option, int64_t value, const char* what,
            std::string* error) {
  if (ouzel_options_set_int(opts, option, value) == OUZEL_OK) return true;
  *error = std::string(what) + ": " + ouzel_last_error_message();
  return false;
}

bool SetString(ouzel_options* opts, int32_t option, const std::string& value, const char* what,
               std::string* error) {
  if (ouzel_options_set_string(opts, option, value.data(), value.size()) == OUZEL_OK) return true;
  *error = std::string(what) + ": " + ouzel_last_error_message();
  return false;
}

bool TlsVersion(const std::string& name, int64_t* out) {
  if (name == "tlsv1.3") {
    *out = OUZEL_TLS_V1_3;
  } else if (name == "tlsv1.2") {
    *out = OUZEL_TLS_V1_2;
  } else if (name == "tlsv1.1") {
    *out = OUZEL_TLS_V1_1;
  } else if (name == "tlsv1") {
    *out = OUZEL_TLS_V1_0;
  } else {
    return false;
  }
  return true;
}

bool BuildTls(const ConnectionArgs& a, ouzel_options* opts, std::string* error) {
  if (!a.cafile.empty() && !SetString(opts, OUZEL_OPT_TLS_CA_FILE, a.cafile, "--cafile", error)) {
    return false;
  }
  if (!a.capath.empty() && !SetString(opts, OUZEL_OPT_TLS_CA_PATH, a.capath, "--capath", error)) {
    return false;
  }
  if (!a.cert.empty() && !SetString(opts, OUZEL_OPT_TLS_CERT_FILE, a.cert, "--cert", error)) {
    return false;
  }
  if (!a.key.empty()) {
    if (a.cert.empty()) {
      *error = "--key needs --cert";
      return false;
    }
    if (!SetString(opts, OUZEL_OPT_TLS_KEY_FILE, a.key, "--key", error)) return false;
  }
  if (!a.key_password.empty() &&
      !SetString(opts, OUZEL_OPT_TLS_KEY_PASSWORD, a.key_password, "--key-password", error)) {
    return false;
  }
  if (!a.ciphers.empty() &&
      !SetString(opts, OUZEL_OPT_TLS_CIPHERS, a.ciphers, "--ciphers", error)) {
    return false;
  }
  if (!a.alpn.empty() && !SetString(opts, OUZEL_OPT_TLS_ALPN, a.alpn, "--tls-alpn", error)) {
    return false;
  }
  if (!a.tls_version.empty()) {
    int64_t v = 0;
    if (!TlsVersion(a.tls_version, &v)) {
      *error = "--tls-version: '" + a.tls_version + "' is not tlsv1.3, tlsv1.2, tlsv1.1 or tlsv1";
      return false;
    }
    if (!SetInt(opts, OUZEL_OPT_TLS_MIN_VERSION, v, "--tls-version", error) ||
        !SetInt(opts, OUZEL_OPT_TLS_MAX_VERSION, v, "--tls-version", error)) {
      return false;
    }
  }
  if (a.insecure && !SetInt(opts, OUZEL_OPT_TLS_VERIFY_HOSTNAME, 0, "--insecure", error)) {
    return false;
  }
  if (!a.psk.empty() || !a.psk_identity.empty()) {
    if (a.psk.empty() || a.psk_identity.empty()) {
      *error = "--psk and --psk-identity go together";
      return false;
    }
    if (!SetString(opts, OUZEL_OPT_TLS_PSK_KEY_HEX, a.psk, "--psk", error) ||
        !SetString(opts, OUZEL_OPT_TLS_PSK_IDENTITY, a.psk_identity, "--psk-identity", error)) {
      return false;
    }
  }
  return true;
}

bool BuildWill(const ConnectionArgs& a, ouzel_options* opts, std::string* error) {
  if (a.will_topic.empty()) {
    if (a.have_will_options) {
      *error = "--will-payload, --will-qos and --will-retain need --will-topic";
      return false;
    }
    if (a.properties.Has(OUZEL_PACKET_WILL_PROPERTIES)) {
      *error = "-D will ... needs --will-topic";
      return false;
    }
    return true;
  }
  ouzel_properties* props = a.properties.Build(OUZEL_PACKET_WILL_PROPERTIES, error);
  if (!error->empty()) return false;
  int rc =
      ouzel_options_set_will(opts, a.will_topic.data(), a.will_topic.size(), a.will_payload.data(),
                             a.will_payload.size(), a.will_qos, a.will_retain ? 1 : 0, props);
  ouzel_properties_free(props);
  if (rc != OUZEL_OK) {
    *error = std::string("--will-topic: ") + ouzel_last_error_message();
    return false;
  }
  return true;
}

bool BuildConnectProperties(const ConnectionArgs& a, ouzel_options* opts, std::string* error) {
  ouzel_properties* props = a.properties.Build(OUZEL_PACKET_CONNECT, error);
  if (!error->empty()) return false;
  // mosquitto's rule: -c alone keeps the session forever; -x says for how long.
  uint32_t expiry = a.have_session_expiry ? a.session_expiry : (a.clean ? 0 : 0xFFFFFFFFu);
  if (expiry != 0) {
    if (props == nullptr && ouzel_properties_new(&props) != OUZEL_OK) {
      *error = "out of memory";
      return false;
    }
    ouzel_properties_set_int(props, OUZEL_PROP_SESSION_EXPIRY_INTERVAL, expiry);
  }
  int rc = props == nullptr ? OUZEL_OK : ouzel_options_set_connect_properties(opts, props);
  ouzel_properties_free(props);
  if (rc != OUZEL_OK) {
    *error = std::string("-D connect: ") + ouzel_last_error_message();
    return false;
  }
  return true;
}

}  // namespace

int ConnectionArgs::ProtocolVersion() const {
  if (protocol != 0) return protocol;
  return (!properties.empty() || have_session_expiry) ? OUZEL_MQTT_V5 : OUZEL_MQTT_V311;
}

std::vector<std::string> ConnectionArgs::ServerUris() const {
  if (!uris.empty()) return uris;
  if (!unix_path.empty()) return {"unix://" + unix_path};
  bool tls = UsesTls(*this);
  std::string h = host;
  if (h.find(':') != std::string::npos && h[0] != '[') h = "[" + h + "]";
  int p = port != 0 ? port : (tls ? 8883 : 1883);
  return {std::string(tls ? "mqtts://" : "mqtt://") + h + ":" + std::to_string(p)};
}

bool ParseConnectionOption(ArgReader& r, ConnectionArgs* a) {
  if (r.Is("-h", "--host")) {
    a->host = r.Value();
    if (!r.failed() && a->host.empty()) r.Fail("needs a host name or address");
  } else if (r.Is("-p", "--port")) {
    a->port = static_cast<int>(r.Int(1, 65535));
  } else if (r.Is(nullptr, "--unix")) {
    a->unix_path = r.Value();
  } else if (r.Is("-L", "--url")) {
    std::string url = r.Value();
    if (StartsWith(url, "-")) r.Fail("needs a URL");
    std::string topic;
    a->uris.push_back(SplitUrlTopic(url, &topic));
    if (a->url_topic.empty()) a->url_topic = topic;
  } else if (r.Is("-i", "--id")) {
    a->client_id = r.Value();
    if (!r.failed() && a->client_id.empty()) r.Fail("needs a client id");
  } else if (r.Is("-I", "--id-prefix")) {
    a->id_prefix = r.Value();
  } else if (r.Is("-u", "--username")) {
    a->have_username = true;
    a->username = r.Value();
  } else if (r.Is("-P", "--pw")) {
    a->have_password = true;
    a->password = r.Value();
  } else if (r.Is("-k", "--keepalive")) {
    a->keepalive = static_cast<int>(r.Int(0, 65535));
  } else if (r.Is("-V", "--protocol-version")) {
    std::string v = r.Value();
    // Also the protocol level numbers 5, 4, 3, as emqtt-bench takes them.
    if (v == "mqttv5" || v == "5") {
      a->protocol = OUZEL_MQTT_V5;
    } else if (v == "mqttv311" || v == "311" || v == "4") {
      a->protocol = OUZEL_MQTT_V311;
    } else if (v == "mqttv31" || v == "31" || v == "3") {
      a->protocol = OUZEL_MQTT_V31;
    } else if (!r.failed()) {
      r.Fail("'" + v + "' is not mqttv5, mqttv311 or mqttv31");
    }
  } else if (r.Is("-c", "--disable-clean-session")) {
    r.Flag();
    a->clean = false;
  } else if (r.Is("-x", "--session-expiry-interval")) {
    std::string v = r.Value();
    int64_t n = 0;
    a->have_session_expiry = true;
    if (v == "-1" || v == "\xE2\x88\x9E") {  // -1 or U+221E: never expires, as mosquitto takes it
      a->session_expiry = 0xFFFFFFFFu;
    } else if (ParseInt(v, &n) && n >= 0 && n <= 0xFFFFFFFFll) {
      a->session_expiry = static_cast<uint32_t>(n);
    } else if (!r.failed()) {
      r.Fail("'" + v + "' is not a number of seconds from 0 to 4294967295 (or -1: never)");
    }
  } else if (r.Is("-M", "--max-inflight")) {
    a->max_inflight = static_cast<int>(r.Int(1, 65535));
  } else if (r.Is("-A", "--bind-address")) {
    a->bind_address = r.Value();
  } else if (r.Is(nullptr, "--nodelay")) {
    r.Flag();  // Ouzel sets TCP_NODELAY by default
  } else if (r.Is(nullptr, "--connect-timeout")) {
    a->connect_timeout_s = static_cast<int>(r.Int(1, 3600));
  } else if (r.Is("-d", "--debug")) {
    r.Flag();
    a->debug = true;
  } else if (r.Is(nullptr, "--quiet")) {
    r.Flag();
    a->quiet = true;
  } else if (r.Is("-D", "--property")) {
    a->properties.Parse(r);
  } else if (r.Is(nullptr, "--cafile")) {
    a->cafile = r.Value();
  } else if (r.Is(nullptr, "--capath")) {
    a->capath = r.Value();
  } else if (r.Is(nullptr, "--cert")) {
    a->cert = r.Value();
  } else if (r.Is(nullptr, "--key")) {
    a->key = r.Value();
  } else if (r.Is(nullptr, "--key-password")) {
    a->key_password = r.Value();
  } else if (r.Is(nullptr, "--ciphers")) {
    a->ciphers = r.Value();
  } else if (r.Is(nullptr, "--tls-version")) {
    a->tls_version = r.Value();
  } else if (r.Is(nullptr, "--tls-alpn")) {
    a->alpn = r.Value();
  } else if (r.Is(nullptr, "--insecure")) {
    r.Flag();
    a->insecure = true;
  } else if (r.Is(nullptr, "--tls-use-os-certs")) {
    r.Flag();
    a->tls_use_os_certs = true;
  } else if (r.Is(nullptr, "--psk")) {
    a->psk = r.Value();
  } else if (r.Is(nullptr, "--psk-identity")) {
    a->psk_identity = r.Value();
  } else if (r.Is(nullptr, "--proxy")) {
    a->proxy = r.Value();
  } else if (r.Is(nullptr, "--ws-header")) {
    a->ws_headers.push_back(r.Value());
  } else if (r.Is(nullptr, "--persistence")) {
    a->persistence_dir = r.Value();
    if (!r.failed() && a->persistence_dir.empty()) r.Fail("needs a directory");
  } else if (r.Is(nullptr, "--will-topic")) {
    a->will_topic = r.Value();
  } else if (r.Is(nullptr, "--will-payload")) {
    a->have_will_options = true;
    a->have_will_payload = true;
    a->will_payload = r.Value();
  } else if (r.Is(nullptr, "--will-qos")) {
    a->have_will_options = true;
    a->will_qos = static_cast<int>(r.Int(0, 2));
  } else if (r.Is(nullptr, "--will-retain")) {
    r.Flag();
    a->have_will_options = true;
    a->will_retain = true;
  } else if (r.Is(nullptr, "--tls-engine") || r.Is(nullptr, "--keyform") ||
             r.Is(nullptr, "--tls-engine-kpass-sha1") || r.Is("-S", nullptr)) {
    r.Fail("is a mosquitto option ouzel does not support");
  } else {
    return false;
  }
  return true;
}

std::string ClientIdFor(const ConnectionArgs& a, const std::string& default_prefix) {
  if (!a.client_id.empty()) return a.client_id;
  std::string prefix = a.id_prefix.empty() ? default_prefix : a.id_prefix;
  return prefix + std::to_string(static_cast<long>(getpid()));
}

bool BuildOptions(const ConnectionArgs& a, const std::string& client_id, ouzel_options* opts,
                  std::string* error) {
  error->clear();
  int version = a.ProtocolVersion();
  if (version != OUZEL_MQTT_V5 && !a.properties.empty()) {
    *error = "-D (MQTT 5 properties) needs -V mqttv5";
    return false;
  }
  if (version != OUZEL_MQTT_V5 && a.have_session_expiry) {
    *error = "-x (session expiry interval) needs -V mqttv5";
    return false;
  }
  if (!a.clean && a.client_id.empty() && a.id_prefix.empty()) {
    *error = "-c (keep the session) needs a client id (-i)";
    return false;
  }
  if (a.have_password && !a.have_username && version != OUZEL_MQTT_V5) {
    *error = "-P (password) needs -u (username) before MQTT 5";
    return false;
  }
  std::vector<std::string> uris = a.ServerUris();
  if (!SetString(opts, OUZEL_OPT_SERVER_URI, uris[0], "broker URI", error)) return false;
  for (size_t i = 1; i < uris.size(); ++i) {
    if (!SetString(opts, OUZEL_OPT_ADD_SERVER_URI, uris[i], "-L", error)) return false;
  }
  if (!SetInt(opts, OUZEL_OPT_PROTOCOL_VERSION, version, "-V", error) ||
      !SetString(opts, OUZEL_OPT_CLIENT_ID, client_id, "-i", error) ||
      !SetInt(opts, OUZEL_OPT_KEEPALIVE_SECONDS, a.keepalive, "-k", error) ||
      !SetInt(opts, OUZEL_OPT_CLEAN_START, a.clean ? 1 : 0, "-c", error) ||
      !SetInt(opts, OUZEL_OPT_CONNECT_TIMEOUT_MS, int64_t{a.connect_timeout_s} * 1000,
              "--connect-timeout", error)) {
    return false;
  }
  if (a.have_username && !SetString(opts, OUZEL_OPT_USERNAME, a.username, "-u", error)) {
    return false;
  }
  if (a.have_password && !SetString(opts, OUZEL_OPT_PASSWORD, a.password, "-P", error)) {
    return false;
  }
  if (a.max_inflight > 0 && !SetInt(opts, OUZEL_OPT_MAX_INFLIGHT, a.max_inflight, "-M", error)) {
    return false;
  }
  if (!a.bind_address.empty() &&
      !SetString(opts, OUZEL_OPT_BIND_ADDRESS, a.bind_address, "-A", error)) {
    return false;
  }
  if (!a.proxy.empty() && !SetString(opts, OUZEL_OPT_PROXY_URI, a.proxy, "--proxy", error)) {
    return false;
  }
  for (const std::string& h : a.ws_headers) {
    if (!SetString(opts, OUZEL_OPT_WS_ADD_HEADER, h, "--ws-header", error)) return false;
  }
  if (!a.persistence_dir.empty() &&
      !SetString(opts, OUZEL_OPT_PERSISTENCE_DIR, a.persistence_dir, "--persistence", error)) {
    return false;
  }
  if (!BuildTls(a, opts, error) || !BuildWill(a, opts, error)) return false;
  return version != OUZEL_MQTT_V5 || BuildConnectProperties(a, opts, error);
}

OptionsPtr MakeOptions(const ConnectionArgs& a, const std::string& default_id_prefix,
                       std::string* error) {
  ouzel_options* raw = nullptr;
  if (ouzel_options_new(&raw) != OUZEL_OK) {
    *error = "out of memory";
    return OptionsPtr(nullptr, ouzel_options_free);
  }
  OptionsPtr opts(raw, ouzel_options_free);
  if (!BuildOptions(a, ClientIdFor(a, default_id_prefix), opts.get(), error)) opts.reset();
  return opts;
}

int UsageError(const char* name, const std::string& message, bool quiet) {
  if (!quiet) std::fprintf(stderr, "%s: %s (see %s --help)\n", name, message.c_str(), name);
  return kExitUsage;
}

void PrintHelp(const char* command_help, const char* exit_help) {
  std::fputs(command_help, stdout);
  std::fputs(kConnectionHelp, stdout);
  std::fputs(exit_help, stdout);
}

const char kConnectionHelp[] = R"(Connection (as mosquitto_pub/_sub):
  -h HOST               broker host [localhost]
  -p PORT               broker port [1883, or 8883 with TLS]
  --unix PATH           connect through a Unix domain socket
  -L URL                mqtt(s)://[user[:password]@]host[:port]/topic (the path is the topic),
                        or an Ouzel URI: ws://, wss://host[:port][/path], unix:///path;
                        repeat for a list of brokers tried in order
  -i ID                 client id [ouzel_pub_/ouzel_sub_ + process id]
  -I PREFIX             client id PREFIX + process id
  -u USER, -P PASSWORD  credentials
  -k SECONDS            keepalive [60]; 0 disables it
  -V VERSION            mqttv5, mqttv311 or mqttv31 [mqttv311; mqttv5 with -D or -x]
  -c                    keep the session (Clean Session/Clean Start 0); needs -i
  -x SECONDS            MQTT 5 session expiry interval; -1 never expires
  -D CMD PROP VALUE     an MQTT 5 property: CMD is connect, publish, subscribe, unsubscribe,
                        disconnect or will; PROP as in the specification, e.g.
                        -D publish content-type text/plain, -D connect user-property k v
  -M N                  the most QoS 1/2 messages in flight [20]
  -A ADDRESS            local address to bind
  --will-topic T, --will-payload P, --will-qos Q, --will-retain
                        the Will message
  -d                    print the library's debug log to stderr
  --quiet               print no error messages (the exit status still tells)
TLS:
  --cafile FILE, --capath DIR   trusted CAs (turns TLS on with -h/-p)
  --cert FILE, --key FILE       client certificate and key; --key-password PASSWORD
  --insecure                    do not check the host name in the server's certificate
  --tls-version V               tlsv1.3, tlsv1.2, tlsv1.1 (exactly this version)
  --tls-alpn PROTO, --ciphers LIST, --tls-use-os-certs (TLS with the system's CAs)
  --psk HEX --psk-identity ID   TLS-PSK
Ouzel's own:
  --proxy URI           http://[user:pw@]host:port (CONNECT) or socks5://, socks5h://
  --ws-header 'N: V'    a header for the WebSocket upgrade (repeatable)
  --persistence DIR     keep the session's unacknowledged messages in DIR (with -c)
  --connect-timeout S   give up connecting after S seconds [30]
)";

}  // namespace ouzel_cli
